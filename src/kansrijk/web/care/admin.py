"""Deliberately empty: client data is not edited in the Django admin.

The admin has no policy decision point and writes no audit entries, and administrators see no
client content (docs/care.md). Client records, consents, referrals and the audit log are reached
only through the care pages, which check access and log every read and change.
"""

"""Care coordination, the client record: families (clients), consent, the care team and care
plan, notes, contact persons, emergency access, the timeline and the record export; and the
access layer of every care app (``access``: the policy decision point; ``guard``: the door
every care page passes). Referrals, case conferences, the audit log and retention are apps of
their own (``kansrijk.web.referrals``, ``.conferences``, ``.audit``, ``.retention``); every
read and write of client data in any of them goes through ``access`` and is logged through
``audit.log``; see docs/care.md."""

"""Care coordination: client (family) records, consent, referrals, contact persons, emergency
access and the NEN 7513 audit log. Every read and write of client data goes through the policy
decision point (``access``) and is logged (``audit``); see docs/care.md."""

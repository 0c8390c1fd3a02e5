"""Retention of the care records: legal holds, the retention run (`care_retention`) and the
deletion register; see docs/care.md."""

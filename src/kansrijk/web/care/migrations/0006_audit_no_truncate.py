"""On PostgreSQL, refuse TRUNCATE of the audit log (row triggers do not fire on it).

A session may allow it with ``SET kansrijk.audit_truncate = 'allow'``: the test suite does, to
empty its throw-away database between tests. A production role should not hold TRUNCATE on
the table at all; the trigger guards against mistakes, the keyed chain and an anchored head
against the rest (``care.audit``)."""

from typing import Any

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION care_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('kansrijk.audit_truncate', true), '') = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only (TRUNCATE refused)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER care_audit_no_truncate
BEFORE TRUNCATE ON care_auditevent
FOR EACH STATEMENT EXECUTE FUNCTION care_audit_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS care_audit_no_truncate ON care_auditevent;
DROP FUNCTION IF EXISTS care_audit_no_truncate();
"""


def _trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(TRIGGER, params=None)


def _drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("care", "0005_conferences_plans_local_routes")]

    operations = [migrations.RunPython(_trigger, _drop)]

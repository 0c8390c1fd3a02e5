"""The audit log's chain head, and on PostgreSQL a trigger that refuses UPDATE and DELETE of
audit events (the model refuses them in Python on every database)."""

from typing import Any

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION care_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER care_audit_append_only
BEFORE UPDATE OR DELETE ON care_auditevent
FOR EACH ROW EXECUTE FUNCTION care_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS care_audit_append_only ON care_auditevent;
DROP FUNCTION IF EXISTS care_audit_append_only();
"""


def _trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(TRIGGER, params=None)


def _drop_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


def _head(apps: Any, schema_editor: Any) -> None:
    apps.get_model("care", "AuditChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [
        migrations.RunPython(_head, migrations.RunPython.noop),
        migrations.RunPython(_trigger, _drop_trigger),
    ]

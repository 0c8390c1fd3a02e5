"""The audit log's protection in the database, on SQLite as on PostgreSQL.

What each backend refuses after this migration:

| statement | PostgreSQL | SQLite |
|---|---|---|
| ``UPDATE`` of an audit event | refused (0002) | refused |
| ``DELETE`` of an audit event | refused (0002) | refused unless in maintenance |
| ``TRUNCATE`` of the audit events | refused unless in maintenance (0006) | (no TRUNCATE) |
| chain head moved back, or sideways (same sequence, other hash) | refused unless in maintenance | refused unless in maintenance |
| ``DELETE`` of the chain head | refused unless in maintenance | refused unless in maintenance |
| ``TRUNCATE`` of the chain head | refused unless in maintenance | (no TRUNCATE) |

*Maintenance* is how the test suite empties its throw-away database between tests (Django's
flush truncates on PostgreSQL and deletes on SQLite). On PostgreSQL a session sets
``kansrijk.audit_truncate = 'allow'`` (0006); SQLite triggers cannot read session settings, so
they consult the one-row table ``care_audit_maintenance`` (``allow_delete`` 0 or 1), created here
outside Django's models so that a flush never empties it. Production never switches maintenance
on: the retention job only appends to the log (one entry per touched client), it never deletes
audit entries, and ``kansrijk audit verify`` warns while the SQLite switch is on.

None of this stops someone who owns the database (drops a trigger, edits the SQLite file): the
keyed hash chain and the signed checkpoints outside the database (``care.audit_checkpoints``)
show what they did. On SQLite a migration that rebuilds ``care_auditevent`` or
``care_auditchainhead`` (Django remakes a table to alter it) loses these triggers: call
``sqlite_protect`` again in that migration; ``audit verify`` warns when a trigger is missing.
"""

from typing import Any

from django.db import migrations

#: The triggers this migration creates, per vendor (``care.audit`` checks they are in place).
SQLITE_TRIGGERS = (
    "care_audit_no_update",
    "care_audit_no_delete",
    "care_audit_head_forward",
    "care_audit_head_no_delete",
)
POSTGRESQL_TRIGGERS = ("care_audit_head_guard", "care_audit_head_no_truncate")

_SQLITE_MAINTENANCE = (
    "coalesce((SELECT allow_delete FROM care_audit_maintenance WHERE id = 1), 0) <> 1"
)
SQLITE = [
    """
    CREATE TABLE IF NOT EXISTS care_audit_maintenance (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        allow_delete INTEGER NOT NULL DEFAULT 0 CHECK (allow_delete IN (0, 1))
    )
    """,
    "INSERT OR IGNORE INTO care_audit_maintenance (id, allow_delete) VALUES (1, 0)",
    """
    CREATE TRIGGER IF NOT EXISTS care_audit_no_update BEFORE UPDATE ON care_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only (UPDATE refused)');
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS care_audit_no_delete BEFORE DELETE ON care_auditevent
    WHEN {_SQLITE_MAINTENANCE}
    BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only (DELETE refused)');
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS care_audit_head_forward BEFORE UPDATE ON care_auditchainhead
    WHEN (NEW.id <> OLD.id OR NEW.sequence < OLD.sequence
          OR (NEW.sequence = OLD.sequence AND NEW.hash <> OLD.hash))
         AND {_SQLITE_MAINTENANCE}
    BEGIN
        SELECT RAISE(ABORT, 'the audit chain head only moves forward (UPDATE refused)');
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS care_audit_head_no_delete BEFORE DELETE ON care_auditchainhead
    WHEN {_SQLITE_MAINTENANCE}
    BEGIN
        SELECT RAISE(ABORT, 'the audit chain head only moves forward (DELETE refused)');
    END
    """,
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS care_audit_maintenance",
]

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION care_audit_head_guard() RETURNS trigger AS $$
    BEGIN
        IF coalesce(current_setting('kansrijk.audit_truncate', true), '') = 'allow' THEN
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND (NEW.sequence > OLD.sequence
                OR (NEW.sequence = OLD.sequence AND NEW.hash = OLD.hash)) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the audit chain head only moves forward (% refused)', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER care_audit_head_guard
    BEFORE UPDATE OR DELETE ON care_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION care_audit_head_guard()
    """,
    # The function of 0006: refuses TRUNCATE unless the session is in maintenance.
    """
    CREATE TRIGGER care_audit_head_no_truncate
    BEFORE TRUNCATE ON care_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION care_audit_no_truncate()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS care_audit_head_no_truncate ON care_auditchainhead",
    "DROP TRIGGER IF EXISTS care_audit_head_guard ON care_auditchainhead",
    "DROP FUNCTION IF EXISTS care_audit_head_guard()",
]


def sqlite_protect(apps: Any, schema_editor: Any) -> None:
    """Create the SQLite triggers and the maintenance switch (idempotent)."""
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql, params=None)


def _protect(apps: Any, schema_editor: Any) -> None:
    sqlite_protect(apps, schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL:
            schema_editor.execute(sql, params=None)


def _unprotect(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("care", "0009_retention_hold")]
    operations = [migrations.RunPython(_protect, _unprotect)]

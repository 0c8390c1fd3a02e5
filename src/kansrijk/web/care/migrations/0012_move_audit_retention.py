"""The audit log and retention leave the care app for their own apps (``kansrijk.web.audit``,
``kansrijk.web.retention``; their migrations 0001 add the models to Django's state).

Nothing happens to the database tables: they keep their names (``care_auditevent``,
``care_auditchainhead``, ``care_retentionhold``, ``care_deletionrecord``), their rows and, for
the audit log, the triggers of migrations 0002, 0006 and 0010. Only Django's state changes, and
the content types of the four models are relabelled, so that permissions given on them follow
the models to their new apps.
"""

from typing import Any

from django.db import migrations

MOVED = {
    "auditevent": "audit",
    "auditchainhead": "audit",
    "retentionhold": "retention",
    "deletionrecord": "retention",
}


def relabel(apps: Any, schema_editor: Any, *, forward: bool = True) -> None:
    """Move the content types (and with them their permissions) to the new app labels, unless
    the new app already has its own (then the old one is stale and left to
    ``remove_stale_contenttypes``)."""
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, label in MOVED.items():
        old, new = ("care", label) if forward else (label, "care")
        if content_type.objects.using(db).filter(app_label=new, model=model).exists():
            continue
        content_type.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def relabel_back(apps: Any, schema_editor: Any) -> None:
    relabel(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0011_emergency_guardrails"),
        ("audit", "0001_initial"),
        ("retention", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables stay, with their names, rows and triggers.
            state_operations=[
                migrations.DeleteModel(name="AuditChainHead"),
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="DeletionRecord"),
                migrations.DeleteModel(name="RetentionHold"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel, relabel_back),
    ]

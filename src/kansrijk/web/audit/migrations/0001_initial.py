"""The audit log's models move here from the care app (Django's state only).

The tables keep their names (``db_table``): no row is copied and the triggers of migrations
care 0002, 0006 and 0010 stay attached. Migration care 0012 removes the models from the care
app's state after this one."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("care", "0011_emergency_guardrails"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables exist (created by the care migrations) and keep
            # their names, rows and triggers.
            state_operations=[
                migrations.CreateModel(
                    name="AuditChainHead",
                    fields=[
                        (
                            "id",
                            models.PositiveSmallIntegerField(
                                default=1, primary_key=True, serialize=False
                            ),
                        ),
                        ("sequence", models.BigIntegerField(default=0)),
                        (
                            "hash",
                            models.CharField(
                                default="0000000000000000000000000000000000000000000000000000000000000000",
                                max_length=64,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit chain head",
                        "verbose_name_plural": "audit chain head",
                        "db_table": "care_auditchainhead",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("id", 1)), name="care_audit_head_single"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("sequence", models.BigIntegerField(unique=True, verbose_name="sequence")),
                        (
                            "event_id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                unique=True,
                                verbose_name="event id",
                            ),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("create", "Create"),
                                    ("read", "Read"),
                                    ("update", "Update"),
                                    ("delete", "Delete"),
                                    ("search", "Search"),
                                    ("export", "Export"),
                                    ("emergency", "Emergency access"),
                                ],
                                max_length=16,
                                verbose_name="action",
                            ),
                        ),
                        ("occurred_at", models.DateTimeField(verbose_name="time (UTC)")),
                        ("user_id", models.BigIntegerField(null=True, verbose_name="user id")),
                        (
                            "username",
                            models.CharField(blank=True, max_length=150, verbose_name="user"),
                        ),
                        ("role", models.CharField(blank=True, max_length=32, verbose_name="role")),
                        (
                            "organisation_id",
                            models.BigIntegerField(null=True, verbose_name="organisation id"),
                        ),
                        (
                            "organisation_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="organisation"
                            ),
                        ),
                        (
                            "responsible_user_id",
                            models.BigIntegerField(null=True, verbose_name="responsible user id"),
                        ),
                        (
                            "responsible_username",
                            models.CharField(
                                blank=True, max_length=150, verbose_name="responsible user"
                            ),
                        ),
                        ("client_id", models.BigIntegerField(null=True, verbose_name="client id")),
                        (
                            "categories",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="data categories"
                            ),
                        ),
                        (
                            "purpose",
                            models.CharField(
                                choices=[
                                    ("care", "Care coordination"),
                                    ("accountability", "Account to the client"),
                                    ("supervision", "Supervision of the audit log"),
                                    ("emergency", "Emergency"),
                                    ("retention", "Retention period expired"),
                                    ("statistics", "Aggregated statistics"),
                                ],
                                max_length=32,
                                verbose_name="purpose",
                            ),
                        ),
                        (
                            "detail",
                            models.CharField(blank=True, max_length=200, verbose_name="detail"),
                        ),
                        ("authorised", models.BooleanField(verbose_name="authorised")),
                        (
                            "treatment_relationship",
                            models.BooleanField(verbose_name="treatment relationship"),
                        ),
                        ("consent_present", models.BooleanField(verbose_name="consent present")),
                        ("emergency_access", models.BooleanField(verbose_name="emergency access")),
                        (
                            "prev_hash",
                            models.CharField(max_length=64, verbose_name="previous hash"),
                        ),
                        ("hash", models.CharField(max_length=64, verbose_name="hash")),
                    ],
                    options={
                        "verbose_name": "audit event",
                        "verbose_name_plural": "audit events",
                        "db_table": "care_auditevent",
                        "ordering": ["sequence"],
                        "indexes": [
                            models.Index(
                                fields=["client_id", "occurred_at"],
                                name="care_audite_client__9efa47_idx",
                            ),
                            models.Index(
                                fields=["user_id", "occurred_at"],
                                name="care_audite_user_id_f2400f_idx",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

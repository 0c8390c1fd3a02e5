"""The retention models (holds, deletion register) move here from the care app (Django's
state only).

The tables keep their names (``db_table``): no row is copied. Migration care 0012 removes the
models from the care app's state after this one."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_account_management"),
        ("care", "0011_emergency_guardrails"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables exist (created by care 0004 and 0009) and keep
            # their names and rows.
            state_operations=[
                migrations.CreateModel(
                    name="DeletionRecord",
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
                        (
                            "record_kind",
                            models.CharField(max_length=32, verbose_name="record kind"),
                        ),
                        ("record_id", models.BigIntegerField(verbose_name="record id")),
                        ("client_id", models.BigIntegerField(null=True, verbose_name="client id")),
                        (
                            "categories",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="data categories"
                            ),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[("anonymised", "Anonymised"), ("deleted", "Deleted")],
                                max_length=16,
                                verbose_name="action",
                            ),
                        ),
                        (
                            "reason",
                            models.CharField(
                                default="retention period expired",
                                max_length=100,
                                verbose_name="reason",
                            ),
                        ),
                        ("last_activity", models.DateField(verbose_name="last activity")),
                        (
                            "performed_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="performed at"
                            ),
                        ),
                        (
                            "performed_by",
                            models.CharField(
                                default="care_retention",
                                max_length=100,
                                verbose_name="performed by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "deletion register entry",
                        "verbose_name_plural": "deletion register",
                        "db_table": "care_deletionrecord",
                        "ordering": ["-performed_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["record_kind", "record_id"],
                                name="care_deleti_record__2ce786_idx",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RetentionHold",
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
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("complaint", "Complaint"),
                                    ("access_request", "Request for access or a copy"),
                                    ("legal_claim", "Legal claim or proceedings"),
                                    ("other", "Other legal obligation"),
                                ],
                                max_length=20,
                                verbose_name="reason",
                            ),
                        ),
                        (
                            "placed_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="placed at"
                            ),
                        ),
                        (
                            "lifted_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="lifted at"),
                        ),
                        (
                            "client",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="retention_holds",
                                to="care.client",
                                verbose_name="client",
                            ),
                        ),
                        (
                            "lifted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="lifted by",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                        (
                            "placed_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="placed by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "retention hold",
                        "verbose_name_plural": "retention holds",
                        "db_table": "care_retentionhold",
                        "ordering": ["-placed_at", "-pk"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("lifted_at__isnull", True)),
                                fields=["client"],
                                name="active_hold_client",
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("lifted_at__isnull", True), ("lifted_by__isnull", True)
                                    ),
                                    models.Q(
                                        ("lifted_at__isnull", False), ("lifted_by__isnull", False)
                                    ),
                                    _connector="OR",
                                ),
                                name="retention_hold_lifted_with_who",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

"""The case conferences' models move here from the care app (Django's state only).

The tables keep their names (``db_table``): no row is copied. Migration care 0013 removes the
models from the care app's state after this one."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_account_management"),
        ("care", "0012_move_audit_retention"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables exist (created by care 0005) and keep their names
            # and rows.
            state_operations=[
                migrations.CreateModel(
                    name="CaseConference",
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
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "municipality_code",
                            models.CharField(
                                max_length=6,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^GM\\d{4}$", "A municipality code looks like GM0363."
                                    )
                                ],
                                verbose_name="municipality",
                            ),
                        ),
                        ("starts_at", models.DateTimeField(verbose_name="date and time")),
                        (
                            "location",
                            models.CharField(blank=True, max_length=200, verbose_name="location"),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[("planned", "Planned"), ("held", "Held (minutes final)")],
                                default="planned",
                                max_length=8,
                                verbose_name="state",
                            ),
                        ),
                        (
                            "minutes",
                            models.TextField(
                                blank=True, verbose_name="general minutes (no client data)"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="created at"
                            ),
                        ),
                        (
                            "held_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="minutes made final at"
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
                            "organiser",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="organised_conferences",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="organiser",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "case conference",
                        "verbose_name_plural": "case conferences",
                        "db_table": "care_caseconference",
                        "ordering": ["-starts_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="AgendaItem",
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
                        ("position", models.PositiveIntegerField(verbose_name="position")),
                        ("anonymous", models.BooleanField(verbose_name="discussed anonymously")),
                        ("summary", models.TextField(verbose_name="case description")),
                        (
                            "question",
                            models.TextField(blank=True, verbose_name="question to the conference"),
                        ),
                        (
                            "consent_check",
                            models.JSONField(
                                default=dict, verbose_name="consent check per participant"
                            ),
                        ),
                        ("minutes", models.TextField(blank=True, verbose_name="minutes")),
                        (
                            "client",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="agenda_items",
                                to="care.client",
                                verbose_name="client",
                            ),
                        ),
                        (
                            "presenter",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="presented by",
                            ),
                        ),
                        (
                            "presenter_organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.organisation",
                                verbose_name="presenting organisation",
                            ),
                        ),
                        (
                            "conference",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="items",
                                to="conferences.caseconference",
                                verbose_name="case conference",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "agenda item",
                        "verbose_name_plural": "agenda items",
                        "db_table": "care_agendaitem",
                        "ordering": ["conference", "position", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ConferenceDecision",
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
                            "kind",
                            models.CharField(
                                choices=[
                                    ("referral", "Referral"),
                                    ("task", "Task"),
                                    ("goal", "Care-plan goal"),
                                    ("advice", "Advice, no action"),
                                ],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        ("text", models.TextField(verbose_name="decision")),
                        ("due", models.DateField(blank=True, null=True, verbose_name="due")),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recorded by",
                            ),
                        ),
                        (
                            "item",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="decisions",
                                to="conferences.agendaitem",
                                verbose_name="agenda item",
                            ),
                        ),
                        (
                            "referral",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="decisions",
                                to="care.referral",
                                verbose_name="referral",
                            ),
                        ),
                        (
                            "responsible_organisation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.organisation",
                                verbose_name="responsible organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "conference decision",
                        "verbose_name_plural": "conference decisions",
                        "db_table": "care_conferencedecision",
                        "ordering": ["item", "created_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ConferenceParticipant",
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
                            "conference",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="participants",
                                to="conferences.caseconference",
                                verbose_name="case conference",
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
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="conference_participations",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="participant",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "participant",
                        "verbose_name_plural": "participants",
                        "db_table": "care_conferenceparticipant",
                        "ordering": ["conference", "organisation__name", "pk"],
                    },
                ),
                migrations.AddIndex(
                    model_name="caseconference",
                    index=models.Index(
                        fields=["municipality_code", "starts_at"],
                        name="care_caseco_municip_e60566_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="agendaitem",
                    index=models.Index(fields=["client"], name="care_agenda_client__962d52_idx"),
                ),
                migrations.AddConstraint(
                    model_name="agendaitem",
                    constraint=models.UniqueConstraint(
                        fields=("conference", "position"), name="unique_agenda_position"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="conferenceparticipant",
                    constraint=models.UniqueConstraint(
                        fields=("conference", "user"), name="unique_conference_participant"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]

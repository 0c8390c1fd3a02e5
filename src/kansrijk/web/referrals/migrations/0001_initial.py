"""Referrals, their events, signals and local routes move here from the care app (Django's
state only).

The tables keep their names (``db_table``): no row is copied. Migration care 0014 removes the
models from the care app's state after this one."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import kansrijk.web.care.models.records


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_account_management"),
        ("care", "0013_move_conferences"),
        ("coalitions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables exist (created by care 0001, 0003, 0005 and 0008) and
            # keep their names and rows.
            state_operations=[
                migrations.CreateModel(
                    name="LocalRoute",
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
                        ("code", models.SlugField(max_length=64, verbose_name="route")),
                        ("version", models.PositiveIntegerField(verbose_name="version")),
                        (
                            "based_on_version",
                            models.PositiveIntegerField(verbose_name="based on version"),
                        ),
                        (
                            "title_nl",
                            models.CharField(max_length=200, verbose_name="title (Dutch)"),
                        ),
                        (
                            "title_en",
                            models.CharField(max_length=200, verbose_name="title (English)"),
                        ),
                        ("steps", models.JSONField(verbose_name="steps")),
                        (
                            "entry",
                            models.JSONField(blank=True, null=True, verbose_name="entry criteria"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="created at"
                            ),
                        ),
                        (
                            "coalition",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="route_variants",
                                to="coalitions.coalition",
                                verbose_name="coalition",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "local route variant",
                        "verbose_name_plural": "local route variants",
                        "db_table": "care_localroute",
                        "ordering": ["coalition", "code", "-version"],
                    },
                ),
                migrations.CreateModel(
                    name="Referral",
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
                        ("route_code", models.CharField(max_length=64, verbose_name="route")),
                        (
                            "route_step",
                            models.CharField(blank=True, max_length=64, verbose_name="route step"),
                        ),
                        (
                            "category",
                            models.CharField(
                                max_length=32,
                                validators=[kansrijk.web.care.models.records.validate_category],
                                verbose_name="data category of the reason",
                            ),
                        ),
                        ("reason", models.TextField(verbose_name="reason for referral")),
                        (
                            "state",
                            models.CharField(
                                default="requested",
                                max_length=16,
                                validators=[kansrijk.web.care.models.records.validate_state],
                                verbose_name="state",
                            ),
                        ),
                        (
                            "deadline",
                            models.DateField(
                                blank=True, null=True, verbose_name="first contact by"
                            ),
                        ),
                        (
                            "decision_reason",
                            models.TextField(
                                blank=True, verbose_name="reason for rejection or cancellation"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="created at"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="updated at"
                            ),
                        ),
                        (
                            "client",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="referrals",
                                to="care.client",
                                verbose_name="client",
                            ),
                        ),
                        (
                            "from_organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="care_referrals_sent",
                                to="accounts.organisation",
                                verbose_name="from organisation",
                            ),
                        ),
                        (
                            "from_user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="referred by",
                            ),
                        ),
                        (
                            "owner_organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.organisation",
                                verbose_name="owner organisation",
                            ),
                        ),
                        (
                            "owner_user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="owner",
                            ),
                        ),
                        (
                            "receiver_owner",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="owner on the receiving side",
                            ),
                        ),
                        (
                            "route_variant",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="referrals",
                                to="referrals.localroute",
                                verbose_name="local route variant",
                            ),
                        ),
                        (
                            "sender_owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="owner on the sending side",
                            ),
                        ),
                        (
                            "to_organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="care_referrals_received",
                                to="accounts.organisation",
                                verbose_name="to organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "referral",
                        "verbose_name_plural": "referrals",
                        "db_table": "care_referral",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ReferralEvent",
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
                        ("action", models.CharField(max_length=16, verbose_name="action")),
                        (
                            "from_state",
                            models.CharField(blank=True, max_length=16, verbose_name="from state"),
                        ),
                        ("to_state", models.CharField(max_length=16, verbose_name="to state")),
                        ("reason", models.TextField(blank=True, verbose_name="reason")),
                        ("version", models.PositiveIntegerField(verbose_name="version")),
                        (
                            "at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="at"
                            ),
                        ),
                        (
                            "actor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="by",
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
                            "referral",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="referrals.referral",
                                verbose_name="referral",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "referral event",
                        "verbose_name_plural": "referral events",
                        "db_table": "care_referralevent",
                        "ordering": ["referral", "version"],
                    },
                ),
                migrations.CreateModel(
                    name="Signal",
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
                            "instrument_code",
                            models.CharField(max_length=64, verbose_name="instrument"),
                        ),
                        (
                            "instrument_version",
                            models.PositiveIntegerField(verbose_name="instrument version"),
                        ),
                        ("answers", models.JSONField(default=dict, verbose_name="answers")),
                        ("total_score", models.PositiveIntegerField(verbose_name="total score")),
                        (
                            "domain_scores",
                            models.JSONField(default=dict, verbose_name="scores per domain"),
                        ),
                        ("flags", models.JSONField(default=list, verbose_name="flags")),
                        (
                            "above_threshold",
                            models.BooleanField(verbose_name="above the threshold"),
                        ),
                        (
                            "proposed_routes",
                            models.JSONField(default=list, verbose_name="proposed client routes"),
                        ),
                        (
                            "categories",
                            models.JSONField(default=list, verbose_name="data categories"),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "client",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="signals",
                                to="care.client",
                                verbose_name="client",
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
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recorded by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "signal",
                        "verbose_name_plural": "signals",
                        "db_table": "care_signal",
                        "ordering": ["client", "-recorded_at", "-pk"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="localroute",
                    constraint=models.UniqueConstraint(
                        fields=("coalition", "code", "version"), name="unique_local_route_version"
                    ),
                ),
                migrations.AddIndex(
                    model_name="referral",
                    index=models.Index(
                        fields=["to_organisation", "state"], name="care_referr_to_orga_b4f932_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="referral",
                    index=models.Index(
                        fields=["from_organisation", "state"], name="care_referr_from_or_ca81be_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="referral",
                    index=models.Index(
                        fields=["client", "state"], name="care_referr_client__9d3f9d_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="referral",
                    index=models.Index(
                        fields=["state", "deadline"], name="care_referr_state_37bf48_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="referralevent",
                    constraint=models.UniqueConstraint(
                        fields=("referral", "version"), name="care_referral_event"
                    ),
                ),
                migrations.AddIndex(
                    model_name="signal",
                    index=models.Index(
                        fields=["client", "recorded_at"], name="care_signal_client__b64637_idx"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]

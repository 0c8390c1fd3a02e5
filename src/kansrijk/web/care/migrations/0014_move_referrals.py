"""Referrals, signals and local routes leave the care app for ``kansrijk.web.referrals`` (its
migration 0001 adds the models to Django's state; conferences 0002 points the decisions'
referral at it).

Nothing happens to the database tables: ``care_referral``, ``care_referralevent``,
``care_signal`` and ``care_localroute`` keep their names, rows and foreign keys. The content
types of the four models are relabelled, so that permissions given on them follow the models
to their new app.
"""

from typing import Any

from django.db import migrations

MOVED = ("referral", "referralevent", "signal", "localroute")


def relabel(apps: Any, schema_editor: Any, *, forward: bool = True) -> None:
    """Move the content types (and with them their permissions) to the new app label, unless
    the new app already has its own (then the old one is stale and left to
    ``remove_stale_contenttypes``)."""
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old, new = ("care", "referrals") if forward else ("referrals", "care")
    for model in MOVED:
        if content_type.objects.using(db).filter(app_label=new, model=model).exists():
            continue
        content_type.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def relabel_back(apps: Any, schema_editor: Any) -> None:
    relabel(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0013_move_conferences"),
        ("referrals", "0001_initial"),
        ("conferences", "0002_referral_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables stay, with their names, rows and foreign keys.
            state_operations=[
                migrations.RemoveField(
                    model_name="referral",
                    name="route_variant",
                ),
                migrations.RemoveField(
                    model_name="referral",
                    name="client",
                ),
                migrations.RemoveField(
                    model_name="referral",
                    name="from_organisation",
                ),
                migrations.RemoveField(
                    model_name="referral",
                    name="from_user",
                ),
                migrations.RemoveField(
                    model_name="referral",
                    name="owner_organisation",
                ),
                migrations.RemoveField(
                    model_name="referral",
                    name="owner_user",
                ),
                migrations.RemoveField(
                    model_name="referral",
                    name="receiver_owner",
                ),
                migrations.RemoveField(
                    model_name="referral",
                    name="sender_owner",
                ),
                migrations.RemoveField(
                    model_name="referral",
                    name="to_organisation",
                ),
                migrations.RemoveField(
                    model_name="referralevent",
                    name="referral",
                ),
                migrations.RemoveField(
                    model_name="referralevent",
                    name="actor",
                ),
                migrations.RemoveField(
                    model_name="referralevent",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="signal",
                    name="client",
                ),
                migrations.RemoveField(
                    model_name="signal",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="signal",
                    name="recorded_by",
                ),
                migrations.DeleteModel(
                    name="LocalRoute",
                ),
                migrations.DeleteModel(
                    name="Referral",
                ),
                migrations.DeleteModel(
                    name="ReferralEvent",
                ),
                migrations.DeleteModel(
                    name="Signal",
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel, relabel_back),
    ]

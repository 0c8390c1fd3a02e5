"""The case conferences leave the care app for ``kansrijk.web.conferences`` (its migration 0001
adds the models to Django's state).

Nothing happens to the database tables: ``care_caseconference``, ``care_conferenceparticipant``,
``care_agendaitem`` and ``care_conferencedecision`` keep their names and rows, and the care
plan's goals and tasks still point at ``care_conferencedecision`` (only the state's reference
changes to ``conferences.ConferenceDecision``). The content types of the four models are
relabelled, so that permissions given on them follow the models to their new app.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("caseconference", "conferenceparticipant", "agendaitem", "conferencedecision")


def relabel(apps: Any, schema_editor: Any, *, forward: bool = True) -> None:
    """Move the content types (and with them their permissions) to the new app label, unless
    the new app already has its own (then the old one is stale and left to
    ``remove_stale_contenttypes``)."""
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old, new = ("care", "conferences") if forward else ("conferences", "care")
    for model in MOVED:
        if content_type.objects.using(db).filter(app_label=new, model=model).exists():
            continue
        content_type.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def relabel_back(apps: Any, schema_editor: Any) -> None:
    relabel(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0012_move_audit_retention"),
        ("conferences", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables stay, with their names, rows and foreign keys.
            state_operations=[
                migrations.AlterField(
                    model_name="careplangoal",
                    name="decision",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="goals",
                        to="conferences.conferencedecision",
                        verbose_name="conference decision",
                    ),
                ),
                migrations.AlterField(
                    model_name="task",
                    name="decision",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="tasks",
                        to="conferences.conferencedecision",
                        verbose_name="conference decision",
                    ),
                ),
                migrations.RemoveField(
                    model_name="agendaitem",
                    name="client",
                ),
                migrations.RemoveField(
                    model_name="agendaitem",
                    name="conference",
                ),
                migrations.RemoveField(
                    model_name="agendaitem",
                    name="presenter",
                ),
                migrations.RemoveField(
                    model_name="agendaitem",
                    name="presenter_organisation",
                ),
                migrations.RemoveField(
                    model_name="conferencedecision",
                    name="item",
                ),
                migrations.RemoveField(
                    model_name="caseconference",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="caseconference",
                    name="organiser",
                ),
                migrations.RemoveField(
                    model_name="conferenceparticipant",
                    name="conference",
                ),
                migrations.RemoveField(
                    model_name="conferencedecision",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="conferencedecision",
                    name="referral",
                ),
                migrations.RemoveField(
                    model_name="conferencedecision",
                    name="responsible_organisation",
                ),
                migrations.RemoveField(
                    model_name="conferenceparticipant",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="conferenceparticipant",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="AgendaItem",
                ),
                migrations.DeleteModel(
                    name="CaseConference",
                ),
                migrations.DeleteModel(
                    name="ConferenceDecision",
                ),
                migrations.DeleteModel(
                    name="ConferenceParticipant",
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel, relabel_back),
    ]

"""The split of the care app into one app per bounded context keeps existing databases whole.

A database migrated up to the last migration of the single care app (care 0011) gets rows in
every moved table through the historical models of that state; ``migrate`` then moves the
models to their apps. The rows must be visible through the new models, no table may have been
renamed or copied, the audit log's triggers must still refuse a DELETE, and the content types
must follow the models (so permissions given on them do too).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.apps import apps as current_apps
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

#: The last migration of the care app before the split.
BEFORE_SPLIT = ("care", "0011_emergency_guardrails")
#: Model name -> (the app it moved to, its table, which keeps its name).
MOVED: dict[str, tuple[str, str]] = {
    "AuditEvent": ("audit", "care_auditevent"),
    "AuditChainHead": ("audit", "care_auditchainhead"),
    "RetentionHold": ("retention", "care_retentionhold"),
    "DeletionRecord": ("retention", "care_deletionrecord"),
    "CaseConference": ("conferences", "care_caseconference"),
    "ConferenceParticipant": ("conferences", "care_conferenceparticipant"),
    "AgendaItem": ("conferences", "care_agendaitem"),
    "ConferenceDecision": ("conferences", "care_conferencedecision"),
    "Referral": ("referrals", "care_referral"),
    "ReferralEvent": ("referrals", "care_referralevent"),
    "Signal": ("referrals", "care_signal"),
    "LocalRoute": ("referrals", "care_localroute"),
}
MOMENT = datetime(2030, 3, 1, 9, 30, tzinfo=UTC)


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate the test database to ``targets``; return the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _leaves() -> list[tuple[str, str]]:
    leaves: list[tuple[str, str]] = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return leaves


@pytest.fixture
def before_split() -> Iterator[Any]:
    """The database at care 0011 (what an installation of the single care app has); migrated
    forward to the latest state again afterwards, whatever the test did."""
    leaves = _leaves()
    try:
        yield _migrate([BEFORE_SPLIT])
    finally:
        _migrate(leaves)


def _old_rows(old: Any) -> dict[str, int]:
    """One row in every moved table (and what they hang on), written through the historical
    models of care 0011; returns the keys to look for afterwards."""
    organisation = old.get_model("accounts", "Organisation").objects.create(
        name="Verloskundigenpraktijk De Linde", type="midwifery", municipality_code="GM0344"
    )
    user = old.get_model("accounts", "User").objects.create(
        username="verloskundige", organisation=organisation, role="professional"
    )
    client = old.get_model("care", "Client").objects.create(
        owner_organisation=organisation, created_by=user, municipality_code="GM0344"
    )
    hold = old.get_model("care", "RetentionHold").objects.create(
        client=client, reason="complaint", organisation=organisation, placed_by=user
    )
    record = old.get_model("care", "DeletionRecord").objects.create(
        record_kind="note",
        record_id=7,
        client_id=client.pk,
        categories="health",
        action="deleted",
        last_activity=date(2020, 1, 1),
    )
    event = old.get_model("care", "AuditEvent").objects.create(
        sequence=1,
        event_id=uuid.uuid4(),
        action="read",
        occurred_at=MOMENT,
        user_id=user.pk,
        username=user.username,
        client_id=client.pk,
        purpose="care",
        authorised=True,
        treatment_relationship=True,
        consent_present=True,
        emergency_access=False,
        prev_hash="0" * 64,
        hash="a" * 64,
    )
    old.get_model("care", "AuditChainHead").objects.update_or_create(
        pk=1, defaults={"sequence": 1, "hash": "a" * 64}
    )
    kraamzorg = old.get_model("accounts", "Organisation").objects.create(
        name="Kraamzorg Het Nest", type="kraamzorg", municipality_code="GM0344"
    )
    coalition = old.get_model("coalitions", "Coalition").objects.create(name="Kansrijk Utrecht")
    route = old.get_model("care", "LocalRoute").objects.create(
        coalition=coalition,
        code="kraamzorg",
        version=1,
        based_on_version=1,
        title_nl="Kraamzorg regelen",
        title_en="Arrange maternity care",
        steps=[{"number": 1, "title_nl": "Aanmelden"}],
        created_by=user,
    )
    referral = old.get_model("care", "Referral").objects.create(
        client=client,
        from_organisation=organisation,
        from_user=user,
        to_organisation=kraamzorg,
        route_code="kraamzorg",
        route_step="1",
        category="care_coordination",
        reason="Kraamzorg nog niet geregeld",
        state="requested",
        sender_owner=user,
        owner_organisation=organisation,
        owner_user=user,
        route_variant=route,
        deadline=date(2030, 3, 8),
    )
    referral_event = old.get_model("care", "ReferralEvent").objects.create(
        referral=referral,
        action="request",
        to_state="requested",
        actor=user,
        organisation=organisation,
        version=1,
    )
    signal = old.get_model("care", "Signal").objects.create(
        client=client,
        instrument_code="mind-kansrijk",
        instrument_version=1,
        total_score=7,
        above_threshold=True,
        proposed_routes=["kraamzorg"],
        recorded_by=user,
        organisation=organisation,
    )
    conference = old.get_model("care", "CaseConference").objects.create(
        title="Casuistiek Utrecht-Noord",
        municipality_code="GM0344",
        starts_at=MOMENT,
        organiser=user,
        organisation=organisation,
    )
    participant = old.get_model("care", "ConferenceParticipant").objects.create(
        conference=conference, user=user, organisation=organisation
    )
    item = old.get_model("care", "AgendaItem").objects.create(
        conference=conference,
        position=1,
        client=client,
        presenter=user,
        presenter_organisation=organisation,
        anonymous=False,
        summary="Zwangere vrouw met schulden",
        consent_check={str(user.pk): True},
    )
    decision = old.get_model("care", "ConferenceDecision").objects.create(
        item=item, kind="referral", text="Kraamzorg regelen", created_by=user, referral=referral
    )
    goal = old.get_model("care", "CarePlanGoal").objects.create(
        client=client,
        category="finances",
        text="Schulden in beeld",
        organisation=organisation,
        created_by=user,
        decision=decision,
    )
    keys = {
        "user": user.pk,
        "client": client.pk,
        "hold": hold.pk,
        "record": record.pk,
        "event": event.pk,
        "conference": conference.pk,
        "participant": participant.pk,
        "item": item.pk,
        "decision": decision.pk,
        "goal": goal.pk,
        "route": route.pk,
        "referral": referral.pk,
        "referral_event": referral_event.pk,
        "signal": signal.pk,
    }
    # An installation of the single care app has the models' content types under "care", with
    # permissions on them (migrating back to care 0011 relabelled those of the test database).
    content_type = old.get_model("contenttypes", "ContentType")
    permission = old.get_model("auth", "Permission")
    for name, (label, _table) in MOVED.items():
        content_type.objects.filter(app_label=label, model=name.lower()).delete()
        old_type, _ = content_type.objects.get_or_create(app_label="care", model=name.lower())
        permission.objects.get_or_create(
            content_type=old_type,
            codename=f"view_{name.lower()}",
            defaults={"name": f"Can view {name}"},
        )
        keys[name] = old_type.pk
    return keys


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def test_migrate_moves_the_models_and_keeps_every_row(before_split: Any) -> None:
    old = before_split
    for name in MOVED:
        assert old.get_model("care", name)  # still in the care app at 0011
    keys = _old_rows(old)
    tables_before = _tables()

    new = _migrate(_leaves())

    assert _tables() == tables_before, "the move must not create, rename or drop a table"
    for name, (label, table) in MOVED.items():
        model = new.get_model(label, name)
        assert model._meta.db_table == table
        with pytest.raises(LookupError):
            new.get_model("care", name)
        # The models the code uses read the same table.
        assert current_apps.get_model(label, name)._meta.db_table == table

    AuditEvent = current_apps.get_model("audit", "AuditEvent")
    event = AuditEvent.objects.get(pk=keys["event"])
    assert (event.sequence, event.client_id, event.hash) == (1, keys["client"], "a" * 64)
    assert current_apps.get_model("audit", "AuditChainHead").objects.get(pk=1).sequence == 1
    RetentionHold = current_apps.get_model("retention", "RetentionHold")
    hold = RetentionHold.objects.get(pk=keys["hold"])
    assert hold.client.pk == keys["client"] and hold.active
    Client = current_apps.get_model("care", "Client")
    assert list(Client.objects.get(pk=keys["client"]).retention_holds.all()) == [hold]
    DeletionRecord = current_apps.get_model("retention", "DeletionRecord")
    assert DeletionRecord.objects.get(pk=keys["record"]).record_id == 7
    CaseConference = current_apps.get_model("conferences", "CaseConference")
    conference = CaseConference.objects.get(pk=keys["conference"])
    assert [p.pk for p in conference.participants.all()] == [keys["participant"]]
    item = conference.items.get()
    assert (item.pk, item.client_id) == (keys["item"], keys["client"])
    assert item.consent_check == {str(keys["user"]): True}
    decision = item.decisions.get()
    assert decision.pk == keys["decision"]
    # The care plan (still in the care app) points at the moved decision.
    CarePlanGoal = current_apps.get_model("care", "CarePlanGoal")
    goal = CarePlanGoal.objects.get(pk=keys["goal"])
    assert goal.decision == decision and list(decision.goals.all()) == [goal]

    Referral = current_apps.get_model("referrals", "Referral")
    referral = Referral.objects.get(pk=keys["referral"])
    assert (referral.route_variant_id, referral.client_id) == (keys["route"], keys["client"])
    assert [e.pk for e in referral.events.all()] == [keys["referral_event"]]
    assert [d.pk for d in referral.decisions.all()] == [keys["decision"]]
    signal = current_apps.get_model("referrals", "Signal").objects.get(pk=keys["signal"])
    assert signal.proposed_routes == ["kraamzorg"]
    client = Client.objects.get(pk=keys["client"])
    assert list(client.referrals.all()) == [referral] and list(client.signals.all()) == [signal]

    # The content types (and the permissions on them) followed the models.
    ContentType = current_apps.get_model("contenttypes", "ContentType")
    for name, (label, _table) in MOVED.items():
        moved = ContentType.objects.get(pk=keys[name])
        assert (moved.app_label, moved.model) == (label, name.lower())
        assert moved.permission_set.filter(codename=f"view_{name.lower()}").exists()
        assert not ContentType.objects.filter(app_label="care", model=name.lower()).exists()


def test_the_audit_triggers_survive_the_move(before_split: Any) -> None:
    keys = _old_rows(before_split)
    _migrate(_leaves())
    AuditEvent = current_apps.get_model("audit", "AuditEvent")
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Tests run with audit maintenance on (so the flush may empty the log); production
            # does not: switch it off for this transaction.
            if connection.vendor == "sqlite":
                cursor.execute("UPDATE care_audit_maintenance SET allow_delete = 0")
            else:
                cursor.execute("SET LOCAL kansrijk.audit_truncate = 'deny'")
        for sql in (
            "DELETE FROM care_auditevent",
            "UPDATE care_auditevent SET detail = 'x'",
            "DELETE FROM care_auditchainhead",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
        if connection.vendor == "postgresql":
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("TRUNCATE care_auditevent")
        assert AuditEvent.objects.filter(pk=keys["event"]).exists()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("UPDATE care_audit_maintenance SET allow_delete = 1")

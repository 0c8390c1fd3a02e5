"""Retention (issue 6 item 10): expired care records are deleted or anonymised, registered in
the deletion register and audited; nothing expires early; a dry run changes nothing. Goals,
tasks, conference decisions and agenda items expire from their own last activity and keep the
client; care still going on (an open referral, task or goal, an unreviewed emergency access)
holds a client and all its records."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from kansrijk.coordination.retention import add_years
from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit.log import verify
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.care import careplan, services
from kansrijk.web.care.models import (
    CarePlanGoal,
    CareTeamMember,
    Client,
    ClientMember,
    Consent,
    ContactPerson,
    EmergencyAccess,
    Note,
    Task,
)
from kansrijk.web.conferences.models import AgendaItem, CaseConference, ConferenceDecision
from kansrijk.web.referrals import services as referral_services
from kansrijk.web.referrals.models import Referral, Signal
from kansrijk.web.retention.models import DeletionRecord
from kansrijk.web.retention.service import ANONYMOUS, apply_retention, held_clients, plan
from tests.web.care.builders import World, consent, family, refer, signal

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def age(client: Client, years: int, days: int = 0) -> None:
    """Move the client and all its records back in time (to noon, ``years`` and ``days`` ago)."""
    day = add_years(TODAY, -years) - timedelta(days=days)
    moment = timezone.make_aware(datetime.combine(day, time(12)))
    Client.objects.filter(pk=client.pk).update(updated_at=moment)
    Note.objects.filter(client=client).update(created_at=moment)
    Signal.objects.filter(client=client).update(recorded_at=moment)
    Referral.objects.filter(client=client).update(updated_at=moment)
    client.consents.update(recorded_at=moment)
    ContactPerson.objects.filter(client=client).update(started_at=moment)
    CareTeamMember.objects.filter(client=client).update(since=day)


def assert_anonymous_case(item: AgendaItem) -> None:
    """The item after retention: an anonymous case without a family and without its texts."""
    item.refresh_from_db()
    texts = (item.summary, item.question, item.minutes, item.consent_check)
    assert texts == (ANONYMOUS, "", "", {})
    assert item.client_id is None and item.anonymous


def test_nothing_expires_before_its_period(care: World) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Vera")
    services.add_note(client, prof, "family", "Verhuisd naar een grotere woning.")
    services.add_note(client, prof, "medical", "Zwangerschapsdiabetes.")
    age(client, 7, days=-1)  # family: 7 years minus a day
    assert apply_retention(TODAY).entries == []
    age(client, 19, days=360)  # the medical note keeps the client (20 years)
    result = apply_retention(TODAY)
    assert [(e.record_kind, e.action) for e in result.entries] == [("contact_note", "deleted")]
    assert ClientMember.objects.filter(client=client, given_name="Vera").exists()


def test_expired_note_is_deleted_and_registered(care: World) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Wendy")
    note = services.add_note(client, prof, "family", "Schulden bij de woningcorporatie.")
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=8 * 366))
    apply_retention(TODAY)
    assert not Note.objects.filter(pk=note.pk).exists()
    entry = DeletionRecord.objects.get(record_kind="contact_note", record_id=note.pk)
    assert (entry.action, entry.client_id, entry.reason) == (
        "deleted",
        client.pk,
        "retention period expired",
    )
    assert entry.categories == "family"
    assert Client.objects.filter(pk=client.pk).exists()  # the client is recent
    event = AuditEvent.objects.filter(client_id=client.pk, purpose="retention").get()
    assert event.action == "delete"


def test_expired_client_is_anonymised(care: World) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Xenia")
    note = services.add_note(client, prof, "family", "Woont bij haar moeder.")
    sig = signal(client, prof)
    referral = refer(client, prof, care.other_org)
    consent(client, prof, ["identity", "family"], to=care.other_org)
    ContactPerson.objects.filter(client=client).update(note="Overgedragen na verhuizing.")
    # An open referral would hold the client (care going on): it was completed long ago.
    Referral.objects.filter(pk=referral.pk).update(state="completed")
    age(client, 21)
    call_command("care_retention", today=TODAY.isoformat())

    members = ClientMember.objects.filter(client=client)
    assert members.count() == 2
    for member in members:
        assert (member.given_name, member.family_name, member.bsn_hash) == (
            ANONYMOUS,
            ANONYMOUS,
            "",
        )
        assert member.date_of_birth is None
    client.refresh_from_db()
    assert client.family_situation == ""
    assert list(Consent.objects.filter(client=client).values_list("purpose", flat=True)) == [
        ANONYMOUS
    ]
    assert not ContactPerson.objects.filter(client=client).exclude(note="").exists()
    assert not Note.objects.filter(pk=note.pk).exists()
    sig.refresh_from_db()
    assert sig.answers == {} and sig.instrument_code == "kansrijk_basis"
    referral.refresh_from_db()
    assert referral.reason == "" and referral.route_code == "pregnant_debts"

    register = set(
        DeletionRecord.objects.filter(client_id=client.pk).values_list("record_kind", "action")
    )
    assert register == {
        ("client", "anonymised"),
        ("client_member", "anonymised"),
        ("contact_note", "deleted"),
        ("signal", "anonymised"),
        ("referral", "anonymised"),
    }
    [event] = AuditEvent.objects.filter(client_id=client.pk, purpose="retention")
    assert event.action == "delete" and event.user_id is None
    assert verify().ok
    # A second run finds nothing new.
    assert apply_retention(TODAY).entries == []


def test_dry_run_writes_nothing(care: World) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Yara")
    services.add_note(client, prof, "family", "Weinig netwerk.")
    age(client, 21)
    audit_before = AuditEvent.objects.count()
    call_command("care_retention", "--dry-run", today=TODAY.isoformat())
    assert DeletionRecord.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before
    assert Note.objects.filter(client=client).count() == 1
    assert ClientMember.objects.filter(client=client, given_name="Yara").exists()
    assert apply_retention(TODAY, dry_run=True).entries  # it would act


# --- Goals, tasks, conferences, the hold (fixed dates, counted by hand) -----------------------


def at(day: str) -> datetime:
    """Noon (local time) on ``day``: far from any day boundary."""
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(12)))


def backdate(client: Client, day: str) -> None:
    """The client's own change, its consents, its first contact person and care team on ``day``
    (its records are dated one by one)."""
    Client.objects.filter(pk=client.pk).update(updated_at=at(day))
    client.consents.update(recorded_at=at(day))
    ContactPerson.objects.filter(client=client).update(started_at=at(day))
    CareTeamMember.objects.filter(client=client).update(since=date.fromisoformat(day))


def register(client: Client) -> list[tuple[str, str, str, date]]:
    """The client's register entries (without its members), sorted."""
    return sorted(
        DeletionRecord.objects.filter(client_id=client.pk)
        .exclude(record_kind="client_member")
        .values_list("record_kind", "action", "categories", "last_activity")
    )


def planned(client: Client, today: str) -> list[tuple[str, str]]:
    return sorted(
        (e.record_kind, e.action)
        for e in plan(date.fromisoformat(today))
        if e.client_id == client.pk
    )


def retention_events(client: Client) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(client_id=client.pk, purpose="retention")
        .order_by("sequence")
        .values_list("action", "detail")
    )


def goal(
    client: Client,
    care: World,
    category: str,
    created: str,
    closed: str | None = None,
    **fields: object,
) -> CarePlanGoal:
    prof = care.users[Role.PROFESSIONAL]
    return CarePlanGoal.objects.create(
        client=client,
        category=category,
        text="Schulden onder bewind.",
        status="achieved" if closed else "open",
        organisation=prof.organisation,
        created_by=prof,
        created_at=at(created),
        closed_at=at(closed) if closed else None,
        **fields,
    )


def task(
    client: Client,
    care: World,
    category: str,
    created: str,
    completed: str | None = None,
    **fields: object,
) -> Task:
    prof = care.users[Role.PROFESSIONAL]
    return Task.objects.create(
        client=client,
        category=category,
        title="Aanmelden bij de schuldhulp.",
        organisation=prof.organisation,
        created_by=prof,
        created_at=at(created),
        completed_at=at(completed) if completed else None,
        **fields,
    )


def test_goals_and_tasks_expire_from_closing_and_completion(care: World) -> None:
    client = family(care.users[Role.PROFESSIONAL], "Zoë")
    backdate(client, "2020-01-01")
    # family (7 years) from its closing on 2024-05-10: gone from 2031-05-10.
    achieved = goal(client, care, "family", "2020-03-01", "2024-05-10")
    # financial (7 years) from its completion on 2025-02-03: gone from 2032-02-03.
    done = task(client, care, "financial", "2020-01-01", "2025-02-03")

    assert planned(client, "2031-05-09") == []
    apply_retention(date(2031, 5, 10))
    assert not CarePlanGoal.objects.filter(pk=achieved.pk).exists()
    assert Task.objects.filter(pk=done.pk).exists()
    assert register(client) == [("care_plan_goal", "deleted", "family", date(2024, 5, 10))]
    # The task keeps the client (the family situation alone would have gone in 2027).
    assert ClientMember.objects.filter(client=client, given_name="Zoë").exists()
    assert retention_events(client) == [
        ("delete", "retention period expired: 1 deleted, 0 anonymised")
    ]

    assert planned(client, "2032-02-02") == []
    apply_retention(date(2032, 2, 3))
    assert not Task.objects.filter(pk=done.pk).exists()
    assert register(client) == [
        ("care_plan_goal", "deleted", "family", date(2024, 5, 10)),
        ("client", "anonymised", "family,financial,identity", date(2025, 2, 3)),
        ("task", "deleted", "financial", date(2025, 2, 3)),
    ]
    assert not ClientMember.objects.filter(client=client).exclude(given_name=ANONYMOUS).exists()
    assert retention_events(client)[1] == (
        "delete",
        "retention period expired: 1 deleted, 3 anonymised",
    )
    assert verify().ok


def test_conference_decisions_and_agenda_items(care: World) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Ilse")
    backdate(client, "2020-01-01")
    consent(client, prof, ["identity", "care_coordination"], to=care.other_org)
    client.consents.update(recorded_at=at("2020-01-01"))
    conference = CaseConference.objects.create(
        title="Casuïstiek Oost",
        municipality_code="GM0363",
        starts_at=at("2024-03-04"),
        organiser=prof,
        organisation=prof.organisation,
        state="held",
        held_at=at("2024-03-05"),
    )
    item = AgendaItem.objects.create(
        conference=conference,
        position=1,
        client=client,
        presenter=prof,
        presenter_organisation=prof.organisation,
        anonymous=False,
        summary="Zwanger, 28 weken, zorgen over geld.",
        question="Wie neemt de regie?",
        consent_check={str(prof.pk): True},
        minutes="Besproken; wijkteam pakt het op.",
    )
    decide = {"item": item, "created_by": prof, "created_at": at("2024-03-04")}
    advice = ConferenceDecision.objects.create(kind="advice", text="Huisbezoek.", **decide)
    decision = ConferenceDecision.objects.create(kind="goal", text="Rust in huis.", **decide)
    became = goal(client, care, "family", "2024-03-04", "2024-09-01", decision=decision)
    # The item and its decisions are one record: from the final minutes (2024-03-05) with the
    # goal's family category, 7 years: until 2031-03-05. The goal: until 2031-09-01.
    assert planned(client, "2026-03-04") == []  # advice alone would be care coordination
    assert planned(client, "2031-03-04") == []
    apply_retention(date(2031, 3, 5))
    assert_anonymous_case(item)
    assert not ConferenceDecision.objects.filter(pk__in=[advice.pk, decision.pk]).exists()
    became.refresh_from_db()
    assert became.decision_id is None and became.text  # the goal lives on
    discussion = [
        ("agenda_item", "anonymised", "care_coordination,family", date(2024, 3, 5)),
        ("conference_decision", "deleted", "care_coordination,family", date(2024, 3, 5)),
        ("conference_decision", "deleted", "care_coordination,family", date(2024, 3, 5)),
    ]
    assert register(client) == discussion
    assert ClientMember.objects.filter(client=client, given_name="Ilse").exists()
    assert retention_events(client) == [
        ("delete", "retention period expired: 2 deleted, 1 anonymised")
    ]

    assert planned(client, "2031-08-31") == []
    apply_retention(date(2031, 9, 1))
    assert not CarePlanGoal.objects.filter(pk=became.pk).exists()
    assert register(client) == sorted(
        [
            *discussion,
            ("care_plan_goal", "deleted", "family", date(2024, 9, 1)),
            ("client", "anonymised", "family,identity", date(2024, 9, 1)),
        ]
    )
    assert Consent.objects.get(client=client).purpose == ANONYMOUS
    assert [action for action, _ in retention_events(client)] == ["delete", "delete"]
    assert verify().ok


def test_an_open_referral_holds_the_client_until_care_ends(care: World) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Hanna")
    note = services.add_note(client, prof, "family", "Schulden bij de verhuurder.")
    Note.objects.filter(pk=note.pk).update(created_at=at("2010-01-01"))
    referral = refer(client, prof, care.other_org)  # family category
    Referral.objects.filter(pk=referral.pk).update(created_at=at("2010-01-01"))
    referral.refresh_from_db()
    referral = referral_services.transition(
        referral, "accept", care.other_professional, referral.version, now=at("2010-01-02")
    )
    referral = referral_services.transition(
        referral, "start", care.other_professional, referral.version, now=at("2010-01-03")
    )
    backdate(client, "2010-01-01")

    # In progress: nothing of the client expires, however old.
    assert client.pk in held_clients()
    assert planned(client, "2040-01-01") == []
    apply_retention(date(2040, 1, 1))
    assert Note.objects.filter(pk=note.pk).exists() and register(client) == []

    referral_services.transition(
        referral, "complete", care.other_professional, referral.version, now=at("2035-06-15")
    )
    assert client.pk not in held_clients()
    # The note (2010) is long past its period; the referral and the client last from the
    # completion: family, 7 years, so until 2042-06-15.
    apply_retention(date(2042, 6, 14))
    assert register(client) == [("contact_note", "deleted", "family", date(2010, 1, 1))]
    assert ClientMember.objects.filter(client=client, given_name="Hanna").exists()
    apply_retention(date(2042, 6, 15))
    assert register(client) == [
        ("client", "anonymised", "family,identity", date(2035, 6, 15)),
        ("contact_note", "deleted", "family", date(2010, 1, 1)),
        ("referral", "anonymised", "family", date(2035, 6, 15)),
    ]
    referral.refresh_from_db()
    assert referral.reason == "" and referral.state == "completed"


@pytest.mark.parametrize("hold", ["task", "goal", "emergency"])
def test_open_tasks_goals_and_unreviewed_emergencies_hold_the_client(
    care: World, hold: str
) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Gwen")
    backdate(client, "2010-01-01")
    if hold == "task":
        open_one = task(client, care, "family", "2010-01-01")
    elif hold == "goal":
        open_one = goal(client, care, "family", "2010-01-01")
    else:
        open_one = EmergencyAccess.objects.create(
            user=prof,
            organisation=prof.organisation,
            client=client,
            reason="Acute zorgen, regievoerder onbereikbaar.",
            started_at=at("2010-01-01"),
            expires_at=at("2010-01-01") + timedelta(hours=4),
        )
    assert client.pk in held_clients()
    assert planned(client, "2040-01-01") == []

    # Closed, completed or reviewed on 2012-01-01: the client expires 7 years (family) later;
    # an emergency access counts for the hold only (the client's last change is 2010-01-01).
    if hold == "task":
        Task.objects.filter(pk=open_one.pk).update(completed_at=at("2012-01-01"))
        expected = [
            ("client", "anonymised"),
            ("client_member", "anonymised"),
            ("client_member", "anonymised"),
            ("task", "deleted"),
        ]
        first = "2019-01-01"
    elif hold == "goal":
        CarePlanGoal.objects.filter(pk=open_one.pk).update(
            status="dropped", closed_at=at("2012-01-01")
        )
        expected = [
            ("care_plan_goal", "deleted"),
            ("client", "anonymised"),
            ("client_member", "anonymised"),
            ("client_member", "anonymised"),
        ]
        first = "2019-01-01"
    else:
        EmergencyAccess.objects.filter(pk=open_one.pk).update(
            reviewed_by=care.users[Role.ADMINISTRATOR], reviewed_at=at("2012-01-01")
        )
        expected = [
            ("client", "anonymised"),
            ("client_member", "anonymised"),
            ("client_member", "anonymised"),
        ]
        first = "2017-01-01"
    assert client.pk not in held_clients()
    day_before = (date.fromisoformat(first) - timedelta(days=1)).isoformat()
    assert planned(client, day_before) == []
    assert planned(client, first) == expected


def test_held_clients_in_one_query(care: World, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        held = held_clients()
    # The world's referrals are open (requested): those families are held.
    assert {care.other.pk, care.referred_consent.pk, care.referred_no_consent.pk} <= held
    assert care.own.pk not in held


def test_planning_does_not_query_per_client(care: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            plan(date(2040, 1, 1))
        return len(queries)

    before = count()
    prof = care.users[Role.PROFESSIONAL]
    for name in ("Aaf", "Bea", "Cas"):
        client = family(prof, name)
        services.add_note(client, prof, "family", "Notitie.")
        goal(client, care, "family", "2020-01-01", "2020-02-01")
        task(client, care, "family", "2020-01-01", "2020-02-01")
        services.hand_over(client, care.other_professional, prof)
        CareTeamMember.objects.create(
            client=client, organisation=care.other_org, since=date(2020, 1, 1)
        )
        case_without_family(care, meeting(care, "2020-01-01", held="2020-01-01"))
    assert count() == before


def test_dry_run_of_new_records_writes_nothing(care: World) -> None:
    client = family(care.users[Role.PROFESSIONAL], "Fenna")
    backdate(client, "2010-01-01")
    kept_goal = goal(client, care, "family", "2010-01-01", "2010-02-01")
    kept_task = task(client, care, "family", "2010-01-01", "2010-02-01")
    audit_before = AuditEvent.objects.count()
    result = apply_retention(date(2030, 1, 1), dry_run=True)
    assert {(e.record_kind, e.action) for e in result.entries if e.client_id == client.pk} == {
        ("care_plan_goal", "deleted"),
        ("task", "deleted"),
        ("client", "anonymised"),
        ("client_member", "anonymised"),
    }
    assert DeletionRecord.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before
    assert CarePlanGoal.objects.filter(pk=kept_goal.pk).exists()
    assert Task.objects.filter(pk=kept_task.pk).exists()
    assert ClientMember.objects.filter(client=client, given_name="Fenna").exists()


# --- Cases without a family; hand-overs and care-team changes (counted by hand) ---------------


def meeting(care: World, starts: str, held: str | None = None) -> CaseConference:
    prof = care.users[Role.PROFESSIONAL]
    return CaseConference.objects.create(
        title="Casuïstiek West",
        municipality_code="GM0363",
        starts_at=at(starts),
        organiser=prof,
        organisation=prof.organisation,
        state="held" if held else "planned",
        held_at=at(held) if held else None,
    )


def case_without_family(
    care: World, conference: CaseConference, position: int = 1, decided: str | None = None
) -> tuple[AgendaItem, ConferenceDecision]:
    """An anonymous case from the caseload (no client) with one advice decided on ``decided``."""
    prof = care.users[Role.PROFESSIONAL]
    item = AgendaItem.objects.create(
        conference=conference,
        position=position,
        client=None,
        presenter=prof,
        presenter_organisation=prof.organisation,
        anonymous=True,
        summary="Casus: zwanger, 30 weken, dakloos geraakt.",
        question="Wie kan een woning regelen?",
        consent_check={str(prof.pk): False},
        minutes="Wijkteam zoekt een noodwoning.",
    )
    decision = ConferenceDecision.objects.create(
        item=item,
        kind="advice",
        text="Noodwoning aanvragen.",
        created_by=prof,
        created_at=at(decided) if decided else conference.starts_at,
    )
    return item, decision


def familyless(today: str) -> list[tuple[str, int, str, str, date]]:
    """The planned entries without a client: kind, key, action, categories, last activity."""
    return sorted(
        (e.record_kind, e.record_id, e.action, e.categories, e.last_activity)
        for e in plan(date.fromisoformat(today))
        if e.client_id is None
    )


def familyless_events() -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(client_id__isnull=True, purpose="retention")
        .order_by("sequence")
        .values_list("action", "categories", "detail")
    )


def test_agenda_item_without_a_family_expires_with_its_decisions(care: World) -> None:
    prof = care.users[Role.PROFESSIONAL]
    conference = meeting(care, "2024-03-04", held="2024-03-05")
    item, advice = case_without_family(care, conference)
    # A second case whose decision became a goal of a family (family category, 7 years).
    other, decision = case_without_family(care, conference, position=2)
    ConferenceDecision.objects.filter(pk=decision.pk).update(kind="goal")
    client = family(prof, "Kim")
    backdate(client, "2020-01-01")
    goal(client, care, "family", "2024-03-04", "2024-09-01", decision=decision)

    # From the final minutes (2024-03-05, later than the start and the decisions), care
    # coordination: 2 years, so from 2026-03-05 on; the second case until 2031-03-05.
    assert familyless("2026-03-04") == []
    first = [
        ("agenda_item", item.pk, "anonymised", "care_coordination", date(2024, 3, 5)),
        ("conference_decision", advice.pk, "deleted", "care_coordination", date(2024, 3, 5)),
    ]
    assert familyless("2026-03-05") == first
    audit_before = AuditEvent.objects.filter(client_id__isnull=False).count()
    apply_retention(date(2026, 3, 5))

    assert_anonymous_case(item)
    assert not ConferenceDecision.objects.filter(pk=advice.pk).exists()
    other.refresh_from_db()
    assert other.summary != ANONYMOUS and ConferenceDecision.objects.filter(pk=decision.pk)
    assert (
        sorted(
            DeletionRecord.objects.filter(client_id__isnull=True).values_list(
                "record_kind", "record_id", "action", "categories", "last_activity"
            )
        )
        == first
    )
    # One audit entry for the run, without a client; no client was touched.
    assert familyless_events() == [
        ("delete", "care_coordination", "retention period expired: 1 deleted, 1 anonymised")
    ]
    assert AuditEvent.objects.filter(client_id__isnull=False).count() == audit_before
    # In the register: not planned again.
    assert familyless("2026-03-05") == []
    assert apply_retention(date(2026, 3, 5)).entries == []

    assert familyless("2031-03-04") == []
    cats = "care_coordination,family"
    assert familyless("2031-03-05") == [
        ("agenda_item", other.pk, "anonymised", cats, date(2024, 3, 5)),
        ("conference_decision", decision.pk, "deleted", cats, date(2024, 3, 5)),
    ]
    apply_retention(date(2031, 3, 5))
    assert CarePlanGoal.objects.filter(decision=None, client=client).exists()  # the goal stays
    assert [action for action, _, _ in familyless_events()] == ["delete", "delete"]
    assert verify().ok


def test_an_open_conference_holds_its_cases_without_a_family(care: World) -> None:
    conference = meeting(care, "2020-01-01")  # planned: the minutes are not final
    item, advice = case_without_family(care, conference, decided="2020-01-02")
    assert familyless("2040-01-01") == []
    apply_retention(date(2040, 1, 1))
    item.refresh_from_db()
    assert item.summary.startswith("Casus") and ConferenceDecision.objects.filter(pk=advice.pk)

    # Made final on 2030-06-01: care coordination, 2 years from then.
    CaseConference.objects.filter(pk=conference.pk).update(state="held", held_at=at("2030-06-01"))
    assert familyless("2032-05-31") == []
    assert familyless("2032-06-01") == [
        ("agenda_item", item.pk, "anonymised", "care_coordination", date(2030, 6, 1)),
        ("conference_decision", advice.pk, "deleted", "care_coordination", date(2030, 6, 1)),
    ]


def test_dry_run_of_a_case_without_a_family_writes_nothing(care: World) -> None:
    item, advice = case_without_family(care, meeting(care, "2010-01-01", held="2010-01-01"))
    audit_before = AuditEvent.objects.count()
    out = StringIO()
    call_command("care_retention", "--dry-run", today="2030-01-01", stdout=out)
    assert "agenda_item anonymised: 1" in out.getvalue()
    assert "1 agenda item(s) without a family" in out.getvalue()
    assert DeletionRecord.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before
    item.refresh_from_db()
    assert item.summary.startswith("Casus") and item.minutes
    assert ConferenceDecision.objects.filter(pk=advice.pk).exists()


@pytest.mark.parametrize("change", ["hand_over", "join", "leave"])
def test_hand_overs_and_care_team_changes_are_client_activity(care: World, change: str) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Lot")
    backdate(client, "2020-01-01")
    # Without the change: family (the family situation), 7 years from 2020-01-01.
    assert planned(client, "2027-01-01") == [
        ("client", "anonymised"),
        ("client_member", "anonymised"),
        ("client_member", "anonymised"),
    ]
    if change == "hand_over":
        services.hand_over(client, care.other_professional, prof, "Verhuisd.", now=at("2022-06-01"))
    elif change == "join":
        CareTeamMember.objects.create(
            client=client, organisation=care.other_org, since=date(2022, 6, 1)
        )
    else:  # joined earlier, left on 2022-06-02: the membership's last day is 2022-06-01
        member = CareTeamMember.objects.create(
            client=client, organisation=care.other_org, since=date(2021, 1, 1)
        )
        careplan.leave_team(member, today=date(2022, 6, 2))
    # The change on 2022-06-01 moves the client's last activity: kept until 2029-06-01.
    assert planned(client, "2029-05-31") == []
    apply_retention(date(2029, 5, 31))
    assert ClientMember.objects.filter(client=client, given_name="Lot").exists()
    apply_retention(date(2029, 6, 1))
    assert register(client) == [("client", "anonymised", "family,identity", date(2022, 6, 1))]
    assert not ContactPerson.objects.filter(client=client).exclude(note="").exists()

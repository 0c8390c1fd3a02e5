"""Case conferences: participants of several organisations, the consent check per participant
(present, absent, withdrawn, partial categories), named and anonymous display per viewer,
decisions that become a referral, task or goal (and are refused where they must be), minutes
made final and read-only, and the audit entries of every page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.audit.models import AuditChainHead, AuditEvent
from kansrijk.web.care import services
from kansrijk.web.care.models import CarePlanGoal, Client, Task
from kansrijk.web.coalitions.models import CoalitionMunicipality, CoalitionPartner
from kansrijk.web.conferences import services as conferences
from kansrijk.web.conferences.models import AgendaItem, CaseConference, ConferenceDecision
from kansrijk.web.referrals import services as referral_services
from kansrijk.web.referrals.models import Referral
from tests.web import factories as f
from tests.web.care.builders import World, consent, family, refer
from tests.web.coalitions import builders as b

pytestmark = pytest.mark.django_db
P, C = Role.PROFESSIONAL, Role.COORDINATOR


# --- Helpers --------------------------------------------------------------------------------


def _conference(care: World) -> CaseConference:
    """Organised by the municipality's coordinator, with the midwife (other organisation) and
    the district team's professional: three organisations."""
    conference = conferences.create_conference(
        care.users[C],
        title="Casuïstiek Oost",
        starts_at=timezone.now() + timedelta(days=7),
        location="Stadsdeelkantoor",
    )
    conferences.add_participant(conference, care.other_professional)
    conferences.add_participant(conference, care.users[P])
    return conference


def _item(care: World, conference: CaseConference, client: Client) -> AgendaItem:
    return conferences.add_item(
        conference,
        care.other_professional,
        client=client,
        summary="Zwangere vrouw, 28 weken, zorgen over geld en huisvesting.",
        question="Wie neemt de schulden op zich?",
    )


def _agenda(care: World) -> tuple[CaseConference, AgendaItem, AgendaItem]:
    """Rosa (everyone may see her: named) and Olivia (only the midwife: anonymous)."""
    conference = _conference(care)
    return (
        conference,
        _item(care, conference, care.referred_consent),
        _item(care, conference, care.other),
    )


def _page(user: User, conference: CaseConference) -> str:
    response = f.signed_in(user).get(reverse("care:conference", args=[conference.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _anonymous_label(page: str, number: int) -> bool:
    return f"Case {number}" in page or f"Casus {number}" in page


def _head() -> int:
    head = AuditChainHead.objects.filter(pk=1).first()
    return head.sequence if head else 0


def _new(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=before).order_by("sequence"))


def _decide(
    user: User, item: AgendaItem, kind: str, browser: Browser | None = None, **data: object
) -> int:
    browser = browser or f.signed_in(user)
    response = browser.post(
        reverse("care:conference_decision", args=[item.conference_id, item.pk]),
        {"kind": kind, "text": "Afgesproken in de bespreking.", "category": "care_coordination"}
        | data,
    )
    return response.status_code


# --- Participants ----------------------------------------------------------------------------


def test_participants_of_several_organisations(care: World) -> None:
    conference = _conference(care)
    organisations = set(conference.participants.values_list("organisation__name", flat=True))
    assert organisations == {"Gemeente Amsterdam", "Verloskundigenpraktijk West", "Wijkteam Oost"}
    assert conference.organiser == care.users[C] and conference.municipality_code == "GM0363"
    page = _page(care.users[P], conference)
    assert "Verloskundigenpraktijk West" in page and "Wijkteam Oost" in page


def test_roles_without_client_data_cannot_take_part(care: World) -> None:
    conference = _conference(care)
    candidates = set(conferences.candidates(conference, timezone.localdate()))
    assert care.users[Role.POLICY_ADVISOR] not in candidates
    assert care.users[Role.ADMINISTRATOR] not in candidates
    with pytest.raises(conferences.ConferenceError):
        conferences.add_participant(conference, care.users[Role.POLICY_ADVISOR])


def test_with_a_coalition_only_its_partners_take_part(care: World) -> None:
    amsterdam = b.municipality("GM0363", "Amsterdam", province="Noord-Holland")
    coalition = b.coalition("Kansrijke Start Amsterdam")
    CoalitionMunicipality.objects.create(
        coalition=coalition, municipality=amsterdam, valid_from=date(2018, 1, 1)
    )
    CoalitionPartner.objects.create(
        coalition=coalition,
        organisation=care.other_org,
        domain="medical",
        valid_from=date(2018, 1, 1),
    )
    conference = conferences.create_conference(
        care.users[C], title="Casuïstiek", starts_at=timezone.now()
    )
    candidates = set(conferences.candidates(conference, timezone.localdate()))
    assert care.other_professional in candidates  # a partner
    assert care.users[P] not in candidates  # the district team is not a partner here
    response = f.signed_in(care.users[C]).post(
        reverse("care:conference_participant_add", args=[conference.pk]), {"user": care.users[P].pk}
    )
    assert response.status_code == 400
    assert not conference.participants.filter(user=care.users[P]).exists()


def test_the_organiser_adds_and_removes_participants(care: World) -> None:
    conference = _conference(care)
    gp = f.user(P, f.organisation("Huisartsen Oost", type=OrganisationType.GP))
    coordinator = f.signed_in(care.users[C])
    url = reverse("care:conference_participant_add", args=[conference.pk])
    assert coordinator.get(url).status_code == 200
    assert coordinator.post(url, {"user": gp.pk}).status_code == 302
    participant = conference.participants.get(user=gp)
    # A participant who is not the organiser may not change the participants.
    assert f.signed_in(care.users[P]).get(url).status_code == 403
    remove = reverse("care:conference_participant_remove", args=[conference.pk, participant.pk])
    assert coordinator.post(remove).status_code == 302
    assert not conference.participants.filter(user=gp).exists()
    own = conference.participants.get(user=care.users[C])
    organiser = reverse("care:conference_participant_remove", args=[conference.pk, own.pk])
    assert coordinator.post(organiser).status_code == 403


# --- The consent check -----------------------------------------------------------------------


def test_consent_check_per_participant(care: World) -> None:
    _conference, rosa, olivia = _agenda(care)
    coordinator, midwife, professional = care.users[C], care.other_professional, care.users[P]
    # Rosa consented to the district team and to the coordinator role: everyone may see her.
    assert rosa.consent_check == {
        str(coordinator.pk): True,
        str(midwife.pk): True,
        str(professional.pk): True,
    }
    assert not rosa.anonymous
    # Olivia gave no consent: only her own midwife may see her.
    assert olivia.consent_check == {
        str(coordinator.pk): False,
        str(midwife.pk): True,
        str(professional.pk): False,
    }
    assert olivia.anonymous
    assert [rosa.position, olivia.position] == [1, 2]


def test_partial_categories_fail_the_check(care: World) -> None:
    """Identity without care coordination is not enough to be named."""
    conference = _conference(care)
    petra = family(care.other_professional, "Petra")
    consent(petra, care.other_professional, ["identity", "family"], to=care.own_org)
    refer(petra, care.other_professional, care.own_org)
    item = _item(care, conference, petra)
    assert item.consent_check[str(care.users[P].pk)] is False
    assert item.anonymous
    page = _page(care.users[P], conference)
    assert "Petra" not in page and _anonymous_label(page, 1)


def test_emergency_access_does_not_pass_the_check(care: World) -> None:
    """Breaking the glass is for urgent care, not for naming a family in a meeting."""
    conference = _conference(care)
    services.start_emergency(care.users[P], care.other, "Acute zorg nodig.", 1)
    item = _item(care, conference, care.other)
    assert item.anonymous and item.consent_check[str(care.users[P].pk)] is False
    assert "Olivia" not in _page(care.users[P], conference)


def test_a_new_participant_without_consent_makes_a_named_item_anonymous(care: World) -> None:
    conference, rosa, _olivia = _agenda(care)
    gp = f.user(P, f.organisation("Huisartsen Oost", type=OrganisationType.GP))
    conferences.add_participant(conference, gp)
    rosa.refresh_from_db()
    assert rosa.anonymous and rosa.consent_check[str(gp.pk)] is False
    # Removing them again does not name the family again by itself.
    conferences.remove_participant(conference, conference.participants.get(user=gp))
    rosa.refresh_from_db()
    assert rosa.anonymous and str(gp.pk) not in rosa.consent_check


def test_only_the_own_organisation_presents_a_family(care: World) -> None:
    conference = _conference(care)
    with pytest.raises(conferences.ConferenceError):
        # The district team sees Rosa through a referral, but does not own her record.
        conferences.add_item(
            conference, care.users[P], client=care.referred_consent, summary="Casus"
        )
    response = f.signed_in(care.users[P]).post(
        reverse("care:conference_item_new", args=[conference.pk]),
        {"client": care.referred_consent.pk, "summary": "Casus"},
    )
    assert response.status_code == 400  # not among the families offered
    assert not conference.items.exists()


# --- Named and anonymous display --------------------------------------------------------------


def test_named_and_anonymous_for_each_participant(care: World) -> None:
    conference, _rosa, _olivia = _agenda(care)
    midwife = _page(care.other_professional, conference)
    assert "Rosa" in midwife and "Olivia" in midwife  # the presenter knows both
    for user in (care.users[P], care.users[C]):
        page = _page(user, conference)
        assert "Rosa" in page
        assert "Olivia" not in page and _anonymous_label(page, 2)
        assert "zorgen over geld" in page  # the case description is shown to everyone


def test_a_withdrawn_consent_hides_the_name_at_once_and_at_decision_time(care: World) -> None:
    conference, rosa, _olivia = _agenda(care)
    withdrawn = care.referred_consent.consents.get(recipient_organisation=care.own_org)
    services.withdraw_consent(withdrawn, care.other_professional)
    # The next request: the district team no longer sees the name; the others still do.
    page = _page(care.users[P], conference)
    assert "Rosa" not in page and _anonymous_label(page, 1)
    assert "Rosa" in _page(care.users[C], conference)
    assert "Rosa" in _page(care.other_professional, conference)
    # At decision time the check runs again: the item is anonymous from now on, so no referral.
    assert (
        _decide(care.other_professional, rosa, "referral", responsible_organisation=care.own_org.pk)
        == 403
    )
    rosa.refresh_from_db()
    assert rosa.anonymous and rosa.consent_check[str(care.users[P].pk)] is False
    assert not Referral.objects.filter(client=care.referred_consent, route_code="case_conference")


# --- Who sees the conference ------------------------------------------------------------------


def test_a_non_participant_gets_404_and_roles_without_client_data_403(care: World) -> None:
    conference, rosa, _olivia = _agenda(care)
    gp = f.user(P, f.organisation("Huisartsen Oost", type=OrganisationType.GP))
    for name, args in (
        ("care:conference", [conference.pk]),
        ("care:conference_item", [conference.pk, rosa.pk]),
        ("care:conference_item_new", [conference.pk]),
    ):
        assert f.signed_in(gp).get(reverse(name, args=args)).status_code == 404
        advisor = care.users[Role.POLICY_ADVISOR]
        assert f.signed_in(advisor).get(reverse(name, args=args)).status_code == 403
    listing = f.signed_in(gp).get(reverse("care:conferences")).content.decode()
    assert "Casuïstiek Oost" not in listing
    assert (
        f.signed_in(care.users[Role.POLICY_ADVISOR]).get(reverse("care:conferences")).status_code
        == 403
    )


def test_the_municipality_coordinator_sees_that_a_conference_exists_only(care: World) -> None:
    conference = conferences.create_conference(
        care.other_professional, title="Verloskundig overleg", starts_at=timezone.now()
    )
    coordinator = f.signed_in(care.users[C])
    listing = coordinator.get(reverse("care:conferences")).content.decode()
    assert "Verloskundig overleg" in listing
    assert reverse("care:conference", args=[conference.pk]) not in listing
    assert coordinator.get(reverse("care:conference", args=[conference.pk])).status_code == 404


def test_planning_a_conference_through_the_page(care: World) -> None:
    browser = f.signed_in(care.other_professional)
    response = browser.post(
        reverse("care:conference_new"),
        {"title": "MDO West", "starts_at": "2026-12-01T14:00", "municipality_code": "GM0363"},
    )
    assert response.status_code == 302
    conference = CaseConference.objects.get(title="MDO West")
    assert conference.organisation == care.other_org
    assert list(conference.participants.values_list("user", flat=True)) == [
        care.other_professional.pk
    ]
    assert browser.post(reverse("care:conference_new"), {"title": ""}).status_code == 400


def test_putting_a_family_on_the_agenda_through_the_page(care: World) -> None:
    conference = _conference(care)
    browser = f.signed_in(care.other_professional)
    url = reverse("care:conference_item_new", args=[conference.pk])
    form = browser.get(url).content.decode()
    assert "Rosa" in form and "Olivia" in form
    response = browser.post(url, {"client": care.other.pk, "summary": "Casus zonder namen."})
    assert response.status_code == 302
    item = conference.items.get()
    assert item.anonymous and item.client == care.other and item.position == 1
    browser.post(url, {"summary": "Een casus zonder gezin uit het bestand."})
    second = conference.items.get(position=2)
    assert second.anonymous and second.client is None and second.consent_check == {}
    # A coordinator presents no families.
    assert f.signed_in(care.users[C]).get(url).status_code == 403


# --- Decisions ---------------------------------------------------------------------------------


def test_a_referral_decision_creates_a_referral(care: World) -> None:
    _conference, rosa, _olivia = _agenda(care)
    debt = f.organisation("Schuldhulp Oost", type=OrganisationType.DEBT_COUNSELLING)
    # The district team sees Rosa through a referral with consent; accepted, it is a treatment
    # relationship (a referral still requested is not: issue 14, item 9).
    referral = care.referred_consent.referrals.get()
    referral_services.transition(referral, "accept", care.users[P], referral.version)
    status = _decide(
        care.users[P], rosa, "referral", category="family", responsible_organisation=debt.pk
    )
    assert status == 302
    decision = ConferenceDecision.objects.get(item=rosa)
    referral = decision.referral
    assert referral is not None and decision.kind == "referral"
    assert (referral.client, referral.from_organisation, referral.to_organisation) == (
        care.referred_consent,
        care.own_org,
        debt,
    )
    assert (referral.route_code, referral.category, referral.state) == (
        "case_conference",
        "family",
        "requested",
    )
    page = f.signed_in(care.users[P]).get(
        reverse("care:conference_item", args=[rosa.conference_id, rosa.pk])
    )
    assert reverse("care:referral", args=[referral.pk]) in page.content.decode()


def test_referral_needs_a_professional_and_another_organisation(care: World) -> None:
    _conference, rosa, _olivia = _agenda(care)
    # The coordinator has no treatment relationship.
    assert (
        _decide(care.users[C], rosa, "referral", responsible_organisation=care.other_org.pk) == 403
    )
    # A referral goes to another organisation (and names one).
    assert (
        _decide(
            care.users[P],
            rosa,
            "referral",
            category="family",
            responsible_organisation=care.own_org.pk,
        )
        == 403
    )
    assert _decide(care.users[P], rosa, "referral") == 400
    assert not ConferenceDecision.objects.filter(item=rosa).exists()


def test_task_and_goal_decisions(care: World) -> None:
    _conference, rosa, _olivia = _agenda(care)
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert (
        _decide(
            care.other_professional, rosa, "task", responsible_organisation=care.own_org.pk, due=due
        )
        == 302
    )
    task = Task.objects.get(client=care.referred_consent)
    assert task.organisation == care.own_org and task.decision is not None
    assert task.category == "care_coordination" and task.due.isoformat() == due
    # The coordinator may see Rosa's care coordination data (role consent): a goal.
    assert _decide(care.users[C], rosa, "goal") == 302
    goal = CarePlanGoal.objects.get(client=care.referred_consent)
    assert goal.organisation == care.municipality and goal.decision is not None
    # A category the district team may not see (medical): refused.
    assert _decide(care.users[P], rosa, "task", category="medical") == 403


def test_decisions_on_an_anonymous_item(care: World) -> None:
    _conference, _rosa, olivia = _agenda(care)
    professional = care.users[P]
    assert (
        _decide(professional, olivia, "referral", responsible_organisation=care.other_org.pk) == 403
    )
    assert (
        _decide(
            care.other_professional, olivia, "referral", responsible_organisation=care.own_org.pk
        )
        == 403
    )
    assert _decide(professional, olivia, "task") == 403
    assert _decide(professional, olivia, "advice") == 302
    # The presenter knows who it is: a task and a goal for their own client.
    assert _decide(care.other_professional, olivia, "task") == 302
    assert _decide(care.other_professional, olivia, "goal") == 302
    assert list(ConferenceDecision.objects.filter(item=olivia).values_list("kind", flat=True)) == [
        "advice",
        "task",
        "goal",
    ]
    assert Task.objects.filter(client=care.other).count() == 1
    assert not Referral.objects.filter(client=care.other, route_code="case_conference")
    # The page offers each viewer only what they may record.
    page = (
        f.signed_in(professional)
        .get(reverse("care:conference_item", args=[olivia.conference_id, olivia.pk]))
        .content.decode()
    )
    assert (
        'value="advice"' in page and 'value="task"' not in page and 'value="referral"' not in page
    )


# --- Minutes -------------------------------------------------------------------------------


def test_item_minutes_by_the_organiser_or_the_presenter(care: World) -> None:
    conference, rosa, _olivia = _agenda(care)
    url = reverse("care:conference_item_minutes", args=[conference.pk, rosa.pk])
    assert (
        f.signed_in(care.other_professional).post(url, {"minutes": "Besproken."}).status_code == 302
    )
    assert f.signed_in(care.users[P]).post(url, {"minutes": "Anders."}).status_code == 403
    rosa.refresh_from_db()
    assert rosa.minutes == "Besproken."


def test_final_minutes_are_read_only(care: World) -> None:
    conference, rosa, _olivia = _agenda(care)
    coordinator = f.signed_in(care.users[C])
    item_minutes = reverse("care:conference_item_minutes", args=[conference.pk, rosa.pk])
    assert coordinator.post(item_minutes, {"minutes": "Schulden: wijkteam."}).status_code == 302
    minutes = reverse("care:conference_minutes", args=[conference.pk])
    assert coordinator.post(minutes, {"minutes": "Volgende keer om 14 uur."}).status_code == 302
    # Only the organiser makes the minutes final.
    finalise = reverse("care:conference_finalise", args=[conference.pk])
    assert f.signed_in(care.users[P]).post(finalise).status_code == 403
    assert coordinator.post(finalise).status_code == 302
    conference.refresh_from_db()
    assert conference.state == "held" and conference.held_at is not None
    assert coordinator.post(item_minutes, {"minutes": "Gewijzigd."}).status_code == 403
    assert coordinator.post(minutes, {"minutes": "Gewijzigd."}).status_code == 403
    assert coordinator.post(finalise).status_code == 403
    assert _decide(care.other_professional, rosa, "advice") == 403
    assert (
        coordinator.get(
            reverse("care:conference_participant_add", args=[conference.pk])
        ).status_code
        == 403
    )
    item_new = reverse("care:conference_item_new", args=[conference.pk])
    assert f.signed_in(care.other_professional).get(item_new).status_code == 403
    rosa.refresh_from_db()
    conference.refresh_from_db()
    assert (
        rosa.minutes == "Schulden: wijkteam." and conference.minutes == "Volgende keer om 14 uur."
    )
    page = coordinator.get(
        reverse("care:conference_item", args=[conference.pk, rosa.pk])
    ).content.decode()
    assert "Schulden: wijkteam." in page
    assert reverse("care:conference_decision", args=[conference.pk, rosa.pk]) not in page
    with pytest.raises(conferences.ConferenceError):
        conferences.record_minutes(conference, "Toch nog iets.")


# --- The audit log -----------------------------------------------------------------------------


def test_every_page_writes_the_expected_entries(care: World) -> None:
    conference, rosa, olivia = _agenda(care)
    professional = f.signed_in(care.users[P])

    before = _head()
    professional.get(reverse("care:conferences"))
    [listed] = _new(before)
    assert (listed.action, listed.client_id, listed.detail) == ("read", None, "case conferences: 1")

    before = _head()
    professional.get(reverse("care:conference", args=[conference.pk]))
    page, named, anonymous = _new(before)
    assert (page.client_id, page.detail) == (None, f"case conference {conference.pk}")
    assert (named.client_id, named.categories) == (
        care.referred_consent.pk,
        "care_coordination,identity",
    )
    # Consent, but no treatment relationship: the referral is still requested (issue 14, 9).
    assert named.consent_present and not named.treatment_relationship
    assert (anonymous.client_id, anonymous.categories, anonymous.authorised) == (
        care.other.pk,
        "",
        True,
    )
    assert not anonymous.consent_present

    before = _head()
    professional.get(reverse("care:conference_item", args=[conference.pk, olivia.pk]))
    [item] = _new(before)
    assert (item.action, item.client_id, item.categories) == ("read", care.other.pk, "")

    before = _head()
    assert _decide(care.users[P], rosa, "advice", browser=professional) == 302
    [decided] = _new(before)
    assert (decided.action, decided.client_id, decided.categories) == (
        "create",
        care.referred_consent.pk,
        "care_coordination,identity",
    )

    midwife = f.signed_in(care.other_professional)
    before = _head()
    midwife.get(reverse("care:conference_item_new", args=[conference.pk]))
    events = _new(before)
    own = Client.objects.filter(owner_organisation=care.other_org).count()
    assert len(events) == 1 + own
    assert {e.client_id for e in events[1:]} == set(
        Client.objects.filter(owner_organisation=care.other_org).values_list("pk", flat=True)
    )

    before = _head()
    midwife.post(
        reverse("care:conference_decision", args=[conference.pk, olivia.pk]),
        {"kind": "task", "text": "Huisbezoek.", "category": "family"},
    )
    [task] = _new(before)
    assert (task.action, task.client_id, task.categories) == (
        "create",
        care.other.pk,
        "care_coordination,family,identity",
    )

    coordinator = f.signed_in(care.users[C])
    for url, detail in (
        (reverse("care:conference_minutes", args=[conference.pk]), "minutes"),
        (reverse("care:conference_finalise", args=[conference.pk]), "minutes final"),
    ):
        before = _head()
        coordinator.post(url, {"minutes": "Algemeen."})
        [entry] = _new(before)
        assert (entry.action, entry.detail) == (
            "update",
            f"case conference {conference.pk}: {detail}",
        )


def test_refusals_are_logged_as_not_authorised(care: World) -> None:
    conference, rosa, olivia = _agenda(care)
    gp = f.user(P, f.organisation("Huisartsen Oost", type=OrganisationType.GP))
    before = _head()
    assert f.signed_in(gp).get(reverse("care:conference", args=[conference.pk])).status_code == 404
    [denied] = _new(before)
    assert (denied.authorised, denied.client_id, denied.user_id) == (False, None, gp.pk)
    before = _head()
    assert (
        _decide(care.users[P], olivia, "referral", responsible_organisation=care.other_org.pk)
        == 403
    )
    [refused] = _new(before)
    assert (refused.authorised, refused.client_id, refused.action) == (
        False,
        care.other.pk,
        "create",
    )
    assert not ConferenceDecision.objects.filter(item__in=[rosa, olivia]).exists()


# --- Texts without identifying details ------------------------------------------------------


def test_a_case_description_naming_the_family_is_refused(care: World) -> None:
    conference = _conference(care)
    browser = f.signed_in(care.other_professional)
    url = reverse("care:conference_item_new", args=[conference.pk])
    data = {"client": care.other.pk, "summary": "Olivia is zwanger", "question": "Wie helpt?"}
    response = browser.post(url, data)
    assert response.status_code == 400 and not conference.items.exists()
    page = response.content.decode()
    assert "a name of the family" in page or "een naam uit het gezin" in page
    assert 'aria-invalid="true"' in page
    # Her date of birth (1 March 1995) and a BSN, also in the question.
    data = {"client": care.other.pk, "summary": "Geboren 01-03-1995.", "question": "BSN 111222333?"}
    response = browser.post(url, data)
    assert response.status_code == 400 and not conference.items.exists()
    errors = response.context["form"].errors
    assert set(errors) == {"summary", "question"}
    assert "1995" not in str(errors) and "111222333" not in str(errors)
    assert browser.post(url, {"client": care.other.pk, "summary": "Casus."}).status_code == 302


def test_minutes_and_decisions_are_checked_but_never_tell_a_name(care: World) -> None:
    conference, rosa, olivia = _agenda(care)
    organiser = f.signed_in(care.users[C])
    presenter = f.signed_in(care.other_professional)
    minutes = reverse("care:conference_item_minutes", args=[conference.pk, olivia.pk])
    # The presenter knows the family: its name is refused, nothing stored.
    assert presenter.post(minutes, {"minutes": "Olivia Jansen komt niet."}).status_code == 400
    olivia.refresh_from_db()
    assert olivia.minutes == ""
    # The organiser may not see who Olivia's family is: names are not checked for them (the
    # check would tell), the patterns every text is checked for are.
    assert organiser.post(minutes, {"minutes": "Bel 06-12345678."}).status_code == 400
    assert organiser.post(minutes, {"minutes": "Olivia, Jansen."}).status_code == 302
    olivia.refresh_from_db()
    assert olivia.minutes == "Olivia, Jansen."
    # Decisions: the midwife sees Rosa's family; its name in a decision is refused.
    assert _decide(care.other_professional, rosa, "advice", text="Rosa belt zelf.") == 400
    assert _decide(care.other_professional, rosa, "advice", text="Mail rosa@example.nl") == 400
    assert not ConferenceDecision.objects.exists()
    assert _decide(care.other_professional, rosa, "advice", text="Zij belt zelf.") == 302
    # General minutes: the organiser sees Rosa's family (consent for the coordinator role).
    general = reverse("care:conference_minutes", args=[conference.pk])
    assert organiser.post(general, {"minutes": "Rosa was er."}).status_code == 400
    assert organiser.post(general, {"minutes": "Postcode 1012 AB."}).status_code == 400
    conference.refresh_from_db()
    assert conference.minutes == ""
    assert organiser.post(general, {"minutes": "Volgende keer om 9 uur."}).status_code == 302

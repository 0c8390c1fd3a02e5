"""Consent is the only key to content (issue 14, item 3 and item 9): the care team, a referral,
the contact-person role and a case conference give access only within the family's recorded,
valid consent; only the organisation that owns the record sees every category."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.care import careplan, services
from kansrijk.web.care.access import Access
from kansrijk.web.care.models import CarePlanGoal, CareTeamMember, Client, Consent
from kansrijk.web.conferences import services as conferences
from kansrijk.web.referrals import services as referral_services
from tests.web import factories as f
from tests.web.care.builders import World, consent, family, refer

pytestmark = pytest.mark.django_db

MENTAL = "Somberheid sinds de miskraam, bij de POH-GGZ."
DEBTS = "Drie betalingsachterstanden, energie en huur."


@dataclass
class Case:
    """A midwife's family with a mental-health and a financial note, and a debt counsellor
    with consent for identity, care coordination and the financial category."""

    midwife: User
    client: Client
    debt_org: Organisation
    counsellor: User
    consent: Consent


@pytest.fixture
def case(care: World) -> Case:
    midwife = care.other_professional
    client = family(midwife, "Dina")
    services.add_note(client, midwife, "psychosocial", MENTAL)
    services.add_note(client, midwife, "financial", DEBTS)
    careplan.set_goal(client, midwife, "psychosocial", "Praatgroep na verlies")
    debt_org = f.organisation("Schuldhulp Centrum", type=OrganisationType.DEBT_COUNSELLING)
    counsellor = f.user(Role.PROFESSIONAL, debt_org)
    given = consent(client, midwife, ["identity", "care_coordination", "financial"], to=debt_org)
    return Case(midwife, client, debt_org, counsellor, given)


def _pages(client: Client) -> dict[str, str]:
    return {
        "client": reverse("care:client", args=[client.pk]),
        "timeline": reverse("care:timeline", args=[client.pk]),
        "care_plan": reverse("care:care_plan", args=[client.pk]),
        "record": reverse("care:record_export", args=[client.pk]),
        "api": reverse("care:api_client", args=[client.pk]),
    }


def _join(case: Case, **consent_fields: object) -> int:
    posted = {
        "team-organisation": case.debt_org.pk,
        "team-since": timezone.localdate().isoformat(),
        **{f"team-{k}": v for k, v in consent_fields.items()},
    }
    response = f.signed_in(case.midwife).post(
        reverse("care:team_join", args=[case.client.pk]), posted
    )
    return response.status_code


# --- Reproduction 3 ----------------------------------------------------------------------------


def test_reproduction_3_the_care_team_no_longer_overrides_a_withdrawal(case: Case) -> None:
    counsellor = f.signed_in(case.counsellor)
    assert MENTAL not in counsellor.get(_pages(case.client)["client"]).content.decode()
    withdraw = reverse("care:consent_withdraw", args=[case.client.pk, case.consent.pk])
    assert f.signed_in(case.midwife).post(withdraw).status_code == 302
    assert counsellor.get(_pages(case.client)["client"]).status_code == 404
    # Adding the organisation to the care team without a new consent is refused...
    assert _join(case) == 400
    assert not CareTeamMember.objects.filter(client=case.client, organisation=case.debt_org)
    # ...and a membership made some other way (old data, the admin) opens nothing either.
    CareTeamMember.objects.create(
        client=case.client, organisation=case.debt_org, since=timezone.localdate()
    )
    for name, url in _pages(case.client).items():
        assert counsellor.get(url).status_code == 404, name
    assert not Access.for_user(case.counsellor).visible_clients().filter(pk=case.client.pk)
    assert Access.for_user(case.counsellor).count_visible() == 0


def test_joining_with_a_new_consent_shows_only_its_categories(case: Case) -> None:
    services.withdraw_consent(case.consent, case.midwife)
    status = _join(
        case,
        consent_categories=["identity", "financial"],
        consent_purpose="Schuldhulp",
        consent_method="verbal",
    )
    assert status == 302
    counsellor = f.signed_in(case.counsellor)
    pages = _pages(case.client)
    overview = counsellor.get(pages["client"]).content.decode()
    assert DEBTS in overview and MENTAL not in overview
    timeline = counsellor.get(pages["timeline"]).content.decode()
    assert MENTAL not in timeline
    plan = counsellor.get(pages["care_plan"]).content.decode()
    assert "Praatgroep" not in plan
    record = json.loads(counsellor.get(pages["record"]).content)
    assert MENTAL not in json.dumps(record, ensure_ascii=False)
    assert "psychosocial" in {c["code"] for c in record["categories_not_included"]}
    api = counsellor.get(pages["api"]).content.decode()
    assert MENTAL not in api and "Dina" in api
    grant = Access.for_user(case.counsellor).grant(case.client)
    assert grant.categories == {"identity", "financial"} and grant.team and grant.own


def test_the_owning_organisation_keeps_every_category(case: Case) -> None:
    services.withdraw_consent(case.consent, case.midwife)
    grant = Access.for_user(case.midwife).grant(case.client)
    assert grant.owner and grant.treatment_relationship
    assert MENTAL in f.signed_in(case.midwife).get(_pages(case.client)["client"]).content.decode()


def test_an_expired_consent_ends_the_care_team_members_access(case: Case) -> None:
    services.withdraw_consent(case.consent, case.midwife)
    careplan.join_team(
        case.client,
        case.debt_org,
        timezone.localdate(),
        by=case.midwife,
        consent=careplan.ConsentTerms(
            ["identity", "financial"], "Schuldhulp", "written", timezone.localdate()
        ),
    )
    now = timezone.now()
    assert Access.for_user(case.counsellor, now).grant(case.client).visible
    later = Access.for_user(case.counsellor, now + timedelta(days=2))
    assert not later.grant(case.client).visible
    assert not later.visible_clients().filter(pk=case.client.pk).exists()
    # The membership itself still runs: only the consent has ended.
    assert CareTeamMember.objects.filter(client=case.client, organisation=case.debt_org).exists()


def test_a_role_consent_does_not_count_for_another_role(case: Case) -> None:
    services.withdraw_consent(case.consent, case.midwife)
    consent(case.client, case.midwife, ["identity"], to=case.debt_org, role=Role.COORDINATOR)
    assert _join(case) == 400  # professionals of the organisation would still see nothing


# --- Item 9: a requested referral is no treatment relationship -------------------------------


def test_a_requested_referral_reads_within_consent_but_does_not_treat(care: World) -> None:
    midwife, receiver = care.other_professional, care.users[Role.PROFESSIONAL]
    target = family(midwife, "Ilse")
    consent(target, midwife, ["identity", "family", "care_coordination"], to=care.own_org)
    referral = refer(target, midwife, care.own_org)
    browser = f.signed_in(receiver)
    assert browser.get(reverse("care:client", args=[target.pk])).status_code == 200
    grant = Access.for_user(receiver).grant(target)
    assert grant.visible and grant.referred and not grant.treatment_relationship
    debt = f.organisation("Schuldhulp Zuid", type=OrganisationType.DEBT_COUNSELLING)
    refused = {
        "refer onward": browser.get(reverse("care:referral_new", args=[target.pk])),
        "note": browser.post(
            reverse("care:add_note", args=[target.pk]), {"category": "family", "text": "Bezoek"}
        ),
        "goal": browser.post(
            reverse("care:goal_new", args=[target.pk]),
            {"goal-category": "family", "goal-text": "Rust"},
        ),
        "team": browser.post(
            reverse("care:team_join", args=[target.pk]),
            {"team-organisation": debt.pk, "team-since": timezone.localdate().isoformat()},
        ),
    }
    assert {name: r.status_code for name, r in refused.items()} == dict.fromkeys(refused, 403)
    assert not CarePlanGoal.objects.filter(client=target).exists()
    # Accepted, the district team treats the family: it may refer onward and write notes.
    referral_services.transition(referral, "accept", receiver, referral.version)
    assert Access.for_user(receiver).grant(target).treatment_relationship
    assert browser.get(reverse("care:referral_new", args=[target.pk])).status_code == 200
    note = browser.post(
        reverse("care:add_note", args=[target.pk]), {"category": "family", "text": "Bezoek"}
    )
    assert note.status_code == 302
    # Still within consent: no category beyond it.
    assert Access.for_user(receiver).grant(target).categories == {
        "identity",
        "family",
        "care_coordination",
    }


# --- The contact person -----------------------------------------------------------------------


def test_the_contact_person_is_handed_only_to_someone_within_consent(case: Case) -> None:
    services.withdraw_consent(case.consent, case.midwife)
    CareTeamMember.objects.create(
        client=case.client, organisation=case.debt_org, since=timezone.localdate()
    )
    url = reverse("care:hand_over", args=[case.client.pk])
    midwife = f.signed_in(case.midwife)
    assert midwife.post(url, {"to": case.counsellor.pk}).status_code == 400
    assert case.counsellor not in services.contact_person_candidates(case.client)
    consent(case.client, case.midwife, ["identity", "care_coordination"], to=case.debt_org)
    assert case.counsellor in services.contact_person_candidates(case.client)
    assert midwife.post(url, {"to": case.counsellor.pk}).status_code == 302
    # The contact person role adds nothing beyond the consent.
    grant = Access.for_user(case.counsellor).grant(case.client)
    assert grant.categories == {"identity", "care_coordination"}
    page = f.signed_in(case.counsellor).get(reverse("care:client", args=[case.client.pk]))
    assert DEBTS not in page.content.decode() and MENTAL not in page.content.decode()


# --- Case conferences -------------------------------------------------------------------------


def test_a_care_team_participant_without_consent_sees_the_case_anonymously(case: Case) -> None:
    services.withdraw_consent(case.consent, case.midwife)
    CareTeamMember.objects.create(
        client=case.client, organisation=case.debt_org, since=timezone.localdate()
    )
    conference = conferences.create_conference(
        case.midwife,
        title="Overleg zuid",
        starts_at=timezone.now() + timedelta(days=1),
        municipality_code="GM0363",
    )
    conferences.add_participant(conference, case.counsellor)
    item = conferences.add_item(
        conference, case.midwife, summary="Zwangere met zorgen.", client=case.client
    )
    assert item.anonymous and item.consent_check[str(case.counsellor.pk)] is False
    counsellor = f.signed_in(case.counsellor)
    for url in (
        reverse("care:conference", args=[conference.pk]),
        reverse("care:conference_item", args=[conference.pk, item.pk]),
    ):
        page = counsellor.get(url)
        assert page.status_code == 200
        assert "Dina" not in page.content.decode() and MENTAL not in page.content.decode()
    # Nor can the counsellor turn the meeting into content: no decision on the family.
    with pytest.raises(conferences.DecisionRefusedError):
        conferences.record_decision(
            item, case.counsellor, conferences.DecisionInput("goal", "Budgetcursus", "financial")
        )


def test_decisions_outside_the_viewers_consent_are_not_shown_with_the_name(case: Case) -> None:
    CareTeamMember.objects.create(
        client=case.client, organisation=case.debt_org, since=timezone.localdate()
    )
    conference = conferences.create_conference(
        case.midwife,
        title="Overleg oost",
        starts_at=timezone.now() + timedelta(days=1),
        municipality_code="GM0363",
    )
    conferences.add_participant(conference, case.counsellor)
    item = conferences.add_item(
        conference, case.midwife, summary="Zwangere met zorgen.", client=case.client
    )
    assert not item.anonymous  # identity and care coordination are consented
    for text, category in (("Therapie bij de POH", "psychosocial"), ("Budgetplan", "financial")):
        conferences.record_decision(
            item, case.midwife, conferences.DecisionInput("goal", text, category)
        )
    counsellor, midwife = f.signed_in(case.counsellor), f.signed_in(case.midwife)
    for url in (
        reverse("care:conference", args=[conference.pk]),
        reverse("care:conference_item", args=[conference.pk, item.pk]),
    ):
        page = counsellor.get(url).content.decode()
        assert "Dina" in page and "Budgetplan" in page
        assert "Therapie bij de POH" not in page
        assert "Therapie bij de POH" in midwife.get(url).content.decode()
    # The family's timeline and record download show decisions under the same rule.
    for url in (
        reverse("care:timeline", args=[case.client.pk]),
        reverse("care:record_export", args=[case.client.pk]),
    ):
        page = counsellor.get(url).content.decode()
        assert "Budgetplan" in page, url
        assert "Therapie bij de POH" not in page, url
        assert "Therapie bij de POH" in midwife.get(url).content.decode(), url


def test_a_team_member_cannot_record_a_consent_for_itself(case: Case) -> None:
    """A care team member inside consent may record a family's consent for another
    organisation, never one that widens its own access (a self-grant): not for its own
    organisation, not for everyone, not for its own role."""
    assert _join(case) == 302  # the counsellor's organisation joins within its consent
    counsellor = f.signed_in(case.counsellor)
    url = reverse("care:consent_new", args=[case.client.pk])
    base = {
        "categories": ["identity", "care_coordination", "psychosocial"],
        "purpose": "Schuldhulp en steun",
        "valid_from": timezone.localdate().isoformat(),
        "method": "verbal",
    }
    before = Consent.objects.count()
    for recipient in (
        {"recipient_role": Role.PROFESSIONAL.value},
        {"recipient_organisation": case.debt_org.pk},
        {"recipient_organisation": case.debt_org.pk, "recipient_role": Role.PROFESSIONAL.value},
    ):
        response = counsellor.post(url, {**base, **recipient})
        assert response.status_code in (400, 403), recipient
    assert Consent.objects.count() == before
    grant = Access(case.counsellor).grant(case.client)
    assert not grant.may("psychosocial")

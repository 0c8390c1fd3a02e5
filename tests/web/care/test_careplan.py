"""Care plan (goals, tasks) and care team pages: who may change them, the data categories they
are filed under, and the care team as the source of a treatment relationship."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.care import careplan, services
from kansrijk.web.care.access import Access
from kansrijk.web.care.models import CarePlanGoal, CareTeamMember, Consent, Task
from kansrijk.web.referrals import services as referral_services
from tests.web import factories as f
from tests.web.care.builders import World

pytestmark = pytest.mark.django_db


def test_goal_lifecycle_through_the_pages(care: World) -> None:
    professional = care.users[Role.PROFESSIONAL]
    browser = f.signed_in(professional)
    client = care.own
    response = browser.post(
        reverse("care:goal_new", args=[client.pk]),
        {"goal-category": "financial", "goal-text": "Vaste lasten betaald", "goal-target_date": ""},
    )
    assert response.status_code == 302
    goal = CarePlanGoal.objects.get(client=client)
    assert (goal.status, goal.category, goal.organisation) == ("open", "financial", care.own_org)
    url = reverse("care:goal_close", args=[client.pk, goal.pk])
    assert browser.post(url, {"status": "achieved"}).status_code == 302
    goal.refresh_from_db()
    assert goal.status == "achieved" and goal.closed_at is not None
    assert browser.post(url, {"status": "dropped"}).status_code == 409  # closed stays closed
    page = browser.get(reverse("care:care_plan", args=[client.pk])).content.decode()
    assert "Vaste lasten betaald" in page


def test_a_goal_needs_a_category_the_viewer_may_see(care: World) -> None:
    # The district team sees Rosa with consent for identity, family and care coordination, and
    # treats her once it accepted the referral.
    referral = care.referred_consent.referrals.get()
    referral_services.transition(
        referral, "accept", care.users[Role.PROFESSIONAL], referral.version
    )
    browser = f.signed_in(care.users[Role.PROFESSIONAL])
    response = browser.post(
        reverse("care:goal_new", args=[care.referred_consent.pk]),
        {"goal-category": "medical", "goal-text": "Bloeddruk"},
    )
    assert response.status_code == 400
    assert not CarePlanGoal.objects.filter(client=care.referred_consent).exists()


def test_tasks_are_completed_by_their_organisation_only(care: World) -> None:
    professional = care.users[Role.PROFESSIONAL]
    task = careplan.create_task(
        care.referred_consent, care.other_professional, "family", "Kraamzorg", care.other_org
    )
    url = reverse("care:task_done", args=[care.referred_consent.pk, task.pk])
    assert f.signed_in(professional).post(url).status_code == 403
    assert f.signed_in(care.other_professional).post(url).status_code == 302
    task.refresh_from_db()
    assert task.completed_at is not None
    assert f.signed_in(care.other_professional).post(url).status_code == 409


def test_hidden_categories_stay_hidden_on_the_plan(care: World) -> None:
    careplan.set_goal(care.referred_consent, care.other_professional, "medical", "Geheim doel")
    careplan.create_task(
        care.referred_consent, care.other_professional, "medical", "Geheime taak", care.other_org
    )
    page = f.signed_in(care.users[Role.PROFESSIONAL]).get(
        reverse("care:care_plan", args=[care.referred_consent.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Geheim doel" not in text and "Geheime taak" not in text


def test_the_care_team_gives_and_ends_a_treatment_relationship(care: World) -> None:
    """Joining asks for the family's consent and records it in the same step; the member then
    sees only the consented categories (before issue 14 it saw every category)."""
    jgz = f.organisation("JGZ Centrum", type=OrganisationType.JGZ)
    nurse = f.user(Role.PROFESSIONAL, jgz)
    client = care.own
    assert not Access.for_user(nurse).visible_clients().filter(pk=client.pk).exists()
    browser = f.signed_in(care.users[Role.PROFESSIONAL])
    url = reverse("care:team_join", args=[client.pk])
    refused = browser.post(url, {"team-organisation": jgz.pk, "team-since": "2020-01-01"})
    assert refused.status_code == 400  # no consent for the JGZ: asked for, nothing stored
    assert list(refused.context["team_form"].errors) == ["consent_categories"]
    assert not CareTeamMember.objects.filter(client=client, organisation=jgz).exists()
    join = browser.post(
        url,
        {
            "team-organisation": jgz.pk,
            "team-since": "2020-01-01",
            "team-consent_categories": ["identity", "care_coordination", "parenting"],
            "team-consent_purpose": "Kraamzorg en opvoedsteun afstemmen",
            "team-consent_method": "written",
        },
    )
    assert join.status_code == 302
    consent = Consent.objects.get(client=client, recipient_organisation=jgz)
    assert consent.category_values == ["care_coordination", "identity", "parenting"]
    assert consent.method == "written" and consent.recorded_by == care.users[Role.PROFESSIONAL]
    grant = Access.for_user(nurse).grant(client)
    assert grant.own and grant.team and not grant.owner and grant.treatment_relationship
    assert grant.categories == {"identity", "care_coordination", "parenting"}
    again = browser.post(
        reverse("care:team_join", args=[client.pk]),
        {"team-organisation": jgz.pk, "team-since": "2021-01-01"},
    )
    assert again.status_code == 400  # already a member
    member = CareTeamMember.objects.get(client=client, organisation=jgz)
    assert browser.post(reverse("care:team_leave", args=[client.pk, member.pk])).status_code == 302
    assert not Access.for_user(nurse).visible_clients().filter(pk=client.pk).exists()


def test_joining_with_an_existing_consent_records_no_new_one(care: World) -> None:
    jgz = f.organisation("JGZ Zuid", type=OrganisationType.JGZ)
    owner = care.users[Role.PROFESSIONAL]
    services.record_consent(
        care.own,
        owner,
        categories=["identity", "medical"],
        purpose="Zorg na de bevalling",
        valid_from=timezone.localdate(),
        method="verbal",
        recipient_organisation=jgz,
    )
    response = f.signed_in(owner).post(
        reverse("care:team_join", args=[care.own.pk]),
        {"team-organisation": jgz.pk, "team-since": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert Consent.objects.filter(client=care.own, recipient_organisation=jgz).count() == 1
    grant = Access.for_user(f.user(Role.PROFESSIONAL, jgz)).grant(care.own)
    assert grant.categories == {"identity", "medical"}


@pytest.mark.parametrize(
    ("posted", "field"),
    [
        ({"team-consent_categories": ["medical"]}, "consent_categories"),  # no identity
        (
            {"team-consent_categories": ["identity"], "team-consent_method": "written"},
            "consent_purpose",
        ),
        (
            {"team-consent_categories": ["identity"], "team-consent_purpose": "Zorg"},
            "consent_method",
        ),
    ],
)
def test_an_incomplete_consent_is_refused_with_the_field_marked(
    care: World, posted: dict[str, object], field: str
) -> None:
    jgz = f.organisation("JGZ West", type=OrganisationType.JGZ)
    response = f.signed_in(care.users[Role.PROFESSIONAL]).post(
        reverse("care:team_join", args=[care.own.pk]),
        {"team-organisation": jgz.pk, "team-since": "2024-01-01", **posted},
    )
    assert response.status_code == 400
    assert field in response.context["team_form"].errors
    assert not CareTeamMember.objects.filter(organisation=jgz).exists()
    assert not Consent.objects.filter(recipient_organisation=jgz).exists()


def test_only_the_owning_side_manages_the_team(care: World) -> None:
    # The district team sees Rosa by referral with consent: no care team changes.
    response = f.signed_in(care.users[Role.PROFESSIONAL]).post(
        reverse("care:team_join", args=[care.referred_consent.pk]),
        {"team-organisation": care.own_org.pk, "team-since": "2024-01-01"},
    )
    assert response.status_code == 403
    assert not Task.objects.exists()

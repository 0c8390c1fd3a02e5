"""Signals: the screening instrument through the form (scored, stored, validated), the result
page with the proposed client routes, referrals started from a proposed route (route code, step
and deadline), data categories that hide a signal, and the audit entries of each page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kansrijk.coordination import routes
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.referrals.models import Referral, Signal
from tests.web import factories as f
from tests.web.care.builders import CALM, DEBTS, World, signal

pytestmark = pytest.mark.django_db

ALL_ANSWERED = "education,family,financial,lifestyle,medical,parenting,psychosocial"


def _since(before: int) -> list[tuple[str, int | None, str, str, bool]]:
    return [
        (e.action, e.client_id, e.categories, e.detail, e.authorised)
        for e in AuditEvent.objects.filter(sequence__gt=before)
    ]


def _last() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def test_the_form_shows_the_instrument_grouped_by_domain(care: World) -> None:
    before = _last()
    response = f.signed_in(care.users[Role.PROFESSIONAL]).get(
        reverse("care:signal_new", args=[care.own.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    # Eight domains and 33 items, each a fieldset with a legend; every option has a label.
    assert page.count("<legend") == 8 + 33
    assert "Gezinssituatie" in page and "Werk en inkomen" in page
    assert 'for="id_fam_teenage_0"' in page
    assert _since(before) == [("read", care.own.pk, "identity", "care:signal_new", True)]


def test_scoring_end_to_end_through_the_form(care: World) -> None:
    professional = care.users[Role.PROFESSIONAL]
    before = _last()
    response = f.signed_in(professional).post(reverse("care:signal_new", args=[care.own.pk]), DEBTS)
    found = Signal.objects.get(client=care.own)
    assert response.status_code == 302
    assert response["Location"] == reverse("care:signal", args=[care.own.pk, found.pk])
    assert (found.instrument_code, found.instrument_version) == ("kansrijk_basis", 1)
    assert found.total_score == 8 and found.above_threshold
    assert found.domain_scores["work_income"] == 8 and found.domain_scores["family"] == 0
    assert found.flags == ["debts"] and found.proposed_routes == ["pregnant_debts"]
    assert found.answers["inc_debts"] is True and found.answers["inc_shortage"] == 3
    assert found.answers["prev_children"] == "none"
    assert (found.recorded_by, found.organisation) == (professional, care.own_org)
    assert ",".join(found.categories) == ALL_ANSWERED
    assert _since(before) == [
        (
            "create",
            care.own.pk,
            ",".join(sorted(["identity", *found.categories])),
            f"signal {found.pk} created",
            True,
        )
    ]


def test_the_result_page_shows_score_flags_and_proposed_routes(care: World) -> None:
    found = signal(care.own, care.users[Role.PROFESSIONAL])
    before = _last()
    response = f.signed_in(care.users[Role.PROFESSIONAL]).get(
        reverse("care:signal", args=[care.own.pk, found.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    route = routes.route("pregnant_debts")
    assert route.title_nl in page
    assert "Schuldhulpverlening" in page and "Wijkteam" in page  # the steps' partner types
    assert "5 werkdagen" in page and "10 werkdagen" in page  # their response times
    assert "Schulden of geldzorgen" in page  # the flag
    refer = reverse("care:signal_refer", args=[care.own.pk, found.pk, "pregnant_debts", 1])
    assert refer in page
    categories = ",".join(sorted(["identity", *found.categories]))
    assert _since(before) == [
        ("read", care.own.pk, categories, f"signal {found.pk}", True),
    ]


def test_below_the_threshold_no_route_is_proposed(care: World) -> None:
    response = f.signed_in(care.users[Role.PROFESSIONAL]).post(
        reverse("care:signal_new", args=[care.own.pk]), {**CALM, "fam_support": "yes"}
    )
    assert response.status_code == 302
    found = Signal.objects.get(client=care.own)
    assert (found.total_score, found.above_threshold, found.flags) == (2, False, [])
    assert found.proposed_routes == []
    page = f.signed_in(care.users[Role.PROFESSIONAL]).get(response["Location"])
    assert "pregnant_debts" not in page.content.decode()


def test_an_urgent_answer_proposes_a_route_below_the_threshold(care: World) -> None:
    f.signed_in(care.users[Role.PROFESSIONAL]).post(
        reverse("care:signal_new", args=[care.own.pk]), {**CALM, "men_self_harm": "yes"}
    )
    found = Signal.objects.get(client=care.own)
    assert not found.above_threshold and found.proposed_routes == ["psychological_problems"]


def test_validation_errors_per_item(care: World) -> None:
    answers = {**DEBTS, "inc_shortage": "7"}
    del answers["fam_teenage"]
    before = _last()
    response = f.signed_in(care.users[Role.PROFESSIONAL]).post(
        reverse("care:signal_new", args=[care.own.pk]), answers
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"fam_teenage", "inc_shortage"}
    page = response.content.decode()
    assert 'id="id_fam_teenage_error"' in page and 'id="id_inc_shortage_error"' in page
    assert not Signal.objects.filter(client=care.own).exists()
    assert _since(before) == [("read", care.own.pk, "identity", "care:signal_new", True)]


def test_starting_a_referral_from_a_proposed_route(care: World) -> None:
    professional = care.users[Role.PROFESSIONAL]
    debt = f.organisation("Schuldhulp Zuid", type=OrganisationType.DEBT_COUNSELLING)
    found = signal(care.own, professional)
    url = reverse("care:signal_refer", args=[care.own.pk, found.pk, "pregnant_debts", 1])
    client = f.signed_in(professional)
    form_page = client.get(url)
    assert form_page.status_code == 200
    # Only organisations of the step's partner type are offered.
    offered = set(form_page.context["form"].fields["to_organisation"].queryset)
    assert debt in offered and care.other_org not in offered
    before = _last()
    response = client.post(url, {"to_organisation": debt.pk, "reason": "Schulden, zie signaal."})
    referral = Referral.objects.get(client=care.own, to_organisation=debt)
    assert response.status_code == 302
    assert response["Location"] == reverse("care:referral", args=[referral.pk])
    step = routes.route("pregnant_debts").step(1)
    assert (referral.route_code, referral.route_step, referral.category) == (
        "pregnant_debts",
        "1",
        "financial",
    )
    assert referral.deadline == routes.deadline(timezone.localdate(), step)
    assert (referral.state, referral.from_organisation) == ("requested", care.own_org)
    assert _since(before) == [
        (
            "create",
            care.own.pk,
            "care_coordination,financial,identity",
            f"referral {referral.pk} created from signal {found.pk}",
            True,
        )
    ]


def test_a_referral_goes_to_the_steps_partner_type(care: World) -> None:
    found = signal(care.own, care.users[Role.PROFESSIONAL])
    url = reverse("care:signal_refer", args=[care.own.pk, found.pk, "pregnant_debts", 1])
    response = f.signed_in(care.users[Role.PROFESSIONAL]).post(
        url, {"to_organisation": care.other_org.pk, "reason": "Schulden."}
    )
    assert response.status_code == 400
    assert "to_organisation" in response.context["form"].errors
    assert not Referral.objects.filter(client=care.own).exists()


@pytest.mark.parametrize(("route_code", "step"), [("substance_use", 1), ("pregnant_debts", 9)])
def test_a_route_or_step_the_signal_did_not_propose_is_404(
    care: World, route_code: str, step: int
) -> None:
    found = signal(care.own, care.users[Role.PROFESSIONAL])
    before = _last()
    response = f.signed_in(care.users[Role.PROFESSIONAL]).get(
        reverse("care:signal_refer", args=[care.own.pk, found.pk, route_code, step])
    )
    assert response.status_code == 404
    assert [(c, ok) for _a, c, _cat, _d, ok in _since(before)] == [(care.own.pk, False)]


def test_a_signal_is_hidden_without_all_its_categories(care: World) -> None:
    """The referred professional's consent covers identity, family and care coordination, not
    the other categories of the answers: the signal does not exist for them."""
    found = signal(care.referred_consent, care.other_professional)
    professional = f.signed_in(care.users[Role.PROFESSIONAL])
    response = professional.get(reverse("care:signal", args=[care.referred_consent.pk, found.pk]))
    assert response.status_code == 404
    page = professional.get(reverse("care:client", args=[care.referred_consent.pk]))
    assert page.status_code == 200
    assert reverse("care:signal", args=[care.referred_consent.pk, found.pk]) not in (
        page.content.decode()
    )
    # The organisation that recorded it sees it.
    owner = f.signed_in(care.other_professional)
    assert (
        owner.get(reverse("care:signal", args=[care.referred_consent.pk, found.pk])).status_code
        == 200
    )


def test_the_client_page_links_the_signals(care: World) -> None:
    found = signal(care.own, care.users[Role.PROFESSIONAL])
    before = _last()
    url = reverse("care:client", args=[care.own.pk])
    page = f.signed_in(care.users[Role.PROFESSIONAL]).get(url)
    html = page.content.decode()
    assert reverse("care:signal_new", args=[care.own.pk]) in html
    assert reverse("care:signal", args=[care.own.pk, found.pk]) in html
    [entry] = _since(before)
    assert set(found.categories) <= set(entry[2].split(","))


def test_a_signal_of_another_client_is_404(care: World) -> None:
    found = signal(care.own, care.users[Role.PROFESSIONAL])
    other = care.referred_consent
    response = f.signed_in(care.users[Role.PROFESSIONAL]).get(
        reverse("care:signal", args=[other.pk, found.pk])
    )
    assert response.status_code == 404

"""Referrals through the pages: the workflow of the core, an owner in every state, deadlines
from the route, overdue lists, and optimistic locking (a stale form gets 409, nothing
changes)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kansrijk.coordination import routes
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.referrals.models import Referral, ReferralEvent
from tests.web import factories as f
from tests.web.care.builders import World

pytestmark = pytest.mark.django_db


def _referral(care: World) -> Referral:
    return care.referred_consent.referrals.get()


def _act(care: World, referral: Referral, action: str, user: object = None, **data: object) -> int:
    who = user or care.users[Role.PROFESSIONAL]
    response = f.signed_in(who).post(  # type: ignore[arg-type]
        reverse("care:referral_action", args=[referral.pk, action]),
        {"version": referral.version, **data},
    )
    return response.status_code


def test_the_whole_route_with_an_owner_in_every_state(care: World) -> None:
    referral = _referral(care)
    professional = care.users[Role.PROFESSIONAL]
    assert (referral.state, referral.owner_user, referral.owner_organisation) == (
        "requested",
        care.other_professional,
        care.other_org,
    )
    assert _act(care, referral, "accept") == 302
    referral.refresh_from_db()
    assert (referral.state, referral.owner_user, referral.owner_organisation) == (
        "accepted",
        professional,
        care.own_org,
    )
    assert _act(care, referral, "start") == 302
    referral.refresh_from_db()
    assert referral.state == "in_progress" and referral.owner_user == professional
    assert _act(care, referral, "complete") == 302
    referral.refresh_from_db()
    assert (referral.state, referral.owner_user, referral.owner_organisation) == (
        "completed",
        care.other_professional,
        care.other_org,
    )
    assert list(
        ReferralEvent.objects.filter(referral=referral).values_list("to_state", "version")
    ) == [("requested", 1), ("accepted", 2), ("in_progress", 3), ("completed", 4)]


def test_reject_needs_a_reason_and_keeps_it(care: World) -> None:
    referral = _referral(care)
    assert _act(care, referral, "reject") == 400
    referral.refresh_from_db()
    assert referral.state == "requested" and referral.version == 1
    assert _act(care, referral, "reject", reason="Geen capaciteit deze maand.") == 302
    referral.refresh_from_db()
    assert (
        referral.state == "rejected" and referral.decision_reason == "Geen capaciteit deze maand."
    )
    assert referral.owner_organisation == care.other_org


def test_sender_cancels_receiver_may_not_accept_twice(care: World) -> None:
    referral = _referral(care)
    # The sender may not accept its own referral; the receiver may not cancel a request.
    assert _act(care, referral, "accept", user=care.other_professional) == 403
    assert _act(care, referral, "cancel", reason="x") == 403
    assert _act(care, referral, "cancel", user=care.other_professional, reason="Verhuisd.") == 302
    referral.refresh_from_db()
    assert referral.state == "cancelled"
    assert _act(care, referral, "accept") == 403


def test_a_stale_form_gets_409_and_changes_nothing(care: World) -> None:
    """Two people open the same referral (version 1); the first to submit wins."""
    referral = _referral(care)
    colleague = f.user(Role.PROFESSIONAL, care.own_org)
    first = f.signed_in(care.users[Role.PROFESSIONAL])
    second = f.signed_in(colleague)
    url = reverse("care:referral_action", args=[referral.pk, "accept"])
    assert first.post(url, {"version": 1}).status_code == 302
    reject = reverse("care:referral_action", args=[referral.pk, "reject"])
    answer = second.post(reject, {"version": 1, "reason": "Past niet bij ons aanbod."})
    assert answer.status_code == 409
    assert "someone else changed this referral" in answer.content.decode() or (
        "iemand anders" in answer.content.decode()
    )
    referral.refresh_from_db()
    assert (referral.state, referral.version, referral.decision_reason) == ("accepted", 2, "")
    assert referral.owner_user == care.users[Role.PROFESSIONAL]
    assert ReferralEvent.objects.filter(referral=referral).count() == 2


def test_the_conditional_update_refuses_a_concurrent_writer(care: World) -> None:
    """The race the page check cannot see: both read version 1, the row moved on meanwhile."""
    from kansrijk.web.referrals import services as referral_services

    referral = _referral(care)
    stale_copy = Referral.objects.get(pk=referral.pk)
    referral_services.transition(referral, "accept", care.users[Role.PROFESSIONAL], 1)
    colleague = f.user(Role.PROFESSIONAL, care.own_org)
    with pytest.raises(referral_services.StaleVersionError):
        referral_services.transition(stale_copy, "reject", colleague, 1, "Te laat.")
    referral.refresh_from_db()
    assert referral.state == "accepted" and referral.version == 2


def test_deadline_comes_from_the_route(care: World) -> None:
    referral = _referral(care)
    step = routes.route("pregnant_debts").step(2)
    assert referral.category == step.shares.value == "family"
    # The working days count from the Dutch date: created_at is UTC, and from 23:00 (22:00
    # in summer) its UTC date is the day before (CI caught it at 23:05).
    assert referral.deadline == routes.deadline(timezone.localdate(referral.created_at), step)


def _overdue(care: World) -> Referral:
    referral = _referral(care)
    Referral.objects.filter(pk=referral.pk).update(deadline=date.today() - timedelta(days=1))
    referral.refresh_from_db()
    return referral


@pytest.mark.parametrize(
    "who", ["sender", "receiver", "coordinator"], ids=["sender", "receiver", "coordinator"]
)
def test_overdue_referrals_are_listed_for_sender_receiver_and_coordinator(
    care: World, who: str
) -> None:
    referral = _overdue(care)
    user = {
        "sender": care.other_professional,
        "receiver": care.users[Role.PROFESSIONAL],
        "coordinator": care.users[Role.COORDINATOR],
    }[who]
    response = f.signed_in(user).get(reverse("care:referrals"), {"show": "overdue"})
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("care:referral", args=[referral.pk]) in page
    assert "overdue" in page or "te laat" in page
    others = {r.pk for r in Referral.objects.exclude(pk=referral.pk)}
    assert not any(reverse("care:referral", args=[pk]) in page for pk in others)


def test_an_organisation_outside_the_referral_does_not_see_it(care: World) -> None:
    _overdue(care)
    outsider = f.user(Role.PROFESSIONAL, f.organisation(type=OrganisationType.GP))
    page = f.signed_in(outsider).get(reverse("care:referrals"), {"show": "all"}).content.decode()
    assert "Rosa" not in page and "Zwanger met schulden" not in page


def test_started_referrals_are_not_overdue(care: World) -> None:
    referral = _referral(care)
    _act(care, referral, "accept")
    referral.refresh_from_db()
    _act(care, referral, "start")
    Referral.objects.filter(pk=referral.pk).update(
        deadline=timezone.localdate() - timedelta(days=3)
    )
    page = (
        f.signed_in(care.other_professional)
        .get(reverse("care:referrals"), {"show": "overdue"})
        .content.decode()
    )
    assert reverse("care:referral", args=[referral.pk]) not in page


def test_referring_from_the_client_page(care: World) -> None:
    debt = f.organisation("Schuldhulp West", type=OrganisationType.DEBT_COUNSELLING)
    client = f.signed_in(care.users[Role.PROFESSIONAL])
    wrong_kind = client.post(
        reverse("care:referral_new", args=[care.own.pk]),
        {"step": "pregnant_debts:1", "to_organisation": care.other_org.pk, "reason": "Schulden"},
    )
    assert wrong_kind.status_code == 400
    response = client.post(
        reverse("care:referral_new", args=[care.own.pk]),
        {"step": "pregnant_debts:1", "to_organisation": debt.pk, "reason": "Schulden"},
    )
    assert response.status_code == 302
    referral = care.own.referrals.get()
    assert (referral.route_code, referral.route_step, referral.category) == (
        "pregnant_debts",
        "1",
        "financial",
    )
    assert referral.from_organisation == care.own_org and referral.to_organisation == debt

"""Handing a referral to a colleague: only the owning side, only to a colleague of the same
organisation, at the version shown (a stale form answers 409 and changes nothing)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.referrals.models import Referral, ReferralEvent
from tests.web import factories as f
from tests.web.care.builders import World

pytestmark = pytest.mark.django_db


def _referral(care: World) -> Referral:
    return care.referred_consent.referrals.get()


def test_the_sender_hands_a_requested_referral_to_a_colleague(care: World) -> None:
    referral = _referral(care)  # requested: owned by the sender (the midwife)
    colleague = f.user(Role.PROFESSIONAL, care.other_org, first_name="Vera")
    browser = f.signed_in(care.other_professional)
    url = reverse("care:referral_reassign", args=[referral.pk])
    assert browser.get(url).status_code == 200
    before = AuditEvent.objects.count()
    response = browser.post(url, {"version": 1, "to": colleague.pk, "reason": "Vakantie"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.owner_user, referral.sender_owner, referral.version) == (
        colleague,
        colleague,
        2,
    )
    event = ReferralEvent.objects.get(referral=referral, action="reassign")
    assert (event.reason, event.from_state, event.to_state) == (
        "Vakantie",
        "requested",
        "requested",
    )
    assert AuditEvent.objects.count() == before + 1
    # The old form (version 1) is stale now.
    stale = browser.post(url, {"version": 1, "to": care.other_professional.pk})
    assert stale.status_code == 409
    referral.refresh_from_db()
    assert referral.owner_user == colleague


def test_the_receiver_may_not_reassign_before_accepting(care: World) -> None:
    referral = _referral(care)
    url = reverse("care:referral_reassign", args=[referral.pk])
    assert f.signed_in(care.users[Role.PROFESSIONAL]).get(url).status_code == 403


def test_only_a_colleague_of_the_same_organisation(care: World) -> None:
    referral = _referral(care)
    url = reverse("care:referral_reassign", args=[referral.pk])
    outsider = care.users[Role.PROFESSIONAL]
    response = f.signed_in(care.other_professional).post(url, {"version": 1, "to": outsider.pk})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.version == 1


def test_a_stranger_does_not_see_the_referral(care: World) -> None:
    url = reverse("care:referral_reassign", args=[care.elsewhere.pk])
    assert f.signed_in(care.users[Role.PROFESSIONAL]).get(url).status_code == 404

"""The authorisation matrix: every role against every client-data page and API endpoint, for
clients of the professional's own organisation, of another organisation, referred to it with
consent and referred without consent.

Expected: 200 where allowed; 403 where the role may never use the page (the policy in
kansrijk.web.policy refuses it before any object is looked up), or may see the client but not
take the action; 404 for a client the user may not see (so a URL does not reveal
whether a client exists). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from kansrijk.web import policy
from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.conferences import services as conferences
from kansrijk.web.referrals.models import Signal
from tests.web import factories as f
from tests.web.care.builders import DEBTS, World, signal

pytestmark = pytest.mark.django_db

P, C = Role.PROFESSIONAL, Role.COORDINATOR
NO_CLIENT_DATA = (Role.POLICY_ADVISOR, Role.MONITOR_ANALYST, Role.PROGRAMME_STAFF)
ADMIN = Role.ADMINISTRATOR
ROLES = (P, C, *NO_CLIENT_DATA, ADMIN)
RELATIONS = ("own", "other", "referred_consent", "referred_no_consent")

#: Per-client pages: (url name, {(role, relation): status}); roles and relations not listed
#: get 404 (professional, coordinator: client not visible) or 403 (every other role).
CLIENT_PAGES: dict[str, dict[tuple[str, str], int]] = {
    "client": {(P, "own"): 200, (P, "referred_consent"): 200, (C, "referred_consent"): 200},
    "api_client": {(P, "own"): 200, (P, "referred_consent"): 200, (C, "referred_consent"): 200},
    "add_child": {(P, "own"): 200, (P, "referred_consent"): 403, (C, "referred_consent"): 403},
    "consent_new": {(P, "own"): 200, (P, "referred_consent"): 403, (C, "referred_consent"): 403},
    # A referral still requested gives no treatment relationship (issue 14, item 9): the
    # receiver reads within consent but does not refer onward or write notes before accepting.
    "referral_new": {(P, "own"): 200, (P, "referred_consent"): 403, (C, "referred_consent"): 403},
    "hand_over": {(P, "own"): 200, (P, "referred_consent"): 403, (C, "referred_consent"): 403},
    "access_overview": {
        (P, "own"): 200,
        (P, "referred_consent"): 403,
        (C, "referred_consent"): 403,
    },
    "record_export": {  # the right of access: the same people as the access overview
        (P, "own"): 200,
        (P, "referred_consent"): 403,
        (C, "referred_consent"): 403,
    },
    "retention_holds": {  # holds on retention: the same people as the access overview
        (P, "own"): 200,
        (P, "referred_consent"): 403,
        (C, "referred_consent"): 403,
    },
    "signal_new": {(P, "own"): 200, (P, "referred_consent"): 403, (C, "referred_consent"): 403},
    "timeline": {(P, "own"): 200, (P, "referred_consent"): 200, (C, "referred_consent"): 200},
    "care_plan": {(P, "own"): 200, (P, "referred_consent"): 200, (C, "referred_consent"): 200},
}
#: Pages without a client in the URL: the roles that get 200 (the others 403).
LIST_PAGES: dict[str, set[str]] = {
    "caseload": {P, C},
    "api_clients": {P, C},
    "register": {P},
    "referrals": {P, C},
    "emergency": {P},
    "emergency_reviews": {C, ADMIN},
    "audit_log": {ADMIN},
    "conferences": {P, C},
    "conference_new": {P, C},
    "routes": {P, C},  # client routes: no client data, no audit entry
}


def _refused(page: str, role: str, method: str = "GET") -> bool:
    """Whether the policy refuses the role this page outright (403 before any object)."""
    return policy.decide(f"care:{page}", method, role, verified=True) == policy.DENY


def _expected(page: str, role: str, relation: str) -> int:
    if role not in (P, C) or _refused(page, role):
        return 403
    return CLIENT_PAGES[page].get((role, relation), 404)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(CLIENT_PAGES))
def test_client_pages(care: World, page: str, role: str, relation: str) -> None:
    client = f.signed_in(care.users[role])
    before = AuditEvent.objects.count()
    response = client.get(reverse(f"care:{page}", args=[care.client(relation).pk]))
    assert response.status_code == _expected(page, role, relation)
    # Every answer, allowed or refused, is logged; refusals as not authorised.
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert events, "no audit entry"
    if response.status_code >= 400:
        assert [e.authorised for e in events] == [False]
        assert events[0].user_id == care.users[role].pk


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(LIST_PAGES))
def test_list_pages(care: World, page: str, role: str) -> None:
    response = f.signed_in(care.users[role]).get(reverse(f"care:{page}"))
    assert response.status_code == (200 if role in LIST_PAGES[page] else 403)


#: Handing a referral to a colleague: only the owning side (the sender while requested), never
#: a coordinator; a referral the user may not follow does not exist for them.
REASSIGN = {
    (P, "to_own_with_consent"): 403,  # the district team receives: the sender owns it
    (P, "to_own_without_consent"): 403,
    (P, "elsewhere"): 404,
}


@pytest.mark.parametrize("which", ["to_own_with_consent", "to_own_without_consent", "elsewhere"])
@pytest.mark.parametrize("role", ROLES)
def test_reassign_page(care: World, role: str, which: str) -> None:
    referral = REFERRALS[which](care)
    before = AuditEvent.objects.count()
    response = f.signed_in(care.users[role]).get(reverse("care:referral_reassign", args=[referral]))
    assert response.status_code == REASSIGN.get((role, which), 403)
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert [e.authorised for e in events] == [False]
    sender = f.signed_in(care.other_professional)
    assert sender.get(reverse("care:referral_reassign", args=[referral])).status_code == 200


REFERRALS: dict[str, Callable[[World], int]] = {
    "to_own_with_consent": lambda w: w.referred_consent.referrals.get().pk,
    "to_own_without_consent": lambda w: w.referred_no_consent.referrals.get().pk,
    "elsewhere": lambda w: w.elsewhere.pk,
}
#: Referral pages: the professional sees referrals to or from their organisation (status, and
#: client content with consent); the coordinator every referral in the municipality (status).
REFERRAL_STATUS = {
    (P, "to_own_with_consent"): 200,
    (P, "to_own_without_consent"): 200,
    (P, "elsewhere"): 404,
    (C, "to_own_with_consent"): 200,
    (C, "to_own_without_consent"): 200,
    (C, "elsewhere"): 200,
}


@pytest.mark.parametrize("which", sorted(REFERRALS))
@pytest.mark.parametrize("role", ROLES)
def test_referral_page(care: World, role: str, which: str) -> None:
    response = f.signed_in(care.users[role]).get(
        reverse("care:referral", args=[REFERRALS[which](care)])
    )
    assert response.status_code == REFERRAL_STATUS.get((role, which), 403)
    if response.status_code == 200:
        page = response.content.decode()
        family = {"to_own_with_consent": "Rosa", "to_own_without_consent": "Nora"}.get(which)
        if which == "to_own_without_consent" or role == C:
            assert "Nora" not in page and "Betalingsachterstanden" not in page
        if which == "to_own_with_consent":
            assert (family in page) == (role in (P, C))


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_adding_a_note(care: World, role: str, relation: str) -> None:
    """A change (POST) follows the same matrix: own and referred-with-consent professionals
    write, in a category they may see."""
    target = care.client(relation)
    response = f.signed_in(care.users[role]).post(
        reverse("care:add_note", args=[target.pk]), {"category": "family", "text": "Gesprek."}
    )
    # Only after accepting the referral (issue 14, item 9), not while it is requested.
    allowed = {(P, "own"): 302, (P, "referred_consent"): 403, (C, "referred_consent"): 403}
    expected = 403 if _refused("add_note", role, "POST") else None
    assert response.status_code == (expected or _expected_post(role, relation, allowed))
    assert target.notes.exists() == (response.status_code == 302)


def _expected_post(role: str, relation: str, allowed: dict[tuple[str, str], int]) -> int:
    if role not in (P, C):
        return 403
    return allowed.get((role, relation), 404)


def test_anonymous_visitors_are_sent_to_the_login(care: World) -> None:
    from django.test import Client

    response = Client().get(reverse("care:client", args=[care.own.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not AuditEvent.objects.exists()


def test_unknown_client_is_404_like_an_invisible_one(care: World) -> None:
    client = f.signed_in(care.users[P])
    assert client.get(reverse("care:client", args=[999_999])).status_code == 404


#: Signal pages of a signal (debts, every data category) recorded by the client's owner: only
#: the own organisation's professional may see it; the referred professional's and the
#: coordinator's consents do not cover all its categories, so it does not exist for them.
SIGNAL_PAGES: dict[str, dict[tuple[str, str], int]] = {
    "signal": {(P, "own"): 200},
    "signal_refer": {(P, "own"): 200},
}


def _signal_args(page: str, relation: str, found: Signal) -> list[object]:
    args: list[object] = [found.client_id, found.pk]
    return [*args, "pregnant_debts", 1] if page == "signal_refer" else args


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(SIGNAL_PAGES))
def test_signal_pages(care: World, page: str, role: str, relation: str) -> None:
    target = care.client(relation)
    owner = care.users[P] if relation == "own" else care.other_professional
    found = signal(target, owner)
    before = AuditEvent.objects.count()
    response = f.signed_in(care.users[role]).get(
        reverse(f"care:{page}", args=_signal_args(page, relation, found))
    )
    expected = (
        403
        if role not in (P, C) or _refused(page, role)
        else SIGNAL_PAGES[page].get((role, relation), 404)
    )
    assert response.status_code == expected
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert len(events) == 1
    assert events[0].authorised == (expected == 200)
    assert events[0].client_id == target.pk


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_recording_a_signal(care: World, role: str, relation: str) -> None:
    """Only a professional of the owning organisation or the care team records signals."""
    target = care.client(relation)
    response = f.signed_in(care.users[role]).post(
        reverse("care:signal_new", args=[target.pk]), DEBTS
    )
    allowed = {(P, "own"): 302, (P, "referred_consent"): 403, (C, "referred_consent"): 403}
    expected = 403 if _refused("signal_new", role, "POST") else None
    assert response.status_code == (expected or _expected_post(role, relation, allowed))
    assert target.signals.exists() == (response.status_code == 302)


#: Pages of a case conference, organised by the coordinator with the professional taking part
#: ("member"), or by another organisation's professional without them ("outside"): only the
#: organiser and the participants see it (404 for the other care roles, 403 for roles without
#: client data); adding participants is the organiser's, putting a family on the agenda a
#: professional's (403 for the others).
CONFERENCE_PAGES: dict[str, dict[tuple[str, str], int]] = {
    "conference": {(P, "member"): 200, (C, "member"): 200},
    "conference_item": {(P, "member"): 200, (C, "member"): 200},
    "conference_item_new": {(P, "member"): 200, (C, "member"): 403},
    "conference_participant_add": {(P, "member"): 403, (C, "member"): 200},
}


@pytest.mark.parametrize("membership", ["member", "outside"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(CONFERENCE_PAGES))
def test_conference_pages(care: World, page: str, role: str, membership: str) -> None:
    member = membership == "member"
    organiser = care.users[C] if member else care.other_professional
    conference = conferences.create_conference(organiser, title="Casus", starts_at=timezone.now())
    if member:
        conferences.add_participant(conference, care.users[P])
    item = conferences.add_item(
        conference,
        care.users[P] if member else care.other_professional,
        client=care.own if member else care.other,
        summary="Casus zonder namen.",
    )
    args = [conference.pk, item.pk] if page == "conference_item" else [conference.pk]
    before = AuditEvent.objects.count()
    response = f.signed_in(care.users[role]).get(reverse(f"care:{page}", args=args))
    expected = (
        403
        if role not in (P, C) or _refused(page, role)
        else CONFERENCE_PAGES[page].get((role, membership), 404)
    )
    assert response.status_code == expected
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert events, "no audit entry"
    if expected >= 400:
        assert [e.authorised for e in events] == [False]

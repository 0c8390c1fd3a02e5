"""The shared record: every source appears on the timeline of a viewer with full access, and a
viewer whose consent covers fewer categories sees only those entries; withdrawal hides at once;
one audit entry per page view with the categories shown."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.care import careplan, services
from kansrijk.web.care.access import Access
from kansrijk.web.care.models import Consent, NoteKind
from kansrijk.web.care.timeline import KINDS, timeline
from tests.web import factories as f
from tests.web.care.builders import World, named_and_anonymous_items, signal

pytestmark = pytest.mark.django_db


def _fill(care: World) -> None:
    """A record of Rosa (owned by the midwife, referred with consent to the district team)."""
    client, midwife = care.referred_consent, care.other_professional
    signal(client, midwife)
    services.add_note(client, midwife, "medical", "Bloeddruk verhoogd.")
    services.add_note(client, midwife, "family", "Huisbezoek gedaan.", kind=NoteKind.CONTACT)
    services.hand_over(client, midwife, midwife, "Start", timezone.now())
    careplan.set_goal(client, midwife, "financial", "Schulden onder beheer")
    careplan.create_task(client, midwife, "family", "Kraamzorg regelen", care.other_org)


def _kinds(care: World, user_role: str | None = None, user: object = None) -> set[str]:
    who = user or care.users[user_role or Role.PROFESSIONAL]
    access = Access.for_user(who)  # type: ignore[arg-type]
    client = care.referred_consent
    return {e.kind for e in timeline(client, access.grant(client))}


def test_the_owner_sees_every_source(care: World) -> None:
    _fill(care)
    kinds = _kinds(care, user=care.other_professional)
    assert kinds == {
        "signal",
        "referral",
        "note",
        "contact",
        "contact_person",
        "care_team",  # registration puts the owning organisation in the care team
        "consent",
        "goal",
        "task",
    }


def test_a_referred_professional_sees_only_the_consented_categories(care: World) -> None:
    _fill(care)
    # Consent for the district team: identity, family, care coordination.
    kinds = _kinds(care)
    assert "contact" in kinds and "task" in kinds  # family category
    assert "referral" in kinds and "consent" in kinds  # care coordination
    assert "note" not in kinds  # medical
    assert "goal" not in kinds  # financial
    assert "signal" not in kinds  # the debt signal shares financial data


def test_withdrawal_empties_the_timeline_at_once(care: World) -> None:
    _fill(care)
    for consent in Consent.objects.filter(client=care.referred_consent, withdrawn_at=None):
        services.withdraw_consent(consent, care.other_professional)
    assert _kinds(care) == set()
    url = reverse("care:timeline", args=[care.referred_consent.pk])
    assert f.signed_in(care.users[Role.PROFESSIONAL]).get(url).status_code == 404


def test_the_page_filters_by_kind_and_logs_what_it_showed(care: World) -> None:
    _fill(care)
    professional = care.users[Role.PROFESSIONAL]
    url = reverse("care:timeline", args=[care.referred_consent.pk])
    before = AuditEvent.objects.count()
    response = f.signed_in(professional).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Huisbezoek gedaan." in page and "Bloeddruk verhoogd." not in page
    assert "Schulden onder beheer" not in page
    entries = AuditEvent.objects.order_by("-sequence")[: AuditEvent.objects.count() - before]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.client_id == care.referred_consent.pk and entry.action == "read"
    assert set(entry.categories.split(",")) == {"identity", "family", "care_coordination"}
    assert entry.consent_present and not entry.emergency_access
    only = f.signed_in(professional).get(url, {"kind": "contact"}).content.decode()
    assert "Huisbezoek gedaan." in only and "Kraamzorg regelen" not in only


def test_conference_decisions_only_from_named_items(care: World) -> None:
    midwife = care.other_professional
    named_and_anonymous_items(care.referred_consent, midwife)
    access = Access.for_user(midwife)
    entries = timeline(care.referred_consent, access.grant(care.referred_consent), ["decision"])
    assert [e.detail for e in entries] == ["Advies 1"]


def test_every_kind_has_a_label() -> None:
    from kansrijk.web.care.timeline import kind_labels

    assert set(kind_labels()) == set(KINDS)

"""Retention holds placed by hand (a complaint, a request for access, a legal claim): an active
hold keeps every record of the family past its retention period; lifted, the periods apply
again. Placing and lifting through the page, who may, and the audit entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.care import services
from kansrijk.web.care.models import ClientMember, Note
from kansrijk.web.retention import holds
from kansrijk.web.retention.models import RetentionHold
from kansrijk.web.retention.service import ANONYMOUS, apply_retention, held_clients
from tests.web import factories as f
from tests.web.care.builders import World, family
from tests.web.care.test_retention import TODAY, age

pytestmark = pytest.mark.django_db
P = Role.PROFESSIONAL


def _names(client_pk: int) -> set[str]:
    return set(
        ClientMember.objects.filter(client_id=client_pk).values_list("given_name", flat=True)
    )


def test_an_active_hold_keeps_an_expired_family_and_lifting_it_lets_it_expire(
    care: World,
) -> None:
    prof = care.users[P]
    client = family(prof, "Hanna")
    note = services.add_note(client, prof, "family", "Klacht over de wijkteamroute.")
    hold = holds.place_hold(client, prof, "complaint")
    age(client, 8)
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=8 * 366))
    assert client.pk in held_clients()
    assert apply_retention(TODAY).entries == []
    assert Note.objects.filter(pk=note.pk).exists() and "Hanna" in _names(client.pk)

    assert holds.lift_hold(hold, prof)
    assert not holds.lift_hold(hold, prof)  # lifted already
    assert client.pk not in held_clients()
    result = apply_retention(TODAY)
    assert {(e.record_kind, e.action) for e in result.entries} >= {
        ("contact_note", "deleted"),
        ("client", "anonymised"),
    }
    assert _names(client.pk) == {ANONYMOUS}
    hold.refresh_from_db()
    assert hold.lifted_by == prof and hold.lifted_at is not None  # the history stays


def test_placing_and_lifting_through_the_page(care: World) -> None:
    browser = f.signed_in(care.users[P])
    url = reverse("care:retention_holds", args=[care.own.pk])
    page = browser.get(url)
    assert page.status_code == 200
    client_page = browser.get(reverse("care:client", args=[care.own.pk])).content.decode()
    assert url in client_page
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert browser.post(url, {"reason": "access_request"}).status_code == 302
    hold = RetentionHold.objects.get(client=care.own)
    assert (hold.reason, hold.organisation, hold.placed_by, hold.active) == (
        "access_request",
        care.own_org,
        care.users[P],
        True,
    )
    [entry] = AuditEvent.objects.filter(pk__gt=before)
    assert (entry.action, entry.purpose, entry.client_id, entry.category_values) == (
        "update",
        "accountability",
        care.own.pk,
        ["identity"],
    )
    assert care.own.pk in held_clients()
    assert browser.post(url, {"reason": "whim"}).status_code == 400
    assert RetentionHold.objects.count() == 1
    lift = reverse("care:retention_hold_lift", args=[care.own.pk, hold.pk])
    assert browser.post(lift).status_code == 302
    hold.refresh_from_db()
    assert not hold.active and care.own.pk not in held_clients()
    page = browser.get(url).content.decode()
    assert "Request for access" in page or "Verzoek om inzage" in page


def test_only_the_owning_organisation_or_care_team(care: World) -> None:
    hold = holds.place_hold(care.other, care.other_professional, "legal_claim")
    lift = reverse("care:retention_hold_lift", args=[care.other.pk, hold.pk])
    # The district team's professional does not see this family: 404, nothing changes.
    assert f.signed_in(care.users[P]).post(lift).status_code == 404
    # Referred with consent: sees the family, but does not manage it.
    url = reverse("care:retention_holds", args=[care.referred_consent.pk])
    assert f.signed_in(care.users[P]).post(url, {"reason": "complaint"}).status_code == 403
    assert f.signed_in(care.users[Role.COORDINATOR]).get(url).status_code == 403
    hold.refresh_from_db()
    assert hold.active and not RetentionHold.objects.filter(client=care.referred_consent)

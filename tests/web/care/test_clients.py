"""Registering families: the BSN is checked with the elfproef, kept only as a keyed hash,
never stored or shown, and a family is registered once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from kansrijk.web.accounts.roles import Role
from kansrijk.web.care.bsn import bsn_hash, is_valid_bsn, normalise_bsn
from kansrijk.web.care.models import CareTeamMember, Client, ClientMember, ContactPerson
from tests.web import factories as f
from tests.web.care.builders import World, valid_bsn

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("1112.22.333", True),
        ("11122233", False),  # 8 digits padded: 011122233 fails
        ("111222334", False),
        ("000000000", False),
        ("12345678a", False),
        ("", False),
    ],
)
def test_elfproef(value: str, valid: bool) -> None:
    assert is_valid_bsn(value) == valid


def test_eight_digits_get_their_leading_zero() -> None:
    assert normalise_bsn("12345672") == "012345672"


def test_the_hash_is_keyed_and_refuses_invalid_numbers(settings: object) -> None:
    first = bsn_hash("111222333")
    assert len(first) == 64 and "111222333" not in first
    settings.KANSRIJK_BSN_KEY = "ab" * 32  # type: ignore[attr-defined]
    assert bsn_hash("111222333") != first
    with pytest.raises(ValueError, match="not a valid BSN") as raised:
        bsn_hash("111222334")
    assert "111222334" not in str(raised.value)


def _form(bsn: str, **extra: str) -> dict[str, str]:
    return {
        "woman_given_name": "Sara",
        "woman_family_name": "de Boer",
        "woman_date_of_birth": "1998-02-03",
        "woman_due_date": "2027-03-01",
        "woman_bsn": bsn,
        "municipality_code": "GM0363",
        "family_situation": "Alleenstaand.",
        **extra,
    }


def test_registration_stores_only_the_hash(care: World) -> None:
    bsn = valid_bsn()
    partner = valid_bsn()
    user = care.users[Role.PROFESSIONAL]
    response = f.signed_in(user).post(
        reverse("care:register"),
        _form(bsn, partner_given_name="Tom", partner_family_name="Smit", partner_bsn=partner),
    )
    assert response.status_code == 302
    client = Client.objects.latest("pk")
    assert response["Location"] == reverse("care:client", args=[client.pk])
    assert client.owner_organisation == care.own_org
    members = {m.role: m for m in client.members.all()}
    assert members["pregnant"].bsn_hash == bsn_hash(bsn)
    assert members["partner"].bsn_hash == bsn_hash(partner)
    assert CareTeamMember.objects.filter(client=client, organisation=care.own_org).exists()
    assert ContactPerson.objects.get(client=client).user == user
    # The number itself is nowhere in the database.
    with connection.cursor() as cursor:
        for table in ("care_client", "care_clientmember", "care_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")  # fixed table names
            assert bsn not in repr(cursor.fetchall())


def test_an_invalid_bsn_is_refused_with_a_linked_message(care: World) -> None:
    response = f.signed_in(care.users[Role.PROFESSIONAL]).post(
        reverse("care:register"), _form("111222334")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_woman_bsn_error"' in page and 'aria-invalid="true"' in page
    assert "111222334" in page  # the user's own input is shown back, nothing else stores it
    assert not ClientMember.objects.filter(given_name="Sara").exists()


def test_the_same_bsn_is_registered_once(care: World) -> None:
    bsn = valid_bsn()
    own = f.signed_in(care.users[Role.PROFESSIONAL])
    assert own.post(reverse("care:register"), _form(bsn)).status_code == 302
    first = Client.objects.latest("pk")
    again = own.post(reverse("care:register"), _form(bsn))
    assert again.status_code == 302 and again["Location"] == reverse("care:client", args=[first.pk])
    # Another organisation learns the family exists, not who registered it or anything else.
    other = f.signed_in(care.other_professional).post(reverse("care:register"), _form(bsn))
    assert other.status_code == 409
    assert "Wijkteam Oost" not in other.content.decode()
    assert Client.objects.filter(members__bsn_hash=bsn_hash(bsn)).count() == 1


def test_adding_the_child_after_birth(care: World) -> None:
    response = f.signed_in(care.users[Role.PROFESSIONAL]).post(
        reverse("care:add_child", args=[care.own.pk]),
        {"given_name": "Lotte", "family_name": "Jansen", "date_of_birth": "2026-11-01"},
    )
    assert response.status_code == 302
    assert care.own.members.filter(role="child", given_name="Lotte").exists()


def test_api_gives_only_the_categories_allowed(care: World) -> None:
    from kansrijk.web.care import services

    services.add_note(care.referred_consent, care.other_professional, "medical", "Bloeddruk.")
    services.add_note(care.referred_consent, care.other_professional, "family", "Verhuizing.")
    data = (
        f.signed_in(care.users[Role.PROFESSIONAL])
        .get(reverse("care:api_client", args=[care.referred_consent.pk]))
        .json()
    )
    assert data["categories"] == ["care_coordination", "family", "identity"]
    assert [n["text"] for n in data["notes"]] == ["Verhuizing."]
    assert "bsn" not in repr(data).lower() or "bsn_hash" not in repr(data)

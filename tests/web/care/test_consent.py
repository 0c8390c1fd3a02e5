"""Consent scenarios: grant, partial categories, withdrawal (at once), expiry, a consent that
has not started, consent to a role, and consent without a referral."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.care import services
from kansrijk.web.care.access import Access
from kansrijk.web.referrals import services as referral_services
from tests.web import factories as f
from tests.web.care.builders import World, consent, family, refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(care: World) -> tuple[World, object]:
    """A family of the midwife, referred to the professional's district team, with notes in
    three categories; no consent yet."""
    target = family(care.other_professional, "Fenna")
    refer(target, care.other_professional, care.own_org)
    for category, text in (
        ("medical", "Zwangerschapsdiabetes."),
        ("financial", "Huurachterstand van drie maanden."),
        ("family", "Woont met partner in een eenkamerwoning."),
    ):
        services.add_note(target, care.other_professional, category, text)
    return care, target


def _page(care: World, target: object) -> tuple[int, str]:
    response = f.signed_in(care.users[Role.PROFESSIONAL]).get(
        reverse("care:client", args=[target.pk])  # type: ignore[attr-defined]
    )
    return response.status_code, response.content.decode()


def test_without_consent_the_referred_family_is_invisible(setup: tuple[World, object]) -> None:
    care, target = setup
    assert _page(care, target)[0] == 404
    assert (
        not Access.for_user(care.users[Role.PROFESSIONAL])
        .visible_clients()
        .filter(
            pk=target.pk  # type: ignore[attr-defined]
        )
    )


def test_partial_consent_shows_only_the_consented_categories(setup: tuple[World, object]) -> None:
    care, target = setup
    consent(target, care.other_professional, ["identity", "financial"], to=care.own_org)  # type: ignore[arg-type]
    status, page = _page(care, target)
    assert status == 200
    assert "Fenna" in page and "Huurachterstand" in page
    assert "Zwangerschapsdiabetes" not in page and "eenkamerwoning" not in page
    assert "Medisch en verloskundig" in page  # named among the categories not shown
    # Without the care-coordination category: no referrals, consents or contact person.
    referral = target.referrals.get()  # type: ignore[attr-defined]
    assert "Betalingsachterstanden" not in page
    assert reverse("care:referral", args=[referral.pk]) not in page


def test_consent_without_identity_does_not_open_the_record(setup: tuple[World, object]) -> None:
    care, target = setup
    consent(target, care.other_professional, ["financial"], to=care.own_org)  # type: ignore[arg-type]
    assert _page(care, target)[0] == 404


def test_withdrawal_takes_effect_at_once(setup: tuple[World, object]) -> None:
    care, target = setup
    given = consent(target, care.other_professional, ["identity", "medical"], to=care.own_org)  # type: ignore[arg-type]
    assert _page(care, target)[0] == 200
    owner = f.signed_in(care.other_professional)
    response = owner.post(reverse("care:consent_withdraw", args=[target.pk, given.pk]))  # type: ignore[attr-defined]
    assert response.status_code == 302
    given.refresh_from_db()
    assert given.withdrawn_at is not None and given.withdrawn_by == care.other_professional
    assert _page(care, target)[0] == 404
    # Withdrawing twice changes nothing.
    assert not services.withdraw_consent(given, care.other_professional)


def test_expiry_and_start_are_checked_against_now(setup: tuple[World, object]) -> None:
    care, target = setup
    today = timezone.localdate()
    consent(
        target,  # type: ignore[arg-type]
        care.other_professional,
        ["identity"],
        to=care.own_org,
        valid_from=today - timedelta(days=30),
        valid_until=today - timedelta(days=1),
    )
    assert _page(care, target)[0] == 404
    consent(
        target,
        care.other_professional,
        ["identity"],
        to=care.own_org,
        valid_from=today + timedelta(days=1),
    )  # type: ignore[arg-type]
    assert _page(care, target)[0] == 404
    user = care.users[Role.PROFESSIONAL]
    tomorrow = timezone.now() + timedelta(days=1, hours=1)
    assert Access.for_user(user, tomorrow).visible_clients().filter(pk=target.pk).exists()  # type: ignore[attr-defined]
    consent(target, care.other_professional, ["identity"], to=care.own_org, valid_until=today)  # type: ignore[arg-type]
    assert _page(care, target)[0] == 200


def test_consent_to_a_role_covers_that_role_in_the_referred_organisation(
    setup: tuple[World, object],
) -> None:
    care, target = setup
    consent(target, care.other_professional, ["identity", "family"], role=Role.PROFESSIONAL)  # type: ignore[arg-type]
    status, page = _page(care, target)
    assert status == 200 and "eenkamerwoning" in page and "Huurachterstand" not in page


def test_consent_without_an_open_referral_gives_no_access(setup: tuple[World, object]) -> None:
    care, target = setup
    consent(target, care.other_professional, ["identity"], to=care.own_org)  # type: ignore[arg-type]
    referral = target.referrals.get()  # type: ignore[attr-defined]
    referral_services.transition(referral, "reject", care.users[Role.PROFESSIONAL], 1, "Geen plek.")
    assert _page(care, target)[0] == 404


def test_consent_for_another_organisation_does_not_count(setup: tuple[World, object]) -> None:
    care, target = setup
    elsewhere = f.organisation("Wijkteam Zuid", type=OrganisationType.DISTRICT_TEAM)
    consent(target, care.other_professional, ["identity"], to=elsewhere)  # type: ignore[arg-type]
    assert _page(care, target)[0] == 404


def test_the_consent_form_records_evidence(care: World) -> None:
    user = care.users[Role.PROFESSIONAL]
    client = f.signed_in(user)
    invalid = client.post(
        reverse("care:consent_new", args=[care.own.pk]),
        {
            "categories": ["identity"],
            "purpose": "x",
            "valid_from": "2026-01-01",
            "method": "verbal",
        },
    )
    assert invalid.status_code == 400 and "aria-invalid" in invalid.content.decode()
    client.post(
        reverse("care:consent_new", args=[care.own.pk]),
        {
            "recipient_role": Role.COORDINATOR,
            "categories": ["identity", "family"],
            "purpose": "Casuïstiekbespreking",
            "valid_from": "2026-01-01",
            "valid_until": "2027-01-01",
            "method": "written",
        },
    )
    recorded = care.own.consents.get()
    assert recorded.recorded_by == user and recorded.method == "written"
    assert recorded.category_values == ["family", "identity"]
    assert recorded.recipient_organisation is None and recorded.recipient_role == "coordinator"

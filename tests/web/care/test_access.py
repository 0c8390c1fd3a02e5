"""The policy decision point: one allowed set per request, pushed into the query; a bounded
number of queries whatever the caseload; emergency access; roles without client data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kansrijk.web.accounts.roles import Role
from kansrijk.web.care import services
from kansrijk.web.care.access import ALL_CATEGORIES, Access
from kansrijk.web.care.models import EmergencyAccess
from tests.web import factories as f
from tests.web.care.builders import World, consent, family, refer

pytestmark = pytest.mark.django_db


def test_visible_clients_is_one_query_with_the_rules_inside(care: World) -> None:
    access = Access.for_user(care.users[Role.PROFESSIONAL])
    with CaptureQueriesContext(connection) as queries:
        ids = set(access.visible_clients().values_list("pk", flat=True))
    assert len(queries) == 1
    assert ids == {care.own.pk, care.referred_consent.pk}


def _grow(care: World, n: int) -> None:
    for i in range(n):
        own = family(care.users[Role.PROFESSIONAL], f"Eigen{i}")
        services.add_note(own, care.users[Role.PROFESSIONAL], "medical", "Controle.")
        referred = family(care.other_professional, f"Verwezen{i}")
        consent(referred, care.other_professional, ["identity", "family"], to=care.own_org)
        refer(referred, care.other_professional, care.own_org)


@pytest.mark.parametrize("extra", [0, 15])
def test_pages_issue_a_bounded_number_of_queries(
    care: World, extra: int, django_assert_max_num_queries: Any
) -> None:
    """The same ceiling with 2 or 32 visible families, audit entries included (the entries of
    a list are appended in one statement)."""
    _grow(care, extra)
    client = f.signed_in(care.users[Role.PROFESSIONAL])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("care:caseload")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("care:referrals")).status_code == 200
    with django_assert_max_num_queries(25):
        assert (
            client.get(reverse("care:client", args=[care.referred_consent.pk])).status_code == 200
        )


@pytest.mark.parametrize("extra", [0, 15])
def test_the_decision_itself_does_not_grow_with_the_caseload(care: World, extra: int) -> None:
    _grow(care, extra)
    access = Access.for_user(care.users[Role.PROFESSIONAL])
    with CaptureQueriesContext(connection) as queries:
        list(access.with_relation(access.visible_clients()))
        grant = access.grant(care.referred_consent)
        access.grant(care.referred_consent)  # cached
    assert len(queries) == 3
    assert grant.categories == {"identity", "family", "care_coordination"}


def test_categories_per_relation(care: World) -> None:
    access = Access.for_user(care.users[Role.PROFESSIONAL])
    own = access.grant(care.own)
    assert own.categories == ALL_CATEGORIES and own.own and own.treatment_relationship
    referred = access.grant(care.referred_consent)
    assert referred.visible and referred.consent_present and not referred.own
    assert not access.grant(care.referred_no_consent).visible
    assert not access.grant(care.other).visible


def test_coordinator_sees_consented_families_of_the_municipality_only(care: World) -> None:
    access = Access.for_user(care.users[Role.COORDINATOR])
    assert set(access.visible_clients().values_list("pk", flat=True)) == {care.referred_consent.pk}
    grant = access.grant(care.referred_consent)
    assert grant.categories == {"identity", "care_coordination"}
    assert not grant.treatment_relationship
    elsewhere = family(care.other_professional, "Utrechtse", municipality="GM0344")
    consent(elsewhere, care.other_professional, ["identity"], role=Role.COORDINATOR)
    assert not Access.for_user(care.users[Role.COORDINATOR]).grant(elsewhere).visible


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.POLICY_ADVISOR, Role.MONITOR_ANALYST, Role.PROGRAMME_STAFF]
)
def test_roles_without_client_data_see_nothing(care: World, role: str) -> None:
    access = Access.for_user(care.users[role])
    assert not access.visible_clients().exists()
    assert not access.visible_referrals().exists()
    assert not access.grant(care.own).visible


def test_emergency_access_adds_one_client_until_it_expires(care: World) -> None:
    user = care.users[Role.PROFESSIONAL]
    now = timezone.now()
    granted = services.start_emergency(user, care.other, "Acute situatie", 2, now)
    during = Access.for_user(user, now + timedelta(hours=1))
    grant = during.grant(care.other)
    assert grant.visible and grant.emergency and grant.categories == ALL_CATEGORIES
    assert grant.flags().emergency_access and not grant.flags().treatment_relationship
    after = Access.for_user(user, granted.expires_at)
    assert not after.grant(care.other).visible
    assert not after.visible_clients().filter(pk=care.other.pk).exists()


def test_emergency_through_the_page_needs_a_reason_and_is_reviewed(care: World) -> None:
    from tests.web.care.builders import valid_bsn

    user = care.users[Role.PROFESSIONAL]
    client = f.signed_in(user)
    bsn = valid_bsn()
    target = family(care.other_professional, "Spoed")
    target.members.filter(role="pregnant").update(bsn_hash=_hash(bsn))
    assert client.get(reverse("care:client", args=[target.pk])).status_code == 404
    no_reason = client.post(
        reverse("care:emergency"),
        {"bsn": bsn, "category": "acute_medical", "reason": "", "hours": 4},
    )
    assert no_reason.status_code == 400 and not EmergencyAccess.objects.exists()
    reason = "Opname op de spoedeisende hulp, partner onbereikbaar"
    unknown = client.post(
        reverse("care:emergency"),
        {"bsn": valid_bsn(), "category": "acute_medical", "reason": reason, "hours": 4},
    )
    assert unknown.status_code == 404
    opened = client.post(
        reverse("care:emergency"),
        {"bsn": bsn, "category": "acute_medical", "reason": reason, "hours": 4},
    )
    assert opened.status_code == 302
    assert client.get(reverse("care:client", args=[target.pk])).status_code == 200
    emergency = EmergencyAccess.objects.get()
    assert emergency.expires_at - emergency.started_at == timedelta(hours=4)
    # Reviewed afterwards by an administrator (not by the user who opened it).
    admin = f.signed_in(care.users[Role.ADMINISTRATOR])
    assert reason in admin.get(reverse("care:emergency_reviews")).content.decode()
    assert (
        admin.post(reverse("care:emergency_review", args=[emergency.pk]), {"note": ""}).status_code
        == 302
    )
    emergency.refresh_from_db()
    assert emergency.reviewed_at is None
    admin.post(reverse("care:emergency_review", args=[emergency.pk]), {"note": "Terecht."})
    emergency.refresh_from_db()
    assert (
        emergency.reviewed_by == care.users[Role.ADMINISTRATOR]
        and emergency.review_note == "Terecht."
    )
    # The coordinator of the client's municipality reviews too; a coordinator elsewhere not.
    assert services.emergencies_to_review(care.users[Role.COORDINATOR], "GM0363").count() == 0


def _hash(bsn: str) -> str:
    from kansrijk.web.care.bsn import bsn_hash

    return bsn_hash(bsn)


def test_the_navigation_offers_clients_to_client_data_roles_only(care: World) -> None:
    url = reverse("care:caseload")
    for role, shown in (
        (Role.PROFESSIONAL, True),
        (Role.COORDINATOR, True),
        (Role.POLICY_ADVISOR, False),
        (Role.ADMINISTRATOR, False),
    ):
        page = f.signed_in(care.users[role]).get(reverse("home")).content.decode()
        assert (f'href="{url}"' in page) == shown, role
    admin_page = f.signed_in(care.users[Role.ADMINISTRATOR]).get(reverse("home")).content.decode()
    assert reverse("care:audit_log") in admin_page


def test_clients_are_not_editable_in_the_admin(care: World) -> None:
    admin = f.signed_in(care.users[Role.ADMINISTRATOR])
    assert admin.get("/admin/care/client/").status_code == 404
    assert admin.get("/admin/care/auditevent/").status_code == 404

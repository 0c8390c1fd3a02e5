"""The change history pages of the admin: viewing a version never lets a view-only user
revert to it (django-simple-history saves a POSTed version after checking view rights only)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from kansrijk.web.accounts.roles import Role
from kansrijk.web.coalitions.models import Municipality
from tests.web import factories as f
from tests.web.coalitions import builders as b

pytestmark = pytest.mark.django_db


def _view_only_client() -> Client:
    """Programme staff reduced to viewing municipalities (after signing in: saving a user
    puts the role's groups back)."""
    user = f.user(role=Role.PROGRAMME_STAFF)
    client = f.signed_in(user)
    user.groups.clear()
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="coalitions", codename="view_municipality"
        )
    )
    return client


def test_view_only_user_cannot_revert_a_version() -> None:
    municipality = b.municipality("GM9999", name="Oudenaam")
    municipality.name = "Nieuwenaam"
    municipality.save()
    first = municipality.history.earliest()  # type: ignore[attr-defined]
    client = _view_only_client()
    url = f"/admin/coalitions/municipality/{municipality.pk}/history/{first.history_id}/"
    assert client.get(url).status_code == 200
    valid = {
        "code": "GM9999",
        "name": "Oudenaam",
        "province_code": "PV26",
        "province_name": "Utrecht",
        "valid_from": "2015-01-01",
        "valid_to": "",
    }
    response = client.post(url, valid)
    assert response.status_code == 403
    assert Municipality.objects.get(pk=municipality.pk).name == "Nieuwenaam"
    history = reverse("admin:coalitions_municipality_history", args=[municipality.pk])
    assert client.get(history).status_code == 200


def test_reverting_a_user_goes_through_four_eyes() -> None:
    from tests.web.accounts.helpers import manager

    admin = manager()
    target = f.user(role=Role.PROFESSIONAL)
    old = target.history.latest()  # type: ignore[attr-defined]
    target.role = Role.POLICY_ADVISOR
    target._history_user = admin  # type: ignore[attr-defined]
    target.save()
    client = f.signed_in(admin)
    url = f"/admin/accounts/user/{target.pk}/history/{old.history_id}/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "username": target.username,
        "first_name": "",
        "last_name": "",
        "email": target.email,
        "organisation": target.organisation_id,
        "role": Role.PROFESSIONAL,
        "is_active": "on",
    }
    client.post(url, data)
    target.refresh_from_db()
    assert target.role == Role.POLICY_ADVISOR  # a pending request, not applied
    assert target.change_requests.get().role_after == Role.PROFESSIONAL  # type: ignore[attr-defined]

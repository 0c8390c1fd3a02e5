"""The registry's admin: programme staff reach every model, changes keep before and after."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import Role
from kansrijk.web.coalitions.models import Coalition, CoalitionStatus
from tests.web import factories as f
from tests.web.coalitions import builders as b

pytestmark = pytest.mark.django_db

MODELS = [
    m
    for m in apps.get_app_config("coalitions").get_models()
    if not m.__name__.startswith("Historical") and m._meta.auto_created is False
]


def _staff() -> User:
    user = f.user(role=Role.PROGRAMME_STAFF, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="coalitions"))
    return user


@pytest.mark.parametrize("superuser", [False, True])
def test_programme_staff_reach_every_changelist(superuser: bool) -> None:
    user = (
        f.user(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True) if superuser else _staff()
    )
    client = f.signed_in(user)
    b.coalition()
    assert len(MODELS) >= 13
    for model in MODELS:
        url = reverse(f"admin:coalitions_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:coalitions_coalition_add")).status_code == 200


def test_other_roles_cannot_edit() -> None:
    client = f.signed_in(f.user(role=Role.POLICY_ADVISOR))
    response = client.get(reverse("admin:coalitions_coalition_changelist"))
    assert response.status_code == 403  # the policy: admin.site is not the advisor's


def test_a_change_in_the_admin_is_kept_with_who_before_and_after() -> None:
    user = _staff()
    client = f.signed_in(user)
    coalition = b.coalition(
        "Kansrijke Start Utrecht",
        status=CoalitionStatus.PREPARING,
        preparing_since=date(2020, 1, 1),
    )
    url = reverse("admin:coalitions_coalition_change", args=[coalition.pk])
    data = {
        "name": "Kansrijke Start Utrecht",
        "scope": "local",
        "status": "formed",
        "preparing_since": "2020-01-01",
        "formed_on": "2021-03-01",
        "notes": "",
    }
    for prefix in ("memberships", "partners", "agreements"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    coalition.refresh_from_db()
    assert coalition.status == "formed"
    latest = coalition.history.latest()
    assert latest.history_user == user and latest.history_type == "~"
    history = client.get(
        reverse("admin:coalitions_coalition_history", args=[coalition.pk]),
        headers={"Accept-Language": "en"},
    )
    html = history.content.decode()
    assert user.username in html
    assert "In preparation or in talks" in html or "preparing" in html
    assert "formed" in html.lower()


def test_removing_is_not_needed_to_end_a_period() -> None:
    """Ending a membership keeps the row (history through validity periods)."""
    m = b.municipality("GM0344", "Utrecht")
    coalition = Coalition.objects.create(name="Kansrijke Start Utrecht")
    membership = coalition.memberships.create(municipality=m, valid_from=date(2020, 1, 1))
    membership.valid_to = date(2021, 12, 31)
    membership.save()
    assert coalition.memberships.count() == 1
    assert membership.history.count() == 2

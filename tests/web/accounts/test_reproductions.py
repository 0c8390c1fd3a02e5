"""Issue 14, reproductions 1 and 2, as tests that would have caught them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kansrijk.web.accounts import backup
from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from tests.web import factories as f
from tests.web.accounts.helpers import change_data, manager, midwifery

pytestmark = pytest.mark.django_db


def _programme_staff() -> User:
    return f.user(
        role=Role.PROGRAMME_STAFF,
        username="programma",
        org=f.organisation(type=OrganisationType.NATIONAL),
    )


def test_programme_staff_cannot_open_or_post_their_own_user_form() -> None:
    """Reproduction 1: as `programma`, /admin/accounts/user/<own id>/change/ changed the own
    role and organisation (then /care/ listed families)."""
    staff = _programme_staff()
    client = f.signed_in(staff)
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    assert client.get(url).status_code == 403
    practice = midwifery()
    response = client.post(
        url, change_data(staff, role=Role.PROFESSIONAL, organisation=practice.pk)
    )
    assert response.status_code == 403
    staff.refresh_from_db()
    assert staff.role == Role.PROGRAMME_STAFF and staff.organisation != practice
    assert client.get(reverse("care:caseload")).status_code in (302, 403)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_programme_staff_cannot_make_anyone_superuser() -> None:
    """Reproduction 1: the same form set is_superuser on another user."""
    staff = _programme_staff()
    other = f.user(role=Role.POLICY_ADVISOR)
    client = f.signed_in(staff)
    url = reverse("admin:accounts_user_change", args=[other.pk])
    response = client.post(url, change_data(other, is_superuser="on", is_staff="on"))
    assert response.status_code == 403
    other.refresh_from_db()
    assert not other.is_superuser and not other.is_staff


def test_programme_staff_group_holds_no_account_permission() -> None:
    """The cause: the programme group got every permission of the accounts app."""
    codenames = set(
        Group.objects.get(name="Programme staff").permissions.values_list("codename", flat=True)
    )
    assert "change_user" not in codenames and "manage_accounts" not in codenames
    assert "view_user" not in codenames and "change_organisation" in codenames
    assert not _programme_staff().has_perm("accounts.manage_accounts")


def test_account_manager_cannot_change_own_role_organisation_or_flags() -> None:
    admin = manager()
    client = f.signed_in(admin)
    url = reverse("admin:accounts_user_change", args=[admin.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("role", "organisation", "is_active", "is_superuser", "is_staff", "groups"):
        assert f'name="{field}"' not in html, field  # read-only, not an input
    response = client.post(
        url,
        change_data(
            admin,
            role=Role.PROFESSIONAL,
            organisation=midwifery().pk,
            is_superuser="on",
            is_active="",
            groups=[g.pk for g in Group.objects.all()],
        ),
    )
    assert response.status_code == 302  # the locked fields are simply not taken from the POST
    stored = User.objects.get(pk=admin.pk)
    assert (stored.role, stored.organisation_id, stored.is_active, stored.is_superuser) == (
        Role.ADMINISTRATOR,
        admin.organisation_id,
        True,
        False,
    )
    assert set(stored.groups.values_list("name", flat=True)) == {
        "Programme staff",
        "Account managers",
    }


def test_superuser_flag_is_never_editable_even_for_superusers() -> None:
    root = f.user(role=Role.ADMINISTRATOR, is_superuser=True)
    other = f.user(role=Role.POLICY_ADVISOR)
    client = f.signed_in(root)
    url = reverse("admin:accounts_user_change", args=[other.pk])
    assert 'name="is_superuser"' not in client.get(url).content.decode()
    assert client.post(url, change_data(other, is_superuser="on")).status_code == 302
    other.refresh_from_db()
    assert not other.is_superuser


def test_totp_secret_is_never_shown_in_the_admin() -> None:
    """Reproduction 2: /admin/otp_totp/totpdevice/<id>/change/ showed every user's secret."""
    admin = manager()
    victim = f.user(role=Role.PROFESSIONAL)
    device = f.totp_device(victim)
    codes = backup.generate(victim)
    static = StaticDevice.objects.get(user=victim)
    client = f.signed_in(admin)
    secrets = [device.key, device.config_url.split("secret=")[1].split("&")[0], *codes]
    secrets += [c.replace("-", "") for c in codes]
    pages = [
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        reverse("admin:otp_totp_totpdevice_history", args=[device.pk]),
        reverse("admin:otp_static_staticdevice_changelist"),
        reverse("admin:otp_static_staticdevice_change", args=[static.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in secrets:
            assert secret not in html, (url, secret)
    for view in ("config", "qrcode"):
        assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{view}/").status_code in (
            302,
            404,
        )
    # The view-only page does not save: a POST changes nothing.
    response = client.post(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        {"user": admin.pk, "name": "mine", "key": "00" * 20, "confirmed": "on"},
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.get(pk=device.pk).user_id == victim.pk


def test_nobody_sets_a_password_in_the_admin() -> None:
    """Reproduction 2: /admin/accounts/user/<id>/password/ reset any password."""
    victim = f.user(role=Role.PROFESSIONAL)
    old_hash = victim.password
    for actor in (manager(), f.user(role=Role.ADMINISTRATOR, is_superuser=True)):
        client = f.signed_in(actor)
        url = f"/admin/accounts/user/{victim.pk}/password/"
        # No such view: the admin's catch-all treats "1/password" as an unknown object id.
        landed = client.get(url, follow=True)
        assert landed.status_code == 200 and "password" not in landed.request["PATH_INFO"]
        response = client.post(url, {"password1": "x" * 20, "password2": "x" * 20}, follow=True)
        assert 'name="password1"' not in response.content.decode()
        victim.refresh_from_db()
        assert victim.password == old_hash
        change = client.get(reverse("admin:accounts_user_change", args=[victim.pk]))
        assert 'name="password' not in change.content.decode()

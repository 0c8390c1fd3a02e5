"""Login with password then TOTP, enforcement of two-factor by role, lockout."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from kansrijk.web.accounts.roles import OrganisationType, Role
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def _token(device: object) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)  # type: ignore[attr-defined]
    return f"{totp.token():06d}"


def test_password_hashes_with_argon2() -> None:
    account = f.user()
    assert account.password.startswith("argon2")


def test_login_then_token_reaches_home() -> None:
    account = f.user(role=Role.PROFESSIONAL, org=f.organisation(type=OrganisationType.MIDWIFERY))
    device = f.totp_device(account)
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": account.username, "password": f.PASSWORD}
    )
    assert response.status_code == 302
    # Signed in but not verified: everything but the verification pages redirects.
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("accounts:verify"))
    wrong = client.post(
        reverse("accounts:verify"), {"token": "000000" if _token(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and 'aria-invalid="true"' in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post(reverse("accounts:verify"), {"token": _token(device), "next": "/"})
    assert ok.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_role_with_client_data_must_enrol_before_anything_else() -> None:
    account = f.user(role=Role.COORDINATOR)
    client = Client()
    client.post(reverse("accounts:login"), {"username": account.username, "password": f.PASSWORD})
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:setup")
    )
    page = client.get(reverse("accounts:setup"))
    assert page.status_code == 200 and b"<svg" in page.content
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=account)
    assert not device.confirmed
    done = client.post(reverse("accounts:setup"), {"token": _token(device), "next": "/"})
    # Enrolled: the ten backup codes are shown once, then the user continues to ``next``.
    assert done.status_code == 200 and b'data-testid="backup-codes"' in done.content
    assert done.content.count(b"<code>") == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200


def test_policy_advisor_without_device_needs_no_second_factor() -> None:
    account = f.user(role=Role.POLICY_ADVISOR)
    client = Client()
    client.post(reverse("accounts:login"), {"username": account.username, "password": f.PASSWORD})
    assert client.get(reverse("home")).status_code == 200


def test_lockout_after_repeated_failures(settings: object) -> None:
    account = f.user(role=Role.POLICY_ADVISOR)
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": account.username, "password": "wrong"})
    locked = client.post(
        reverse("accounts:login"), {"username": account.username, "password": f.PASSWORD}
    )
    assert locked.status_code == 429
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_session_cookie_is_http_only_and_short() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_admin_login_goes_through_two_factor_login() -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


@pytest.mark.parametrize(
    "role", [Role.PROFESSIONAL, Role.COORDINATOR, Role.POLICY_ADVISOR, Role.MONITOR_ANALYST]
)
def test_non_programme_roles_cannot_reach_administration(role: str) -> None:
    client = f.signed_in(f.user(role=role))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert client.get("/admin/coalitions/coalition/").status_code in (302, 403)
    assert client.get("/admin/login/").status_code == 403


def test_programme_staff_reach_administration() -> None:
    client = f.signed_in(f.user(role=Role.PROGRAMME_STAFF))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/coalitions/coalition/").status_code == 200
    assert client.get("/admin/accounts/organisation/").status_code == 200

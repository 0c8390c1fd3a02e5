"""Backup codes (django-otp static tokens) and the audited re-enrolment of a lost phone."""

from __future__ import annotations

import importlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kansrijk.web.accounts import backup, changes
from kansrijk.web.accounts.models import SecondFactorRevocation
from kansrijk.web.accounts.roles import Role
from tests.web import factories as f
from tests.web.accounts.helpers import manager

pytestmark = pytest.mark.django_db


def _codes(html: str) -> list[str]:
    return re.findall(r"<code>([a-z0-9-]+)</code>", html)


def _logged_in_unverified(role: str = Role.PROFESSIONAL) -> tuple[Client, object]:
    account = f.user(role=role)
    f.totp_device(account)
    client = Client()
    client.post(reverse("accounts:login"), {"username": account.username, "password": f.PASSWORD})
    return client, account


def test_enrolment_shows_ten_codes_once_and_each_works_once() -> None:
    account = f.user(role=Role.PROFESSIONAL)
    client = Client()
    client.post(reverse("accounts:login"), {"username": account.username, "password": f.PASSWORD})
    client.get(reverse("accounts:setup"))
    device = TOTPDevice.objects.get(user=account)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page = client.post(reverse("accounts:setup"), {"token": f"{token:06d}", "next": "/"})
    codes = _codes(page.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert backup.remaining(account) == 10  # type: ignore[arg-type]
    # Never shown again: the status page only counts them.
    status = client.get(reverse("accounts:backup_codes")).content.decode()
    assert not any(code in status for code in codes)
    # A code replaces the authenticator's at the verify step, once.
    for attempt, expected in ((codes[0], True), (codes[0].upper(), False)):
        fresh = Client()
        fresh.post(
            reverse("accounts:login"), {"username": account.username, "password": f.PASSWORD}
        )
        StaticDevice.objects.filter(user=account).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )
        response = fresh.post(reverse("accounts:verify"), {"code": attempt, "next": "/"})
        assert (response.status_code == 302) is expected, attempt
        assert (fresh.get(reverse("home")).status_code == 200) is expected
    assert backup.remaining(account) == 9  # type: ignore[arg-type]


def test_new_codes_replace_the_old_ones_and_need_a_verified_session() -> None:
    client, account = _logged_in_unverified()
    assert client.post(reverse("accounts:backup_codes")).status_code == 302  # not verified
    assert not StaticDevice.objects.filter(user=account).exists()
    old = backup.generate(account)  # type: ignore[arg-type]
    client = f.signed_in(account)  # type: ignore[arg-type]
    new = _codes(client.post(reverse("accounts:backup_codes")).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    device = StaticDevice.objects.get(user=account)
    stored = set(device.token_set.values_list("token", flat=True))
    # Only keyed digests are stored: a copy of the database holds no usable code.
    assert stored == {backup.digest(c) for c in new}
    assert not stored & {backup.normalise(c) for c in new + old}


def test_wrong_backup_code_is_refused() -> None:
    client, account = _logged_in_unverified()
    backup.generate(account)  # type: ignore[arg-type]
    response = client.post(reverse("accounts:verify"), {"code": "abcde-fghjk"})
    assert response.status_code == 200 and "backup" in response.content.decode().lower()
    assert client.get(reverse("home")).status_code == 302


def test_account_manager_revokes_with_a_reason_and_the_user_enrols_again() -> None:
    admin = manager()
    lost = f.user(role=Role.PROFESSIONAL)
    f.totp_device(lost)
    backup.generate(lost)
    client = f.signed_in(admin)
    url = reverse("admin:accounts_user_changelist")
    selection = {"action": "revoke_second_factor", "_selected_action": [lost.pk]}
    ask = client.post(url, selection)
    assert ask.status_code == 200 and 'name="reason"' in ask.content.decode()
    too_short = client.post(url, {**selection, "reason": "lost"})
    assert too_short.status_code == 200 and TOTPDevice.objects.filter(user=lost).exists()
    reason = "Phone stolen; identity checked by a call-back on the known number."
    done = client.post(url, {**selection, "reason": reason})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=lost).exists()
    assert not StaticDevice.objects.filter(user=lost).exists()
    record = SecondFactorRevocation.objects.get(user=lost)
    assert record.revoked_by == admin and record.reason == reason
    assert "TOTP" in record.devices and "backup codes" in record.devices
    # The account manager cannot enrol for them: the user does, at their next sign-in.
    user_client = Client()
    user_client.post(reverse("accounts:login"), {"username": lost.username, "password": f.PASSWORD})
    assert user_client.get(reverse("home"))["Location"].startswith(reverse("accounts:setup"))
    listing = client.get(reverse("admin:accounts_secondfactorrevocation_changelist"))
    assert reason in listing.content.decode()


def test_revocation_is_refused_for_oneself_and_without_permission() -> None:
    admin = manager()
    f.totp_device(admin)
    with pytest.raises(changes.PermissionDenied):
        changes.revoke_second_factor(admin, admin, "my own phone, a long enough reason")
    staff = f.user(role=Role.PROGRAMME_STAFF)
    with pytest.raises(changes.PermissionDenied):
        changes.revoke_second_factor(staff, admin, "not an account manager at all")
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_device_changelist_revokes_with_a_reason_too() -> None:
    admin = manager()
    lost = f.user(role=Role.COORDINATOR)
    device = f.totp_device(lost)
    client = f.signed_in(admin)
    url = reverse("admin:otp_totp_totpdevice_changelist")
    selection = {"action": "revoke", "_selected_action": [device.pk]}
    assert 'name="reason"' in client.post(url, selection).content.decode()
    client.post(url, {**selection, "reason": "New phone, old one wiped, checked in person."})
    assert not TOTPDevice.objects.filter(user=lost).exists()
    assert SecondFactorRevocation.objects.filter(user=lost, revoked_by=admin).exists()
    # Deleting without a reason is not offered.
    delete = client.post(url, {"action": "delete_selected", "_selected_action": [device.pk]})
    assert (
        delete.status_code in (200, 302)
        and "delete_selected" not in client.get(url).content.decode()
    )


def test_the_migration_replaces_stored_codes_by_their_digests() -> None:
    """Codes stored in the clear before migration accounts 0003 work afterwards, as digests."""
    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticToken

    migration = importlib.import_module("kansrijk.web.accounts.migrations.0003_backup_code_digests")
    client, account = _logged_in_unverified()
    device = StaticDevice.objects.create(user=account, name=backup.DEVICE_NAME, confirmed=True)
    StaticToken.objects.create(device=device, token="abcdefghjk")
    migration.to_digests(apps, None)
    migration.to_digests(apps, None)  # twice: a digest is not digested again
    assert list(device.token_set.values_list("token", flat=True)) == [backup.digest("abcdefghjk")]
    response = client.post(reverse("accounts:verify"), {"code": "abcde-fghjk", "next": "/"})
    assert response.status_code == 302 and backup.remaining(account) == 0  # type: ignore[arg-type]

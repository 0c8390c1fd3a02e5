"""Users set their own passwords: the reset flow by e-mail and the change form."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kansrijk.web.accounts.roles import Role
from tests.web import factories as f

pytestmark = pytest.mark.django_db

NEW = "a new and long passphrase 42"


def _link(body: str) -> str:
    match = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def test_reset_page_never_reveals_whether_an_account_exists() -> None:
    f.user(role=Role.POLICY_ADVISOR, email="known@example.org")
    url = reverse("accounts:password_reset")
    known = Client().post(url, {"email": "known@example.org"})
    unknown = Client().post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
    done = Client().get(known["Location"])
    assert done.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["known@example.org"]


def test_reset_link_sets_the_password_once_and_the_second_factor_stays() -> None:
    account = f.user(role=Role.PROFESSIONAL, email="vera@example.org")
    account.set_unusable_password()  # as a new account
    account.save()
    f.totp_device(account)
    Client().post(reverse("accounts:password_reset"), {"email": "vera@example.org"})
    link = _link(mail.outbox[0].body)
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    done = client.post(form.request["PATH_INFO"], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse(
        "accounts:password_reset_complete"
    )
    account.refresh_from_db()
    assert account.check_password(NEW)
    # Not signed in by the link; the login still asks for the second factor.
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
    client.post(reverse("accounts:login"), {"username": account.username, "password": NEW})
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:verify"))
    # The link works once.
    again = Client().get(link, follow=True)
    assert 'name="new_password1"' not in again.content.decode()


def test_inactive_accounts_get_no_link() -> None:
    f.user(role=Role.POLICY_ADVISOR, email="gone@example.org", is_active=False)
    Client().post(reverse("accounts:password_reset"), {"email": "gone@example.org"})
    assert mail.outbox == []


def test_signed_in_user_changes_their_password_with_the_old_one() -> None:
    account = f.user(role=Role.COORDINATOR)
    client = f.signed_in(account)
    url = reverse("accounts:password_change")
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW})
    assert wrong.status_code == 200
    ok = client.post(url, {"old_password": f.PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert ok.status_code == 302
    account.refresh_from_db()
    assert account.check_password(NEW)


def test_password_change_needs_the_second_factor_first() -> None:
    account = f.user(role=Role.COORDINATOR)
    f.totp_device(account)
    client = Client()
    client.force_login(account)
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:verify")
    )


def test_login_page_and_user_menu_link_to_password_pages() -> None:
    login = Client().get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login
    client = f.signed_in(f.user(role=Role.POLICY_ADVISOR))
    assert reverse("accounts:account") in client.get(reverse("home")).content.decode()
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:password_change") in page

"""Login with two-factor authentication, in a real browser against `kansrijk serve`."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Server
from tests.browser.helpers import log_in, log_out, totp_code


def test_first_login_enrols_then_later_logins_verify(page: Any, server: Server) -> None:
    page.goto("/")
    assert "/accounts/login/" in page.url  # anonymous users go to the login page
    log_in(page, server, "verloskundige")  # first time: QR code and key, then a code
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
    log_out(page)
    log_in(page, server, "verloskundige")  # second time: only the code
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")


def test_wrong_code_is_refused(page: Any, server: Server) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("beheerder")
    page.get_by_label("Wachtwoord").fill("kansrijk-demo-2026")
    page.get_by_role("button", name="Inloggen").click()
    assert "/accounts/two-factor/setup/" in page.url
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    page.get_by_label("Code uit uw authenticator-app").fill(wrong)
    page.get_by_role("button", name="Controleren").click()
    assert page.get_by_text("Deze code is niet geldig").is_visible()
    page.goto("/admin/")
    assert "/accounts/two-factor/setup/" in page.url  # nothing is reachable without the code


def test_wrong_password_is_refused(page: Any, server: Server) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("analist")
    page.get_by_label("Wachtwoord").fill("not the password")
    page.get_by_role("button", name="Inloggen").click()
    assert "/accounts/login/" in page.url
    assert page.get_by_role("alert").is_visible()

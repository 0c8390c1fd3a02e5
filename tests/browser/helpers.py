"""Browser-test steps: log in with two-factor authentication, run axe-core."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

from django_otp.oath import TOTP

from tests.browser.conftest import Server

DEMO_PASSWORD = "kansrijk-demo-2026"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def totp_code(secret: str, offset_steps: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", ""))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * offset_steps
    return f"{totp.token():06d}"


def _fresh_code(server: Server, username: str) -> str:
    """A code of a time step this account has not used yet (django-otp accepts each once,
    and the next step's code thanks to its one-step tolerance); waits if both are used."""
    now = int(time.time() // 30)
    used = server.totp_steps.get(username, -1)
    step = max(now, used + 1)
    if step > now + 1:
        time.sleep((step - 1) * 30 - time.time() + 0.5)
        now = int(time.time() // 30)
    server.totp_steps[username] = step
    return totp_code(server.totp_secrets[username], offset_steps=step - now)


def log_in(page: Any, server: Server, username: str, password: str = DEMO_PASSWORD) -> None:
    """Password, then enrol (first time) or verify the authenticator code, as a user would.

    A code is accepted once; a second login within the same 30 s uses the next step's code.
    """
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/setup/" in page.url:
        server.totp_secrets[username] = page.get_by_test_id("totp-secret").inner_text().strip()
        _enter_code(page, _fresh_code(server, username))
        # After enrolment the ten backup codes are shown once; the user confirms keeping them.
        if "/accounts/" in page.url:
            page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
            page.wait_for_load_state()
    elif "/accounts/verify/" in page.url:
        _enter_code(page, _fresh_code(server, username))
    assert "/accounts/" not in page.url, f"still on {page.url}"


def _enter_code(page: Any, code: str) -> None:
    page.get_by_label("Code uit uw authenticator-app").fill(code)
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def axe_violations(
    page: Any, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations of the given impacts on the current page."""
    # Evaluated through the DevTools protocol: the pages' Content-Security-Policy refuses an
    # inline <script> (which add_script_tag would insert), and the test must not lift it.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, indent=1)

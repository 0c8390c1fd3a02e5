"""axe-core on the main pages: no serious or critical WCAG 2.1 A/AA violation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Server
from tests.browser.helpers import axe_violations, describe, log_in

ANONYMOUS_PAGES = ["/accounts/login/"]
#: (account, path) pairs: each role sees its own main pages.
SIGNED_IN_PAGES = [
    ("programma", "/"),
    ("programma", "/coalitions/"),
    ("programma", "/coalitions/municipality/GM0363/?year=2021"),
    ("programma", "/coalitions/menu/"),
    ("programma", "/questionnaire/"),
    ("programma", "/questionnaire/2021/status/"),
    ("programma", "/questionnaire/2021/responses/GM0363/"),
    ("programma", "/programme/"),
    ("programma", "/monitor/"),
    ("programma", "/monitor/gemeente/GM0363/"),
    ("programma", "/monitor/gemeente/GM0363/vergelijk/2019-07/"),
    ("programma", "/monitor/nationaal/"),
    ("beleid.utrecht", "/questionnaire/2022/"),
]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_pages(page: Any, server: Server, path: str) -> None:
    page.goto(path)
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_two_factor_setup_page(page: Any, server: Server) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("coordinator.amsterdam")
    page.get_by_label("Wachtwoord").fill("kansrijk-demo-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert "/accounts/" in page.url
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_signed_in_pages(page: Any, server: Server, language: str) -> None:
    log_in(page, server, "programma")
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    failures = {}
    for account, path in SIGNED_IN_PAGES:
        if account != "programma":
            continue
        response = page.goto(path)
        assert response is not None and response.status == 200, (
            f"{path}: {response and response.status}"
        )
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
        # The coalition detail page of the first coalition listed.
        if path == "/coalitions/":
            page.locator("main table a").first.click()
            page.wait_for_load_state()
            violations = axe_violations(page)
            if violations:
                failures[page.url] = violations
    assert not failures, describe([{"page": k, "violations": v} for k, v in failures.items()])


def test_questionnaire_form(page: Any, server: Server) -> None:
    log_in(page, server, "beleid.utrecht")
    response = page.goto("/questionnaire/2022/")
    assert response is not None and response.status == 200
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_the_check_itself_finds_a_violation(page: Any, server: Server) -> None:
    """Guard against a check that cannot fail: an unlabelled field is a critical violation."""
    page.goto("/accounts/login/")
    page.set_content(
        '<html lang="nl"><head><title>t</title></head><body><main>'
        '<input type="text"></main></body></html>'
    )
    assert any(v["id"] == "label" for v in axe_violations(page))

"""Care pages in the browser: a demo professional signs in with two-factor authentication,
works through the caseload, a family and a referral; axe-core finds no serious or critical
WCAG 2.1 A/AA violation on any of them."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Server
from tests.browser.helpers import axe_violations, describe, log_in


def test_a_professional_works_through_the_care_pages(page: Any, server: Server) -> None:
    log_in(page, server, "verloskundige.amsterdam")
    page.get_by_role("link", name="Cliënten").first.click()
    page.wait_for_load_state()
    failures = {}
    assert page.get_by_role("heading", level=1).inner_text() == "Cliënten"
    failures["/care/"] = axe_violations(page)
    page.locator("table a.utrecht-link").first.click()
    page.wait_for_load_state()
    assert "/care/clients/" in page.url
    assert page.get_by_role("heading", name="Regievoerder").is_visible()
    failures[page.url] = axe_violations(page)
    for path in ("/care/referrals/?show=all", "/care/clients/new/", "/care/emergency/"):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        failures[path] = axe_violations(page)
    page.goto("/care/referrals/?show=all")
    page.locator("table a.utrecht-link").first.click()
    page.wait_for_load_state()
    failures[page.url] = axe_violations(page)
    bad = {path: describe(v) for path, v in failures.items() if v}
    assert not bad, bad


def test_a_stale_referral_form_is_refused_in_the_browser(page: Any, server: Server) -> None:
    """Two tabs on the same referral: the second decision gets the conflict page. (The demo
    sends the debt counsellor open referrals, requested and accepted: it has a next step.)"""
    log_in(page, server, "schuldhulp.amsterdam")
    page.goto("/care/referrals/?show=open")
    page.locator("table a.utrecht-link").first.click()
    page.wait_for_load_state()
    assert page.locator("form.ks-card button").count() > 0
    other = page.context.new_page()
    other.goto(page.url)
    first_form = page.locator("form.ks-card").first
    reason = first_form.locator("textarea")
    if reason.count():
        reason.fill("Getest in de browser.")
    first_form.locator("button").click()
    page.wait_for_load_state()
    second_form = other.locator("form.ks-card").first
    if second_form.locator("textarea").count():
        second_form.locator("textarea").fill("Tweede tabblad.")
    with other.expect_response(lambda r: "/care/referrals/" in r.url) as answer:
        second_form.locator("button").click()
    assert answer.value.status == 409
    assert "Er is niets gewijzigd" in other.content()
    violations = axe_violations(other)
    assert not violations, describe(violations)

"""Client routes in the browser: the municipality's coordinator opens a national route, makes
the coalition's local variant take mothers under 23 (instead of 20) into the teenage
pregnancy route, and sees the variant's entry criteria beside the national ones; axe-core on
every page."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Server
from tests.browser.helpers import axe_violations, describe, log_in


def test_the_coordinator_adapts_a_routes_entry_criteria(page: Any, server: Server) -> None:
    log_in(page, server, "coordinator.amsterdam")
    failures = {}
    page.goto("/care/routes/")
    failures["routes"] = axe_violations(page)
    page.goto("/care/routes/teenage_pregnancy/")
    assert "jonger dan 20 jaar" in page.content()  # the national route's criterion
    failures["route"] = axe_violations(page)
    page.locator("a[href*='/routes/teenage_pregnancy/variant/']").click()
    page.wait_for_load_state()
    failures["variant form"] = axe_violations(page)
    assert page.input_value("#id_entry-1-number") == "20"
    page.fill("#id_entry-1-number", "23")
    page.locator("form.utrecht-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/routes/teenage_pregnancy/" in page.url and "/variant/" not in page.url
    content = page.content()
    assert "jonger dan 23 jaar" in content and "jonger dan 20 jaar" in content  # both shown
    failures["route with variant"] = axe_violations(page)
    # An age outside 12-30 is refused on the form, nothing stored.
    page.locator("a[href*='/routes/teenage_pregnancy/variant/']").click()
    page.wait_for_load_state()
    page.fill("#id_entry-1-number", "45")
    with page.expect_response(lambda r: "/variant/" in r.url) as answer:
        page.locator("form.utrecht-form button[type=submit]").click()
    assert answer.value.status == 400
    assert page.locator("#id_entry-1-number").get_attribute("aria-invalid") == "true"
    failures["variant form with errors"] = axe_violations(page)
    bad = {name: describe(v) for name, v in failures.items() if v}
    assert not bad, bad

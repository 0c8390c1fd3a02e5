"""A coordinator fills the questionnaire across two sessions and submits it; programme staff
see it submitted."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Server
from tests.browser.helpers import log_in, log_out

FILL = "/questionnaire/2022/"


def _radio(page: Any, name: str, value: str) -> Any:
    return page.locator(f'input[name="{name}"][value="{value}"]')


def test_fill_in_two_sessions_then_submit(browser: Any, server: Server) -> None:
    # Session 1: answer some questions and save.
    first = browser.new_context(base_url=server.url, locale="nl-NL")
    page = first.new_page()
    log_in(page, server, "coordinator.amsterdam")
    page.get_by_role("link", name="Vragenlijst").first.click()
    assert page.get_by_role("heading", level=1).is_visible()
    page.goto(FILL)
    _radio(page, "coalition_status", "formed").check()
    _radio(page, "phb_offered", "yes").check()
    page.get_by_role("button", name="Opslaan en later verder").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").first.is_visible()  # "saved" message
    log_out(page)
    first.close()

    # Session 2: a new browser context (no cookies), the saved answers are back.
    second = browser.new_context(base_url=server.url, locale="nl-NL")
    page = second.new_page()
    log_in(page, server, "coordinator.amsterdam")
    page.goto(FILL)
    assert _radio(page, "coalition_status", "formed").is_checked()
    assert _radio(page, "phb_offered", "yes").is_checked()

    # Submitting without the required plan question shows an error summary, saves nothing wrong.
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert _radio(page, "coalition_status", "formed").is_checked()  # input kept

    _radio(page, "plan_status", "finished").check()
    page.locator('input[name="phb_timing"][value="w20_25"]').check()
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state()
    # Submitting asks for confirmation first, listing the questions left unanswered.
    assert page.get_by_role("heading", name="De vragenlijst versturen?").is_visible()
    assert page.locator("#unanswered").is_visible()
    page.get_by_role("button", name="Bevestigen en versturen").click()
    page.wait_for_load_state()
    assert page.get_by_text("De vragenlijst is verstuurd").first.is_visible()
    page.goto(FILL)
    assert page.get_by_role("button", name="Versturen").count() == 0  # read-only now
    second.close()

    # Programme staff see Amsterdam as submitted in the response overview.
    staff = browser.new_context(base_url=server.url, locale="nl-NL")
    page = staff.new_page()
    log_in(page, server, "programma")
    page.goto("/questionnaire/2022/status/")
    row = page.locator("tr", has_text="Amsterdam")
    assert "Verstuurd" in row.first.inner_text()
    staff.close()

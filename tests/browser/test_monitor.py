"""The web monitor in a browser: the dashboard, the picker, the charts, the Excel download and
axe-core on every monitor page once all charts are drawn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from tests.browser.conftest import Server
from tests.browser.helpers import axe_violations, describe, log_in

#: A chart has finished: drawn, or failed (which the caller then reports).
DRAWN = "el => ['done', 'failed'].includes(el.getAttribute('data-state'))"


def _draw_all_charts(page: Any) -> None:
    """Scroll every chart into view (they load lazily) and wait until each is drawn."""
    charts = page.locator(".ks-vega")
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        page.wait_for_function(DRAWN, arg=chart.element_handle())
    states = page.eval_on_selector_all(
        ".ks-vega", "els => els.map(e => e.getAttribute('data-state'))"
    )
    assert states and all(s == "done" for s in states), states
    assert page.locator(".ks-vega svg").count() == len(states)


def test_dashboard_picker_and_charts(page: Any, server: Server) -> None:
    log_in(page, server, "beleid.utrecht")  # policy advisor of Utrecht (GM0344)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Monitor").click()
    page.wait_for_load_state()
    assert page.url.endswith("/monitor/gemeente/GM0344/"), "the user's own municipality first"
    assert page.get_by_role("heading", level=1).inner_text() == "Lokale monitor: Utrecht"

    page.get_by_label("Gemeente", exact=True).select_option(label="Amsterdam")
    page.get_by_role("button", name="Toon monitor").click()
    page.wait_for_load_state()
    assert page.url.endswith("/monitor/gemeente/GM0363/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lokale monitor: Amsterdam"
    assert page.get_by_role("heading", name="Tijdens de zwangerschap").is_visible()
    assert page.get_by_role("heading", name="Kansrijke Start in 2020").is_visible()
    _draw_all_charts(page)
    # The map has its own picker of indicators.
    page.get_by_label("Indicator op de kaart").select_option("2019-12")
    page.get_by_role("button", name="Toon kaart").click()
    page.wait_for_load_state()
    assert "kaart=2019-12" in page.url
    figure = page.locator("#map .ks-vega")
    figure.scroll_into_view_if_needed()
    page.wait_for_function(
        "el => el.getAttribute('data-state') === 'done'", arg=figure.element_handle()
    )


def test_compare_with_other_municipalities(page: Any, server: Server) -> None:
    log_in(page, server, "beleid.utrecht")
    page.goto("/monitor/gemeente/GM0363/")
    page.locator("#indicator-2019-07").get_by_role("link", name="Vergelijk Amsterdam").click()
    page.wait_for_load_state()
    assert page.url.endswith("/monitor/gemeente/GM0363/vergelijk/2019-07/")
    assert page.get_by_role("heading", name="Trechterdiagram").is_visible()
    table = page.locator("#municipalities")
    assert table.get_by_role("rowheader", name="Amsterdam", exact=True).count() == 1
    _draw_all_charts(page)


def test_excel_download(page: Any, server: Server, tmp_path: Path) -> None:
    log_in(page, server, "beleid.utrecht")
    page.goto("/monitor/gemeente/GM0363/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Excelwerkmap").click()
    download = info.value
    assert download.suggested_filename.startswith("kansrijk-monitor-GM0363-amsterdam-")
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = load_workbook(path, read_only=True)
    rows = list(book["2019-07"].iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert header[:3] == ("periode", "regiotype", "regiocode")
    amsterdam = [r for r in data if r[2] == "GM0363" and r[4] == "totaal"]
    assert amsterdam
    # The workbook's figures are the published ones.
    published = {
        (
            str(r["period_start"])
            if r["period_start"] == r["period_end"]
            else f"{r['period_start']}-{r['period_end']}"
        ): r["value"]
        for r in pq.read_table(server.monitor_dir / "results.parquet").to_pylist()
        if r["indicator_id"] == "2019-07"
        and r["region_code"] == "GM0363"
        and r["breakdown"] == "total"
    }
    for row in amsterdam:
        assert row[6] == pytest.approx(published[str(row[0])]) if row[6] is not None else True


#: The monitor pages per account: local and comparison pages for anyone, the national
#: dashboard for monitor analysts (and programme staff, checked in test_accessibility).
MONITOR_PAGES = {
    "beleid.utrecht": ["/monitor/gemeente/GM0344/", "/monitor/gemeente/GM0363/vergelijk/2019-12/"],
    "analist": ["/monitor/", "/monitor/nationaal/"],
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("account", sorted(MONITOR_PAGES))
def test_monitor_pages_are_accessible_with_their_charts(
    page: Any, server: Server, account: str, language: str
) -> None:
    log_in(page, server, account)
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    failures = {}
    for path in MONITOR_PAGES[account]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        if page.locator(".ks-vega").count():
            _draw_all_charts(page)
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert not failures, describe([{"page": k, "violations": v} for k, v in failures.items()])

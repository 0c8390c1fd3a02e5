"""The programme indicators page in a browser: reached from the main menu, one section per
indicator with the published figures of the demo data and a chart, the CSV download, and the
same page in English."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from tests.browser.conftest import Server
from tests.browser.helpers import log_in

#: Indicators 1-6 and 9, their anchors on the page.
SECTIONS = [f"indicator-{n}" for n in (1, 2, 3, 4, 5, 6, 9)]


def _row(page: Any, section: str, label: str) -> list[str]:
    """The cells (2019, 2020, 2021) of a section's table row whose header starts with label."""
    rows = page.locator(f"#{section} tbody tr")
    for i in range(rows.count()):
        row = rows.nth(i)
        if row.locator("th").inner_text().strip().startswith(label):
            return [c.strip() for c in row.locator("td").all_inner_texts()]
    raise AssertionError(f"{section}: no row {label!r}")


def test_programme_indicators_page(page: Any, server: Server, tmp_path: Path) -> None:
    log_in(page, server, "programma")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Programma").click()
    page.wait_for_load_state()
    assert page.url.endswith("/programme/")
    assert page.get_by_role("heading", level=1).inner_text() == "Programma-indicatoren"
    sections = page.locator("section.ks-programme-section")
    assert sections.count() == len(SECTIONS)
    for i, anchor in enumerate(SECTIONS):
        assert sections.nth(i).get_attribute("id") == anchor
        # Every section has its figures per year and a chart.
        assert sections.nth(i).locator("table").count() == 1
        assert sections.nth(i).locator("svg").count() >= 1

    # The published figures (docs/programme-indicators.md): indicator 1, coalitions formed;
    # indicator 9, JGZ organisations offering CenteringOuderschap.
    first = sections.first
    assert first.locator("thead th").all_inner_texts()[1:] == ["2019", "2020", "2021"]
    assert _row(page, "indicator-1", "Gemeenten met de Impuls (N)") == ["147", "275", "273"]
    assert _row(page, "indicator-1", "Coalitie gevormd (n)") == ["40", "59", "140"]
    assert _row(page, "indicator-1", "Percentage van gemeenten met de Impuls") == [
        "27%",
        "21%",
        "51%",
    ]
    assert _row(page, "indicator-9", "JGZ-organisaties (N)") == ["36", "36", "36"]
    assert _row(page, "indicator-9", "JGZ-organisaties die CenteringOuderschap") == ["8", "8", "9"]

    # The contents link jumps to the section.
    page.get_by_role("navigation", name="Indicatoren").get_by_role("link").nth(4).click()
    assert page.url.endswith("#indicator-5")
    assert page.locator("#indicator-5-heading").is_visible()

    # The CSV download holds the same headline: indicator 1 in 2021, 140 of 273.
    with page.expect_download() as info:
        page.get_by_role("link", name="Alle cijfers als CSV").click()
    target = tmp_path / "programme.csv"
    info.value.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    headline = [
        (r["numerator"], r["denominator"], r["suppressed"])
        for r in rows
        if r["indicator_id"] == "2019-01" and r["period_end"] == "2021"
    ]
    assert headline == [("140", "273", "false")]

    # The same page in English.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Programme indicators"
    assert page.locator("section.ks-programme-section").count() == len(SECTIONS)

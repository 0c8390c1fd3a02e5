"""The HTML reports open with the network off: every chart and map draws from the file alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kansrijk.publication import Publication
from kansrijk.report.build import build_local, build_national

from ..conftest import MonitorRun
from .helpers import axe_violations, describe


@pytest.fixture(scope="module")
def reports(monitor_run: MonitorRun, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    published = Publication.open(monitor_run.out)
    out = tmp_path_factory.mktemp("reports")
    return [
        *build_national(published, out, "nl", formats=("html",)),
        *build_local(published, "GM0363", out, "en", formats=("html",)),
    ]


def test_reports_render_offline_and_pass_axe(browser: Any, reports: list[Path]) -> None:
    context = browser.new_context(offline=True, locale="nl-NL")
    try:
        for path in reports:
            page = context.new_page()
            requests: list[str] = []
            errors: list[str] = []
            page.on("request", lambda r, seen=requests: seen.append(r.url))
            page.on("pageerror", lambda e, seen=errors: seen.append(str(e)))
            page.goto(path.as_uri())
            page.wait_for_function(
                "document.querySelectorAll('.chart-canvas').length > 0 && "
                "document.querySelectorAll('.chart-canvas svg').length === "
                "document.querySelectorAll('.chart-canvas').length",
                timeout=120_000,
            )
            assert not errors, errors
            assert all(url.startswith("file:") for url in requests), requests
            if "factsheet" in path.name:  # maps drew every municipality
                shapes = page.locator("[id^='map-'] svg path").count()
                assert shapes > 342
            violations = axe_violations(page)
            assert not violations, describe(violations)
            page.close()
    finally:
        context.close()

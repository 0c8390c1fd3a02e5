"""The figures on the pages are the published cells, formatted; hidden cells carry no number."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.test import Client

from kansrijk.web.accounts.roles import OrganisationType, Role
from tests.conftest import MonitorRun
from tests.web import factories as f
from tests.web.monitor.pages import expected_interval, expected_value, figures, municipal_totals

pytestmark = pytest.mark.django_db


def _client() -> Client:
    org = f.organisation(municipality_code="GM0363")
    return f.signed_in(f.user(role=Role.POLICY_ADVISOR, org=org))


def _latest_and_pooled(
    results: Path, code: str
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rows = municipal_totals(results, code).to_pylist()
    latest_year = max(r["period_end"] for r in rows if r["period_start"] == r["period_end"])
    latest = [r for r in rows if r["period_start"] == r["period_end"] == latest_year]
    pooled: dict[str, dict[str, object]] = {}
    for r in rows:
        if r["period_start"] != r["period_end"]:
            best = pooled.get(str(r["indicator_id"]))
            if best is None or int(r["period_end"]) > int(best["period_end"]):  # type: ignore[call-overload]
                pooled[str(r["indicator_id"])] = r
    return latest, list(pooled.values())


def test_amsterdam_page_shows_the_results_table(results: Path) -> None:
    html = _client().get("/monitor/gemeente/GM0363/").content.decode()
    shown = figures(html)
    latest, pooled = _latest_and_pooled(results, "GM0363")
    assert latest and pooled
    published = [r for r in latest if not r["suppressed"]]
    assert published, "Amsterdam should have published figures for the latest year"
    for row in latest:
        key = str(row["indicator_id"])
        assert shown[(key, "latest")] == expected_value(row), key
        assert shown[(key, "latest-ci")] == expected_interval(row), key
    for row in pooled:
        key = str(row["indicator_id"])
        value = shown[(key, "pooled")]
        period = f"({row['period_start']}-{row['period_end']})"
        assert value == f"{expected_value(row)} {period}", key


def test_amsterdam_in_english(results: Path) -> None:
    client = _client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/monitor/gemeente/GM0363/").content.decode()
    assert '<html lang="en"' in html
    shown = figures(html)
    latest, _pooled = _latest_and_pooled(results, "GM0363")
    for row in latest:
        assert shown[(str(row["indicator_id"]), "latest")] == expected_value(row, "en")


def _small_municipality(monitor_run: MonitorRun) -> str:
    """A municipality whose every latest-year cell is hidden."""
    latest_year = 2020
    t = pq.read_table(monitor_run.out / "results.parquet").to_pylist()
    codes: dict[str, list[bool]] = {}
    for r in t:
        if (
            r["region_type"] == "gemeente"
            and r["breakdown"] == "total"
            and r["period_start"] == r["period_end"] == latest_year
        ):
            codes.setdefault(r["region_code"], []).append(bool(r["suppressed"]))
    return next(code for code, hidden in sorted(codes.items()) if all(hidden))


def test_hidden_cells_read_hidden_and_carry_no_number(
    results: Path, monitor_run: MonitorRun
) -> None:
    code = _small_municipality(monitor_run)
    html = _client().get(f"/monitor/gemeente/{code}/").content.decode()
    shown = figures(html)
    rows = municipal_totals(results, code).to_pylist()
    hidden = [r for r in rows if r["suppressed"]]
    assert hidden
    for key, text in shown.items():
        if key[1] == "latest":
            assert text == "verborgen", key
            assert not re.search(r"\d", text)
        if key[1] == "latest-ci":
            assert text == "", key
    # The explanation sits next to the tables and is linked to them.
    assert 'aria-describedby="phase-during-hidden"' in html
    assert 'id="phase-during-hidden"' in html
    assert "te weinig personen om dit cijfer te publiceren" in html
    # "verborgen" is all a hidden cell says: never why it is hidden
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", html, flags=re.S))
    for word in ("suppression", "primair", "secundair", "primary", "secondary"):
        assert word not in text.lower(), word


@pytest.mark.parametrize("small", [False, True])
def test_every_year_of_the_municipality_is_the_published_cell(
    results: Path, monitor_run: MonitorRun, small: bool
) -> None:
    """Each year (and the pooled period) in the indicator tables: the published value, or
    "verborgen" without any digit for a hidden cell."""
    code = _small_municipality(monitor_run) if small else "GM0363"
    shown = figures(_client().get(f"/monitor/gemeente/{code}/").content.decode())
    rows = municipal_totals(results, code).to_pylist()
    latest_pooled = max(r["period_end"] for r in rows if r["period_start"] != r["period_end"])
    checked = 0
    for row in rows:
        pooled = row["period_start"] != row["period_end"]
        if pooled and row["period_end"] != latest_pooled:
            continue
        period = (
            f"{row['period_start']}-{row['period_end']}" if pooled else str(row["period_start"])
        )
        text = shown[(str(row["indicator_id"]), period)]
        assert text == expected_value(row), (row["indicator_id"], period)
        if row["suppressed"]:
            assert not re.search(r"\d", text)
        checked += 1
    assert checked >= 15 * 5


def test_compare_table_matches_the_results(results: Path) -> None:
    html = _client().get("/monitor/gemeente/GM0363/vergelijk/2019-07/").content.decode()
    rows = [
        r
        for r in pq.read_table(results / "results.parquet").to_pylist()
        if r["indicator_id"] == "2019-07"
        and r["region_type"] == "gemeente"
        and r["breakdown"] == "total"
        and r["period_start"] == 2016
        and r["period_end"] == 2020
    ]
    amsterdam = next(r for r in rows if r["region_code"] == "GM0363")
    assert expected_value(amsterdam) in html
    assert expected_interval(amsterdam) in html
    hidden = sum(bool(r["suppressed"]) for r in rows)
    assert f"met een cijfer, {hidden} verborgen" in html


def test_national_tiles_show_the_latest_national_figures(results: Path) -> None:
    org = f.organisation(type=OrganisationType.NATIONAL, municipality_code="")
    client = f.signed_in(f.user(role=Role.MONITOR_ANALYST, org=org))
    html = client.get("/monitor/nationaal/").content.decode()
    shown = figures(html)
    t = pq.read_table(results / "results.parquet").to_pylist()
    nl = [
        r
        for r in t
        if r["region_type"] == "nl"
        and r["breakdown"] == "total"
        and r["period_start"] == r["period_end"]
    ]
    for indicator in {r["indicator_id"] for r in nl}:
        series = sorted(
            (r for r in nl if r["indicator_id"] == indicator and not r["suppressed"]),
            key=lambda r: r["period_start"],
        )
        assert shown[(indicator, "tile")] == expected_value(series[-1]), indicator

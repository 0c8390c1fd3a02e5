"""Municipalities named like their province (issue 14, item 8): Utrecht (GM0344, province
PV26) and Groningen (GM0014, province PV20). Series are keyed by region code, so the page's
columns, the chart's lines and the figures keep the municipality and the province apart."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.test import Client

from kansrijk.publication import Region
from kansrijk.report.labels import series_labels
from kansrijk.web.accounts.roles import Role
from tests.web import factories as f
from tests.web.monitor.pages import expected_value, figures

pytestmark = pytest.mark.django_db

SAME_NAME = [("GM0344", "Utrecht", "PV26"), ("GM0014", "Groningen", "PV20")]


def _client() -> Client:
    org = f.organisation(municipality_code="GM0363")
    return f.signed_in(f.user(role=Role.POLICY_ADVISOR, org=org))


def _latest_totals(results: Path, code: str) -> dict[str, dict[str, Any]]:
    """The region's single-year total cells of the latest year, by indicator."""
    t = pq.read_table(results / "results.parquet")
    t = t.filter(
        pc.and_(pc.equal(t["region_code"], code), pc.equal(t["breakdown"], "total"))
    ).to_pylist()
    single = [r for r in t if r["period_start"] == r["period_end"]]
    latest = max(r["period_end"] for r in single)
    return {str(r["indicator_id"]): r for r in single if r["period_end"] == latest}


def _trend_rows(client: Client, html: str) -> list[dict[str, Any]]:
    """The data rows of the first trend chart on the page."""
    url = re.search(r'data-spec="([^"]*/trend/[^"]*)"', html)
    assert url is not None
    spec = json.loads(client.get(url.group(1)).content)
    rows: list[dict[str, Any]] = spec["datasets"]["trend"]
    return rows


def test_labels_are_keyed_by_code_and_unique() -> None:
    utrecht = Region("GM0344", "Utrecht", "gemeente", "PV26", "Utrecht")
    province = Region("PV26", "Utrecht", "province")
    assert series_labels(utrecht, province, "nl") == {
        "GM0344": "Utrecht",
        "PV26": "Utrecht (provincie)",
        "NL01": "Nederland",
    }
    assert series_labels(utrecht, province, "en")["PV26"] == "Utrecht (province)"
    amsterdam = Region("GM0363", "Amsterdam", "gemeente", "PV27", "Noord-Holland")
    holland = Region("PV27", "Noord-Holland", "province")
    assert series_labels(amsterdam, holland, "nl")["PV27"] == "Noord-Holland"


@pytest.mark.parametrize(("code", "name", "province"), SAME_NAME)
def test_municipality_and_province_stay_apart(
    results: Path, code: str, name: str, province: str
) -> None:
    client = _client()
    html = client.get(f"/monitor/gemeente/{code}/").content.decode()
    # The columns: the municipality, then the province labelled as such.
    headers = re.findall(r'<th scope="col"[^>]*ks-num">([^<]+)</th>', html)
    assert f"{name} (provincie) 2020" in headers and f"{name} 2020" in headers
    # One of each per phase table: before the fix both columns read "Utrecht 2020".
    assert headers.count(f"{name} 2020") == headers.count(f"{name} (provincie) 2020")
    # The figures: the municipality's cells in its column, the province's in the province's.
    shown = figures(html)
    mine, theirs = _latest_totals(results, code), _latest_totals(results, province)
    differ = 0
    for indicator_id, row in mine.items():
        assert shown[(indicator_id, "latest")] == expected_value(row), indicator_id
        assert shown[(indicator_id, "province")] == expected_value(theirs[indicator_id])
        differ += expected_value(row) != expected_value(theirs[indicator_id])
    assert differ, "the test needs an indicator where municipality and province differ"
    # The chart: three lines, the municipality's values under its own name.
    rows = _trend_rows(client, html)
    assert {r["series"] for r in rows} == {name, f"{name} (provincie)", "Nederland"}
    first = re.search(r'data-spec="[^"]*/trend/([^/]+)/', html)
    assert first is not None
    indicator_id = first.group(1)
    for label, region in ((name, code), (f"{name} (provincie)", province)):
        latest = [r for r in rows if r["series"] == label and r["period"] == "2020"]
        assert len(latest) == 1
        cell = (mine if region == code else theirs)[indicator_id]
        if not cell["suppressed"]:
            assert latest[0]["value"] == pytest.approx(cell["value"]), label


def test_other_municipalities_keep_the_plain_province_name(results: Path) -> None:
    html = _client().get("/monitor/gemeente/GM0363/").content.decode()
    assert "Noord-Holland 2020" in html and "(provincie)" not in html

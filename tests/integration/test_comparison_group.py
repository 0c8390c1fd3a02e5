"""A monitor run on the synthetic Netherlands publishes the comparison classes (no counts), and
the local monitor compares a municipality with its similar municipalities from them."""

from __future__ import annotations

import csv
import json

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from kansrijk import geo
from kansrijk.publication import Publication
from kansrijk.report import dashboard
from kansrijk.report.build import local_html

from ..conftest import MonitorRun
from ..unit.report.english import visible_text

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_the_run_publishes_codes_and_classes_only(monitor_run: MonitorRun) -> None:
    out = monitor_run.out
    table = pq.read_table(out / "comparison_classes.parquet")
    assert table.column_names == ["region_code", "urbanisation_class", "size_class"]
    codes = {m.code for m in geo.municipalities(2023)}
    assert set(table["region_code"].to_pylist()) == codes
    assert set(table["urbanisation_class"].to_pylist()) <= {1, 2, 3, 4, 5}
    with (out / "comparison_classes.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == ["region_code", "urbanisation_class", "size_class"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "comparison_classes.parquet" in manifest["outputs"]
    note = manifest["comparison_classes"]
    assert note["classified"] == len(codes) and note["without_class"] == []
    assert note["input"] == "municipality_classes" and len(note["sha256"]) == 64


def test_group_figures_are_sums_of_published_member_cells(monitor_run: MonitorRun) -> None:
    published = Publication.open(monitor_run.out)
    group = published.comparison_group("GM0363")
    assert group is not None and len(group.members) >= 5
    assert "GM0363" not in group.members
    results = pq.read_table(monitor_run.out / "results.parquet")
    local = dashboard.local(published, "GM0363")
    checked = 0
    for c in local.comparisons:
        g = c.group
        assert g is not None and g.members == len(group.members)
        rows = results.filter(
            pc.and_(
                pc.and_(
                    pc.equal(results["indicator_id"], c.indicator.id),
                    pc.equal(results["breakdown"], "total"),
                ),
                pc.and_(
                    pc.equal(results["period_start"], g.period[0]),
                    pc.equal(results["period_end"], g.period[1]),
                ),
            )
        ).to_pylist()
        shown = [
            r
            for r in rows
            if r["region_type"] == "gemeente"
            and r["region_code"] in group.members
            and not r["suppressed"]
            and r["denominator"]
        ]
        assert g.published == len(shown)
        if len(shown) >= 3:
            assert g.numerator == sum(r["numerator"] for r in shown)
            assert g.denominator == sum(r["denominator"] for r in shown)
            checked += 1
        else:
            assert g.value is None
    assert checked >= 3


def test_the_dutch_local_monitor_names_the_group(monitor_run: MonitorRun) -> None:
    html = local_html(Publication.open(monitor_run.out), "GM0363", "nl")
    text = visible_text(html)
    assert "Amsterdam wordt ook vergeleken met" in text
    assert "gemeenten in de groep" in text
    assert text.count("Vergelijkbare gemeenten (") >= 3
    assert "Voor de zwangerschap" in text and "Na de geboorte" in text

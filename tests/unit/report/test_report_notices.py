"""Maps and funnels in the reports: centred on the Netherlands, a sentence when not drawn, and
the local monitor's CSV of its own published cells."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

from kansrijk.publication import HIDDEN_NL, NL, NUMBER_COLUMNS, RESULTS_SCHEMA
from kansrijk.report import maps
from kansrijk.report.build import (
    build_local,
    local_cells,
    local_html,
    local_page,
    national_html,
    national_page,
)

from .fixtures import Row, kraamzorg_rows, published

D = "2019-10"


def _all_hidden_in_the_pool() -> list[Row]:
    """`kraamzorg_rows` with every municipality's 5-year figure too small to publish."""
    small = {"GM0363": 5, "GM0362": 4, "GM0358": 3}
    return [
        (*r[:7], small[r[4]], r[8]) if r[3] == "gemeente" and r[1] != r[2] else r
        for r in kraamzorg_rows()
    ]


def test_the_national_map_centres_on_the_netherlands() -> None:
    p = published()
    page = national_page(p, "nl")
    period = p.municipal_period(D)
    map_spec = page.charts[D]["map"]
    assert map_spec is not None
    nl_cell = p.period_cell(D, NL, period)
    assert nl_cell is not None and not nl_cell.suppressed
    expected = maps.choropleth(
        p.municipal(D, period), p.indicator(D), 2023, "nl", national=nl_cell, inline_geometry=False
    )
    assert map_spec.spec == expected
    assert "(Nederland: " in str(map_spec.spec)
    assert "(gemiddelde: " not in str(map_spec.spec)


@pytest.mark.parametrize("interactive", [True, False])
def test_a_map_not_drawn_is_a_sentence_without_the_grey_caption(interactive: bool) -> None:
    p = published(_all_hidden_in_the_pool())
    notice = maps.notice_of(national_page(p, "nl").charts[D]["map"].spec)  # type: ignore[union-attr]
    assert notice is not None and notice.startswith("Geen kaart")
    html = unescape(national_html(p, "nl", interactive=interactive))
    assert f'<p class="map-notice notice-map" id="map-{D}">{notice}</p>' in html
    assert "Grijs gearceerd" not in html
    assert 'class="chart chart-map"' not in html and f"map-{D}-spec" not in html


def test_a_drawn_map_keeps_its_figure_and_caption() -> None:
    html = unescape(national_html(published(), "nl", interactive=True))
    assert 'class="chart chart-map"' in html and "Grijs gearceerd" in html
    assert 'class="map-notice' not in html


@pytest.mark.parametrize("interactive", [True, False])
def test_a_local_funnel_without_points_says_so(interactive: bool) -> None:
    p = published()  # the fixture publishes no funnel table: no point
    assert p.funnel_points(D, p.municipal_period(D)) == []
    funnel = local_page(p, "GM0363", "nl").charts[D]["funnel"]
    assert funnel is not None
    notice = maps.notice_of(funnel.spec)
    assert notice is not None and notice.startswith("Geen trechterdiagram")
    html = unescape(local_html(p, "GM0363", "nl", interactive=interactive))
    assert f'<p class="map-notice notice-funnel" id="funnel-{D}">{notice}</p>' in html
    assert 'class="chart chart-funnel"' not in html


def _read_csv(path: Path) -> pa.Table:
    types = {f.name: f.type for f in RESULTS_SCHEMA} | {"note": pa.string()}
    options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=True)
    return pacsv.read_csv(path, convert_options=options)


@pytest.mark.parametrize("code", ["GM0362", "GM0363"])
def test_the_local_csv_holds_the_municipality_s_published_rows(code: str, tmp_path: Path) -> None:
    p = published()
    paths = build_local(p, code, tmp_path, "nl", formats=("html", "csv"))
    by_name = {path.name: path for path in paths}
    assert set(by_name) == {f"{code}-nl.html", f"{code}-nl.csv"}
    table = _read_csv(by_name[f"{code}-nl.csv"])
    rows = p.results.filter(pc.equal(p.results["region_code"], code))
    assert table.num_rows == rows.num_rows > 0
    assert table.column_names == [*rows.column_names, "note"]
    assert table.drop_columns(["note"]).cast(rows.schema).to_pylist() == rows.to_pylist()
    for row in table.to_pylist():
        if row["suppressed"]:
            assert row["note"] == HIDDEN_NL
            assert all(row[c] is None for c in NUMBER_COLUMNS), row
        else:
            assert row["note"] is None
    html = unescape(by_name[f"{code}-nl.html"].read_text(encoding="utf-8"))
    name = p.region(code).name
    assert f'<a href="{code}-nl.csv" download type="text/csv">' in html
    assert f"Download de cijfers van {name} (CSV)" in html


def test_amstelveen_s_csv_has_hidden_rows_without_numbers() -> None:
    table = local_cells(published(), "GM0362", "en")
    hidden = table.filter(table["suppressed"])
    assert hidden.num_rows == 5
    assert set(hidden["note"].to_pylist()) == {"hidden (privacy)"}
    for column in NUMBER_COLUMNS:
        assert hidden[column].null_count == hidden.num_rows


def test_no_csv_no_link(tmp_path: Path) -> None:
    (path,) = build_local(published(), "GM0363", tmp_path, "en", formats=("html",))
    html = path.read_text(encoding="utf-8")
    assert ".csv" not in html and "(CSV)" not in html
    with pytest.raises(ValueError, match="unknown format"):
        build_local(published(), "GM0363", tmp_path, "en", formats=("xlsx",))

"""Choropleth specs: every municipality drawn, hidden ones grey with their own legend entry."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from typing import Any

import pytest

from kansrijk import geo
from kansrijk.indicators import Direction, Indicator, indicator
from kansrijk.publication import Cell
from kansrijk.report import maps
from kansrijk.report.render import BOUNDARIES_DATASET, to_svg

LEAK = 77.777
YEAR = 2023


@pytest.fixture(scope="module")
def late_care() -> Indicator:
    return indicator("2019-07", 2021)


@pytest.fixture(scope="module")
def codes() -> list[str]:
    return sorted(m.code for m in geo.municipalities(YEAR))


def municipal_cells(codes: list[str], shown: int = 200, hidden: int = 25) -> list[Cell]:
    """``shown`` cells with values, then ``hidden`` suppressed ones (still carrying ``LEAK``
    numbers, as if unchecked), and no cell at all for the remaining municipalities."""
    cells = [
        Cell("2019-07", 2016, 2020, "gemeente", code, "total", "total",
             100, 1000, 10.0 + (i % 40) / 4, 8.0, 13.0, "%", False)
        for i, code in enumerate(codes[:shown])
    ]  # fmt: skip
    cells += [
        Cell("2019-07", 2016, 2020, "gemeente", code, "total", "total",
             77, 99, LEAK, LEAK - 1, LEAK + 1, "%", True)
        for code in codes[shown : shown + hidden]
    ]  # fmt: skip
    return cells


def rows_by_code(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    rows = [
        row
        for name, values in spec["datasets"].items()
        if name != BOUNDARIES_DATASET
        for row in values
    ]
    return {row["code"]: row for row in rows}


def test_map_covers_every_municipality(late_care: Indicator, codes: list[str]) -> None:
    spec = maps.choropleth(municipal_cells(codes), late_care, YEAR, "nl", highlight=codes[0])
    features = spec["datasets"][BOUNDARIES_DATASET]
    assert sorted(f["properties"]["statcode"] for f in features) == codes
    rows = rows_by_code(spec)
    assert sorted(rows) == codes
    statuses = [r["status"] for r in rows.values()]
    assert statuses.count("shown") == 200
    assert statuses.count("verborgen (privacy)") == 25
    assert statuses.count("geen gegevens") == len(codes) - 225
    assert spec["projection"]["type"] == "mercator"
    assert spec["projection"]["fit"]["geometry"]["coordinates"] == [
        list(corner) for corner in maps.NL_EXTENT
    ]

    svg = to_svg(spec)
    paths = [d for d in re.findall(r'<path[^>]* d="([^"]*)"', svg) if d.strip()]
    assert len(paths) >= len(codes)  # one shape per municipality, plus legend symbols
    assert ">verborgen (privacy)</text>" in svg
    assert ">geen gegevens</text>" in svg
    assert ">Percentage (%)</text>" in svg


def test_hidden_municipalities_have_no_number(late_care: Indicator, codes: list[str]) -> None:
    spec = maps.choropleth(municipal_cells(codes), late_care, YEAR)
    svg = to_svg(spec)
    text = json.dumps(spec)
    for leaked in ("77.777", "76.777", "78.777", "77,8"):
        assert leaked not in text and leaked not in svg
    hidden = [r for r in rows_by_code(spec).values() if r["hidden"]]
    assert len(hidden) == 25
    for row in hidden:
        assert row["value"] is None and row["ci_low"] is None and row["class"] is None
        assert row["value_text"] == "verborgen (privacy)"


def test_hidden_legend_entry_and_styles(late_care: Indicator, codes: list[str]) -> None:
    spec = maps.choropleth(municipal_cells(codes), late_care, YEAR)
    others = spec["layer"][1]["encoding"]
    assert others["color"]["scale"]["domain"] == ["verborgen (privacy)", "geen gegevens"]
    assert others["color"]["scale"]["range"] == [maps.HIDDEN_FILL, maps.NO_DATA_FILL]
    assert others["strokeDash"]["scale"]["range"][0] != [1, 0]  # dashed outline when hidden
    values = spec["layer"][0]["encoding"]["color"]
    assert values["title"] == "Percentage (%)"
    assert values["scale"]["range"] == list(maps.BLUES)  # lower is better: darker = higher


def test_highlight_and_english(late_care: Indicator, codes: list[str]) -> None:
    spec = maps.choropleth(municipal_cells(codes), late_care, YEAR, "en", highlight="GM0363")
    rows = rows_by_code(spec)
    assert [c for c, r in rows.items() if r["highlight"]] == ["GM0363"]
    assert rows["GM0363"]["name"] == "Amsterdam"
    outline = spec["layer"][2]
    assert outline["transform"] == [{"filter": "datum.highlight"}]
    assert outline["mark"]["stroke"] == "#000000"
    text = json.dumps(spec)
    assert "hidden (privacy)" in text and "no data" in text and "Municipality" in text
    assert "verborgen" not in text and "geen gegevens" not in text
    assert spec["description"].startswith("Map of")
    svg = to_svg(spec)
    assert ">hidden (privacy)</text>" in svg


def test_higher_is_better_reverses_the_scale(late_care: Indicator, codes: list[str]) -> None:
    better = dataclasses.replace(late_care, direction=Direction.HIGHER_IS_BETTER)
    spec = maps.choropleth(municipal_cells(codes), better, YEAR)
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == list(reversed(maps.BLUES))


def test_shared_geometry(late_care: Indicator, codes: list[str]) -> None:
    cells = municipal_cells(codes)
    inline = maps.choropleth(cells, late_care, YEAR)
    shared = maps.choropleth(cells, late_care, YEAR, inline_geometry=False)
    assert BOUNDARIES_DATASET not in shared["datasets"]
    assert shared["data"] == {"name": BOUNDARIES_DATASET}
    assert len(json.dumps(shared)) < len(json.dumps(inline)) - 150_000
    # what the page does in JavaScript: supply the one copy before embedding
    shared["datasets"][BOUNDARIES_DATASET] = maps.boundary_features(YEAR)
    assert shared == inline


def test_boundary_features_are_fresh(codes: list[str]) -> None:
    features = maps.boundary_features(YEAR)
    features.clear()
    assert len(maps.boundary_features(YEAR)) == len(codes)


def test_wrong_cells_raise(late_care: Indicator, codes: list[str]) -> None:
    stranger = dataclasses.replace(municipal_cells(codes, 1, 0)[0], region_code="GM9999")
    with pytest.raises(ValueError, match="not a municipality of 2023"):
        maps.choropleth([stranger], late_care, YEAR)
    twice = municipal_cells(codes, 1, 0) * 2
    with pytest.raises(ValueError, match="more than one cell"):
        maps.choropleth(twice, late_care, YEAR)


def test_no_cells_at_all(late_care: Indicator, codes: list[str]) -> None:
    spec = maps.choropleth([], late_care, YEAR)
    assert {r["status"] for r in rows_by_code(spec).values()} == {"geen gegevens"}
    to_svg(spec)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        ([5.0], [(5.0, 5.0)]),
        ([5.0, 5.0, 5.0], [(5.0, 5.0)]),
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 5),
        ([1.0, 1.0, 1.0, 1.0, 9.0], 2),
    ],
)
def test_quantile_classes(values: list[float], expected: list[tuple[float, float]] | int) -> None:
    classes = maps.quantile_classes(values)
    if isinstance(expected, int):
        assert len(classes) == expected
        assert classes[0][0] == min(values) and classes[-1][1] == max(values)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(classes))
    else:
        assert classes == expected

"""Choropleth specs: every municipality drawn, hidden ones grey with their own legend entry."""

from __future__ import annotations

import dataclasses
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
    colours = values["scale"]["range"]
    # lower is better: darker = higher, in the blues' order (some classes may be merged)
    assert len(colours) >= 3
    assert [maps.BLUES.index(c) for c in colours] == sorted(maps.BLUES.index(c) for c in colours)


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
    colours = spec["layer"][0]["encoding"]["color"]["scale"]["range"]
    order = [maps.BLUES.index(c) for c in colours]
    assert order == sorted(order, reverse=True)  # darker = lower


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
    assert (
        maps.notice_of(spec)
        == "Geen kaart: voor deze periode is er voor geen enkele gemeente een waarde."
    )
    to_svg(spec)


# -- classes -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("width", "step"),
    [(0.07, 0.05), (0.13, 0.1), (0.16, 0.2), (0.7, 0.5), (1.6, 2.0), (3.1, 2.0), (3.3, 5.0),
     (8.0, 10.0), (23.0, 20.0)],
)  # fmt: skip
def test_nice_step(width: float, step: float) -> None:
    assert maps.nice_step(width) == pytest.approx(step)


def test_nice_step_rejects_nothing_to_divide() -> None:
    with pytest.raises(ValueError, match="positive"):
        maps.nice_step(0.0)


def assert_well_formed(classes: list[maps.MapClass], values: list[float]) -> None:
    """Every value in exactly one class, no class empty, labels distinct and not degenerate."""
    assert classes
    for v in values:
        assert sum(c.holds(round(v, 1)) for c in classes) == 1, v
    assert all(c.count > 0 for c in classes)
    assert sum(c.count for c in classes) == len(values)
    labels = [c.label for c in classes]
    assert len(set(labels)) == len(labels)
    for c in classes:
        if c.low is not None and c.high is not None:
            assert c.high > c.low
    assert classes[0].low is None or classes[0].low <= min(values)
    assert [c.colour for c in classes] == sorted({c.colour for c in classes})


def test_classes_are_fixed_breaks_around_the_national_value() -> None:
    values = [10.0 + (i % 40) / 4 for i in range(200)]  # 10.0 ... 19.75
    classes = maps.map_classes(values, 14.2)
    assert [c.label for c in classes] == [
        "minder dan 12",
        "12 tot 14",
        "14 tot 16 (Nederland: 14,2)",
        "16 tot 18",
        "18 of meer",
    ]
    assert [c.colour for c in classes] == [0, 1, 2, 3, 4]
    assert_well_formed(classes, values)
    english = maps.map_classes(values, 14.2, "en", national=False)
    assert english[0].label == "under 12" and english[-1].label == "18 or more"
    assert english[2].label == "14 to under 16 (average: 14.2)"


def test_classes_ignore_one_noisy_small_municipality() -> None:
    """Quantile classes moved with every outlier; fixed breaks do not."""
    values = [10.0 + (i % 40) / 4 for i in range(200)]
    noisy = [*values[:-1], 95.0]
    labels = [c.label for c in maps.map_classes(values, 14.2)]
    assert [c.label for c in maps.map_classes(noisy, 14.2)] == labels


def test_narrow_values_give_no_degenerate_classes() -> None:
    """The issue's legend "3,2 / 3,2-3,3 / 3,3-3,4": values a few tenths apart."""
    values = [3.2, 3.2, 3.24, 3.26, 3.3, 3.31, 3.33, 3.38, 3.4]
    classes = maps.map_classes(values, 3.3)
    assert_well_formed(classes, values)
    assert [c.label for c in classes] == ["3,2 tot 3,4 (Nederland: 3,3)", "3,4 tot 3,6"]


@pytest.mark.parametrize(
    ("values", "centre", "labels"),
    [
        ([5.0], 5.0, ["5,0 tot 5,2 (Nederland: 5,0)"]),
        ([1.0, 1.0, 1.0, 1.0, 9.0], 1.0, ["0 tot 2 (Nederland: 1,0)", "2 of meer"]),
        # the national class is empty: merged into the class below, the gap above outward
        ([2.0, 2.0, 2.0, 30.0, 30.0, 30.0], 14.0, ["0 tot 20 (Nederland: 14,0)", "20 of meer"]),
        (
            [0.0, 0.0, 0.4, 0.6, 0.8],
            0.5,
            ["minder dan 0,4", "0,4 tot 0,6 (Nederland: 0,5)", "0,6 tot 0,8", "0,8 of meer"],
        ),
    ],
)
def test_empty_classes_are_merged(values: list[float], centre: float, labels: list[str]) -> None:
    classes = maps.map_classes(values, centre)
    assert [c.label for c in classes] == labels
    assert_well_formed(classes, values)


def test_no_values_no_classes() -> None:
    assert maps.map_classes([], 14.0) == []


# -- small-area estimates ------------------------------------------------------------------------
def province_cells(year: int = YEAR) -> tuple[list[Cell], dict[str, str]]:
    """Every municipality of two provinces with 1,000 births at 10% (PV27) or 20% (PV28),
    but one tiny municipality per province at an extreme value, and one hidden one."""
    municipalities = [m for m in geo.municipalities(year) if m.province_code in ("PV27", "PV28")]
    cells: list[Cell] = []
    province: dict[str, str] = {}
    for i, m in enumerate(sorted(municipalities, key=lambda m: m.code)):
        province[m.code] = m.province_code
        base = 10.0 if m.province_code == "PV27" else 20.0
        value, n = base + (i % 5 - 2) * 0.5, 1000
        cells.append(
            Cell("2019-07", 2020, 2020, "gemeente", m.code, "total", "total",
                 round(value * n / 100), n, value, value - 1, value + 1, "%", False)
        )  # fmt: skip
    return cells, province


def test_shrinkage_pulls_small_municipalities_toward_their_province() -> None:
    cells, province = province_cells()
    tiny_27 = next(c for c in cells if province[c.region_code] == "PV27")
    tiny_28 = next(c for c in cells if province[c.region_code] == "PV28")
    big = next(c for c in reversed(cells) if province[c.region_code] == "PV27")
    extreme = {
        tiny_27.region_code: dataclasses.replace(tiny_27, numerator=12, denominator=30, value=40.0),
        tiny_28.region_code: dataclasses.replace(tiny_28, numerator=0, denominator=30, value=0.0),
        big.region_code: dataclasses.replace(big, numerator=3_000, denominator=20_000, value=15.0),
    }
    hidden_code = cells[5].region_code
    hidden = dataclasses.replace(
        cells[5], numerator=77, denominator=99, value=LEAK, ci_low=LEAK, ci_high=LEAK,
        suppressed=True,
    )  # fmt: skip
    cells = [extreme.get(c.region_code, c) for c in cells]
    cells[5] = hidden
    estimates = maps.shrink(cells, YEAR)
    assert hidden_code not in estimates
    assert LEAK not in estimates.values()
    assert 10.0 < estimates[tiny_27.region_code] < 20.0  # 40% on 30 births: mostly noise
    assert 15.0 < estimates[tiny_28.region_code] < 20.0  # 0% on 30 births, in a 20% province
    assert estimates[big.region_code] == pytest.approx(15.0, abs=0.3)  # 20,000 births: kept
    ordinary = [c for c in cells if c.region_code not in extreme and not c.suppressed]
    for c in ordinary:  # each at most moved toward its province, never past it
        assert c.value is not None
        mean = 10.0 if province[c.region_code] == "PV27" else 20.0
        assert abs(estimates[c.region_code] - mean) <= abs(c.value - mean) + 0.6


def test_no_variation_beyond_chance_gives_the_province_mean() -> None:
    cells, province = province_cells()
    flat = [
        dataclasses.replace(c, value=10.0 if province[c.region_code] == "PV27" else 20.0)
        for c in cells
    ]
    estimates = maps.shrink(flat, YEAR)
    assert {round(v, 6) for v in estimates.values()} == {10.0, 20.0}


def test_too_few_municipalities_are_not_shrunk(late_care: Indicator, codes: list[str]) -> None:
    cells = municipal_cells(codes, shown=maps.MIN_SHRINK - 1, hidden=0)
    assert maps.shrink(cells, YEAR) == {c.region_code: c.value for c in cells}


def test_map_says_it_shrinks_and_names_the_national_class(
    late_care: Indicator, codes: list[str]
) -> None:
    cells = municipal_cells(codes)
    national = Cell("2019-07", 2016, 2020, "nl", "NL01", "total", "total",
                    142, 1000, 14.2, 14.0, 14.4, "%", False)  # fmt: skip
    spec = maps.choropleth(cells, late_care, YEAR, national=national)
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "empirisch Bayes, alleen uit gepubliceerde aantallen" in subtitle
    domain = spec["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert any(label.endswith("(Nederland: 14,2)") for label in domain)
    rows = [r for r in rows_by_code(spec).values() if r["status"] == "shown"]
    assert {r["class"] for r in rows} == set(domain)  # every class is used
    assert all(r["value_text"].endswith("%") and r["estimate_text"].endswith("%") for r in rows)
    tooltips = [t["title"] for t in spec["layer"][0]["encoding"]["tooltip"]]
    assert "Geschat (kleur)" in tooltips
    svg = to_svg(spec)
    for label in domain:
        assert f">{label}</text>" in svg
    assert ">verborgen (privacy)</text>" in svg and ">geen gegevens</text>" in svg
    assert ">Percentage (%)</text>" in svg

    raw = maps.choropleth(cells, late_care, YEAR, national=national, smooth=False)
    assert "Kleur: gepubliceerde waarde" in raw["title"]["subtitle"]
    by_code = rows_by_code(raw)
    assert all(r["estimate"] == r["value"] for r in by_code.values() if r["status"] == "shown")


# -- no map --------------------------------------------------------------------------------------
def test_no_map_when_almost_everything_is_hidden(late_care: Indicator, codes: list[str]) -> None:
    cells = municipal_cells(codes, shown=40, hidden=160)  # 80% hidden
    spec = maps.choropleth(cells, late_care, YEAR, "nl", highlight=codes[0])
    notice = maps.notice_of(spec)
    assert notice is not None
    assert notice.startswith(
        "Geen kaart: bij 160 van de 200 gemeenten (80%) is de waarde verborgen"
    )
    assert "Vanaf 80% verborgen gemeenten" in notice
    assert spec["description"] == notice
    assert "geoshape" not in json.dumps(spec) and BOUNDARIES_DATASET not in spec["datasets"]
    svg = to_svg(spec)
    assert "Geen kaart: bij 160 van de 200" in svg
    text = json.dumps(spec)
    assert "77.777" not in text and "10.0" not in text  # no figure at all
    english = maps.choropleth(cells, late_care, YEAR, "en")
    assert (maps.notice_of(english) or "").startswith(
        "No map: the value is hidden (privacy) for 160 of the 200 municipalities (80%)."
    )

    drawn = maps.choropleth(municipal_cells(codes, shown=41, hidden=159), late_care, YEAR)
    assert maps.notice_of(drawn) is None  # 79.5% hidden: still a map
    assert maps.map_notice(municipal_cells(codes, shown=41, hidden=159)) is None


def test_no_map_when_nothing_is_shown(late_care: Indicator, codes: list[str]) -> None:
    spec = maps.choropleth(municipal_cells(codes, shown=0, hidden=3), late_care, YEAR)
    assert "bij 3 van de 3 gemeenten (100%)" in (maps.notice_of(spec) or "")


def test_a_cell_without_denominator_keeps_its_value(late_care: Indicator, codes: list[str]) -> None:
    cells = municipal_cells(codes, shown=30, hidden=0)
    cells[0] = dataclasses.replace(cells[0], numerator=None, denominator=None, value=11.0)
    estimates = maps.shrink(cells, YEAR)
    assert estimates[cells[0].region_code] == 11.0 and len(estimates) == 30
    rows = rows_by_code(maps.choropleth(cells, late_care, YEAR))
    assert all(r["class"] for r in rows.values() if r["status"] == "shown")

"""Chart specs: valid Vega-Lite (rendered offline), hidden cells carry no number, labels by lang."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from kansrijk.indicators import Indicator, indicator
from kansrijk.publication import Cell, FunnelPoint
from kansrijk.report import charts
from kansrijk.report.labels import Lang
from kansrijk.report.render import to_svg

#: A value no visible cell has: if it shows up anywhere, a hidden number leaked.
LEAK = 77.777


@pytest.fixture(scope="module")
def late_care() -> Indicator:
    return indicator("2019-07", 2021)


def cell(
    region: str,
    year: int,
    value: float | None,
    *,
    hidden: bool = False,
    breakdown: str = "total",
    breakdown_value: str = "total",
    end: int | None = None,
) -> Cell:
    """A hand-made cell; a hidden one still carries ``LEAK`` numbers, as if a caller forgot to
    check it, so the tests prove the charts never read them."""
    if hidden:
        return Cell(
            "2019-07", year, end or year, "gemeente", region, breakdown, breakdown_value,
            77, 99, LEAK, LEAK - 1, LEAK + 1, "%", True,
        )  # fmt: skip
    assert value is not None
    return Cell(
        "2019-07", year, end or year, "gemeente", region, breakdown, breakdown_value,
        int(value * 10), 1000, value, value - 1.5, value + 1.5, "%", False,
    )  # fmt: skip


def rows_of(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every inline data row of a spec (Altair moves them into top-level ``datasets``)."""
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def svg_paths(svg: str) -> list[str]:
    return [d for d in re.findall(r'<path[^>]* d="([^"]*)"', svg) if d.strip()]


def assert_no_leak(spec: dict[str, Any], svg: str) -> None:
    text = json.dumps(spec)
    for leaked in ("77.777", "76.777", "78.777", "77,8", "77.8"):
        assert leaked not in text
        assert leaked not in svg
    for row in rows_of(spec):
        if row.get("hidden"):
            assert row["value"] is None and row["ci_low"] is None and row["ci_high"] is None


# -- trend -----------------------------------------------------------------------------------------
def trend_series() -> dict[str, list[Cell]]:
    return {
        "Amsterdam": [
            cell("GM0363", 2016, 12.0),
            cell("GM0363", 2017, None, hidden=True),
            cell("GM0363", 2018, 13.5),
            cell("GM0363", 2019, 13.1),
        ],
        "Aalsmeer": [
            cell("GM0358", 2016, None, hidden=True),
            cell("GM0358", 2017, None, hidden=True),
            cell("GM0358", 2018, 16.0),
            cell("GM0358", 2019, None, hidden=True),
        ],
        "Nederland": [cell("NL01", y, 14.0 + 0.1 * i) for i, y in enumerate(range(2016, 2020))],
    }


def test_trend_renders_with_gaps_and_hidden_markers(late_care: Indicator) -> None:
    spec = charts.trend_chart(trend_series(), late_care, "nl")
    svg = to_svg(spec)
    assert len(svg_paths(svg)) >= 10  # lines, rules, points, crosses
    assert_no_leak(spec, svg)
    hidden = [r for r in rows_of(spec) if r["hidden"]]
    assert {(r["series"], r["period"]) for r in hidden} == {
        ("Amsterdam", "2017"),
        ("Aalsmeer", "2016"),
        ("Aalsmeer", "2017"),
        ("Aalsmeer", "2019"),
    }
    assert all(r["value_text"] == "verborgen (privacy)" for r in hidden)
    assert "verborgen (privacy)" in svg  # the legend entry of the hidden marker
    # the line is broken, not bridged, at a hidden year
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    assert line["mark"]["invalid"] == "break-paths-show-domains"
    assert spec["title"]["text"] == late_care.title_nl
    assert "Amsterdam 2017" in spec["description"]
    assert "Amsterdam: 13,1% in 2019" in spec["description"]


def test_trend_languages(late_care: Indicator) -> None:
    nl = json.dumps(charts.trend_chart(trend_series(), late_care, "nl"))
    en_spec = charts.trend_chart(trend_series(), late_care, "en")
    en = json.dumps(en_spec)
    assert "verborgen (privacy)" in nl and '"Jaar"' in nl and "13,5%" in nl
    assert "hidden (privacy)" in en and '"Year"' in en and "13.5%" in en
    assert "verborgen" not in en and '"Jaar"' not in en
    assert en_spec["title"]["text"] == late_care.title_en
    assert en_spec["config"]["locale"]["number"]["decimal"] == "."


def test_trend_all_hidden_and_width_container(late_care: Indicator) -> None:
    series = {"Aalsmeer": [cell("GM0358", y, None, hidden=True) for y in (2018, 2019)]}
    spec = charts.trend_chart(series, late_care, width="container")
    assert spec["width"] == "container"
    assert "geen gepubliceerde waarde" in spec["description"]
    svg = to_svg(spec)
    assert_no_leak(spec, svg)


def test_trend_palette_is_colour_blind_safe(late_care: Indicator) -> None:
    spec = charts.trend_chart(trend_series(), late_care)
    colours = [
        layer["encoding"]["color"]["scale"]["range"]
        for layer in spec["layer"]
        if "color" in layer["encoding"]
    ]
    assert all(set(c) <= set(charts.PALETTE) for c in colours)
    assert colours[0] == list(charts.PALETTE[:3])


# -- breakdowns ------------------------------------------------------------------------------------
def breakdown_cells() -> dict[str, list[Cell]]:
    quintiles = [
        cell("NL01", 2020, 20.0 - 2 * i, breakdown="income_quintile", breakdown_value=f"Q{i}")
        for i in (5, 1, 2, 4)
    ]
    quintiles.append(
        cell("NL01", 2020, None, hidden=True, breakdown="income_quintile", breakdown_value="Q3")
    )
    quintiles.append(
        cell("NL01", 2020, 18.0, breakdown="income_quintile", breakdown_value="unknown")
    )
    return {
        "income_quintile": quintiles,
        "single_parent": [
            cell("NL01", 2020, 19.0, breakdown="single_parent", breakdown_value="yes"),
            cell("NL01", 2020, 12.0, breakdown="single_parent", breakdown_value="no"),
        ],
        "education": [
            cell("NL01", 2020, 17.0, breakdown="education", breakdown_value=v)
            for v in ("high", "low", "middle")
        ],
    }


def test_breakdown_renders_with_hidden_label(late_care: Indicator) -> None:
    total = cell("NL01", 2020, 14.0)
    spec = charts.breakdown_chart(breakdown_cells(), late_care, "nl", total=total)
    svg = to_svg(spec)
    assert len(svg_paths(svg)) >= 10
    assert_no_leak(spec, svg)
    rows = rows_of(spec)
    hidden = [r for r in rows if r.get("hidden")]
    assert [r["group"] for r in hidden] == ["kwintiel 3"]
    assert hidden[0]["label_text"] == "verborgen" and hidden[0]["label_x"] == 0.0
    assert ">verborgen</text>" in svg
    panels = spec["vconcat"]
    assert [p["title"]["text"] for p in panels] == [
        "Huishoudinkomen (kwintiel)",
        "Eenoudergezin",
        "Opleidingsniveau moeder",
    ]
    first_y = panels[0]["layer"][0]["encoding"]["y"]
    assert first_y["sort"] == [
        "kwintiel 1",
        "kwintiel 2",
        "kwintiel 3",
        "kwintiel 4",
        "kwintiel 5",
        "onbekend",
    ]
    assert panels[1]["layer"][0]["encoding"]["y"]["sort"] == ["ja", "nee"]
    assert panels[2]["layer"][0]["encoding"]["y"]["sort"] == ["laag", "middelbaar", "hoog"]
    assert "Totaal: 14,0%" in spec["title"]["subtitle"][1]
    assert spec["description"].startswith("Staafdiagram")


def test_breakdown_languages_and_overrides(late_care: Indicator) -> None:
    spec = charts.breakdown_chart(breakdown_cells(), late_care, "en")
    text = json.dumps(spec)
    assert "quintile 3" in text and '"unknown"' in text and '"yes"' in text
    assert "Household income quintile" in text and "Single-parent household" in text
    assert '"hidden"' in text and "verborgen" not in text
    jgz = {"jgz_organisation": [cell("NL01", 2020, 10.0, breakdown="jgz_organisation",
                                     breakdown_value="JGZ02")]}  # fmt: skip
    spec = charts.breakdown_chart(jgz, late_care, value_labels={"JGZ02": "GGD Amsterdam"})
    assert any(r.get("group") == "GGD Amsterdam" for r in rows_of(spec))
    to_svg(spec)


# -- print sizing of breakdowns ------------------------------------------------------------------
def many_breakdowns(rows: list[int]) -> dict[str, list[Cell]]:
    """Breakdowns with ``rows`` groups each (like indicators 13 and 14: dozens of JGZ
    organisations next to a few short breakdowns); one group hidden."""
    return {
        f"b{i}": [
            cell(
                "NL01",
                2020,
                None if (i, j) == (4, 3) else 5.0 + j,
                hidden=(i, j) == (4, 3),
                breakdown=f"b{i}",
                breakdown_value=f"groep {j}",
            )
            for j in range(n)
        ]
        for i, n in enumerate(rows)
    }


def svg_height(svg: str) -> float:
    match = re.search(r'<svg[^>]*\bheight="([\d.]+)"', svg)
    assert match is not None
    return float(match.group(1))


def test_breakdown_layout_fits_a_page() -> None:
    short = charts.breakdown_layout([6, 2, 3])
    assert short == charts.BreakdownLayout(((0, 1, 2),), charts.BAR_STEP, charts.DEFAULT_WIDTH)
    tall = charts.breakdown_layout([2, 4, 3, 6, 30, 4, 2, 3])
    assert tall.columns == ((0, 1, 2, 3), (4, 5, 6, 7))  # in order, the long panel on the right
    assert charts.MIN_BAR_STEP <= tall.step < charts.BAR_STEP
    assert isinstance(tall.width, int) and tall.width < charts.DEFAULT_WIDTH / 2
    for column in tall.columns:
        rows = sum([2, 4, 3, 6, 30, 4, 2, 3][i] for i in column)
        assert rows * tall.step + len(column) * charts.PANEL_EXTRA <= charts.PRINT_HEIGHT
    # taller still: the smallest step, and report.css scales the rest down
    assert charts.breakdown_layout([2, 4, 3, 6, 60, 4, 2, 3]).step == charts.MIN_BAR_STEP
    one = charts.breakdown_layout([45])
    assert one.columns == ((0,),) and one.step < charts.BAR_STEP
    web = charts.breakdown_layout([2, 4, 3, 6, 35, 4, 2, 3], "container")
    assert web == charts.BreakdownLayout(((0, 1, 2, 3, 4, 5, 6, 7),), charts.BAR_STEP, "container")


def test_tall_breakdown_renders_in_two_columns_within_a_page(late_care: Indicator) -> None:
    rows = [2, 4, 3, 6, 30, 4, 2, 3]
    spec = charts.breakdown_chart(
        many_breakdowns(rows), late_care, "nl", total=cell("NL01", 2020, 6.0)
    )
    assert "vconcat" not in spec
    left, right = spec["hconcat"]
    assert len(left["vconcat"]) == 4 and len(right["vconcat"]) == 4
    assert right["vconcat"][0]["height"] == {"step": charts.breakdown_layout(rows).step}
    # the value axis is titled under each column
    titles = [
        p["layer"][0]["encoding"]["x"].get("title") for p in [*left["vconcat"], *right["vconcat"]]
    ]
    assert titles == ["", "", "", "Percentage (%)", "", "", "", "Percentage (%)"]
    svg = to_svg(spec)
    assert ">verborgen</text>" in svg and ">groep 29</text>" in svg
    # A4 content box: 680 x 979 CSS px; the chart leaves room for heading and caption
    assert svg_height(svg) <= charts.PRINT_HEIGHT + 80
    one_column = charts.breakdown_chart(many_breakdowns(rows), late_care, width="container")
    assert "hconcat" not in one_column and len(one_column["vconcat"]) == 8


# -- funnel plot -----------------------------------------------------------------------------------
def funnel_points() -> list[FunnelPoint]:
    points = []
    for i in range(30):
        n = 100 + 150 * i
        half_95 = 196 / n**0.5
        half_998 = 309 / n**0.5
        value = 14.0 + (half_998 * 1.2 if i == 3 else (-1) ** i * half_95 * 0.5)
        points.append(
            FunnelPoint(
                f"GM{1000 + i:04d}",
                value,
                n,
                14.0,
                14.0 - half_95,
                14.0 + half_95,
                14.0 - half_998,
                14.0 + half_998,
                "above" if i == 3 else "within",
            )
        )
    points.append(FunnelPoint("GM0001", None, None, None, None, None, None, None, None))
    points.append(FunnelPoint("GM0002", None, None, None, None, None, None, None, None))
    return points


def test_funnel_renders_with_highlight_and_hidden_count(late_care: Indicator) -> None:
    names = {"GM1003": "Voorbeeldstad", "GM0001": "Verborgendorp"}
    spec = charts.funnel_chart(
        funnel_points(), late_care, "GM1003", names, "nl", hidden=["GM0003", "GM0001"],
        period="2016-2020",
    )  # fmt: skip
    svg = to_svg(spec)
    assert len(svg_paths(svg)) >= 5  # five limit lines and the highlighted point
    assert svg.count("<path") >= 35  # 30 circles too
    assert "3 gemeenten verborgen (privacy)" in spec["title"]["subtitle"]
    dots = [r for r in rows_of(spec) if "highlight" in r]
    assert len(dots) == 30
    assert not {"GM0001", "GM0002", "GM0003"} & {r["code"] for r in dots}
    focus = [r for r in dots if r["highlight"]]
    assert [r["name"] for r in focus] == ["Voorbeeldstad"]
    assert ">Voorbeeldstad</text>" in svg
    highlight_colours = [
        layer["mark"].get("color") for layer in spec["layer"] if layer["mark"]["type"] == "point"
    ]
    assert highlight_colours == [charts.HIGHLIGHT]
    assert "Voorbeeldstad: " in spec["description"] and "1 boven" in spec["description"]
    # limit lines are drawn from left to right
    lines = [r for r in rows_of(spec) if r.get("series") == "high_998"]
    assert [r["n"] for r in lines] == sorted(r["n"] for r in lines)


def test_funnel_hidden_highlight_and_english(late_care: Indicator) -> None:
    spec = charts.funnel_chart(
        funnel_points(), late_care, "GM0001", {"GM0001": "Hiddenham"}, "en", log_x=False
    )
    assert "2 municipalities hidden (privacy)" in spec["title"]["subtitle"]
    assert "Hiddenham: hidden (privacy)." in spec["title"]["subtitle"]
    assert not any(r.get("highlight") for r in rows_of(spec))
    text = json.dumps(spec)
    assert "National value" in text and "99.8% limits" in text and "gemeente" not in text
    to_svg(spec)


def test_funnel_single_hidden_wording(late_care: Indicator) -> None:
    points = [p for p in funnel_points() if p.region_code != "GM0002"]
    spec = charts.funnel_chart(points, late_care)
    assert "1 gemeente verborgen (privacy)" in spec["title"]["subtitle"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_chart_has_title_and_description(late_care: Indicator, lang: Lang) -> None:
    specs = [
        charts.trend_chart(trend_series(), late_care, lang),
        charts.breakdown_chart(breakdown_cells(), late_care, lang),
        charts.funnel_chart(funnel_points(), late_care, lang=lang),
    ]
    for spec in specs:
        assert spec["title"]["text"]
        assert len(spec["description"]) > 40
        assert spec["config"]["font"] == charts.FONT
        svg = to_svg(spec)
        assert 'aria-label="' in svg.split(">", 1)[0]


def limit_rows(spec: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in spec["datasets"]["funnel_limits"]:
        rows.setdefault(row["series"], []).append(row)
    return rows


def test_funnel_limits_span_the_axis_and_are_exact(late_care: Indicator) -> None:
    from kansrijk.stats import funnel_limits

    spec = charts.funnel_chart(funnel_points(), late_care)  # denominators 100 ... 4,450
    series = limit_rows(spec)
    assert set(series) == {"target", "low_95", "high_95", "low_998", "high_998"}
    for rows in series.values():
        ns = [r["n"] for r in rows]
        assert ns == sorted(ns) and len(ns) >= 40
        assert (ns[0], ns[-1]) == (100, 10_000)  # the decades of the log axis
    at = {s: {r["n"]: r["y"] for r in rows} for s, rows in series.items()}
    for n in at["target"]:
        assert at["low_998"][n] <= at["low_95"][n] <= 14.0 <= at["high_95"][n] <= at["high_998"][n]
    n = min(at["target"], key=lambda n: abs(n - 1000))
    exact = funnel_limits([n], 0.14)
    assert at["high_998"][n] == pytest.approx(100 * exact[0.998][1][0])
    assert at["low_95"][n] == pytest.approx(100 * exact[0.95][0][0])
    linear = charts.funnel_chart(funnel_points(), late_care, log_x=False)
    ns = [r["n"] for r in limit_rows(linear)["target"]]
    assert (ns[0], ns[-1]) == (50, 4450 + 445)


def test_funnel_draws_its_limits_for_one_published_point(late_care: Indicator) -> None:
    """The issue's overweight funnel: one municipality published, no limits were drawn."""
    one = [p for p in funnel_points() if p.region_code == "GM1003"]
    assert one[0].denominator == 550
    spec = charts.funnel_chart(
        one, late_care, "GM1003", {"GM1003": "Voorbeeldstad"}, hidden=["GM0001"]
    )
    series = limit_rows(spec)
    assert all(len(rows) >= 40 for rows in series.values()) and len(series) == 5
    assert {r["n"] for r in series["high_998"]} >= {100, 1000}
    svg = to_svg(spec)
    assert len(svg_paths(svg)) >= 6  # five limit lines and the point
    assert "usermeta" not in spec


def test_funnel_rate_limits_use_the_poisson_model(late_care: Indicator) -> None:
    from kansrijk.stats import poisson_funnel_limits

    rows = charts.funnel_limit_rows(2.0, [3_000, 40_000], "per 1,000")
    high = {r["n"]: r["y"] for r in rows if r["series"] == "high_998"}
    assert min(high) == 1_000 and max(high) == 100_000
    assert high[1_000] == pytest.approx(poisson_funnel_limits([1_000], 2.0)[0.998][1][0])
    assert list(high.values()) == sorted(high.values(), reverse=True)  # narrowing
    assert charts.funnel_limit_rows(2.0, [], "per 1,000") == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_funnel_without_a_published_point(late_care: Indicator, lang: Lang) -> None:
    hidden = [p for p in funnel_points() if p.value is None]
    spec = charts.funnel_chart(hidden, late_care, "GM0001", lang=lang, period="2016-2020")
    notice = spec["usermeta"]["kansrijk"]["notice"]
    expected = {
        "nl": "Geen trechterdiagram: geen enkele gemeente heeft een gepubliceerde waarde, "
        "2016-2020 (2 verborgen om privacyredenen).",
        "en": "No funnel plot: no municipality has a published value, 2016-2020 "
        "(2 hidden for privacy).",
    }
    assert notice == expected[lang]
    assert spec["description"] == notice
    assert "funnel_limits" not in spec["datasets"] and "funnel_points" not in spec["datasets"]
    svg = to_svg(spec)
    assert notice.split(",")[0] in svg


def test_no_funnel_without_the_national_value(late_care: Indicator) -> None:
    from dataclasses import replace

    points = [replace(p, target=None) for p in funnel_points()]
    spec = charts.funnel_chart(points, late_care)
    notice = spec["usermeta"]["kansrijk"]["notice"]
    assert notice.startswith("Geen trechterdiagram: de landelijke waarde is niet gepubliceerd")
    assert "14.0" not in json.dumps(spec["datasets"])
    to_svg(spec)

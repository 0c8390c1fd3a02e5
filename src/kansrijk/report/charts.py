"""Vega-Lite chart specs of published cells: trends, breakdowns and funnel plots.

Each function builds the chart with Altair and returns ``chart.to_dict()``: plain JSON data that
the PDF reports render to SVG offline (`kansrijk.report.render.to_svg`) and the web monitor hands
to vega-embed. The data inside a spec comes only from `Cell` and `FunnelPoint` objects of a
checked `Publication` run; a hidden cell enters a spec as a row with ``hidden: true``, a
"verborgen (privacy)" label and no number at all (value, interval and counts are null), so no
view of the spec can show one.

Conventions shared by every chart (and the maps in `kansrijk.report.maps`):

* texts in Dutch (default) or English, numbers with a decimal comma in Dutch (Vega's
  ``config.locale`` for axes and legends; tooltips carry preformatted strings);
* the Okabe-Ito colour-blind-safe palette, DejaVu Sans (shipped by Debian) as the font, so
  that text measured by vl-convert matches the text drawn in the PDF;
* a title, and a top-level ``description`` summarising the figures, which Vega writes as the
  ``aria-label`` of the chart for screen readers;
* a fixed width for A4 pages (``width=500``) or ``width="container"`` for the web.
"""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

import altair as alt
import numpy as np

from kansrijk import program_cache
from kansrijk.indicators import Indicator
from kansrijk.indicators.model import Direction
from kansrijk.publication import HIDDEN_EN, HIDDEN_NL, Cell, FunnelPoint
from kansrijk.report.labels import (
    Lang,
    breakdown_label,
    count,
    number,
    unit_label,
    value_label,
)
from kansrijk.stats import PERCENT
from kansrijk.stats.funnel import count_model_limits
from kansrijk.stats.units import scale_of

__all__ = [
    "BLACK",
    "DEFAULT_WIDTH",
    "FONT",
    "HIDDEN_GREY",
    "HIGHLIGHT",
    "PALETTE",
    "BreakdownLayout",
    "Width",
    "breakdown_chart",
    "breakdown_layout",
    "cell_row",
    "chart_text",
    "direction_reversed",
    "finish",
    "format_interval",
    "format_value",
    "funnel_chart",
    "funnel_limit_rows",
    "notice_spec",
    "trend_chart",
    "unit_title",
]

#: A chart width in pixels, or "container" to fill the parent element on a web page.
Width = int | Literal["container"]

#: The package whose code the cached chart layers depend on (`_from_cache`).
_REPORT_PACKAGE = Path(__file__).parent
#: Width that fits the text column of an A4 page (about 17 cm at 72 dpi).
DEFAULT_WIDTH = 500

#: Print sizing of the breakdown chart, in CSS pixels (96 per inch). The A4 content box of
#: report.css is 180 x 259 mm (680 x 979 px); the panels of a chart may take ``PRINT_HEIGHT``
#: of it, which leaves room for the chart's title, its caption and the section heading above,
#: so the figure never runs past the page (report.css scales a taller one down as a last resort).
PRINT_HEIGHT = 750
#: Row height of a breakdown bar, and the smallest one used to fit a page.
BAR_STEP = 20
MIN_BAR_STEP = 13
#: Height of a breakdown panel besides its rows: panel title, value axis and spacing.
PANEL_EXTRA = 55
#: Width of the group labels of a breakdown panel when the panels stand in two columns.
COLUMN_LABEL_LIMIT = 130

#: Okabe & Ito (2008), safe for the common colour-vision deficiencies; black comes last.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
BLACK = "#000000"
#: Neutral grey for hidden (privacy) figures and of the other units in a funnel plot.
HIDDEN_GREY = "#9a9a9a"
HIGHLIGHT = "#D55E00"  # vermillion: the highlighted municipality
BAR = "#0072B2"
#: A diagonal cross (SVG path in Vega's unit symbol box): the marker of a hidden figure.
CROSS = "M-1,-1L1,1M-1,1L1,-1"

#: Debian's DejaVu Sans first (vl-convert measures text with it), then the browser's default.
FONT = "DejaVu Sans, sans-serif"

#: d3-format locales, applied by Vega to axis and legend numbers.
_LOCALES: dict[Lang, alt.NumberLocale] = {
    "nl": alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["€\u00a0", ""]),
    "en": alt.NumberLocale(decimal=".", thousands=",", grouping=[3], currency=["€", ""]),
}

#: Texts of the charts and maps (Dutch, English); the report-wide words are in `labels`.
_TEXTS: dict[str, tuple[str, str]] = {
    "hidden": (HIDDEN_NL, HIDDEN_EN),
    "hidden_short": ("verborgen", "hidden"),
    "no_data": ("geen gegevens", "no data"),
    "area": ("Gebied", "Area"),
    "year": ("Jaar", "Year"),
    "value": ("Waarde", "Value"),
    "ci": ("95%-betrouwbaarheidsinterval", "95% confidence interval"),
    "counts": ("Teller / noemer", "Numerator / denominator"),
    "group": ("Groep", "Group"),
    "municipality": ("Gemeente", "Municipality"),
    "denominator": ("Aantal (noemer)", "Count (denominator)"),
    "denominator_log": (
        "Aantal (noemer, logaritmische schaal)",
        "Count (denominator, logarithmic scale)",
    ),
    "position": ("Positie", "Position"),
    "limits": ("Lijnen", "Lines"),
    "target": ("Landelijke waarde", "National value"),
    "limit_95": ("95%-grenzen", "95% limits"),
    "limit_998": ("99,8%-grenzen", "99.8% limits"),
    "above": ("boven de 99,8%-grens", "above the 99.8% limit"),
    "below": ("onder de 99,8%-grens", "below the 99.8% limit"),
    "within": ("binnen de grenzen", "within the limits"),
    "unplaced": ("geen positie", "no position"),
    "total": ("Totaal", "Total"),
    "trend_subtitle": (
        "{unit}, met 95%-betrouwbaarheidsinterval",
        "{unit}, with 95% confidence interval",
    ),
    "breakdown_subtitle": (
        "{unit}{period}, met 95%-betrouwbaarheidsinterval",
        "{unit}{period}, with 95% confidence interval",
    ),
    "funnel_subtitle": (
        "Gemeenten naar aantal en waarde{period}, met de 95%- en 99,8%-grenzen rond de "
        "landelijke waarde",
        "Municipalities by size and value{period}, with the 95% and 99.8% limits around the "
        "national value",
    ),
    "hidden_municipalities": (
        "{n} gemeenten verborgen (privacy)",
        "{n} municipalities hidden (privacy)",
    ),
    "hidden_municipality": ("1 gemeente verborgen (privacy)", "1 municipality hidden (privacy)"),
    "trend_description": (
        "Lijngrafiek: {title}, {first} tot en met {last}. {parts}",
        "Line chart: {title}, {first} to {last}. {parts}",
    ),
    "trend_part": ("{label}: {value} in {period}", "{label}: {value} in {period}"),
    "trend_empty": ("{label}: geen gepubliceerde waarde", "{label}: no published value"),
    "hidden_list": ("Verborgen (privacy): {items}", "Hidden (privacy): {items}"),
    "breakdown_description": (
        "Staafdiagram: {title}{period}, uitgesplitst. {parts}",
        "Bar chart: {title}{period}, by group. {parts}",
    ),
    "funnel_description": (
        "Trechterdiagram: {title}{period}. {n} gemeenten getoond: {above} boven en {below} "
        "onder de 99,8%-grenzen rond de landelijke waarde {target}. {hidden}",
        "Funnel plot: {title}{period}. {n} municipalities shown: {above} above and {below} "
        "below the 99.8% limits around the national value {target}. {hidden}",
    ),
    "highlight_part": ("{name}: {value} ({position}).", "{name}: {value} ({position})."),
    "highlight_hidden": ("{name}: verborgen (privacy).", "{name}: hidden (privacy)."),
    "highlight_absent": ("{name}: niet in deze grafiek.", "{name}: not in this chart."),
    "no_funnel_points": (
        "Geen trechterdiagram: geen enkele gemeente heeft een gepubliceerde "
        "waarde{period}{hidden}.",
        "No funnel plot: no municipality has a published value{period}{hidden}.",
    ),
    "no_funnel_hidden": (" ({n} verborgen om privacyredenen)", " ({n} hidden for privacy)"),
    "no_funnel_target": (
        "Geen trechterdiagram: de landelijke waarde{period} is niet gepubliceerd, dus er zijn geen "
        "grenzen om gemeenten aan te toetsen.",
        "No funnel plot: the national value{period} is not published, so there are no limits to "
        "compare municipalities with.",
    ),
}


def chart_text(key: str, lang: Lang = "nl", **values: object) -> str:
    """A chart text in ``lang``, with ``{name}`` placeholders filled."""
    nl, en = _TEXTS[key]
    chosen = nl if lang == "nl" else en
    return chosen.format(**values) if values else chosen


# -- shared helpers (also used by maps) ---------------------------------------------------------
def unit_title(unit: str, lang: Lang = "nl") -> str:
    """The axis or legend title of a unit: "Percentage (%)" or "Per 1.000"."""
    if unit == "%":
        return "Percentage (%)"
    label = unit_label(unit, lang)
    return label[:1].upper() + label[1:]


def format_value(value: float | None, unit: str, lang: Lang = "nl") -> str:
    """A published value with its unit, e.g. "13,8%" or "4.2 per 1,000"; "" for None."""
    if value is None:
        return ""
    if unit == "%":
        return f"{number(value, lang)}%"
    return f"{number(value, lang)} {unit_label(unit, lang)}"


def format_interval(low: float | None, high: float | None, lang: Lang = "nl") -> str:
    """A confidence interval as "13,5 – 14,2"; "" when either bound is missing."""
    if low is None or high is None:
        return ""
    return f"{number(low, lang)} – {number(high, lang)}"


def cell_row(cell: Cell, lang: Lang = "nl") -> dict[str, Any]:
    """The data row of one cell: numbers and preformatted tooltip texts, or, for a hidden
    cell, ``hidden: True`` with the hidden label and null numbers (never a value)."""
    if cell.suppressed or cell.value is None:
        hidden = chart_text("hidden", lang)
        return {
            "hidden": True,
            "value": None,
            "ci_low": None,
            "ci_high": None,
            "value_text": hidden,
            "ci_text": "—",
            "counts_text": "—",
        }
    counts = (
        f"{count(cell.numerator, lang)} / {count(cell.denominator, lang)}"
        if cell.numerator is not None and cell.denominator is not None
        else "—"
    )
    return {
        "hidden": False,
        "value": cell.value,
        "ci_low": cell.ci_low,
        "ci_high": cell.ci_high,
        "value_text": format_value(cell.value, cell.unit, lang),
        "ci_text": format_interval(cell.ci_low, cell.ci_high, lang) or "—",
        "counts_text": counts,
    }


def _title(indicator: Indicator, lang: Lang) -> str:
    return indicator.title_nl if lang == "nl" else indicator.title_en


def _period(cells: Iterable[Cell]) -> str:
    periods = sorted({(c.period_start, c.period_end) for c in cells})
    if not periods:
        return ""
    return ", ".join(str(s) if s == e else f"{s}-{e}" for s, e in periods)


@cache
def _configuration_of(lang: Lang) -> str:
    configured = (
        alt.Chart()
        .mark_point()
        .configure(
            aria=False,
            font=FONT,
            locale=alt.Locale(number=_LOCALES[lang]),
            background="white",
            padding=8,
            view=alt.ViewConfig(stroke=None),
            axis=alt.AxisConfig(labelFontSize=10, titleFontSize=11, labelColor="#222222"),
            legend=alt.LegendConfig(labelFontSize=10, titleFontSize=11, labelLimit=260),
        )
    )
    return json.dumps(configured.to_dict(validate=False)["config"])


def _configuration(lang: Lang) -> dict[str, Any]:
    """The shared configuration of every chart (font, number locale, axes, legend); a fresh
    copy per spec. aria=False: the marks stay out of the accessibility tree; the figure is
    one image whose label is the description, and the page gives the numbers as a table."""
    config: dict[str, Any] = json.loads(_configuration_of(lang))
    return config


def _sub_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """A chart as a dict to place inside a concat (no ``$schema``; not validated)."""
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    spec.pop("config", None)  # Altair's default; only the top level may hold a config
    return spec


def finish(
    chart: alt.TopLevelMixin | dict[str, Any],
    *,
    title: str,
    subtitle: Sequence[str],
    description: str,
    lang: Lang,
    datasets: Mapping[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """Add title, description and the shared configuration; return the spec as a dict.

    The charts read their rows from named datasets (``alt.NamedData``) that are put into the
    spec's top-level ``datasets`` only after Altair has validated it: validating and copying
    hundreds of data rows through the JSON schema made a spec two to eight times slower."""
    params = alt.TitleParams(
        text=title,
        subtitle=[s for s in subtitle if s] or alt.Undefined,
        anchor="start",
        fontSize=14,
        subtitleFontSize=11,
        subtitleColor="#333333",
        limit=0,
    )
    spec: dict[str, Any]
    if isinstance(chart, dict):
        # A spec built as dicts (`breakdown_chart`): title and description on the top level,
        # as Altair would put them.
        spec = {
            "$schema": alt.SCHEMA_URL,
            **chart,
            "title": params.to_dict(validate=False),
            "description": description,
        }
    else:
        # validate=False: Altair's JSON-schema validation took most of a report's build time
        # (over 60% of the factsheet); the specs come from its typed API and the tests compile
        # every kind of chart with vl-convert, which rejects an invalid spec.
        spec = chart.properties(title=params, description=description).to_dict(validate=False)
    spec["config"] = _configuration(lang)
    if datasets:
        spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


#: Characters per line of a notice (the sentence standing in for a chart), DejaVu Sans 12 px.
NOTICE_LINE = 78


def notice_spec(
    notice: str,
    *,
    title: str,
    subtitle: Sequence[str],
    lang: Lang,
    width: Width = DEFAULT_WIDTH,
) -> dict[str, Any]:
    """A small spec that shows ``notice`` (why a chart is not drawn) under the chart's title,
    wrapped to the width; the sentence is also its description and its
    ``usermeta.kansrijk.notice``, so a page can print it as text (`kansrijk.report.maps.notice_of`)
    instead of drawing the spec."""
    lines = textwrap.wrap(notice, NOTICE_LINE) or [notice]
    chart = (
        alt.Chart(alt.NamedData(name="notice"))
        .mark_text(
            text=lines, align="left", baseline="top", fontSize=12, lineHeight=16, color="#222222"
        )
        .encode(x=alt.value(0), y=alt.value(4))
        .properties(width=width, height=16 * len(lines) + 8)
    )
    spec = finish(
        chart,
        title=title,
        subtitle=subtitle,
        description=notice,
        lang=lang,
        datasets={"notice": [{}]},
    )
    spec["usermeta"] = {"kansrijk": {"notice": notice}}
    return spec


def _tooltip_dicts(lang: Lang, *first: dict[str, Any]) -> list[dict[str, Any]]:
    """The cell tooltip (value, interval, counts) after ``first``, as plain dicts (for specs
    built without Altair; `_tooltip` wraps the same fields)."""
    return [
        *first,
        {"field": "value_text", "type": "nominal", "title": chart_text("value", lang)},
        {"field": "ci_text", "type": "nominal", "title": chart_text("ci", lang)},
        {"field": "counts_text", "type": "nominal", "title": chart_text("counts", lang)},
    ]


def _tooltip(lang: Lang, *first: alt.Tooltip) -> list[alt.Tooltip]:
    """The cell tooltip (value, interval, counts) after ``first``, for Altair charts."""
    return [*first, *(alt.Tooltip(**field) for field in _tooltip_dicts(lang))]


# -- trend ----------------------------------------------------------------------------------------
def _from_cache(kind: str, build: Callable[..., str], *args: Any) -> str:
    """``build(*args)``, a chart's layers as JSON, also kept on disk (`kansrijk.program_cache`)
    for the next process, keyed by the arguments, the report package's code and Altair's
    version: a report command then builds no chart with Altair at all (0.3 s of a local
    report)."""
    key = json.dumps(
        [
            kind,
            args,
            program_cache.code_digest(_REPORT_PACKAGE),
            program_cache.library_versions("altair"),
        ]
    )
    name = f"chart-{kind}-{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"
    cached = program_cache.read_text(name)
    if cached is None:
        cached = build(*args)
        program_cache.write_text(name, cached)
    return cached


@lru_cache(maxsize=256)
def _trend_layers(*args: Any) -> str:
    return _from_cache("trend", _build_trend_layers, *args)


def _build_trend_layers(
    labels: tuple[str, ...],
    order: tuple[str, ...],
    unit: str,
    lang: Lang,
    hidden_series: tuple[str, ...],
    width: Width,
    height: int,
) -> str:
    """The trend chart's layers as JSON, without data: the same for every indicator with the
    same regions, years, unit and hidden series, so built by Altair once (building each
    with Altair took 50 ms, a third of a local report's charts)."""
    colour = alt.Color(
        "series:N",
        title=chart_text("area", lang),
        scale=alt.Scale(domain=list(labels), range=list(PALETTE[: max(len(labels), 1)])),
        legend=alt.Legend(orient="bottom", direction="horizontal", symbolOpacity=1),
    )
    x = alt.X(
        "period:O",
        sort=list(order),
        scale=alt.Scale(domain=list(order), padding=0.5),
        title=chart_text("year", lang),
        axis=alt.Axis(labelAngle=0),
    )
    y_title = unit_title(unit, lang)
    tooltip = _tooltip(
        lang,
        alt.Tooltip("series:N", title=chart_text("area", lang)),
        alt.Tooltip("period:N", title=chart_text("year", lang)),
    )
    base = alt.Chart(alt.NamedData(name="trend"))
    shown = base.transform_filter("!datum.hidden")
    rules = shown.mark_rule(strokeWidth=2, opacity=0.45).encode(
        x=x,
        y=alt.Y("ci_low:Q", title=y_title, scale=alt.Scale(zero=False, nice=True)),
        y2="ci_high:Q",
        color=colour,
    )
    # The unfiltered data keeps the hidden years as null values, which break the line.
    lines = base.mark_line(strokeWidth=2, invalid="break-paths-show-domains").encode(
        x=x, y=alt.Y("value:Q", title=y_title), color=colour, detail="series:N"
    )
    points = shown.mark_point(filled=True, size=50, opacity=1).encode(
        x=x, y=alt.Y("value:Q", title=y_title), color=colour, tooltip=tooltip
    )
    layers: list[alt.Chart] = [rules, lines, points]
    if hidden_series:
        hidden_label = chart_text("hidden", lang)
        markers = (
            base.transform_filter("datum.hidden")
            .mark_point(size=60, strokeWidth=2.2, filled=False, yOffset=-8, opacity=1)
            .encode(
                x=x,
                # side by side when several series hide the same year, centred when one
                xOffset=alt.XOffset(
                    "series:N",
                    scale=alt.Scale(
                        type="point",
                        domain=list(hidden_series),
                        range=[
                            alt.ExprRef("bandwidth('x') / 2 - 12"),
                            alt.ExprRef("bandwidth('x') / 2 + 12"),
                        ],
                        padding=0.5,
                    ),
                    title=None,
                ),
                y=alt.value("height"),
                color=colour,
                shape=alt.Shape(
                    "value_text:N",
                    scale=alt.Scale(domain=[hidden_label], range=[CROSS]),
                    title=None,
                    legend=alt.Legend(orient="bottom", symbolStrokeColor=HIDDEN_GREY),
                ),
                tooltip=[
                    alt.Tooltip("series:N", title=chart_text("area", lang)),
                    alt.Tooltip("period:N", title=chart_text("year", lang)),
                    alt.Tooltip("value_text:N", title=chart_text("value", lang)),
                ],
            )
        )
        layers.append(markers)
    chart = alt.layer(*layers).properties(width=width, height=height)
    return json.dumps(chart.to_dict(validate=False))


def trend_chart(
    series: Mapping[str, Sequence[Cell]],
    indicator: Indicator,
    lang: Lang = "nl",
    *,
    width: Width = DEFAULT_WIDTH,
    height: int = 260,
) -> dict[str, Any]:
    """Lines over the years, one per region label (e.g. municipality, province, Nederland),
    with 95% intervals as vertical rules. A hidden year breaks the line and is marked by a
    cross at the foot of the plot, whose tooltip says "verborgen (privacy)"."""
    rows: list[dict[str, Any]] = []
    periods: dict[str, tuple[int, int]] = {}
    for label, cells in series.items():
        for cell in cells:
            periods[cell.period] = (cell.period_start, cell.period_end)
            rows.append({"series": label, "period": cell.period, **cell_row(cell, lang)})
    order = sorted(periods, key=lambda p: periods[p])
    labels = list(series)
    unit = indicator.unit.value
    hidden_rows = [r for r in rows if r["hidden"]]
    hidden_series = tuple(dict.fromkeys(r["series"] for r in hidden_rows))
    chart = json.loads(
        _trend_layers(tuple(labels), tuple(order), unit, lang, hidden_series, width, height)
    )

    title = _title(indicator, lang)
    parts: list[str] = []
    for label, cells in series.items():
        shown_cells = [c for c in cells if not c.suppressed and c.value is not None]
        if shown_cells:
            last = shown_cells[-1]
            parts.append(
                chart_text(
                    "trend_part",
                    lang,
                    label=label,
                    value=format_value(last.value, unit, lang),
                    period=last.period,
                )
            )
        else:
            parts.append(chart_text("trend_empty", lang, label=label))
    text = "; ".join(parts) + "."
    if hidden_rows:
        items = ", ".join(f"{r['series']} {r['period']}" for r in hidden_rows)
        text += " " + chart_text("hidden_list", lang, items=items) + "."
    description = chart_text(
        "trend_description",
        lang,
        title=title,
        first=order[0] if order else "",
        last=order[-1] if order else "",
        parts=text,
    )
    return finish(
        chart,
        title=title,
        subtitle=[chart_text("trend_subtitle", lang, unit=unit_title(unit, lang))],
        description=description,
        lang=lang,
        datasets={"trend": rows},
    )


# -- breakdowns ----------------------------------------------------------------------------------
#: Display order of breakdown values; values not listed follow alphabetically, "unknown" last.
VALUE_ORDER = (
    "<P10",
    ">=P10",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "Q5",
    "yes",
    "no",
    "low",
    "middle",
    "high",
    "dutch",
    "western",
    "non_western",
)


def _value_sort_key(value: str) -> tuple[int, int, str]:
    if value == "unknown":
        return (2, 0, value)
    if value in VALUE_ORDER:
        return (0, VALUE_ORDER.index(value), value)
    return (1, 0, value)


@dataclass(frozen=True)
class BreakdownLayout:
    """Where the panels of a breakdown chart go: panel indices per column (one or two, in
    reading order), the height of a bar row and the width of a panel, in CSS pixels."""

    columns: tuple[tuple[int, ...], ...]
    step: int
    width: Width


def _column_height(rows: Sequence[int], step: int) -> int:
    return sum(n * step + PANEL_EXTRA for n in rows)


def breakdown_layout(
    rows: Sequence[int], width: Width = DEFAULT_WIDTH, max_height: int = PRINT_HEIGHT
) -> BreakdownLayout:
    """How to place breakdown panels of ``rows`` bars each so that they fit ``max_height``.

    One column when they fit; otherwise two columns of about half the width, split (in order)
    where the taller column is lowest, and a smaller bar step (down to `MIN_BAR_STEP`) for what
    still does not fit. A chart sized to its container (the web) keeps one column, full steps."""
    everything = tuple(range(len(rows)))
    if width == "container" or _column_height(rows, BAR_STEP) <= max_height:
        return BreakdownLayout((everything,), BAR_STEP, width)
    columns: tuple[tuple[int, ...], ...] = (everything,)
    panel_width: int = width
    if len(rows) > 1:
        split = min(
            range(1, len(rows)),
            key=lambda k: max(
                _column_height(rows[:k], BAR_STEP), _column_height(rows[k:], BAR_STEP)
            ),
        )
        columns = (everything[:split], everything[split:])
        # two panels, their group labels (at most COLUMN_LABEL_LIMIT) and a gap in one width
        panel_width = max((width - COLUMN_LABEL_LIMIT - 30) // 2, 160)
    step = min(
        (max_height - len(column) * PANEL_EXTRA) // max(sum(rows[i] for i in column), 1)
        for column in columns
    )
    return BreakdownLayout(columns, max(MIN_BAR_STEP, min(BAR_STEP, step)), panel_width)


def breakdown_chart(
    cells_by_breakdown: Mapping[str, Sequence[Cell]],
    indicator: Indicator,
    lang: Lang = "nl",
    *,
    total: Cell | None = None,
    value_labels: Mapping[str, str] | None = None,
    width: Width = DEFAULT_WIDTH,
) -> dict[str, Any]:
    """Horizontal bars with 95% intervals, one panel per breakdown (stacked vertically, one
    shared value axis). A hidden group keeps its row, labelled "verborgen", with no bar.

    ``total`` (the overall cell) adds a dashed reference line; ``value_labels`` overrides the
    labels of breakdown values (e.g. names of JGZ organisations).

    Print sizing: panels that would not fit an A4 page stand in two columns with smaller bars
    (`breakdown_layout`); the spec then holds ``hconcat`` of two ``vconcat`` columns."""
    unit = indicator.unit.value
    layout = breakdown_layout([len(c) for c in cells_by_breakdown.values()], width)
    two_columns = len(layout.columns) > 1
    column_ends = {column[-1] for column in layout.columns if column}
    title = _title(indicator, lang)
    all_cells = [c for cells in cells_by_breakdown.values() for c in cells]
    period = _period(all_cells)
    highs = [
        h
        for c in [*all_cells, *([total] if total else [])]
        for h in (c.ci_high, c.value)
        if h is not None and not c.suppressed
    ]
    x_max = max(highs, default=1.0) * 1.18  # room for the value labels right of the bars
    # Plain dicts, not Altair objects: Altair copies a chart deeply on every layer and concat
    # (`_combine_subchart_params`), which took a third of the national factsheet's build at
    # scale 1.0. The spec is the one Altair would write.
    x_scale = {"domain": [0, x_max], "nice": False, "zero": True}
    hidden_short = chart_text("hidden_short", lang)
    panels: list[dict[str, Any]] = []
    datasets: dict[str, list[dict[str, Any]]] = {}
    parts: list[str] = []
    for index, (name, cells) in enumerate(cells_by_breakdown.items()):
        x_title = unit_title(unit, lang) if index in column_ends else ""
        ordered = sorted(cells, key=lambda c: _value_sort_key(c.breakdown_value))
        rows: list[dict[str, Any]] = []
        for cell in ordered:
            label = (value_labels or {}).get(cell.breakdown_value) or value_label(
                cell.breakdown_value, lang
            )
            row = {"group": label, **cell_row(cell, lang)}
            if row["hidden"]:
                row["label_x"] = 0.0
                row["label_text"] = hidden_short
            else:
                row["label_x"] = max(v for v in (cell.value, cell.ci_high) if v is not None)
                row["label_text"] = format_value(cell.value, unit, lang)
            rows.append(row)
        panel_title = breakdown_label(name, lang)
        parts.append(
            f"{panel_title}: " + ", ".join(f"{r['group']} {r['label_text']}" for r in rows)
        )
        groups = [r["group"] for r in rows]
        y: dict[str, Any] = {
            "field": "group",
            "type": "nominal",
            "sort": groups,
            "scale": {"domain": groups},
            "title": None,
        }
        if two_columns:
            y["axis"] = {"labelLimit": COLUMN_LABEL_LIMIT}
        tooltip = _tooltip_dicts(lang, {"field": "group", "type": "nominal", "title": panel_title})
        dataset = f"breakdown_{index}"
        datasets[dataset] = rows

        def x(field: str, title: str = x_title) -> dict[str, Any]:
            return {"field": field, "type": "quantitative", "title": title, "scale": x_scale}

        label_encoding = {
            "x": x("label_x"),
            "y": y,
            "text": {"field": "label_text", "type": "nominal"},
            "tooltip": tooltip,
        }
        shown = [{"filter": "!datum.hidden"}]
        layers: list[dict[str, Any]] = [
            {
                "mark": {"type": "bar", "color": BAR, "height": {"band": 0.7}},
                "encoding": {"x": x("value"), "y": y, "tooltip": tooltip},
                "transform": shown,
            },
            {
                "mark": {"type": "rule", "color": BLACK, "strokeWidth": 1.5},
                "encoding": {"x": x("ci_low"), "x2": {"field": "ci_high"}, "y": y},
                "transform": shown,
            },
            {
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "middle",
                    "dx": 4,
                    "fontSize": 10,
                    "color": BLACK,
                },
                "encoding": label_encoding,
                "transform": shown,
            },
            {
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "middle",
                    "dx": 2,
                    "fontSize": 10,
                    "fontStyle": "italic",
                    "color": "#555555",
                },
                "encoding": label_encoding,
                "transform": [{"filter": "datum.hidden"}],
            },
        ]
        if total is not None and not total.suppressed and total.value is not None:
            layers.append(
                {
                    # Its own rows; the panel's data are the other layers'.
                    "data": {"name": "breakdown_total"},
                    "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#444444"},
                    "encoding": {
                        "x": x("value"),
                        "tooltip": [
                            {
                                "field": "text",
                                "type": "nominal",
                                "title": chart_text("group", lang),
                            },
                            {
                                "field": "value_text",
                                "type": "nominal",
                                "title": chart_text("value", lang),
                            },
                        ],
                    },
                }
            )
        panels.append(
            {
                "data": {"name": dataset},
                "layer": layers,
                "title": {"text": panel_title, "anchor": "start", "frame": "group", "fontSize": 12},
                "width": layout.width,
                "height": {"step": layout.step},
            }
        )
    if total is not None and not total.suppressed and total.value is not None:
        datasets["breakdown_total"] = [
            {
                "value": total.value,
                "text": chart_text("total", lang),
                "value_text": format_value(total.value, unit, lang),
            }
        ]
    # The panels are joined as plain dicts: Altair's concat constructors deep-copy every
    # sub-chart to merge parameters (`_combine_subchart_params`), a third of the national
    # factsheet's build time at scale 1.0 (the spec is the same).
    panel_specs = panels
    chart: dict[str, Any]
    if two_columns:
        chart = {
            "hconcat": [
                {"vconcat": [panel_specs[i] for i in column], "spacing": 18}
                for column in layout.columns
            ],
            "spacing": 24,
        }
    else:
        chart = {"vconcat": panel_specs, "spacing": 18}
    chart["resolve"] = {"scale": {"x": "shared"}}
    subtitle = [
        chart_text(
            "breakdown_subtitle",
            lang,
            unit=unit_title(unit, lang),
            period=f", {period}" if period else "",
        )
    ]
    if total is not None and not total.suppressed and total.value is not None:
        subtitle.append(
            f"{chart_text('total', lang)}: {format_value(total.value, unit, lang)} (- - -)"
        )
    description = chart_text(
        "breakdown_description",
        lang,
        title=title,
        period=f", {period}" if period else "",
        parts="; ".join(parts) + "." if parts else "",
    )
    return finish(
        chart,
        title=title,
        subtitle=subtitle,
        description=description,
        lang=lang,
        datasets=datasets,
    )


# -- funnel plot -----------------------------------------------------------------------------------
@lru_cache(maxsize=1024)
def _funnel_layers(*args: Any) -> str:
    return _from_cache("funnel", _build_funnel_layers, *args)


def _build_funnel_layers(
    unit: str,
    lang: Lang,
    log_x: bool,
    ticks: tuple[float, ...],
    highlighted: bool,
    width: Width,
    height: int,
) -> str:
    """The funnel's layers as JSON, without data: built by Altair once for every funnel with
    the same unit, axis ticks and highlight (each took 90 ms with Altair; a local report draws
    15, `report local -m all` thousands)."""
    x_title = chart_text("denominator_log" if log_x else "denominator", lang)
    y_title = unit_title(unit, lang)
    x_scale = alt.Scale(type="log") if log_x else alt.Scale(zero=True)
    x_axis = alt.Axis(values=list(ticks), labelFlush=True) if log_x else alt.Axis(labelFlush=True)
    y_scale = alt.Scale(zero=False, nice=True)
    kind_domain = [
        chart_text("target", lang),
        chart_text("limit_95", lang),
        chart_text("limit_998", lang),
    ]
    limit_lines = (
        alt.Chart(alt.NamedData(name="funnel_limits"))
        .mark_line(strokeWidth=1.3, clip=True)
        .encode(
            x=alt.X("n:Q", title=x_title, scale=x_scale, axis=x_axis),
            y=alt.Y("y:Q", title=y_title, scale=y_scale),
            detail="series:N",
            color=alt.Color(
                "kind:N",
                title=chart_text("limits", lang),
                scale=alt.Scale(domain=kind_domain, range=[BLACK, "#555555", "#555555"]),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
            strokeDash=alt.StrokeDash(
                "kind:N",
                title=chart_text("limits", lang),
                scale=alt.Scale(domain=kind_domain, range=[[1, 0], [5, 3], [2, 2]]),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
        )
    )
    tooltip = [
        alt.Tooltip("name:N", title=chart_text("municipality", lang)),
        alt.Tooltip("value_text:N", title=chart_text("value", lang)),
        alt.Tooltip("n_text:N", title=chart_text("denominator", lang)),
        alt.Tooltip("position:N", title=chart_text("position", lang)),
    ]
    base = alt.Chart(alt.NamedData(name="funnel_points"))
    x = alt.X("n:Q", title=x_title, scale=x_scale, axis=x_axis)
    y = alt.Y("value:Q", title=y_title, scale=y_scale)
    others = (
        base.transform_filter("!datum.highlight")
        .mark_circle(size=26, color=HIDDEN_GREY, opacity=0.75)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    layers: list[alt.Chart] = [limit_lines, others]
    if highlighted:
        focus = base.transform_filter("datum.highlight")
        layers.append(
            focus.mark_point(
                size=110, filled=True, color=HIGHLIGHT, stroke=BLACK, strokeWidth=1, opacity=1
            ).encode(x=x, y=y, tooltip=tooltip)
        )
        layers.append(
            focus.mark_text(
                align="left", dx=8, dy=-8, fontWeight="bold", fontSize=11, color=BLACK
            ).encode(x=x, y=y, text="name:N")
        )
    chart = alt.layer(*layers).properties(width=width, height=height)
    return json.dumps(chart.to_dict(validate=False))


def funnel_chart(
    points: Sequence[FunnelPoint],
    indicator: Indicator,
    highlight: str | None = None,
    names: Mapping[str, str] | None = None,
    lang: Lang = "nl",
    *,
    hidden: Iterable[str] = (),
    period: str = "",
    log_x: bool = True,
    width: Width = DEFAULT_WIDTH,
    height: int = 320,
) -> dict[str, Any]:
    """Value against denominator for every shown municipality, with the 95% and 99.8% control
    limits and the national value; ``highlight`` (a GM code) is drawn in vermillion and named.

    The limits are always drawn: they are computed over the range of the published points'
    denominators (`funnel_limit_rows`) around the national value. With no published point, or
    no national value, there is no funnel: the result is a `notice_spec` that says why.

    Hidden municipalities are left out and counted in the subtitle: those among ``points``
    without a value plus the codes in ``hidden`` (the funnel table of a run holds no row for a
    hidden municipality, so pass ``c.region_code for c in published.municipal(...) if
    c.suppressed``)."""
    names = names or {}
    unit = indicator.unit.value
    title = _title(indicator, lang)
    shown = sorted(
        (p for p in points if p.value is not None and p.denominator is not None),
        key=lambda p: (p.denominator or 0, p.region_code),
    )
    hidden_codes = {p.region_code for p in points if p.value is None} | set(hidden)
    hidden_codes -= {p.region_code for p in shown}

    def _name(code: str) -> str:
        return names.get(code, code)

    def _position(point: FunnelPoint) -> str:
        key = point.position if point.position in ("above", "below", "within") else "unplaced"
        return chart_text(key, lang)

    dots = [
        {
            "code": p.region_code,
            "name": _name(p.region_code),
            "value": p.value,
            "n": p.denominator,
            "value_text": format_value(p.value, unit, lang),
            "n_text": count(p.denominator, lang),
            "position": _position(p),
            "highlight": p.region_code == highlight,
        }
        for p in shown
    ]
    kinds = {
        "target": chart_text("target", lang),
        "95": chart_text("limit_95", lang),
        "998": chart_text("limit_998", lang),
    }
    period_part = f", {period}" if period else ""
    target = next((p.target for p in shown if p.target is not None), None)
    if not shown or target is None:
        if not shown:
            hidden_part = (
                chart_text("no_funnel_hidden", lang, n=len(hidden_codes)) if hidden_codes else ""
            )
            notice = chart_text("no_funnel_points", lang, period=period_part, hidden=hidden_part)
        else:
            notice = chart_text("no_funnel_target", lang, period=period_part)
        return notice_spec(
            notice,
            title=title,
            subtitle=[chart_text("funnel_subtitle", lang, period=period_part)],
            lang=lang,
            width=width,
        )
    lines = funnel_limit_rows(
        target, [p.denominator for p in shown if p.denominator], unit, log_x=log_x
    )
    for row in lines:
        row["kind"] = kinds[row.pop("level")]
    highlighted = next((d for d in dots if d["highlight"]), None)
    ticks = tuple(_log_ticks([p.denominator or 1 for p in shown])) if log_x else ()
    chart = json.loads(
        _funnel_layers(unit, lang, log_x, ticks, highlighted is not None, width, height)
    )

    n_hidden = len(hidden_codes)
    subtitle = [chart_text("funnel_subtitle", lang, period=f", {period}" if period else "")]
    hidden_text = ""
    if n_hidden:
        hidden_text = (
            chart_text("hidden_municipality", lang)
            if n_hidden == 1
            else chart_text("hidden_municipalities", lang, n=n_hidden)
        )
        subtitle.append(hidden_text)
    highlight_text = ""
    if highlight is not None:
        if highlighted is not None:
            highlight_text = chart_text(
                "highlight_part",
                lang,
                name=highlighted["name"],
                value=highlighted["value_text"],
                position=highlighted["position"],
            )
        elif highlight in hidden_codes:
            highlight_text = chart_text("highlight_hidden", lang, name=_name(highlight))
            subtitle.append(highlight_text)
        else:
            highlight_text = chart_text("highlight_absent", lang, name=_name(highlight))
    targets = [p.target for p in shown if p.target is not None]
    description = chart_text(
        "funnel_description",
        lang,
        title=title,
        period=f", {period}" if period else "",
        n=len(dots),
        above=sum(p.position == "above" for p in shown),
        below=sum(p.position == "below" for p in shown),
        target=format_value(targets[0], unit, lang) if targets else "—",
        hidden=(hidden_text + ". " if hidden_text else "") + highlight_text,
    ).strip()
    return finish(
        chart,
        title=title,
        subtitle=subtitle,
        description=description,
        lang=lang,
        datasets={"funnel_limits": lines, "funnel_points": dots},
    )


#: Denominators at which the funnel limits are computed between the smallest and largest point.
FUNNEL_GRID = 60


def funnel_limit_rows(
    target: float, denominators: Sequence[int], unit: str, *, log_x: bool = True
) -> list[dict[str, Any]]:
    """The lines of a funnel plot: the national value and the 95% and 99.8% limits around it
    (`kansrijk.stats.funnel.count_model_limits`: binomial for "%", Poisson for a rate) at
    `FUNNEL_GRID` whole denominators spread (evenly on a log axis, or a linear one) over a
    finite range around the published points' denominators: on a log axis from the power of
    ten below the smallest to the one above the largest (the axis ticks), on a linear one from
    half the smallest to 10% beyond the largest. Rows ``{n, series, level, y}`` in the unit,
    ordered by series and ``n``; none without denominators.

    The limits are computed here rather than read from the funnel table, whose rows sit at the
    points' own denominators: with one or two published municipalities those drew no line,
    and with none the chart had no extent at all ("Infinite extent" in Vega)."""
    counts = [n for n in denominators if n > 0]
    if not counts:
        return []
    if log_x:  # the powers of ten around the points, as the axis ticks (`_log_ticks`)
        low = 10 ** math.floor(math.log10(min(counts)))
        high = max(10 ** math.ceil(math.log10(max(counts))), 10 * low if low == max(counts) else 0)
    else:
        low, high = max(1, min(counts) // 2), max(counts) + max(counts) // 10
    high = max(high, low + 1)
    spaced = np.geomspace(low, high, FUNNEL_GRID) if log_x else np.linspace(low, high, FUNNEL_GRID)
    grid = np.unique(np.clip(np.rint(spaced), low, high)).astype(np.float64)
    scale = scale_of(unit)
    model: Literal["binomial", "poisson"] = "binomial" if unit == PERCENT else "poisson"
    theta = min(max(target / scale, 0.0), 1.0) if model == "binomial" else max(target / scale, 0.0)
    limits = count_model_limits(grid, theta, (0.95, 0.998), model)
    rows: list[dict[str, Any]] = [
        {"n": int(n), "series": "target", "level": "target", "y": target} for n in grid
    ]
    for level, key in ((0.95, "95"), (0.998, "998")):
        lows, highs = limits[level]
        for series, values in ((f"low_{key}", lows), (f"high_{key}", highs)):
            rows += [
                {"n": int(n), "series": series, "level": key, "y": float(v) * scale}
                for n, v in zip(grid, values, strict=True)
                if math.isfinite(v)
            ]
    return rows


def _log_ticks(counts: Sequence[int]) -> list[int]:
    """1-3 ticks over the powers of ten that a log axis of ``counts`` spans (Vega's own log
    ticks crowd the labels, e.g. "2,0003,000")."""
    if not counts:
        return [1, 10, 100]
    low = 10 ** math.floor(math.log10(max(min(counts), 1)))
    high = 10 ** math.ceil(math.log10(max(*counts, 1)))
    ticks: list[int] = []
    decade = low
    while decade <= high:
        ticks += [t for t in (decade, 3 * decade) if t <= high]
        decade *= 10
    return ticks


def direction_reversed(indicator: Indicator) -> bool:
    """True when higher values are better, so a "darker = worse" scale runs the other way."""
    return indicator.direction == Direction.HIGHER_IS_BETTER

"""Choropleth maps of municipal cells, as Vega-Lite specs.

Every municipality of the boundary year is drawn, in one of three states:

* **shown**: filled by its class on a scale of five blues, darker = worse (the scale is reversed
  for indicators where higher is better); the legend is titled with the unit;
* **hidden** (a suppressed cell): neutral grey with a dashed dark outline, its own legend entry
  "verborgen (privacy)", and a tooltip that says so; the spec holds no number for it;
* **no data** (no cell at all): white with a thin grey outline, legend entry "geen gegevens".

Classes (`map_classes`): fixed, rounded breaks around the national value, never quantiles of
the municipal values (which moved with every small municipality's noise and printed classes
such as "3,2 / 3,2 - 3,3"). The class width is a "nice" step (1, 2 or 5 times a power of ten)
of about a third of the spread between the 10th and 90th percentile of the mapped values, and
at least 5% of the national value (and 0.1); the breaks are multiples of the step, the middle
class is the one holding the national value (its legend entry names it), with two classes
below and two above, the outer ones open ("minder dan 12", "18 of meer"). Empty classes are
dropped or merged into a neighbour, so every legend entry has municipalities in it.

Small municipalities (`shrink`): the colour of a municipality is an empirical-Bayes estimate,
its published value drawn toward the average of its province by how uncertain it is (see
`shrink` for the model and its assumptions). It is computed from published counts only (the
value and denominator of shown cells; a hidden cell stays hidden and is not estimated), the map
says so in its subtitle, and the tooltip gives the published value beside the estimate. Maps
are drawn for the period `Publication.municipal_period` picks: the 5-year pooled window of a
pooled indicator, else the latest year.

No map (`map_notice`): when at least `HIDDEN_SHARE_LIMIT` (80%) of the municipalities with a
cell are hidden, or none is shown, a map would be almost all grey; `choropleth` then returns a
small text spec with a sentence that says why (also in ``usermeta.kansrijk.notice``, see
`notice_of`, so a page can print it as text instead).

Geometry. The boundaries (~200 KB of GeoJSON features) are read from a named dataset
``"boundaries"`` (Vega-Lite's top-level ``datasets``), which the cells' table is joined to by
a ``lookup`` on ``properties.statcode``. With ``inline_geometry=True`` (the default, needed
for static SVG/PDF rendering) the spec carries its own copy under ``datasets.boundaries``.
With ``inline_geometry=False`` the spec omits it, and a page that shows many maps supplies a
single copy: it loads `boundary_features` once as ``window.KANSRIJK_BOUNDARIES``
(`kansrijk.report.render.boundaries_script`) and sets, before calling vega-embed::

    spec.datasets = spec.datasets || {};
    spec.datasets.boundaries = window.KANSRIJK_BOUNDARIES;   // by reference: no copy

which is what `kansrijk.report.render.embed_script` writes. vega-embed does not share data
between specs by itself; the ``datasets`` hook is the documented way to pass inline data.

Projection: Mercator fitted to the bounding box of the Netherlands (the same frame for every
map, whatever is highlighted).
"""

from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import altair as alt

from kansrijk import geo
from kansrijk.indicators import Indicator
from kansrijk.publication import Cell
from kansrijk.report.charts import (
    BLACK,
    Width,
    cell_row,
    chart_text,
    direction_reversed,
    finish,
    format_value,
    notice_spec,
    unit_title,
)
from kansrijk.report.labels import Lang, half_up, number, text
from kansrijk.report.render import BOUNDARIES_DATASET
from kansrijk.stats import PERCENT
from kansrijk.stats.units import scale_of

__all__ = [
    "BLUES",
    "HIDDEN_FILL",
    "HIDDEN_SHARE_LIMIT",
    "NL_EXTENT",
    "NO_DATA_FILL",
    "MapClass",
    "boundary_features",
    "choropleth",
    "map_classes",
    "map_notice",
    "nice_step",
    "notice_of",
    "shrink",
]

#: Named dataset of the per-municipality rows (values, states and tooltip texts).
VALUES_DATASET = "municipalities"

#: Number of colour classes of a map: two below the national class, two above.
CLASSES = 5
#: Index of the class that holds the national value.
MIDDLE = 2

#: From this share of hidden municipalities (of those with a cell) no map is drawn.
HIDDEN_SHARE_LIMIT = 0.8
#: Fewest shown municipalities to estimate the between-municipality variance from; with fewer,
#: the map colours the published values as they are.
MIN_SHRINK = 10
#: Fewest shown municipalities of a province for its own average as the prior; with fewer, the
#: average of all shown municipalities is used.
MIN_PROVINCE = 3

#: ColorBrewer Blues (5 classes, lightest tint dropped so "no data" white stays distinct);
#: single-hue, so it reads for every colour-vision deficiency and in greyscale print.
BLUES = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
HIDDEN_FILL = "#b8b8b8"
HIDDEN_STROKE = "#3d3d3d"
NO_DATA_FILL = "#ffffff"
NO_DATA_STROKE = "#9a9a9a"
BORDER = "#ffffff"


#: Longitude/latitude bounding box of the Netherlands (with the Wadden islands and Vaals).
NL_EXTENT = ((3.30, 50.72), (7.25, 53.58))
_FIT = {
    "type": "Feature",
    "properties": {},
    "geometry": {"type": "MultiPoint", "coordinates": [list(NL_EXTENT[0]), list(NL_EXTENT[1])]},
}


@cache
def _features_json(year: int) -> str:
    features = geo.boundaries(year)["features"]
    return json.dumps(features, separators=(",", ":"))


def boundary_features(year: int) -> list[dict[str, Any]]:
    """The GeoJSON features of the municipalities of 1 January ``year`` (2023-2025), each with
    ``properties.statcode`` ('GM####') and ``statnaam``: the page-wide copy that maps built with
    ``inline_geometry=False`` read. A fresh list on every call (parsing is cached)."""
    features: list[dict[str, Any]] = json.loads(_features_json(year))
    return features


# -- classes ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MapClass:
    """One legend class: values ``low <= v < high`` (``None``: open on that side), its colour
    (an index into the five blues, 0 = lowest values) and its legend label."""

    low: float | None
    high: float | None
    colour: int
    label: str
    count: int

    def holds(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value < self.high)


def nice_step(width: float) -> float:
    """The "nice" number (1, 2 or 5 times a power of ten) nearest ``width`` on a log scale."""
    if not math.isfinite(width) or width <= 0:
        raise ValueError(f"a class width must be positive, got {width}")
    power = 10.0 ** math.floor(math.log10(width))
    candidates = [round(m * power, 12) for m in (1, 2, 5, 10)]
    return min(candidates, key=lambda c: abs(math.log10(c / width)))


def _step_for(values: Sequence[float], centre: float) -> float:
    ordered = sorted(values)
    if len(ordered) >= 5:
        deciles = statistics.quantiles(ordered, n=10, method="inclusive")
        spread = deciles[-1] - deciles[0]
    else:
        spread = ordered[-1] - ordered[0] if ordered else 0.0
    floor = max(0.1, nice_step(abs(centre) * 0.05) if centre else 0.1)
    return max(nice_step(spread / 3) if spread > 0 else floor, floor)


def _digits(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9))


def _label(low: float | None, high: float | None, digits: int, lang: Lang) -> str:
    if low is None:
        return text("map_below", lang, high=number(high, lang, digits))
    if high is None:
        return text("map_above", lang, low=number(low, lang, digits))
    return text("map_between", lang, low=number(low, lang, digits), high=number(high, lang, digits))


def map_classes(
    values: Sequence[float],
    centre: float,
    lang: Lang = "nl",
    *,
    national: bool = True,
) -> list[MapClass]:
    """The legend classes of ``values`` (what the map colours) around ``centre`` (the national
    value; ``national=False``: an average of the municipalities, labelled so).

    Breaks are multiples of a nice step (`nice_step` of a third of the 10-90 percentile spread,
    at least 5% of ``centre`` and 0.1); the middle class holds ``centre`` and names it; the
    outer classes are open. Values are classified as printed (one decimal, half up). Empty
    classes are dropped at the ends and merged outward inside (an empty middle class into the
    one below), so none is empty; no values give no classes."""
    if not values:
        return []
    step = _step_for(values, centre)
    digits = _digits(step)
    base = math.floor(round(centre / step, 9)) * step
    edges = [round(base + k * step, 9) for k in range(-1, 3)]
    bounds: list[tuple[float | None, float | None]] = [
        (None, edges[0]),
        (edges[0], edges[1]),
        (edges[1], edges[2]),
        (edges[2], edges[3]),
        (edges[3], None),
    ]
    printed = [float(half_up(v, 1)) for v in values]
    counts = [
        sum(1 for v in printed if (lo is None or v >= lo) and (hi is None or v < hi))
        for lo, hi in bounds
    ]
    # (low, high, colour, count); the colour is that of the class whose values it holds
    kept: list[list[Any]] = [
        [lo, hi, i, n] for i, ((lo, hi), n) in enumerate(zip(bounds, counts, strict=True))
    ]
    while kept and kept[0][3] == 0:
        kept.pop(0)
    while kept and kept[-1][3] == 0:
        kept.pop()
    merged = True
    while merged:
        merged = False
        for i, entry in enumerate(kept):
            if entry[3]:
                continue
            # an inner empty class (the ends are not empty): merge it outward, so the national
            # class keeps its width; the middle class itself into the class below
            toward = i + 1 if entry[2] > MIDDLE else i - 1
            other = kept[toward]
            low = min(
                (x for x in (entry[0], other[0])), key=lambda x: -math.inf if x is None else x
            )
            high = max(
                (x for x in (entry[1], other[1])), key=lambda x: math.inf if x is None else x
            )
            kept[min(i, toward)] = [low, high, other[2], other[3]]
            del kept[max(i, toward)]
            merged = True
            break
    mark = "map_national_mark" if national else "map_average_mark"
    out: list[MapClass] = []
    for low, high, colour, n in kept:
        label = _label(low, high, digits, lang)
        holds_centre = (low is None or centre >= low) and (high is None or centre < high)
        if holds_centre:
            label = text(mark, lang, label=label, value=number(centre, lang))
        out.append(MapClass(low, high, colour, label, n))
    return out


def _class_of(value: float, classes: Sequence[MapClass]) -> MapClass:
    printed = float(half_up(value, 1))
    for c in classes:
        if c.holds(printed):
            return c
    raise ValueError(f"{value} lies in no class")  # map_classes covers every value it was given


# -- small-area estimates ----------------------------------------------------------------------
def shrink(cells: Sequence[Cell], year: int) -> dict[str, float]:
    """Empirical-Bayes estimates of the shown municipal ``cells`` (code -> value in the unit).

    Model: the true rate of municipality i in province g varies around the province's mean m_g
    with a variance tau^2 common to the whole country; its published rate r_i = value / scale
    (scale 100 for %, 1,000 for per 1,000) scatters around the true rate with the sampling
    variance s_i^2 = m_g (1 - m_g) / n_i for a proportion, m_g / n_i for a rate (n_i the
    published denominator). Then the best estimate is m_g + w_i (r_i - m_g) with
    w_i = tau^2 / (tau^2 + s_i^2): a large municipality keeps its own value, a small one moves
    toward its province. m_g is the denominator-weighted mean of the province's shown
    municipalities (Sum value x n / Sum n; all shown ones when the province has fewer than
    `MIN_PROVINCE`), tau^2 the method-of-moments estimate mean((r_i - m_g)^2) - mean(s_i^2),
    at least 0 (then every municipality takes its province's mean).

    Assumptions: the cells are independent (one period), the sampling model is binomial or
    Poisson (model-based figures have more uncertainty than that, so they are shrunk too
    little), and hidden municipalities are left out of m_g and tau^2 (they are small, so the
    prior leans to the larger ones). Only published counts enter; a hidden cell gets no
    estimate. A shown cell without a denominator keeps its value; with fewer than `MIN_SHRINK`
    cells with one, every shown cell keeps its published value."""
    published = {c.region_code: c.value for c in cells if not c.suppressed and c.value is not None}
    usable = _usable(cells)
    if len(usable) < MIN_SHRINK:
        return published
    scale = scale_of(usable[0].unit)
    proportion = usable[0].unit == PERCENT
    province = {m.code: m.province_code for m in geo.municipalities(year)}
    groups: dict[str, list[Cell]] = defaultdict(list)
    for c in usable:
        groups[province.get(c.region_code, "")].append(c)

    def mean(group: Sequence[Cell]) -> float:
        total = sum(c.denominator or 0 for c in group)
        return sum((c.value or 0.0) / scale * (c.denominator or 0) for c in group) / total

    overall = mean(usable)
    prior = {
        g: mean(members) if len(members) >= MIN_PROVINCE else overall
        for g, members in groups.items()
    }

    def variance(m: float, n: int) -> float:
        return (m * (1 - m) if proportion else m) / n

    deviations: list[float] = []
    sampling: list[float] = []
    for c in usable:
        m = prior[province.get(c.region_code, "")]
        deviations.append(((c.value or 0.0) / scale - m) ** 2)
        sampling.append(variance(m, c.denominator or 1))
    tau2 = max(0.0, statistics.fmean(deviations) - statistics.fmean(sampling))
    out: dict[str, float] = dict(published)
    for c, s2 in zip(usable, sampling, strict=True):
        m = prior[province.get(c.region_code, "")]
        weight = tau2 / (tau2 + s2) if tau2 + s2 > 0 else 1.0
        out[c.region_code] = (m + weight * ((c.value or 0.0) / scale - m)) * scale
    return out


def _usable(cells: Sequence[Cell]) -> list[Cell]:
    """The shown cells with a value and a positive denominator: those `shrink` can weigh."""
    return [
        c
        for c in cells
        if not c.suppressed and c.value is not None and c.denominator and c.denominator > 0
    ]


# -- no map --------------------------------------------------------------------------------------
def map_notice(cells: Sequence[Cell], lang: Lang = "nl") -> str | None:
    """Why no map is drawn of municipal ``cells``, or None when one is: no shown municipality,
    or at least `HIDDEN_SHARE_LIMIT` of those with a cell hidden."""
    municipal = [c for c in cells if c.region_type == "gemeente"]
    hidden = sum(1 for c in municipal if c.suppressed or c.value is None)
    if hidden == len(municipal):
        if not municipal:
            return text("map_no_map_empty", lang)
    elif hidden / len(municipal) < HIDDEN_SHARE_LIMIT:
        return None
    share = int(half_up(100 * hidden / len(municipal), 0))
    return text(
        "map_no_map_hidden",
        lang,
        hidden=hidden,
        total=len(municipal),
        share=share,
        limit=round(100 * HIDDEN_SHARE_LIMIT),
    )


def notice_of(spec: Mapping[str, Any]) -> str | None:
    """The sentence of a spec that stands in for a chart (a map or funnel not drawn), or None
    for a real chart: what a page may print as a paragraph instead of the figure."""
    meta = spec.get("usermeta")
    if isinstance(meta, Mapping):
        kansrijk = meta.get("kansrijk")
        if isinstance(kansrijk, Mapping) and isinstance(kansrijk.get("notice"), str):
            return str(kansrijk["notice"])
    return None


# -- the map ------------------------------------------------------------------------------------
def choropleth(
    cells: Sequence[Cell],
    indicator: Indicator,
    year: int,
    lang: Lang = "nl",
    highlight: str | None = None,
    *,
    national: Cell | None = None,
    smooth: bool = True,
    inline_geometry: bool = True,
    width: Width = 480,
    height: int = 560,
) -> dict[str, Any]:
    """A map of municipal cells of one indicator and period on the boundaries of ``year``.

    ``cells`` are municipal total cells (e.g. ``published.municipal(id, period)``); codes must be
    municipalities of ``year``. ``highlight`` (a GM code) gets a thick black outline.
    ``national`` (the NL cell of the same period) centres the classes; without it (or when it
    is hidden) they centre on the denominator-weighted mean of the shown municipalities.
    ``smooth`` colours by the empirical-Bayes estimate (`shrink`), else by the published value.
    When `map_notice` gives a reason, the result is a text spec with that sentence instead.
    See the module for the states of a municipality, the classes and the shared geometry."""
    municipalities = {m.code: m.name for m in geo.municipalities(year)}
    by_code: dict[str, Cell] = {}
    for cell in cells:
        if cell.region_type != "gemeente":
            continue
        if cell.region_code not in municipalities:
            raise ValueError(f"{cell.region_code} is not a municipality of {year}")
        if cell.region_code in by_code:
            raise ValueError(f"{cell.region_code}: more than one cell (one period per map)")
        by_code[cell.region_code] = cell
    title = indicator.title_nl if lang == "nl" else indicator.title_en
    periods = sorted({c.period for c in by_code.values()})
    period = ", ".join(periods)
    notice = map_notice(list(by_code.values()), lang)
    if notice is not None:
        subtitle = [_map_subtitle(period, year, lang)]
        return notice_spec(notice, title=title, subtitle=subtitle, lang=lang, width=width)

    unit = indicator.unit.value
    hidden_label = chart_text("hidden", lang)
    no_data_label = chart_text("no_data", lang)
    shown = [c for c in by_code.values() if not c.suppressed and c.value is not None]
    estimates = (
        shrink(shown, year)
        if smooth
        else {c.region_code: c.value for c in shown if c.value is not None}
    )
    smoothed = smooth and len(_usable(shown)) >= MIN_SHRINK
    has_national = national is not None and not national.suppressed and national.value is not None
    if has_national:
        assert national is not None and national.value is not None
        centre = national.value
    else:
        total = sum(c.denominator or 0 for c in shown)
        centre = (
            sum((c.value or 0.0) * (c.denominator or 0) for c in shown) / total
            if total
            else statistics.median(c.value for c in shown if c.value is not None)
        )
    classes = map_classes(list(estimates.values()), centre, lang, national=has_national)
    class_labels = [c.label for c in classes]
    rows: list[dict[str, Any]] = []
    for code, name in sorted(municipalities.items()):
        found = by_code.get(code)
        if found is None:
            row: dict[str, Any] = {
                "hidden": False,
                "value": None,
                "ci_low": None,
                "ci_high": None,
                "value_text": no_data_label,
                "ci_text": "—",
                "counts_text": "—",
                "estimate": None,
                "estimate_text": "—",
                "status": no_data_label,
                "class": None,
            }
        else:
            row = cell_row(found, lang)
            row["status"] = hidden_label if row["hidden"] else "shown"
            estimate = None if row["hidden"] else estimates.get(code)
            row["estimate"] = estimate
            row["estimate_text"] = (
                format_value(estimate, unit, lang) if estimate is not None else "—"
            )
            row["class"] = None if estimate is None else _class_of(estimate, classes).label
        rows.append({"code": code, "name": name, "highlight": code == highlight, **row})

    fields = [
        "name", "status", "class", "hidden", "highlight", "value", "value_text", "ci_text",
        "estimate_text",
    ]  # fmt: skip
    tooltip = [
        alt.Tooltip("name:N", title=chart_text("municipality", lang)),
        alt.Tooltip("value_text:N", title=chart_text("value", lang)),
        alt.Tooltip("ci_text:N", title=chart_text("ci", lang)),
    ]
    if smoothed:
        tooltip.append(alt.Tooltip("estimate_text:N", title=text("map_estimate", lang)))
    palette = list(reversed(BLUES)) if direction_reversed(indicator) else list(BLUES)
    colours = [palette[c.colour] for c in classes]
    values = (
        alt.Chart()
        .transform_filter("datum.status === 'shown'")
        .mark_geoshape(stroke=BORDER, strokeWidth=0.4)
        .encode(
            color=alt.Color(
                "class:O",
                title=unit_title(unit, lang),
                scale=alt.Scale(domain=class_labels, range=colours),
                sort=class_labels,
                legend=alt.Legend(
                    orient="right", symbolType="square", symbolSize=150, symbolStrokeWidth=0
                ),
            ),
            tooltip=tooltip,
        )
    )
    others = (
        alt.Chart()
        .transform_filter("datum.status !== 'shown'")
        .mark_geoshape(strokeWidth=0.7)
        .encode(
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(
                    domain=[hidden_label, no_data_label], range=[HIDDEN_FILL, NO_DATA_FILL]
                ),
                legend=alt.Legend(orient="right", symbolType="square", symbolSize=150),
            ),
            stroke=alt.Stroke(
                "status:N",
                title=None,
                scale=alt.Scale(
                    domain=[hidden_label, no_data_label], range=[HIDDEN_STROKE, NO_DATA_STROKE]
                ),
                legend=alt.Legend(orient="right", symbolType="square", symbolSize=150),
            ),
            strokeDash=alt.StrokeDash(
                "status:N",
                title=None,
                scale=alt.Scale(domain=[hidden_label, no_data_label], range=[[2, 1.5], [1, 0]]),
                legend=alt.Legend(orient="right", symbolType="square", symbolSize=150),
            ),
            tooltip=tooltip,
        )
    )
    layers: list[alt.Chart] = [values, others]
    if highlight is not None and highlight in municipalities:
        layers.append(
            alt.Chart()
            .transform_filter("datum.highlight")
            .mark_geoshape(filled=False, stroke=BLACK, strokeWidth=2.2)
            .encode(tooltip=tooltip)
        )
    chart = (
        alt.layer(*layers, data=alt.NamedData(name=BOUNDARIES_DATASET))
        .transform_lookup(
            lookup="properties.statcode",
            from_=alt.LookupData(
                data=alt.NamedData(name=VALUES_DATASET), key="code", fields=fields
            ),
        )
        .resolve_scale(color="independent", stroke="independent", strokeDash="independent")
        .project(type="mercator", fit=_FIT)
        .properties(width=width, height=height)
    )

    n_hidden = sum(1 for r in rows if r["hidden"])
    n_no_data = len(municipalities) - len(by_code)
    subtitle = [
        _map_subtitle(period, year, lang),
        *text("map_shrunk" if smoothed else "map_unshrunk", lang).split("\n"),
    ]
    highlight_text = ""
    if highlight is not None and highlight in municipalities:
        hl = next(r for r in rows if r["code"] == highlight)
        highlight_text = f"{hl['name']}: {hl['value_text']}"
        subtitle.append(highlight_text + _outline_note(lang))
    values_shown = [c.value for c in shown if c.value is not None]
    description = _map_description(
        lang,
        title=title,
        period=period,
        year=year,
        n_shown=len(shown),
        n_hidden=n_hidden,
        n_no_data=n_no_data,
        low=format_value(min(values_shown), unit, lang) if values_shown else "",
        high=format_value(max(values_shown), unit, lang) if values_shown else "",
        highlight=highlight_text,
    )
    datasets: dict[str, list[dict[str, Any]]] = {VALUES_DATASET: rows}
    if inline_geometry:
        datasets[BOUNDARIES_DATASET] = boundary_features(year)
    return finish(
        chart,
        title=title,
        subtitle=subtitle,
        description=description,
        lang=lang,
        datasets=datasets,
    )


def _map_subtitle(period: str, year: int, lang: Lang) -> str:
    if lang == "nl":
        return f"Per gemeente, {period} (gemeentelijke indeling {year})".replace(", (", " (")
    return f"By municipality, {period} (municipal boundaries of {year})".replace(", (", " (")


def _outline_note(lang: Lang) -> str:
    return " (dik omlijnd)" if lang == "nl" else " (thick outline)"


def _map_description(
    lang: Lang,
    *,
    title: str,
    period: str,
    year: int,
    n_shown: int,
    n_hidden: int,
    n_no_data: int,
    low: str,
    high: str,
    highlight: str,
) -> str:
    if lang == "nl":
        text = f"Kaart van {title} per gemeente, {period}, gemeentelijke indeling {year}. "
        text += f"{n_shown} gemeenten met een waarde"
        text += f" (van {low} tot {high})" if low else ""
        text += f"; {n_hidden} verborgen (privacy); {n_no_data} zonder gegevens."
    else:
        text = f"Map of {title} by municipality, {period}, municipal boundaries of {year}. "
        text += f"{n_shown} municipalities with a value"
        text += f" (from {low} to {high})" if low else ""
        text += f"; {n_hidden} hidden (privacy); {n_no_data} without data."
    return text + (f" {highlight}." if highlight else "")

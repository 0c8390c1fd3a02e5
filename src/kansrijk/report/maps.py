"""Choropleth maps of municipal cells, as Vega-Lite specs.

Every municipality of the boundary year is drawn, in one of three states:

* **shown**: filled by its value on a 5-class quantile scale of blues, darker = worse (the
  scale is reversed for indicators where higher is better); the classes are computed here, so
  the legend (titled with the unit) reads "13,1 – 14,9" in the report's number format;
* **hidden** (a suppressed cell): neutral grey with a dashed dark outline, its own legend entry
  "verborgen (privacy)", and a tooltip that says so; the spec holds no number for it;
* **no data** (no cell at all): white with a thin grey outline, legend entry "geen gegevens".

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

import itertools
import json
import statistics
from collections.abc import Sequence
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
    unit_title,
)
from kansrijk.report.labels import Lang, number
from kansrijk.report.render import BOUNDARIES_DATASET

__all__ = [
    "BLUES",
    "HIDDEN_FILL",
    "NL_EXTENT",
    "NO_DATA_FILL",
    "boundary_features",
    "choropleth",
    "quantile_classes",
]

#: Named dataset of the per-municipality rows (values, states and tooltip texts).
VALUES_DATASET = "municipalities"

#: Number of colour classes of a map (fewer when there are fewer distinct values).
CLASSES = 5

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


def choropleth(
    cells: Sequence[Cell],
    indicator: Indicator,
    year: int,
    lang: Lang = "nl",
    highlight: str | None = None,
    *,
    inline_geometry: bool = True,
    width: Width = 480,
    height: int = 560,
) -> dict[str, Any]:
    """A map of municipal cells of one indicator and period on the boundaries of ``year``.

    ``cells`` are municipal total cells (e.g. ``published.municipal(id, period)``); codes must be
    municipalities of ``year``. ``highlight`` (a GM code) gets a thick black outline. See the
    module for the three states of a municipality and the shared-geometry mode."""
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
    unit = indicator.unit.value
    hidden_label = chart_text("hidden", lang)
    no_data_label = chart_text("no_data", lang)
    shown_values = sorted(
        c.value for c in by_code.values() if not c.suppressed and c.value is not None
    )
    classes = _distinct_labels(quantile_classes(shown_values, CLASSES), lang)
    class_labels = [_class_label(low, high, lang) for low, high in classes]
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
                "status": no_data_label,
                "class": None,
            }
        else:
            row = cell_row(found, lang)
            row["status"] = hidden_label if row["hidden"] else "shown"
            row["class"] = None if row["hidden"] else class_labels[_class_of(row["value"], classes)]
        rows.append({"code": code, "name": name, "highlight": code == highlight, **row})

    fields = ["name", "status", "class", "hidden", "highlight", "value", "value_text", "ci_text"]
    tooltip = [
        alt.Tooltip("name:N", title=chart_text("municipality", lang)),
        alt.Tooltip("value_text:N", title=chart_text("value", lang)),
        alt.Tooltip("ci_text:N", title=chart_text("ci", lang)),
    ]
    colours = list(BLUES[: len(classes)] if len(classes) > 1 else BLUES[2:3])
    if direction_reversed(indicator):
        colours.reverse()
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

    title = indicator.title_nl if lang == "nl" else indicator.title_en
    periods = sorted({c.period for c in by_code.values()})
    period = ", ".join(periods)
    shown = [c for c in by_code.values() if not c.suppressed and c.value is not None]
    n_hidden = sum(1 for r in rows if r["hidden"])
    n_no_data = len(municipalities) - len(by_code)
    subtitle = [_map_subtitle(period, year, lang)]
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


def quantile_classes(values: Sequence[float], k: int = CLASSES) -> list[tuple[float, float]]:
    """Up to ``k`` classes (low, high) holding about equal numbers of the sorted ``values``:
    the first class runs from the minimum to the first quantile, the last to the maximum.
    Fewer classes when quantiles coincide; none for no values."""
    ordered = sorted(values)
    if not ordered:
        return []
    if ordered[0] == ordered[-1] or len(ordered) < 2:
        return [(ordered[0], ordered[-1])]
    cuts = statistics.quantiles(ordered, n=k, method="inclusive") if k > 1 else []
    edges = [ordered[0], *(c for c in cuts if ordered[0] < c < ordered[-1]), ordered[-1]]
    return list(itertools.pairwise(sorted(set(edges))))


def _class_of(value: float, classes: Sequence[tuple[float, float]]) -> int:
    """Index of the class holding ``value``: (low, high], the first class closed at low."""
    for index, (_, high) in enumerate(classes):
        if value <= high:
            return index
    return len(classes) - 1


def _distinct_labels(classes: list[tuple[float, float]], lang: Lang) -> list[tuple[float, float]]:
    """Merge neighbouring classes that would print the same label (values equal at one
    decimal), so every legend entry is distinct."""
    merged: list[tuple[float, float]] = []
    for low, high in classes:
        if merged and (
            _class_label(low, high, lang) == _class_label(*merged[-1], lang)
            or number(low, lang) == number(high, lang)
        ):
            merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return merged


def _class_label(low: float, high: float, lang: Lang) -> str:
    if number(low, lang) == number(high, lang):
        return number(low, lang)
    return f"{number(low, lang)} – {number(high, lang)}"

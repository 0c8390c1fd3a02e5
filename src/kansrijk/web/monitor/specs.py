"""Vega-Lite specs of the monitor pages, built by `kansrijk.report.charts` and `.maps`.

Altair takes tens of milliseconds per spec, so each spec is built once per (run, chart,
indicator, region, language), kept as JSON bytes (and gzipped) in the run's cache, and served
from its own URL with the run id in it: the URL changes with the run, so browsers may keep a
spec for good. Maps leave out the boundaries (``inline_geometry=False``); the page loads them
once from `boundaries` and vega-embed reads them as the named dataset ``boundaries``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.metadata import version
from typing import Any, Final

from kansrijk.publication import NL, Publication, period_text
from kansrijk.report import charts, maps, render
from kansrijk.report.labels import Lang, series_labels, text
from kansrijk.web.monitor.store import Blob, Run

#: Charts of a municipality (any signed-in user) and of the national dashboard (restricted).
LOCAL_KINDS: Final = frozenset({"trend", "funnel", "map"})
NATIONAL_KINDS: Final = frozenset({"national", "breakdown"})
KINDS: Final = LOCAL_KINDS | NATIONAL_KINDS


def _json(spec: dict[str, Any]) -> bytes:
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).encode()


def build(
    published: Publication, kind: str, indicator_id: str, region: str, lang: Lang
) -> dict[str, Any]:
    """One chart's spec (KeyError for an unknown chart, indicator or region)."""
    d = published.indicator(indicator_id)
    if kind in NATIONAL_KINDS:
        if region != NL:
            raise KeyError(region)
        if kind == "national":
            return charts.trend_chart(
                {text("netherlands", lang): published.series(d.id)}, d, lang, width="container"
            )
        latest = published.latest(d.id)
        if latest is None:
            raise KeyError(indicator_id)
        year = latest.period_start
        return charts.breakdown_chart(
            published.breakdowns(d.id, year),
            d,
            lang,
            total=published.period_cell(d.id, NL, (year, year)),
            width="container",
        )
    municipality = published.region(region)
    if municipality.type != "gemeente" or municipality.province_code is None:
        raise KeyError(region)
    if kind == "trend":
        province = published.region(municipality.province_code)
        labels = series_labels(municipality, province, lang)
        if len(set(labels.values())) != len(labels):
            raise ValueError(f"two series of {municipality.code} share a label: {labels}")
        series = {label: published.series(d.id, code) for code, label in labels.items()}
        return charts.trend_chart(series, d, lang, width="container")
    period = published.municipal_period(d.id)
    if kind == "funnel":
        names = {r.code: r.name for r in published.municipalities()}
        hidden = [c.region_code for c in published.municipal(d.id, period) if c.suppressed]
        return charts.funnel_chart(
            published.funnel_points(d.id, period),
            d,
            highlight=municipality.code,
            names=names,
            lang=lang,
            hidden=hidden,
            period=period_text(period),
            width="container",
        )
    if kind == "map":
        return maps.choropleth(
            published.municipal(d.id, period),
            d,
            published.classification_year,
            lang,
            highlight=municipality.code,
            national=published.period_cell(d.id, NL, period),
            inline_geometry=False,
            width="container",
        )
    raise KeyError(kind)


def spec(run: Run, kind: str, indicator_id: str, region: str, lang: Lang) -> Blob:
    """The cached spec as bytes to serve."""
    if kind not in KINDS:
        raise KeyError(kind)

    def make() -> Blob:
        return Blob.of(_json(build(run.published, kind, indicator_id, region, lang)))

    return run.specs.get_or_build((kind, region, indicator_id, lang), make)


@cache
def boundaries(year: int) -> Blob:
    """The municipal boundaries of ``year`` as GeoJSON features (ValueError for other years)."""
    return Blob.of(_json_list(maps.boundary_features(year)))


def _json_list(features: list[dict[str, Any]]) -> bytes:
    return json.dumps(features, separators=(",", ":")).encode()


@cache
def bundle_version() -> str:
    """Changes whenever the bundle may change: the versions of vl-convert and Altair."""
    return f"{version('vl-convert-python')}-{version('altair')}"


@cache
def bundle() -> Blob:
    """The offline vega-embed bundle (Vega, Vega-Lite, vega-embed), built once per process."""
    return Blob.of(render.javascript_bundle().encode())

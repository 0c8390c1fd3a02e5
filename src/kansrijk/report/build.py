"""The national factsheet and the local monitor as self-contained HTML and as PDF.

The HTML works offline: styles, the Vega-Lite runtime (vega-embed bundle), the chart specs and
the municipal boundaries are all inside the one file. The PDF is the same document printed by
chromium (or WeasyPrint, `kansrijk.report.pdf`) with every chart and map drawn to SVG
beforehand. Both are written atomically by
`Publication.write` (the only writer of files built from published results).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pyarrow as pa
import pyarrow.compute as pc
from markupsafe import Markup

from kansrijk import __version__
from kansrijk.indicators import Indicator
from kansrijk.publication import (
    HIDDEN_EN,
    HIDDEN_NL,
    NL,
    Cell,
    FunnelPoint,
    Publication,
    period_text,
)
from kansrijk.publication.writers import write_csv
from kansrijk.report import charts, key_messages, maps, render
from kansrijk.report.caveats import review_note
from kansrijk.report.dashboard import (
    Local,
    National,
    Programme,
    ProgrammeStatus,
    Trend,
    local,
    national,
    synthetic_run,
    trend,
)
from kansrijk.report.definitions_nl import dutch_definition
from kansrijk.report.deviations_nl import deviations
from kansrijk.report.experiences import Experiences
from kansrijk.report.labels import (
    Lang,
    breakdown_label,
    phase_label,
    programme_source,
    reading_guide,
    series_labels,
    sources,
    text,
    title,
    unit_label,
    value_label,
)
from kansrijk.report.labels import count as format_count
from kansrijk.report.labels import number as format_number
from kansrijk.report.model_note import model_note
from kansrijk.report.pdf import Printer
from kansrijk.report.relevance import relevance

FORMATS = ("html", "pdf")
#: What `build_local` can write: the report (HTML, PDF) and the municipality's own published
#: cells as CSV (the HTML links to it).
LOCAL_FORMATS = ("html", "pdf", "csv")


@dataclass(frozen=True)
class Chart:
    """A chart as the template places it: a spec for the browser or an SVG for print."""

    id: str
    spec_json: str
    svg: str | None
    description: str
    caption: str
    #: The sentence printed instead of the chart when none is drawn (a map with too many
    #: hidden municipalities, a funnel without points): `maps.notice_of` of its spec.
    notice: str | None = None


@dataclass(frozen=True)
class Download:
    """A file written next to the report that the page links to."""

    href: str
    label: str
    note: str


@dataclass(frozen=True)
class SeriesTable:
    years: list[int]
    lines: list[tuple[str, list[Cell | None]]]


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    edition: int
    classification_year: int
    threshold: int
    first_year: int
    last_year: int


@dataclass(frozen=True)
class Definition:
    population: str
    numerator: str
    denominator: str
    time_reference: str


def _definition(d: Indicator, lang: Lang) -> Definition:
    if lang == "nl":
        nl = dutch_definition(d.id, d.version)
        return Definition(nl.population, nl.numerator, nl.denominator, nl.time_reference)
    return Definition(d.population, d.numerator, d.denominator, d.time_reference)


@cache
@cache
def _environment() -> jinja2.Environment:
    """One environment per process: it keeps the compiled templates (compiling them took
    0.15 s for each page built)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kansrijk.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    return env


def css_string(value: str) -> Markup:
    """``value`` as a quoted CSS string, safe inside a ``<style>`` element: the page's title in
    the ``@page`` margin boxes (chromium has no ``string-set`` to take it from the heading)."""
    escaped = (
        str(value)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\A ")
        .replace("<", "\\3C ")
        .replace(">", "\\3E ")
        .replace("&", "\\26 ")
    )
    return Markup(f'"{escaped}"')


@cache
def _css() -> str:
    return (resources.files("kansrijk.report") / "templates" / "report.css").read_text("utf-8")


def _helpers(lang: Lang) -> dict[str, Callable[..., object]]:
    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    def funnel_text(point: FunnelPoint | None) -> str:
        if point is None or point.position is None or point.value is None:
            return t("funnel_none")
        return t(f"funnel_{point.position}")

    return {
        "t": t,
        "num": lambda value: format_number(value, lang),
        "unit": lambda u: unit_label(str(u), lang),
        "title": lambda d: title(d, lang),
        "sources": sources,
        "phase_label": lambda p: phase_label(p, lang),
        "breakdown_label": lambda name: breakdown_label(name, lang),
        "value_label": lambda value: value_label(value, lang),
        "definition": lambda d: _definition(d, lang),
        "deviations": lambda d: deviations(d, lang),
        "review": lambda d: review_note(d, lang),
        "relevance": lambda d: relevance(d.id, lang),
        "programme_source": lambda source: programme_source(str(source), lang),
        "pct": lambda value: format_number(value, lang, 0),
        "cnt": lambda value: format_count(value, lang),
        "cell_at": _cell_at,
        "funnel_text": funnel_text,
        "model_note": lambda d, cell, region: model_note(d, cell, region, lang),
        "period": period_text,
    }


def _cell_at(cells: Sequence[Cell], year: int) -> Cell | None:
    """The single-year cell of ``year`` in ``cells``, or None."""
    return next((c for c in cells if c.period_start == year and not c.pooled), None)


def _run_info(published: Publication) -> RunInfo:
    return RunInfo(
        run_id=published.run_id,
        edition=published.edition,
        classification_year=published.classification_year,
        threshold=published.threshold,
        first_year=published.years[0],
        last_year=published.latest_year,
    )


@dataclass(frozen=True)
class ChartSpec:
    """A chart built once and placed in the HTML (as a spec) and the PDF (as an SVG)."""

    id: str
    spec: dict[str, Any]
    caption: str
    #: For maps: the boundary year whose geometry the spec leaves to the page (HTML) and that
    #: is put in before drawing the SVG (PDF).
    boundaries: int | None = None


def _place(chart: ChartSpec | None, interactive: bool) -> Chart | None:
    if chart is None:
        return None
    notice = maps.notice_of(chart.spec)
    if notice is not None:
        # A sentence instead of a figure: no spec, no SVG and no caption (the map caption's
        # "grey: hidden" would describe a map that is not there).
        return Chart(chart.id, "", None, notice, "", notice)
    description = str(chart.spec.get("description") or chart.caption)
    if interactive:
        return Chart(chart.id, _script_json(chart.spec), None, description, chart.caption)
    spec = chart.spec
    if chart.boundaries is not None:
        geometry = {render.BOUNDARIES_DATASET: maps.boundary_features(chart.boundaries)}
        spec = {**spec, "datasets": {**spec.get("datasets", {}), **geometry}}
    svg = render.to_svg(spec)
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Chart(chart.id, "", uri, description, chart.caption)


def _placed(
    specs: Mapping[str, Mapping[str, ChartSpec | None]], interactive: bool
) -> dict[str, dict[str, Chart | None]]:
    return {
        key: {name: _place(chart, interactive) for name, chart in charts_of.items()}
        for key, charts_of in specs.items()
    }


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element (no '</' sequence can close it)."""
    return json.dumps(data, separators=(",", ":")).replace("</", "<\\/")


def _series_table(lines: Mapping[str, Sequence[Cell]], years: Sequence[int]) -> SeriesTable:
    rows = []
    for label, cells in lines.items():
        by_year = {c.period_start: c for c in cells}
        rows.append((label, [by_year.get(y) for y in years]))
    return SeriesTable(list(years), rows)


def _page(
    template: str, published: Publication, lang: Lang, interactive: bool, **context: Any
) -> str:
    env = _environment()
    return env.get_template(template).render(
        lang=lang,
        version=__version__,
        css=_css(),
        run=_run_info(published),
        synthetic=synthetic_run(published),
        guide=reading_guide(lang, published.threshold),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        interactive=interactive,
        bundle=render.javascript_bundle() if interactive else "",
        boundaries_json=(
            _script_json(maps.boundary_features(published.classification_year))
            if interactive
            else ""
        ),
        **_helpers(lang),
        **context,
    )


@dataclass(frozen=True)
class NationalPage:
    """The national factsheet's content, built once for both the HTML and the PDF."""

    report: National
    charts: dict[str, dict[str, ChartSpec | None]]
    tables: dict[str, dict[str, SeriesTable]]
    #: Indicator id -> its key message (registry and programme indicators).
    messages: dict[str, key_messages.KeyMessage]
    #: The programme indicators 1-6 and 9, None when no publication of them was given.
    programme: Programme | None = None
    #: The "Ervaringen" section, None when no publication of quotes was given.
    experiences: Experiences | None = None


def national_page(
    published: Publication,
    lang: Lang = "nl",
    programme: Programme | None = None,
    experiences: Experiences | None = None,
) -> NationalPage:
    """Tiles, sections, chart specs, tables and key messages of the national factsheet;
    ``programme``: the programme indicators (`kansrijk.report.dashboard.programme`);
    ``experiences``: the "Ervaringen" section (`kansrijk.report.experiences.section`)."""
    report: National = national(published, lang)
    messages = {s.indicator.id: key_messages.for_section(s, lang) for s in report.sections}
    if programme is not None:
        messages |= {
            s.indicator.id: key_messages.for_programme(s, lang) for s in programme.sections
        }
    nl_name = text("netherlands", lang)
    specs: dict[str, dict[str, ChartSpec | None]] = {}
    tables: dict[str, dict[str, SeriesTable]] = {}
    year = published.classification_year
    for s in report.sections:
        d = s.indicator
        name = title(d, lang)
        years = [c.period_start for c in s.series]
        window_text = period_text(s.map_period)
        specs[d.id] = {
            "trend": ChartSpec(
                f"trend-{d.id}",
                charts.trend_chart({nl_name: s.series}, d, lang),
                text("trend_caption", lang, title=name, first=years[0], last=years[-1])
                if years
                else name,
            ),
            "breakdown": ChartSpec(
                f"breakdown-{d.id}",
                charts.breakdown_chart(s.breakdowns, d, lang),
                text("breakdown_caption", lang, title=name, year=s.breakdown_year),
            )
            if s.breakdowns
            else None,
            "map": ChartSpec(
                f"map-{d.id}",
                maps.choropleth(
                    s.map_cells,
                    d,
                    year,
                    lang,
                    national=published.period_cell(d.id, NL, s.map_period),
                    inline_geometry=False,
                ),
                text("map_caption", lang, title=name, period=window_text, year=year),
                boundaries=year,
            ),
        }
        tables[d.id] = {"series": _series_table({nl_name: s.series}, years)}
    return NationalPage(report, specs, tables, messages, programme, experiences)


def national_html(
    published: Publication,
    lang: Lang = "nl",
    *,
    interactive: bool = True,
    page: NationalPage | None = None,
    programme: Programme | None = None,
    experiences: Experiences | None = None,
) -> str:
    """The national factsheet: a dashboard of tiles, the programme indicators, then one
    section per indicator."""
    page = page or national_page(published, lang, programme, experiences)
    return _page(
        "national.html.j2",
        published,
        lang,
        interactive,
        sections=page.report.sections,
        report=page.report,
        charts=_placed(page.charts, interactive),
        tables=page.tables,
        messages=page.messages,
        programme=page.programme,
        experiences=page.experiences,
    )


@dataclass(frozen=True)
class LocalPage:
    """The local monitor's content, built once for both the HTML and the PDF."""

    report: Local
    charts: dict[str, dict[str, ChartSpec | None]]
    tables: dict[str, dict[str, SeriesTable]]
    trends: dict[str, Trend | None]
    #: The "Ervaringen" section of the municipality's coalition, None when no publication
    #: of quotes was given.
    experiences: Experiences | None = None


def local_page(
    published: Publication,
    municipality: str,
    lang: Lang = "nl",
    status: ProgrammeStatus | None = None,
    experiences: Experiences | None = None,
) -> LocalPage:
    """Comparisons, chart specs and tables of one municipality's local monitor;
    ``experiences``: the quotes of its coalition's sessions
    (`kansrijk.report.experiences.section` with ``municipality``)."""
    report: Local = local(published, municipality, lang, status)
    names = {m.code: m.name for m in published.municipalities()}
    labels = series_labels(report.region, report.province, lang)
    specs: dict[str, dict[str, ChartSpec | None]] = {}
    tables: dict[str, dict[str, SeriesTable]] = {}
    trends: dict[str, Trend | None] = {}
    for c in report.comparisons:
        d = c.indicator
        name = title(d, lang)
        lines = {
            labels[report.region.code]: c.municipality,
            labels[report.province.code]: c.province,
            labels[NL]: c.nl,
        }
        years = sorted({cell.period_start for cells in lines.values() for cell in cells})
        points = published.funnel_points(d.id, c.funnel_period)
        window_text = period_text(c.funnel_period)
        hidden = [
            cell.region_code
            for cell in published.municipal(d.id, c.funnel_period)
            if cell.suppressed
        ]
        specs[d.id] = {
            "trend": ChartSpec(
                f"trend-{d.id}",
                charts.trend_chart(lines, d, lang),
                text("trend_caption", lang, title=name, first=years[0], last=years[-1])
                if years
                else name,
            ),
            "funnel": ChartSpec(
                f"funnel-{d.id}",
                charts.funnel_chart(
                    points, d, municipality, names, lang, hidden=hidden, period=window_text
                ),
                text("funnel_caption", lang, title=name, period=window_text),
            ),
        }
        tables[d.id] = {"series": _series_table(lines, years)}
        trends[d.id] = trend(c.municipality, d.direction)
    return LocalPage(report, specs, tables, trends, experiences)


def local_html(
    published: Publication,
    municipality: str,
    lang: Lang = "nl",
    status: ProgrammeStatus | None = None,
    *,
    interactive: bool = True,
    page: LocalPage | None = None,
    download: str | None = None,
    experiences: Experiences | None = None,
) -> str:
    """The local monitor of one municipality against its province and the Netherlands;
    ``download``: the name of the CSV of its cells written next to the page (linked from the
    interactive HTML)."""
    page = page or local_page(published, municipality, lang, status, experiences)
    return _page(
        "local.html.j2",
        published,
        lang,
        interactive,
        local=page.report,
        charts=_placed(page.charts, interactive),
        tables=page.tables,
        trends=page.trends,
        download=_download(download, page.report.region.name, lang) if interactive else None,
        experiences=page.experiences,
    )


def _download(name: str | None, region: str, lang: Lang) -> Download | None:
    if name is None:
        return None
    hidden = HIDDEN_NL if lang == "nl" else HIDDEN_EN
    return Download(
        href=name,
        label=text("download_label", lang, name=region),
        note=text("download_note", lang, name=region, hidden=hidden),
    )


def local_cells(published: Publication, municipality: str, lang: Lang = "nl") -> pa.Table:
    """Every row of the publication for ``municipality`` (all indicators, periods and
    breakdowns, in the publication's order and columns), plus a ``note`` column that says
    "verborgen (privacy)" for a hidden cell: its numbers are empty, as published, and no
    reason is given. The rows of the local monitor's CSV download."""
    table = published.results
    rows = table.filter(pc.equal(table["region_code"], municipality))
    hidden = HIDDEN_NL if lang == "nl" else HIDDEN_EN
    note = pc.if_else(rows["suppressed"], pa.scalar(hidden), pa.scalar(None, pa.string()))
    return rows.append_column("note", note)


def _print(
    printer: Printer | None, interactive: Callable[[], str], static: Callable[[], str]
) -> bytes:
    """The PDF of a report page. Chromium prints the interactive page, drawing its charts with
    the page's own Vega runtime (about 75 ms a chart less than drawing each to SVG with
    vl-convert first); WeasyPrint, which runs no scripts, prints the static page."""
    with nullcontext(printer) if printer is not None else Printer() as chosen:
        if chosen.engine == "chromium":
            return chosen.pdf(interactive(), scripts=True)
        return chosen.pdf(static())


def build_national(
    published: Publication,
    out_dir: Path,
    lang: Lang = "nl",
    formats: Sequence[str] = FORMATS,
    programme: Programme | None = None,
    printer: Printer | None = None,
    experiences: Experiences | None = None,
) -> list[Path]:
    """Write ``factsheet-<lang>.html`` and ``.pdf`` to ``out_dir``; return the paths.
    ``programme``: the programme indicators 1-6 and 9 (else the factsheet says they are
    absent); ``printer``: an open `Printer` to print the PDF with (else one of the default
    engine is started for it); ``experiences``: the "Ervaringen" section."""
    page = national_page(published, lang, programme, experiences)
    html = cache(partial(national_html, published, lang, page=page))
    outputs: dict[str, bytes] = {}
    if "html" in formats:
        outputs[f"factsheet-{lang}.html"] = html().encode()
    if "pdf" in formats:
        outputs[f"factsheet-{lang}.pdf"] = _print(
            printer, html, partial(national_html, published, lang, interactive=False, page=page)
        )
    return published.write(out_dir, outputs)


def build_local(
    published: Publication,
    municipality: str,
    out_dir: Path,
    lang: Lang = "nl",
    status: ProgrammeStatus | None = None,
    formats: Sequence[str] = FORMATS,
    printer: Printer | None = None,
    experiences: Experiences | None = None,
) -> list[Path]:
    """Write ``<code>-<lang>.html`` and ``.pdf`` (the local monitor) to ``out_dir``, and with
    "csv" in ``formats`` ``<code>-<lang>.csv``: the municipality's published cells
    (`local_cells`), written by the gate's CSV writer and linked from the HTML. ``printer``:
    as for `build_national`; ``experiences``: the quotes of the municipality's coalition."""
    unknown = sorted(set(formats) - set(LOCAL_FORMATS))
    if unknown:
        raise ValueError(f"unknown format(s) {unknown}; choose from {LOCAL_FORMATS}")
    published.region(municipality)  # unknown codes fail before any work
    page = local_page(published, municipality, lang, status, experiences)
    outputs: dict[str, Callable[[Path], None] | bytes] = {}
    csv_name = f"{municipality}-{lang}.csv" if "csv" in formats else None
    if csv_name is not None:
        # The gate's writer, called by `Publication.write` like every other output.
        outputs[csv_name] = partial(write_csv, local_cells(published, municipality, lang))
    html = cache(partial(local_html, published, municipality, lang, page=page, download=csv_name))
    if "html" in formats:
        outputs[f"{municipality}-{lang}.html"] = html().encode()
    if "pdf" in formats:
        static = partial(local_html, published, municipality, lang, interactive=False, page=page)
        outputs[f"{municipality}-{lang}.pdf"] = _print(printer, html, static)
    return published.write(out_dir, outputs)

"""From a published run to what the monitor pages show: formatted figures, per page.

Everything here is a pure function of a `Publication` run and the language; the views cache the
results per (run, municipality, language), so each is built once. The figures come from the
report's dashboard objects (`kansrijk.report.dashboard`), the same cells the factsheets print,
and are formatted by the charts' helpers, so a number in a table is the number in its chart.
A hidden cell becomes the word "verborgen" (never a number).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kansrijk.indicators import Indicator
from kansrijk.indicators.model import Direction, Phase
from kansrijk.publication import NL, Cell, FunnelPoint, Publication
from kansrijk.report import dashboard
from kansrijk.report.charts import VALUE_ORDER, format_interval, format_value
from kansrijk.report.labels import (
    Lang,
    breakdown_label,
    class_range,
    count,
    phase_label,
    series_labels,
    sources,
    text,
    unit_label,
    value_label,
)
from kansrijk.stats import Change

SHOWN: Final = "shown"
HIDDEN: Final = "hidden"
MISSING: Final = "missing"
DASH: Final = "–"
#: Marker file a demo run carries (written by `kansrijk.web.monitor.demo`).
DEMO_MARKER: Final = "demo.json"


def language() -> Lang:
    """The active language as the report's `Lang` ("nl" unless English is active)."""
    return "en" if (translation.get_language() or "nl").startswith("en") else "nl"


@dataclass(frozen=True)
class Figure:
    """One formatted figure: a value with its interval, or "verborgen", or a dash."""

    state: str
    value: str
    ci: str = ""
    counts: str = ""
    period: str = ""

    @property
    def hidden(self) -> bool:
        return self.state == HIDDEN


def figure(cell: Cell | None, lang: Lang) -> Figure:
    if cell is None:
        return Figure(MISSING, DASH)
    if cell.suppressed or cell.value is None:
        return Figure(HIDDEN, _("hidden"), period=cell.period)
    counts = ""
    if cell.numerator is not None and cell.denominator is not None:
        counts = f"{count(cell.numerator, lang)} / {count(cell.denominator, lang)}"
    return Figure(
        SHOWN,
        format_value(cell.value, cell.unit, lang),
        format_interval(cell.ci_low, cell.ci_high, lang),
        counts,
        cell.period,
    )


def _period(period: tuple[int, int]) -> str:
    start, end = period
    return str(start) if start == end else f"{start}-{end}"


def _title(d: Indicator, lang: Lang) -> str:
    return d.title_nl if lang == "nl" else d.title_en


def _unit(d: Indicator, lang: Lang) -> str:
    return unit_label(str(d.unit), lang)


def _direction(d: Indicator, lang: Lang) -> str:
    return text("lower" if d.direction is Direction.LOWER_IS_BETTER else "higher", lang)


@dataclass(frozen=True)
class TrendText:
    symbol: str  # an arrow, decorative (the text says the same)
    text: str
    desired: bool | None


def trend_text(trend: dashboard.Trend | None, lang: Lang) -> TrendText:
    if trend is None:
        return TrendText("", text("no_trend", lang), None)
    if trend.change is Change.STABLE:
        words = f"{text('stable', lang)} ({trend.since}-{trend.until})"
        return TrendText("→", words, None)
    words = f"{text(str(trend.change), lang)} {text('since', lang)} {trend.since}"
    words += f", {text('desired' if trend.desired else 'undesired', lang)}"
    return TrendText("↑" if trend.change is Change.UP else "↓", words, trend.desired)


def funnel_text(point: FunnelPoint | None, lang: Lang) -> str:
    if point is None or point.position not in ("above", "below", "within"):
        return text("funnel_none", lang)
    return text(f"funnel_{point.position}", lang)


# -- the local dashboard --------------------------------------------------------------------------
@dataclass(frozen=True)
class YearRow:
    period: str
    municipality: Figure
    province: Figure
    nl: Figure
    pooled: bool = False


@dataclass(frozen=True)
class LocalIndicator:
    id: str
    anchor: str
    number: str
    title: str
    unit: str
    direction: str
    source: str
    latest: Figure
    province: Figure
    nl: Figure
    pooled: Figure
    funnel: str
    funnel_period: str
    trend: TrendText
    caveats: tuple[str, ...]
    years: tuple[YearRow, ...]
    compare_url: str
    chart_url: str
    hidden: bool  # any hidden figure in this indicator's tables
    #: The similar municipalities' figure (a dash without a group or with too few published)
    #: and its note: period when pooled, "4 van 6 gemeenten gepubliceerd".
    group: Figure = Figure(MISSING, DASH)
    group_note: str = ""


@dataclass(frozen=True)
class PhaseBlock:
    anchor: str
    label: str
    indicators: tuple[LocalIndicator, ...]
    #: For a phase without a registry indicator: which indicators of the phase come with
    #: another edition (or were not computed), in the report's words.
    notes: tuple[str, ...] = ()

    @property
    def hidden(self) -> bool:
        return any(i.latest.hidden or i.pooled.hidden for i in self.indicators)


@dataclass(frozen=True)
class GroupBlock:
    """The similar municipalities on the local dashboard, in the report's words
    (`kansrijk.report.labels`): the same texts as the local monitor's HTML and PDF."""

    title: str
    column: str
    paragraphs: tuple[str, ...]
    members_label: str = ""
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    edition: int
    classification_year: int
    threshold: int
    years: str
    finished: datetime | None
    #: Computed from synthetic data: the pages show the banner (`_synthetic.html`).
    synthetic: bool
    privacy: str


@dataclass(frozen=True)
class LocalPage:
    code: str
    name: str
    province: str
    #: The province in column headers and chart labels: "Utrecht (provincie)" when it is
    #: named like the municipality (`specs.series_labels`).
    province_label: str
    latest_year: int
    phases: tuple[PhaseBlock, ...]
    hidden_cells: int
    run: RunInfo
    group: GroupBlock | None = None


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def synthetic(published: Publication) -> bool:
    """Whether the run comes from synthetic data: its manifest says so (runs on a dataset of
    ``kansrijk synth``), or it is a demo run (`DEMO_MARKER`, also on demo runs built before
    the manifest carried the flag)."""
    demo = published.source is not None and (published.source / DEMO_MARKER).is_file()
    return dashboard.synthetic_run(published) or demo


def run_info(published: Publication, lang: Lang) -> RunInfo:
    years = published.years
    return RunInfo(
        run_id=published.run_id,
        edition=published.edition,
        classification_year=published.classification_year,
        threshold=published.threshold,
        years=f"{years[0]}-{years[-1]}" if years else "",
        finished=_timestamp(published.manifest.get("finished")),
        synthetic=synthetic(published),
        privacy=text("privacy_note", lang, threshold=published.threshold),
    )


def spec_url(run_id: str, lang: Lang, kind: str, indicator_id: str, region: str) -> str:
    return reverse("monitor:spec", args=[run_id, lang, kind, indicator_id, region])


def local_page(published: Publication, code: str, lang: Lang) -> LocalPage:
    """The local dashboard of ``code`` (KeyError when it is not a municipality of the run)."""
    local = dashboard.local(published, code, lang)
    blocks = []
    by_phase = dict(local.phases)
    for phase in Phase:
        comparisons = by_phase.get(phase, [])
        note = local.phase_notes.get(phase)
        blocks.append(
            PhaseBlock(
                anchor=f"phase-{phase.name.lower()}",
                label=phase_label(phase, lang),
                indicators=tuple(_local_indicator(published, local, c, lang) for c in comparisons),
                notes=_phase_notes(note, published.edition, lang) if note else (),
            )
        )
    return LocalPage(
        code=code,
        name=local.region.name,
        province=local.province.name,
        province_label=series_labels(local.region, local.province, lang)[local.province.code],
        latest_year=local.latest_year,
        phases=tuple(blocks),
        hidden_cells=local.hidden_cells,
        run=run_info(published, lang),
        group=group_block(local, published.classification_year, lang),
    )


def _phase_notes(note: dashboard.PhaseNote, edition: int, lang: Lang) -> tuple[str, ...]:
    lines = []
    for d, editions in note.later:
        if edition in editions:
            lines.append(text("phase_skipped", lang, id=d.id, title=_title(d, lang)))
        else:
            lines.append(
                text(
                    "phase_later",
                    lang,
                    id=d.id,
                    title=_title(d, lang),
                    set=d.indicator_set,
                    editions=", ".join(map(str, editions)),
                )
            )
    return tuple(lines)


def group_block(local: dashboard.Local, classification_year: int, lang: Lang) -> GroupBlock:
    """The paragraph on the similar municipalities (or why there are none)."""
    title = text("group_title", lang)
    column = text("group_column", lang)
    g = local.group
    name = local.region.name
    if g is None:
        key = "group_unclassified" if local.group_missing == "unclassified" else "group_no_classes"
        return GroupBlock(title, column, (text(key, lang, name=name),))
    paragraphs = [
        text(
            "group_intro",
            lang,
            name=name,
            n=len(g.members),
            urbanisation=class_range("urbanisation", g.urbanisation_range, lang),
            size=class_range("size", g.size_range, lang),
            year=classification_year,
        )
    ]
    if g.widened:
        paragraphs.append(
            text(
                "group_widened",
                lang,
                name=name,
                own_urbanisation=class_range("urbanisation", (g.urbanisation,) * 2, lang),
                own_size=class_range("size", (g.size,) * 2, lang),
                minimum=local.group_size_minimum,
            )
        )
    paragraphs.append(text("group_method", lang, minimum=local.group_minimum, name=name))
    return GroupBlock(
        title,
        column,
        tuple(paragraphs),
        text("group_members", lang, n=len(g.members)),
        tuple(local.group_members),
    )


def group_figure(g: dashboard.GroupFigure | None, unit: str, lang: Lang) -> tuple[Figure, str]:
    """The similar municipalities' figure of one indicator and its note."""
    if g is None:
        return Figure(MISSING, DASH), ""
    published = text("group_published", lang, n=g.published, m=g.members)
    if not g.shown:
        return Figure(MISSING, DASH), published
    note = f"{g.period_text}; {published}" if g.pooled else published
    shown = Figure(
        SHOWN,
        format_value(g.value, unit, lang),
        format_interval(g.ci_low, g.ci_high, lang),
        f"{count(g.numerator, lang)} / {count(g.denominator, lang)}",
        g.period_text,
    )
    return shown, note


def _local_indicator(
    published: Publication, local: dashboard.Local, c: dashboard.Comparison, lang: Lang
) -> LocalIndicator:
    d = c.indicator
    code = local.region.code
    rows = []
    for year in published.years:
        rows.append(
            YearRow(
                str(year),
                figure(c.at(c.municipality, year), lang),
                figure(c.at(c.province, year), lang),
                figure(c.at(c.nl, year), lang),
            )
        )
    pooled = figure(c.pooled, lang)
    if c.pooled is not None:
        rows.append(
            YearRow(
                c.pooled.period,
                pooled,
                figure(c.pooled_province, lang),
                figure(c.pooled_nl, lang),
                pooled=True,
            )
        )
    latest = figure(c.latest, lang)
    group, group_note = group_figure(c.group, str(d.unit), lang)
    return LocalIndicator(
        id=d.id,
        anchor=f"indicator-{d.id}",
        number=d.number,
        title=_title(d, lang),
        unit=_unit(d, lang),
        direction=_direction(d, lang),
        source=sources(d),
        latest=latest,
        province=figure(c.latest_province, lang),
        nl=figure(c.latest_nl, lang),
        pooled=pooled,
        funnel=funnel_text(c.funnel, lang),
        funnel_period=_period(c.funnel_period),
        trend=trend_text(dashboard.trend(c.municipality, d.direction), lang),
        caveats=tuple(c.caveats),
        years=tuple(rows),
        compare_url=reverse("monitor:compare", args=[code, d.id]),
        chart_url=spec_url(published.run_id, lang, "trend", d.id, code),
        hidden=any(f.hidden for r in rows for f in (r.municipality, r.province, r.nl)),
        group=group,
        group_note=group_note,
    )


# -- comparing municipalities ---------------------------------------------------------------------
@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    name: str
    province: str
    figure: Figure
    denominator: str
    position: str


@dataclass(frozen=True)
class MunicipalTable:
    """One indicator for every municipality: the same for every page that shows it."""

    indicator_id: str
    title: str
    unit: str
    period: str
    rows: tuple[MunicipalityRow, ...]
    run: RunInfo

    @property
    def shown(self) -> int:
        return sum(r.figure.state == SHOWN for r in self.rows)

    @property
    def hidden(self) -> int:
        return sum(r.figure.hidden for r in self.rows)

    def row(self, code: str) -> MunicipalityRow:
        return next(r for r in self.rows if r.code == code)


def municipal_table(published: Publication, indicator_id: str, lang: Lang) -> MunicipalTable:
    """Every municipality of the run, by name, for one indicator in its municipal period
    (KeyError for an unknown indicator)."""
    d = published.indicator(indicator_id)
    period = published.municipal_period(d.id)
    cells = {c.region_code: c for c in published.municipal(d.id, period)}
    points = {p.region_code: p for p in published.funnel_points(d.id, period)}
    rows = []
    for region in published.municipalities():
        cell = cells.get(region.code)
        shown = cell is not None and not cell.suppressed and cell.value is not None
        rows.append(
            MunicipalityRow(
                code=region.code,
                name=region.name,
                province=region.province_name or "",
                figure=figure(cell, lang),
                denominator=count(cell.denominator, lang) if shown and cell else "",
                position=funnel_text(points.get(region.code), lang) if shown else "",
            )
        )
    return MunicipalTable(
        indicator_id=d.id,
        title=_title(d, lang),
        unit=_unit(d, lang),
        period=_period(period),
        rows=tuple(rows),
        run=run_info(published, lang),
    )


@dataclass(frozen=True)
class ComparePage:
    """The head of the comparison page of one municipality (the table is shared)."""

    code: str
    name: str
    indicator_id: str
    title: str
    unit: str
    direction: str
    period: str
    nl: Figure
    mine: MunicipalityRow
    shown: int
    hidden: int
    funnel_url: str
    map_url: str
    table_url: str
    boundaries_year: int
    run: RunInfo


def _gemeente(published: Publication, code: str) -> str:
    region = published.region(code)
    if region.type != "gemeente":
        raise KeyError(code)
    return region.name


def compare_page(
    published: Publication, code: str, indicator_id: str, lang: Lang, table: MunicipalTable
) -> ComparePage:
    """The funnel comparison of ``code`` for one indicator (KeyError for unknown ones)."""
    name = _gemeente(published, code)
    d = published.indicator(indicator_id)
    period = published.municipal_period(d.id)
    return ComparePage(
        code=code,
        name=name,
        indicator_id=d.id,
        title=table.title,
        unit=table.unit,
        direction=_direction(d, lang),
        period=table.period,
        nl=figure(published.period_cell(d.id, NL, period), lang),
        mine=table.row(code),
        shown=table.shown,
        hidden=table.hidden,
        funnel_url=spec_url(published.run_id, lang, "funnel", d.id, code),
        map_url=spec_url(published.run_id, lang, "map", d.id, code),
        table_url=reverse("monitor:compare", args=[code, d.id]) + "#municipalities",
        boundaries_year=published.classification_year,
        run=table.run,
    )


@dataclass(frozen=True)
class MapSection:
    """The map on the local dashboard; its table is the comparison page's (linked next to it)."""

    code: str
    name: str
    indicator_id: str
    title: str
    period: str
    map_url: str
    table_url: str
    boundaries_year: int
    choices: tuple[tuple[str, str], ...]


def map_section(published: Publication, code: str, indicator_id: str, lang: Lang) -> MapSection:
    name = _gemeente(published, code)
    d = published.indicator(indicator_id)
    return MapSection(
        code=code,
        name=name,
        indicator_id=d.id,
        title=_title(d, lang),
        period=_period(published.municipal_period(d.id)),
        map_url=spec_url(published.run_id, lang, "map", d.id, code),
        table_url=reverse("monitor:compare", args=[code, d.id]) + "#municipalities",
        boundaries_year=published.classification_year,
        choices=indicator_choices(published, lang),
    )


# -- the national dashboard -----------------------------------------------------------------------
@dataclass(frozen=True)
class BreakdownRow:
    breakdown: str
    group: str
    figure: Figure


@dataclass(frozen=True)
class NationalIndicator:
    id: str
    anchor: str
    number: str
    title: str
    unit: str
    direction: str
    source: str
    phase: str
    latest: Figure
    latest_year: str
    trend: TrendText
    series: tuple[YearRow, ...]
    breakdown_year: str
    breakdowns: tuple[BreakdownRow, ...]
    caveats: tuple[str, ...]
    chart_url: str
    breakdown_url: str


@dataclass(frozen=True)
class NationalPage:
    indicators: tuple[NationalIndicator, ...]
    run: RunInfo


def _breakdown_rows(breakdowns: dict[str, list[Cell]], lang: Lang) -> tuple[BreakdownRow, ...]:
    rows = []
    for name, cells in breakdowns.items():
        for cell in sorted(cells, key=lambda c: _value_order(c.breakdown_value)):
            rows.append(
                BreakdownRow(
                    breakdown_label(name, lang),
                    value_label(cell.breakdown_value, lang),
                    figure(cell, lang),
                )
            )
    return tuple(rows)


def _value_order(value: str) -> tuple[int, int, str]:
    """The charts' order of breakdown values (listed ones first, "unknown" last)."""
    if value == "unknown":
        return (2, 0, value)
    if value in VALUE_ORDER:
        return (0, VALUE_ORDER.index(value), value)
    return (1, 0, value)


def national_page(published: Publication, lang: Lang) -> NationalPage:
    national = dashboard.national(published, lang)
    out = []
    for s in national.sections:
        d = s.indicator
        latest = s.tile.latest
        empty = Figure(MISSING, DASH)
        out.append(
            NationalIndicator(
                id=d.id,
                anchor=f"indicator-{d.id}",
                number=d.number,
                title=_title(d, lang),
                unit=_unit(d, lang),
                direction=_direction(d, lang),
                source=sources(d),
                phase=phase_label(d.phase, lang),
                latest=figure(latest, lang),
                latest_year=latest.period if latest else "",
                trend=trend_text(s.tile.trend, lang),
                series=tuple(YearRow(c.period, empty, empty, figure(c, lang)) for c in s.series),
                breakdown_year=str(s.breakdown_year or ""),
                breakdowns=_breakdown_rows(s.breakdowns, lang),
                caveats=tuple(s.caveats),
                chart_url=spec_url(published.run_id, lang, "national", d.id, NL),
                breakdown_url=spec_url(published.run_id, lang, "breakdown", d.id, NL),
            )
        )
    return NationalPage(tuple(out), run_info(published, lang))


def indicator_choices(published: Publication, lang: Lang) -> tuple[tuple[str, str], ...]:
    """(id, title) of the run's indicators, in catalogue order."""
    return tuple((d.id, _title(d, lang)) for d in published.indicators)


def municipality_choices(published: Publication) -> tuple[tuple[str, str], ...]:
    """(code, name) of the run's municipalities, by name."""
    return tuple((r.code, r.name) for r in published.municipalities())

"""What the dashboards show, as data: national tiles and sections, the local comparison.

Pure functions of a `Publication` run. The national factsheet, the local monitor and the web
monitor all render these same objects, so a figure on a page, in a PDF and in the web app is
the same cell of the same checked table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from kansrijk.geo.classes import MIN_GROUP, ComparisonGroup
from kansrijk.indicators import MUNICIPAL_POOLED_BREAKDOWNS, Indicator, catalogue
from kansrijk.indicators.model import Direction, Phase
from kansrijk.publication import NL, TOTAL, Cell, FunnelPoint, Publication, Region, period_text
from kansrijk.report.caveats import caveats_for, review_note
from kansrijk.report.labels import Lang, value_order
from kansrijk.report.model_note import MODEL_BASED_IDS, interval_change
from kansrijk.stats import Change, interval_for_unit, proportion_change
from kansrijk.stats.units import scale_of


@dataclass(frozen=True)
class Trend:
    """The change from the first to the latest published year, tested for chance."""

    change: Change
    since: int
    until: int
    p_value: float
    #: True when a significant change goes the desired way, False when the other, None: stable.
    desired: bool | None


@dataclass(frozen=True)
class Tile:
    indicator: Indicator
    latest: Cell | None
    trend: Trend | None
    #: Why the indicator is under review (`kansrijk.report.caveats.REVIEWS`), None if it is not:
    #: such a tile is neutral, shows no trend judgement and comes after the others.
    review: str | None = None


@dataclass(frozen=True)
class NationalSection:
    indicator: Indicator
    tile: Tile
    series: list[Cell]
    breakdown_year: int | None
    breakdowns: dict[str, list[Cell]]
    map_period: tuple[int, int]
    map_cells: list[Cell]
    caveats: list[str]


@dataclass(frozen=True)
class National:
    sections: list[NationalSection]

    @property
    def tiles(self) -> list[Tile]:
        return [s.tile for s in self.sections]

    @property
    def dashboard(self) -> list[NationalSection]:
        """The sections in dashboard order: indicators under review after the others (RIVM
        does not lead with a figure it withholds), otherwise the catalogue's order."""
        return sorted(self.sections, key=lambda s: s.tile.review is not None)


class ProgrammeFigure(Protocol):
    """What the report reads of a programme figure (`kansrijk.programme.Figure`)."""

    @property
    def id(self) -> str: ...
    @property
    def variant(self) -> str | None: ...


class ProgrammeDefinition(Protocol):
    """What the report reads of a programme indicator (`kansrijk.programme.ProgrammeIndicator`;
    the report layer does not import the programme package, the caller passes its
    definitions)."""

    @property
    def id(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def direction(self) -> Direction: ...
    @property
    def source(self) -> str: ...
    @property
    def figures(self) -> Sequence[ProgrammeFigure]: ...
    def title(self, language: str) -> str: ...
    def numerator_text(self, language: str) -> str: ...
    def denominator_text(self, language: str) -> str: ...


@dataclass(frozen=True)
class ProgrammeSection:
    """One programme indicator (1-6 or 9) nationally: its headline figure per year, the same
    over responding municipalities and the unknowns (indicators 1 and 2), and its trend."""

    indicator: ProgrammeDefinition
    series: list[Cell]
    responding: list[Cell]
    unknown: list[Cell]
    trend: Trend | None

    @property
    def latest(self) -> Cell | None:
        """The latest year with a published headline figure."""
        shown = [c for c in self.series if not c.suppressed]
        chosen = shown or self.series
        return chosen[-1] if chosen else None


@dataclass(frozen=True)
class Programme:
    """The programme indicators 1-6 and 9 as a publication of them holds them."""

    sections: list[ProgrammeSection]
    years: tuple[int, ...]
    run_id: str


@dataclass(frozen=True)
class ProgrammeFact:
    label: str
    value: str
    #: The phase of the first 1000 days the fact is about (a programme figure of that phase,
    #: `kansrijk.programme`'s ``phase``), None for the programme's conditions (coalition, plan).
    phase: Phase | None = None


@dataclass(frozen=True)
class ProgrammeStatus:
    """What the coalition platform knows about a municipality, already in the reader's language
    (the platform owns those labels); the report only prints it."""

    year: int
    facts: tuple[ProgrammeFact, ...]
    source: str = ""

    def of_phase(self, phase: Phase) -> tuple[ProgrammeFact, ...]:
        """The facts about one phase of the first 1000 days."""
        return tuple(f for f in self.facts if f.phase is phase)


#: A group figure needs at least this many members with a published cell.
MIN_GROUP_PUBLISHED = 3


@dataclass(frozen=True)
class GroupFigure:
    """An indicator over the similar municipalities (`kansrijk.geo.classes`) in one period:
    the sum of their published numerators over the sum of their published denominators.

    Only the members whose cell is published count (``published`` of ``members``); with fewer
    than `MIN_GROUP_PUBLISHED` there is no figure (``value`` None). Built from published cells
    only, so anyone with the publication can compute the same figure: it discloses nothing
    the publication does not."""

    period: tuple[int, int]
    numerator: int | None
    denominator: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    published: int
    members: int

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def pooled(self) -> bool:
        return self.period[0] != self.period[1]

    @property
    def period_text(self) -> str:
        return period_text(self.period)


@dataclass(frozen=True)
class BreakdownRow:
    """One value of a pooled municipal breakdown: the municipality, its province and NL over
    the same window (any of them may be hidden or absent)."""

    breakdown: str
    value: str
    municipality: Cell
    province: Cell | None
    nl: Cell | None


@dataclass(frozen=True)
class PhaseNote:
    """Why a phase has no registry indicator in this run: the indicators of that phase in
    other editions (``later``), and the programme figures of the phase the status holds."""

    phase: Phase
    #: (indicator, the editions it is in): in none of them is this run's edition, unless the
    #: run skipped it (its input was not delivered).
    later: tuple[tuple[Indicator, tuple[int, ...]], ...]
    programme: tuple[ProgrammeFact, ...]


@dataclass(frozen=True)
class Comparison:
    """One indicator for one municipality, beside its province and the Netherlands."""

    indicator: Indicator
    municipality: list[Cell]
    province: list[Cell]
    nl: list[Cell]
    latest_year: int
    pooled: Cell | None
    pooled_province: Cell | None
    pooled_nl: Cell | None
    funnel_period: tuple[int, int]
    funnel: FunnelPoint | None
    caveats: list[str]
    #: The similar municipalities' figure (None: the publication has no comparison group).
    group: GroupFigure | None = None
    #: The municipality's pooled breakdowns (``pooled``'s window), empty when the run has none.
    breakdowns: tuple[BreakdownRow, ...] = ()

    @property
    def breakdown_period(self) -> str:
        return self.pooled.period if self.pooled is not None else ""

    def at(self, cells: list[Cell], year: int | None = None) -> Cell | None:
        wanted = self.latest_year if year is None else year
        return next((c for c in cells if c.period_start == wanted), None)

    @property
    def latest(self) -> Cell | None:
        return self.at(self.municipality)

    @property
    def latest_province(self) -> Cell | None:
        return self.at(self.province)

    @property
    def latest_nl(self) -> Cell | None:
        return self.at(self.nl)


@dataclass(frozen=True)
class Local:
    region: Region
    province: Region
    latest_year: int
    #: Every phase of the first 1000 days, in order, each with its indicators (maybe none).
    phases: list[tuple[Phase, list[Comparison]]]
    status: ProgrammeStatus | None = None
    hidden_cells: int = field(default=0)
    #: The similar municipalities (None: see ``group_missing``) and their names, by code.
    group: ComparisonGroup | None = None
    group_names: dict[str, str] = field(default_factory=dict)
    #: Why there is no group: "no_classes" (the publication has none) or "unclassified"
    #: (none for this municipality); None when there is one.
    group_missing: str | None = None
    #: The phases without a registry indicator in this run, and what to say about them.
    phase_notes: dict[Phase, PhaseNote] = field(default_factory=dict)

    @property
    def comparisons(self) -> list[Comparison]:
        return [c for _, cs in self.phases for c in cs]

    @property
    def group_minimum(self) -> int:
        """Members with a published cell a group figure needs (`MIN_GROUP_PUBLISHED`)."""
        return MIN_GROUP_PUBLISHED

    @property
    def group_size_minimum(self) -> int:
        """Members a group has before it is widened (`kansrijk.geo.classes.MIN_GROUP`)."""
        return MIN_GROUP

    @property
    def group_members(self) -> list[str]:
        """The names of the similar municipalities, alphabetically."""
        if self.group is None:
            return []
        return sorted(self.group_names.get(c, c) for c in self.group.members)


def trend(series: list[Cell], direction: Direction) -> Trend | None:
    """First against latest published year; None with fewer than two published years."""
    shown = [c for c in series if not c.suppressed and c.denominator]
    if len(shown) < 2:
        return None
    first, last = shown[0], shown[-1]
    assert first.numerator is not None and first.denominator is not None
    assert last.numerator is not None and last.denominator is not None
    # A model-based figure (2023-11, 2024-14) is tested with its published intervals, which
    # hold the imputation uncertainty as well; every other with its counts.
    tested = interval_change(first, last) if first.indicator_id in MODEL_BASED_IDS else None
    change, p = tested or proportion_change(
        first.numerator, first.denominator, last.numerator, last.denominator
    )
    desired: bool | None = None
    if change is not Change.STABLE:
        desired = (change is Change.DOWN) == (direction is Direction.LOWER_IS_BETTER)
    return Trend(change, first.period_start, last.period_start, p, desired)


def ordered_breakdowns(breakdowns: dict[str, list[Cell]]) -> dict[str, list[Cell]]:
    """Each breakdown's cells in the display order of `kansrijk.report.labels.value_order`
    (ja, nee, onbekend; kwintiel 1-5, onbekend), not by their English codes."""
    return {
        name: sorted(cells, key=lambda c: value_order(c.breakdown_value))
        for name, cells in breakdowns.items()
    }


def synthetic_run(published: Publication) -> bool:
    """Whether the run was computed from synthetic data: its manifest says ``"synthetic":
    true`` (the engine records the dataset's marker). Every output of such a run shows the
    banner `kansrijk.report.labels.synthetic_banner`."""
    return published.manifest.get("synthetic") is True


def national(published: Publication, lang: Lang = "nl") -> National:
    """One section (with its dashboard tile) per indicator of the run."""
    sections = []
    for d in published.indicators:
        series = published.series(d.id)
        latest = published.latest(d.id)
        year = latest.period_start if latest else None
        period = published.municipal_period(d.id)
        sections.append(
            NationalSection(
                indicator=d,
                tile=Tile(d, latest, trend(series, d.direction), review_note(d, lang)),
                series=series,
                breakdown_year=year,
                breakdowns=ordered_breakdowns(published.breakdowns(d.id, year)) if year else {},
                map_period=period,
                map_cells=published.municipal(d.id, period),
                caveats=caveats_for(d, [c.period_start for c in series], lang),
            )
        )
    return National(sections)


def _programme_series(cells: list[Cell], figure: str) -> list[Cell]:
    found = [
        c
        for c in cells
        if c.indicator_id == figure
        and not c.pooled
        and c.breakdown == TOTAL
        and c.breakdown_value == TOTAL
    ]
    return sorted(found, key=lambda c: c.period_start)


def programme(
    published: Publication, definitions: Sequence[ProgrammeDefinition]
) -> Programme | None:
    """The programme indicators 1-6 and 9 (``definitions``: `kansrijk.programme`'s
    ``PROGRAMME_INDICATORS``) in ``published``: the national cells of their figures, or None
    when it holds none of them.

    ``published`` is the programme indicators' own publication (``Publication.open(dir,
    basename=kansrijk.programme.BASENAME)``, as the web app reads it), or a run that holds
    them. Their cells are national (region type "nl"), read without the run's classification.
    """
    ids = {f.id for d in definitions for f in d.figures}
    cells = [c for c in published.cells(NL, "nl") if c.indicator_id in ids]
    if not cells:
        return None
    sections = []
    for d in definitions:
        series = _programme_series(cells, d.id)
        variants = [f.id for f in d.figures if f.variant is not None and f.id != d.id]
        sections.append(
            ProgrammeSection(
                indicator=d,
                series=series,
                responding=_programme_series(cells, variants[0]) if variants else [],
                unknown=_programme_series(cells, f"{d.id}u"),
                trend=trend(series, d.direction),
            )
        )
    years = tuple(sorted({c.period_start for c in cells if not c.pooled}))
    return Programme(sections, years, published.run_id)


def group_figure(
    published: Publication, indicator: Indicator, members: Sequence[str], period: tuple[int, int]
) -> GroupFigure:
    """The figure of ``indicator`` over the municipalities ``members`` in ``period``: the sum of
    the published numerators over the sum of the published denominators of the members whose
    total cell of that period is published; no value when fewer than `MIN_GROUP_PUBLISHED`
    are. Computed from published cells only, so anyone could compute it from the publication;
    hidden cells are left out, never estimated."""
    shown = []
    for code in members:
        cell = published.period_cell(indicator.id, code, period)
        if (
            cell is not None
            and not cell.suppressed
            and cell.numerator is not None
            and cell.denominator
        ):
            shown.append(cell)
    if len(shown) < MIN_GROUP_PUBLISHED:
        return GroupFigure(period, None, None, None, None, None, len(shown), len(members))
    numerator = sum(c.numerator or 0 for c in shown)
    denominator = sum(c.denominator or 0 for c in shown)
    unit = str(indicator.unit)
    value = scale_of(unit) * numerator / denominator
    low: float | None = None
    high: float | None = None
    # A model-based figure's interval holds the imputation uncertainty, which a sum of cells
    # does not carry: it gets no interval rather than one that is too narrow.
    if indicator.id not in MODEL_BASED_IDS:
        lows, highs = interval_for_unit(unit, [numerator], [denominator])
        low, high = float(lows[0]), float(highs[0])
    return GroupFigure(period, numerator, denominator, value, low, high, len(shown), len(members))


def group_period(comparison: Comparison) -> tuple[int, int]:
    """The period the group is compared in: the latest year, or the municipality's pooled
    window when its figure of the latest year is hidden or absent (like with like)."""
    latest = comparison.latest
    if (latest is None or latest.suppressed) and comparison.pooled is not None:
        return (comparison.pooled.period_start, comparison.pooled.period_end)
    return (comparison.latest_year, comparison.latest_year)


def pooled_breakdowns(
    published: Publication, indicator: Indicator, region: Region, pooled: Cell | None
) -> tuple[BreakdownRow, ...]:
    """The municipality's breakdowns over its pooled window (``MUNICIPAL_POOLED_BREAKDOWNS``,
    as the run published them, hidden ones included), each value beside the province and NL
    over the same window, in the vocabulary's order."""
    if pooled is None or region.province_code is None:
        return ()
    window = (pooled.period_start, pooled.period_end)
    mine = published.period_breakdowns(indicator.id, region.code, window)
    if not mine:
        return ()
    province = published.period_breakdowns(indicator.id, region.province_code, window)
    nl = published.period_breakdowns(indicator.id, NL, window)
    rows = []
    order = {name: i for i, name in enumerate(MUNICIPAL_POOLED_BREAKDOWNS)}
    for name, cells in sorted(mine.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])):
        around = {c.breakdown_value: c for c in province.get(name, [])}
        national = {c.breakdown_value: c for c in nl.get(name, [])}
        for cell in sorted(cells, key=lambda c: value_order(c.breakdown_value)):
            value = cell.breakdown_value
            rows.append(BreakdownRow(name, value, cell, around.get(value), national.get(value)))
    return tuple(rows)


def phase_note(phase: Phase, published: Publication, status: ProgrammeStatus | None) -> PhaseNote:
    """What the local monitor says about a phase without a registry indicator in this run:
    the catalogue's indicators of that phase (latest version, with every edition it is in)."""
    present = {d.id for d in published.indicators}
    latest: dict[str, Indicator] = {}
    editions: dict[str, set[int]] = {}
    for d in catalogue():
        if d.phase is phase and d.id not in present:
            latest[d.id] = d
            editions.setdefault(d.id, set()).update(d.editions)
    later = tuple((d, tuple(sorted(editions[i]))) for i, d in latest.items())
    return PhaseNote(phase, later, status.of_phase(phase) if status is not None else ())


def local(
    published: Publication,
    municipality: str,
    lang: Lang = "nl",
    status: ProgrammeStatus | None = None,
) -> Local:
    """The municipality against its province, NL and its similar municipalities (the
    publication's comparison group, `Publication.comparison_group`), per phase of the first
    1000 days: every phase, the ones without a registry indicator in this run with a
    `PhaseNote`. The group figures are computed from published cells only (`group_figure`)."""
    region = published.region(municipality)
    if region.type != "gemeente" or region.province_code is None:
        raise KeyError(f"{municipality} is not a municipality of {published.classification_year}")
    province = published.region(region.province_code)
    group = published.comparison_group(municipality)
    missing = None
    if group is None:
        missing = "unclassified" if published.classes() else "no_classes"
    by_phase: dict[Phase, list[Comparison]] = {p: [] for p in Phase}
    hidden = 0
    for d in published.indicators:
        mine = published.series(d.id, municipality)
        pooled = published.pooled(d.id, municipality)
        window = (pooled.period_start, pooled.period_end) if pooled else None
        funnel_period = published.municipal_period(d.id)
        comparison = Comparison(
            indicator=d,
            municipality=mine,
            province=published.series(d.id, province.code),
            nl=published.series(d.id, NL),
            latest_year=published.latest_year,
            pooled=pooled,
            pooled_province=published.period_cell(d.id, province.code, window) if window else None,
            pooled_nl=published.period_cell(d.id, NL, window) if window else None,
            funnel_period=funnel_period,
            funnel=published.funnel_position(d.id, municipality, funnel_period),
            caveats=caveats_for(d, [c.period_start for c in mine], lang),
            breakdowns=pooled_breakdowns(published, d, region, pooled),
        )
        if group is not None:
            figure = group_figure(published, d, group.members, group_period(comparison))
            comparison = replace(comparison, group=figure)
        hidden += sum(c.suppressed for c in [*mine, *([pooled] if pooled else [])])
        by_phase[d.phase].append(comparison)
    phases = list(by_phase.items())
    notes = {p: phase_note(p, published, status) for p, cs in phases if not cs}
    names = {code: published.region(code).name for code in group.members} if group else {}
    return Local(
        region,
        province,
        published.latest_year,
        phases,
        status,
        hidden,
        group=group,
        group_names=names,
        group_missing=missing,
        phase_notes=notes,
    )

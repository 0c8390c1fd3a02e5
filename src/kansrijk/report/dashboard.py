"""What the dashboards show, as data: national tiles and sections, the local comparison.

Pure functions of a `Publication` run. The national factsheet, the local monitor and the web
monitor all render these same objects, so a figure on a page, in a PDF and in the web app is
the same cell of the same checked table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kansrijk.indicators import Indicator
from kansrijk.indicators.model import Direction, Phase
from kansrijk.publication import NL, TOTAL, Cell, FunnelPoint, Publication, Region
from kansrijk.report.caveats import caveats_for, review_note
from kansrijk.report.labels import Lang, value_order
from kansrijk.report.model_note import MODEL_BASED_IDS, interval_change
from kansrijk.stats import Change, proportion_change


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


@dataclass(frozen=True)
class ProgrammeStatus:
    """What the coalition platform knows about a municipality, already in the reader's language
    (the platform owns those labels); the report only prints it."""

    year: int
    facts: tuple[ProgrammeFact, ...]
    source: str = ""


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
    phases: list[tuple[Phase, list[Comparison]]]
    status: ProgrammeStatus | None = None
    hidden_cells: int = field(default=0)

    @property
    def comparisons(self) -> list[Comparison]:
        return [c for _, cs in self.phases for c in cs]


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


def local(
    published: Publication,
    municipality: str,
    lang: Lang = "nl",
    status: ProgrammeStatus | None = None,
) -> Local:
    """The municipality against its province and NL, per phase of the first 1000 days."""
    region = published.region(municipality)
    if region.type != "gemeente" or region.province_code is None:
        raise KeyError(f"{municipality} is not a municipality of {published.classification_year}")
    province = published.region(region.province_code)
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
        )
        hidden += sum(c.suppressed for c in [*mine, *([pooled] if pooled else [])])
        by_phase[d.phase].append(comparison)
    phases = [(p, cs) for p, cs in by_phase.items() if cs]
    return Local(region, province, published.latest_year, phases, status, hidden)

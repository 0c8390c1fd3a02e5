"""Published results, read back: the one input of every report, map, export and web page.

`Published.open` reads a monitor run's ``results.parquet`` (with ``manifest.json`` and
``funnel.parquet``) and runs the disclosure gate (`check_publishable`, secondary suppression
included) before anything else sees it. Hidden cells carry no numbers in a checked table, so
whatever is built from a `Published` cannot show them. The table is small (one row per
published cell, ~60,000 rows whatever the population), so it is indexed once in memory and
every lookup afterwards is a dictionary access: pages never compute on load.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kansrijk import geo
from kansrijk.disclosure import DisclosurePolicy, check_publishable
from kansrijk.disclosure.schema import TOTAL
from kansrijk.indicators import Indicator, catalogue

NL = geo.NL_CODE


class ResultsError(ValueError):
    """The results directory cannot be read as a published monitor run."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One published figure; a hidden cell has ``suppressed`` set and no numbers."""

    indicator_id: str
    period_start: int
    period_end: int
    region_type: str
    region_code: str
    breakdown: str
    breakdown_value: str
    numerator: int | None
    denominator: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    unit: str
    suppressed: bool
    suppression_reason: str | None

    @property
    def pooled(self) -> bool:
        return self.period_end != self.period_start

    @property
    def period(self) -> str:
        return (
            str(self.period_start) if not self.pooled else f"{self.period_start}-{self.period_end}"
        )


@dataclass(frozen=True, slots=True)
class FunnelPoint:
    """A municipality's place in the funnel plot of one indicator and period."""

    region_code: str
    value: float | None
    denominator: int | None
    target: float | None
    low_95: float | None
    high_95: float | None
    low_998: float | None
    high_998: float | None
    position: str | None


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    type: str
    province_code: str | None = None
    province_name: str | None = None


@dataclass
class Published:
    """A checked results table with its manifest, indexed for lookups."""

    results: pa.Table
    manifest: dict[str, object]
    funnel: pa.Table | None = None
    source: Path | None = None
    _by_region: dict[tuple[str, str], list[Cell]] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, results_dir: Path) -> Published:
        """Read and check a monitor run's output directory (raises ResultsError or
        DisclosureError; nothing is returned unless the table passes the gate)."""
        results_dir = Path(results_dir)
        path = results_dir / "results.parquet"
        if not path.is_file():
            raise ResultsError(
                f"{results_dir}: no results.parquet (run `kansrijk monitor run` first)"
            )
        manifest_path = results_dir / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ResultsError(f"{manifest_path}: missing (the run's manifest)") from None
        except json.JSONDecodeError as exc:
            raise ResultsError(f"{manifest_path}: not JSON ({exc})") from None
        try:
            table = pq.read_table(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise ResultsError(f"{path}: not a Parquet file ({exc})") from None
        funnel_path = results_dir / "funnel.parquet"
        funnel = pq.read_table(funnel_path) if funnel_path.is_file() else None
        return cls.from_table(table, manifest, funnel, source=results_dir)

    @classmethod
    def from_table(
        cls,
        table: pa.Table,
        manifest: dict[str, object],
        funnel: pa.Table | None = None,
        source: Path | None = None,
    ) -> Published:
        """Check ``table`` against the disclosure policy of its run, then index it."""
        params = manifest.get("parameters")
        if not isinstance(params, dict) or "classification_year" not in params:
            raise ResultsError("manifest has no parameters.classification_year")
        threshold = int(params.get("threshold", 10))
        hierarchy = geo.region_hierarchy(int(params["classification_year"]))
        check_publishable(table, DisclosurePolicy(threshold=threshold), hierarchy)
        published = cls(results=table, manifest=manifest, funnel=funnel, source=source)
        published._index()
        return published

    def _index(self) -> None:
        columns = [f.name for f in fields(Cell)]
        by_region: dict[tuple[str, str], list[Cell]] = defaultdict(list)
        for row in self.results.select(columns).to_pylist():
            cell = Cell(**row)
            by_region[(cell.region_type, cell.region_code)].append(cell)
        self._by_region = dict(by_region)

    # -- what the run covers ---------------------------------------------------------------
    @property
    def parameters(self) -> dict[str, object]:
        params = self.manifest["parameters"]
        assert isinstance(params, dict)
        return params

    @property
    def run_id(self) -> str:
        return str(self.manifest.get("run_id", ""))

    @property
    def classification_year(self) -> int:
        return int(str(self.parameters["classification_year"]))

    @property
    def edition(self) -> int:
        editions = self.parameters.get("editions") or [self.results["edition"][0].as_py()]
        assert isinstance(editions, list)
        return int(editions[0])

    @property
    def threshold(self) -> int:
        return int(str(self.parameters.get("threshold", 10)))

    @cached_property
    def years(self) -> tuple[int, ...]:
        starts = self.results["period_start"].to_pylist()
        ends = self.results["period_end"].to_pylist()
        return tuple(sorted({s for s, e in zip(starts, ends, strict=True) if s == e}))

    @property
    def latest_year(self) -> int:
        return self.years[-1]

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """The definitions of the indicators in the table, in catalogue order."""
        present = set(self.results["indicator_id"].to_pylist())
        return tuple(d for d in catalogue(self.edition) if d.id in present)

    def indicator(self, indicator_id: str) -> Indicator:
        for d in self.indicators:
            if d.id == indicator_id:
                return d
        raise KeyError(f"indicator {indicator_id} is not in this run")

    # -- regions ------------------------------------------------------------------------------
    @cached_property
    def _regions(self) -> dict[str, Region]:
        out: dict[str, Region] = {NL: Region(NL, "Nederland", "nl")}
        for m in geo.municipalities(self.classification_year):
            out[m.code] = Region(m.code, m.name, "gemeente", m.province_code, m.province_name)
            out.setdefault(m.province_code, Region(m.province_code, m.province_name, "province"))
        return out

    def region(self, code: str) -> Region:
        try:
            return self._regions[code]
        except KeyError:
            raise KeyError(f"{code} is not a municipality of {self.classification_year}") from None

    def municipalities(self) -> list[Region]:
        """The classification year's municipalities, by name."""
        regions = [r for r in self._regions.values() if r.type == "gemeente"]
        return sorted(regions, key=lambda r: r.name)

    # -- cells --------------------------------------------------------------------------------
    def cells(self, region_code: str, region_type: str | None = None) -> list[Cell]:
        """Every published or hidden cell of one region (any indicator, period, breakdown)."""
        kind = region_type or self.region(region_code).type
        return self._by_region.get((kind, region_code), [])

    def series(
        self,
        indicator_id: str,
        region_code: str = NL,
        breakdown: str = TOTAL,
        breakdown_value: str = TOTAL,
    ) -> list[Cell]:
        """Single-year cells of one indicator and region, oldest first."""
        found = [
            c
            for c in self.cells(region_code)
            if c.indicator_id == indicator_id
            and not c.pooled
            and c.breakdown == breakdown
            and c.breakdown_value == breakdown_value
        ]
        return sorted(found, key=lambda c: c.period_start)

    def latest(self, indicator_id: str, region_code: str = NL) -> Cell | None:
        """The cell of the latest year with a published value (the latest cell if none is)."""
        series = self.series(indicator_id, region_code)
        shown = [c for c in series if not c.suppressed]
        chosen = shown or series
        return chosen[-1] if chosen else None

    def pooled(self, indicator_id: str, region_code: str) -> Cell | None:
        """The latest multi-year (pooled) total cell of one indicator and region."""
        found = [
            c
            for c in self.cells(region_code)
            if c.indicator_id == indicator_id and c.pooled and c.breakdown == TOTAL
        ]
        return max(found, key=lambda c: c.period_end, default=None)

    def period_cell(
        self, indicator_id: str, region_code: str, period: tuple[int, int]
    ) -> Cell | None:
        for c in self.cells(region_code):
            if (
                c.indicator_id == indicator_id
                and (c.period_start, c.period_end) == period
                and c.breakdown == TOTAL
            ):
                return c
        return None

    def breakdowns(
        self, indicator_id: str, year: int, region_code: str = NL
    ) -> dict[str, list[Cell]]:
        """The breakdown cells of one indicator in one year, grouped by breakdown."""
        out: dict[str, list[Cell]] = defaultdict(list)
        for c in self.cells(region_code):
            if (
                c.indicator_id == indicator_id
                and c.period_start == c.period_end == year
                and c.breakdown != TOTAL
            ):
                out[c.breakdown].append(c)
        return {k: sorted(v, key=lambda c: c.breakdown_value) for k, v in out.items()}

    def municipal(self, indicator_id: str, period: tuple[int, int]) -> list[Cell]:
        """Total cells of every municipality for one indicator and period (maps, funnels)."""
        return [
            c
            for (kind, _), cells in self._by_region.items()
            if kind == "gemeente"
            for c in cells
            if c.indicator_id == indicator_id
            and (c.period_start, c.period_end) == period
            and c.breakdown == TOTAL
        ]

    def municipal_period(self, indicator_id: str) -> tuple[int, int]:
        """The period municipalities are best shown for: the latest pooled window when the
        indicator is pooled, else the latest year."""
        d = self.indicator(indicator_id)
        if d.pooling_years:
            windows = {
                (c.period_start, c.period_end)
                for c in self.cells(NL)
                if c.indicator_id == indicator_id and c.pooled
            }
            if windows:
                return max(windows, key=lambda w: w[1])
        return (self.latest_year, self.latest_year)

    # -- funnel -------------------------------------------------------------------------------
    @cached_property
    def _funnel(self) -> dict[tuple[str, int, int], list[FunnelPoint]]:
        out: dict[tuple[str, int, int], list[FunnelPoint]] = defaultdict(list)
        if self.funnel is None:
            return {}
        keep = [f.name for f in fields(FunnelPoint)]
        names = ["indicator_id", "period_start", "period_end", "breakdown", *keep]
        renamed = self.funnel.rename_columns(
            ["target" if n == "target_value" else n for n in self.funnel.column_names]
        )
        for row in renamed.select(names).to_pylist():
            if row.pop("breakdown") != TOTAL:
                continue
            key = (row.pop("indicator_id"), row.pop("period_start"), row.pop("period_end"))
            out[key].append(FunnelPoint(**row))
        return dict(out)

    def funnel_points(self, indicator_id: str, period: tuple[int, int]) -> list[FunnelPoint]:
        """Municipal funnel-plot points (hidden municipalities have no value)."""
        return self._funnel.get((indicator_id, *period), [])

    def funnel_position(
        self, indicator_id: str, region_code: str, period: tuple[int, int]
    ) -> FunnelPoint | None:
        for point in self.funnel_points(indicator_id, period):
            if point.region_code == region_code:
                return point
        return None


def only_shown(cells: Iterable[Cell]) -> list[Cell]:
    """The cells with a published value."""
    return [c for c in cells if not c.suppressed]


def values_of(cells: Sequence[Cell]) -> list[float | None]:
    return [c.value for c in cells]

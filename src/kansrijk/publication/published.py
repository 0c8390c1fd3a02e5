"""A publication read back: the one input of every report, map, export and web page.

`Publication.open` is the only reader of published files. It reads ``results.parquet``,
``manifest.json`` and the derived tables (``funnel.parquet``, ``comparison_classes.parquet``),
checks that every file is the one the gate wrote (its SHA-256 in the manifest) and runs the
gate's checks again (`check_public`: no hidden cell with a number, no small count published)
before anything else sees the table. Hidden cells carry no numbers, so whatever is built from
a `Publication` cannot show them; `Publication.write` is the only way to write what is built
from it. Neither reads nor writes an internal directory or file (the true counts beside a run,
`kansrijk.publication.internal`): `open` refuses one before reading anything.

The table is small (one row per cell), so it is indexed once in memory and every lookup
afterwards is a dictionary access: pages never compute on load.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property, partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kansrijk import geo
from kansrijk.geo.classes import ComparisonGroup, MunicipalityClass, group
from kansrijk.indicators import Indicator, catalogue
from kansrijk.publication.errors import DisclosureError
from kansrijk.publication.internal import (
    read_public_manifest,
    refuse_internal_dir,
    refuse_internal_file,
)
from kansrijk.publication.policy import DisclosurePolicy
from kansrijk.publication.publish import MANIFEST, check_public, sha256_file, write_atomically
from kansrijk.publication.schema import TOTAL

NL = geo.NL_CODE
#: The published comparison classes (written by the monitor run, `kansrijk.engine.run`).
CLASSES_FILE = "comparison_classes.parquet"


def period_text(window: tuple[int, int]) -> str:
    """A year ("2020") or a pooled window ("2016-2020"), as every output writes periods."""
    start, end = window
    return str(start) if start == end else f"{start}-{end}"


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

    @property
    def pooled(self) -> bool:
        return self.period_end != self.period_start

    @property
    def period(self) -> str:
        return period_text((self.period_start, self.period_end))


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


def _read_parquet(path: Path) -> pa.Table:
    """One Parquet file as a table. ``pq.ParquetFile``, not ``pq.read_table``: the latter goes
    through ``pyarrow.dataset``, whose import pulls in pandas (0.3 s of every report command)."""
    with pq.ParquetFile(path) as file:
        return file.read()


@dataclass
class Publication:
    """A checked published table with its manifest, indexed for lookups."""

    results: pa.Table
    manifest: dict[str, object]
    funnel: pa.Table | None = None
    source: Path | None = None
    #: The municipalities' comparison classes (`CLASSES_FILE`); None in a publication written
    #: without them (before issue 17, or from a dataset without ``municipality_classes``).
    comparison_classes: pa.Table | None = None
    #: Cells built so far, by (region type, code) (`cells`).
    _region_cells: dict[tuple[str, str], list[Cell]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def open(cls, results_dir: Path, basename: str = "results") -> Publication:
        """Read and check a published directory (raises ResultsError or DisclosureError;
        nothing is returned unless every file is as published and the table passes the
        gate's checks)."""
        results_dir = Path(results_dir)
        refuse_internal_dir(results_dir, "read")
        path = results_dir / f"{basename}.parquet"
        refuse_internal_file(path, "read")
        if not path.is_file():
            raise ResultsError(
                f"{results_dir}: no {basename}.parquet (run `kansrijk monitor run` first)"
            )
        manifest_path = results_dir / MANIFEST
        manifest = read_public_manifest(manifest_path, ResultsError, "the run's manifest")
        outputs = manifest.get("outputs")
        if not isinstance(outputs, dict):
            raise ResultsError(f"{manifest_path}: lists no outputs (not written by the gate)")
        funnel_path = results_dir / "funnel.parquet"
        classes_path = results_dir / CLASSES_FILE
        extra = [f for f in (funnel_path, classes_path) if f.is_file()]
        for file in [path, *extra]:
            refuse_internal_file(file, "read")
            recorded = outputs.get(file.name)
            if recorded is None:
                raise DisclosureError(f"{file}: not among the outputs the gate published")
            if sha256_file(file) != recorded:
                raise DisclosureError(f"{file}: changed since it was published")
        try:
            table = _read_parquet(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise ResultsError(f"{path}: not a Parquet file ({exc})") from None
        funnel = _read_parquet(funnel_path) if funnel_path.is_file() else None
        published = cls.from_table(table, manifest, funnel, source=results_dir)
        if classes_path.is_file():
            published.comparison_classes = _read_parquet(classes_path)
        return published

    @classmethod
    def from_table(
        cls,
        table: pa.Table,
        manifest: dict[str, object],
        funnel: pa.Table | None = None,
        source: Path | None = None,
    ) -> Publication:
        """Check ``table`` against the disclosure policy of its run, then index it."""
        params = manifest.get("parameters")
        if not isinstance(params, dict):
            raise ResultsError("manifest has no parameters")
        check_public(table, policy_of(manifest))
        return cls(results=table, manifest=manifest, funnel=funnel, source=source)

    # -- writing what is built from it -------------------------------------------------
    def write(
        self, out_dir: Path, files: Mapping[str, Callable[[Path], None] | bytes]
    ) -> list[Path]:
        """Write reports or exports built from this publication into ``out_dir``: every file
        to a temporary sibling, renamed into place when all are written. The only writer of
        files made from published results (a `Publication` exists only after the checks)."""
        out_dir = Path(out_dir)
        refuse_internal_dir(out_dir, "write published results into")
        if self.source is not None and out_dir.resolve() == Path(self.source).resolve():
            raise ValueError(f"{out_dir} holds the publication itself; write elsewhere")
        writers: dict[str, Callable[[Path], None]] = {}
        for name, content in files.items():
            if isinstance(content, bytes):
                writers[name] = partial(_write_bytes, content)
            else:
                writers[name] = content
        return list(write_atomically(out_dir, writers).values())

    @property
    def synthetic(self) -> bool:
        """Whether the figures come from generated (synthetic) data."""
        return self.manifest.get("synthetic") is True

    @property
    def policy(self) -> DisclosurePolicy:
        return policy_of(self.manifest)

    @cached_property
    def _region_rows(self) -> dict[tuple[str, str], pa.Array]:
        """The row numbers of each region's cells, by (region type, code), in the order the
        regions first appear (one grouping in Arrow, 20 ms at 70,000 rows). Cells are built
        per region on demand (`cells`): building all 70,000 took 0.5 s, and a local report
        needs a dozen regions."""
        if "region_type" not in self.results.column_names:
            return {}
        keys = self.results.select(["region_type", "region_code"])
        rows = keys.append_column("row", pa.array(range(len(keys)), pa.int64()))
        grouped = rows.group_by(["region_type", "region_code"], use_threads=False).aggregate(
            [("row", "list")]
        )
        return {
            (kind, code): grouped["row_list"][i].values
            for i, (kind, code) in enumerate(
                zip(
                    grouped["region_type"].to_pylist(),
                    grouped["region_code"].to_pylist(),
                    strict=True,
                )
            )
        }

    @cached_property
    def _region_order(self) -> pa.Array:
        """For every row, the rank of its region in `_region_rows` (the order `municipal`
        returns cells in)."""
        groups = list(self._region_rows.values())
        rank = np.zeros(self.results.num_rows, dtype=np.int64)
        if groups:
            rows = np.concatenate([g.to_numpy() for g in groups])
            rank[rows] = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
        return pa.array(rank)

    def _cells_of_rows(self, rows: pa.Array) -> list[Cell]:
        columns = [f.name for f in fields(Cell)]
        return [Cell(**row) for row in self.results.select(columns).take(rows).to_pylist()]

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
        return self.policy.threshold

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
        key = (region_type or self.region(region_code).type, region_code)
        cached = self._region_cells.get(key)
        if cached is None:
            rows = self._region_rows.get(key)
            cached = [] if rows is None else self._cells_of_rows(rows)
            self._region_cells[key] = cached
        return cached

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

    def period_breakdowns(
        self, indicator_id: str, region_code: str, period: tuple[int, int]
    ) -> dict[str, list[Cell]]:
        """The breakdown cells of one indicator and region over one period (a pooled window:
        municipalities have breakdowns only there), grouped by breakdown."""
        out: dict[str, list[Cell]] = defaultdict(list)
        for c in self.cells(region_code):
            if (
                c.indicator_id == indicator_id
                and (c.period_start, c.period_end) == period
                and c.breakdown != TOTAL
            ):
                out[c.breakdown].append(c)
        return {k: sorted(v, key=lambda c: c.breakdown_value) for k, v in out.items()}

    def municipal(self, indicator_id: str, period: tuple[int, int]) -> list[Cell]:
        """Total cells of every municipality for one indicator and period (maps, funnels)."""
        if "region_type" not in self.results.column_names:
            return []
        table = self.results
        mask = pc.and_(
            pc.and_(
                pc.equal(table["region_type"], "gemeente"),
                pc.equal(table["indicator_id"], indicator_id),
            ),
            pc.and_(
                pc.and_(
                    pc.equal(table["period_start"], period[0]),
                    pc.equal(table["period_end"], period[1]),
                ),
                pc.equal(table["breakdown"], TOTAL),
            ),
        )
        rows = pc.indices_nonzero(pc.fill_null(mask, False))
        # in the order of the regions, as `cells` would give them region by region
        order = pc.take(self._region_order, rows)
        rows = pc.take(
            rows,
            pc.sort_indices(
                pa.table({"o": order, "r": rows}), [("o", "ascending"), ("r", "ascending")]
            ),
        )
        return self._cells_of_rows(rows)

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

    # -- similar municipalities ---------------------------------------------------------------
    @cached_property
    def _classes(self) -> dict[str, MunicipalityClass]:
        table = self.comparison_classes
        if table is None:
            return {}
        return {
            row["region_code"]: MunicipalityClass(
                row["region_code"], int(row["urbanisation_class"]), int(row["size_class"])
            )
            for row in table.to_pylist()
        }

    def classes(self) -> dict[str, MunicipalityClass]:
        """The published urbanisation and size class per municipality code (empty when the
        publication has none)."""
        return dict(self._classes)

    def comparison_group(self, code: str) -> ComparisonGroup | None:
        """The municipalities similar to ``code`` (`kansrijk.geo.classes.group`), or None when
        the publication has no classes or none for ``code``."""
        if code not in self._classes:
            return None
        return group(code, self._classes)

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


def _write_bytes(data: bytes, path: Path) -> None:
    path.write_bytes(data)


def policy_of(manifest: Mapping[str, object]) -> DisclosurePolicy:
    """The disclosure policy a publication was made under (from its manifest)."""
    disclosure = manifest.get("disclosure")
    if isinstance(disclosure, dict) and isinstance(disclosure.get("policy"), dict):
        p = disclosure["policy"]
        return DisclosurePolicy(
            threshold=int(p.get("threshold", 10)),
            subject=str(p.get("subject", "persons")),  # type: ignore[arg-type]
            protection_level=int(p.get("protection_level", p.get("threshold", 10))),
        )
    params = manifest.get("parameters")
    threshold = int(params.get("threshold", 10)) if isinstance(params, dict) else 10
    return DisclosurePolicy(threshold=threshold)

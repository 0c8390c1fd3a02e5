"""Additive synthetic results tables for the disclosure tests and the timing.

Counts are drawn for leaf cells (municipality or unknown remainder x year x breakdown value);
every other cell (province, NL, "total", pooled windows) is the sum of its parts, exactly as the
engine computes them from microdata.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from kansrijk.disclosure import RESULTS_SCHEMA
from kansrijk.stats import interval_for_unit

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Layout:
    """Which municipalities lie in which province, the years, breakdown values and windows."""

    provinces: Sequence[Sequence[str]]  # municipality codes per province (PV20, PV21, ...)
    years: Sequence[int]
    breakdown_values: Sequence[str]  # without "total"; empty means no breakdown
    pooled: Sequence[tuple[int, int]] = ()
    breakdown: str = "income"

    @property
    def municipalities(self) -> list[str]:
        return [m for ms in self.provinces for m in ms]

    @property
    def province_codes(self) -> list[str]:
        return [f"PV{20 + i}" for i in range(len(self.provinces))]

    @property
    def leaf_count(self) -> int:
        return len(self.municipalities) + 1  # + unknown remainder

    def hierarchy(self) -> pa.Table:
        rows = [
            ("gemeente", m, "province", pv)
            for pv, ms in zip(self.province_codes, self.provinces, strict=True)
            for m in ms
        ]
        rows += [("province", pv, "nl", "NL01") for pv in self.province_codes]
        rows.append(("unknown", "NL00", "nl", "NL01"))
        names = ["child_type", "child_code", "parent_type", "parent_code"]
        return pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})


def cells_table(
    layout: Layout, numerator: IntArray, denominator: IntArray, *, unit: str = "%"
) -> pa.Table:
    """A results table from leaf counts shaped (indicator, year, leaf, breakdown value)."""
    n_ind = numerator.shape[0]
    # Regions: municipalities, unknown, provinces, NL.
    sizes = [len(ms) for ms in layout.provinces]
    starts = np.cumsum([0, *sizes])

    def regions(a: IntArray) -> IntArray:
        prov = [a[:, :, starts[i] : starts[i + 1]].sum(axis=2) for i in range(len(sizes))]
        return np.concatenate([a, np.stack(prov, axis=2), a.sum(axis=2, keepdims=True)], axis=2)

    def periods(a: IntArray) -> IntArray:
        years = list(layout.years)
        pooled = [a[:, years.index(s) : years.index(e) + 1].sum(axis=1) for s, e in layout.pooled]
        return np.concatenate([a, *(p[:, None] for p in pooled)], axis=1)

    def breakdowns(a: IntArray) -> IntArray:
        if not layout.breakdown_values:
            return a
        return np.concatenate([a.sum(axis=3, keepdims=True), a], axis=3)

    num = breakdowns(regions(periods(numerator)))
    den = breakdowns(regions(periods(denominator)))
    region_type = ["gemeente"] * len(layout.municipalities) + ["unknown"]
    region_type += ["province"] * len(sizes) + ["nl"]
    region_code = [*layout.municipalities, "NL00", *layout.province_codes, "NL01"]
    period = [(y, y) for y in layout.years] + list(layout.pooled)
    bvals = ["total", *layout.breakdown_values] if layout.breakdown_values else ["total"]

    i, p, r, b = (x.ravel() for x in np.indices(num.shape))
    k, n = num.ravel().astype(np.int64), den.ravel().astype(np.int64)
    scale = 100.0 if unit == "%" else 1000.0
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(n > 0, k / np.where(n > 0, n, 1) * scale, np.nan)
    low, high = interval_for_unit(unit, k, n)
    rows = len(k)
    str_col = np.asarray
    columns = {
        "indicator_id": str_col([str(x + 1) for x in range(n_ind)])[i],
        "edition": np.full(rows, 2024, dtype=np.int32),
        "period_start": np.array([s for s, _ in period], dtype=np.int32)[p],
        "period_end": np.array([e for _, e in period], dtype=np.int32)[p],
        "region_type": str_col(region_type)[r],
        "region_code": str_col(region_code)[r],
        "classification_year": np.full(rows, 2023, dtype=np.int32),
        "breakdown": np.where(b == 0, "total", layout.breakdown),
        "breakdown_value": str_col(bvals)[b],
        "numerator": k,
        "denominator": n,
        "value": value,
        "unit": np.full(rows, unit),
        "ci_low": low,
        "ci_high": high,
        "suppressed": np.zeros(rows, dtype=bool),
        "suppression_reason": np.full(rows, None),
        "definition_hash": np.full(rows, "d" * 8),
        "data_hash": np.full(rows, "e" * 8),
        "run_id": np.full(rows, "run-1"),
    }
    arrays = [pa.array(columns[f.name], type=f.type, from_pandas=True) for f in RESULTS_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=RESULTS_SCHEMA)


def random_cells(
    rng: np.random.Generator, layout: Layout, n_indicators: int, mean_denominator: float
) -> pa.Table:
    """Leaf denominators from a skewed distribution (many small cells), numerators binomial."""
    shape = (
        n_indicators,
        len(layout.years),
        layout.leaf_count,
        max(len(layout.breakdown_values), 1),
    )
    den = rng.poisson(rng.lognormal(np.log(mean_denominator), 1.0, size=shape))
    p = rng.uniform(0.02, 0.4, size=(n_indicators, 1, 1, 1))
    num = rng.binomial(den, p)
    return cells_table(layout, num.astype(np.int64), den.astype(np.int64))


@dataclass(frozen=True)
class Cell:
    """One literal cell for hand-made tables; everything but the counts has a default."""

    numerator: int
    denominator: int
    region_type: str = "nl"
    region_code: str = "NL01"
    breakdown: str = "total"
    breakdown_value: str = "total"
    period: tuple[int, int] = (2020, 2020)
    indicator_id: str = "1"


def literal_cells(cells: Sequence[Cell], unit: str = "%") -> pa.Table:
    """A results table (unsuppressed) holding exactly ``cells``, in order."""
    k = np.array([c.numerator for c in cells], dtype=np.int64)
    n = np.array([c.denominator for c in cells], dtype=np.int64)
    low, high = interval_for_unit(unit, k, n)
    rows = len(cells)
    columns = {
        "indicator_id": [c.indicator_id for c in cells],
        "edition": [2024] * rows,
        "period_start": [c.period[0] for c in cells],
        "period_end": [c.period[1] for c in cells],
        "region_type": [c.region_type for c in cells],
        "region_code": [c.region_code for c in cells],
        "classification_year": [2023] * rows,
        "breakdown": [c.breakdown for c in cells],
        "breakdown_value": [c.breakdown_value for c in cells],
        "numerator": k,
        "denominator": n,
        "value": np.where(n > 0, 100.0 * k / np.maximum(n, 1), np.nan),
        "unit": [unit] * rows,
        "ci_low": low,
        "ci_high": high,
        "suppressed": [False] * rows,
        "suppression_reason": [None] * rows,
        "definition_hash": ["d"] * rows,
        "data_hash": ["e"] * rows,
        "run_id": ["r"] * rows,
    }
    arrays = [pa.array(columns[f.name], type=f.type, from_pandas=True) for f in RESULTS_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=RESULTS_SCHEMA)


def hierarchy_of(edges: Sequence[tuple[str, str, str, str]]) -> pa.Table:
    """A hierarchy table from (child_type, child_code, parent_type, parent_code) tuples."""
    names = ["child_type", "child_code", "parent_type", "parent_code"]
    return pa.table(
        {name: pa.array([e[i] for e in edges], pa.string()) for i, name in enumerate(names)}
    )


NO_HIERARCHY = hierarchy_of([])

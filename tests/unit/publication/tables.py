"""Random linked tables for the publication tests: regions x years x pooled windows x
breakdown values x a distribution, every cell above a leaf the exact sum of its leaves, with
the declared structure that says so.

Two measures share one denominator (all units): ``rate`` (a numerator) and the distribution
``d0`` .. ``d3`` (numerators that split the denominator, like 0/1/2/3+ risk factors).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
import pyarrow as pa

from kansrijk.publication import Hierarchy, Partition, TableStructure

KEYS = ("indicator", "period_start", "period_end", "region", "breakdown", "category")
MEASURES = ("rate", "d0", "d1", "d2", "d3")
PARTS = ("d0", "d1", "d2", "d3")


@dataclass(frozen=True)
class Layout:
    provinces: tuple[tuple[str, ...], ...] = (("GM1", "GM2", "GM3"), ("GM4", "GM5"))
    years: tuple[int, ...] = (2016, 2017, 2018)
    values: tuple[str, ...] = ("yes", "no", "unknown")
    pooled: bool = True

    @property
    def leaves(self) -> list[str]:
        return [m for ms in self.provinces for m in ms] + ["NL00"]

    @property
    def province_codes(self) -> list[str]:
        return [f"PV{i + 20}" for i in range(len(self.provinces))]

    @property
    def periods(self) -> list[tuple[int, int]]:
        yearly = [(y, y) for y in self.years]
        return yearly + ([(self.years[0], self.years[-1])] if self.pooled else [])

    def structure(self) -> TableStructure:
        region_edges = [
            (m, pv) for pv, ms in zip(self.province_codes, self.provinces, strict=True) for m in ms
        ]
        region_edges += [(pv, "NL") for pv in self.province_codes] + [("NL00", "NL")]
        regions = Hierarchy(
            "region",
            ("region",),
            pa.table(
                {
                    "child_region": [c for c, _ in region_edges],
                    "parent_region": [p for _, p in region_edges],
                }
            ),
        )
        period_edges = [((y, y), (self.years[0], self.years[-1])) for y in self.years]
        periods = Hierarchy(
            "period",
            ("period_start", "period_end"),
            pa.table(
                {
                    "child_period_start": pa.array([c[0] for c, _ in period_edges], pa.int32()),
                    "child_period_end": pa.array([c[1] for c, _ in period_edges], pa.int32()),
                    "parent_period_start": pa.array([p[0] for _, p in period_edges], pa.int32()),
                    "parent_period_end": pa.array([p[1] for _, p in period_edges], pa.int32()),
                }
            ),
        )
        breakdowns = Hierarchy(
            "breakdown",
            ("breakdown", "category"),
            pa.table(
                {
                    "child_breakdown": ["single_parent"] * len(self.values),
                    "child_category": list(self.values),
                    "parent_breakdown": ["total"] * len(self.values),
                    "parent_category": ["total"] * len(self.values),
                }
            ),
        )
        hierarchies = (regions, periods, breakdowns) if self.pooled else (regions, breakdowns)
        return TableStructure(
            keys=KEYS,
            measure_keys=("indicator",),
            measures=pa.table(
                {
                    "indicator": list(MEASURES),
                    "numerator": list(MEASURES),
                    "denominator": ["all"] * len(MEASURES),
                }
            ),
            hierarchies=hierarchies,
            partitions=(Partition(PARTS, "all"),),
            merge_over="region",
        )


def linked_table(layout: Layout, seed: int, *, scale: int = 40, complete: bool = False) -> pa.Table:
    """True counts of every cell of ``layout``, drawn from ``seed`` (leaves of ``scale``
    units at most; many leaves small, so primary suppression has work). A cell without
    units is left out, unless ``complete`` (as the engine writes it: counts 0)."""
    rng = np.random.default_rng(seed)
    n_y, n_l, n_v = len(layout.years), len(layout.leaves), len(layout.values)
    den = rng.integers(0, scale + 1, size=(n_y, n_l, n_v)) * (rng.random((n_y, n_l, n_v)) < 0.9)
    split = np.stack(
        [rng.multinomial(int(d), rng.dirichlet(np.ones(4))) for d in den.ravel()]
    ).reshape(n_y, n_l, n_v, 4)
    rate = rng.binomial(den, rng.uniform(0.02, 0.6))
    leaf = {"rate": rate, **{p: split[..., i] for i, p in enumerate(PARTS)}, "all": den}
    prov_of = {
        m: pv for pv, ms in zip(layout.province_codes, layout.provinces, strict=True) for m in ms
    }

    def regions(a: np.ndarray) -> dict[str, np.ndarray]:
        out = {code: a[:, i] for i, code in enumerate(layout.leaves)}
        for pv in layout.province_codes:
            idx = [layout.leaves.index(m) for m, p in prov_of.items() if p == pv]
            out[pv] = a[:, idx].sum(axis=1)
        out["NL"] = a.sum(axis=1)
        return out

    rows: dict[str, list[object]] = {k: [] for k in (*KEYS, "numerator", "denominator")}
    by_region = {name: regions(a) for name, a in leaf.items()}
    for measure in MEASURES:
        for region in by_region[measure]:
            num_r, den_r = by_region[measure][region], by_region["all"][region]  # (y, v)
            for (start, end), v in product(layout.periods, [None, *range(n_v)]):
                ys = [layout.years.index(y) for y in range(start, end + 1)]
                pick_n = num_r[ys] if v is None else num_r[ys, v]
                pick_d = den_r[ys] if v is None else den_r[ys, v]
                d = int(pick_d.sum())
                if d == 0 and not complete:
                    continue  # the engine emits no cell without units
                rows["indicator"].append(measure)
                rows["period_start"].append(start)
                rows["period_end"].append(end)
                rows["region"].append(region)
                rows["breakdown"].append("total" if v is None else "single_parent")
                rows["category"].append("total" if v is None else layout.values[v])
                rows["numerator"].append(int(pick_n.sum()))
                rows["denominator"].append(d)
    types = {
        "period_start": pa.int32(),
        "period_end": pa.int32(),
        "numerator": pa.int64(),
        "denominator": pa.int64(),
    }
    table = pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in rows.items()})
    return table.append_column("suppressed", pa.array([False] * table.num_rows))

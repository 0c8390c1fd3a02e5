"""Line cells up with the engine's true counts, cell by cell.

The engine's table is that of ``kansrijk.engine.run.compute_unpublished`` (results before
disclosure control): `engine_cells` keeps its yearly totals of the six indicators for the
municipalities, the unknown remainder and NL, in the shape of `bench.same_work.SCHEMA`.
`differences` lists every cell where numerator or denominator differ, or that one side lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from . import INDICATORS, KEYS, normalise

#: Region levels compared (provinces are sums of municipalities: left out, as asked).
REGION_TYPES = ("gemeente", "unknown", "nl")


@dataclass(frozen=True)
class Difference:
    indicator_id: str
    region_code: str
    year: int
    #: (numerator, denominator); None when the side has no such cell.
    engine: tuple[int, int] | None
    other: tuple[int, int] | None

    def __str__(self) -> str:
        return (
            f"{self.indicator_id} {self.region_code} {self.year}: "
            f"engine {self.engine}, other {self.other}"
        )


def engine_cells(results: pa.Table, indicators: tuple[str, ...] = INDICATORS) -> pa.Table:
    """The engine's yearly totals of ``indicators`` per municipality, NL00 and NL01."""
    keep = pc.and_(
        pc.and_(
            pc.is_in(results["indicator_id"], value_set=pa.array(indicators)),
            pc.equal(results["breakdown"], "total"),
        ),
        pc.and_(
            pc.equal(results["period_start"], results["period_end"]),
            pc.is_in(results["region_type"], value_set=pa.array(REGION_TYPES)),
        ),
    )
    t = results.filter(keep)
    return normalise(
        pa.table(
            {
                "indicator_id": t["indicator_id"],
                "region_code": t["region_code"],
                "year": t["period_start"],
                "numerator": t["numerator"],
                "denominator": t["denominator"],
            }
        )
    )


def differences(engine: pa.Table, other: pa.Table) -> list[Difference]:
    """Every cell of either table whose counts differ from the other's (empty: equal)."""

    def cells(table: pa.Table) -> dict[tuple[str, str, int], tuple[int, int]]:
        t = normalise(table)
        rows = zip(*(t[c].to_pylist() for c in (*KEYS, "numerator", "denominator")), strict=True)
        return {(i, r, y): (n, d) for i, r, y, n, d in rows}

    left, right = cells(engine), cells(other)
    return [
        Difference(*key, engine=left.get(key), other=right.get(key))
        for key in sorted(left.keys() | right.keys())
        if left.get(key) != right.get(key)
    ]


def summary(engine: pa.Table, other: pa.Table) -> dict[str, dict[str, int]]:
    """Per indicator: cells compared (either side) and cells differing."""
    diffs = differences(engine, other)
    keys = set(zip(engine["indicator_id"].to_pylist(), engine["region_code"].to_pylist(),
                   engine["year"].to_pylist(), strict=True))  # fmt: skip
    keys |= set(zip(other["indicator_id"].to_pylist(), other["region_code"].to_pylist(),
                    other["year"].to_pylist(), strict=True))  # fmt: skip
    out: dict[str, dict[str, int]] = {}
    for indicator, _, _ in keys:
        out.setdefault(indicator, {"cells": 0, "differing": 0})["cells"] += 1
    for d in diffs:
        out[d.indicator_id]["differing"] += 1
    return dict(sorted(out.items()))

"""From a unit table to cells: numerator and denominator per period, region and breakdown.

Every level is computed from the units (microdata), never by adding published cells:
municipalities, the remainder with unknown municipality, provinces and the Netherlands.
Breakdowns are computed nationally and per province; municipalities get totals, and pooled
windows (of ``pooling_years`` consecutive years) for the definitions that ask for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from kansrijk.geo import NL_CODE, UNKNOWN_REGION
from kansrijk.indicators import Indicator

TOTAL = "total"


@dataclass(frozen=True)
class Variant:
    """Definitions of one family that share the same unit filter."""

    min_gestational_days: int | None
    exclude_long_stay: bool

    @classmethod
    def of(cls, definition: Indicator) -> Variant:
        days = definition.parameter("min_gestational_days")
        return cls(
            min_gestational_days=int(days) if isinstance(days, int) else None,
            exclude_long_stay=bool(definition.parameter("exclude_long_stay", False)),
        )

    def apply(self, units: ir.Table) -> ir.Table:
        if self.min_gestational_days is not None:
            units = units.filter(units.ga_days >= self.min_gestational_days)
        if self.exclude_long_stay:
            units = units.filter(~units.long_stay)
        return units


def windows(years: range, size: int) -> list[tuple[int, int]]:
    """All windows of ``size`` consecutive years inside ``years``."""
    return [(start, start + size - 1) for start in years if start + size - 1 < years.stop]


def cells(
    units: ir.Table, provinces: ir.Table, definitions: Sequence[Indicator], years: range
) -> pa.Table:
    """Numerators and denominators of every outcome of ``definitions`` (one variant).

    Returns columns period_start, period_end, region_type, region_code, breakdown,
    breakdown_value and ``n_<outcome>``, ``d_<outcome>`` per outcome.
    """
    outcomes = sorted({d.outcome for d in definitions})
    breakdowns = sorted({b for d in definitions for b in d.breakdowns})
    pool_sizes = sorted({d.pooling_years for d in definitions if d.pooling_years})
    u = units.left_join(provinces, units.region == provinces.region)
    base = {o: u[o] for o in outcomes}
    levels = {
        "gemeente": (u.region.notnull(), u.region),
        "unknown": (u.region.isnull(), ibis.literal(UNKNOWN_REGION)),
        "province": (u.province.notnull(), u.province),
        "nl": (ibis.literal(True), ibis.literal(NL_CODE)),
    }
    parts: list[ir.Table] = []

    def part(
        where: ir.BooleanValue,
        start: ir.IntegerValue | int,
        end: ir.IntegerValue | int,
        rtype: str,
        rcode: ir.StringValue,
        breakdown: str,
        value: ir.StringValue,
    ) -> ir.Table:
        sel = u.filter(where)
        return sel.select(
            period_start=ibis.literal(start, "int32") if isinstance(start, int) else start,
            period_end=ibis.literal(end, "int32") if isinstance(end, int) else end,
            region_type=ibis.literal(rtype),
            region_code=rcode,
            breakdown=ibis.literal(breakdown),
            breakdown_value=value,
            **base,
        )

    for rtype, (where, code) in levels.items():
        parts.append(part(where, u.year, u.year, rtype, code, TOTAL, ibis.literal(TOTAL)))
        if rtype in ("province", "nl"):
            for b in breakdowns:
                parts.append(part(where, u.year, u.year, rtype, code, b, u[b]))
        for size in pool_sizes:
            for start, end in windows(years, size):
                parts.append(
                    part(
                        where & u.year.between(start, end),
                        start,
                        end,
                        rtype,
                        code,
                        TOTAL,
                        ibis.literal(TOTAL),
                    )
                )
    long = ibis.union(*parts)
    keys = [
        "period_start",
        "period_end",
        "region_type",
        "region_code",
        "breakdown",
        "breakdown_value",
    ]
    metrics = {}
    for o in outcomes:
        metrics[f"n_{o}"] = long[o].sum().fill_null(0).cast("int64")
        metrics[f"d_{o}"] = long[o].count().cast("int64")
    return long.group_by(keys).aggregate(**metrics).to_pyarrow()

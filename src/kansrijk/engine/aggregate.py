"""From a unit table to cells: numerator and denominator per period, region and breakdown.

Every level is computed from the units (microdata), never by adding published cells:
municipalities, the remainder with unknown municipality (region_type "unknown", code NL00: part
of NL, in no province), provinces and the Netherlands. The cells (``cell_shape``):

* totals: every level, every year;
* breakdowns (every breakdown of the definition): NL, provinces and the unknown remainder,
  every year, so that for each breakdown value the provinces plus the unknown remainder add up
  to NL and the remainder is a cell disclosure control can protect;
* for definitions with ``pooling_years``, every window of that many consecutive years inside
  the run's years (``windows``): totals at every level and every breakdown for NL, provinces
  and the unknown remainder; municipalities and the unknown remainder also get the breakdowns
  of ``MUNICIPAL_POOLED_BREAKDOWNS`` the definition has, for the *latest* window of the run
  only. Municipal breakdowns have no yearly cells, so overlapping windows of them would let a
  reader difference two windows into counts of single years (2016-2020 minus 2017-2021 = 2016
  minus 2021) that are never published and so never protected. Municipalities add up to their
  province; provinces plus the unknown remainder add up to NL, per breakdown value as well.

Breakdown values must be declared (``kansrijk.indicators.BREAKDOWN_VALUES``): ``cells``
raises ValueError on any other. A value missing from the data has no cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import ibis.selectors as s
import pyarrow as pa

from kansrijk.geo import NL_CODE, UNKNOWN_REGION
from kansrijk.indicators import BREAKDOWN_VALUES, MUNICIPAL_POOLED_BREAKDOWNS, Indicator

TOTAL = "total"
#: Region levels, each computed from the units: municipalities, the remainder with unknown
#: municipality (part of NL, in no province), provinces and the Netherlands.
LEVELS = ("gemeente", "unknown", "province", "nl")
#: Levels with every breakdown, yearly and pooled.
BREAKDOWN_LEVELS = ("unknown", "province", "nl")


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


def cell_shape(definitions: Sequence[Indicator], years: range) -> pa.Table:
    """Which cells exist, as data: one row per (region_type, breakdown, year, period).

    A unit of data year ``year`` counts, at region level ``region_type`` and for ``breakdown``,
    in the cell of the period ``period_start``-``period_end``. See the module docstring for
    which cells these are.
    """
    breakdowns = sorted({b for d in definitions for b in d.breakdowns})
    rows: list[tuple[str, str, int, int, int]] = []

    def add(levels: Sequence[str], names: Sequence[str], start: int, end: int) -> None:
        rows.extend(
            (level, name, year, start, end)
            for level in levels
            for name in names
            for year in range(start, end + 1)
        )

    for year in years:
        add(LEVELS, [TOTAL], year, year)
        add(BREAKDOWN_LEVELS, breakdowns, year, year)
    for size in sorted({d.pooling_years for d in definitions if d.pooling_years}):
        pooled = sorted({b for d in definitions if d.pooling_years == size for b in d.breakdowns})
        spans = windows(years, size)
        for start, end in spans:
            add(LEVELS, [TOTAL], start, end)
            add(BREAKDOWN_LEVELS, pooled, start, end)
        if spans:
            # Municipalities: the latest window only. Their breakdowns have no yearly cells,
            # so two overlapping windows could be differenced into counts of single years
            # that are never published, and so never protected by disclosure control.
            start, end = spans[-1]
            add(["gemeente"], [b for b in pooled if b in MUNICIPAL_POOLED_BREAKDOWNS], start, end)
    names = ("region_type", "breakdown", "year", "period_start", "period_end")
    types = (pa.string(), pa.string(), pa.int32(), pa.int32(), pa.int32())
    return pa.table(
        {
            name: pa.array([row[i] for row in rows], kind)
            for i, (name, kind) in enumerate(zip(names, types, strict=True))
        }
    )


def cells(
    units: ir.Table, provinces: ir.Table, definitions: Sequence[Indicator], years: range
) -> pa.Table:
    """Numerators and denominators of every outcome of ``definitions`` (one variant).

    Returns columns period_start, period_end, region_type, region_code, breakdown,
    breakdown_value and ``n_<outcome>``, ``d_<outcome>`` per outcome. Raises ValueError when
    a breakdown value is not among the declared ``BREAKDOWN_VALUES``.
    """
    outcomes = sorted({d.outcome for d in definitions})
    breakdowns = sorted({b for d in definitions for b in d.breakdowns})
    u = units.left_join(provinces, units.region == provinces.region)
    # Each unit once per region level it belongs to (gemeente, province and NL, or the
    # unknown remainder and NL), then once per breakdown (and the total), then once per
    # period of ``cell_shape`` it counts in: one expression, aggregated once.
    located = u.select(
        year=u.year.cast("int32"),
        gemeente=u.region,
        unknown=ibis.ifelse(u.region.isnull(), UNKNOWN_REGION, ibis.null("string")),
        province=u.province,
        nl=ibis.literal(NL_CODE),
        **{TOTAL: ibis.literal(TOTAL)},
        **{b: u[b] for b in breakdowns},
        **{o: u[o] for o in outcomes},
    )
    located = located.pivot_longer(s.cols(*LEVELS), names_to="region_type", values_to="region_code")
    located = located.filter(located.region_code.notnull())
    long = located.pivot_longer(
        s.cols(TOTAL, *breakdowns), names_to="breakdown", values_to="breakdown_value"
    )
    shape = ibis.memtable(cell_shape(definitions, years))
    long = long.join(shape, ["region_type", "breakdown", "year"])
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
    table = long.group_by(keys).aggregate(**metrics).to_pyarrow()
    check_breakdown_values(table, definitions)
    return table


def check_breakdown_values(table: pa.Table, definitions: Sequence[Indicator]) -> None:
    """ValueError naming the indicator, breakdown and value when a computed breakdown value
    is not declared in ``BREAKDOWN_VALUES`` (a rule change must be declared, not slip in)."""
    pairs = (
        table.select(["breakdown", "breakdown_value"])
        .group_by(["breakdown", "breakdown_value"])
        .aggregate([])
    )
    for breakdown, value in zip(
        pairs["breakdown"].to_pylist(), pairs["breakdown_value"].to_pylist(), strict=True
    ):
        if breakdown == TOTAL:
            continue
        declared = BREAKDOWN_VALUES.get(breakdown, ())
        if declared is None and value is not None:
            continue  # open: any value in the data
        if declared is None or value not in declared:
            ids = ", ".join(d.id for d in definitions if breakdown in d.breakdowns)
            raise ValueError(
                f"indicator {ids}: breakdown {breakdown!r} has value {value!r}, which is not "
                f"among its declared values {declared} (kansrijk.indicators.BREAKDOWN_VALUES)"
            )

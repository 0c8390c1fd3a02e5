"""From a unit table to cells: numerator and denominator per period, region and breakdown.

Every level is computed from the units (microdata), never by adding published cells:
municipalities, the remainder with unknown municipality (region_type "unknown", code NL00: part
of NL, in no province), provinces and the Netherlands. The cells (``cell_shape``):

* totals: every level, every year and, for definitions with ``pooling_years``, every window of
  that many consecutive years inside the run's years (``windows``);
* yearly breakdowns (every breakdown of the definition): NL only;
* pooled breakdowns, for definitions with ``pooling_years``: the *latest* window of the run
  only, every breakdown for NL, the provinces and the unknown remainder, and the breakdowns of
  ``MUNICIPAL_POOLED_BREAKDOWNS`` the definition has for municipalities.

So, for every breakdown value of the latest window, municipalities add up to their province,
provinces plus the unknown remainder add up to NL, and NL's yearly cells add up to NL's pooled
cell. Yearly breakdowns of provinces and of the remainder, and pooled breakdowns of earlier
windows, are mostly too small to publish (RIVM publishes breakdowns nationally per year and, for
detail, over one pooled period). Breakdowns of one window only also mean that no two
overlapping windows can be differenced into counts of single years (2016-2020 minus 2017-2021 =
2016 minus 2021) that are never published and so never protected.

The table is complete (``cells``): every cell of the shape is a row, for every region of the
classification year (all municipalities, the unknown remainder, every province and NL) and
every declared breakdown value (``kansrijk.indicators.BREAKDOWN_VALUES``), with numerator and
denominator 0 when no unit falls in it. A missing row would tell a reader who knows the shape
that the cell is exactly zero, and would give sibling regions sub-tables of different shapes.
An open breakdown (declared ``None``: ``jgz_organisation``) has the values that occur among
the units of the run's years, in any region and period. ``cells`` raises ValueError on a value
that is not declared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import ibis.selectors as s
import pyarrow as pa

from kansrijk.engine.families import FAMILIES
from kansrijk.engine.intervals import count_name, sum_name, summed_columns
from kansrijk.geo import NL_CODE, UNKNOWN_REGION
from kansrijk.indicators import BREAKDOWN_VALUES, MUNICIPAL_POOLED_BREAKDOWNS, Indicator

TOTAL = "total"
#: Region levels, each computed from the units: municipalities, the remainder with unknown
#: municipality (part of NL, in no province), provinces and the Netherlands.
LEVELS = ("gemeente", "unknown", "province", "nl")
#: Levels with yearly breakdowns (every breakdown of the definitions).
YEARLY_BREAKDOWN_LEVELS = ("nl",)
#: Levels with every breakdown pooled over the latest window (municipalities get
#: ``MUNICIPAL_POOLED_BREAKDOWNS`` only).
BREAKDOWN_LEVELS = ("unknown", "province", "nl")
#: The keys of a cell in the table ``cells`` returns.
CELL_KEYS = (
    "period_start",
    "period_end",
    "region_type",
    "region_code",
    "breakdown",
    "breakdown_value",
)


@dataclass(frozen=True)
class Variant:
    """Definitions of one family that share the same unit filter and the same values of the
    parameters their family derives outcomes from (``Family.derive``)."""

    min_gestational_days: int | None
    exclude_long_stay: bool
    family: str | None = None
    #: (name, value) of the parameters ``Family.derive`` reads; empty: nothing derived.
    family_parameters: tuple[tuple[str, float | int | str | bool], ...] = ()

    @classmethod
    def of(cls, definition: Indicator) -> Variant:
        days = definition.parameter("min_gestational_days")
        fam = FAMILIES[definition.family]
        derived: tuple[tuple[str, float | int | str | bool], ...] = ()
        if definition.outcome in fam.derived_outcomes:
            values = dict(definition.parameters)
            missing = [p for p in fam.derive_parameters if p not in values]
            if missing:
                raise ValueError(
                    f"definition {definition.id} (family {fam.name}) lacks the parameter(s) "
                    f"{', '.join(missing)} its outcome {definition.outcome} is derived with"
                )
            derived = tuple((p, values[p]) for p in fam.derive_parameters)
        return cls(
            min_gestational_days=int(days) if isinstance(days, int) else None,
            exclude_long_stay=bool(definition.parameter("exclude_long_stay", False)),
            family=fam.name if derived else None,
            family_parameters=derived,
        )

    def apply(self, units: ir.Table) -> ir.Table:
        if self.min_gestational_days is not None:
            units = units.filter(units.ga_days >= self.min_gestational_days)
        if self.exclude_long_stay:
            units = units.filter(~units.long_stay)
        if self.family is not None:
            derive = FAMILIES[self.family].derive
            if derive is None:
                raise ValueError(f"family {self.family} derives no outcomes")
            units = derive(units, dict(self.family_parameters))
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
        add(YEARLY_BREAKDOWN_LEVELS, breakdowns, year, year)
    for size in sorted({d.pooling_years for d in definitions if d.pooling_years}):
        pooled = sorted({b for d in definitions if d.pooling_years == size for b in d.breakdowns})
        spans = windows(years, size)
        for start, end in spans:
            add(LEVELS, [TOTAL], start, end)
        if spans:
            # Breakdowns: the latest window only. Municipal breakdowns have no yearly cells,
            # so two overlapping windows could be differenced into counts of single years
            # that are never published, and so never protected by disclosure control.
            start, end = spans[-1]
            add(BREAKDOWN_LEVELS, pooled, start, end)
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
    breakdown_value and ``n_<outcome>``, ``d_<outcome>`` per outcome (and, for an outcome with
    an interval method, the sum and non-NULL count of each unit column it needs:
    ``kansrijk.engine.intervals.sum_name``, ``count_name``): one row per cell of the
    complete shape (``complete_shape``), 0 and 0 where no unit falls. ``provinces`` (region,
    province) lists the municipalities of the classification year. Raises ValueError when a
    breakdown value is not among the declared ``BREAKDOWN_VALUES``.
    """
    outcomes = sorted({d.outcome for d in definitions})
    breakdowns = sorted({b for d in definitions for b in d.breakdowns})
    # Unit columns an outcome's interval method needs summed per cell (kansrijk.engine.intervals).
    summed = summed_columns(outcomes)
    keys = list(CELL_KEYS)
    # Every count is a sum (``n_``, ``sum_``) or a non-NULL count (``d_``, ``count_``), so it
    # adds up: the units are counted once per breakdown (and the total) by year and
    # municipality, one aggregation each, unioned (what GROUPING SETS does, in any backend's
    # Ibis); the few thousand partial rows then go to every region level and period of
    # ``cell_shape``. Never a row per unit, level and breakdown.
    partial_metrics = []
    for o in outcomes:
        partial_metrics += [(f"n_{o}", o, "sum"), (f"d_{o}", o, "count")]
    for c in summed:
        partial_metrics += [(sum_name(c), c, "sum"), (count_name(c), c, "count")]
    u = units.select(
        year=units.year.cast("int32"),
        region=units.region,
        **{b: units[b] for b in breakdowns},
        **{c: units[c] for c in dict.fromkeys([*outcomes, *summed])},
    )
    parts = []
    for b in (TOTAL, *breakdowns):
        value = ibis.literal(TOTAL) if b == TOTAL else u[b].cast("string")
        parts.append(
            u.group_by(
                "year", "region", breakdown=ibis.literal(b), breakdown_value=value
            ).aggregate(
                **{
                    name: (u[col].sum() if how == "sum" else u[col].count()).cast("int64")
                    for name, col, how in partial_metrics
                }
            )
        )
    partial = ibis.union(*parts) if len(parts) > 1 else parts[0]
    p = partial.left_join(provinces, partial.region == provinces.region)
    located = p.select(
        "year",
        "breakdown",
        "breakdown_value",
        gemeente=p.region,
        unknown=ibis.ifelse(p.region.isnull(), UNKNOWN_REGION, ibis.null("string")),
        province=p.province,
        nl=ibis.literal(NL_CODE),
        **{name: p[name] for name, _, _ in partial_metrics},
    )
    located = located.pivot_longer(s.cols(*LEVELS), names_to="region_type", values_to="region_code")
    located = located.filter(located.region_code.notnull())
    shape = ibis.memtable(cell_shape(definitions, years))
    long = located.join(shape, ["region_type", "breakdown", "year"])
    metrics = {}
    for name, _, how in partial_metrics:
        total = long[name].sum()
        metrics[name] = (total.fill_null(0) if how == "sum" else total).cast("int64")
    counted = long.group_by(keys).aggregate(**metrics)
    # Cells without units: every cell of the shape with 0 and 0, added to the counts (a
    # counted cell the shape does not know, such as one of an undeclared value, stays in: it
    # is reported below).
    empty = complete_shape(units, provinces, definitions, years)
    empty = empty.select(*keys, **{name: ibis.literal(0, "int64") for name in metrics})
    both = counted.select(*keys, *metrics).union(empty)
    table = (
        both.group_by(keys)
        .aggregate(**{name: both[name].sum().cast("int64") for name in metrics})
        .to_pyarrow()
    )
    check_breakdown_values(table, definitions)
    return table


def complete_shape(
    units: ir.Table, provinces: ir.Table, definitions: Sequence[Indicator], years: range
) -> ir.Table:
    """The keys of every cell of ``cell_shape`` (``CELL_KEYS``): for each (region level,
    breakdown, period) of the shape, every region of that level (the municipalities and
    provinces of ``provinces``, the unknown remainder, NL) and every declared value of the
    breakdown; an open breakdown's values are those of ``units`` in ``years``."""
    breakdowns = sorted({b for d in definitions for b in d.breakdowns})
    periods = (
        cell_shape(definitions, years)
        .group_by(["region_type", "breakdown", "period_start", "period_end"])
        .aggregate([])
    )
    regions = ibis.union(
        provinces.select(region_type=ibis.literal("gemeente"), region_code=provinces.region),
        provinces.select(region_type=ibis.literal("province"), region_code=provinces.province),
        ibis.memtable(
            pa.table({"region_type": ["unknown", "nl"], "region_code": [UNKNOWN_REGION, NL_CODE]})
        ),
        distinct=True,
    )
    regions = regions.filter(regions.region_code.notnull())
    declared = [(TOTAL, TOTAL)] + [
        (b, v) for b in breakdowns for v in BREAKDOWN_VALUES.get(b, ()) or ()
    ]
    values = [
        ibis.memtable(
            pa.table(
                {
                    "breakdown": pa.array([b for b, _ in declared], pa.string()),
                    "breakdown_value": pa.array([v for _, v in declared], pa.string()),
                }
            )
        )
    ]
    in_run = units.filter(units.year.cast("int32").between(years.start, years.stop - 1))
    for b in breakdowns:
        if b in BREAKDOWN_VALUES and BREAKDOWN_VALUES[b] is None:  # open: from the data
            found = in_run.filter(in_run[b].notnull())
            values.append(
                found.select(breakdown=ibis.literal(b), breakdown_value=found[b].cast("string"))
            )
    value_table = ibis.union(*values, distinct=True)
    full = ibis.memtable(periods).join(regions, "region_type").join(value_table, "breakdown")
    return full.select(*CELL_KEYS)


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

"""The family interface and registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import ibis.expr.types as ir

from kansrijk.engine.context import Context, breakdown_columns, prefixed, year_date

FAMILIES: dict[str, Family] = {}

#: Values of a definition's parameters (``Indicator.parameters``) as a family reads them.
Parameters = Mapping[str, float | int | str | bool]


@dataclass(frozen=True)
class Note:
    """A count a run reports per data year (manifest and summary): the units of the family
    whose 0/1 column ``column`` is 1, e.g. live births with neither parent known."""

    key: str
    column: str
    text: str


@dataclass(frozen=True)
class Family:
    """A unit of analysis: which parent-years it needs and how to build its unit table.

    Outcomes that depend on a definition's parameters (``derived_outcomes``) are not in the
    unit table: ``derive`` adds them from the unit table and the values of the definition's
    ``derive_parameters`` (``kansrijk.engine.aggregate.Variant``), so one unit table serves
    every edition of a definition whose parameters change between editions.
    """

    name: str
    tables: tuple[str, ...]
    parent_keys: Callable[[Context], ir.Table]
    build: Callable[[Context, ir.Table], ir.Table]  # (context, parent attributes) -> units
    derived_outcomes: tuple[str, ...] = ()
    derive_parameters: tuple[str, ...] = ()
    derive: Callable[[ir.Table, Parameters], ir.Table] | None = None
    notes: tuple[Note, ...] = ()


def register(family: Family) -> Family:
    FAMILIES[family.name] = family
    return family


def with_breakdowns(ctx: Context, units: ir.Table, attrs: ir.Table) -> ir.Table:
    """Join mother's (``mother_id``) and father's (``father_id``) attributes of the unit's
    ``year`` and add the breakdown columns."""
    m = prefixed(attrs, "m_")
    f = prefixed(attrs, "f_")
    t = units.left_join(m, [units.mother_id == m.m_person_id, units.year == m.m_year])
    t = t.left_join(f, [t.father_id == f.f_person_id, t.year == f.f_year])
    t = t.mutate(migration=t.m_migration)
    return t.mutate(**breakdown_columns(t))


def parents_of(units: ir.Table) -> ir.Table:
    """(person_id, year) of every known mother and father of the units."""
    mothers = units.filter(units.mother_id.notnull()).select(
        person_id=units.mother_id, year=units.year
    )
    fathers = units.filter(units.father_id.notnull()).select(
        person_id=units.father_id, year=units.year
    )
    return mothers.union(fathers)


def with_region(ctx: Context, units: ir.Table, person: str, month: int, day: int) -> ir.Table:
    """Add ``region``: where ``person`` lived on ``day``-``month`` of the unit's year, on the
    classification year (NULL when the person is unknown or has no address then)."""
    known = units.filter(units[person].notnull())
    residence = ctx.residence(
        known.select(person_id=known[person], ref_date=year_date(known.year, month, day))
    )
    units = units.mutate(ref_date=year_date(units.year, month, day))
    joined = units.left_join(
        residence, [units[person] == residence.person_id, units.ref_date == residence.ref_date]
    )
    return joined.drop("person_id", "ref_date_right")

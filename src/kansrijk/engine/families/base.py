"""The family interface and registry."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import ibis.expr.types as ir

from kansrijk.engine.context import (
    BREAKDOWN_ATTRIBUTES,
    Context,
    breakdown_columns,
    prefixed,
    year_date,
)

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
    #: The parents' attribute columns (``kansrijk.engine.context.ATTRIBUTE_COLUMNS``) the
    #: family's own outcomes read as ``m_<column>`` and ``f_<column>``, whatever the
    #: breakdowns (``with_breakdowns`` adds theirs). A column read but not declared is
    #: absent from the unit table, so the build fails by name, never silently.
    mother_attributes: tuple[str, ...] = ()
    father_attributes: tuple[str, ...] = ()

    def attribute_columns(self, breakdowns: Collection[str]) -> set[str]:
        """Every attribute column the family's units read with ``breakdowns``."""
        mother, father = parent_attributes(
            breakdowns, self.mother_attributes, self.father_attributes
        )
        return set(mother) | set(father)


def register(family: Family) -> Family:
    FAMILIES[family.name] = family
    return family


def parent_attributes(
    breakdowns: Collection[str], mother: Collection[str], father: Collection[str]
) -> tuple[list[str], list[str]]:
    """The mother's and the father's attribute columns: ``mother`` and ``father`` and those
    of the ``breakdowns`` (``BREAKDOWN_ATTRIBUTES``), in a stable order."""
    m, f = set(mother), set(father)
    for b in breakdowns:
        from_mother, from_father = BREAKDOWN_ATTRIBUTES.get(b, ((), ()))
        m.update(from_mother)
        f.update(from_father)
    return sorted(m), sorted(f)


def with_breakdowns(
    ctx: Context,
    units: ir.Table,
    attrs: ir.Table,
    mother: Collection[str] = (),
    father: Collection[str] = (),
) -> ir.Table:
    """Join the mother's (``mother_id``) and the father's (``father_id``) attributes of the
    unit's ``year`` and add the columns of the run's breakdowns (``ctx.breakdowns``).

    Only the attribute columns ``mother`` and ``father`` (the family's outcomes) and the
    breakdowns read are joined, as ``m_<column>`` and ``f_<column>``; a parent none is read
    of is not joined at all.
    """
    m_cols, f_cols = parent_attributes(ctx.breakdowns, mother, father)
    t = units
    for prefix, key, columns in (("m_", "mother_id", m_cols), ("f_", "father_id", f_cols)):
        if not columns:
            continue
        side = prefixed(attrs.select("person_id", "year", *columns), prefix)
        t = t.left_join(
            side, [t[key] == side[f"{prefix}person_id"], t.year == side[f"{prefix}year"]]
        ).drop(f"{prefix}person_id", f"{prefix}year")
    return t.mutate(**breakdown_columns(t, ctx.breakdowns))


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

"""One row per live-born child under two in the data year (born that year or the year
before, alive on 1 January of the data year) with at least one known legal parent:
out-of-home placement."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from kansrijk.engine.context import FAR_FUTURE, Context, year_date
from kansrijk.engine.families.base import (
    Family,
    parents_of,
    register,
    with_breakdowns,
    with_region,
)

PROTECTION_CODES = (11, 12, 21, 22, 23)
RESIDENTIAL_CARE_CODES = (11, 12, 13, 14)


def _children(ctx: Context) -> ir.Table:
    def build() -> ir.Table:
        j = ctx.children()
        j = j.filter(j.mother_id.notnull() | j.father_id.notnull())
        years = ctx.constant("years", pa.table({"year": pa.array(list(ctx.years), pa.int32())}))
        j = j.join(years, (j.born == years.year) | (j.born == years.year - 1))
        # A child who died before 1 January is not a child under two in that year.
        j = j.filter(j.death_date.isnull() | (j.death_date >= year_date(j.year, 1, 1)))
        return j.select("child_id", "mother_id", "father_id", "year")

    return ctx.cached("young_children", build)


def parent_keys(ctx: Context) -> ir.Table:
    return parents_of(_children(ctx))


def build(ctx: Context, attrs: ir.Table) -> ir.Table:
    c = _children(ctx)
    # Region: the mother's address on 30 June; without a known mother the father's (as for
    # the live births of indicator 11).
    c = c.mutate(region_parent=ibis.coalesce(c.mother_id, c.father_id))
    c = with_region(ctx, c, "region_parent", 6, 30).drop("region_parent")
    c = ctx.materialise("young_child_base", c)
    prot = ctx.data.table("youth_protection")
    prot = prot.filter(prot.measure_code.isin(PROTECTION_CODES)).select(
        p_child="person_id", p_start="start_date", p_end="end_date"
    )
    care = ctx.data.table("youth_care")
    care = care.filter(care.care_form_code.isin(RESIDENTIAL_CARE_CODES)).select(
        h_child="person_id", h_start="start_date", h_end="end_date"
    )
    far = ibis.date(FAR_FUTURE)
    pairs = c.select(q_child=c.child_id, q_year=c.year)
    pairs = pairs.join(prot, pairs.q_child == prot.p_child)
    pairs = pairs.join(care, pairs.q_child == care.h_child)
    start = ibis.greatest(pairs.p_start, pairs.h_start, year_date(pairs.q_year, 1, 1))
    end = ibis.least(
        pairs.p_end.fill_null(far), pairs.h_end.fill_null(far), year_date(pairs.q_year, 12, 31)
    )
    placed = pairs.filter(start <= end).select("q_child", "q_year").distinct()
    c = c.left_join(placed, [c.child_id == placed.q_child, c.year == placed.q_year])
    c = c.mutate(placement=c.q_child.notnull().cast("int8"))
    return with_breakdowns(ctx, c, attrs)


FAMILY = register(
    Family(
        name="young_child",
        tables=("persons", "parent_links", "addresses", "youth_protection", "youth_care"),
        parent_keys=parent_keys,
        build=build,
    )
)

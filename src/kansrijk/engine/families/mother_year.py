"""One row per mother of a live birth in the data year (2024 indicators 10 and 11): her
partner is the legal father of her first child that year, her region the child's
registration on 31 December."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from kansrijk.engine.context import Context
from kansrijk.engine.families.base import (
    Family,
    parents_of,
    register,
    with_breakdowns,
    with_region,
)
from kansrijk.engine.families.live_birth import live_births


def _mothers(ctx: Context) -> ir.Table:
    def build() -> ir.Table:
        b = live_births(ctx)
        window = ibis.window(group_by=[b.mother_id, b.year], order_by=[b.birth_date, b.child_id])
        b = b.mutate(rank=ibis.row_number().over(window))
        return b.filter(b.rank == 0).drop("rank")

    return ctx.cached("mother_years", build)


#: The attributes of either parent the outcomes read (debts, GGZ or psychotropics).
PARENT_ATTRIBUTES = ("debts", "ggz", "psych_med")


def parent_keys(ctx: Context) -> ir.Table:
    return parents_of(_mothers(ctx))


def build(ctx: Context, attrs: ir.Table) -> ir.Table:
    m = _mothers(ctx)
    m = with_region(ctx, m, "child_id", 12, 31)
    t = with_breakdowns(ctx, m, attrs, PARENT_ATTRIBUTES, PARENT_ATTRIBUTES)

    def flag(name: str) -> ir.BooleanValue:
        return t[f"m_{name}"].fill_null(False) | t[f"f_{name}"].fill_null(False)

    return t.mutate(
        debts_parents=flag("debts").cast("int8"),
        psych_parents=(flag("ggz") | flag("psych_med")).cast("int8"),
    )


FAMILY = register(
    Family(
        name="mother_year",
        tables=(
            "persons",
            "parent_links",
            "addresses",
            "debt_restructuring",
            "premium_arrears",
            "healthcare_costs",
            "medication",
        ),
        parent_keys=parent_keys,
        build=build,
        mother_attributes=PARENT_ATTRIBUTES,
        father_attributes=PARENT_ATTRIBUTES,
    )
)

"""One row per pregnancy of 24+0 weeks or more: the first-born child's birth record, one per
mother and year (records without a mother id are distinct pregnancies)."""

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

MIN_GESTATIONAL_DAYS = 168
PRECONCEPTION_MONTHS = 15


def _pregnancies(ctx: Context) -> ir.Table:
    def build() -> ir.Table:
        b = ctx.data.table("births")
        b = b.mutate(year=b.birth_date.year().cast("int32"))
        b = b.filter(
            b.year.isin(list(ctx.years)),
            b.birth_order == 1,
            b.gestational_age_days >= MIN_GESTATIONAL_DAYS,
        )
        # Mother and birth ids are different domains: prefix them so they never collide.
        key = ibis.coalesce("m:" + b.mother_id, "b:" + b.birth_id)
        window = ibis.window(group_by=[b.year, key], order_by=[b.birth_date, b.birth_id])
        b = b.mutate(rank=ibis.row_number().over(window))
        b = b.filter(b.rank == 0)
        links = ctx.data.table("parent_links").select(l_child="child_id", father_id="father_id")
        b = b.left_join(links, b.child_id == links.l_child)
        return b.select(
            "birth_id",
            "mother_id",
            "father_id",
            "year",
            "birth_date",
            "first_visit_gestational_day",
        )

    return ctx.cached("pregnancies", build)


#: The mother's attributes of the debts outcomes (indicator 8 and its parts).
MOTHER_ATTRIBUTES = ("debts", "arrears", "wsnp")


def parent_keys(ctx: Context) -> ir.Table:
    return parents_of(_pregnancies(ctx))


def build(ctx: Context, attrs: ir.Table) -> ir.Table:
    p = _pregnancies(ctx)
    p = with_region(ctx, p, "mother_id", 6, 30)
    p = ctx.materialise("pregnancy_base", p)
    if ctx.data.has("maternity_claims"):
        c = ctx.data.table("maternity_claims")
        c = c.filter(c.claim_type == "preconceptie_consult").select(
            c_mother="mother_id", c_month="service_month"
        )
        month = p.birth_date.truncate("M")
        hit = p.join(
            c,
            [
                p.mother_id == c.c_mother,
                c.c_month < month,
                c.c_month >= month - ibis.interval(months=PRECONCEPTION_MONTHS),
            ],
        )
        hits = hit.select(h_birth=hit.birth_id).distinct()
        p = p.left_join(hits, p.birth_id == hits.h_birth)
        preconception = ibis.ifelse(
            p.mother_id.isnull(), ibis.null("int8"), p.h_birth.notnull().cast("int8")
        )
    else:
        preconception = ibis.null("int8")
    p = p.mutate(preconception_consult=preconception)
    t = with_breakdowns(ctx, p, attrs, MOTHER_ATTRIBUTES)
    return t.mutate(
        care_after_week_10=(t.first_visit_gestational_day.fill_null(0) > 70).cast("int8"),
        debts_mother=t.m_debts.fill_null(False).cast("int8"),
        debts_mother_arrears=t.m_arrears.fill_null(False).cast("int8"),
        debts_mother_wsnp=t.m_wsnp.fill_null(False).cast("int8"),
        ga_days=ibis.literal(MIN_GESTATIONAL_DAYS),
    )


FAMILY = register(
    Family(
        name="pregnancy",
        tables=("births", "parent_links", "addresses"),
        parent_keys=parent_keys,
        build=build,
        mother_attributes=MOTHER_ATTRIBUTES,
    )
)

"""One row per child born (live or stillborn) at 22+0 weeks or more; definitions filter on
``ga_days`` for their own threshold."""

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
from kansrijk.reference import p10_table

MIN_DAYS = 154
TERM_DAY = 259
DAY_32_WEEKS = 224
CHART_FIRST, CHART_LAST = 161, 294


def _births(ctx: Context) -> ir.Table:
    def build() -> ir.Table:
        b = ctx.data.table("births")
        b = b.mutate(year=b.birth_date.year().cast("int32"))
        b = b.filter(b.year.isin(list(ctx.years)), b.gestational_age_days >= MIN_DAYS)
        links = ctx.data.table("parent_links").select(l_child="child_id", father_id="father_id")
        b = b.left_join(links, b.child_id == links.l_child)
        return b.drop("l_child")

    return ctx.cached("child_births", build)


def parent_keys(ctx: Context) -> ir.Table:
    return parents_of(_births(ctx))


def build(ctx: Context, attrs: ir.Table) -> ir.Table:
    b = _births(ctx)
    b = with_region(ctx, b, "mother_id", 6, 30)
    chart = ctx.constant("p10", p10_table().rename_columns(["p_sex", "p_day", "p10_g"]))
    day = ibis.least(ibis.greatest(b.gestational_age_days, CHART_FIRST), CHART_LAST)
    b = b.mutate(chart_day=day)
    b = b.left_join(chart, [b.sex == chart.p_sex, b.chart_day == chart.p_day])
    assessable = b.gestational_age_days >= CHART_FIRST
    by_chart = assessable & b.birth_weight_g.notnull() & (b.birth_weight_g < b.p10_g)
    sga = ibis.ifelse(
        b.birth_weight_percentile.notnull(),
        b.birth_weight_percentile < 10,
        by_chart.fill_null(False),
    )
    preterm = b.gestational_age_days < TERM_DAY
    mortality = b.perinatal_mortality
    live = b.live_born
    b = b.mutate(
        ga_days=b.gestational_age_days,
        preterm=preterm.cast("int8"),
        preterm_32=(b.gestational_age_days < DAY_32_WEEKS).cast("int8"),
        sga=sga.cast("int8"),
        big2=(preterm | sga).cast("int8"),
        # A stillbirth is a fetal death whatever its code (9 = unknown is allowed).
        perinatal_death=(~live | mortality.isin((3, 4))).cast("int8"),
        fetal_death=(~live).cast("int8"),
        neonatal_death=ibis.ifelse(live, mortality.isin((3, 4)).cast("int8"), ibis.null("int8")),
        infant_death=ibis.ifelse(live, mortality.isin((3, 4, 5)).cast("int8"), ibis.null("int8")),
    )
    return with_breakdowns(ctx, b, attrs)


FAMILY = register(
    Family(
        name="child_birth",
        tables=("births", "parent_links", "addresses"),
        parent_keys=parent_keys,
        build=build,
    )
)

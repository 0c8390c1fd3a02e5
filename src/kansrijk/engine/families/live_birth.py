"""One row per live-born child with a known mother, born in the data year: kraamzorg use,
long hospital stay and the risk factors of the family."""

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
from kansrijk.reference.care_products import LONG_STAY_DBC

HIGH_COST_RANK = 0.9
LOOKBACK_YEARS = 4


def live_births(ctx: Context) -> ir.Table:
    """Live births of the data years with a known mother (persons x legal parent links)."""

    def build() -> ir.Table:
        j = ctx.children()
        j = j.mutate(year=j.born)
        j = j.filter(j.year.isin(list(ctx.years)), j.mother_id.notnull())
        return j.select("child_id", "mother_id", "father_id", "year", "birth_date")

    return ctx.cached("live_births", build)


def parent_keys(ctx: Context) -> ir.Table:
    return parents_of(live_births(ctx))


def _kraamzorg(ctx: Context, b: ir.Table) -> ir.Table:
    """child_id of live births whose mother had hourly kraamzorg in or after delivery."""
    t = ctx.data.table("maternity_trajectories").select(
        t_id="trajectory_id", t_mother="mother_id", delivery_month="delivery_month"
    )
    c = ctx.data.table("maternity_claims")
    c = c.filter(c.claim_type == "kraamzorg_per_uur").select(
        c_traj="trajectory_id", service_month="service_month"
    )
    used = t.join(c, [t.t_id == c.c_traj, c.service_month >= t.delivery_month])
    used = used.select("t_mother", "delivery_month").distinct()
    month = b.birth_date.truncate("M")
    hit = b.join(
        used,
        [
            b.mother_id == used.t_mother,
            used.delivery_month >= month - ibis.interval(months=1),
            used.delivery_month <= month + ibis.interval(months=1),
        ],
    )
    return hit.select(k_child=hit.child_id).distinct()


def _long_stay(ctx: Context, b: ir.Table) -> ir.Table:
    h = ctx.data.table("hospital_care_products")
    h = (
        h.filter(h.care_product_code.isin(LONG_STAY_DBC))
        .select(h_person="person_id", h_year="year")
        .distinct()
    )
    child = b.join(h, [b.child_id == h.h_person, b.year == h.h_year]).select(s_child="child_id")
    mother = b.join(h, [b.mother_id == h.h_person, b.year == h.h_year]).select(s_child="child_id")
    return child.union(mother).distinct()


def _events(ctx: Context, b: ir.Table) -> ir.Table:
    """Per child: detention, divorce, father's death and high costs of the parents."""
    parents = b.select(
        e_child=b.child_id, year=b.year, person_id=b.mother_id, role=ibis.literal("M")
    ).union(
        b.filter(b.father_id.notnull()).select(
            e_child=b.child_id, year=b.year, person_id=b.father_id, role=ibis.literal("F")
        )
    )
    d = ctx.data.table("detentions")
    detained = parents.join(
        d,
        [
            parents.person_id == d.person_id,
            d.start_date.year() <= parents.year,
            d.end_date.isnull() | (d.end_date.year() >= parents.year - 1),
        ],
    )
    detained = detained.select(x_child=detained.e_child).distinct()
    v = ctx.data.table("divorces")
    divorced = parents.join(
        v,
        [
            parents.person_id == v.person_id,
            v.divorce_date.year() >= parents.year - LOOKBACK_YEARS,
            v.divorce_date.year() <= parents.year,
        ],
    )
    divorced = divorced.select(v_child=divorced.e_child).distinct()
    dead = ctx.data.table("deaths")
    fathers = parents.filter(parents.role == "F")
    died = fathers.join(
        dead,
        [
            fathers.person_id == dead.person_id,
            dead.death_date.year() >= fathers.year - LOOKBACK_YEARS,
            dead.death_date.year() <= fathers.year,
        ],
    )
    died = died.select(d_child=died.e_child).distinct()
    out = b.select(ev_child=b.child_id)
    for table, key, name in (
        (detained, "x_child", "detention"),
        (divorced, "v_child", "divorce"),
        (died, "d_child", "partner_death"),
    ):
        out = out.left_join(table, out.ev_child == table[key])
        out = out.mutate(**{name: out[key].notnull()}).drop(key)
    return out


def _top_decile(ctx: Context, t: ir.Table, cost: str, role: str) -> ir.Table:
    """Units whose parent's cost is in the top decile of that year (percent_rank >= 0.9 over
    the units with that parent, missing costs as 0), ranked on a narrow table of values."""
    units = t.filter(t[f"{role}_id"].notnull()) if role == "father" else t
    values = units.select(r_year=units.year, r_cost=units[cost].fill_null(0))
    counts = values.group_by(["r_year", "r_cost"]).aggregate(r_n=values.count())
    window = ibis.window(
        group_by=counts.r_year, order_by=counts.r_cost, preceding=None, following=0
    )
    counts = counts.mutate(
        r_upto=counts.r_n.sum().over(window),
        r_total=counts.r_n.sum().over(ibis.window(group_by=counts.r_year)),
    )
    # percent_rank = (rows with a smaller value) / (rows - 1)
    rank = (counts.r_upto - counts.r_n) / ibis.greatest(counts.r_total - 1, 1)
    # Materialised: joining it back to the units it came from must be a plain join.
    high = ctx.materialise(
        f"top_decile_values_{role}",
        counts.filter(rank >= HIGH_COST_RANK).select("r_year", "r_cost"),
    )
    hit = units.join(high, [units.year == high.r_year, units[cost].fill_null(0) == high.r_cost])
    return ctx.materialise(f"top_decile_{role}", hit.select(h_child=hit.child_id))


def build(ctx: Context, attrs: ir.Table) -> ir.Table:
    b = live_births(ctx)
    b = with_region(ctx, b, "mother_id", 6, 30)
    # Materialised: the kraamzorg, long-stay and event branches all read it.
    b = ctx.materialise("live_birth_base", b)
    kz = _kraamzorg(ctx, b)
    b = b.left_join(kz, b.child_id == kz.k_child)
    if ctx.data.has("hospital_care_products"):
        stays = _long_stay(ctx, b)
        b = b.left_join(stays, b.child_id == stays.s_child)
        long_stay = b.s_child.notnull()
    else:
        long_stay = ibis.literal(False)
    b = b.mutate(no_kraamzorg=b.k_child.isnull().cast("int8"), long_stay=long_stay)
    events = _events(ctx, b)
    b = b.left_join(events, b.child_id == events.ev_child)
    t = ctx.materialise("live_birth_units", with_breakdowns(ctx, b, attrs))
    high_m = _top_decile(ctx, t, "m_prev_year_cost", "mother")
    high_f = _top_decile(ctx, t, "f_prev_year_cost", "father")
    t = (
        t.left_join(high_m, t.child_id == high_m.h_child)
        .mutate(high_m=ibis._.h_child.notnull())
        .drop("h_child")
    )
    t = (
        t.left_join(high_f, t.child_id == high_f.h_child)
        .mutate(high_costs=ibis._.high_m | ibis._.h_child.notnull())
        .drop("h_child", "high_m")
    )
    pct = t.m_income_pct

    def either(name: str) -> ir.BooleanValue:
        return t[f"m_{name}"].fill_null(False) | t[f"f_{name}"].fill_null(False)

    factors = (
        ((pct >= 1) & (pct < 10)).fill_null(False).cast("int8")
        + either("ggz").cast("int8")
        + either("psych_med").cast("int8")
        + either("debts").cast("int8")
        + t.detention.fill_null(False).cast("int8")
        + t.divorce.fill_null(False).cast("int8")
        + t.partner_death.fill_null(False).cast("int8")
        + t.high_costs.cast("int8")
    )
    return t.mutate(
        risk_factors=factors,
        risk_factors_3plus=(factors >= 3).cast("int8"),
        risk_factors_0=(factors == 0).cast("int8"),
        risk_factors_1=(factors == 1).cast("int8"),
        risk_factors_2=(factors == 2).cast("int8"),
    )


FAMILY = register(
    Family(
        name="live_birth",
        tables=(
            "persons",
            "parent_links",
            "addresses",
            "maternity_trajectories",
            "maternity_claims",
        ),
        parent_keys=parent_keys,
        build=build,
    )
)

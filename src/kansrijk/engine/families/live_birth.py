"""One row per live-born child of the data year (CBS persons with a legal parent link; the
mother, the father or both may be unknown): kraamzorg use (children with a known mother),
long hospital stay, the risk factors of the parents and the mother's predicted
multidimensional vulnerability (children with a known mother and a prediction).

Risk factors count at the mother, the father or both. Those fixed by the data are columns of
the unit table; those that depend on a definition's parameters (the windows of divorce and
of a partner's death, the gestational age assumed when it is unknown, the percent rank of
high costs) are derived per definition (``derive``) from the raw inputs in the unit table:
years since the latest divorce and death, the parents' costs of the two years before the
birth year, and the gestational age from the linked Perined record.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from kansrijk.engine.context import Context
from kansrijk.engine.families.base import (
    Family,
    Note,
    Parameters,
    parents_of,
    register,
    with_breakdowns,
    with_region,
)
from kansrijk.engine.vulnerability import (
    PREDICTIONS,
    UNIT_PROBABILITY_COLUMNS,
    probability_columns,
)
from kansrijk.reference.care_products import LONG_STAY_DBC

#: The definition parameters the risk factors are derived with (``derive``).
HIGH_COST_RANK = "high_cost_min_percent_rank"
ASSUMED_GESTATION = "assumed_gestational_days"
DIVORCE_YEARS = "divorce_years_before"
DEATH_YEARS = "partner_death_years_before"
RISK_OUTCOMES = ("risk_factors_3plus", "risk_factors_0", "risk_factors_1", "risk_factors_2")
#: Gestational ages the data contract allows (births.gestational_age_days): a pregnancy ending
#: in the data year began in that year or the year before, so its costs are of one of the two
#: years before the birth year.
MIN_GESTATION, MAX_GESTATION = 112, 315
#: The parents' attributes the risk factors (and 2023-11's vulnerability) read.
MOTHER_ATTRIBUTES = ("low_income", "ggz", "psych_med", "debts", "vulnerable")
FATHER_ATTRIBUTES = ("low_income", "ggz", "psych_med", "debts")


def live_births(ctx: Context) -> ir.Table:
    """Live births of the data years with a known mother: `all_live_births` filtered, so the
    two populations cannot drift apart."""
    b = all_live_births(ctx)
    return b.filter(b.mother_id.notnull())


def all_live_births(ctx: Context) -> ir.Table:
    """Every live birth of the data years (persons x legal parent links), parents known or
    not: the population of the risk factors (indicator 11)."""

    def build() -> ir.Table:
        j = ctx.children()
        j = j.mutate(year=j.born)
        j = j.filter(j.year.isin(list(ctx.years)))
        return j.select("child_id", "mother_id", "father_id", "year", "birth_date")

    return ctx.cached("all_live_births", build)


def parent_keys(ctx: Context) -> ir.Table:
    return parents_of(all_live_births(ctx))


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


def _parents(b: ir.Table) -> ir.Table:
    """(e_child, year, person_id, role) of every known parent of the units; role M or F."""
    mothers = b.filter(b.mother_id.notnull()).select(
        e_child=b.child_id, year=b.year, person_id=b.mother_id, role=ibis.literal("M")
    )
    fathers = b.filter(b.father_id.notnull()).select(
        e_child=b.child_id, year=b.year, person_id=b.father_id, role=ibis.literal("F")
    )
    return mothers.union(fathers)


def _gestation(ctx: Context, b: ir.Table) -> ir.Table:
    """Gestational age (days) of a CBS live birth: its Perined record, linked by the child's
    person id (the shortest when a link error gives several); NULL when none links."""
    p = ctx.data.table("births")
    p = p.filter(p.child_id.notnull())
    return p.group_by(g_child=p.child_id).aggregate(ga_known=p.gestational_age_days.min())


def _detention(ctx: Context, b: ir.Table) -> ir.Table:
    """Children with a parent detained in the birth year or the year before."""
    parents = _parents(b)
    d = ctx.data.table("detentions")
    detained = parents.join(
        d,
        [
            parents.person_id == d.person_id,
            d.start_date.year() <= parents.year,
            d.end_date.isnull() | (d.end_date.year() >= parents.year - 1),
        ],
    )
    return detained.select(g_child=detained.e_child, detention=ibis.literal(True)).distinct()


def _divorce(ctx: Context, b: ir.Table) -> ir.Table:
    """Per child: calendar years from a parent's latest divorce up to the birth year."""
    parents = _parents(b)
    v = ctx.data.table("divorces")
    # Either partner field: a divorce counts for both former partners, whether the extract
    # has one row per partner or one per divorce.
    sides = v.select(v_person=v.person_id, v_date=v.divorce_date).union(
        v.filter(v.partner_id.notnull()).select(v_person=v.partner_id, v_date=v.divorce_date)
    )
    j = parents.join(
        sides, [parents.person_id == sides.v_person, sides.v_date.year() <= parents.year]
    )
    return j.group_by(g_child=j.e_child).aggregate(
        divorce_years_ago=(j.year - j.v_date.year()).min()
    )


def _partner_death(ctx: Context, b: ir.Table) -> ir.Table:
    """Per child with both parents known: calendar years from the latest death of a parent
    (the other parent's partner) up to the birth year."""
    couples = b.filter(b.mother_id.notnull() & b.father_id.notnull())
    parents = _parents(couples)
    dead = ctx.data.table("deaths")
    j = parents.join(
        dead, [parents.person_id == dead.person_id, dead.death_date.year() <= parents.year]
    )
    return j.group_by(g_child=j.e_child).aggregate(
        partner_death_years_ago=(j.year - j.death_date.year()).min()
    )


def _costs(ctx: Context, b: ir.Table) -> ir.Table:
    """Per child: each known parent's Zvw costs excluding birth and maternity care in the
    year before the birth year (``*_cost_1``) and two years before (``*_cost_2``); NULL
    without a cost row."""
    parents = _parents(b)
    # The rows ``Context.attributes`` read for the run's parents (one pass over the table).
    c = ctx.parent_costs()
    j = parents.join(
        c,
        [
            parents.person_id == c.c_person,
            c.c_year >= parents.year - 2,
            c.c_year <= parents.year - 1,
        ],
    )

    def cost(role: str, back: int) -> ir.FloatingValue:
        return j.c_cost.max(where=(j.role == role) & (j.c_year == j.year - back))

    return j.group_by(g_child=j.e_child).aggregate(
        m_cost_1=cost("M", 1), m_cost_2=cost("M", 2), f_cost_1=cost("F", 1), f_cost_2=cost("F", 2)
    )


#: The inputs of the risk factors: (table read, per-child builder, the columns it adds).
#: A table the dataset lacks gives NULL columns: a run that computes indicator 11 requires
#: each (the definition's sources), one that computes only kraamzorg does not.
_RISK_INPUTS = (
    ("births", _gestation, {"ga_known": "int64"}),
    ("detentions", _detention, {"detention": "boolean"}),
    ("divorces", _divorce, {"divorce_years_ago": "int64"}),
    ("deaths", _partner_death, {"partner_death_years_ago": "int64"}),
    ("healthcare_costs", _costs, {f"{p}_cost_{k}": "float64" for p in "mf" for k in (1, 2)}),
)


def _with_risk_inputs(ctx: Context, b: ir.Table, base: ir.Table) -> ir.Table:
    """``b`` with the columns of ``_RISK_INPUTS``, built from the live births ``base``."""
    for table, builder, columns in _RISK_INPUTS:
        if ctx.data.has(table):
            part = builder(ctx, base)
            b = b.left_join(part, b.child_id == part.g_child).drop("g_child")
        else:
            b = b.mutate(**{name: ibis.null(kind) for name, kind in columns.items()})
    return b


def build(ctx: Context, attrs: ir.Table) -> ir.Table:
    b = all_live_births(ctx)
    # Region: the mother's address on 30 June; without a known mother the father's; neither
    # known: none (the unknown remainder NL00).
    b = b.mutate(region_parent=ibis.coalesce(b.mother_id, b.father_id))
    b = with_region(ctx, b, "region_parent", 6, 30).drop("region_parent")
    # Materialised: the kraamzorg, long-stay, event and cost branches all read it.
    base = b = ctx.materialise("live_birth_base", b)
    kz = _kraamzorg(ctx, b)
    b = b.left_join(kz, b.child_id == kz.k_child)
    if ctx.data.has("hospital_care_products"):
        # From ``base``: built from ``b`` it would carry the kraamzorg join into both of its
        # branches, and DuckDB would compute that join three times (1.2 s each at scale 1).
        stays = _long_stay(ctx, base)
        b = b.left_join(stays, b.child_id == stays.s_child)
        long_stay = b.s_child.notnull()
    else:
        long_stay = ibis.literal(False)
    mother_known = b.mother_id.notnull()
    b = b.mutate(
        # Kraamzorg is the mother's care: births without a known mother are outside the
        # population of no-kraamzorg (NULL).
        no_kraamzorg=ibis.ifelse(mother_known, b.k_child.isnull().cast("int8"), ibis.null("int8")),
        no_known_parent=(~mother_known & b.father_id.isnull()).cast("int8"),
        long_stay=long_stay,
    ).drop(*[c for c in ("k_child", "s_child") if c in b.columns])
    b = _with_risk_inputs(ctx, b, base)
    t = with_breakdowns(ctx, b, attrs, MOTHER_ATTRIBUTES, FATHER_ATTRIBUTES)

    def either(name: str) -> ir.BooleanValue:
        return t[f"m_{name}"].fill_null(False) | t[f"f_{name}"].fill_null(False)

    # The factors the parameters do not touch, counted once each when present at the
    # mother, the father or both (low income: household percentile 1-9).
    fixed = (
        either("low_income").cast("int8")
        + either("ggz").cast("int8")
        + either("psych_med").cast("int8")
        + either("debts").cast("int8")
        + t.detention.fill_null(False).cast("int8")
    )
    # Indicators 2023-11 / 2024-14: the mother's predicted multidimensional vulnerability in
    # the birth year (her attribute, kansrijk.engine.vulnerability); NULL without a known
    # mother or without a prediction: outside the population.
    t = t.mutate(fixed_risk_factors=fixed, multidim_vulnerable=t.m_vulnerable.cast("int8"))
    return _with_probabilities(ctx, t)


def _with_probabilities(ctx: Context, t: ir.Table) -> ir.Table:
    """``t`` with the mother's probability per imputation in the birth year
    (`UNIT_PROBABILITY_COLUMNS`, fixed point), for the interval of 2023-11 and 2024-14
    (``kansrijk.engine.intervals``); NULL wherever ``multidim_vulnerable`` is NULL."""
    if not ctx.data.has(PREDICTIONS):
        return t.mutate(**{c: ibis.null("int64") for c in UNIT_PROBABILITY_COLUMNS})
    p = probability_columns(ctx.data.table(PREDICTIONS)).rename(p_person="person_id", p_year="year")
    j = t.left_join(p, [t.mother_id == p.p_person, t.year == p.p_year])
    inside = j.multidim_vulnerable.notnull()
    return j.drop("p_person", "p_year").mutate(
        **{c: ibis.ifelse(inside, j[c], ibis.null("int64")) for c in UNIT_PROBABILITY_COLUMNS}
    )


def _check(params: Parameters) -> tuple[float, int, int, int]:
    """The risk-factor parameters, checked: ValueError naming the one out of range."""
    rank = float(params[HIGH_COST_RANK])
    gestation = int(params[ASSUMED_GESTATION])
    divorce = int(params[DIVORCE_YEARS])
    death = int(params[DEATH_YEARS])
    if not 0 < rank <= 1:
        raise ValueError(f"{HIGH_COST_RANK} must be in (0, 1], not {rank}")
    if not MIN_GESTATION <= gestation <= MAX_GESTATION:
        raise ValueError(
            f"{ASSUMED_GESTATION} must be {MIN_GESTATION}-{MAX_GESTATION} days, not {gestation}"
        )
    for name, years in ((DIVORCE_YEARS, divorce), (DEATH_YEARS, death)):
        if years < 0:
            raise ValueError(f"{name} must be 0 or more, not {years}")
    return rank, gestation, divorce, death


def derive(units: ir.Table, params: Parameters) -> ir.Table:
    """Add the risk-factor count and its 0/1/2/3+ outcomes with a definition's parameters.

    High costs: the costs (excluding birth and maternity care) of the year before the year
    the pregnancy began (birth date minus gestational age, the assumed one when no Perined
    record links), in the top of the data year's distribution over the children with that
    parent (percent rank, ties sharing the lowest rank, no cost row as 0), for the mother or
    the father. Divorce of a parent and death of a parent's partner: in the birth year or
    the given number of calendar years before.
    """
    rank, gestation, divorce, death = _check(params)
    t = units
    gestational_age = t.ga_known.fill_null(gestation).cast("int32")
    began = t.birth_date - gestational_age.as_interval("D")
    back = t.year - (began.year().cast("int32") - 1)  # 1 or 2 years before the birth year

    def high(role: str, known: ir.BooleanValue) -> ir.BooleanValue:
        cost = ibis.cases(
            (back == 1, t[f"{role}_cost_1"]), (back == 2, t[f"{role}_cost_2"])
        ).fill_null(0)
        window = ibis.window(group_by=[t.year, known], order_by=cost)
        return known & (ibis.percent_rank().over(window) >= rank)

    high_costs = high("m", t.mother_id.notnull()) | high("f", t.father_id.notnull())
    factors = (
        t.fixed_risk_factors
        + (t.divorce_years_ago <= divorce).fill_null(False).cast("int8")
        + (t.partner_death_years_ago <= death).fill_null(False).cast("int8")
        + high_costs.cast("int8")
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
        derived_outcomes=RISK_OUTCOMES,
        derive_parameters=(HIGH_COST_RANK, ASSUMED_GESTATION, DIVORCE_YEARS, DEATH_YEARS),
        derive=derive,
        mother_attributes=MOTHER_ATTRIBUTES,
        father_attributes=FATHER_ATTRIBUTES,
        notes=(
            Note(
                key="live_births_without_parents",
                column="no_known_parent",
                text="live births with neither parent known (in the denominator of "
                "2019-11 with 0 risk factors, region NL00)",
            ),
        ),
    )
)

"""Births: one row per child, live or stillborn, with the perinatal outcomes.

Per delivery: multiplicity, a very early birth (< 24 weeks), preterm birth,
first antenatal visit. Per child: sex, small for gestational age (a z-score of
weight for gestational age, turned into grams through the Hoftiezer chart),
stillbirth and infant death. Preterm, SGA and late start of care are
calibrated per year on the simulated mothers; everything else is a fixed
mechanism.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np
import pyarrow.csv as pacsv
from numpy.typing import NDArray
from scipy.special import ndtr, ndtri

from kansrijk.synth import targets
from kansrijk.synth.calibrate import sigmoid, solve_intercept
from kansrijk.synth.panel import Panel
from kansrijk.synth.people import Deliveries, Parents, year_start_day
from kansrijk.synth.rng import stream

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

TERM_DAY = 259  # 37+0 weeks
DAY_24_WEEKS = 168
CHART_FIRST, CHART_LAST = 161, 294
WEIGHT_MISSING_RATE = 0.006


@cache
def _chart() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Hoftiezer P1..P99 grams as arrays [sex(0=M,1=F), day-161, percentile-1]."""
    path = files("kansrijk.reference") / "data" / "hoftiezer2019_birthweight_percentiles_p1_p99.csv"
    table = pacsv.read_csv(str(path))
    sexes = table.column("sex").to_pylist()
    days = np.asarray(table.column("ga_days").to_pylist())
    grams = np.column_stack(
        [np.asarray(table.column(f"p{k}").to_pylist(), dtype=float) for k in range(1, 100)]
    )
    out = np.zeros((2, CHART_LAST - CHART_FIRST + 1, 99))
    for sex_index, sex in enumerate(("male", "female")):
        rows = np.array([s == sex for s in sexes])
        out[sex_index, days[rows] - CHART_FIRST] = grams[rows]
    return out, np.arange(1, 100, dtype=float)


def weight_from_percentile(
    sex_female: BoolArray, ga_days: IntArray, percentile: FloatArray
) -> FloatArray:
    """Grams at a percentile of the chart (days outside 161-294 use the nearest day)."""
    chart, _ = _chart()
    day = np.clip(ga_days, CHART_FIRST, CHART_LAST) - CHART_FIRST
    rows = chart[sex_female.astype(int), day]  # (n, 99)
    p = np.clip(percentile, 1.0, 99.0)
    lower = np.clip(np.floor(p).astype(int), 1, 98)
    frac = p - lower
    grams = rows[np.arange(p.size), lower - 1] * (1 - frac) + rows[np.arange(p.size), lower] * frac
    # Beyond P1/P99 extend the tails proportionally.
    grams = np.where(percentile < 1, rows[:, 0] * (0.82 + 0.18 * percentile), grams)
    out: FloatArray = np.where(percentile > 99, rows[:, 98] * (1 + 0.12 * (percentile - 99)), grams)
    return out


@dataclass
class Children:
    """Per child arrays (one row per child of every delivery)."""

    delivery: IntArray  # index into Deliveries
    mother: IntArray  # index into Parents
    father: IntArray  # index into Parents or -1
    year: IntArray
    day: IntArray
    multiplicity: IntArray
    birth_order: IntArray
    parity: IntArray
    ga_days: IntArray
    female: BoolArray
    percentile: FloatArray
    weight_g: FloatArray  # NaN = missing
    live_born: BoolArray
    mortality: IntArray
    death_day: IntArray  # -1 = alive through the first year
    first_visit: FloatArray  # NaN = missing; per delivery, repeated on each child


def simulate_births(
    seed: int, parents: Parents, deliveries: Deliveries, mother: IntArray, panel: Panel
) -> Children:
    """Simulate every delivery's children and their perinatal outcomes."""
    rng = stream(seed, "births")
    d = deliveries.year.size
    v = parents.v[mother]
    age = (deliveries.day - parents.birth_day[mother]) / 365.25
    nonwestern = np.isin(parents.migration[mother], [2, 3, 4, 5, 6])

    twin_p = 0.011 + 0.0006 * np.clip(age - 25, 0, 20)
    multiplicity = np.where(rng.random(d) < twin_p, 2, 1)
    multiplicity[rng.random(d) < 0.0003] = 3

    # Father: the partner, unless he died before conception.
    partner = parents.partner[mother]
    alive = (partner >= 0) & (panel.death_day[np.maximum(partner, 0)] > deliveries.day - 280)
    father = np.where(alive, partner, -1)

    # Gestational age per delivery.
    very_early = rng.random(d) < 0.0035 * np.exp(0.3 * v)
    eta_pre = 0.35 * v + 2.9 * (multiplicity > 1) + 0.25 * (age > 38) + 0.2 * (age < 20)
    preterm = np.zeros(d, dtype=bool)
    pre_series = targets.series("preterm", range(deliveries.year.min(), deliveries.year.max() + 1))
    for year in np.unique(deliveries.year):
        sel = (deliveries.year == year) & ~very_early
        # Children, not deliveries, are counted: weight by multiplicity.
        a = solve_intercept(
            eta_pre[sel], pre_series[int(year)] / 100, weights=multiplicity[sel].astype(float)
        )
        preterm[sel] = rng.random(int(sel.sum())) < sigmoid(a + eta_pre[sel])
    ga = np.where(
        rng.random(d) < 0.012,
        rng.integers(295, 302, d),
        np.clip(np.round(rng.normal(279.5, 8.5, d)), TERM_DAY, 301),
    )
    late_preterm = rng.random(d) < 0.72
    pre_days = np.where(
        late_preterm,
        rng.integers(238, TERM_DAY, d),
        np.clip(np.round(rng.gamma(9, 6.0, d) + 170), DAY_24_WEEKS, 237),
    )
    ga = np.where(preterm, pre_days, ga)
    ga = np.where(very_early, rng.integers(154, DAY_24_WEEKS, d), ga).astype(np.int64)

    # First antenatal visit (per pregnancy), calibrated per year on >= 24 weeks.
    eta_fv = 0.85 * v + 0.45 * nonwestern + 0.35 * (age < 20) + 0.25 * (deliveries.parity >= 3)
    late = np.zeros(d, dtype=bool)
    fv_series = targets.series(
        "care_after_week_10", range(deliveries.year.min(), deliveries.year.max() + 1)
    )
    fv_missing = rng.random(d) < 0.015
    for year in np.unique(deliveries.year):
        sel = (deliveries.year == year) & (ga >= DAY_24_WEEKS)
        target = fv_series[int(year)] / 100 / (1 - 0.015)
        a = solve_intercept(eta_fv[sel], target)
        late[sel] = rng.random(int(sel.sum())) < sigmoid(a + eta_fv[sel])
    sel = ga < DAY_24_WEEKS
    late[sel] = rng.random(int(sel.sum())) < 0.2
    visit = np.where(late, 71 + np.round(rng.gamma(1.4, 18, d)), rng.integers(42, 71, d))
    visit = np.minimum(visit, ga - 1).astype(float)
    visit[fv_missing] = np.nan

    # Expand to children.
    delivery = np.repeat(np.arange(d), multiplicity)
    n = delivery.size
    order = np.arange(n) - np.repeat(np.cumsum(multiplicity) - multiplicity, multiplicity) + 1
    female = rng.random(n) < 0.487
    c_ga = ga[delivery]
    c_v = v[delivery]
    c_pre = c_ga < TERM_DAY
    c_mult = multiplicity[delivery]

    # Weight-for-age z-score: SGA is more common in preterm and multiple births.
    eta_z = -0.22 * c_v - 0.55 * (c_mult > 1) - 0.45 * c_pre
    z = np.empty(n)
    sga_series = targets.series("sga", range(deliveries.year.min(), deliveries.year.max() + 1))
    c_year = deliveries.year[delivery]
    noise = rng.standard_normal(n)
    for year in np.unique(c_year):
        sel = (c_year == year) & (c_ga >= DAY_24_WEEKS)
        target = sga_series[int(year)] / 100 / (1 - WEIGHT_MISSING_RATE)
        # P(z < z10) = Phi(z10 - mu): solve the mean shift on the probit scale.
        a = -solve_intercept(-eta_z[sel] + ndtri(0.10), target, link="probit")
        z[sel] = a + eta_z[sel] + noise[sel]
    sel = c_ga < DAY_24_WEEKS
    z[sel] = -0.3 + noise[sel]
    percentile = 100 * ndtr(z)
    weight = np.round(weight_from_percentile(female, c_ga, percentile))
    weight = np.clip(weight, 250, 6200)
    weight[rng.random(n) < WEIGHT_MISSING_RATE] = np.nan

    # Stillbirths and infant deaths.
    very_pre = c_ga < 224
    p_still = np.where(
        c_ga < DAY_24_WEEKS, 0.55, np.where(very_pre, 0.06, np.where(c_pre, 0.012, 0.0012))
    )
    p_still = p_still * np.exp(0.2 * c_v) * np.where(percentile < 3, 2.5, 1.0)
    still = rng.random(n) < np.clip(p_still, 0, 0.95)
    mortality = np.zeros(n, dtype=np.int64)
    mortality[still] = np.where(rng.random(int(still.sum())) < 0.85, 1, 2)
    p_neo = np.where(
        c_ga < DAY_24_WEEKS, 0.5, np.where(very_pre, 0.05, np.where(c_pre, 0.005, 0.0007))
    )
    u = rng.random(n)
    neo_early = ~still & (u < p_neo * 0.75)
    neo_late = ~still & ~neo_early & (u < p_neo)
    infant = ~still & ~neo_early & ~neo_late & (rng.random(n) < 0.0012 * np.exp(0.3 * c_v))
    mortality[neo_early] = 3
    mortality[neo_late] = 4
    mortality[infant] = 5
    mortality[~still & (mortality == 0) & (rng.random(n) < 0.0008)] = 9
    c_day = deliveries.day[delivery]
    death_day = np.full(n, -1, dtype=np.int64)
    death_day[neo_early] = c_day[neo_early] + rng.integers(0, 7, int(neo_early.sum()))
    death_day[neo_late] = c_day[neo_late] + rng.integers(7, 28, int(neo_late.sum()))
    death_day[infant] = c_day[infant] + rng.integers(28, 365, int(infant.sum()))

    return Children(
        delivery=delivery,
        mother=mother[delivery],
        father=father[delivery],
        year=c_year,
        day=c_day,
        multiplicity=c_mult.astype(np.int64),
        birth_order=order.astype(np.int64),
        parity=deliveries.parity[delivery],
        ga_days=c_ga,
        female=female,
        percentile=percentile,
        weight_g=weight,
        live_born=~still,
        mortality=mortality,
        death_day=death_day,
        first_visit=visit[delivery],
    )


def day_of_year(day: IntArray, year: IntArray) -> IntArray:
    """0-based day within the year."""
    out: IntArray = day - year_start_day(year)
    return out

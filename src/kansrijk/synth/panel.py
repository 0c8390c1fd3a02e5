"""Socio-economic histories of parents: one value per person and year.

Every series is driven by the person's latent vulnerability ``v`` plus a
persistent personal component, so the same people are poor, indebted or in
mental health care year after year, and these problems cluster. Debt
intercepts are calibrated on the mothers delivering in each year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr

from kansrijk.synth import targets
from kansrijk.synth.calibrate import sigmoid, solve_intercept
from kansrijk.synth.people import NEVER, Deliveries, Parents, year_start_day
from kansrijk.synth.rng import stream

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Share of births whose mother cannot be linked (NULL mother_id in births).
MISSING_MOTHER_ID_RATE = 0.012
CLUSTER_THRESHOLD = 1.6
CLUSTER_SHIFT = 0.95
INCOME_TREND = 0.05


@dataclass
class Panel:
    """Person-year arrays of shape (n_parents, n_years) for ``years``."""

    years: range
    income_percentile: NDArray[np.int16]  # 1..100 or -3..-1; 0 = no row
    cohabiting: BoolArray
    arrears: BoolArray
    ggz_cost: NDArray[np.float32]
    psych_medication: BoolArray
    cost_total: NDArray[np.float32]
    cost_gp: NDArray[np.float32]
    cost_hospital: NDArray[np.float32]
    cost_maternity: NDArray[np.float32]
    wsnp_start: IntArray  # day numbers; -1 = none (one spell per person at most)
    wsnp_end: IntArray
    detention_start: IntArray
    detention_end: IntArray
    death_day: IntArray  # NEVER if alive

    def col(self, year: int) -> int:
        return year - self.years.start

    def in_wsnp(self, year: int) -> BoolArray:
        start = year_start_day(year)
        end = year_start_day(year + 1)
        out: BoolArray = (
            (self.wsnp_start >= 0)
            & (self.wsnp_start < end)
            & ((self.wsnp_end < 0) | (self.wsnp_end >= start))
        )
        return out


def _mothers_delivering(deliveries: Deliveries, mother_index: IntArray, year: int) -> IntArray:
    out: IntArray = mother_index[deliveries.year == year]
    return out


def build_panel(
    seed: int,
    parents: Parents,
    deliveries: Deliveries,
    mother_index: IntArray,
    years: range,
    data_end_day: int,
) -> Panel:
    """Simulate the yearly histories of every parent over ``years``."""
    n, t = parents.v.size, len(years)
    # A small group of multiply vulnerable people: problems cluster beyond what
    # the continuous latent gives (RIVM's latent class work finds such a class).
    v = parents.v + CLUSTER_SHIFT * (parents.v > CLUSTER_THRESHOLD)
    rng = stream(seed, "panel")
    is_mother = np.arange(n) < parents.n_mothers
    partner = parents.partner

    # Cohabitation per year (couples stop living together at separation).
    year_starts = year_start_day(np.arange(years.start, years.stop))
    cohabiting = parents.cohabiting[:, None] & (
        parents.separation_day[:, None] > year_starts[None, :] + 181
    )

    # Household income: latent score with a persistent part and AR(1) noise.
    persistent = rng.normal(0, 0.45, n)
    noise = np.empty((n, t))
    noise[:, 0] = rng.normal(0, 0.35, n)
    for j in range(1, t):
        noise[:, j] = 0.7 * noise[:, j - 1] + rng.normal(0, 0.35 * np.sqrt(1 - 0.49), n)
    # Households with young children got somewhat richer relative to the country
    # over 2015-2020 (fewer poor parents), which lowers clustered risk over time.
    trend = INCOME_TREND * (np.clip(np.arange(years.start, years.stop), 2015, 2019) - 2018)
    score = (-0.85 * v)[:, None] + persistent[:, None] + noise - 0.55 * ~cohabiting + trend
    # A couple shares one household income: fathers take their partner's score.
    fathers = np.flatnonzero(~is_mother & (partner >= 0))
    share = cohabiting[fathers]
    score[fathers] = np.where(share, score[partner[fathers]], score[fathers])
    z = score / score.std()
    income = np.ceil(100 * ndtr(z)).clip(1, 100).astype(np.int16)
    special = rng.random((n, t))
    non_western = np.isin(parents.migration, [2, 3, 4, 5, 6])[:, None]
    income[special < np.where(non_western, 0.018, 0.004)] = -1
    income[(special > 0.9990)] = -2
    income[(special > 0.9996)] = -3
    income[rng.random((n, t)) < 0.008] = 0  # no INHATAB row

    # Deaths (rare): after the person's first delivery year starts.
    first_day = np.full(n, NEVER, dtype=np.int64)
    np.minimum.at(first_day, mother_index, deliveries.day)
    has_p = partner[: parents.n_mothers] >= 0
    first_day[partner[: parents.n_mothers][has_p]] = first_day[: parents.n_mothers][has_p]
    hazard = np.where(is_mother, 0.00035, 0.0009) * np.exp(0.5 * v)
    death_day = first_day - 270 + (rng.exponential(1 / hazard) * 365.25).astype(np.int64)
    last_delivery = np.full(n, -NEVER, dtype=np.int64)
    np.maximum.at(last_delivery, mother_index, deliveries.day)
    death_day = np.where(is_mother, np.maximum(death_day, last_delivery + 30), death_day)
    death_day = np.where(death_day > data_end_day, NEVER, death_day)

    # WSNP: at most one spell; yearly start hazard calibrated on delivering mothers.
    low_income = (income >= 1) & (income < 10)
    wsnp_start = np.full(n, -1, dtype=np.int64)
    wsnp_end = np.full(n, -1, dtype=np.int64)
    eta_w = 1.7 * v + rng.normal(0, 0.6, n)
    wsnp_series = targets.series("debts_wsnp", years)
    for j, year in enumerate(years):
        mothers = _mothers_delivering(deliveries, mother_index, year)
        pool = mothers if mothers.size else np.arange(parents.n_mothers)
        start_rate = max(wsnp_series[year] / 100 / 3.0, 1e-5)
        a = solve_intercept(eta_w[pool] + 0.7 * low_income[pool, j], start_rate)
        p = sigmoid(a + eta_w + 0.7 * low_income[:, j])
        starts = (rng.random(n) < p) & (wsnp_start < 0)
        day = year_starts[j] + rng.integers(0, 365, n)
        wsnp_start[starts] = day[starts]
        length = rng.integers(540, 1100, n)
        wsnp_end[starts] = day[starts] + length[starts]
    open_spell = wsnp_end > data_end_day
    wsnp_end[open_spell] = -1

    # Premium arrears: calibrated so that debts (WSNP or arrears) hit the target.
    arrears = np.zeros((n, t), dtype=bool)
    eta_a = 1.25 * v + rng.normal(0, 1.1, n)
    debts_series = targets.series("debts", years)
    for j, year in enumerate(years):
        in_wsnp = (
            (wsnp_start >= 0)
            & (wsnp_start < year_starts[j] + 365)
            & ((wsnp_end < 0) | (wsnp_end >= year_starts[j]))
        )
        mothers = _mothers_delivering(deliveries, mother_index, year)
        pool = mothers if mothers.size else np.arange(parents.n_mothers)
        pool = pool[~in_wsnp[pool]]
        linked = 1 - MISSING_MOTHER_ID_RATE
        wsnp_rate = float(np.mean(in_wsnp[mothers])) if mothers.size else 0.0
        target = (debts_series[year] / 100 / linked - wsnp_rate) / max(1 - wsnp_rate, 1e-9)
        eta = eta_a + 0.6 * low_income[:, j]
        a = solve_intercept(eta[pool], min(max(target, 1e-5), 0.5))
        arrears[:, j] = (rng.random(n) < sigmoid(a + eta)) & ~in_wsnp

    # Mental health care and psychotropic medication.
    u_ggz = rng.normal(0, 0.9, n)
    eta_g = 0.85 * v + u_ggz
    a_g = np.where(
        is_mother,
        solve_intercept(eta_g[is_mother], 0.09),
        solve_intercept(eta_g[~is_mother], 0.065),
    )
    ggz = rng.random((n, t)) < sigmoid((a_g + eta_g)[:, None] + rng.normal(0, 0.4, (n, t)))
    ggz_cost = np.where(ggz, rng.lognormal(np.log(1500), 1.0, (n, t)), 0).astype(np.float32)
    u_med = rng.normal(0, 0.8, n)
    eta_m = 0.7 * v + u_med
    a_m = np.where(
        is_mother, solve_intercept(eta_m[is_mother], 0.04), solve_intercept(eta_m[~is_mother], 0.03)
    )
    med = rng.random((n, t)) < sigmoid((a_m + eta_m)[:, None] + 1.7 * ggz)

    # Costs: GP, hospital, maternity (delivery year and late pregnancy), other.
    cost_gp = rng.lognormal(np.log(180) + 0.15 * v[:, None], 0.6, (n, t)).astype(np.float32)
    hospital_any = rng.random((n, t)) < sigmoid(-1.2 + 0.2 * v[:, None])
    cost_hospital = np.where(hospital_any, rng.lognormal(np.log(1400), 1.2, (n, t)), 0)
    cost_maternity = np.zeros((n, t), dtype=np.float32)
    d_col = deliveries.year - years.start
    in_range = (d_col >= 0) & (d_col < t)
    amounts = rng.lognormal(np.log(3200), 0.35, deliveries.year.size)
    np.add.at(cost_maternity, (mother_index[in_range], d_col[in_range]), amounts[in_range])
    doy = deliveries.day - year_start_day(deliveries.year)
    early = in_range & (doy < 150) & (d_col >= 1)
    np.add.at(cost_maternity, (mother_index[early], d_col[early] - 1), 0.3 * amounts[early])
    other = rng.lognormal(np.log(350) + 0.2 * v[:, None], 1.0, (n, t))
    cost_total = (cost_gp + cost_hospital + cost_maternity + ggz_cost + other).astype(np.float32)

    # Detention: short spells, mostly fathers.
    det_start = np.full(n, -1, dtype=np.int64)
    det_end = np.full(n, -1, dtype=np.int64)
    base = np.where(is_mother, -8.2, -6.0) + 1.4 * v
    for j in range(t):
        starts = (rng.random(n) < sigmoid(base)) & (det_start < 0)
        day = year_starts[j] + rng.integers(0, 365, n)
        det_start[starts] = day[starts]
        det_end[starts] = day[starts] + rng.integers(14, 300, n)[starts]
    det_end[det_end > data_end_day] = -1

    return Panel(
        years=years,
        income_percentile=income,
        cohabiting=cohabiting,
        arrears=arrears,
        ggz_cost=ggz_cost,
        psych_medication=med,
        cost_total=cost_total,
        cost_gp=cost_gp,
        cost_hospital=cost_hospital.astype(np.float32),
        cost_maternity=cost_maternity,
        wsnp_start=wsnp_start,
        wsnp_end=wsnp_end,
        detention_start=det_start,
        detention_end=det_end,
        death_day=death_day.astype(np.int64),
    )

"""Parents: a pool of women, who of them deliver in which year, and their partners.

Each woman carries a latent vulnerability ``v`` (standard normal overall) that
shifts her age at childbirth, her migration background mix and, in other
modules, her income, debts, mental health and care use. Deliveries are drawn
per year without replacement from the pool, weighted by an age-fertility curve,
so parity and repeated births arise naturally.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kansrijk.registry.contract import MIGRATION_CODES
from kansrijk.synth.rng import stream

DAYS_PER_YEAR = 365.25
EPOCH_YEAR = 1970

#: Live births per year in the Netherlands (CBS StatLine, rounded); the
#: generator produces about this many children per year at scale 1.0.
LIVE_BIRTHS: dict[int, int] = {
    2013: 171_300,
    2014: 175_200,
    2015: 170_500,
    2016: 172_500,
    2017: 169_800,
    2018: 168_500,
    2019: 169_700,
    2020: 168_700,
    2021: 179_700,
    2022: 167_500,
    2023: 163_900,
    2024: 165_000,
    2025: 164_000,
}
#: Children per delivery (twins ~1.7%) and stillbirths lift rows slightly above
#: deliveries; we size deliveries so that live births match LIVE_BIRTHS.
CHILDREN_PER_DELIVERY = 1.017

MIGRATION = MIGRATION_CODES  # contract codes, in the order of MIGRATION_SHARE
MIGRATION_SHARE = np.array([0.70, 0.09, 0.045, 0.04, 0.03, 0.012, 0.078, 0.005])
#: Mean latent vulnerability by migration background (before standardising).
MIGRATION_V_SHIFT = np.array([-0.12, -0.05, 0.55, 0.45, 0.35, 0.55, 0.55, 0.3])


IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def year_start_day(year: int | IntArray) -> IntArray:
    """Days since 1970-01-01 of 1 January of ``year`` (vectorised)."""
    y = np.asarray(year, dtype="int64")
    out: IntArray = (
        np.asarray(y - EPOCH_YEAR, dtype="datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    )
    return out


def day_year(day: IntArray) -> IntArray:
    """Calendar year of a day number (vectorised)."""
    out: IntArray = day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    return out


@dataclass
class Women:
    """The pool of potential mothers (all arrays indexed by woman)."""

    v: FloatArray
    birth_day: IntArray
    migration: IntArray
    atom: IntArray
    prior_parity: IntArray


@dataclass
class Deliveries:
    """Deliveries (one per pregnancy ending in a birth), sorted by year."""

    mother: IntArray  # index into Women
    year: IntArray
    day: IntArray  # delivery date as day number
    parity: IntArray  # earlier births of the mother


def deliveries_per_year(years: range, scale: float) -> dict[int, int]:
    """Number of deliveries to simulate per year."""
    return {
        y: max(1, round(LIVE_BIRTHS.get(y, 165_000) * scale / CHILDREN_PER_DELIVERY)) for y in years
    }


def make_women(seed: int, years: range, scale: float, atom_weights: FloatArray) -> Women:
    """A pool of women of reproductive age over ``years`` (unused ones are dropped later)."""
    rng = stream(seed, "women")
    per_year = deliveries_per_year(years, scale)
    # Women whose fertile ages (16-47) overlap the window, about 2.6 per delivery
    # in a typical year of the window, so births per woman stay realistic.
    n = int(2.6 * np.mean(list(per_year.values())) * (len(years) + 30) / 14)
    migration = rng.choice(len(MIGRATION), size=n, p=MIGRATION_SHARE / MIGRATION_SHARE.sum())
    v = rng.standard_normal(n) + MIGRATION_V_SHIFT[migration]
    v = (v - v.mean()) / v.std()
    first, last = years.start, years.stop - 1
    birth_year = rng.uniform(first - 47, last - 15, size=n)
    birth_day = year_start_day(np.floor(birth_year).astype(np.int64)) + (
        (birth_year % 1) * DAYS_PER_YEAR
    ).astype(np.int64)
    atom = rng.choice(atom_weights.size, size=n, p=atom_weights)
    age_at_start = first - birth_year
    # Births before the window: Poisson with the cumulative fertility by that age.
    cumulative = np.clip((age_at_start - 18) / 20, 0, 1) * 1.7 * np.exp(0.15 * v)
    prior_parity = rng.poisson(np.maximum(cumulative, 0)).astype(np.int64)
    return Women(
        v=v,
        birth_day=birth_day.astype(np.int64),
        migration=migration.astype(np.int64),
        atom=atom.astype(np.int64),
        prior_parity=prior_parity,
    )


def draw_deliveries(seed: int, women: Women, years: range, scale: float) -> Deliveries:
    """Who delivers in which year: weighted sampling without replacement per year."""
    per_year = deliveries_per_year(years, scale)
    n = women.v.size
    births_so_far = women.prior_parity.copy()
    last_year = np.full(n, -9999, dtype=np.int64)
    out_mother, out_year, out_day, out_parity = [], [], [], []
    birth_year = day_year(women.birth_day)
    preferred_age = 31.0 - 1.6 * women.v
    for year in years:
        rng = stream(seed, "deliveries", year)
        age = year - birth_year
        weight = np.exp(-0.5 * ((age - preferred_age) / 5.0) ** 2)
        weight[(age < 15) | (age > 47)] = 0.0
        weight[last_year == year - 1] *= 0.12
        # Larger families get rarer with each child already born.
        weight *= np.exp(-0.45 * np.maximum(births_so_far - 1, 0))
        k = per_year[year]
        eligible = np.flatnonzero(weight > 0)
        keys = np.log(weight[eligible]) + rng.gumbel(size=eligible.size)
        chosen = eligible[np.argpartition(-keys, k - 1)[:k]]
        chosen.sort()
        day = year_start_day(year) + rng.integers(0, 365 + (year % 4 == 0), size=k)
        out_mother.append(chosen)
        out_year.append(np.full(k, year, dtype=np.int64))
        out_day.append(day.astype(np.int64))
        out_parity.append(births_so_far[chosen].copy())
        births_so_far[chosen] += 1
        last_year[chosen] = year
    return Deliveries(
        mother=np.concatenate(out_mother).astype(np.int64),
        year=np.concatenate(out_year),
        day=np.concatenate(out_day),
        parity=np.concatenate(out_parity).astype(np.int64),
    )


@dataclass
class Parents:
    """Mothers who delivered and their partners, as one person array.

    Index ``0..n_mothers-1`` are mothers, the rest fathers. ``partner`` is the
    father's index for a mother (-1 if none) and the mother's for a father.
    """

    n_mothers: int
    v: FloatArray
    sex: NDArray[np.str_]
    birth_day: IntArray
    migration: IntArray
    atom: IntArray
    partner: IntArray
    cohabiting: NDArray[np.bool_]  # mother lives with the father at the first delivery
    married: NDArray[np.bool_]
    separation_day: IntArray  # day the couple separates (huge if never)
    education: IntArray  # 0 low, 1 middle, 2 high


NEVER = 10**6  # a day number far in the future


def make_parents(seed: int, women: Women, deliveries: Deliveries) -> tuple[Parents, IntArray]:
    """Keep the women who delivered, add partners; returns parents and the
    mother index of every delivery in the new numbering."""
    rng = stream(seed, "partners")
    used, new_index = np.unique(deliveries.mother, return_inverse=True)
    m = used.size
    v_m = women.v[used]
    has_father = rng.random(m) < 1 / (1 + np.exp(-(3.4 - 0.9 * v_m)))
    fathers_of = np.flatnonzero(has_father)
    f = fathers_of.size
    v_f = 0.45 * v_m[fathers_of] + np.sqrt(1 - 0.45**2) * rng.standard_normal(f)
    age_gap = rng.normal(2.6, 3.8, size=f)
    f_birth = women.birth_day[used][fathers_of] - (age_gap * DAYS_PER_YEAR).astype(np.int64)
    same_background = rng.random(f) < 0.82
    f_migration = np.where(
        same_background,
        women.migration[used][fathers_of],
        rng.choice(len(MIGRATION), size=f, p=MIGRATION_SHARE / MIGRATION_SHARE.sum()),
    )
    cohabiting_m = np.zeros(m, dtype=bool)
    cohabiting_m[fathers_of] = rng.random(f) < 1 / (1 + np.exp(-(2.9 - 0.8 * v_m[fathers_of])))
    married_m = cohabiting_m & (rng.random(m) < 1 / (1 + np.exp(-(0.4 - 0.5 * v_m))))
    # Separation: yearly hazard from the first delivery on, higher with vulnerability.
    first_delivery = np.full(m, NEVER, dtype=np.int64)
    np.minimum.at(first_delivery, new_index, deliveries.day)
    hazard = 0.022 * np.exp(0.45 * v_m)
    wait_years = rng.exponential(1 / hazard)
    separation = np.where(
        cohabiting_m, first_delivery - 400 + (wait_years * DAYS_PER_YEAR).astype(np.int64), NEVER
    )
    separation = np.minimum(separation, NEVER)

    n = m + f
    partner = np.full(n, -1, dtype=np.int64)
    partner[fathers_of] = m + np.arange(f)
    partner[m + np.arange(f)] = fathers_of
    v = np.concatenate([v_m, v_f])
    education = np.digitize(
        -0.8 * v + 0.6 * rng.standard_normal(n) + rng.normal(0, 0.2), [-0.55, 0.35]
    )
    parents = Parents(
        n_mothers=m,
        v=v,
        sex=np.concatenate([np.full(m, "F"), np.full(f, "M")]),
        birth_day=np.concatenate([women.birth_day[used], f_birth]),
        migration=np.concatenate([women.migration[used], f_migration]),
        atom=np.concatenate([women.atom[used], women.atom[used][fathers_of]]),
        partner=partner,
        cohabiting=np.concatenate([cohabiting_m, cohabiting_m[fathers_of]]),
        married=np.concatenate([married_m, married_m[fathers_of]]),
        separation_day=np.concatenate([separation, separation[fathers_of]]),
        education=education.astype(np.int64),
    )
    return parents, new_index.astype(np.int64)

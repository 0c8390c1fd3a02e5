"""Care around and after birth: kraamzorg claims, long hospital stays, youth
protection and youth care, and the JGZ contact at age two."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np
import pyarrow.csv as pacsv
from numpy.typing import NDArray

from kansrijk.synth import targets
from kansrijk.synth.births import TERM_DAY, Children
from kansrijk.synth.calibrate import sigmoid, solve_intercept
from kansrijk.synth.panel import Panel
from kansrijk.synth.people import Deliveries, Parents, day_year, year_start_day
from kansrijk.synth.rng import stream

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Other care products (not long stay) that appear around births.
OTHER_DBC = ("990016381", "990017009", "990017010", "159899010", "990004013")


def _parent_flags(
    panel: Panel, parents: Parents, person: IntArray, year: IntArray
) -> dict[str, BoolArray]:
    col = np.clip(year - panel.years.start, 0, len(panel.years) - 1)
    income = panel.income_percentile[person, col]
    wsnp = (
        (panel.wsnp_start[person] >= 0)
        & (panel.wsnp_start[person] < year_start_day(year + 1))
        & ((panel.wsnp_end[person] < 0) | (panel.wsnp_end[person] >= year_start_day(year)))
    )
    return {
        "low_income": (income >= 1) & (income < 10),
        "debts": panel.arrears[person, col] | wsnp,
        "ggz": panel.ggz_cost[person, col] > 0,
        "single": ~panel.cohabiting[person, col],
    }


@dataclass
class Kraamzorg:
    """Per delivery: kraamzorg used, long stay, and who had the long stay."""

    used: BoolArray
    long_stay: BoolArray
    long_stay_child: BoolArray  # the DBC is on the (first) child rather than the mother


def simulate_kraamzorg(
    seed: int,
    parents: Parents,
    deliveries: Deliveries,
    mother: IntArray,
    children: Children,
    panel: Panel,
) -> Kraamzorg:
    """Whether each delivery's family uses kraamzorg (calibrated per year on live births)."""
    rng = stream(seed, "kraamzorg")
    d = deliveries.year.size
    live_children = np.bincount(children.delivery, weights=children.live_born, minlength=d)
    ga = np.zeros(d, dtype=np.int64)
    ga[children.delivery] = children.ga_days
    p_long = np.where(ga < 224, 0.6, np.where(ga < TERM_DAY, 0.1, 0.004))
    long_stay = rng.random(d) < p_long
    flags = _parent_flags(panel, parents, mother, deliveries.year)
    v = parents.v[mother]
    nonwestern = np.isin(parents.migration[mother], [2, 3, 4, 5, 6])
    eta = (
        0.55 * v
        + 0.55 * flags["low_income"]
        + 0.45 * flags["debts"]
        + 0.6 * flags["single"]
        + 0.45 * nonwestern
        + 2.2 * long_stay
        + 0.15 * (deliveries.parity >= 2)
    )
    used = np.ones(d, dtype=bool)
    series = targets.series(
        "no_kraamzorg", range(int(deliveries.year.min()), int(deliveries.year.max()) + 1)
    )
    for year in np.unique(deliveries.year):
        sel = (deliveries.year == year) & (live_children > 0)
        a = solve_intercept(eta[sel], series[int(year)] / 100, weights=live_children[sel])
        used[sel] = rng.random(int(sel.sum())) >= sigmoid(a + eta[sel])
    used[live_children == 0] = rng.random(int((live_children == 0).sum())) < 0.3
    return Kraamzorg(used=used, long_stay=long_stay, long_stay_child=rng.random(d) < 0.6)


@dataclass
class Placements:
    """Youth protection and youth care spells (person index = child index)."""

    protection_child: IntArray
    protection_code: IntArray
    protection_start: IntArray
    protection_end: IntArray  # -1 = open
    care_child: IntArray
    care_code: IntArray
    care_start: IntArray
    care_end: IntArray


def _counted(placed_day: IntArray, overlap_end: IntArray, year: IntArray) -> BoolArray:
    out: BoolArray = (placed_day < year_start_day(year + 1)) & (overlap_end >= year_start_day(year))
    return out


def simulate_placements(
    seed: int, parents: Parents, children: Children, panel: Panel, data_end_day: int
) -> Placements:
    """Out-of-home placements under 2 (measure overlapping residential care) plus
    measures without placement, voluntary care and non-overlapping pairs."""
    rng = stream(seed, "placements")
    n = children.year.size
    flags_m = _parent_flags(panel, parents, children.mother, children.year)
    has_f = children.father >= 0
    flags_f = _parent_flags(panel, parents, np.maximum(children.father, 0), children.year)
    ggz = flags_m["ggz"] | (has_f & flags_f["ggz"])
    eta = (
        1.35 * parents.v[children.mother]
        + 0.5 * flags_m["low_income"]
        + 0.6 * flags_m["debts"]
        + 0.5 * ggz
        + 0.6 * flags_m["single"]
    )
    age = np.where(rng.random(n) < 0.35, rng.integers(0, 30, n), rng.integers(30, 730, n))
    placed_day = children.day + age
    measure_start = placed_day - rng.integers(0, 45, n)
    measure_end = measure_start + rng.integers(250, 1200, n)
    care_end = placed_day + rng.integers(120, 1000, n)
    overlap_end = np.minimum(measure_end, care_end)
    eligible = children.live_born & ((children.death_day < 0) | (children.death_day > placed_day))
    contribution = _counted(placed_day, overlap_end, children.year).astype(float) + _counted(
        placed_day, overlap_end, children.year + 1
    )
    series = targets.series(
        "placements_per_1000", range(int(children.year.min()), int(children.year.max()) + 2)
    )
    placed = np.zeros(n, dtype=bool)
    for year in np.unique(children.year):
        sel = (children.year == year) & children.live_born
        target = (series[int(year)] + series[int(year) + 1]) / 1000
        pool_weights = contribution[sel] * eligible[sel]
        # mean(q_i * c_i) = target  <=>  weighted mean of q_i with weights c_i.
        share = pool_weights.mean()
        a = solve_intercept(
            eta[sel], min(target / max(share, 1e-9), 0.5), weights=pool_weights + 1e-12
        )
        placed[sel] = eligible[sel] & (rng.random(int(sel.sum())) < sigmoid(a + eta[sel]))

    idx = np.flatnonzero(placed)
    p_child = [idx]
    p_code = [
        np.where(
            rng.random(idx.size) < 0.82,
            rng.choice([11, 12], idx.size),
            rng.choice([21, 22, 23], idx.size),
        )
    ]
    p_start = [measure_start[idx]]
    p_end = [measure_end[idx]]
    c_child = [idx]
    c_code = [rng.choice([11, 12, 13, 14], idx.size, p=[0.55, 0.2, 0.1, 0.15])]
    c_start = [placed_day[idx]]
    c_end = [care_end[idx]]

    live = np.flatnonzero(children.live_born & ~placed)
    # Supervision without placement (common), voluntary residential care, and
    # pairs that do not overlap (care ended before the measure began).
    risk = sigmoid(-5.6 + 1.3 * parents.v[children.mother[live]])
    ots = live[rng.random(live.size) < risk]
    start = children.day[ots] + rng.integers(0, 700, ots.size)
    p_child.append(ots)
    p_code.append(rng.choice([11, 12, 31, 32], ots.size))
    p_start.append(start)
    p_end.append(start + rng.integers(200, 900, ots.size))
    voluntary = live[rng.random(live.size) < 0.0012]
    start = children.day[voluntary] + rng.integers(0, 700, voluntary.size)
    c_child.append(voluntary)
    c_code.append(rng.choice([11, 12, 13, 14], voluntary.size))
    c_start.append(start)
    c_end.append(start + rng.integers(60, 400, voluntary.size))
    apart = live[rng.random(live.size) < 0.0006]
    care_start = children.day[apart] + rng.integers(0, 200, apart.size)
    care_stop = care_start + rng.integers(30, 120, apart.size)
    c_child.append(apart)
    c_code.append(rng.choice([11, 12], apart.size))
    c_start.append(care_start)
    c_end.append(care_stop)
    p_child.append(apart)
    p_code.append(np.full(apart.size, 11))
    p_start.append(care_stop + rng.integers(10, 300, apart.size))
    p_end.append(care_stop + rng.integers(400, 900, apart.size))
    ambulant = live[rng.random(live.size) < 0.02]
    start = children.day[ambulant] + rng.integers(0, 700, ambulant.size)
    c_child.append(ambulant)
    c_code.append(rng.choice([21, 22, 23, 31, 32, 41], ambulant.size))
    c_start.append(start)
    c_end.append(start + rng.integers(30, 500, ambulant.size))

    def _open(ends: IntArray) -> IntArray:
        return np.where(ends > data_end_day, -1, ends)

    prot_start = np.concatenate(p_start)
    keep_p = prot_start <= data_end_day
    care_s = np.concatenate(c_start)
    keep_c = care_s <= data_end_day
    return Placements(
        protection_child=np.concatenate(p_child)[keep_p],
        protection_code=np.concatenate(p_code).astype(np.int64)[keep_p],
        protection_start=prot_start[keep_p],
        protection_end=_open(np.concatenate(p_end))[keep_p],
        care_child=np.concatenate(c_child)[keep_c],
        care_code=np.concatenate(c_code).astype(np.int64)[keep_c],
        care_start=care_s[keep_c],
        care_end=_open(np.concatenate(c_end))[keep_c],
    )


@cache
def _iotf_overweight() -> tuple[FloatArray, FloatArray, FloatArray]:
    path = files("kansrijk.reference") / "data" / "iotf_cole2000_cole2007_bmi_cutoffs.csv"
    table = pacsv.read_csv(str(path))
    sex = np.asarray(table.column("sex").to_pylist())
    age = np.asarray(table.column("age_years").to_pylist(), dtype=float)
    cut = np.asarray(table.column("bmi25_overweight").to_pylist(), dtype=float)
    return age[sex == "male"], cut[sex == "male"], cut[sex == "female"]


def overweight_cutoff(female: BoolArray, age_years: FloatArray) -> FloatArray:
    """IOTF (Cole 2000) overweight cut-off at exact age, linearly interpolated."""
    ages, male_cut, female_cut = _iotf_overweight()
    out: FloatArray = np.where(
        female, np.interp(age_years, ages, female_cut), np.interp(age_years, ages, male_cut)
    )
    return out


N_JGZ = 36


@dataclass
class JgzContacts:
    child: IntArray
    organisation: IntArray  # 1..36
    day: IntArray
    age_days: IntArray
    two_word: NDArray[np.object_]  # True/False/None
    body_parts: NDArray[np.object_]
    height_cm: FloatArray  # NaN = missing
    weight_kg: FloatArray


def jgz_organisation_of_atoms(atom_weights: FloatArray, atom_province: tuple[str, ...]) -> IntArray:
    """Assign atoms to 36 JGZ organisations of roughly equal size, by province."""
    order = np.lexsort((np.arange(atom_weights.size), np.array(atom_province)))
    cumulative = np.cumsum(atom_weights[order])
    org = np.minimum((cumulative / cumulative[-1] * N_JGZ).astype(np.int64), N_JGZ - 1) + 1
    out: IntArray = np.empty_like(org)
    out[order] = org
    return out


def simulate_jgz(
    seed: int, parents: Parents, children: Children, atom_org: IntArray, years: range, scale: float
) -> JgzContacts:
    """The contact around age two for children in organisations that deliver data."""
    rng = stream(seed, "jgz")
    n = children.year.size
    age_days = np.clip(np.round(rng.normal(745, 28, n)), 640, 900).astype(np.int64)
    day = children.day + age_days
    year = day_year(day)
    alive = children.live_born & ((children.death_day < 0) | (children.death_day > day))
    # Contacts need a complete birth cohort two years earlier.
    in_window = (year >= years.start + 2) & (year < years.stop) & alive
    org = atom_org[parents.atom[children.mother]]
    order = stream(seed, "jgz-participation").permutation(N_JGZ) + 1
    org_effect = rng.normal(0, 0.38, N_JGZ + 1)
    speech_n = targets.SHAPE["speech_language_n"]
    bmi_n = targets.SHAPE["overweight_2y_n"]
    has_speech = np.zeros(n, dtype=bool)
    has_bmi = np.zeros(n, dtype=bool)
    for y in range(years.start, years.stop):
        sel = in_window & (year == y)
        participating = order[:20] if y != 2020 else order[1:21]
        member = sel & np.isin(org, participating)
        candidates = max(int(member.sum()), 1)
        s_rate = min(speech_n.get(y, 0.52 * 169_000) * scale / candidates, 1.0)
        b_rate = min(bmi_n.get(y, 0.48 * 169_000) * scale / candidates, 1.0)
        u = rng.random(n)
        has_speech |= member & (u < s_rate)
        has_bmi |= member & (rng.random(n) < b_rate)
    v = parents.v[children.mother]
    nonwestern = np.isin(parents.migration[children.mother], [2, 3, 4, 5, 6])
    female = children.female
    eta_s = 0.45 * v + 0.6 * ~female + 0.35 * nonwestern + org_effect[org]
    speech_series = targets.series("speech_language", years)
    both_negative = np.zeros(n, dtype=bool)
    for y in range(years.start, years.stop):
        sel = has_speech & (year == y)
        if sel.any():
            a = solve_intercept(eta_s[sel], speech_series[y] / 100)
            both_negative[sel] = rng.random(int(sel.sum())) < sigmoid(a + eta_s[sel])
    one_negative = ~both_negative & (rng.random(n) < 0.09)
    first_item = rng.random(n) < 0.5
    two_word = np.where(both_negative | (one_negative & first_item), False, True).astype(object)
    body = np.where(both_negative | (one_negative & ~first_item), False, True).astype(object)
    item_missing = rng.random(n) < 0.03
    two_word[~has_speech | item_missing] = None
    body[~has_speech] = None

    age_years = age_days / 365.25
    height = rng.normal(87.6 - 1.1 * female + 0.03 * (age_days - 730), 3.2)
    cutoff = overweight_cutoff(female, age_years)
    eta_b = 0.22 * v + 0.25 * nonwestern + 0.15 * org_effect[org]
    sd = 1.3
    bmi = np.empty(n)
    noise = rng.standard_normal(n)
    bmi_series = targets.series("overweight_2y", years)
    for y in range(years.start, years.stop):
        sel = has_bmi & (year == y)
        if sel.any():
            b = solve_intercept((eta_b[sel] - cutoff[sel]) / sd, bmi_series[y] / 100, link="probit")
            bmi[sel] = b * sd + eta_b[sel] + sd * noise[sel]
    sel = ~has_bmi
    bmi[sel] = 16.5 + noise[sel]
    weight = np.round(bmi * (height / 100) ** 2, 3)
    height = np.round(height, 1)
    height[~has_bmi] = np.nan
    weight[~has_bmi] = np.nan
    keep = has_speech | has_bmi
    return JgzContacts(
        child=np.flatnonzero(keep),
        organisation=org[keep],
        day=day[keep],
        age_days=age_days[keep],
        two_word=two_word[keep],
        body_parts=body[keep],
        height_cm=height[keep],
        weight_kg=weight[keep],
    )

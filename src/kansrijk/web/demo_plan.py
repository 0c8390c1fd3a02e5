"""The demo data's plan: which municipality did what in 2019-2021, fixed so that the programme
indicators computed from it equal RIVM's published figures (spec: "Published national figures").

Pure Python (stdlib + ``kansrijk.geo``); the coalition registry and questionnaire loaders turn
it into database rows, and tests check the published figures come back out. Counts that RIVM
did not publish (for example the plan of action in 2019, or the number of midwifery practices
in 2019 and 2020) are chosen to be consistent with the published percentages and are marked
ASSUMED below.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Final

from kansrijk import geo

YEARS: Final = (2019, 2020, 2021)
#: Questionnaire reference dates (peildatum); 2021 is published, 2019-2020 ASSUMED.
SURVEY_DATES: Final = {2019: date(2019, 9, 15), 2020: date(2020, 9, 15), 2021: date(2021, 9, 20)}
#: Reference date of the national organisations' registries: 1 October (published).
REGISTRY_DATES: Final = {year: date(year, 10, 1) for year in YEARS}


@dataclass(frozen=True)
class SurveyTarget:
    """What the questionnaire must yield in one year."""

    impuls: int  # municipalities with the Impuls on the reference date
    responded_impuls: int
    responded_other: int  # municipalities without Impuls that responded
    coalition_formed: int
    coalition_preparing: int  # in preparation or in talks
    plan_finished: int
    plan_in_development: int
    phb_answered: int  # responding municipalities (any) that answered the PHB-JGZ question
    phb_yes: int


#: Published: 2019 impuls 147, responded 140, formed 40, preparing 89; 2020 formed 59 (21%),
#: preparing 149, responded 251, plan 48% of 275; PHB 65% (181 with a PHB); 2021 impuls 273,
#: responded 217 (+12 without Impuls), formed 140, preparing 67, plan 72 + 81, PHB 169 of 224.
#: ASSUMED: 2019 plan and PHB, 2020 plan split and PHB denominator (181 / 0.65 -> 278), the
#: number of non-Impuls responders in 2019 and 2020.
SURVEY_TARGETS: Final = {
    2019: SurveyTarget(147, 140, 15, 40, 89, 12, 38, 150, 90),
    2020: SurveyTarget(275, 251, 27, 59, 149, 50, 82, 278, 181),
    2021: SurveyTarget(273, 217, 12, 140, 67, 72, 81, 224, 169),
}


@dataclass(frozen=True)
class RegistryTarget:
    nnz_centres: int  # of 50 centre municipalities, NNZ started by the reference date
    nnz_joined: int  # surrounding municipalities that joined
    voorzorg: int  # municipalities where VoorZorg is offered
    midwifery_practices: int
    centering_trained: int
    jgz_organisations: int
    centering_ouderschap: int


#: Published: NNZ 38 of 50 centres and 138 joined (2021), 135 active municipalities (2020);
#: VoorZorg 117, 130, 150; Centering 194, 203, 229 (of 590 in 2021); CenteringOuderschap 8, 8,
#: 9 of 36. ASSUMED: NNZ centres in 2019 and 2020, joined in 2019, practices in 2019 (585) and
#: 2020 (580), chosen to give the published 33% and 35%.
REGISTRY_TARGETS: Final = {
    2019: RegistryTarget(24, 66, 117, 585, 194, 36, 8),
    2020: RegistryTarget(31, 104, 130, 580, 203, 36, 8),
    2021: RegistryTarget(38, 138, 150, 590, 229, 36, 9),
}
CENTRE_MUNICIPALITIES: Final = 50
#: Eemsdelta (2021) took over the Impuls of its three predecessors.
EEMSDELTA: Final = "GM1979"
EEMSDELTA_PREDECESSORS: Final = ("GM0003", "GM0010", "GM0024")


@dataclass(frozen=True)
class Practice:
    """A midwifery practice in the demo: active period and Centering training date."""

    number: int
    valid_from: date
    valid_to: date | None
    centering_trained_on: date | None


@dataclass
class DemoPlan:
    #: municipality code -> (tranche, date the Impuls was granted)
    impuls: dict[str, tuple[int, date]] = field(default_factory=dict)
    #: year -> municipality code -> {"coalition_status", "plan_status", "phb_offered"}
    answers: dict[int, dict[str, dict[str, str | None]]] = field(default_factory=dict)
    centres: tuple[str, ...] = ()
    #: municipality code -> (role "centre" / "joined", start date) for Nu Niet Zwanger
    nnz: dict[str, tuple[str, date]] = field(default_factory=dict)
    #: municipality code -> start date of VoorZorg
    voorzorg: dict[str, date] = field(default_factory=dict)
    practices: tuple[Practice, ...] = ()
    #: JGZ organisation number (1..36) -> start date of CenteringOuderschap
    centering_ouderschap: dict[int, date] = field(default_factory=dict)


def codes(year: int) -> list[str]:
    return sorted(m.code for m in geo.municipalities(year))


def _day_before(day: date, rng: random.Random, span_days: int) -> date:
    return day - timedelta(days=rng.randint(1, span_days))


def _split(pool: list[str], sizes: list[int], rng: random.Random) -> list[list[str]]:
    """Disjoint random samples of the given sizes from ``pool``."""
    if sum(sizes) > len(pool):
        raise ValueError(f"cannot take {sum(sizes)} from {len(pool)}")
    shuffled = rng.sample(pool, len(pool))
    out, start = [], 0
    for size in sizes:
        out.append(sorted(shuffled[start : start + size]))
        start += size
    return out


def _answers(
    impuls: list[str], others: list[str], target: SurveyTarget, rng: random.Random
) -> dict[str, dict[str, str | None]]:
    responders_impuls = rng.sample(impuls, target.responded_impuls)
    formed, preparing, none = _split(
        responders_impuls,
        [
            target.coalition_formed,
            target.coalition_preparing,
            target.responded_impuls - target.coalition_formed - target.coalition_preparing,
        ],
        rng,
    )
    status = dict.fromkeys(formed, "formed") | dict.fromkeys(preparing, "preparing")
    status |= dict.fromkeys(none, "none")
    # Plans are likelier where a coalition is formed: draw finished plans from formed first.
    ordered = sorted(responders_impuls, key=lambda c: (status[c] != "formed", rng.random()))
    finished = ordered[: target.plan_finished]
    developing = ordered[target.plan_finished : target.plan_finished + target.plan_in_development]
    plan = dict.fromkeys(finished, "finished") | dict.fromkeys(developing, "in_development")
    responders = sorted(responders_impuls) + sorted(rng.sample(others, target.responded_other))
    answered_phb = set(rng.sample(responders, target.phb_answered))
    yes = set(rng.sample(sorted(answered_phb), target.phb_yes))
    answers: dict[str, dict[str, str | None]] = {}
    for code in responders:
        answers[code] = {
            "coalition_status": status.get(code),  # non-Impuls municipalities: not asked
            "plan_status": plan.get(code, "none") if code in status else None,
            "phb_offered": ("yes" if code in yes else "no") if code in answered_phb else None,
        }
    return answers


@cache
def demo_plan(seed: int = 2021) -> DemoPlan:
    """The deterministic plan; the same seed always gives the same municipalities."""
    rng = random.Random(seed)
    plan = DemoPlan()
    y19, y20, y21 = (set(codes(y)) for y in YEARS)
    stable = sorted(y19 & y20 & y21)  # municipalities unchanged 2019-2021

    # Impuls: tranche 1-2 (2019, 147), tranche 3 (by 15 April 2020, 128 more incl. the three
    # Eemsdelta predecessors) -> 275 in 2020; Eemsdelta takes over in 2021 -> 273.
    candidates = [c for c in stable if c not in EEMSDELTA_PREDECESSORS]
    t12, t3 = _split(candidates, [147, 128 - len(EEMSDELTA_PREDECESSORS)], rng)
    for code in t12:
        plan.impuls[code] = (rng.choice((1, 2)), _day_before(date(2019, 9, 1), rng, 200))
    for code in [*t3, *EEMSDELTA_PREDECESSORS]:
        plan.impuls[code] = (3, _day_before(date(2020, 4, 15), rng, 120))
    plan.impuls[EEMSDELTA] = (3, date(2021, 1, 1))

    for year in YEARS:
        day = SURVEY_DATES[year]
        year_codes = codes(year)
        impuls = [c for c in year_codes if c in plan.impuls and plan.impuls[c][1] <= day]
        others = [c for c in year_codes if c not in set(impuls)]
        target = SURVEY_TARGETS[year]
        if len(impuls) != target.impuls:
            raise AssertionError(f"{year}: {len(impuls)} Impuls municipalities")
        plan.answers[year] = _answers(impuls, others, target, rng)

    # Nu Niet Zwanger: 50 centre municipalities; starts staggered to hit each year's count.
    plan.centres = tuple(sorted(rng.sample(stable, CENTRE_MUNICIPALITIES)))
    started = rng.sample(list(plan.centres), REGISTRY_TARGETS[2021].nnz_centres)
    joined_pool = [c for c in stable if c not in set(plan.centres)]
    joined = rng.sample(joined_pool, REGISTRY_TARGETS[2021].nnz_joined)
    for role, chosen, attr in (
        ("centre", started, "nnz_centres"),
        ("joined", joined, "nnz_joined"),
    ):
        previous = 0
        for year in YEARS:
            count = getattr(REGISTRY_TARGETS[year], attr)
            for code in chosen[previous:count]:
                plan.nnz[code] = (role, _day_before(REGISTRY_DATES[year], rng, 300))
            previous = count

    # VoorZorg: offered in 117 / 130 / 150 municipalities on 1 October.
    chosen = rng.sample(stable, REGISTRY_TARGETS[2021].voorzorg)
    previous = 0
    for year in YEARS:
        count = REGISTRY_TARGETS[year].voorzorg
        for code in chosen[previous:count]:
            plan.voorzorg[code] = _day_before(REGISTRY_DATES[year], rng, 300)
        previous = count

    # Midwifery practices: 575 throughout, 10 that closed mid-2020, 5 new in 2020, 10 in 2021.
    practices: list[Practice] = []
    trained_by = {y: REGISTRY_TARGETS[y].centering_trained for y in YEARS}
    for number in range(1, 576):
        trained: date | None = None
        if number <= trained_by[2019]:
            trained = date(2016, 1, 1) + timedelta(days=rng.randint(0, 1338))  # to 2019-09-30
        elif number <= trained_by[2020]:
            trained = date(2019, 10, 2) + timedelta(days=rng.randint(0, 360))
        elif number <= trained_by[2021]:
            trained = date(2020, 10, 2) + timedelta(days=rng.randint(0, 360))
        practices.append(Practice(number, date(2015, 1, 1), None, trained))
    practices += [Practice(n, date(2015, 1, 1), date(2020, 6, 30), None) for n in range(576, 586)]
    practices += [Practice(n, date(2020, 1, 1), None, None) for n in range(586, 591)]
    practices += [Practice(n, date(2021, 1, 1), None, None) for n in range(591, 601)]
    plan.practices = tuple(practices)

    # CenteringOuderschap: 8 JGZ organisations since 2018, a ninth from March 2021.
    for number in rng.sample(range(1, 37), 9)[:8]:
        plan.centering_ouderschap[number] = date(2018, 1, 1) + timedelta(days=rng.randint(0, 500))
    ninth = next(n for n in range(1, 37) if n not in plan.centering_ouderschap)
    plan.centering_ouderschap[ninth] = date(2021, 3, 1)
    return plan

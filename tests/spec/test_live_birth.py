"""Live-birth family: 2019-10 / 2024-13 (no kraamzorg) and 2019-11 (risk factors). One unit
per live-born child with a known mother (CBS persons and legal parent links)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.spec.builder import ORDINARY_DBC, DatasetBuilder
from tests.spec.harness import both, run

BORN = date(2021, 5, 15)
KRAAMZORG = ("2019-10",)
RISK = ("2019-11", "2019-11-0", "2019-11-1", "2019-11-2")


def _born_with_claims(d: DatasetBuilder, delivery: date, claims: list[tuple[date, str]]) -> str:
    m = d.mother_in("GM0363")
    d.child(m, BORN)
    traj = d.trajectory(m, delivery)
    for month, kind in claims:
        d.claim(traj, month, kind)
    return m


@pytest.mark.parametrize(
    ("rule", "delivery", "claims", "no_kraamzorg"),
    [
        ("hourly claim in the delivery month", BORN, [(BORN, "kraamzorg_per_uur")], 0),
        ("hourly claim the month after", BORN, [(date(2021, 6, 1), "kraamzorg_per_uur")], 0),
        ("hourly claim before delivery only", BORN, [(date(2021, 4, 1), "kraamzorg_per_uur")], 1),
        (
            "intake and partus claims only",
            BORN,
            [(BORN, "kraamzorg_intake"), (BORN, "kraamzorg_partus")],
            1,
        ),
        (
            "delivery month one month off",
            date(2021, 6, 1),
            [(date(2021, 6, 1), "kraamzorg_per_uur")],
            0,
        ),
        (
            "delivery month two months off",
            date(2021, 7, 1),
            [(date(2021, 7, 1), "kraamzorg_per_uur")],
            1,
        ),
        ("trajectory without claims", BORN, [], 1),
    ],
)
def test_kraamzorg_is_an_hourly_claim_in_or_after_the_delivery_month(
    tmp_path: Path, rule: str, delivery: date, claims: list[tuple[date, str]], no_kraamzorg: int
) -> None:
    d = DatasetBuilder()
    _born_with_claims(d, delivery, claims)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=KRAAMZORG)
    assert r.cell("2019-10", 2021) == both(no_kraamzorg, 1), rule


def test_a_birth_without_any_trajectory_counts_as_no_kraamzorg(tmp_path: Path) -> None:
    """RIVM's inner join drops such births; here they stay in the denominator."""
    d = DatasetBuilder()
    d.child(d.mother_in("GM0363"), BORN)
    _born_with_claims(d, BORN, [(BORN, "kraamzorg_per_uur")])
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=KRAAMZORG)
    assert r.cell("2019-10", 2021) == both(1, 2)


def test_a_second_trajectory_does_not_duplicate_the_birth(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m = _born_with_claims(d, BORN, [(BORN, "kraamzorg_per_uur")])
    d.claim(d.trajectory(m, date(2021, 1, 1)), date(2021, 1, 1), "verloskundige_zorg")
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=KRAAMZORG)
    assert r.cell("2019-10", 2021) == both(0, 1)


def test_twins_are_two_live_births_and_children_without_mother_none(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m = d.mother_in("GM0363")
    d.child(m, BORN, multiplicity=2, order=1)
    d.child(m, BORN, multiplicity=2, order=2)
    d.child(None, BORN, d.father())  # no legal mother: not in the population
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=KRAAMZORG)
    assert r.cell("2019-10", 2021) == both(2, 2)


def test_live_births_without_a_perined_record_count(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.child(d.mother_in("GM0363"), BORN, perined=False)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=KRAAMZORG)
    assert r.cell("2019-10", 2021) == both(1, 1)


def test_2024_indicator_13_leaves_out_long_hospital_stays(tmp_path: Path) -> None:
    d = DatasetBuilder()
    child_stay = d.child(d.mother_in("GM0363"), BORN)
    d.dbc(child_stay, 2021)  # long stay of the child: excluded
    mother_stay = d.mother_in("GM0363")
    d.child(mother_stay, BORN)
    d.dbc(mother_stay, 2021)  # long stay of the mother: excluded
    stay_year_before = d.mother_in("GM0363")
    d.child(stay_year_before, BORN)
    d.dbc(stay_year_before, 2020)  # another year: stays in
    ordinary = d.child(d.mother_in("GM0363"), BORN)
    d.dbc(ordinary, 2021, ORDINARY_DBC)  # not a long-stay product: stays in
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=("2024-13",))
    assert r.cell("2024-13", 2021) == both(2, 2)
    r2019 = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=KRAAMZORG)
    assert r2019.cell("2019-10", 2021) == both(4, 4)


def _income(d: DatasetBuilder, m: str, f: str) -> None:
    d.income(m, 2021, 5)


def _ggz(d: DatasetBuilder, m: str, f: str) -> None:
    d.costs(f, 2021, ggz=250.0)


def _medication(d: DatasetBuilder, m: str, f: str) -> None:
    d.medication(m, 2021, "N06A")


def _debts(d: DatasetBuilder, m: str, f: str) -> None:
    d.arrears(f, 2021)


def _detention(d: DatasetBuilder, m: str, f: str) -> None:
    d.detention(f, date(2019, 11, 1), date(2020, 1, 31))  # ended in the year before


def _divorce(d: DatasetBuilder, m: str, f: str) -> None:
    d.divorce(m, date(2017, 3, 1))  # the fifth year back


def _partner_death(d: DatasetBuilder, m: str, f: str) -> None:
    d.death(f, date(2021, 2, 1))


def _high_costs(d: DatasetBuilder, m: str, f: str) -> None:
    # Top decile among the year's mothers: the other mother has no costs (rank 0).
    d.costs(m, 2020, total=9000.0, maternity=100.0)


FACTORS: dict[str, Callable[[DatasetBuilder, str, str], None]] = {
    "income below P10 (mother)": _income,
    "GGZ use (father)": _ggz,
    "psychotropic medication (mother)": _medication,
    "debts (father)": _debts,
    "detention up to the year before": _detention,
    "divorce in the five years": _divorce,
    "death of the father": _partner_death,
    "high costs the year before": _high_costs,
}


@pytest.mark.parametrize("factor", FACTORS)
def test_each_risk_factor_alone_is_one_factor(tmp_path: Path, factor: str) -> None:
    d = DatasetBuilder()
    m, f = d.mother_in("GM0363"), d.father()
    d.child(m, BORN, f)
    FACTORS[factor](d, m, f)
    d.child(d.mother_in("GM0363"), BORN, d.father())  # a family without factors
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    assert r.cell("2019-11-1", 2021) == both(1, 2)
    assert r.cell("2019-11-0", 2021) == both(1, 2)


@pytest.mark.parametrize(
    ("rule", "setup"),
    [
        ("negative income code (special household)", lambda d, m, f: d.income(m, 2021, -2)),
        ("income at P10", lambda d, m, f: d.income(m, 2021, 10)),
        ("non-psychotropic medication N06D", lambda d, m, f: d.medication(m, 2021, "N06D")),
        ("arrears the year before", lambda d, m, f: d.arrears(m, 2020)),
        (
            "detention ended two years before",
            lambda d, m, f: d.detention(f, date(2019, 1, 1), date(2019, 12, 31)),
        ),
        ("divorce six years back", lambda d, m, f: d.divorce(m, date(2016, 12, 31))),
        (
            "death of the mother's ex-partner, not the father",
            lambda d, m, f: d.death(d.person(), date(2021, 1, 1)),
        ),
        ("GGZ costs of zero", lambda d, m, f: d.costs(m, 2021, ggz=0.0)),
    ],
)
def test_near_misses_are_no_risk_factor(
    tmp_path: Path, rule: str, setup: Callable[[DatasetBuilder, str, str], None]
) -> None:
    d = DatasetBuilder()
    m, f = d.mother_in("GM0363"), d.father()
    d.child(m, BORN, f)
    setup(d, m, f)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    assert r.cell("2019-11-0", 2021) == both(1, 1), rule


def test_three_factors_make_a_vulnerable_family(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m, f = d.mother_in("GM0363"), d.father()
    d.child(m, BORN, f)
    d.child(m, BORN, f, multiplicity=2, order=2)
    _income(d, m, f)
    _debts(d, m, f)
    _detention(d, m, f)
    two_m, two_f = d.mother_in("GM0363"), d.father()
    d.child(two_m, BORN, two_f)
    _medication(d, two_m, two_f)
    _divorce(d, two_m, two_f)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    assert r.cell("2019-11", 2021) == both(2, 3)  # the twins each count
    assert r.cell("2019-11-2", 2021) == both(1, 3)


def test_negative_income_codes_are_unknown_not_the_lowest_quintile(tmp_path: Path) -> None:
    d = DatasetBuilder()
    special = d.mother_in("GM0363")
    d.income(special, 2021, -1)
    d.child(special, BORN)
    low = d.mother_in("GM0363")
    d.income(low, 2021, 15)
    d.child(low, BORN)
    d.child(d.mother_in("GM0363"), BORN)  # no income row at all
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=KRAAMZORG)
    assert r.cell("2019-10", 2021, breakdown=("income_quintile", "unknown")) == both(2, 2)
    assert r.cell("2019-10", 2021, breakdown=("income_quintile", "Q1")) == both(1, 1)
    assert r.cell("2019-10", 2021, breakdown=("income_p10", "unknown")) == both(2, 2)
    assert r.cell("2019-10", 2021, breakdown=("income_p10", ">=P10")) == both(1, 1)
    assert r.cell("2019-10", 2021, breakdown=("income_quintile", "Q2")) == both(0, 0)


def test_missing_fathers_do_not_collapse_into_one_person(tmp_path: Path) -> None:
    """Two children without a legal father: neither gets the other's family's factors, and
    both count."""
    d = DatasetBuilder()
    for _ in range(2):
        d.child(d.mother_in("GM0363"), BORN, None)
    indebted = d.father()
    d.arrears(indebted, 2021)
    d.child(d.mother_in("GM0363"), BORN, indebted)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    assert r.cell("2019-11-0", 2021) == both(2, 3)
    assert r.cell("2019-11-1", 2021, breakdown=("debts", "yes")) == both(1, 1)

"""Live-birth family: 2019-10 / 2024-13 (no kraamzorg) and 2019-11 (risk factors). One unit
per live-born child of the data year (CBS persons and legal parent links); kraamzorg counts
those with a known mother, the risk factors every live birth, the father's factors too."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from kansrijk.engine.run import RunConfig, compute_unpublished
from tests.spec.builder import ORDINARY_DBC, DatasetBuilder
from tests.spec.harness import both, run

BORN = date(2021, 5, 15)
#: The module (``kansrijk.indicators.catalogue`` the attribute is the function).
catalogue_module = importlib.import_module("kansrijk.indicators.catalogue")
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


# -- risk factors (2019-11) ---------------------------------------------------------------
# BORN = 15 May 2021 with a Perined record of 280 days: the pregnancy began on 8 August 2020,
# so the costs that count are those of 2019.


def _income_mother(d: DatasetBuilder, m: str, f: str) -> None:
    d.income(m, 2021, 5)


def _income_father(d: DatasetBuilder, m: str, f: str) -> None:
    # Separated parents: different households, only the father's is below P10.
    d.income(m, 2021, 50, "single_parent")
    d.income(f, 2021, 3, "single")


def _ggz(d: DatasetBuilder, m: str, f: str) -> None:
    d.costs(f, 2021, ggz=250.0)


def _medication(d: DatasetBuilder, m: str, f: str) -> None:
    d.medication(m, 2021, "N06A")


def _debts(d: DatasetBuilder, m: str, f: str) -> None:
    d.arrears(f, 2021)


def _detention(d: DatasetBuilder, m: str, f: str) -> None:
    d.detention(f, date(2019, 11, 1), date(2020, 1, 31))  # ended in the year before


def _detention_mother(d: DatasetBuilder, m: str, f: str) -> None:
    d.detention(m, date(2021, 1, 10), date(2021, 2, 10))


def _divorce(d: DatasetBuilder, m: str, f: str) -> None:
    d.divorce(m, date(2017, 3, 1))  # the fifth year back


def _divorce_father(d: DatasetBuilder, m: str, f: str) -> None:
    d.divorce(f, date(2019, 6, 1), partner=d.person())  # from an earlier partner


def _divorce_partner_field(d: DatasetBuilder, m: str, f: str) -> None:
    # One row for the divorce, with the father in the partner field.
    d.divorce(d.person(), date(2020, 6, 1), partner=f)


def _partner_death(d: DatasetBuilder, m: str, f: str) -> None:
    d.death(f, date(2021, 2, 1))


def _partner_death_mother(d: DatasetBuilder, m: str, f: str) -> None:
    d.death(m, date(2021, 8, 1))  # after the delivery: the father's partner died


def _high_costs(d: DatasetBuilder, m: str, f: str) -> None:
    # Top decile among the year's mothers: the other mother has no costs (rank 0).
    d.costs(m, 2019, total=9000.0, maternity=100.0)


def _high_costs_father(d: DatasetBuilder, m: str, f: str) -> None:
    d.costs(f, 2019, total=9000.0)


FACTORS: dict[str, Callable[[DatasetBuilder, str, str], None]] = {
    "income below P10 (mother's household)": _income_mother,
    "income below P10 (father's household only)": _income_father,
    "GGZ use (father)": _ggz,
    "psychotropic medication (mother)": _medication,
    "debts (father)": _debts,
    "detention (father) up to the year before": _detention,
    "detention (mother)": _detention_mother,
    "divorce (mother) in the fifth year back": _divorce,
    "divorce (father) from an earlier partner": _divorce_father,
    "divorce with the father in the partner field": _divorce_partner_field,
    "death of the father (the mother's partner)": _partner_death,
    "death of the mother (the father's partner)": _partner_death_mother,
    "high costs (mother) the year before the pregnancy": _high_costs,
    "high costs (father) the year before the pregnancy": _high_costs_father,
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
        ("father's income at P10", lambda d, m, f: d.income(f, 2021, 10)),
        ("non-psychotropic medication N06D", lambda d, m, f: d.medication(m, 2021, "N06D")),
        ("arrears the year before", lambda d, m, f: d.arrears(m, 2020)),
        (
            "detention ended two years before",
            lambda d, m, f: d.detention(f, date(2019, 1, 1), date(2019, 12, 31)),
        ),
        ("divorce six years back", lambda d, m, f: d.divorce(m, date(2016, 12, 31))),
        ("divorce after the birth year", lambda d, m, f: d.divorce(f, date(2022, 1, 5))),
        (
            "death of the mother's ex-partner, not the father",
            lambda d, m, f: d.death(d.person(), date(2021, 1, 1)),
        ),
        ("death of the father six years back", lambda d, m, f: d.death(f, date(2016, 5, 1))),
        ("GGZ costs of zero", lambda d, m, f: d.costs(m, 2021, ggz=0.0)),
        (
            "high costs in the year before the birth (the pregnancy began in 2020)",
            lambda d, m, f: d.costs(m, 2020, total=9000.0),
        ),
        (
            "high costs that are birth and maternity care",
            lambda d, m, f: d.costs(m, 2019, total=9000.0, maternity=9000.0),
        ),
    ],
)
def test_near_misses_are_no_risk_factor(
    tmp_path: Path, rule: str, setup: Callable[[DatasetBuilder, str, str], None]
) -> None:
    d = DatasetBuilder()
    m, f = d.mother_in("GM0363"), d.father()
    d.child(m, BORN, f)
    setup(d, m, f)
    d.child(d.mother_in("GM0363"), BORN, d.father())  # a family without factors
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    assert r.cell("2019-11-0", 2021) == both(2, 2), rule


def test_a_factor_at_both_parents_counts_once(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m, f = d.mother_in("GM0363"), d.father()
    d.child(m, BORN, f)
    d.income(m, 2021, 4)
    d.income(f, 2021, 4)
    d.arrears(m, 2021)
    d.arrears(f, 2021)
    d.detention(m, date(2021, 1, 1), date(2021, 1, 31))
    d.detention(f, date(2021, 3, 1), date(2021, 3, 31))
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    assert r.cell("2019-11", 2021) == both(1, 1)  # three factors, not six
    d.divorce(f, date(2020, 1, 1))
    d.divorce(m, date(2020, 1, 1), partner=f)
    r = run(d, tmp_path / "divorced", edition=2021, years=(2021, 2021), indicators=RISK)
    assert r.cell("2019-11", 2021) == both(1, 1)  # four: one divorce, however registered
    assert r.cell("2019-11-2", 2021) == both(0, 1)


@pytest.mark.parametrize(
    ("rule", "born", "perined_days", "cost_year"),
    [
        # (birth date, gestational age of the linked Perined record or None, costs that count)
        ("term birth in May: pregnancy began the year before", BORN, 280, 2019),
        (
            "term birth in December: pregnancy began in the birth year",
            date(2021, 12, 20),
            280,
            2020,
        ),
        ("very preterm birth in May: began in the birth year", BORN, 120, 2020),
        ("post-term birth early in January", date(2021, 1, 3), 300, 2019),
        (
            "no Perined record, 280 days assumed: began 31 December 2020",
            date(2021, 10, 7),
            None,
            2019,
        ),
        (
            "no Perined record, 280 days assumed: began 1 January 2021",
            date(2021, 10, 8),
            None,
            2020,
        ),
    ],
)
def test_high_costs_are_of_the_year_before_the_pregnancy_began(
    tmp_path: Path, rule: str, born: date, perined_days: int | None, cost_year: int
) -> None:
    d = DatasetBuilder()
    hit, miss = d.mother_in("GM0363"), d.mother_in("GM0363")
    for mother, year in ((hit, cost_year), (miss, cost_year + 1 if cost_year < 2020 else 2019)):
        if perined_days is None:
            d.child(mother, born, perined=False)
        else:
            d.child(mother, born, ga_days=perined_days)
        d.costs(mother, year, total=9000.0)
    for _ in range(8):  # mothers without costs: the high one ranks first of ten
        d.child(d.mother_in("GM0363"), born)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    assert r.cell("2019-11-1", 2021) == both(1, 10), rule


def test_high_costs_are_the_top_decile_of_the_years_births_ties_sharing_a_rank(
    tmp_path: Path,
) -> None:
    """Percent rank (births with a lower cost / (births - 1)) of at least 0.9, among the
    year's live births with a known mother; no cost row counts as 0."""
    d = DatasetBuilder()
    costs = [None, 0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0, 900.0, 900.0]
    # 12 births: 900 has rank 10/11 = 0.91 (twice: a tie), 800 has 9/11 = 0.82.
    for cost in costs:
        m = d.mother_in("GM0363")
        d.child(m, BORN)
        if cost is not None:
            d.costs(m, 2019, total=cost)
    d.child(None, BORN, d.father())  # no mother: not among the mothers ranked
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    assert r.cell("2019-11-1", 2021) == both(2, 13)


def test_fathers_are_ranked_among_fathers(tmp_path: Path) -> None:
    d = DatasetBuilder()
    f = d.father()
    d.child(d.mother_in("GM0363"), BORN, f)
    d.costs(f, 2019, total=500.0)
    for _ in range(3):
        d.child(d.mother_in("GM0363"), BORN)  # no father, no costs
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    # The only father ranks alone (rank 0); among the mothers too he would rank first.
    assert r.cell("2019-11-0", 2021) == both(4, 4)


def test_births_without_a_known_mother_count_the_fathers_factors(tmp_path: Path) -> None:
    d = DatasetBuilder()
    f = d.father()
    d.address(f, "GM0599", date(2015, 1, 1))
    d.income(f, 2021, 2, "single_parent")
    d.arrears(f, 2021)
    d.medication(f, 2021, "N05B")
    d.child(None, BORN, f, perined=False)
    d.child(d.mother_in("GM0363"), BORN)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=(*RISK, *KRAAMZORG))
    assert r.cell("2019-11", 2021) == both(1, 2)
    # Placed at the father's address on 30 June.
    assert r.cell("2019-11", 2021, ("gemeente", "GM0599")) == both(1, 1)
    assert r.cell("2019-11", 2021, ("unknown", "NL00")) == both(0, 0)
    # Kraamzorg is the mother's care: no mother, not in 2019-10's population.
    assert r.cell("2019-10", 2021) == both(1, 1)
    assert r.cell("2019-10", 2021, ("gemeente", "GM0599")) == both(0, 0)


def test_a_fathers_death_without_a_known_mother_is_no_partners_death(tmp_path: Path) -> None:
    d = DatasetBuilder()
    f = d.father()
    d.child(None, BORN, f)
    d.death(f, date(2021, 3, 1))
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    assert r.cell("2019-11-0", 2021) == both(1, 1)


def test_births_with_neither_parent_known_have_no_factors_in_nl00(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.child(None, BORN, None)
    d.child(None, date(2021, 9, 1), None, perined=False)
    m = d.mother_in("GM0363")
    d.child(m, BORN)
    d.income(m, 2021, 1)
    d.arrears(m, 2021)
    d.medication(m, 2021)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=(*RISK, *KRAAMZORG))
    assert r.cell("2019-11", 2021) == both(1, 3)
    assert r.cell("2019-11-0", 2021) == both(2, 3)
    assert r.cell("2019-11-0", 2021, ("unknown", "NL00")) == both(2, 2)
    assert r.cell("2019-10", 2021) == both(1, 1)


def test_the_run_reports_births_with_neither_parent_known(tmp_path: Path) -> None:
    """True counts for the analyst (run summary); the published manifest hides a count
    below the disclosure threshold."""
    d = DatasetBuilder()
    for day in (1, 2, 3):
        d.child(None, date(2021, 3, day), None, perined=False)
    d.child(None, date(2020, 3, 1), d.father(), perined=False)  # a father: not counted
    d.child(d.mother_in("GM0363"), BORN)
    data = d.write(tmp_path / "data")
    config = RunConfig(
        data=data,
        edition=2021,
        years=range(2020, 2022),
        classification_year=2023,
        out=tmp_path,
        indicators=("2019-11",),
    )
    result = compute_unpublished(config)
    note = result.notes["live_births_without_parents"]
    assert note["per_year"] == {"2020": 0, "2021": 3}
    # The published manifest says what is counted, never a count (no second small-number
    # rule outside the gate), whatever the threshold.
    for threshold in (10, 3):
        run = compute_unpublished(replace(config, threshold=threshold))
        public = run.manifest["notes"]["live_births_without_parents"]  # type: ignore[index]
        assert "per_year" not in public and "internal only" in public["counts"]
        assert "3" not in json.dumps(public)


def test_three_factors_make_a_vulnerable_family(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m, f = d.mother_in("GM0363"), d.father()
    d.child(m, BORN, f)
    d.child(m, BORN, f, multiplicity=2, order=2)
    _income_mother(d, m, f)
    _debts(d, m, f)
    _detention(d, m, f)
    two_m, two_f = d.mother_in("GM0363"), d.father()
    d.child(two_m, BORN, two_f)
    _medication(d, two_m, two_f)
    _divorce(d, two_m, two_f)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    assert r.cell("2019-11", 2021) == both(2, 3)  # the twins each count
    assert r.cell("2019-11-2", 2021) == both(1, 3)


@pytest.mark.parametrize(
    ("parameter", "value", "factors"),
    [
        ("divorce_years_before", 5, 1),  # the divorce six calendar years back now counts
        ("divorce_years_before", 4, 0),
        ("partner_death_years_before", 0, 0),  # the death the year before no longer counts
        ("partner_death_years_before", 1, 1),
        ("high_cost_min_percent_rank", 0.5, 1),  # rank 0.5 (one of three below) now counts
        ("assumed_gestational_days", 300, 0),  # the pregnancy now began in 2020: costs 2019
    ],
)
def test_the_windows_and_thresholds_are_parameters_of_the_definition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parameter: str, value: object, factors: int
) -> None:
    """Engine and reference read each parameter from the definition in force: change it in
    the catalogue and the count follows."""
    changed = tuple(
        replace(d, parameters=tuple((k, value if k == parameter else v) for k, v in d.parameters))
        if d.id in RISK
        else d
        for d in catalogue_module.CATALOGUE
    )
    monkeypatch.setattr(catalogue_module, "CATALOGUE", changed)
    d = DatasetBuilder()
    m, f = d.mother_in("GM0363"), d.father()
    if parameter == "divorce_years_before":
        d.child(m, BORN, f)
        d.divorce(m, date(2016, 6, 1))
    elif parameter == "partner_death_years_before":
        d.child(m, BORN, f)
        d.death(f, date(2020, 6, 1))
    elif parameter == "high_cost_min_percent_rank":
        d.child(m, BORN, f)
        d.costs(m, 2019, total=100.0)  # 0, 100, 200: percent rank 0.5 for this mother
        top = d.mother_in("GM0363")
        d.child(top, BORN, d.father())
        d.costs(top, 2019, total=200.0)
    else:
        # No Perined record, born 10 October 2021: 280 days back is 2021, 300 days is 2020.
        d.child(m, date(2021, 10, 10), f, perined=False)
        d.costs(m, 2020, total=5000.0)
    d.child(d.mother_in("GM0363"), BORN, d.father())  # a family without factors
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=RISK)
    units = 3 if parameter == "high_cost_min_percent_rank" else 2
    top_high = 1 if parameter == "high_cost_min_percent_rank" else 0
    assert r.cell("2019-11-1", 2021) == both(factors + top_high, units)


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

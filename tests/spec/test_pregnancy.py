"""Pregnancy family: 2019-07 / 2024-09 (care after week 10), 2019-08 (debts of the mother)
and 2024-06 (preconception consult). One unit per pregnancy of 24+0 weeks or more."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.spec.builder import DatasetBuilder
from tests.spec.harness import NO_CELL, both, run

AMSTERDAM = ("gemeente", "GM0363")
UNKNOWN = ("unknown", "NL00")
CARE = ("2019-07",)
DEBTS = ("2019-08", "2019-08a", "2019-08b")


def test_care_after_week_10_means_first_visit_after_day_70(tmp_path: Path) -> None:
    d = DatasetBuilder()
    for first_visit in (70, 71, None):  # day 70 is in time; a missing day is not late
        d.birth(d.mother_in("GM0363"), date(2021, 5, 1), first_visit=first_visit)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021) == both(1, 3)
    assert r.cell("2019-07", 2021, AMSTERDAM) == both(1, 3)


def test_the_2024_edition_counts_care_after_week_10_alike(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.birth(d.mother_in("GM0363"), date(2021, 5, 1), first_visit=90)
    d.birth(d.mother_in("GM0363"), date(2021, 5, 1), first_visit=60)
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=("2024-09",))
    assert r.cell("2024-09", 2021) == both(1, 2)


def test_twins_are_one_pregnancy(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m = d.mother_in("GM0363")
    d.birth(m, date(2021, 5, 1), multiplicity=2, order=1, first_visit=80)
    d.birth(m, date(2021, 5, 1), multiplicity=2, order=2, first_visit=80)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021) == both(1, 1)


def test_only_the_first_born_record_makes_the_pregnancy(tmp_path: Path) -> None:
    """A second-born record without its first-born (e.g. a lost link) is not a pregnancy."""
    d = DatasetBuilder()
    d.birth(d.mother_in("GM0363"), date(2021, 5, 1), multiplicity=2, order=2)
    d.birth(d.mother_in("GM0363"), date(2021, 5, 1))
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021) == both(0, 1)


def test_pregnancies_start_at_24_weeks_stillbirths_included(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.birth(d.mother_in("GM0363"), date(2021, 5, 1), ga_days=167, live=False, first_visit=90)
    d.birth(d.mother_in("GM0363"), date(2021, 5, 1), ga_days=168, live=False, first_visit=90)
    d.birth(d.mother_in("GM0363"), date(2021, 5, 1), ga_days=168, first_visit=60)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021) == both(1, 2)


def test_records_without_a_mother_are_distinct_pregnancies(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.birth(None, date(2021, 5, 1), first_visit=90)
    d.birth(None, date(2021, 5, 1), first_visit=90)
    d.birth(None, date(2021, 8, 1), first_visit=50)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021) == both(2, 3)
    assert r.cell("2019-07", 2021, UNKNOWN) == both(2, 3)


def test_one_pregnancy_per_mother_and_year(tmp_path: Path) -> None:
    """Two deliveries of one mother in one year count once (the earlier one)."""
    d = DatasetBuilder()
    m = d.mother_in("GM0363")
    d.birth(m, date(2021, 1, 10), ga_days=180, live=False, first_visit=90)
    d.birth(m, date(2021, 12, 20), first_visit=50)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021) == both(1, 1)


def test_birth_on_31_december_and_1_january_fall_in_their_own_years(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.birth(d.mother_in("GM0363"), date(2020, 12, 31), first_visit=90)
    d.birth(d.mother_in("GM0363"), date(2021, 1, 1), first_visit=50)
    r = run(d, tmp_path, edition=2021, years=(2020, 2021), indicators=CARE)
    assert r.cell("2019-07", 2020) == both(1, 1)
    assert r.cell("2019-07", 2021) == both(0, 1)


def test_debts_wsnp_spanning_years_and_arrears_of_the_delivery_year(tmp_path: Path) -> None:
    d = DatasetBuilder()
    in_wsnp = d.mother_in("GM0363")
    d.wsnp(in_wsnp, date(2019, 5, 1), date(2021, 2, 1))  # runs through 2019, 2020 and 2021
    d.birth(in_wsnp, date(2021, 11, 1))
    in_arrears = d.mother_in("GM0363")
    d.arrears(in_arrears, 2021)
    d.birth(in_arrears, date(2021, 3, 1))
    arrears_year_before = d.mother_in("GM0363")
    d.arrears(arrears_year_before, 2020)
    d.birth(arrears_year_before, date(2021, 3, 1))
    wsnp_ended_year_before = d.mother_in("GM0363")
    d.wsnp(wsnp_ended_year_before, date(2018, 1, 1), date(2020, 12, 31))
    d.birth(wsnp_ended_year_before, date(2021, 3, 1))
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=DEBTS)
    assert r.cell("2019-08", 2021) == both(2, 4)
    assert r.cell("2019-08a", 2021) == both(1, 4)
    assert r.cell("2019-08b", 2021) == both(1, 4)


def test_debts_count_once_for_twins(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m = d.mother_in("GM0363")
    d.arrears(m, 2021)
    d.birth(m, date(2021, 5, 1), multiplicity=2, order=1)
    d.birth(m, date(2021, 5, 1), multiplicity=2, order=2)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=DEBTS)
    assert r.cell("2019-08", 2021) == both(1, 1)


def test_debts_of_a_missing_mother_are_not_pooled(tmp_path: Path) -> None:
    """Records without a mother are in the denominator, each once, without debts."""
    d = DatasetBuilder()
    d.birth(None, date(2021, 5, 1))
    d.birth(None, date(2021, 6, 1))
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=DEBTS)
    assert r.cell("2019-08", 2021) == both(0, 2)


def test_debts_breakdowns_leave_out_the_debts_breakdown(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m = d.mother_in("GM0363")
    d.arrears(m, 2021)
    d.birth(m, date(2021, 5, 1))
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=DEBTS)
    assert r.cell("2019-08", 2021, breakdown=("debts", "yes")) == NO_CELL
    assert r.cell("2019-08", 2021, breakdown=("income_p10", "unknown")) == both(1, 1)


def test_preconception_consult_in_the_15_months_before_the_delivery_month(
    tmp_path: Path,
) -> None:
    d = DatasetBuilder()
    consults = {
        date(2020, 2, 1): 1,  # 15 months before May 2021: counts
        date(2020, 1, 1): 0,  # 16 months before: too early
        date(2021, 4, 1): 1,  # the month before
        date(2021, 5, 1): 0,  # the delivery month itself: not before
    }
    for month in consults:
        m = d.mother_in("GM0363")
        d.preconception(m, month)
        d.birth(m, date(2021, 5, 20))
    d.birth(None, date(2021, 5, 20))  # no mother: outside the population
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=("2024-06",))
    assert r.cell("2024-06", 2021) == both(sum(consults.values()), len(consults))


def test_a_record_without_mother_never_merges_with_a_mother_of_the_same_id_text(
    tmp_path: Path,
) -> None:
    """Birth ids and person ids are different identifier domains: a mother-less record whose
    birth id happens to equal some mother's person id is still its own pregnancy."""
    d = DatasetBuilder()
    m = d.mother_in("GM0363", "same01")
    d.birth(m, date(2021, 3, 1), first_visit=90, birth_id="other1")
    d.birth(None, date(2021, 3, 1), first_visit=90, birth_id="same01")
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021) == both(2, 2)

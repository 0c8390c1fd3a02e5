"""Child-birth family: Big2 (2019-12 editions 2019-2020 and 2021-2023; 2024-15), preterm,
SGA and (2024) mortality. One unit per child born, live or stillborn."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.spec.builder import DatasetBuilder
from tests.spec.harness import both, run

BIG2_2019 = ("2019-12", "2019-12a", "2019-12b")
MORTALITY = ("2024-15-perinatal", "2024-15-fetal", "2024-15-neonatal", "2024-15-infant")


def test_big2_counts_twins_per_child(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m = d.mother_in("GM0363")
    d.birth(m, date(2021, 5, 1), ga_days=250, multiplicity=2, order=1)
    d.birth(m, date(2021, 5, 1), ga_days=250, multiplicity=2, order=2)
    d.birth(d.mother_in("GM0363"), date(2021, 5, 1))
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=BIG2_2019)
    assert r.cell("2019-12", 2021) == both(2, 3)
    assert r.cell("2019-12a", 2021) == both(2, 3)
    assert r.cell("2019-12", 2021, ("gemeente", "GM0363")) == both(2, 3)


def test_preterm_is_before_37_weeks_and_preterm_32_before_32_weeks(tmp_path: Path) -> None:
    d = DatasetBuilder()
    for ga in (223, 224, 258, 259):
        d.birth(None, date(2021, 5, 1), ga_days=ga, percentile=50.0)
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=("2024-15a", "2024-15b"))
    assert r.cell("2024-15a", 2021) == both(3, 4)
    assert r.cell("2024-15b", 2021) == both(1, 4)


def test_stillbirths_count_from_24_weeks_from_edition_2021(tmp_path: Path) -> None:
    d = DatasetBuilder()
    for ga in (153, 154, 167, 168):
        d.birth(None, date(2021, 5, 1), ga_days=ga, live=False, weight=None)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=BIG2_2019)
    assert r.cell("2019-12", 2021) == both(1, 1)


def test_stillbirths_count_from_22_weeks_in_editions_2019_and_2020(tmp_path: Path) -> None:
    d = DatasetBuilder()
    for ga in (153, 154, 167, 168):
        d.birth(None, date(2019, 5, 1), ga_days=ga, live=False, weight=None)
    r = run(d, tmp_path, edition=2020, years=(2019, 2019), indicators=BIG2_2019)
    assert r.cell("2019-12", 2019) == both(3, 3)
    # Before day 161 birth weight cannot be assessed: not SGA, but in the denominator.
    assert r.cell("2019-12b", 2019) == both(0, 3)


def test_sga_prefers_the_supplied_percentile(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.birth(None, date(2021, 5, 1), sex="F", weight=4000, percentile=9.9)  # SGA by percentile
    d.birth(None, date(2021, 5, 1), sex="F", weight=2000, percentile=10.0)  # not SGA
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=BIG2_2019)
    assert r.cell("2019-12b", 2021) == both(1, 2)


def test_sga_by_hoftiezer_p10_without_a_supplied_percentile(tmp_path: Path) -> None:
    """P10 at 280 days: 2968 g for girls, 3086 g for boys."""
    d = DatasetBuilder()
    d.birth(None, date(2021, 5, 1), sex="F", weight=2967)  # below P10
    d.birth(None, date(2021, 5, 1), sex="F", weight=2968)  # at P10: not below
    d.birth(None, date(2021, 5, 1), sex="M", weight=3085)  # below P10
    d.birth(None, date(2021, 5, 1), sex="M", weight=3086)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=BIG2_2019)
    assert r.cell("2019-12b", 2021) == both(2, 4)
    assert r.cell("2019-12", 2021) == both(2, 4)


def test_sga_beyond_294_days_uses_day_294(tmp_path: Path) -> None:
    """Day 294 P10: 3318 g for boys, 3185 g for girls (Kansenkaart's fixed values)."""
    d = DatasetBuilder()
    d.birth(None, date(2021, 5, 1), sex="M", ga_days=300, weight=3317)
    d.birth(None, date(2021, 5, 1), sex="M", ga_days=300, weight=3318)
    d.birth(None, date(2021, 5, 1), sex="F", ga_days=310, weight=3184)
    d.birth(None, date(2021, 5, 1), sex="F", ga_days=310, weight=3185)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=BIG2_2019)
    assert r.cell("2019-12b", 2021) == both(2, 4)


def test_sga_not_assessable_counts_in_the_denominator_only(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.birth(None, date(2021, 5, 1), sex=None, weight=500)  # unknown sex
    d.birth(None, date(2021, 5, 1), sex="F", weight=None)  # unknown weight
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=BIG2_2019)
    assert r.cell("2019-12b", 2021) == both(0, 2)
    assert r.cell("2019-12", 2021) == both(0, 2)


def test_birth_on_31_december_belongs_to_that_year(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.birth(None, date(2020, 12, 31), ga_days=250)
    d.birth(None, date(2021, 1, 1), ga_days=250)
    d.birth(None, date(2021, 1, 1))
    r = run(d, tmp_path, edition=2021, years=(2020, 2021), indicators=BIG2_2019)
    assert r.cell("2019-12", 2020) == both(1, 1)
    assert r.cell("2019-12", 2021) == both(1, 2)


def test_mortality_codes(tmp_path: Path) -> None:
    """0 alive at 1 year; 1 antepartum and 2 intrapartum death (stillbirths); 3 death day
    0-6; 4 day 7-27; 5 day 28-364; 9 unknown."""
    d = DatasetBuilder()
    for code in (0, 3, 4, 5, 9):
        d.birth(None, date(2021, 5, 1), mortality=code)
    for code in (1, 2):
        d.birth(None, date(2021, 5, 1), live=False, mortality=code)
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=MORTALITY)
    assert r.cell("2024-15-perinatal", 2021) == both(4, 7)  # 1, 2, 3, 4
    assert r.cell("2024-15-fetal", 2021) == both(2, 7)  # 1, 2
    assert r.cell("2024-15-neonatal", 2021) == both(2, 5)  # live births: 3, 4
    assert r.cell("2024-15-infant", 2021) == both(3, 5)  # live births: 3, 4, 5


def test_a_stillbirth_with_unknown_mortality_code_is_a_fetal_death(tmp_path: Path) -> None:
    """The contract allows a stillbirth coded 9 (unknown); the catalogue defines fetal
    mortality as 'stillborn', so it counts as a fetal (and perinatal) death."""
    d = DatasetBuilder()
    d.birth(None, date(2021, 5, 1), live=False, mortality=9)
    d.birth(None, date(2021, 5, 1))
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=MORTALITY)
    assert r.cell("2024-15-fetal", 2021) == both(1, 2)
    assert r.cell("2024-15-perinatal", 2021) == both(1, 2)


def test_missing_mothers_are_counted_per_child_in_the_unknown_region(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.birth(None, date(2021, 5, 1), ga_days=250)
    d.birth(None, date(2021, 5, 1))
    m = d.mother()  # a mother without any address
    d.birth(m, date(2021, 5, 1), ga_days=250)
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=("2024-15",))
    assert r.cell("2024-15", 2021, ("unknown", "NL00")) == both(2, 3)
    assert r.cell("2024-15", 2021) == both(2, 3)

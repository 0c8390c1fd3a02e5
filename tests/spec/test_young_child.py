"""Young-child family: 2019-15 out-of-home placement of children under two. One unit per
child and data year (born that year or the year before, with a known legal parent); placed
when a protection measure (11, 12, 21-23) and youth care with residence (11-14) ran on one
and the same day of the data year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.spec.builder import DatasetBuilder
from tests.spec.harness import both, run

PLACEMENT = ("2019-15",)
BORN = date(2021, 2, 1)


def _child(d: DatasetBuilder, born: date = BORN) -> str:
    return d.child(d.mother_in("GM0363"), born, perined=False)


@pytest.mark.parametrize(
    ("rule", "measure", "care", "placed"),
    [
        (
            "spells overlap",
            (date(2021, 3, 1), date(2021, 6, 30), 11),
            (date(2021, 6, 30), None, 12),
            1,
        ),
        (
            "measure then care, no common day (AND, not OR)",
            (date(2021, 3, 1), date(2021, 4, 30), 21),
            (date(2021, 5, 1), date(2021, 8, 1), 13),
            0,
        ),
        (
            "care without residence",
            (date(2021, 3, 1), None, 11),
            (date(2021, 3, 1), None, 21),
            0,
        ),
        (
            "another measure than supervision or guardianship",
            (date(2021, 3, 1), None, 31),
            (date(2021, 3, 1), None, 14),
            0,
        ),
    ],
)
def test_placement_needs_measure_and_residential_care_on_one_day(
    tmp_path: Path,
    rule: str,
    measure: tuple[date, date | None, int],
    care: tuple[date, date | None, int],
    placed: int,
) -> None:
    d = DatasetBuilder()
    c = _child(d)
    d.protection(c, measure[0], measure[1], code=measure[2])
    d.care(c, care[0], care[1], code=care[2])
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=PLACEMENT)
    assert r.cell("2019-15", 2021) == both(placed, 1), rule


def test_the_overlap_must_fall_in_the_data_year(tmp_path: Path) -> None:
    d = DatasetBuilder()
    c = _child(d, date(2020, 3, 1))
    d.protection(c, date(2020, 4, 1), date(2020, 12, 31))
    d.care(c, date(2020, 6, 1), date(2021, 3, 1))  # care continues, the measure does not
    r = run(d, tmp_path, edition=2021, years=(2020, 2021), indicators=PLACEMENT)
    assert r.cell("2019-15", 2020) == both(1, 1)
    assert r.cell("2019-15", 2021) == both(0, 1)


def test_children_under_two_born_this_year_or_last(tmp_path: Path) -> None:
    d = DatasetBuilder()
    _child(d, date(2021, 12, 31))
    _child(d, date(2020, 1, 1))
    _child(d, date(2019, 12, 31))  # too old in 2021
    _child(d, date(2022, 1, 1))  # not yet born
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=PLACEMENT)
    assert r.cell("2019-15", 2021) == both(0, 2)


def test_children_need_one_known_parent_and_a_father_only_child_lives_with_him(
    tmp_path: Path,
) -> None:
    """The region is the mother's address on 30 June, without a known mother the father's
    (as for the live births of indicator 11); a parent without an address then: NL00."""
    d = DatasetBuilder()
    father = d.father()
    d.address(father, "GM0599", date(2015, 1, 1))
    c = d.child(None, BORN, father, perined=False)
    d.protection(c, date(2021, 3, 1))
    d.care(c, date(2021, 3, 1))
    d.child(None, BORN, d.father(), perined=False)  # father without an address: NL00
    d.child(None, BORN, None, perined=False)  # no known parent: not in the population
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=PLACEMENT)
    assert r.cell("2019-15", 2021) == both(1, 2)
    assert r.cell("2019-15", 2021, ("gemeente", "GM0599")) == both(1, 1)
    assert r.cell("2019-15", 2021, ("unknown", "NL00")) == both(0, 1)


def test_placements_are_pooled_over_five_years_per_municipality(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m = d.mother_in("GM0363")
    for year in (2016, 2018, 2020):
        c = d.child(m, date(year, 3, 1), perined=False)
        if year == 2018:
            d.protection(c, date(2018, 5, 1), date(2018, 9, 1))
            d.care(c, date(2018, 8, 1), date(2018, 10, 1))
    r = run(d, tmp_path, edition=2021, years=(2016, 2021), indicators=PLACEMENT)
    assert r.cell("2019-15", (2016, 2020), ("gemeente", "GM0363")) == both(1, 5)
    assert r.cell("2019-15", (2017, 2021), ("gemeente", "GM0363")) == both(1, 5)
    assert r.cell("2019-15", (2017, 2021)) == both(1, 5)


def test_children_who_died_before_the_year_are_not_under_two_in_it(tmp_path: Path) -> None:
    """A deviation from RIVM's code, which keeps them: a child who died before 1 January of
    the data year is not a child under two in that year; one who dies during it is."""
    d = DatasetBuilder()
    died_2020 = _child(d, date(2020, 3, 1))
    d.death(died_2020, date(2020, 12, 31))  # in 2020's denominator, not in 2021's
    died_new_year = _child(d, date(2020, 5, 1))
    d.death(died_new_year, date(2021, 1, 1))  # alive on 1 January 2021: in both
    placed = _child(d, date(2021, 1, 10))
    d.protection(placed, date(2021, 2, 1))
    d.care(placed, date(2021, 2, 1))
    d.death(placed, date(2021, 6, 1))  # placed, then died in the year: counts in 2021
    r = run(d, tmp_path, edition=2021, years=(2020, 2021), indicators=PLACEMENT)
    assert r.cell("2019-15", 2020) == both(0, 2)
    assert r.cell("2019-15", 2021) == both(1, 2)

"""JGZ-contact family: 2019-13 (speech-language) and 2019-14 (overweight at about two).
One unit per child and year (the first contact of the year); region = the child's
registration on 31 December."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kansrijk.reference import iotf_cutoff
from tests.spec.builder import DatasetBuilder
from tests.spec.harness import NO_CELL, both, run

JGZ = ("2019-13", "2019-14")
CONTACT = date(2021, 3, 1)


def _toddler(d: DatasetBuilder, sex: str = "F", municipality: str = "GM0363") -> str:
    c = d.child(d.mother(), date(2019, 3, 1), perined=False, sex=sex)
    d.address(c, municipality, date(2019, 3, 1))
    return c


def test_speech_language_negative_on_both_items(tmp_path: Path) -> None:
    d = DatasetBuilder()
    for says, points in ((False, False), (False, True), (True, False), (True, True)):
        d.jgz(_toddler(d), CONTACT, says_two_words=says, points_body_parts=points)
    d.jgz(_toddler(d), CONTACT, says_two_words=False, points_body_parts=None)  # not scored
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=JGZ)
    assert r.cell("2019-13", 2021) == both(1, 4)
    assert r.cell("2019-13", 2021, ("gemeente", "GM0363")) == both(1, 4)


def test_the_first_contact_of_the_year_counts(tmp_path: Path) -> None:
    d = DatasetBuilder()
    c = _toddler(d)
    d.jgz(c, date(2021, 2, 1), says_two_words=False, points_body_parts=False)
    d.jgz(c, date(2021, 9, 1), says_two_words=True, points_body_parts=True)
    d.jgz(c, date(2022, 1, 5), says_two_words=True, points_body_parts=True)
    r = run(d, tmp_path, edition=2021, years=(2021, 2022), indicators=JGZ)
    assert r.cell("2019-13", 2021) == both(1, 1)
    assert r.cell("2019-13", 2022) == both(0, 1)


def _weight_for_bmi(bmi: float, height_cm: float) -> float:
    return round(bmi * (height_cm / 100) ** 2, 3)


def test_overweight_at_or_above_the_iotf_cut_off(tmp_path: Path) -> None:
    d = DatasetBuilder()
    height = 88.0
    for sex, age_days in (("M", 745), ("F", 800)):
        cut = iotf_cutoff(sex, age_days / 365.25)
        for delta in (0.05, -0.05):
            d.jgz(
                _toddler(d, sex),
                CONTACT,
                age_days=age_days,
                height_cm=height,
                weight_kg=_weight_for_bmi(cut + delta, height),
            )
    d.jgz(_toddler(d), CONTACT, height_cm=None, weight_kg=13.0)  # not measured
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=JGZ)
    assert r.cell("2019-14", 2021) == both(2, 4)


def test_ages_below_two_use_the_age_two_cut_off(tmp_path: Path) -> None:
    """At 21 months a BMI just above the age-2 cut-off (18.02 for girls) is overweight."""
    d = DatasetBuilder()
    cut = iotf_cutoff("F", 2.0)
    for delta in (0.05, -0.05):
        d.jgz(
            _toddler(d),
            CONTACT,
            age_days=640,
            height_cm=84.0,
            weight_kg=_weight_for_bmi(cut + delta, 84.0),
        )
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=JGZ)
    assert r.cell("2019-14", 2021) == both(1, 2)


def test_jgz_organisation_breakdown_nationally_only(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.jgz(_toddler(d), CONTACT, organisation="JGZ01", says_two_words=False, points_body_parts=False)
    d.jgz(_toddler(d), CONTACT, organisation="JGZ02")
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=JGZ)
    assert r.cell("2019-13", 2021, breakdown=("jgz_organisation", "JGZ01")) == both(1, 1)
    assert r.cell("2019-13", 2021, breakdown=("jgz_organisation", "JGZ02")) == both(0, 1)
    municipal = r.cell(
        "2019-13", 2021, ("gemeente", "GM0363"), breakdown=("jgz_organisation", "JGZ01")
    )
    assert municipal == NO_CELL
    province = r.cell(
        "2019-13", 2021, ("province", "PV27"), breakdown=("jgz_organisation", "JGZ01")
    )
    assert province == NO_CELL  # yearly breakdowns: NL only


def test_child_region_on_31_december_of_the_contact_year(tmp_path: Path) -> None:
    d = DatasetBuilder()
    c = d.child(d.mother_in("GM0363"), date(2019, 3, 1), perined=False)
    d.address(c, "GM0363", date(2019, 3, 1), date(2021, 12, 30))
    d.address(c, "GM0599", date(2021, 12, 31))
    d.jgz(c, CONTACT)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=JGZ)
    assert r.cell("2019-13", 2021, ("gemeente", "GM0599")) == both(0, 1)
    assert r.cell("2019-13", 2021, ("province", "PV28")) == both(0, 1)

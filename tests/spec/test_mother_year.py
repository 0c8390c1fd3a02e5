"""Mother-year family (2024-10 debts of mother or partner, 2024-11 psychological problems of
mother or partner): one unit per mother and year of a live birth; partner = the father of her
first child that year; region = that child's registration on 31 December."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.spec.builder import DatasetBuilder
from tests.spec.harness import both, run

MOTHER_YEAR = ("2024-10", "2024-11")


def _family(d: DatasetBuilder, born: date, municipality: str = "GM0363") -> tuple[str, str, str]:
    m, f = d.mother(), d.father()
    c = d.child(m, born, f, perined=False)
    d.address(c, municipality, born)
    return m, f, c


def test_debts_of_the_partner_count(tmp_path: Path) -> None:
    d = DatasetBuilder()
    _, f, _ = _family(d, date(2021, 5, 1))
    d.wsnp(f, date(2020, 1, 1))  # open WSNP spell from the year before
    m2, _, _ = _family(d, date(2021, 5, 1))
    d.arrears(m2, 2021)
    _family(d, date(2021, 5, 1))
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=MOTHER_YEAR)
    assert r.cell("2024-10", 2021) == both(2, 3)
    assert r.cell("2024-10", 2021, ("gemeente", "GM0363")) == both(2, 3)


def test_one_unit_per_mother_and_year_with_the_first_childs_father(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m, f, _ = _family(d, date(2021, 1, 10))
    d.child(m, date(2021, 1, 10), f, perined=False)  # twin
    later_father = d.father()
    d.child(m, date(2021, 12, 20), later_father, perined=False)  # second child that year
    d.arrears(later_father, 2021)  # not the partner of the year
    d.child(m, date(2022, 6, 1), later_father, perined=False)  # partner of 2022
    d.arrears(later_father, 2022)
    r = run(d, tmp_path, edition=2024, years=(2021, 2022), indicators=MOTHER_YEAR)
    assert r.cell("2024-10", 2021) == both(0, 1)
    assert r.cell("2024-10", 2022) == both(1, 1)


def test_children_without_a_mother_make_no_mother_year(tmp_path: Path) -> None:
    d = DatasetBuilder()
    f = d.father()
    d.arrears(f, 2021)
    d.child(None, date(2021, 5, 1), f, perined=False)
    d.child(None, date(2021, 6, 1), d.father(), perined=False)
    _family(d, date(2021, 5, 1))
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=MOTHER_YEAR)
    assert r.cell("2024-10", 2021) == both(0, 1)


def test_ggz_costs_basic_and_specialist_before_2022_zpm_from_2022(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m, _, _ = _family(d, date(2021, 5, 1))
    d.costs(m, 2021, ggz_basic=0.0, ggz_specialist=80.0)
    _, f, _ = _family(d, date(2022, 5, 1))
    d.costs(f, 2022, ggz_zpm=40.0)
    m3, _, _ = _family(d, date(2022, 5, 1))
    d.costs(m3, 2022, ggz_zpm=0.0)
    r = run(d, tmp_path, edition=2024, years=(2021, 2022), indicators=MOTHER_YEAR)
    assert r.cell("2024-11", 2021) == both(1, 1)
    assert r.cell("2024-11", 2022) == both(1, 2)


def test_psychotropic_medication_n05a_to_n06c(tmp_path: Path) -> None:
    d = DatasetBuilder()
    for atc in ("N05A", "N05C", "N06B", "N06C", "N06D", "N02A"):
        m, _, _ = _family(d, date(2021, 5, 1))
        d.medication(m, 2021, atc)
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=MOTHER_YEAR)
    assert r.cell("2024-11", 2021) == both(4, 6)


def test_region_is_the_childs_registration_on_31_december(tmp_path: Path) -> None:
    d = DatasetBuilder()
    m, f = d.mother_in("GM0599"), d.father()  # the mother lives in Rotterdam
    c = d.child(m, date(2021, 5, 1), f, perined=False)
    d.address(c, "GM0599", date(2021, 5, 1), date(2021, 12, 30))
    d.address(c, "GM0363", date(2021, 12, 31))  # registered in Amsterdam on 31 December
    m2 = d.mother_in("GM0363")
    c2 = d.child(m2, date(2021, 5, 1), perined=False)
    d.address(c2, "GM0599", date(2021, 5, 1), date(2021, 12, 31))
    d.address(c2, "GM0363", date(2022, 1, 1))  # moves a day too late: Rotterdam
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=MOTHER_YEAR)
    assert r.cell("2024-10", 2021, ("gemeente", "GM0363")) == both(0, 1)
    assert r.cell("2024-10", 2021, ("gemeente", "GM0599")) == both(0, 1)


def test_a_child_without_an_address_is_in_the_unknown_region(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.child(d.mother_in("GM0363"), date(2021, 5, 1), perined=False)
    r = run(d, tmp_path, edition=2024, years=(2021, 2021), indicators=MOTHER_YEAR)
    assert r.cell("2024-10", 2021, ("unknown", "NL00")) == both(0, 1)

"""Region rules shared by the families: the address on the reference date, mergers and
postcode splits to the classification year, provinces, the unknown remainder, breakdowns at
national and provincial level only, and 5-year pooled windows. Shown on 2019-07 (pregnancy,
mother's address on 30 June)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.spec.builder import DatasetBuilder
from tests.spec.harness import NO_CELL, both, run

CARE = ("2019-07",)


def _pregnancy_in(
    d: DatasetBuilder, municipality: str, year: int, postcode4: int | None = None
) -> None:
    m = d.mother()
    d.address(m, municipality, date(year - 1, 1, 1), postcode4=postcode4)
    d.birth(m, date(year, 9, 1))


@pytest.mark.parametrize(
    ("rule", "municipality", "year", "postcode4", "classification", "expected"),
    [
        ("Littenseradiel 8831 -> Waadhoeke", "GM0140", 2017, 8831, 2023, "GM1949"),
        (
            "Littenseradiel without postcode -> default successor",
            "GM0140",
            2017,
            None,
            2023,
            "GM1900",
        ),
        ("Haaren (Esch) 5296 -> Boxtel", "GM0788", 2020, 5296, 2023, "GM0757"),
        ("Weesp 2021 -> Amsterdam on 2023 boundaries", "GM0457", 2021, None, 2023, "GM0363"),
        ("Weesp 2021 stays Weesp on 2022 boundaries", "GM0457", 2021, None, 2022, "GM0457"),
    ],
)
def test_mergers_and_postcode_splits_map_to_the_classification_year(
    tmp_path: Path,
    rule: str,
    municipality: str,
    year: int,
    postcode4: int | None,
    classification: int,
    expected: str,
) -> None:
    d = DatasetBuilder()
    _pregnancy_in(d, municipality, year, postcode4)
    r = run(
        d,
        tmp_path,
        edition=2021,
        years=(year, year),
        classification_year=classification,
        indicators=CARE,
    )
    assert r.cell("2019-07", year, ("gemeente", expected)) == both(0, 1), rule


def test_mother_moving_on_30_june_counts_in_the_new_municipality(tmp_path: Path) -> None:
    d = DatasetBuilder()
    moved_30_june = d.mother()
    d.address(moved_30_june, "GM0599", date(2015, 1, 1), date(2021, 6, 29))
    d.address(moved_30_june, "GM0363", date(2021, 6, 30))
    d.birth(moved_30_june, date(2021, 9, 1))
    moved_1_july = d.mother()
    d.address(moved_1_july, "GM0599", date(2015, 1, 1), date(2021, 6, 30))
    d.address(moved_1_july, "GM0363", date(2021, 7, 1))
    d.birth(moved_1_july, date(2021, 9, 1))
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021, ("gemeente", "GM0363")) == both(0, 1)
    assert r.cell("2019-07", 2021, ("gemeente", "GM0599")) == both(0, 1)


def test_no_address_on_30_june_is_the_unknown_region(tmp_path: Path) -> None:
    d = DatasetBuilder()
    gone = d.mother()
    d.address(gone, "GM0363", date(2015, 1, 1), date(2021, 6, 29))  # emigrated before
    d.birth(gone, date(2021, 2, 1))
    d.birth(d.mother(), date(2021, 2, 1))  # never had an address
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021, ("unknown", "NL00")) == both(0, 2)
    assert r.cell("2019-07", 2021) == both(0, 2)
    assert r.cell("2019-07", 2021, ("province", "PV27")) == NO_CELL


def test_provinces_and_nl_add_up_from_units(tmp_path: Path) -> None:
    d = DatasetBuilder()
    _pregnancy_in(d, "GM0363", 2021)  # Noord-Holland
    _pregnancy_in(d, "GM0457", 2021)  # Weesp: Noord-Holland too
    _pregnancy_in(d, "GM0599", 2021)  # Zuid-Holland
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021, ("province", "PV27")) == both(0, 2)
    assert r.cell("2019-07", 2021, ("province", "PV28")) == both(0, 1)
    assert r.cell("2019-07", 2021) == both(0, 3)


def test_breakdowns_only_nationally_and_per_province(tmp_path: Path) -> None:
    d = DatasetBuilder()
    _pregnancy_in(d, "GM0363", 2021)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    single = ("single_parent", "unknown")
    assert r.cell("2019-07", 2021, breakdown=single) == both(0, 1)
    assert r.cell("2019-07", 2021, ("province", "PV27"), single) == both(0, 1)
    assert r.cell("2019-07", 2021, ("gemeente", "GM0363"), single) == NO_CELL


def test_five_year_pooled_windows_at_every_level(tmp_path: Path) -> None:
    d = DatasetBuilder()
    for year in range(2016, 2022):  # Littenseradiel (8831) until 2017, then Waadhoeke
        _pregnancy_in(d, "GM0140" if year < 2018 else "GM1949", year, postcode4=8831)
    r = run(d, tmp_path, edition=2021, years=(2016, 2021), indicators=CARE)
    for window in ((2016, 2020), (2017, 2021)):
        assert r.cell("2019-07", window) == both(0, 5)
        assert r.cell("2019-07", window, ("province", "PV21")) == both(0, 5)
    assert r.cell("2019-07", (2016, 2020), ("gemeente", "GM1949")) == both(0, 5)
    assert r.cell("2019-07", (2015, 2019)) == NO_CELL

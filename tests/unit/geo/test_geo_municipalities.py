"""Municipalities per year and mergers, checked against the shipped tables."""

from __future__ import annotations

from datetime import date

import pytest

from kansrijk.geo import Merger, mergers, municipalities

EXPECTED_COUNTS = {
    2015: 393,
    2016: 390,
    2017: 388,
    2018: 380,
    2019: 355,
    2020: 355,
    2021: 352,
    2022: 345,
    2023: 342,
    2024: 342,
    2025: 342,
}


def codes(year: int) -> set[str]:
    return {m.code for m in municipalities(year)}


@pytest.mark.parametrize(("year", "count"), EXPECTED_COUNTS.items())
def test_counts_per_year(year: int, count: int) -> None:
    found = municipalities(year)
    assert len(found) == count
    assert len({m.code for m in found}) == count
    assert all(m.year == year for m in found)
    assert all(m.code.startswith("GM") and len(m.code) == 6 for m in found)
    assert all(m.province_code.startswith("PV") and m.province_name for m in found)


@pytest.mark.parametrize("year", [2014, 2026])
def test_unsupported_year_names_range(year: int) -> None:
    with pytest.raises(ValueError, match="2015-2025"):
        municipalities(year)


def test_listed_and_derived_fields() -> None:
    amsterdam = {m.code: m for m in municipalities(2023)}["GM0363"]
    assert (amsterdam.name, amsterdam.province_code, amsterdam.province_name) == (
        "Amsterdam",
        "PV27",
        "Noord-Holland",
    )
    y2017 = {m.code: m for m in municipalities(2017)}
    assert y2017["GM0140"].name == "Littenseradiel"  # from the merger list
    assert y2017["GM0140"].province_code == "PV21"  # province of Súdwest-Fryslân
    assert y2017["GM0788"].name == "Haaren"  # from the 2018 list
    y2015 = {m.code: m for m in municipalities(2015)}
    assert y2015["GM1921"].name == "Gemeente GM1921"  # not in any shipped name list
    assert y2015["GM1921"].province_code == "PV21"
    assert "GM1940" not in y2015 and "GM1940" in codes(2016)


def test_pre_2018_mergers_from_cbs_table() -> None:
    found = set(mergers())
    assert Merger(date(2016, 1, 1), "GM1921", "GM1940", "whole") in found
    assert Merger(date(2016, 1, 1), "GM0478", "GM0385", "whole") in found
    assert {m.old_code for m in found if m.new_code == "GM1948"} == {"GM0844", "GM0846", "GM0860"}
    assert min(m.effective_date for m in found) == date(2016, 1, 1)


def test_split_municipalities_are_partial_to_every_successor() -> None:
    def successors(old: str) -> set[tuple[str, str]]:
        return {(m.new_code, m.share) for m in mergers() if m.old_code == old}

    assert successors("GM0140") == {
        ("GM1900", "partial"),
        ("GM1949", "partial"),
        ("GM0080", "partial"),
    }
    assert successors("GM0053") == {("GM1966", "partial"), ("GM1969", "partial")}
    assert {c for c, _ in successors("GM0788")} == {"GM0757", "GM0824", "GM0855", "GM0865"}
    assert Merger(date(2022, 3, 24), "GM0457", "GM0363", "whole") in mergers()


@pytest.mark.parametrize("year", range(2015, 2025))
def test_mergers_turn_one_year_into_the_next(year: int) -> None:
    """Applying the mergers of (1 Jan year, 1 Jan year+1] to one year's list gives the next."""
    window = [m for m in mergers() if date(year, 1, 1) < m.effective_date <= date(year + 1, 1, 1)]
    gone = {m.old_code for m in window}
    assert gone <= codes(year)
    assert (codes(year) - gone) | {m.new_code for m in window} == codes(year + 1)

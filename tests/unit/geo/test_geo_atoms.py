"""Atoms for the synthetic generator: coverage and consistency with to_classification."""

from __future__ import annotations

from datetime import date

import pytest

from kansrijk.geo import Atom, atom_code_on, atoms, municipalities, to_classification

YEARS = range(2015, 2026)


def test_count_and_ids() -> None:
    found = atoms()
    assert len(found) == 399  # 393 municipalities of 2015, 3 + 2 + 4 parts instead of 3 whole
    assert len({a.atom_id for a in found}) == len(found)
    assert all(set(a.codes) == set(YEARS) for a in found)


@pytest.mark.parametrize("year", YEARS)
def test_atom_codes_are_the_municipalities_of_each_year(year: int) -> None:
    assert {a.codes[year] for a in atoms()} == {m.code for m in municipalities(year)}


def by_id() -> dict[str, Atom]:
    return {a.atom_id: a for a in atoms()}


def test_split_parts() -> None:
    parts = {k: a for k, a in by_id().items() if k.startswith("GM0140")}
    assert {a.codes[2025] for a in parts.values()} == {"GM1900", "GM1949", "GM0080"}
    assert all(a.codes[2017] == "GM0140" for a in parts.values())
    assert parts["GM0140-GM1949"].postcodes == (8831, 8841, 8842, 8843)
    haaren = {k: a for k, a in by_id().items() if k.startswith("GM0788")}
    assert {a.codes[2021]: a.postcodes for a in haaren.values()} == {
        "GM0824": (5076,),
        "GM0855": (5074,),
        "GM0757": (5296,),
        "GM0865": (5268,),
    }
    assert by_id()["GM0363"].postcodes == ()


def test_weesp_changes_on_24_march_2022() -> None:
    weesp = by_id()["GM0457"]
    assert weesp.codes[2022] == "GM0457" and weesp.codes[2023] == "GM0363"
    assert atom_code_on(weesp, date(2022, 3, 23)) == "GM0457"
    assert atom_code_on(weesp, date(2022, 3, 24)) == "GM0363"
    assert atom_code_on(weesp, date(2022, 12, 31)) == "GM0363"
    assert atom_code_on(by_id()["GM0363"], date(2022, 3, 23)) == "GM0363"


def test_atom_code_on_first_of_january_is_the_yearly_code() -> None:
    for atom in atoms():
        for year in YEARS:
            assert atom_code_on(atom, date(year, 1, 1)) == atom.codes[year]


@pytest.mark.parametrize("classification_year", range(2018, 2026))
def test_round_trip_through_classification(classification_year: int) -> None:
    """Any residence date up to 1 January of C classifies to the atom's code of C."""
    for atom in atoms():
        postcodes = atom.postcodes or (None,)
        for year in range(2015, classification_year + 1):
            days = (
                [date(year, 1, 1)]
                if year == classification_year
                else [
                    date(year, 1, 1),
                    date(year, 3, 23),
                    date(year, 3, 24),
                    date(year, 12, 31),
                ]
            )
            for day in days:
                code = atom_code_on(atom, day)
                for pc in postcodes:
                    assert (
                        to_classification(code, day, pc, classification_year)
                        == (atom.codes[classification_year])
                    ), (atom.atom_id, day, pc)

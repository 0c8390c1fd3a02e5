"""Atoms: the finest areas whose municipality is known in every year 2015-2025.

Each municipality of 1 January 2015 is one atom, except a municipality later split over several
successors, which gives one atom per successor (Littenseradiel -> 3, Winsum -> 2, Haaren -> 4),
carrying the PC4s listed for that successor. The synthetic generator places people in atoms so
that every year's municipality follows from one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from types import MappingProxyType

from kansrijk.geo._data import FIRST_YEAR, YEARS, check_year
from kansrijk.geo.classification import advance
from kansrijk.geo.municipalities import municipalities
from kansrijk.geo.splits import splits


@dataclass(frozen=True)
class Atom:
    """An area with a known municipality code on 1 January of each year 2015-2025.

    `postcodes` is set only for parts of split municipalities and is empty otherwise.
    """

    atom_id: str
    codes: Mapping[int, str]
    postcodes: tuple[int, ...]


def _postcode(atom: Atom) -> int | None:
    return atom.postcodes[0] if atom.postcodes else None


def _follow(code: str, postcode4: int | None) -> Mapping[int, str]:
    """The code on 1 January of each year for an area in `code` on 1 January 2015."""
    start = date(FIRST_YEAR, 1, 1)
    return MappingProxyType(
        {year: advance(code, start, date(year, 1, 1), postcode4) for year in YEARS}
    )


@cache
def atoms() -> tuple[Atom, ...]:
    """Return all atoms, sorted by id ('GM0140' or, for a part, 'GM0140-GM1949')."""
    parts = {s.old_code: s for s in splits()}
    out: list[Atom] = []
    for m in municipalities(FIRST_YEAR):
        split = parts.get(m.code)
        if split is None:
            out.append(Atom(m.code, _follow(m.code, None), ()))
            continue
        for successor in split.successors:
            postcodes = split.postcodes_of(successor)
            out.append(Atom(f"{m.code}-{successor}", _follow(m.code, postcodes[0]), postcodes))
    return tuple(sorted(out, key=lambda a: a.atom_id))


def atom_code_on(atom: Atom, on_date: date) -> str:
    """Return the atom's municipality code in force on `on_date` (2015-2025).

    Differs from `atom.codes[on_date.year]` only after a merger during the year (Weesp: GM0457
    until 23 March 2022, GM0363 from 24 March 2022).
    """
    check_year(on_date.year)
    return advance(atom.codes[on_date.year], date(on_date.year, 1, 1), on_date, _postcode(atom))

"""Dutch municipalities on 1 January of 2015-2025 and the mergers between them.

2018-2025 come straight from the CBS 1-January list. 2015-2017 are derived from the GM2015-GM2017
columns of the CBS table "Gemeenten en COROP vanaf 1981": a code's name is taken from the 2018+ list
or the merger list when the code appears there, else it is the placeholder "Gemeente GM####"; its
province is the province of its 2018 successor (no municipality changed province in 2015-2018).

Mergers before 2018 (effective 1 January 2016 and 2017) are the code changes between consecutive GM
columns of the CBS table; a pure renumbering (De Friese Meren 1921 -> 1940) counts as a merger.
From 2018 they come from the merger list. A municipality that was split over several successors
(Littenseradiel 2018, Winsum 2019, Haaren 2021) is listed as a `partial` merger to every successor
named in the postcode split table (`kansrijk.geo.splits`), even where the merger list books it
whole to one successor the way CBS does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Literal

from kansrijk.geo._data import (
    CBS_FILE,
    FIRST_YEAR,
    LAST_YEAR,
    LIST_FIRST_YEAR,
    MERGERS_FILE,
    MUNICIPALITIES_FILE,
    YEARS,
    check_year,
    read_rows,
    statcode,
)
from kansrijk.geo.splits import splits

Share = Literal["whole", "partial"]


@dataclass(frozen=True)
class Municipality:
    """A municipality as it existed on 1 January of `year`; codes are 'GM####', provinces 'PV##'."""

    code: str
    name: str
    province_code: str
    province_name: str
    year: int


@dataclass(frozen=True)
class Merger:
    """On `effective_date` (all or part of) `old_code` became part of `new_code`."""

    effective_date: date
    old_code: str
    new_code: str
    share: Share


@cache
def _listed() -> dict[int, tuple[Municipality, ...]]:
    """The 1-January list 2018-2025, by year."""
    by_year: dict[int, list[Municipality]] = defaultdict(list)
    for row in read_rows(MUNICIPALITIES_FILE):
        year = int(row["year"])
        by_year[year].append(
            Municipality(
                code=row["statcode"],
                name=row["gemeentenaam"],
                province_code=row["provinciecode"],
                province_name=row["provincienaam"],
                year=year,
            )
        )
    return {year: tuple(sorted(ms, key=lambda m: m.code)) for year, ms in by_year.items()}


def _cbs_successors(year_from: int, year_to: int) -> dict[str, set[str]]:
    """Map each code of GM`year_from` to its codes in GM`year_to` in the CBS table."""
    out: dict[str, set[str]] = defaultdict(set)
    for row in read_rows(CBS_FILE):
        out[statcode(row[f"GM{year_from}"])].add(statcode(row[f"GM{year_to}"]))
    return dict(out)


@cache
def _derived(year: int) -> tuple[Municipality, ...]:
    """Municipalities of a year before 2018, derived from the CBS table."""
    names: dict[str, str] = {}
    for listed in _listed().values():  # earliest listed name wins
        for m in listed:
            names.setdefault(m.code, m.name)
    for row in read_rows(MERGERS_FILE):
        names.setdefault(row["old_statcode"], row["old_name"])
    first_listed = {m.code: m for m in _listed()[LIST_FIRST_YEAR]}
    out = []
    for code, successors in _cbs_successors(year, LIST_FIRST_YEAR).items():
        provinces = {
            (first_listed[s].province_code, first_listed[s].province_name) for s in successors
        }
        if len(provinces) != 1:
            raise ValueError(f"{code} in {year} has successors in several provinces: {provinces}")
        ((province_code, province_name),) = provinces
        name = names.get(code, f"Gemeente {code}")
        out.append(Municipality(code, name, province_code, province_name, year))
    return tuple(sorted(out, key=lambda m: m.code))


def municipalities(year: int) -> tuple[Municipality, ...]:
    """Return the municipalities that existed on 1 January of `year` (2015-2025), sorted by code."""
    check_year(year)
    if year >= LIST_FIRST_YEAR:
        return _listed()[year]
    return _derived(year)


@cache
def mergers() -> tuple[Merger, ...]:
    """Return every merger effective from 2016-01-01 to 2025, sorted by date and codes."""
    found: dict[tuple[date, str], set[str]] = defaultdict(set)
    for year in range(FIRST_YEAR + 1, LIST_FIRST_YEAR):
        for old, successors in _cbs_successors(year - 1, year).items():
            for new in successors - {old}:
                found[(date(year, 1, 1), old)].add(new)
    for row in read_rows(MERGERS_FILE):
        found[(date.fromisoformat(row["effective_date"]), row["old_statcode"])].add(
            row["new_statcode"]
        )
    for split in splits():
        found[(split.effective_date, split.old_code)] = set(split.successors)
    out = [
        Merger(day, old, new, "whole" if len(news) == 1 else "partial")
        for (day, old), news in found.items()
        for new in news
    ]
    return tuple(sorted(out, key=lambda m: (m.effective_date, m.old_code, m.new_code)))


@cache
def periods() -> dict[str, tuple[date, date | None]]:
    """Return for every code of 2015-2025 the dates [start, end) it was in force (None = still).

    Start is 1 January 2015 for codes that existed then (earlier history is out of range), else the
    date of the merger that created it. End is the date of the merger that dissolved it.
    """
    ends = {m.old_code: m.effective_date for m in mergers()}
    out: dict[str, tuple[date, date | None]] = {}
    for year in YEARS:
        for m in municipalities(year):
            if m.code not in out:
                out[m.code] = (date(year, 1, 1), ends.get(m.code))
    present: dict[str, set[int]] = defaultdict(set)
    for year in YEARS:
        for m in municipalities(year):
            present[m.code].add(year)
    for code, (start, end) in out.items():
        last = (end.year - (end == date(end.year, 1, 1))) if end else LAST_YEAR
        if present[code] != set(range(start.year, last + 1)):
            raise ValueError(f"{code}: the yearly lists and the mergers disagree")
    return out

"""Read the geography package data once; everything else in `kansrijk.geo` builds on these rows."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib.resources import files

FIRST_YEAR = 2015
LAST_YEAR = 2025
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
CBS_FIRST_YEAR = 2015  # first GM column of the CBS table we use
CBS_LAST_YEAR = 2021  # last GM/COROP column of the CBS table
LIST_FIRST_YEAR = 2018  # first year of the 1-January municipality list

MUNICIPALITIES_FILE = "nl_gemeenten_1jan_2018_2025.csv"
MERGERS_FILE = "nl_gemeente_herindelingen_2018_2025.csv"
CBS_FILE = "cbs_gemeenten_en_corop_vanaf_1981_tm_2021.csv"
SPLITS_FILE = "municipality_splits_pc4.csv"


def read_text(name: str) -> str:
    """Return the text of a data file shipped in `kansrijk/geo/data`."""
    return (files("kansrijk.geo") / "data" / name).read_text(encoding="utf-8")


@cache
def read_rows(name: str) -> tuple[dict[str, str], ...]:
    """Return the rows of a shipped CSV as dicts (cached: the files never change at run time)."""
    return tuple(csv.DictReader(io.StringIO(read_text(name))))


def statcode(code: str) -> str:
    """Turn a four-digit CBS municipality code into the 'GM####' form used everywhere here."""
    if len(code) != 4 or not code.isdigit():
        raise ValueError(f"not a four-digit municipality code: {code!r}")
    return f"GM{code}"


def check_year(year: int, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> None:
    """Raise ValueError naming the supported range when `year` falls outside it."""
    if not first <= year <= last:
        raise ValueError(f"year {year} is not supported; supported years are {first}-{last}")

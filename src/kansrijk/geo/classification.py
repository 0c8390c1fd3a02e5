"""Map a residence (municipality code, date, PC4) to the municipality of a classification year.

Classification year C means the municipal boundaries in force on 1 January of C. A residence in
`code` on `on_date` is carried forward through every merger whose effective date is after `on_date`
and on or before 1 January of C, in date order; a split municipality sends it to the successor of
its PC4 (`kansrijk.geo.splits`, default successor when the PC4 is unknown or not listed).

Choices:

* Weesp joined Amsterdam on 24 March 2022, not on 1 January. It therefore maps to Amsterdam for
  C >= 2023 and stays Weesp (GM0457) for C = 2022, because Weesp still existed on 1 January 2022.
  RIVM's DIAPER code patched Weesp into Amsterdam for gem2022; we follow the 1-January rule instead.
* A residence dated on or after 1 January of C keeps its code if that code existed on 1 January of
  C (boundary changes later in the year are ignored); a code created after 1 January of C (e.g.
  Het Hogeland for C = 2018) raises ValueError: reclassifying to earlier boundaries is not
  supported.
* Dates before 1 January 2015 are outside the supported range.

`classification_map` gives the same mapping as a table an engine can join on (see its docstring);
the tests check that both agree on every municipality and year.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache
from itertools import pairwise

import pyarrow as pa

from kansrijk.geo._data import FIRST_YEAR, check_year
from kansrijk.geo.municipalities import mergers, periods
from kansrijk.geo.splits import Split, split_for, splits

FIRST_DATE = date(FIRST_YEAR, 1, 1)


@cache
def _steps() -> tuple[tuple[date, dict[str, str | Split]], ...]:
    """Mergers grouped by effective date: old code -> successor (or its split rule)."""
    by_date: dict[date, dict[str, str | Split]] = defaultdict(dict)
    for merger in mergers():
        rule = split_for(merger.old_code, merger.effective_date)
        by_date[merger.effective_date][merger.old_code] = rule or merger.new_code
    return tuple(sorted(by_date.items()))


def advance(code: str, after: date, until: date, postcode4: int | None) -> str:
    """Carry `code` through every merger effective in (`after`, `until`], in date order."""
    for day, rules in _steps():
        if after < day <= until and code in rules:
            rule = rules[code]
            code = rule.successor(postcode4) if isinstance(rule, Split) else rule
    return code


def exists_on(code: str, day: date) -> bool:
    """Whether municipality `code` was in force on `day`."""
    start, end = periods()[code]
    return start <= day and (end is None or day < end)


def _check_residence(code: str, on_date: date) -> None:
    if on_date < FIRST_DATE:
        raise ValueError(
            f"residence date {on_date} is before {FIRST_DATE}, the first supported date"
        )
    if code not in periods():
        raise ValueError(f"unknown municipality code {code!r} (residence date {on_date})")
    if not exists_on(code, on_date):
        start, end = periods()[code]
        raise ValueError(
            f"municipality {code} did not exist on {on_date} (in force from {start} until {end})"
        )


def _classify(code: str, on_date: date, postcode4: int | None, target: date) -> str | None:
    """The class code, or None when `code` has no counterpart on `target`."""
    result = advance(code, on_date, target, postcode4)
    return result if exists_on(result, target) else None


def to_classification(
    code: str, on_date: date, postcode4: int | None, classification_year: int
) -> str:
    """Return the municipality of `classification_year` for a residence in `code` on `on_date`."""
    check_year(classification_year)
    _check_residence(code, on_date)
    result = _classify(code, on_date, postcode4, date(classification_year, 1, 1))
    if result is None:
        raise ValueError(
            f"municipality {code} on {on_date} has no counterpart among the municipalities of "
            f"{classification_year}: mapping to earlier boundaries is not supported"
        )
    return result


_MAP_SCHEMA = pa.schema(
    [
        ("municipality_code", pa.string()),
        ("valid_from", pa.date32()),
        ("valid_to", pa.date32()),
        ("postcode4", pa.int32()),
        ("class_code", pa.string()),
    ]
)

Outcome = tuple[str | None, tuple[tuple[int, str], ...]]


def _outcome(code: str, day: date, target: date) -> Outcome:
    """Default result and the PC4s whose result differs, for residences from `day` on."""
    default = _classify(code, day, None, target)
    postcodes = sorted(
        {pc for s in splits() if day < s.effective_date <= target for pc in s.by_postcode}
    )
    special = []
    for pc in postcodes:
        result = _classify(code, day, pc, target)
        if result != default:
            if result is None or default is None:
                raise AssertionError(f"{code} {day} {pc}: postcode changes whether it maps")
            special.append((pc, result))
    return default, tuple(special)


@cache
def classification_map(classification_year: int) -> pa.Table:
    """Return `to_classification` for one classification year as a joinable (immutable) table.

    Join a residence (code, date, pc4) on municipality_code = code AND valid_from <= date AND
    (valid_to IS NULL OR date < valid_to) AND (postcode4 IS NULL OR postcode4 = pc4), and prefer
    the row with a postcode. Residences without a match are those `to_classification` rejects.
    """
    check_year(classification_year)
    target = date(classification_year, 1, 1)
    merger_dates = {day for day, _ in _steps()}  # the result only changes at merger dates
    rows: list[tuple[str, date, date | None, int | None, str]] = []
    for code, (start, end) in sorted(periods().items()):
        cuts = sorted(d for d in merger_dates if start < d and (end is None or d < end))
        bounds: list[date | None] = [start, *cuts, end]
        pieces: list[tuple[date, date | None, Outcome]] = []
        for lo, hi in pairwise(bounds):
            assert lo is not None
            outcome = _outcome(code, lo, target)
            if pieces and pieces[-1][2] == outcome:
                pieces[-1] = (pieces[-1][0], hi, outcome)
            else:
                pieces.append((lo, hi, outcome))
        for lo, hi, (default, special) in pieces:
            if default is None:
                continue
            rows.append((code, lo, hi, None, default))
            rows.extend((code, lo, hi, pc, result) for pc, result in special)
    return pa.Table.from_pylist(
        [dict(zip(_MAP_SCHEMA.names, r, strict=True)) for r in rows], _MAP_SCHEMA
    )

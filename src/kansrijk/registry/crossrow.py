"""Checks across rows and tables: duplicate keys, dangling references, overlapping spells,
municipality codes used outside the dates they were in force.

Each runs as one aggregate query for the count, and a second, limited query for example
rows only when something was found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import duckdb

from kansrijk.registry import sql
from kansrijk.registry.report import Issue, display_value

#: Spell tables whose spells must not overlap per person: (person, start, end) columns.
NON_OVERLAPPING_SPELLS: dict[str, tuple[str, str, str]] = {
    "addresses": ("person_id", "valid_from", "valid_to"),
}


def _found(
    con: duckdb.DuckDBPyConnection, base: str, columns: str, order: str, max_examples: int
) -> tuple[int, list[tuple[Any, ...]]]:
    """How many rows ``base`` (a FROM ... WHERE clause) finds, and the first ``max_examples``
    of them (``columns``, ordered by ``order``); the second query runs only when there are
    any (see the module)."""
    total_row = sql.first_row(con, f"SELECT count(*) {base}")
    total = int(total_row[0]) if total_row else 0
    if total == 0:
        return 0, []
    rows = con.execute(
        f"SELECT {columns} {base} ORDER BY {order} LIMIT {int(max_examples)}"
    ).fetchall()
    return total, rows


def duplicate_keys(
    con: duckdb.DuckDBPyConnection,
    view: str,
    table: str,
    key: Sequence[str],
    max_examples: int,
) -> list[Issue]:
    """One issue per duplicated primary key (up to ``max_examples``), naming its rows."""
    cols = ", ".join(sql.ident(k) for k in key)
    not_null = " AND ".join(f"{sql.ident(k)} IS NOT NULL" for k in key)
    total_row = sql.first_row(
        con,
        f"SELECT count(*) FROM (SELECT 1 FROM {view} WHERE {not_null} "
        f"GROUP BY {cols} HAVING count(*) > 1)",
    )
    total = int(total_row[0]) if total_row else 0
    if total == 0:
        return []
    keys = con.execute(
        f"SELECT {cols}, count(*) AS __n, min(__file) AS __f, min(__row) AS __r FROM {view} "
        f"WHERE {not_null} GROUP BY {cols} HAVING count(*) > 1 "
        f"ORDER BY __f, __r LIMIT {int(max_examples)}"
    ).fetchall()
    issues: list[Issue] = []
    for rec in keys:
        values, n = rec[: len(key)], int(rec[len(key)])
        match = " AND ".join(f"{sql.ident(k)} IS NOT DISTINCT FROM ?" for k in key)
        rows = con.execute(
            f"SELECT __file, __row FROM {view} WHERE {match} ORDER BY __file, __row LIMIT 10",
            list(values),
        ).fetchall()
        shown = ", ".join(
            f"{k}={display_value(table, k, v)}" for k, v in zip(key, values, strict=True)
        )
        row_list = ", ".join(f"{f} row {r}" for f, r in rows)
        issues.append(
            Issue(
                "error",
                str(rows[0][0]),
                table,
                "primary_key",
                ", ".join(key),
                int(rows[0][1]),
                shown,
                f"duplicate primary key ({shown}) occurs {n} times: {row_list}",
                total,
            )
        )
    return issues


def dangling_references(
    con: duckdb.DuckDBPyConnection,
    view: str,
    *,
    table: str,
    column: str,
    target_keys: str,
    target_label: str,
    max_examples: int,
) -> list[Issue]:
    """Rows whose non-NULL ``column`` has no match in the one-column relation ``target_keys``."""
    c = sql.ident(column)
    base = f"FROM {view} t ANTI JOIN {target_keys} r ON t.{c} = r.key WHERE t.{c} IS NOT NULL"
    total, rows = _found(con, base, f"t.__file, t.__row, t.{c}", "t.__file, t.__row", max_examples)
    if total == 0:
        return []
    return [
        Issue(
            "error",
            str(f),
            table,
            "reference",
            column,
            int(r),
            display_value(table, column, v),
            f"value '{display_value(table, column, v)}' not found in {target_label}",
            total,
        )
        for f, r, v in rows
    ]


def overlapping_spells(
    con: duckdb.DuckDBPyConnection,
    view: str,
    table: str,
    columns: tuple[str, str, str],
    max_examples: int,
) -> list[Issue]:
    """Spells starting on or before the end of an earlier spell of the same person.

    Compares each spell with the latest end of all earlier spells (open spells count as
    never ending), so a long spell covering several later ones is caught for each of them.
    """
    person, start, end = (sql.ident(c) for c in columns)
    base = (
        f"FROM (SELECT __file, __row, {person} AS p, {start} AS s, {end} AS e, "
        f"max(coalesce({end}, DATE '9999-12-31')) OVER (PARTITION BY {person} "
        f"ORDER BY {start}, __file, __row ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) "
        f"AS prev_end FROM {view} WHERE {person} IS NOT NULL AND {start} IS NOT NULL) "
        "WHERE prev_end >= s"
    )
    total, rows = _found(con, base, "__file, __row, p, s, prev_end", "__file, __row", max_examples)
    if total == 0:
        return []
    issues = []
    for f, r, p, s, prev_end in rows:
        until = "an open spell" if str(prev_end) == "9999-12-31" else f"a spell ending {prev_end}"
        who = display_value(table, columns[0], p)
        issues.append(
            Issue(
                "error",
                str(f),
                table,
                "overlapping_spells",
                columns[1],
                int(r),
                str(s),
                f"spell of {columns[0]} {who} starting {s} overlaps {until}",
                total,
            )
        )
    return issues


#: The engine's residence reference dates (month, day): 30 June for the mother of a birth,
#: 31 December for a child (``kansrijk.indicators.RegionRule``).
REFERENCE_DATES = ((6, 30), (12, 31))


def municipality_dates(
    con: duckdb.DuckDBPyConnection,
    view: str,
    *,
    table: str,
    file: str,
    periods: Mapping[str, tuple[date, date | None]],
    pattern: str | None,
    births_view: str | None,
    max_examples: int,
) -> list[Issue]:
    """Address spells whose municipality code was not in force on (part of) the spell's
    dates: an unknown code, a code used before it came into being or after its merger.

    The engine maps a residence through the merger table and finds no municipality for
    such a date: the unit falls into the unknown remainder NL00. Dates before the first
    date of ``periods`` are not checked (the geography starts there). Besides an error per
    spell (with file, row and code), one warning counts the residences on the engine's
    reference dates (30 June, 31 December) that would fall into NL00, and among them the
    births whose mother lived there on 30 June of the birth year (``births_view``).
    """
    first = min(start for start, _ in periods.values())
    con.execute(
        "CREATE OR REPLACE TEMP TABLE __municipality_periods "
        "(code VARCHAR, start_date DATE, end_date DATE)"
    )
    con.executemany(
        "INSERT INTO __municipality_periods VALUES (?, ?, ?)",
        [(code, start, end) for code, (start, end) in sorted(periods.items())],
    )
    matches = f"AND regexp_matches(a.municipality_code, {sql.literal(pattern)})" if pattern else ""
    far = "DATE '9999-12-31'"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE __bad_spells AS
        SELECT a.__file, a.__row, a.person_id AS p, a.municipality_code AS code,
               a.valid_from AS s, a.valid_to AS e, m.start_date AS m_start, m.end_date AS m_end
        FROM {view} a LEFT JOIN __municipality_periods m ON a.municipality_code = m.code
        WHERE a.person_id IS NOT NULL AND a.municipality_code IS NOT NULL
          AND a.valid_from IS NOT NULL {matches}
          AND coalesce(a.valid_to, {far}) >= DATE '{first}'
          AND (m.code IS NULL OR greatest(a.valid_from, DATE '{first}') < m.start_date
               OR (m.end_date IS NOT NULL AND coalesce(a.valid_to, {far}) >= m.end_date))"""
    )
    total_row = sql.first_row(con, "SELECT count(*) FROM __bad_spells")
    total = int(total_row[0]) if total_row else 0
    if total == 0:
        return []
    rows = con.execute(
        "SELECT __file, __row, code, s, e, m_start, m_end FROM __bad_spells "
        f"ORDER BY __file, __row LIMIT {int(max_examples)}"
    ).fetchall()
    issues = [
        Issue(
            "error",
            str(f),
            table,
            "municipality_dates",
            "municipality_code",
            int(r),
            str(code),
            _dates_message(str(code), s, e, m_start, m_end, first),
            total,
        )
        for f, r, code, s, e, m_start, m_end in rows
    ]
    return [*issues, _remainder_issue(con, view, table, file, first, births_view)]


def _dates_message(
    code: str, s: date, e: date | None, start: date | None, end: date | None, first: date
) -> str:
    until = "is still open" if e is None else f"runs until {e}"
    if start is None:
        return (
            f"municipality code {code} was not in force at any time since {first} (the "
            f"spell from {s} {until}): its residence falls into the unknown remainder NL00"
        )
    problems = []
    if max(s, first) < start:
        problems.append(f"came into being on {start}, but the spell starts on {s}")
    if end is not None and (e is None or e >= end):
        problems.append(
            f"was merged away on {end} (in force until {end - timedelta(days=1)}), but the "
            f"spell {until}"
        )
    return (
        f"municipality {code} {' and '.join(problems)}: residence on dates it was not in "
        "force falls into the unknown remainder NL00 (use the code in force on the spell's "
        "dates; split a spell at a merger)"
    )


def _remainder_issue(
    con: duckdb.DuckDBPyConnection,
    view: str,
    table: str,
    file: str,
    first: date,
    births_view: str | None,
) -> Issue:
    """How many residences on the reference dates the spells of ``__bad_spells`` leave
    without a municipality (and births, by their mother's residence on 30 June), up to the
    last year the extract describes (its latest address or birth date: an open spell runs on
    until then)."""
    latest = [f"SELECT max(greatest(valid_from, coalesce(valid_to, valid_from))) AS d FROM {view}"]
    if births_view is not None:
        latest.append(f"SELECT max(birth_date) AS d FROM {births_view}")
    span = sql.first_row(
        con,
        f"SELECT greatest(year(DATE '{first}'), (SELECT min(year(s)) FROM __bad_spells)), "
        f"year(max(d)) FROM ({' UNION ALL '.join(latest)})",
    )
    y0, y1 = (int(span[0]), int(span[1])) if span else (first.year, first.year)
    days = ", ".join(f"({m}, {d})" for m, d in REFERENCE_DATES)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE __unmapped AS
        SELECT DISTINCT b.p, r.ref FROM __bad_spells b JOIN (
            SELECT make_date(y.range::INTEGER, md.m, md.d) AS ref
            FROM range({y0}, {y1 + 1}) y, (VALUES {days}) md(m, d)) r
          ON r.ref >= DATE '{first}' AND b.s <= r.ref AND (b.e IS NULL OR r.ref <= b.e)
         AND (b.m_start IS NULL OR r.ref < b.m_start
              OR (b.m_end IS NOT NULL AND r.ref >= b.m_end))"""
    )
    counts = sql.first_row(con, "SELECT count(*), count(DISTINCT p) FROM __unmapped")
    residences, persons = (int(counts[0]), int(counts[1])) if counts else (0, 0)
    text = (
        f"{residences} residence(s) of {persons} person(s) on the monitor's reference dates "
        f"(30 June and 31 December, {y0}-{y1}) would fall into the unknown remainder NL00 "
        "because of municipality codes used outside the dates they were in force"
    )
    if births_view is not None:
        found = sql.first_row(
            con,
            f"SELECT count(*) FROM {births_view} b JOIN __unmapped u ON b.mother_id = u.p "
            "AND u.ref = make_date(year(b.birth_date)::INTEGER, 6, 30)",
        )
        births = int(found[0]) if found else 0
        text += f", among them the mother's residence of {births} birth(s) (30 June)"
    return Issue(
        "warning",
        file,
        table,
        "unknown_remainder",
        "municipality_code",
        None,
        None,
        text,
    )


def unknown_codes(
    con: duckdb.DuckDBPyConnection,
    view: str,
    *,
    table: str,
    column: str,
    codes: Iterable[str],
    pattern: str | None,
    max_examples: int,
) -> list[Issue]:
    """Rows whose well-formed municipality code in ``column`` is none of ``codes`` (a code
    that was never a municipality: `kansrijk.geo`'s list); malformed codes are the pattern
    check's. One error per example row, with file, row, column and code."""
    con.execute("CREATE OR REPLACE TEMP TABLE __known_codes (code VARCHAR)")
    con.executemany("INSERT INTO __known_codes VALUES (?)", [(c,) for c in sorted(set(codes))])
    col = sql.ident(column)
    matches = f"AND regexp_matches(v.{col}, {sql.literal(pattern)})" if pattern else ""
    where = (
        f"FROM {view} v LEFT JOIN __known_codes k ON v.{col} = k.code "
        f"WHERE v.{col} IS NOT NULL {matches} AND k.code IS NULL"
    )
    total, rows = _found(
        con, where, f"v.__file, v.__row, v.{col}", "v.__file, v.__row", max_examples
    )
    if total == 0:
        return []
    return [
        Issue(
            "error",
            str(f),
            table,
            "unknown_municipality",
            column,
            int(r),
            str(code),
            f"{code} is not a municipality code (never in force since the geography starts)",
            total,
        )
        for f, r, code in rows
    ]

"""Checks across rows and tables: duplicate keys, dangling references, overlapping spells.

Each runs as one aggregate query for the count, and a second, limited query for example
rows only when something was found.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from kansrijk.registry import sql
from kansrijk.registry.report import Issue, display_value

#: Spell tables whose spells must not overlap per person: (person, start, end) columns.
NON_OVERLAPPING_SPELLS: dict[str, tuple[str, str, str]] = {
    "addresses": ("person_id", "valid_from", "valid_to"),
}


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
    total_row = sql.first_row(con, f"SELECT count(*) {base}")
    total = int(total_row[0]) if total_row else 0
    if total == 0:
        return []
    rows = con.execute(
        f"SELECT t.__file, t.__row, t.{c} {base} ORDER BY t.__file, t.__row "
        f"LIMIT {int(max_examples)}"
    ).fetchall()
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
    total_row = sql.first_row(con, f"SELECT count(*) {base}")
    total = int(total_row[0]) if total_row else 0
    if total == 0:
        return []
    rows = con.execute(
        f"SELECT __file, __row, p, s, prev_end {base} ORDER BY __file, __row "
        f"LIMIT {int(max_examples)}"
    ).fetchall()
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

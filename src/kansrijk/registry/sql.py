"""SQL fragments shared by the readers and the validator: quoting and strict type parsing.

Parsing is stricter than DuckDB's own casts on purpose: ``TRY_CAST('12.5' AS BIGINT)``
rounds to 13 and ``'yes'`` casts to true, but the contract allows neither.
"""

from __future__ import annotations

from typing import Any

import duckdb

from kansrijk.registry.contract import Column, ColumnType

#: DuckDB type each contract type is converted to.
DUCKDB_TYPES: dict[ColumnType, str] = {
    ColumnType.STRING: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.FLOAT: "DOUBLE",
    ColumnType.DATE: "DATE",
    ColumnType.BOOLEAN: "BOOLEAN",
}

#: Stored DuckDB types accepted as they are for each contract type (no text round trip).
_NATIVE: dict[ColumnType, frozenset[str]] = {
    ColumnType.STRING: frozenset({"VARCHAR"}),
    ColumnType.INTEGER: frozenset(
        {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}
    ),
    ColumnType.FLOAT: frozenset(
        {"FLOAT", "DOUBLE", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}
    ),
    ColumnType.DATE: frozenset({"DATE"}),
    ColumnType.BOOLEAN: frozenset({"BOOLEAN"}),
}

_INTEGER_RE = r"[+-]?[0-9]+"
_FLOAT_RE = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"
_DATE_RE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def ident(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str | float | bool) -> str:
    """A SQL literal for a string, number or boolean."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + value.replace("'", "''") + "'"


def is_native(column: Column, stored_type: str) -> bool:
    """True when the stored type can be used for the contract type without parsing text."""
    base = stored_type.split("(", maxsplit=1)[0].upper()
    if column.type is ColumnType.FLOAT and base == "DECIMAL":
        return True
    return base in _NATIVE[column.type]


def text_expr(column: Column, stored_type: str) -> str:
    """The stored value as text (NULL stays NULL), for parsing and for showing in reports."""
    col = ident(column.name)
    return col if stored_type.upper() == "VARCHAR" else f"CAST({col} AS VARCHAR)"


def parse_text(text: str, column_type: ColumnType) -> str:
    """SQL parsing the VARCHAR expression ``text`` to ``column_type``; NULL when it fails."""
    t = f"trim({text})"
    if column_type is ColumnType.STRING:
        return f"NULLIF({text}, '')"
    if column_type is ColumnType.INTEGER:
        return f"CASE WHEN regexp_full_match({t}, '{_INTEGER_RE}') THEN TRY_CAST({t} AS BIGINT) END"
    if column_type is ColumnType.FLOAT:
        return f"CASE WHEN regexp_full_match({t}, '{_FLOAT_RE}') THEN TRY_CAST({t} AS DOUBLE) END"
    if column_type is ColumnType.DATE:
        return f"CASE WHEN regexp_full_match({t}, '{_DATE_RE}') THEN TRY_CAST({t} AS DATE) END"
    return (
        f"CASE lower({t}) WHEN 'true' THEN true WHEN '1' THEN true "
        "WHEN 'false' THEN false WHEN '0' THEN false END"
    )


def parse_expr(column: Column, stored_type: str) -> str:
    """SQL giving ``column`` in its contract type from its stored form (NULL if unparsable)."""
    target = DUCKDB_TYPES[column.type]
    if is_native(column, stored_type):
        return f"CAST({ident(column.name)} AS {target})"
    if column.type is ColumnType.DATE and stored_type.upper().startswith("TIMESTAMP"):
        return f"CAST({ident(column.name)} AS DATE)"
    return parse_text(text_expr(column, stored_type), column.type)


def blank_expr(text: str) -> str:
    """SQL true when a text value counts as missing (NULL, empty or only whitespace)."""
    return f"({text} IS NULL OR trim({text}) = '')"


def first_row(
    con: duckdb.DuckDBPyConnection, query: str, params: list[object] | None = None
) -> tuple[Any, ...]:
    """The first row of a query, fetching the whole (small) result.

    ``fetchone`` would leave the result open, which DuckDB 2 refuses before the next query.
    """
    rows = con.execute(query, params or []).fetchall()
    return tuple(rows[0]) if rows else ()

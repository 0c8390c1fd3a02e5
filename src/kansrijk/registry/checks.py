"""Compile a contract table to per-row checks: SQL conditions that flag offending rows.

Each check is a boolean SQL expression over the *check view* of a table, which holds
``__file``, ``__row``, every present contract column in its contract type (under its own
name, so row rules read naturally) and the stored text of each column as ``__raw__<name>``.
A check is evaluated only on values that parsed, so one bad value is reported once
(as a type error), not again as a range or rule violation.
"""

from __future__ import annotations

from dataclasses import dataclass

from kansrijk.registry import sql
from kansrijk.registry.contract import Column, ColumnType, RowRule, Table
from kansrijk.registry.report import Severity

_TYPE_NAMES = {
    ColumnType.STRING: "text",
    ColumnType.INTEGER: "an integer",
    ColumnType.FLOAT: "a number",
    ColumnType.DATE: "an ISO date (YYYY-MM-DD)",
    ColumnType.BOOLEAN: "a boolean (true/false/1/0)",
}


@dataclass(frozen=True)
class RowCheck:
    """One per-row check: ``condition`` is true on offending rows of the check view.

    ``message`` may contain ``{value}``, replaced by the shown value of the example row.
    ``columns`` are the columns whose values are shown (one for column checks, the rule's
    columns for row rules).
    """

    check: str
    column: str | None
    columns: tuple[str, ...]
    condition: str
    message: str
    severity: Severity = "error"


def raw_name(column: str) -> str:
    """Name of the stored-text column of ``column`` in the check view."""
    return f"__raw__{column}"


def check_view_sql(table: Table, present: dict[str, str], raw_from: str) -> str:
    """SELECT building the check view of ``table`` from the raw relation ``raw_from``."""
    parts = ["__file", "__row"]
    for col in table.columns:
        if col.name not in present:
            continue
        stored = present[col.name]
        parts.append(f"{sql.parse_expr(col, stored)} AS {sql.ident(col.name)}")
        parts.append(f"{sql.text_expr(col, stored)} AS {sql.ident(raw_name(col.name))}")
    return f"SELECT {', '.join(parts)} FROM {raw_from}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def column_checks(col: Column, stored_type: str) -> list[RowCheck]:
    """Type, NOT NULL, range, code and pattern checks of one present column."""
    c, raw = sql.ident(col.name), sql.ident(raw_name(col.name))
    one = (col.name,)
    checks: list[RowCheck] = []
    if not sql.is_native(col, stored_type) and col.type is not ColumnType.STRING:
        checks.append(
            RowCheck(
                "type",
                col.name,
                one,
                f"{c} IS NULL AND NOT {sql.blank_expr(raw)}",
                f"value '{{value}}' is not {_TYPE_NAMES[col.type]}",
            )
        )
    if not col.nullable:
        # Parsed strings are NULL when empty; other parsed types are NULL also when the
        # text did not parse, which the type check reports, so test the text there.
        plain = col.type is ColumnType.STRING or sql.is_native(col, stored_type)
        checks.append(
            RowCheck(
                "not_null",
                col.name,
                one,
                f"{c} IS NULL" if plain else sql.blank_expr(raw),
                "missing value in a column that must not be empty",
            )
        )
    if col.minimum is not None:
        checks.append(
            RowCheck(
                "minimum",
                col.name,
                one,
                f"{c} < {sql.literal(col.minimum)}",
                f"value {{value}} below minimum {_number(col.minimum)}",
            )
        )
    if col.maximum is not None:
        checks.append(
            RowCheck(
                "maximum",
                col.name,
                one,
                f"{c} > {sql.literal(col.maximum)}",
                f"value {{value}} above maximum {_number(col.maximum)}",
            )
        )
    if col.codes is not None:
        allowed = ", ".join(sql.literal(v) for v in col.codes)
        shown = ", ".join(str(v) for v in col.codes)
        checks.append(
            RowCheck(
                "codes",
                col.name,
                one,
                f"{c} NOT IN ({allowed})",
                f"value '{{value}}' is not an allowed code ({shown})",
            )
        )
    if col.pattern is not None:
        checks.append(
            RowCheck(
                "pattern",
                col.name,
                one,
                f"NOT regexp_matches({c}, {sql.literal(col.pattern)})",
                f"value '{{value}}' does not match pattern {col.pattern}",
            )
        )
    return checks


def rule_check(rule: RowRule) -> RowCheck:
    """A contract row rule: offending when its SQL is false (NULL, e.g. from a bad value,
    is not counted: that value is reported by its type check)."""
    return RowCheck(
        f"rule:{rule.name}",
        ", ".join(rule.columns),
        rule.columns,
        f"({rule.sql}) IS FALSE",
        f"{rule.message} ({{value}})",
    )


def table_checks(table: Table, present: dict[str, str]) -> list[RowCheck]:
    """All per-row checks of ``table`` that can run on the columns present."""
    checks: list[RowCheck] = []
    for col in table.columns:
        if col.name in present:
            checks.extend(column_checks(col, present[col.name]))
    for rule in table.rules:
        if all(c in present for c in rule.columns):
            checks.append(rule_check(rule))
    return checks

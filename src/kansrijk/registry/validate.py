"""Validate a dataset directory against the data contract, out of core, with DuckDB.

Per table: the file must be readable and have the contract's columns; then all per-row
checks (types, NOT NULL, ranges, codes, patterns, row rules) run as one aggregate query,
with a limited query for examples of each failed check. Duplicate primary keys,
overlapping address spells, dangling references and municipality codes used outside the
dates they were in force (and codes in ``municipality_classes`` that were never a
municipality) run as their own queries.

Which tables must be there depends on what the dataset is for: with a ``Scope`` (the tables
the requested indicators read, from ``kansrijk.engine.inputs``; the CLI builds it from
``--edition`` and ``--indicator``) a missing table is an error only when a requested
indicator cannot be computed without it, and the contract does not call it optional (or the
scope is strict). Without a scope the contract's ``required`` flags decide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from kansrijk.registry import crossrow, io, sql
from kansrijk.registry.checks import RowCheck, check_view_sql, raw_name, table_checks
from kansrijk.registry.contract import TABLES, TABLES_BY_NAME, Table
from kansrijk.registry.report import Issue, Severity, ValidationReport, display_value


@dataclass(frozen=True)
class Scope:
    """What a dataset is validated for: the tables the requested indicators read.

    ``required``: table -> ids of the requested indicators that cannot be computed without
    it; ``optional``: table -> ids that read it when it is delivered. ``strict``: a missing
    table a requested indicator needs is an error even when the contract calls it optional
    (as ``kansrijk monitor run --strict`` fails on it).
    """

    label: str
    required: Mapping[str, Sequence[str]]
    optional: Mapping[str, Sequence[str]] = field(default_factory=dict)
    strict: bool = False


#: Municipality code -> the dates [start, end) it was in force (end None: still in force).
MunicipalityPeriods = Mapping[str, tuple[date, date | None]]


@dataclass
class _Loaded:
    """A table whose file could be opened, with its check view and present columns."""

    table: Table
    source: io.TableSource
    view: str
    present: dict[str, str]


def validate(
    data_dir: Path,
    *,
    max_examples: int = 5,
    tables: Sequence[str] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    scope: Scope | None = None,
    municipalities: MunicipalityPeriods | None = None,
) -> ValidationReport:
    """Check every contract table in ``data_dir`` (or only ``tables``) and report issues.

    ``scope`` decides which missing tables are errors (see the module docstring);
    ``municipalities`` (``kansrijk.geo.municipalities.periods()``: the registry layer does not
    read the geography itself) turns on the check that every address spell's municipality
    code was in force on the spell's dates.
    """
    if not data_dir.is_dir():
        raise FileNotFoundError(f"not a directory: {data_dir}")
    if tables is not None:
        unknown = [t for t in tables if t not in TABLES_BY_NAME]
        if unknown:
            raise KeyError(f"not in the data contract: {', '.join(unknown)}")
    selected = [t for t in TABLES if tables is None or t.name in tables]
    own = con is None
    db = duckdb.connect() if con is None else con
    db.execute("SET enable_progress_bar = false")
    try:
        issues: list[Issue] = []
        if tables is None:
            issues += [
                Issue(
                    "warning",
                    name,
                    "",
                    "unknown_file",
                    None,
                    None,
                    None,
                    "not a contract table; ignored",
                )
                for name in io.unknown_entries(data_dir)
            ]
        loaded: dict[str, _Loaded] = {}
        for t in selected:
            found, table_issues = _open_table(db, data_dir, t, max_examples, scope)
            issues += table_issues
            if found is not None:
                loaded[t.name] = found
                issues += _table_issues(db, found, max_examples)
        issues += _reference_issues(db, data_dir, loaded, max_examples)
        if municipalities is not None and "addresses" in loaded:
            issues += _municipality_issues(db, loaded, municipalities, max_examples)
        if municipalities is not None and "municipality_classes" in loaded:
            issues += _class_code_issues(
                db, loaded["municipality_classes"], municipalities, max_examples
            )
        return ValidationReport(str(data_dir), tuple(issues), tuple(loaded))
    finally:
        if own:
            db.close()


def _unreadable(file: str, table: str, message: str) -> Issue:
    """The single error for a file that cannot be read at all."""
    return Issue("error", file, table, "unreadable", None, None, None, message)


def _open_table(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    t: Table,
    max_examples: int,
    scope: Scope | None = None,
) -> tuple[_Loaded | None, list[Issue]]:
    """Locate and open a table; report missing tables, unreadable files and column problems."""
    try:
        source = io.locate(data_dir, t.name)
    except io.AmbiguousSourceError as exc:
        return None, [Issue("error", t.name, t.name, "ambiguous_table", None, None, None, str(exc))]
    if source is None:
        sev, message = _missing_table(t, scope)
        return None, [
            Issue(
                sev,
                t.name,
                t.name,
                "missing_table",
                None,
                None,
                None,
                f"{message} (no {t.name}.csv, .parquet or {t.name}/)",
            )
        ]
    file = source.display_name
    try:
        present = io.file_columns(con, source)
    except io.UnreadableFileError as exc:
        return None, [_unreadable(file, t.name, str(exc))]
    except duckdb.Error:
        # DuckDB's message may quote file content; name the file only.
        return None, [_unreadable(file, t.name, f"{file}: cannot be read as Parquet")]
    issues: list[Issue] = []
    if source.format is io.SourceFormat.CSV:
        try:
            rows, rejects = io.csv_rejects(con, source, list(present))
        except duckdb.Error:
            return None, [_unreadable(file, t.name, f"{file}: cannot be read as CSV")]
        if rejects:
            for line, kind in rejects[:max_examples]:
                issues.append(
                    Issue(
                        "error",
                        file,
                        t.name,
                        "csv_structure",
                        None,
                        line - 1,
                        None,
                        f"malformed CSV record on line {line}: {kind.lower()} "
                        "(other checks of this file skipped)",
                        len(rejects),
                    )
                )
            return None, issues
        if rows == 0:
            issues.append(
                Issue(
                    "warning",
                    file,
                    t.name,
                    "no_rows",
                    None,
                    None,
                    None,
                    "file has a header but no data rows",
                )
            )
    for col in t.columns:
        if col.name not in present:
            issues.append(
                Issue(
                    "error",
                    file,
                    t.name,
                    "missing_column",
                    col.name,
                    None,
                    None,
                    f"column {col.name} is missing",
                )
            )
    for name in present:
        if name not in t.column_names:
            issues.append(
                Issue(
                    "warning",
                    file,
                    t.name,
                    "unexpected_column",
                    name,
                    None,
                    None,
                    f"column {name} is not in the contract; ignored",
                )
            )
    view = sql.ident(f"check__{t.name}")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {view} AS "
        f"{check_view_sql(t, present, io.raw_from(source, _csv_header(source, present)))}"
    )
    return _Loaded(t, source, view, present), issues


def _ids(ids: Sequence[str], most: int = 8) -> str:
    shown = ", ".join(ids[:most])
    return shown if len(ids) <= most else f"{shown} and {len(ids) - most} more"


def _missing_table(t: Table, scope: Scope | None) -> tuple[Severity, str]:
    """Severity and message of a missing table: an error only when a requested indicator
    cannot be computed without it (and the contract does not make it optional)."""
    kind = "required" if t.required else "optional"
    if scope is None:
        return ("error" if t.required else "warning"), f"{kind} table is missing"
    needed = list(scope.required.get(t.name, ()))
    if needed:
        if t.required or scope.strict:
            return "error", (
                f"{kind} table is missing: {_ids(needed)} ({scope.label}) cannot be computed "
                "without it"
            )
        return "warning", (
            f"optional table is missing: {_ids(needed)} ({scope.label}) cannot be computed; "
            "`kansrijk monitor run` skips them (an error with --strict)"
        )
    if scope.optional.get(t.name):
        return "warning", (
            f"table is missing: the requested indicators ({scope.label}) run without it "
            "(they read it when it is delivered)"
        )
    return "warning", f"table is missing: not read by the requested indicators ({scope.label})"


def _csv_header(source: io.TableSource, present: dict[str, str]) -> list[str] | None:
    return list(present) if source.format is io.SourceFormat.CSV else None


def _table_issues(con: duckdb.DuckDBPyConnection, lt: _Loaded, max_examples: int) -> list[Issue]:
    checks = table_checks(lt.table, lt.present)
    issues: list[Issue] = []
    if checks:
        counts_sql = ", ".join(f"count_if({c.condition})" for c in checks)
        counts = sql.first_row(con, f"SELECT {counts_sql} FROM {lt.view}")
        for check, n in zip(checks, counts, strict=True):
            if n:
                issues += _examples(con, lt, check, int(n), max_examples)
    key = lt.table.primary_key
    if all(k in lt.present for k in key):
        issues += crossrow.duplicate_keys(con, lt.view, lt.table.name, key, max_examples)
    spell = crossrow.NON_OVERLAPPING_SPELLS.get(lt.table.name)
    if spell is not None and all(c in lt.present for c in spell):
        issues += crossrow.overlapping_spells(con, lt.view, lt.table.name, spell, max_examples)
    return issues


def _examples(
    con: duckdb.DuckDBPyConnection, lt: _Loaded, check: RowCheck, total: int, max_examples: int
) -> list[Issue]:
    raws = ", ".join(sql.ident(raw_name(c)) for c in check.columns)
    rows = con.execute(
        f"SELECT __file, __row, {raws} FROM {lt.view} WHERE {check.condition} "
        f"ORDER BY __file, __row LIMIT {int(max_examples)}"
    ).fetchall()
    table = lt.table.name
    issues = []
    for rec in rows:
        values = [display_value(table, c, v) for c, v in zip(check.columns, rec[2:], strict=True)]
        if len(check.columns) == 1:
            shown = values[0]
        else:
            shown = ", ".join(
                f"{c}={'NULL' if v is None else v}"
                for c, v in zip(check.columns, values, strict=True)
            )
        issues.append(
            Issue(
                check.severity,
                str(rec[0]),
                table,
                check.check,
                check.column,
                int(rec[1]),
                shown,
                check.message.replace("{value}", "NULL" if shown is None else shown),
                total,
            )
        )
    return issues


def _reference_issues(
    con: duckdb.DuckDBPyConnection, data_dir: Path, loaded: dict[str, _Loaded], max_examples: int
) -> list[Issue]:
    """Dangling references, checked only when the referenced table and column exist."""
    key_tables: dict[str, str] = {}
    extra: dict[str, _Loaded | None] = {}
    issues: list[Issue] = []
    for lt in loaded.values():
        for col in lt.table.columns:
            if col.references is None or col.name not in lt.present:
                continue
            target_name, target_col = col.references.split(".")
            if target_name not in loaded and target_name not in extra:
                extra[target_name] = _open_quietly(con, data_dir, target_name)
            target = loaded.get(target_name) or extra.get(target_name)
            if target is None or target_col not in target.present:
                continue
            if col.references not in key_tables:
                keys = sql.ident(f"keys__{target_name}__{target_col}")
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE {keys} AS SELECT DISTINCT "
                    f"{sql.ident(target_col)} AS key FROM {target.view} "
                    f"WHERE {sql.ident(target_col)} IS NOT NULL"
                )
                key_tables[col.references] = keys
            issues += crossrow.dangling_references(
                con,
                lt.view,
                table=lt.table.name,
                column=col.name,
                target_keys=key_tables[col.references],
                target_label=col.references,
                max_examples=max_examples,
            )
    return issues


def _open_quietly(con: duckdb.DuckDBPyConnection, data_dir: Path, name: str) -> _Loaded | None:
    """Open a referenced table that was not selected for validation (issues not reported)."""
    try:
        found, _ = _open_table(con, data_dir, TABLES_BY_NAME[name], 0)
    except (OSError, ValueError, duckdb.Error):
        return None
    return found


def _municipality_issues(
    con: duckdb.DuckDBPyConnection,
    loaded: dict[str, _Loaded],
    municipalities: MunicipalityPeriods,
    max_examples: int,
) -> list[Issue]:
    """Address spells whose municipality code was not in force on the spell's dates, and
    how many residences would fall into the unknown remainder NL00 because of them."""
    lt = loaded["addresses"]
    needed = ("person_id", "municipality_code", "valid_from", "valid_to")
    if not all(c in lt.present for c in needed):
        return []
    births = loaded.get("births")
    usable = births is not None and all(c in births.present for c in ("mother_id", "birth_date"))
    return crossrow.municipality_dates(
        con,
        lt.view,
        table=lt.table.name,
        file=lt.source.display_name,
        periods=municipalities,
        pattern=lt.table.column("municipality_code").pattern,
        births_view=births.view if births is not None and usable else None,
        max_examples=max_examples,
    )


def _class_code_issues(
    con: duckdb.DuckDBPyConnection,
    lt: _Loaded,
    municipalities: MunicipalityPeriods,
    max_examples: int,
) -> list[Issue]:
    """Codes in ``municipality_classes`` that were never a municipality."""
    if "statcode" not in lt.present:
        return []
    return crossrow.unknown_codes(
        con,
        lt.view,
        table=lt.table.name,
        column="statcode",
        codes=municipalities,
        pattern=lt.table.column("statcode").pattern,
        max_examples=max_examples,
    )

"""Find the file(s) holding a contract table and expose them to DuckDB without loading them.

A dataset is a directory with one entry per contract table: ``<table>.parquet``,
``<table>.csv`` or a directory ``<table>/`` of Parquet parts (any ``*.parquet`` below it,
hive partitions such as ``year=2020/`` allowed). Every relation built here carries two
bookkeeping columns, ``__file`` (path relative to the dataset) and ``__row`` (1-based data
row number within that file), so that validation can name the exact offending row.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import duckdb

from kansrijk.registry import sql
from kansrijk.registry.contract import TABLES_BY_NAME, Table

#: Bytes read to decide whether a file is text and to parse its header.
_SNIFF_BYTES = 1 << 16
_PARQUET_MAGIC = b"PAR1"
_reject_ids = itertools.count()


class SourceFormat(StrEnum):
    """How a table is stored in a dataset directory."""

    CSV = "csv"
    PARQUET = "parquet"
    PARQUET_DIR = "parquet_dir"


class UnreadableFileError(ValueError):
    """A table file cannot be read at all (binary garbage, empty, bad header).

    The message names the file and never quotes its content.
    """


@dataclass(frozen=True)
class TableSource:
    """Where one contract table lives inside a dataset directory."""

    table: str
    format: SourceFormat
    path: Path  # the file, or the directory of Parquet parts
    data_dir: Path

    @property
    def display_name(self) -> str:
        """Path relative to the dataset, as shown in reports (directories end in '/')."""
        rel = self.path.relative_to(self.data_dir).as_posix()
        return rel + "/" if self.format is SourceFormat.PARQUET_DIR else rel

    def parquet_files(self) -> list[Path]:
        """The Parquet files of this source, sorted (one file unless a directory)."""
        if self.format is SourceFormat.PARQUET:
            return [self.path]
        if self.format is SourceFormat.PARQUET_DIR:
            return sorted(p for p in self.path.rglob("*.parquet") if p.is_file())
        return []

    @property
    def hive_partitioned(self) -> bool:
        """True when the part files sit in ``key=value`` directories."""
        return any(
            "=" in part
            for f in self.parquet_files()
            for part in f.relative_to(self.path).parts[:-1]
        )


def _candidates(data_dir: Path, table: str) -> list[TableSource]:
    found: list[TableSource] = []
    csv_path, pq_path, dir_path = (
        data_dir / f"{table}.csv",
        data_dir / f"{table}.parquet",
        data_dir / table,
    )
    if csv_path.is_file():
        found.append(TableSource(table, SourceFormat.CSV, csv_path, data_dir))
    if pq_path.is_file():
        found.append(TableSource(table, SourceFormat.PARQUET, pq_path, data_dir))
    if dir_path.is_dir():
        found.append(TableSource(table, SourceFormat.PARQUET_DIR, dir_path, data_dir))
    return found


class AmbiguousSourceError(ValueError):
    """A table is present in more than one form (e.g. both CSV and Parquet)."""


def locate(data_dir: Path, table: str) -> TableSource | None:
    """The source of ``table`` in ``data_dir``, or None when the table is absent.

    Raises AmbiguousSourceError when the table is stored twice, because silently
    picking one of two extracts could validate the wrong data.
    """
    found = _candidates(data_dir, table)
    if len(found) > 1:
        names = ", ".join(s.display_name for s in found)
        raise AmbiguousSourceError(f"table {table} is stored more than once: {names}")
    return found[0] if found else None


#: Provenance files that may sit beside the tables (generator and run manifests, readme, the
#: synthetic generator's truth such as ``synth-vulnerability-truth.parquet``).
SIDECAR_SUFFIXES = ("manifest.json", "README.md", "truth.parquet")


def unknown_entries(data_dir: Path) -> list[str]:
    """Names of files and directories in ``data_dir`` that belong to no contract table
    (hidden files and provenance sidecars such as ``synth-manifest.json`` excepted)."""
    known: set[str] = set()
    for name in TABLES_BY_NAME:
        known.update({f"{name}.csv", f"{name}.parquet", name})
    return sorted(
        p.name
        for p in data_dir.iterdir()
        if not p.name.startswith(".")
        and p.name not in known
        and not p.name.endswith(SIDECAR_SUFFIXES)
    )


def csv_header(path: Path) -> list[str]:
    """Column names from the header line of a CSV file (UTF-8, comma-separated).

    Raises UnreadableFileError for an empty file, binary content or a malformed header.
    """
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    name = path.name
    if not head.strip():
        raise UnreadableFileError(f"{name}: file is empty (no header row)")
    if b"\x00" in head or head.startswith(_PARQUET_MAGIC):
        raise UnreadableFileError(f"{name}: not a CSV text file (binary content)")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sniff boundary is fine; anything else is not UTF-8.
        if exc.start < len(head) - 4:
            raise UnreadableFileError(f"{name}: not UTF-8 text") from None
        text = head[: exc.start].decode("utf-8")
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    try:
        header = next(csv.reader(io.StringIO(first_line)))
    except (csv.Error, StopIteration):
        raise UnreadableFileError(f"{name}: header row cannot be parsed") from None
    header = [h.strip() for h in header]
    if not header or any(not h for h in header):
        raise UnreadableFileError(f"{name}: header row has empty column names")
    if len(set(header)) != len(header):
        raise UnreadableFileError(f"{name}: header row repeats a column name")
    if any(not _printable_name(h) for h in header):
        raise UnreadableFileError(f"{name}: header row is not a list of column names")
    return header


def _printable_name(name: str) -> bool:
    return name.isprintable() and len(name) <= 128


def check_parquet(path: Path) -> None:
    """Raise UnreadableFileError unless ``path`` starts and ends with the Parquet magic."""
    with path.open("rb") as fh:
        start = fh.read(4)
        size = fh.seek(0, 2)
        if size >= 8:
            fh.seek(-4, 2)
        end = fh.read(4)
    if size < 12 or start != _PARQUET_MAGIC or end != _PARQUET_MAGIC:
        raise UnreadableFileError(f"{path.name}: not a Parquet file")


def _csv_options(columns: list[str]) -> str:
    cols = ", ".join(f"{sql.literal(c)}: 'VARCHAR'" for c in columns)
    # Explicit options instead of sniffing: the contract fixes the dialect, and a sniffer
    # can mistake an all-text header for data.
    return (
        f"columns = {{{cols}}}, header = true, auto_detect = false, delim = ',', "
        "quote = '\"', escape = '\"', nullstr = ''"
    )


def raw_from(source: TableSource, columns: list[str] | None = None) -> str:
    """A SQL FROM-expression with the file's own columns plus ``__file`` and ``__row``.

    CSV columns are all VARCHAR (type errors are found per row later); Parquet columns
    keep their stored types. Pass ``columns`` (the CSV header) to avoid re-reading it.
    """
    if source.format is SourceFormat.CSV:
        header = columns if columns is not None else csv_header(source.path)
        path = sql.literal(source.path.as_posix())
        return (
            f"(SELECT {sql.literal(source.display_name)} AS __file, ordinality AS __row, * "
            f"EXCLUDE (ordinality) FROM read_csv({path}, {_csv_options(header)}) "
            "WITH ORDINALITY)"
        )
    files = source.parquet_files()
    file_list = "[" + ", ".join(sql.literal(f.as_posix()) for f in files) + "]"
    hive = "true" if source.hive_partitioned else "false"
    prefix = sql.literal(source.data_dir.as_posix().rstrip("/") + "/")
    return (
        f"(SELECT replace(filename, {prefix}, '') AS __file, file_row_number + 1 AS __row, "
        "* EXCLUDE (filename, file_row_number) "
        f"FROM read_parquet({file_list}, filename = true, file_row_number = true, "
        f"union_by_name = true, hive_partitioning = {hive}))"
    )


def csv_rejects(
    con: duckdb.DuckDBPyConnection, source: TableSource, columns: list[str]
) -> tuple[int, list[tuple[int, str]]]:
    """Count the data rows of a CSV file and list structural errors as (line, error type).

    Uses DuckDB's reject tables so that DuckDB's own error text, which quotes the
    offending line, never reaches a report.
    """
    path = sql.literal(source.path.as_posix())
    name = f"__rejects__{source.table}__{next(_reject_ids)}"
    row = sql.first_row(
        con,
        f"SELECT count(*) FROM read_csv({path}, {_csv_options(columns)}, store_rejects = true, "
        f"rejects_table = {sql.literal(name)}, rejects_scan = {sql.literal(name + '_scan')})",
    )
    rows = int(row[0]) if row else 0
    exists = sql.first_row(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name])
    errors = (
        con.execute(f"SELECT line, error_type FROM {sql.ident(name)} ORDER BY line").fetchall()
        if exists and exists[0]
        else []
    )
    return rows, [(int(line), str(kind)) for line, kind in errors]


def relation(con: duckdb.DuckDBPyConnection, source: TableSource, *, typed: bool = False) -> str:
    """Register a view over ``source`` and return its name, for use in a FROM clause.

    The view has ``__file`` and ``__row`` plus the file's columns. With ``typed=True``
    every contract column present in the file is converted to its contract type
    (values that do not parse become NULL; validation reports them), so the engine can
    read CSV and Parquet alike, out of core.
    """
    raw = raw_from(source)
    view = sql.ident(f"{'typed' if typed else 'raw'}__{source.table}")
    if not typed:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT * FROM {raw}")
        return view
    present = file_columns(con, source)
    contract = TABLES_BY_NAME[source.table]
    selects = ["__file", "__row"]
    selects += [
        f"{sql.parse_expr(c, present[c.name])} AS {sql.ident(c.name)}"
        for c in contract.columns
        if c.name in present
    ]
    con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {', '.join(selects)} FROM {raw}")
    return view


def file_columns(con: duckdb.DuckDBPyConnection, source: TableSource) -> dict[str, str]:
    """Column names of the stored file(s) mapped to their DuckDB type (VARCHAR for CSV)."""
    if source.format is SourceFormat.CSV:
        return dict.fromkeys(csv_header(source.path), "VARCHAR")
    for f in source.parquet_files():
        check_parquet(f)
    described = con.execute(f"DESCRIBE SELECT * FROM {raw_from(source)}").fetchall()
    return {str(r[0]): str(r[1]) for r in described if r[0] not in ("__file", "__row")}


def contract_sources(data_dir: Path, tables: list[Table]) -> Iterator[tuple[Table, TableSource]]:
    """The tables of ``tables`` present in ``data_dir`` with their sources."""
    for t in tables:
        src = locate(data_dir, t.name)
        if src is not None:
            yield t, src

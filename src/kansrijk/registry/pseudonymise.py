"""Turn an extract with raw identifiers into a contract dataset with pseudonyms.

Reads every contract table in an input directory (CSV or Parquet, as ``kansrijk.registry.io``
locates them), replaces each identifier column by keyed pseudonyms and writes one Parquet
file per table with contract types. Output is written to a temporary directory next to
the destination and renamed into place at the end, so a failed run leaves nothing behind.
Columns outside the contract are dropped (they might hold identifiers); their names,
never their values, are reported.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from kansrijk.pseudonym import PseudonymKey, pseudonymise_array
from kansrijk.registry import io, sql
from kansrijk.registry.contract import ID_PATTERN, TABLES, Column, ColumnType, Table

_ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    ColumnType.STRING: pa.string(),
    ColumnType.INTEGER: pa.int64(),
    ColumnType.FLOAT: pa.float64(),
    ColumnType.DATE: pa.date32(),
    ColumnType.BOOLEAN: pa.bool_(),
}
_BATCH_ROWS = 1 << 20


class PseudonymiseError(RuntimeError):
    """The input cannot be pseudonymised as it is (messages hold no data values)."""


def identifier_domain(table: Table, column: Column) -> str | None:
    """Pseudonym domain of an identifier column, or None for other columns.

    Person identifiers (any column referring to persons, and persons.person_id) share the
    domain "person" so that links between tables survive; other keys use their own name.
    """
    if column.pattern != ID_PATTERN:
        return None
    if column.references == "persons.person_id" or (
        table.name == "persons" and column.name == "person_id"
    ):
        return "person"
    return column.name.removesuffix("_id")


@dataclass(frozen=True)
class TableResult:
    """What was written for one table."""

    table: str
    source: str
    rows: int
    identifier_columns: tuple[str, ...]
    dropped_columns: tuple[str, ...]
    missing_columns: tuple[str, ...]


def pseudonymise_dataset(
    in_dir: Path,
    out_dir: Path,
    key: PseudonymKey,
    *,
    progress: Callable[[str], None] = lambda _msg: None,
) -> list[TableResult]:
    """Pseudonymise every contract table of ``in_dir`` into ``out_dir`` (atomically)."""
    if not in_dir.is_dir():
        raise PseudonymiseError(f"input is not a directory: {in_dir}")
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise PseudonymiseError(f"output exists and is not an empty directory: {out_dir}")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        results = []
        with duckdb.connect() as con:
            con.execute("SET enable_progress_bar = false")
            for table in TABLES:
                source = io.locate(in_dir, table.name)
                if source is None:
                    continue
                result = _pseudonymise_table(con, table, source, tmp, key)
                results.append(result)
                progress(
                    f"{result.source} -> {table.name}.parquet: {result.rows} rows, "
                    f"pseudonymised {', '.join(result.identifier_columns) or 'nothing'}"
                    + (
                        f"; dropped {', '.join(result.dropped_columns)}"
                        if result.dropped_columns
                        else ""
                    )
                )
        if out_dir.exists():
            out_dir.rmdir()
        tmp.rename(out_dir)
        return results
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _pseudonymise_table(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    source: io.TableSource,
    out: Path,
    key: PseudonymKey,
) -> TableResult:
    name = source.display_name
    try:
        present = io.file_columns(con, source)
    except (io.UnreadableFileError, duckdb.Error) as exc:
        reason = str(exc) if isinstance(exc, io.UnreadableFileError) else "cannot be read"
        raise PseudonymiseError(f"{name}: {reason}") from None
    columns = [c for c in table.columns if c.name in present]
    raw = io.raw_from(source, list(present) if source.format is io.SourceFormat.CSV else None)
    selects, failures = [], []
    for col in columns:
        text = sql.text_expr(col, present[col.name])
        if identifier_domain(table, col) is not None:
            selects.append(f"{text} AS {sql.ident(col.name)}")
        else:
            parsed = sql.parse_expr(col, present[col.name])
            selects.append(f"{parsed} AS {sql.ident(col.name)}")
            failures.append(f"count_if({parsed} IS NULL AND NOT {sql.blank_expr(text)})")
    if failures:
        try:
            counts = sql.first_row(con, f"SELECT {', '.join(failures)} FROM {raw}")
        except duckdb.Error:
            raise PseudonymiseError(f"{name}: cannot be read") from None
        bad = [
            c.name
            for c, n in zip(
                [c for c in columns if identifier_domain(table, c) is None], counts, strict=True
            )
            if n
        ]
        if bad:
            raise PseudonymiseError(
                f"{name}: values that do not parse as their contract type in column(s) "
                f"{', '.join(bad)}; run `kansrijk registry validate` on the input for details"
            )
    schema = pa.schema([pa.field(c.name, _ARROW_TYPES[c.type]) for c in columns])
    id_cols = tuple(c.name for c in columns if identifier_domain(table, c) is not None)
    rows = 0
    reader = con.sql(f"SELECT {', '.join(selects)} FROM {raw}").to_arrow_reader(_BATCH_ROWS)
    with pq.ParquetWriter(out / f"{table.name}.parquet", schema, compression="zstd") as writer:
        for batch in reader:
            arrays = []
            for col, field in zip(columns, schema, strict=True):
                values = batch.column(col.name)
                domain = identifier_domain(table, col)
                if domain is not None:
                    values = pseudonymise_array(key, domain, values)
                arrays.append(values.cast(field.type))
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            rows += batch.num_rows
    return TableResult(
        table.name,
        name,
        rows,
        id_cols,
        tuple(n for n in present if n not in table.column_names),
        tuple(c.name for c in table.columns if c.name not in present),
    )

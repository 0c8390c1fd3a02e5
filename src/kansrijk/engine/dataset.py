"""Open a contract dataset as Ibis tables, read out-of-core by the backend.

The default backend is DuckDB (embedded). Tables are exposed as views over the Parquet or
CSV files, cast to the contract's types, so nothing is loaded until a query runs. Every
other module of the engine works on Ibis expressions only, so another Ibis backend (Spark)
can take DuckDB's place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import ibis
from ibis.backends.duckdb import Backend as DuckDBBackend

from kansrijk.registry.contract import TABLES_BY_NAME, ColumnType
from kansrijk.registry.io import SourceFormat, TableSource, locate

_DUCKDB_TYPES = {
    ColumnType.STRING: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.FLOAT: "DOUBLE",
    ColumnType.DATE: "DATE",
    ColumnType.BOOLEAN: "BOOLEAN",
}


class MissingTablesError(LookupError):
    """Tables the requested indicators need are not in the dataset (``missing``: table ->
    ids). A run raises it under ``strict`` or when nothing can be computed; otherwise it
    skips those indicators (``engine.run.plan_inputs``)."""

    def __init__(self, missing: dict[str, list[str]]) -> None:
        self.missing = missing
        lines = [f"{table} (needed by {', '.join(ids)})" for table, ids in sorted(missing.items())]
        super().__init__("missing table(s) in the dataset: " + "; ".join(lines))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _from_expression(source: TableSource) -> str:
    spec = TABLES_BY_NAME[source.table]
    if source.format is SourceFormat.CSV:
        types = ", ".join(
            f"{_literal(c.name)}: {_literal(_DUCKDB_TYPES[c.type])}" for c in spec.columns
        )
        raw = (
            f"read_csv({_literal(source.path.as_posix())}, header = true, "
            f"columns = {{{types}}}, dateformat = '%Y-%m-%d')"
        )
    else:
        files = ", ".join(_literal(f.as_posix()) for f in source.parquet_files())
        raw = f"read_parquet([{files}], union_by_name = true)"
    columns = ", ".join(
        f"CAST({c.name} AS {_DUCKDB_TYPES[c.type]}) AS {c.name}" for c in spec.columns
    )
    return f"SELECT {columns} FROM {raw}"


@dataclass
class Dataset:
    """A contract dataset on one Ibis backend connection."""

    path: Path
    con: DuckDBBackend
    sources: dict[str, TableSource] = field(default_factory=dict)
    _hashes: dict[str, str] = field(default_factory=dict)
    _pending: dict[str, Future[str]] = field(default_factory=dict)

    @classmethod
    def open(
        cls, path: Path, *, threads: int | None = None, memory_limit: str | None = None
    ) -> Dataset:
        """Connect DuckDB (in memory, spilling to a temp dir) to the dataset at ``path``."""
        # Insertion order is not needed (every output is sorted) and keeping it costs memory.
        config: dict[str, object] = {"preserve_insertion_order": False}
        if threads:
            config["threads"] = threads
        if memory_limit:
            config["memory_limit"] = memory_limit
        con = ibis.duckdb.connect(**config)
        sources = {}
        for name in TABLES_BY_NAME:
            source = locate(path, name)
            if source is not None:
                sources[name] = source
                con.raw_sql(f"CREATE VIEW src_{name} AS {_from_expression(source)}")
        return cls(path=path, con=con, sources=sources)

    def has(self, table: str) -> bool:
        return table in self.sources

    def table(self, name: str) -> ibis.Table:
        """The contract table ``name`` as an Ibis table (raises if absent: a run only builds
        what ``engine.inputs`` found computable, so this is a safety net)."""
        if name not in self.sources:
            raise MissingTablesError({name: ["(engine)"]})
        return self.con.table(f"src_{name}")

    def prefetch_hashes(self, tables: Iterable[str]) -> None:
        """Start hashing ``tables`` in a background thread (hashing releases the GIL), so
        it overlaps with the queries; ``file_hash`` waits for the result."""
        todo = [t for t in tables if t not in self._hashes and t not in self._pending]
        if not todo:
            return
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kansrijk-hash")
        for t in todo:
            self._pending[t] = pool.submit(self._compute_hash, t)
        pool.shutdown(wait=False)

    def file_hash(self, table: str) -> str:
        """SHA-256 over the bytes of the table's file(s), in a stable order."""
        if table not in self._hashes:
            pending = self._pending.pop(table, None)
            self._hashes[table] = pending.result() if pending else self._compute_hash(table)
        return self._hashes[table]

    def _compute_hash(self, table: str) -> str:
        source = self.sources[table]
        digest = hashlib.sha256()
        files = [source.path] if source.format is SourceFormat.CSV else (source.parquet_files())
        for f in files:
            digest.update(f.relative_to(self.path).as_posix().encode() + b"\0")
            with f.open("rb") as fh:
                digest.update(hashlib.file_digest(fh, "sha256").digest())
        return digest.hexdigest()

    def data_hash(self, tables: tuple[str, ...] | list[str]) -> str:
        """One hash for a set of input tables (the ones a definition reads)."""
        digest = hashlib.sha256()
        for t in sorted(set(tables)):
            digest.update(f"{t}:{self.file_hash(t)}\n".encode())
        return digest.hexdigest()

"""Open a contract dataset as Ibis tables, read out-of-core by the backend.

The default backend is DuckDB (embedded); Spark is the other (``engine.backends``). Tables
are exposed as views over the Parquet or CSV files, cast to the contract's types, so nothing
is loaded until a query runs. Every other module of the engine works on Ibis expressions
only, so either backend computes the same definitions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pyarrow as pa
from ibis.backends import BaseBackend

from kansrijk.engine.backends import Backend, connect
from kansrijk.registry.contract import TABLES_BY_NAME
from kansrijk.registry.io import SourceFormat, TableSource, locate


class MissingTablesError(LookupError):
    """Tables the requested indicators need are not in the dataset (``missing``: table ->
    ids). A run raises it under ``strict`` or when nothing can be computed; otherwise it
    skips those indicators (``engine.run.plan_inputs``)."""

    def __init__(self, missing: dict[str, list[str]]) -> None:
        self.missing = missing
        lines = [f"{table} (needed by {', '.join(ids)})" for table, ids in sorted(missing.items())]
        super().__init__("missing table(s) in the dataset: " + "; ".join(lines))


@dataclass
class Dataset:
    """A contract dataset on one Ibis backend connection."""

    path: Path
    con: BaseBackend
    sources: dict[str, TableSource] = field(default_factory=dict)
    #: How tables are registered, materialised and dropped (None: compile-only datasets).
    backend: Backend | None = None
    _hashes: dict[str, str] = field(default_factory=dict)
    #: The contract tables as Ibis tables, looked up once (each lookup asks the backend for
    #: the schema).
    _tables: dict[str, ibis.Table] = field(default_factory=dict)
    _pending: dict[str, Future[str]] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        engine: str = "duckdb",
        spark_master: str | None = None,
        spark_data: str | None = None,
        tables: Iterable[str] | None = None,
    ) -> Dataset:
        """Connect ``engine`` (DuckDB in memory, spilling to a temp dir; or Spark on
        ``spark_master``) to the dataset at ``path``. ``spark_data``: the URI of the same
        files for Spark's executors (``path`` is then the driver's copy or mount, which it
        reads for the list of files and their hashes). ``tables``: only these contract tables
        (default: all)."""
        backend = connect(
            engine,
            threads=threads,
            memory_limit=memory_limit,
            spark_master=spark_master,
            spark_data=(path, spark_data) if spark_data else None,
        )
        wanted = set(TABLES_BY_NAME if tables is None else tables)
        sources = {}
        for name in (t for t in TABLES_BY_NAME if t in wanted):
            source = locate(path, name)
            if source is not None:
                sources[name] = source
                backend.register(f"src_{name}", source)
        return cls(path=path, con=backend.con, sources=sources, backend=backend)

    def _backend(self) -> Backend:
        if self.backend is None:
            raise TypeError("this dataset compiles queries only; it cannot run them")
        return self.backend

    def materialise(self, name: str, expr: ibis.Table) -> ibis.Table:
        """Run ``expr`` once into the backend table ``name``."""
        return self._backend().materialise(name, expr)

    def constant(self, name: str, table: pa.Table) -> ibis.Table:
        """A small Arrow table loaded into the backend as ``name``."""
        return self._backend().constant(name, table)

    def drop(self, name: str) -> None:
        self._backend().drop(name)

    def describe(self) -> str:
        return self._backend().describe()

    def close(self) -> None:
        """Release the backend's tables (and DuckDB's connection)."""
        if self.backend is not None:
            self.backend.close()

    def has(self, table: str) -> bool:
        return table in self.sources

    def table(self, name: str) -> ibis.Table:
        """The contract table ``name`` as an Ibis table (raises if absent: a run only builds
        what ``engine.inputs`` found computable, so this is a safety net)."""
        if name not in self.sources:
            raise MissingTablesError({name: ["(engine)"]})
        if name not in self._tables:
            source = f"src_{name}"
            table = self.backend.table(source) if self.backend else self.con.table(source)
            self._tables[name] = table
        return self._tables[name]

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

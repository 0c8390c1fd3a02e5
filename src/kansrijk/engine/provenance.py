"""Definition hashes: SHA-256 of a definition and of the query that computes its cells.

The query is built as a run builds it (``engine.run.compute_unpublished``: the parent
attributes, the addresses restricted to parents and children, the family's unit table, the
definition's variant filter and ``aggregate.cells`` for that definition alone), but on an
*empty* dataset with the data contract's schema and with fixed run parameters (``YEARS``,
``CLASSIFICATION_YEAR``), so the hash depends neither on the data nor on where it lives. The
query is compiled to DuckDB SQL, never run.

Every intermediate table a run materialises (``Context.materialise`` and ``cached``) is
inlined as a common table expression: the hashed text is one query from the contract tables to
the cells, so a changed rule anywhere upstream changes it. (Each intermediate is compiled on
its own, as the run compiles it, and once per process: compiling the whole expression tree at
once is several times slower in Ibis.) Reference data (``Context.constant``) and in-memory
tables stay named tables; the SHA-256 of their content (Arrow IPC) is hashed with the query.
Names Ibis generates at random are replaced by their position and ``EXCLUDE`` lists sorted, so
the text is the same in every process.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa
import sqlglot.expressions as sge
from ibis.backends.duckdb import Backend as DuckDBBackend

from kansrijk import program_cache
from kansrijk.engine.aggregate import Variant, cells
from kansrijk.engine.backends import IBIS_TYPES
from kansrijk.engine.compiled import sql_cache
from kansrijk.engine.context import Context
from kansrijk.engine.dataset import Dataset
from kansrijk.engine.families import FAMILIES
from kansrijk.indicators import Indicator
from kansrijk.registry.contract import TABLES_BY_NAME

#: Canonical run parameters of the hashed query (whatever the run being hashed uses).
YEARS = range(2015, 2025)
CLASSIFICATION_YEAR = 2023

#: A name Ibis generates (``ibis.util.gen_name``): namespace and a random base-32 uid.
_GENERATED = re.compile(r"\bibis_([a-z_]+?)_([a-z2-7]{26})\b")


def arrow_digest(table: pa.Table) -> str:
    """SHA-256 of a table's schema and content (Arrow IPC stream)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table.combine_chunks())
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()


class _CompileOnly(DuckDBBackend):  # type: ignore[misc]
    """A DuckDB backend that keeps each expression it is asked to run and returns an empty
    result instead of running it."""

    captured: list[ir.Table]

    def to_pyarrow(
        self,
        expr: ir.Expr,
        /,
        *,
        params: Mapping[ir.Scalar, Any] | None = None,
        limit: int | str | None = None,
        **kwargs: Any,
    ) -> pa.Table:
        table = expr.as_table()
        self.captured.append(table)
        return table.schema().to_pyarrow().empty_table()


def _named(con: _CompileOnly, name: str, schema: ibis.Schema) -> ir.Table:
    """A table called ``name`` on ``con`` (not created: the query is compiled, never run)."""
    return ops.DatabaseTable(name, schema=schema, source=con).to_expr()


@dataclass(frozen=True)
class _Compiled:
    """One statement: its SQL, the tables it reads and the content of its in-memory tables."""

    sql: str
    tables: frozenset[str]
    memtables: tuple[tuple[str, str], ...]  # (generated name, content sha256)


class _Compiler:
    """Compiles expressions on a connection with the contract's tables, empty."""

    def __init__(self) -> None:
        self.con = _CompileOnly().connect()
        self.con.captured = []
        self.sources = {
            name: _named(
                self.con,
                f"src_{name}",
                ibis.schema({c.name: IBIS_TYPES[c.type] for c in spec.columns}),
            )
            for name, spec in TABLES_BY_NAME.items()
        }
        self._compiled: dict[ops.Node, _Compiled] = {}

    def compile(self, expr: ir.Table) -> _Compiled:
        """SQL of ``expr`` with sorted ``EXCLUDE`` lists (Ibis lists a drop in set order)."""
        op = expr.op()
        if op not in self._compiled:

            def text() -> str:
                query = self.con.compiler.to_sqlglot(expr)
                for star in query.find_all(sge.Star):
                    for arg in ("except", "except_"):
                        if star.args.get(arg):
                            star.set(arg, sorted(star.args[arg], key=lambda c: c.sql()))
                return str(query.sql(dialect=self.con.dialect))

            # Kept in the program cache by the expression's structure (`engine.compiled`):
            # after a change to the code, only what the change touched is compiled again.
            sql = (
                sql_cache(self.con.name).compile(op, text, purpose="definition hash")
                if _PROCESS.use_disk
                else text()
            )
            self._compiled[op] = _Compiled(
                sql=sql,
                tables=frozenset(t.name for t in op.find(ops.DatabaseTable)),
                memtables=tuple(
                    (t.name, arrow_digest(t.data.to_pyarrow(t.schema)))
                    for t in op.find(ops.InMemoryTable)
                ),
            )
        return self._compiled[op]


class _EmptyDataset(Dataset):
    """Every contract table, empty: the tables of ``compiler``."""

    compiler: _Compiler

    @classmethod
    def of(cls, compiler: _Compiler) -> _EmptyDataset:
        data = cls(path=Path(), con=compiler.con)
        data.compiler = compiler
        return data

    def has(self, table: str) -> bool:
        return table in self.compiler.sources

    def table(self, name: str) -> ibis.Table:
        return self.compiler.sources[name]


@dataclass
class _HashContext(Context):
    """Compiles what a run materialises instead of running it, and records the content of
    the reference tables."""

    #: Materialised tables in the order of the run: name -> statement.
    steps: dict[str, _Compiled] = field(default_factory=dict)
    #: Reference tables: name -> content sha256.
    constants: dict[str, str] = field(default_factory=dict)

    @property
    def compiler(self) -> _Compiler:
        assert isinstance(self.data, _EmptyDataset)
        return self.data.compiler

    def materialise(self, name: str, expr: ir.Table) -> ir.Table:
        step = self.compiler.compile(expr)
        table, n = f"k_{name}", 1
        while self.steps.get(table, step) != step:  # a name reused for another table
            n += 1
            table = f"k_{name}_{n}"
        self.steps[table] = step
        return _named(self.compiler.con, table, expr.schema())

    def constant(self, name: str, table: pa.Table) -> ir.Table:
        self.constants[f"c_{name}"] = arrow_digest(table)
        return _named(self.compiler.con, f"c_{name}", ibis.Schema.from_pyarrow(table.schema))

    def query(self, expr: ir.Table) -> str:
        """``expr`` as one query: the materialised tables it reads as common table
        expressions, followed by the content hashes of the other tables it reads."""
        final = self.compiler.compile(expr)
        needed = set(final.tables)
        for name, step in reversed(self.steps.items()):
            if name in needed:
                needed |= step.tables
        statements = [(name, step) for name, step in self.steps.items() if name in needed]
        ctes = ",\n".join(f'"{name}" AS (\n{step.sql}\n)' for name, step in statements)
        sql = f"WITH {ctes}\n{final.sql};" if ctes else f"{final.sql};"
        lines = []
        digests = dict(m for _, step in [*statements, ("", final)] for m in step.memtables)
        generated: dict[str, str] = {}
        for match in _GENERATED.finditer(sql):
            generated.setdefault(match.group(0), f"ibis_{match.group(1)}_{len(generated)}")
        for name, canonical in generated.items():
            sql = sql.replace(name, canonical)
            if name in digests:
                lines.append(f"-- {canonical} sha256 {digests[name]}")
        lines += [
            f"-- {c} sha256 {self.constants[c]}" for c in sorted(needed & self.constants.keys())
        ]
        return "\n".join([sql, *lines]) + "\n"


@dataclass(frozen=True)
class _Family:
    """A family's context after building its units, and the units as a run materialises them."""

    ctx: _HashContext
    units: ir.Table


class _Hasher:
    """The families built and the hashes computed so far in this process."""

    def __init__(self) -> None:
        self.compiler = _Compiler()
        self.families: dict[str, _Family] = {}
        self.hashes: dict[Indicator, str] = {}

    def family(self, name: str) -> _Family:
        if name not in self.families:
            ctx = _HashContext(
                data=_EmptyDataset.of(self.compiler),
                years=YEARS,
                classification_year=CLASSIFICATION_YEAR,
            )
            fam = FAMILIES[name]
            keys = ibis.union(fam.parent_keys(ctx), distinct=True)
            attrs = ctx.cached("attributes", lambda: ctx.attributes(keys))
            ctx.restrict_addresses(
                attrs.select("person_id").union(ctx.children().select(person_id="child_id"))
            )
            units = ctx.materialise(f"units_{name}", fam.build(ctx, attrs))
            self.families[name] = _Family(ctx=ctx, units=units)
        return self.families[name]

    def text(self, d: Indicator) -> str:
        """The query of ``d``'s cells, as a run aggregates them from its family's units."""
        family = self.family(d.family)
        captured = self.compiler.con.captured
        captured.clear()
        cells(Variant.of(d).apply(family.units), family.ctx.provinces(), [d], YEARS)
        (query,) = captured
        return family.ctx.query(query)

    def hash(self, d: Indicator) -> str:
        if d not in self.hashes:
            self.hashes[d] = d.definition_hash(self.text(d))
        return self.hashes[d]


@dataclass
class _Process:
    """The hasher of this process: the code cannot change while it runs."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    hasher: _Hasher | None = None
    #: Read and write the program cache (off after `clear_cache`).
    use_disk: bool = True


_PROCESS = _Process()


def _hasher() -> _Hasher:
    if _PROCESS.hasher is None:
        _PROCESS.hasher = _Hasher()
    return _PROCESS.hasher


def definition_hashes(pairs: Sequence[tuple[int, Indicator]]) -> dict[str, str]:
    """``{"<edition>/<id>": hash}`` for (edition, definition) pairs: SHA-256 over the
    definition's fields (``Indicator.fingerprint``) and the compiled query of its cells.

    Compiling takes about half a second per family (2-3 s of a small run); it is done once
    per process, and its results are kept in the program cache (`kansrijk.program_cache`)
    keyed by the digest of the installed code and the versions of the libraries that compile
    it: a hash is a function of those alone, so the next process reads it. A change to any
    file of the package makes a new key. After `clear_cache` (tests that change code in
    memory, which the files do not show) the process no longer uses the disk.
    """
    with _PROCESS.lock:
        stored = _stored_hashes() if _PROCESS.use_disk else {}
        out: dict[str, str] = {}
        missing = False
        for edition, d in pairs:
            key = _definition_key(d)
            if key not in stored:
                stored[key] = _hasher().hash(d)
                missing = True
            out[f"{edition}/{d.id}"] = stored[key]
        if missing and _PROCESS.use_disk:
            program_cache.write_text(_store_name(), json.dumps(stored, sort_keys=True))
            sql_cache(_hasher().compiler.con.name).save()
        return out


def _store_name() -> str:
    key = hashlib.sha256(
        (
            program_cache.code_digest()
            + program_cache.library_versions("ibis-framework", "sqlglot", "duckdb", "pyarrow")
        ).encode()
    ).hexdigest()[:24]
    return f"definition-hashes-{key}.json"


def _definition_key(d: Indicator) -> str:
    """The definition's fields (its hash covers them too): ids are not unique across sets.
    `Indicator.definition_hash` with no implementation text is the SHA-256 of exactly them."""
    return d.definition_hash()


def _stored_hashes() -> dict[str, str]:
    text = program_cache.read_text(_store_name())
    if text is None:
        return {}
    try:
        stored = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(stored, dict):
        return {}
    return {
        str(k): v
        for k, v in stored.items()
        if isinstance(v, str) and len(v) == 64 and all(c in "0123456789abcdef" for c in v)
    }


def query_text(definition: Indicator) -> str:
    """The text hashed with ``definition``'s fields: its query and the content hashes."""
    with _PROCESS.lock:
        return _hasher().text(definition)


def clear_cache() -> None:
    """Forget every query compiled and hash computed so far (for tests that change code), and
    stop using the program cache in this process: the code may now differ from its files."""
    with _PROCESS.lock:
        _PROCESS.use_disk = False
        if _PROCESS.hasher is not None:
            _PROCESS.hasher.compiler.con.disconnect()
        _PROCESS.hasher = None

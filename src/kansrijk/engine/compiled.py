"""Compiled SQL kept between processes: Ibis's compilation of an expression, looked up by a
digest of the expression's structure.

Compiling an expression to SQL takes Ibis tens of milliseconds (its rewrites and SQLGlot's
generation); a small run compiles about forty and spends most of a second on it, the same
forty every time. The SQL of an expression is a function of the expression's operation graph
and of the libraries that compile it, nothing else: the key is a SHA-256 over the graph
(every node's type and arguments), the file is named by the library versions. What the graph
holds that differs from process to process without changing the query is left out or made
canonical: the backend a table belongs to (its type is kept), the content of an in-memory
table (its SQL is its name and schema; the backend loads the data under that name, as
before), the random names Ibis gives in-memory tables (replaced by their position, in the key
and in the kept SQL) and the order of sets (sorted). An argument of any other kind (anything
not a node, a collection, a scalar, an enum or an Ibis type) makes the expression
uncacheable: it is compiled as before and nothing is kept.

Kept in the program cache (`kansrijk.program_cache`; never data, never an output), at most
`LIMIT` statements, those used most recently first. A cache that cannot be read or written
costs the compilation, nothing else.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
import hashlib
import json
import threading
from collections.abc import Callable, Mapping

import ibis
from ibis.backends import BaseBackend
from ibis.common.graph import Node
from ibis.common.grounds import Concrete
from ibis.expr import operations as ops

from kansrijk import program_cache

#: The layout of what is kept (a new one starts a new file): raise it when a caller changes
#: what it keeps under a key.
FORMAT = 1
#: Statements kept at most (a small run keeps about sixty, 2 kB each on average).
LIMIT = 1000
_SCALARS = (str, int, float, bool, _dt.date, _dt.datetime, _dt.time, _dt.timedelta, decimal.Decimal)
_MEMTABLE = "{{kansrijk-memtable-%d}}"


class UncacheableError(Exception):
    """An argument the key cannot encode faithfully."""


def _type_name(value: object) -> str:
    return f"{type(value).__module__}.{type(value).__qualname__}"


class _Encoder:
    """The canonical text of each node of one expression, children first."""

    def __init__(self) -> None:
        self.digests: dict[Node, str] = {}
        #: In-memory table names in order of appearance -> their position.
        self.memtables: dict[str, int] = {}

    def value(self, v: object) -> str:
        if isinstance(v, Node):
            if v not in self.digests:  # a node outside the traversed graph
                raise UncacheableError(_type_name(v))
            return self.digests[v]
        if v is None:
            return "None"
        if isinstance(v, enum.Enum):
            return f"{_type_name(v)}.{v.name}"
        if isinstance(v, _SCALARS):
            return f"{_type_name(v)}:{v!r}"
        if isinstance(v, (tuple, list)):
            return "(" + ",".join(self.value(x) for x in v) + ")"
        if isinstance(v, (frozenset, set)):
            return "{" + ",".join(sorted(self.value(x) for x in v)) + "}"
        if isinstance(v, Mapping):
            items = (f"{self.value(k)}:{self.value(x)}" for k, x in v.items())
            return f"{_type_name(v)}{{" + ",".join(items) + "}"
        if isinstance(v, BaseBackend):  # a table's backend: its SQL is the table's name
            return f"backend:{_type_name(v)}"
        if isinstance(v, Concrete):  # data types, schemas, namespaces
            args = (f"{n}={self.value(a)}" for n, a in zip(v.__argnames__, v.__args__, strict=True))
            return f"{_type_name(v)}(" + ",".join(args) + ")"
        raise UncacheableError(_type_name(v))

    def node(self, node: Node) -> str:
        if isinstance(node, ops.InMemoryTable):
            position = self.memtables.setdefault(node.name, len(self.memtables))
            text = f"memtable:{position}:{self.value(node.schema)}"
        else:
            args = (
                f"{n}={self.value(a)}"
                for n, a in zip(node.__argnames__, node.__args__, strict=True)
            )
            text = f"{_type_name(node)}(" + ",".join(args) + ")"
        return hashlib.sha256(text.encode()).hexdigest()


def _postorder(root: Node) -> list[Node]:
    """Every node of the graph under ``root`` once, each after its children."""
    order: list[Node] = []
    seen: set[Node] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.__children__) if child not in seen)
    return order


def expression_key(op: Node) -> tuple[str, list[str]]:
    """The digest of ``op``'s graph (and of the Ibis option that changes its SQL) and the
    names of its in-memory tables in the order the digest numbers them. Raises
    `UncacheableError`."""
    encoder = _Encoder()
    for node in _postorder(op):
        encoder.digests[node] = encoder.node(node)
    fuse = ibis.options.sql.fuse_selects
    key = hashlib.sha256(f"fuse_selects={fuse!r}\n{encoder.digests[op]}".encode()).hexdigest()
    return key, list(encoder.memtables)


class SQLCache:
    """The compiled statements of this process's runs, read from and written back to the
    program cache."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lock = threading.Lock()
        self._entries: dict[str, str] | None = None
        self._changed = False
        self._last: tuple[Node, tuple[str, list[str]]] | None = None

    def _load(self) -> dict[str, str]:
        if self._entries is None:
            self._entries = {}
            text = program_cache.read_text(self.name)
            try:
                stored = json.loads(text) if text else {}
            except ValueError:
                stored = {}
            if isinstance(stored, dict):
                self._entries = {
                    k: v for k, v in stored.items() if isinstance(k, str) and isinstance(v, str)
                }
        return self._entries

    def _key(self, op: Node) -> tuple[str, list[str]]:
        """`expression_key`, remembered for the last expression (a materialised table asks
        for its query and for the statements that make the table)."""
        last = self._last
        if last is not None and last[0] is op:
            return last[1]
        found = expression_key(op)
        self._last = (op, found)
        return found

    def compile(self, op: Node, compile_sql: Callable[[], str], purpose: str = "") -> str:
        """The SQL of ``op``: kept, or ``compile_sql()`` (and then kept). ``purpose`` tells
        apart statements made from the same expression (its query; the table made of it)."""
        try:
            key, memtables = self._key(op)
        except UncacheableError:
            return compile_sql()
        if purpose:
            key = hashlib.sha256(f"{purpose}\n{key}".encode()).hexdigest()
        with self.lock:
            entries = self._load()
            kept = entries.pop(key, None)
            if kept is not None:
                entries[key] = kept  # most recently used last
                for position, name in enumerate(memtables):
                    kept = kept.replace(_MEMTABLE % position, name)
                return kept
        sql = compile_sql()
        canonical = sql
        for position, name in enumerate(memtables):
            canonical = canonical.replace(name, _MEMTABLE % position)
        with self.lock:
            self._load()[key] = canonical
            self._changed = True
        return sql

    def save(self) -> None:
        """Write the statements back when this process compiled new ones."""
        with self.lock:
            if not self._changed or self._entries is None:
                return
            entries = self._entries
            if len(entries) > LIMIT:
                entries = dict(list(entries.items())[-LIMIT:])
                self._entries = entries
            program_cache.write_text(self.name, json.dumps(entries))
            self._changed = False


_CACHES: dict[str, SQLCache] = {}
_CACHES_LOCK = threading.Lock()


def sql_cache(dialect: str) -> SQLCache:
    """This process's cache of statements compiled for ``dialect``, in a file named by the
    versions of the libraries that compile them."""
    with _CACHES_LOCK:
        if dialect not in _CACHES:
            versions = program_cache.library_versions("ibis-framework", "sqlglot", "duckdb")
            key = hashlib.sha256(f"{FORMAT}\n{dialect}\n{versions}".encode()).hexdigest()[:24]
            _CACHES[dialect] = SQLCache(f"compiled-sql-{key}.json")
        return _CACHES[dialect]

"""Which contract tables an indicator reads, traced from the queries a run builds.

A run builds a family's unit table from the parent attributes (``Context.attributes``), the
residence lookups and the family's own rules; all of it is an Ibis expression over the
contract tables. Tracing builds that expression on *unbound* tables (nothing is read or run)
and collects the tables it reads, twice: once as if every table were delivered and once as
if none were (``Dataset.has`` false everywhere). What is read even then is *required*: the
definition cannot be computed without it. What only the first trace reads is *optional*: the
run adapts when it is missing (the education breakdown becomes ``unknown``; live births get
no long-stay flag). A definition's declared ``sources`` and its family's ``tables`` are
required too (2024-13 declares ``hospital_care_products``: without it the exclusion it is
defined by would silently not happen).

So a requirement is never written down twice: the monitor (skip what cannot be computed),
``kansrijk registry validate`` (require a table only when a requested indicator reads it)
and the data-contract page all use ``tables_read``.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa

from kansrijk import program_cache
from kansrijk.engine.context import Context
from kansrijk.engine.dataset import Dataset
from kansrijk.engine.families import FAMILIES
from kansrijk.indicators import Indicator
from kansrijk.registry.contract import TABLES_BY_NAME, ColumnType

_PREFIX = "src_"
_IBIS_TYPES = {
    ColumnType.STRING: "string",
    ColumnType.INTEGER: "int64",
    ColumnType.FLOAT: "float64",
    ColumnType.DATE: "date",
    ColumnType.BOOLEAN: "boolean",
}


@dataclass(frozen=True)
class TablesRead:
    """The contract tables a definition reads: ``required`` (it cannot be computed without
    them) and ``optional`` (read when delivered; the run adapts when they are not)."""

    required: frozenset[str]
    optional: frozenset[str]


class _TraceDataset(Dataset):
    """Every contract table as an unbound Ibis table; ``has`` answers ``delivered``."""

    delivered: bool

    @classmethod
    def tracing(cls, *, delivered: bool) -> _TraceDataset:
        data = cls(path=Path(), con=_connection())
        data.delivered = delivered
        return data

    def has(self, table: str) -> bool:
        return self.delivered

    def table(self, name: str) -> ibis.Table:
        spec = TABLES_BY_NAME[name]
        return ibis.table(
            {c.name: _IBIS_TYPES[c.type] for c in spec.columns},
            name=f"{_PREFIX}{name}",
        )


@dataclass
class _TraceContext(Context):
    """Builds expressions only: a materialised table becomes a named placeholder that
    remembers the tables it was built from; reference data are placeholders too."""

    reads: dict[str, frozenset[str]] = field(default_factory=dict)

    def materialise(self, name: str, expr: ir.Table) -> ir.Table:
        # A fresh name per call: the same name may be materialised twice in a run.
        placeholder = f"k_{name}_{len(self.reads)}"
        self.reads[placeholder] = self.read_by(expr)
        return ibis.table(expr.schema(), name=placeholder)

    def constant(self, name: str, table: pa.Table) -> ir.Table:
        return ibis.table(ibis.Schema.from_pyarrow(table.schema), name=f"c_{name}")

    def classification(self) -> ir.Table:
        # The real map takes a second to compute and reads no contract table.
        return ibis.table(
            {
                "map_code": "string",
                "map_from": "date",
                "map_to": "date",
                "map_pc4": "int32",
                "class_code": "string",
            },
            name="c_classification",
        )

    def read_by(self, expr: ir.Table) -> frozenset[str]:
        """The contract tables ``expr`` reads, through the placeholders it joins."""
        out: set[str] = set()
        for t in expr.op().find(ops.UnboundTable):
            if t.name.startswith(_PREFIX):
                out.add(t.name.removeprefix(_PREFIX))
            out |= self.reads.get(t.name, frozenset())
        return frozenset(out)


@cache
def _connection() -> ibis.BaseBackend:
    # Context needs a Dataset with a connection; the trace never uses it.
    return ibis.duckdb.connect()


def _trace(family: str, *, delivered: bool) -> frozenset[str]:
    """The tables the run's expression for ``family``'s units reads."""
    ctx = _TraceContext(
        data=_TraceDataset.tracing(delivered=delivered),
        years=range(2015, 2025),
        classification_year=2023,
    )
    fam = FAMILIES[family]
    keys = fam.parent_keys(ctx)
    attrs = ctx.cached("attributes", lambda: ctx.attributes(keys))
    ctx.restrict_addresses(
        attrs.select("person_id").union(ctx.children().select(person_id="child_id"))
    )
    units = fam.build(ctx, attrs)
    return ctx.read_by(units) | ctx.read_by(attrs) | ctx.read_by(ctx.addresses())


#: The families as shipped: only their reads are kept in the program cache (a test may add a
#: family of its own under a new name).
_SHIPPED = dict(FAMILIES)


def _store_name() -> str:
    key = program_cache.code_digest() + program_cache.library_versions("ibis-framework")
    return f"family-reads-{hashlib.sha256(key.encode()).hexdigest()[:24]}.json"


@cache
def _stored() -> dict[str, dict[str, list[str]]]:
    text = program_cache.read_text(_store_name())
    try:
        stored = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {}
    return stored if isinstance(stored, dict) else {}


@cache
def family_reads(family: str) -> TablesRead:
    """What building ``family``'s units reads, required and optional: traced once per process,
    and for a shipped family kept in the program cache (`kansrijk.program_cache`) for the next
    process, keyed by the package's code (tracing the five families took 1.5 s of every run)."""
    shipped = _SHIPPED.get(family) is FAMILIES[family]
    stored = _stored().get(family) if shipped else None
    if stored is not None:
        return TablesRead(
            required=frozenset(stored["required"]), optional=frozenset(stored["optional"])
        )
    always = _trace(family, delivered=False) | set(FAMILIES[family].tables)
    anything = _trace(family, delivered=True)
    read = TablesRead(required=frozenset(always), optional=frozenset(anything - always))
    if shipped:
        entries = _stored()
        entries[family] = {"required": sorted(read.required), "optional": sorted(read.optional)}
        program_cache.write_text(_store_name(), json.dumps(entries, sort_keys=True))
    return read


def tables_read(definition: Indicator) -> TablesRead:
    """The tables ``definition`` reads: its family's, plus its declared sources (required)."""
    fam = family_reads(definition.family)
    required = fam.required | set(definition.sources)
    return TablesRead(required=frozenset(required), optional=fam.optional - required)


def _by_table(defs: Iterable[Indicator], kind: str) -> dict[str, tuple[str, ...]]:
    found: dict[str, dict[str, None]] = defaultdict(dict)
    for d in defs:
        for table in getattr(tables_read(d), kind):
            found[table][d.id] = None
    return {t: tuple(ids) for t, ids in sorted(found.items())}


def requirements(defs: Iterable[Indicator]) -> dict[str, tuple[str, ...]]:
    """table -> ids of the definitions in ``defs`` that cannot be computed without it."""
    return _by_table(defs, "required")


def optional_reads(defs: Iterable[Indicator]) -> dict[str, tuple[str, ...]]:
    """table -> ids of the definitions in ``defs`` that read it when it is delivered (and
    do not require it)."""
    return _by_table(defs, "optional")


def missing_inputs(definition: Indicator, delivered: Iterable[str]) -> list[str]:
    """The tables ``definition`` cannot be computed without that are not ``delivered``."""
    return sorted(tables_read(definition).required - set(delivered))


def inputs_of(definition: Indicator, delivered: Iterable[str]) -> list[str]:
    """The tables a run of ``definition`` reads from a dataset holding ``delivered``."""
    read = tables_read(definition)
    return sorted(read.required | (read.optional & set(delivered)))

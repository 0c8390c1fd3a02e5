"""A monitor run: definitions in, the published results table and its manifest out."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kansrijk import geo
from kansrijk.engine.aggregate import Variant, cells
from kansrijk.engine.context import Context
from kansrijk.engine.dataset import Dataset, MissingTablesError
from kansrijk.engine.families import FAMILIES, Family
from kansrijk.engine.inputs import inputs_of, missing_inputs, optional_reads, requirements
from kansrijk.engine.intervals import interval
from kansrijk.engine.origins import reference_hashes, software
from kansrijk.engine.provenance import definition_hashes
from kansrijk.engine.structure import results_structure
from kansrijk.geo.classes import classify
from kansrijk.indicators import BREAKDOWN_VALUES, Indicator, Unit, catalogue
from kansrijk.publication import RESULTS_SCHEMA, DisclosurePolicy, Protected, protect, publish
from kansrijk.registry.synthetic import is_synthetic
from kansrijk.stats import funnel_table

#: The input table of the comparison classes and the public table made of it.
CLASSES_INPUT = "municipality_classes"
CLASSES_TABLE = "comparison_classes"

SORT_KEYS = [
    ("indicator_id", "ascending"),
    ("edition", "ascending"),
    ("period_start", "ascending"),
    ("period_end", "ascending"),
    ("region_type", "ascending"),
    ("region_code", "ascending"),
    ("breakdown", "ascending"),
    ("breakdown_value", "ascending"),
]


@dataclass(frozen=True)
class RunConfig:
    """What to compute and where to write it."""

    data: Path
    edition: int
    years: range
    classification_year: int
    out: Path
    indicators: tuple[str, ...] | None = None
    threshold: int = 10
    formats: tuple[str, ...] = ("parquet", "csv", "xlsx")
    threads: int | None = None
    #: DuckDB's buffer limit: joins and sorts spill to disk beyond it (keeps peak RSS ~4 GB).
    memory_limit: str | None = "3GB"
    #: More editions computed in the same run (sharing the units and the reading of data).
    extra_editions: tuple[int, ...] = ()
    #: Work the disclosure audit's linear programmes may do (`publication.attack.Budget`
    #: units, about 7 ms each here; None: no limit). What it cannot settle within it is
    #: reported unresolved (``kansrijk monitor audit``). Counted, not timed: reproducible.
    #: The full-population run (both editions, 2015-2024) settles in 15,123 units; with
    #: 12,000 it left 4,717 counts unresolved.
    audit_work: float | None = 30000.0
    #: Hide a municipality's mostly hidden measure group whole, so the audit can settle it
    #: (`kansrijk.publication.suppress`); off for quick runs that report what is unsettled.
    withhold: bool = True
    #: A definition whose input tables are not all in the dataset is an error
    #: (``MissingTablesError``); without it such definitions are skipped and named in the
    #: manifest (``skipped``), and the run computes every other.
    strict: bool = False
    #: Also write the unsuppressed table (true counts, every cell, why it is hidden) to the
    #: internal directory beside ``out``: ``OUT.internal/cells.internal.parquet``, for the
    #: analyst's checks and CBS's output checking (docs/secure-environment.md).
    internal: bool = False
    #: The Ibis backend that runs the queries: "duckdb" (embedded) or "spark"
    #: (`kansrijk.engine.backends`); the definitions and the results are the same.
    engine: str = "duckdb"
    #: Spark's master URL (``local[2]`` when None; ``spark://host:7077``, ``yarn``, ...).
    spark_master: str | None = None
    #: Where Spark's executors read the dataset (``hdfs://``, ``s3a://``, ``abfss://``
    #: URI of the directory ``data`` holds a copy or mount of); None: at ``data`` itself.
    spark_data: str | None = None
    #: The breakdowns to compute (``kansrijk.indicators.BREAKDOWN_VALUES``), each for the
    #: definitions that have it; None: every definition's own; (): totals only. Fewer
    #: breakdowns: fewer parents' attributes read and joined, and fewer cells.
    breakdowns: tuple[str, ...] | None = None

    @property
    def editions(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys((self.edition, *self.extra_editions)))


@dataclass
class RunResult:
    results: pa.Table
    manifest: dict[str, object]
    files: list[Path]
    timings: dict[str, float] = field(default_factory=dict)
    #: The gate's outcome (None before disclosure control or when nothing was counted).
    protected: Protected | None = None
    #: The families' notes with true counts (``unit_notes``), for the analyst's summary; the
    #: manifest holds them with counts below the threshold hidden.
    notes: dict[str, dict[str, object]] = field(default_factory=dict)
    #: ``unknown_region_shares`` of the true counts, for the analyst's summary; the manifest
    #: holds those of the published cells (None where a cell is hidden).
    unknown_region_share: dict[str, dict[str, float | None]] = field(default_factory=dict)


Step = Callable[[str], object]


def select_definitions(edition: int, ids: Sequence[str] | None) -> tuple[Indicator, ...]:
    defs = catalogue(edition)
    if not ids:
        return defs
    unknown = sorted(set(ids) - {d.id for d in defs})
    if unknown:
        raise KeyError(f"unknown indicator(s) for edition {edition}: {', '.join(unknown)}")
    return tuple(d for d in defs if d.id in ids)


def edition_definitions(config: RunConfig) -> list[tuple[int, Indicator]]:
    """(edition, definition) pairs of the run; ``indicators`` may name ids of any edition.
    With ``config.breakdowns``, each definition keeps only those of its breakdowns (a
    definition with other breakdowns is another definition: its hash differs)."""
    ids = config.indicators
    pairs = [(e, d) for e in config.editions for d in catalogue(e) if not ids or d.id in ids]
    if ids:
        unknown = sorted(set(ids) - {d.id for _, d in pairs})
        if unknown:
            raise KeyError(
                f"unknown indicator(s) for edition(s) {list(config.editions)}: {', '.join(unknown)}"
            )
    wanted = config.breakdowns
    if wanted is None:
        return pairs
    unknown = sorted(set(wanted) - set(BREAKDOWN_VALUES))
    if unknown:
        raise KeyError(
            f"unknown breakdown(s): {', '.join(unknown)} (known: {', '.join(BREAKDOWN_VALUES)})"
        )
    return [
        (e, replace(d, breakdowns=tuple(b for b in d.breakdowns if b in wanted))) for e, d in pairs
    ]


@dataclass(frozen=True)
class InputPlan:
    """What a run can compute from the tables delivered, and what it skips for lack of one."""

    pairs: list[tuple[int, Indicator]]
    #: ``"<edition>/<id>"`` -> the missing tables it needs.
    skipped: dict[str, list[str]]
    #: Missing tables -> the requested definitions that need them, or that read them when
    #: delivered (``{"required_by": [...], "read_when_delivered_by": [...]}``).
    not_delivered: dict[str, dict[str, list[str]]]


def plan_inputs(
    pairs: Sequence[tuple[int, Indicator]], delivered: Sequence[str], *, strict: bool = False
) -> InputPlan:
    """Split ``pairs`` into the computable and the skipped ones (raises MissingTablesError
    when ``strict`` and something is missing, or when nothing can be computed)."""
    defs = list(dict.fromkeys(d for _, d in pairs))
    have = set(delivered)
    required = {t: ids for t, ids in requirements(defs).items() if t not in have}
    if required and (strict or all(missing_inputs(d, have) for d in defs)):
        raise MissingTablesError({t: list(ids) for t, ids in required.items()})
    optional = {t: ids for t, ids in optional_reads(defs).items() if t not in have}
    missing = {(e, d): missing_inputs(d, have) for e, d in pairs}
    return InputPlan(
        pairs=[pair for pair, tables in missing.items() if not tables],
        skipped={f"{e}/{d.id}": tables for (e, d), tables in missing.items() if tables},
        not_delivered={
            t: {
                "required_by": list(required.get(t, ())),
                "read_when_delivered_by": list(optional.get(t, ())),
            }
            for t in sorted(required.keys() | optional.keys())
        },
    )


def unknown_region_shares(results: pa.Table) -> dict[str, dict[str, float | None]]:
    """``{"<edition>/<id>": {"<year>": share}}``: the units in the unknown remainder NL00
    over all units (denominators of the yearly totals), from the cells of ``results``. The
    share is None when either cell is hidden (or NL has no units): read from a published
    table, it says nothing that table does not.
    """
    keys = ["indicator_id", "edition", "period_start"]
    yearly = results.filter(
        pc.and_(
            pc.equal(results["breakdown"], "total"),
            pc.equal(results["period_start"], results["period_end"]),
        )
    )

    def level(region_type: str, name: str) -> pa.Table:
        rows = yearly.filter(pc.equal(yearly["region_type"], region_type))
        return rows.select([*keys, "denominator"]).rename_columns([*keys, name])

    both = level("nl", "all_units").join(level("unknown", "unknown_units"), keys)
    known = pc.and_(pc.is_valid(both["unknown_units"]), pc.greater(both["all_units"], 0))
    share = pc.if_else(
        known,
        pc.round(pc.divide(pc.cast(both["unknown_units"], pa.float64()), both["all_units"]), 6),
        None,
    )
    both = both.append_column("share", share).sort_by([(k, "ascending") for k in keys])
    shares: dict[str, dict[str, float | None]] = defaultdict(dict)
    for r in both.select([*keys, "share"]).to_pylist():  # one row per definition and year
        shares[f"{r['edition']}/{r['indicator_id']}"][str(r["period_start"])] = r["share"]
    return dict(shares)


def unit_notes(fam: Family, units: ibis.Table, years: range) -> dict[str, dict[str, object]]:
    """``{key: {"family", "text", "per_year": {"<year>": n}}}`` for the family's notes: the
    units of each data year whose note column is 1 (true counts, for the analyst)."""
    out: dict[str, dict[str, object]] = {}
    for note in fam.notes:
        hit = units.filter(units[note.column] == 1)
        counted = hit.group_by(y=hit.year.cast("int32")).aggregate(n=hit.count()).to_pyarrow()
        found = dict(zip(counted["y"].to_pylist(), counted["n"].to_pylist(), strict=True))
        out[note.key] = {
            "family": fam.name,
            "text": note.text,
            "per_year": {str(y): int(found.get(y, 0)) for y in years},
        }
    return out


def public_note(note: Mapping[str, object]) -> dict[str, object]:
    """A note of ``unit_notes`` as the published manifest holds it: what is counted, never
    the counts. They are small numbers outside the gate's table (no second small-number
    rule), so they go to the internal directory only (``manifest.internal.json``)."""
    return {
        "family": note["family"],
        "text": note["text"],
        "counts": "internal only (manifest.internal.json, notes)",
    }


def _definition_rows(
    table: pa.Table,
    d: Indicator,
    edition: int,
    config: RunConfig,
    definition_hash: str,
    data_hash: str,
) -> pa.Table:
    # The definition's own breakdowns (the variant's cells hold the union of its definitions'),
    # yearly and, for a pooled definition, over its windows: a pooled breakdown row has
    # period_start < period_end and breakdown != "total" (``aggregate.cell_shape``). Cells
    # without units stay in (numerator and denominator 0, no value): the table is complete.
    allowed = pa.array(["total", *d.breakdowns])
    keep = pc.is_in(table["breakdown"], value_set=allowed)
    if not d.pooling_years:
        keep = pc.and_(keep, pc.equal(table["period_start"], table["period_end"]))
    else:
        span = pc.subtract(table["period_end"], table["period_start"])
        keep = pc.and_(keep, pc.or_(pc.equal(span, 0), pc.equal(span, d.pooling_years - 1)))
    t = table.filter(keep)
    num = t[f"n_{d.outcome}"].to_numpy().astype(np.int64)
    den = t[f"d_{d.outcome}"].to_numpy().astype(np.int64)
    if not den.any():
        # Not a single unit in the run's years (e.g. no data delivered for them): nothing
        # was measured, so the definition has no cells at all.
        t, num, den = t.slice(0, 0), num[:0], den[:0]
    n = len(t)
    empty = den == 0
    scale = 1000.0 if d.unit == Unit.PER_1000 else 100.0
    value = np.divide(scale * num, den, out=np.zeros(n), where=~empty)
    # The unit's usual interval, or the method the outcome registers (imputation and
    # sampling for 2023-11 / 2024-14): kansrijk.engine.intervals. NaN where den = 0.
    low, high = interval(str(d.unit), d.outcome, num, den, t)
    return pa.table(
        {
            "indicator_id": pa.array([d.id] * n, pa.string()),
            "edition": pa.array(np.full(n, edition, dtype=np.int32)),
            "period_start": t["period_start"].cast(pa.int32()),
            "period_end": t["period_end"].cast(pa.int32()),
            "region_type": t["region_type"],
            "region_code": t["region_code"],
            "classification_year": pa.array(np.full(n, config.classification_year, dtype=np.int32)),
            "breakdown": t["breakdown"],
            "breakdown_value": t["breakdown_value"],
            "numerator": pa.array(num),
            "denominator": pa.array(den),
            "value": pa.array(value, mask=empty),
            "unit": pa.array([str(d.unit)] * n, pa.string()),
            "ci_low": pa.array(np.asarray(low, dtype=float), mask=empty),
            "ci_high": pa.array(np.asarray(high, dtype=float), mask=empty),
            "suppressed": pa.array(np.zeros(n, dtype=bool)),
            "definition_hash": pa.array([definition_hash] * n, pa.string()),
            "data_hash": pa.array([data_hash] * n, pa.string()),
            "run_id": pa.array([""] * n, pa.string()),
        },
        schema=RESULTS_SCHEMA,
    )


def compute(config: RunConfig, step: Step | None = None) -> RunResult:
    """Compute every selected indicator and apply disclosure control; nothing is written."""
    result = compute_unpublished(config, step)
    if len(result.results) == 0:  # nothing to count: nothing to hide
        result.manifest["rows"] = {"cells": 0, "published": 0, "suppressed": 0}
        result.manifest["unknown_region_share"] = {}
        return result
    started = time.perf_counter()
    result.unknown_region_share = unknown_region_shares(result.results)
    structure = results_structure(result.results, classification_year=config.classification_year)
    result.protected = protect(
        result.results,
        structure,
        DisclosurePolicy(threshold=config.threshold),
        budget=config.audit_work,
        withhold=config.withhold,
    )
    result.results = result.protected.public
    result.timings["disclosure control"] = time.perf_counter() - started
    suppressed = result.results["suppressed"]
    result.manifest["rows"] = {
        "cells": len(result.results),
        "published": int(pc.sum(pc.invert(suppressed)).as_py() or 0),
        "suppressed": int(pc.sum(suppressed).as_py() or 0),
    }
    # From the public table only: the manifest is published.
    result.manifest["unknown_region_share"] = unknown_region_shares(result.results)
    if step:
        step("disclosure control")
    return result


def compute_unpublished(config: RunConfig, step: Step | None = None) -> RunResult:
    """Every cell with its true counts, before disclosure control.

    For tests and for ``compute`` only: this table must never be written or shown.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now
        if step:
            step(name)

    data = Dataset.open(
        config.data,
        threads=config.threads,
        memory_limit=config.memory_limit,
        engine=config.engine,
        spark_master=config.spark_master,
        spark_data=config.spark_data,
    )
    try:
        return _compute(config, data, timings, lap)
    finally:
        data.close()


def _compute(
    config: RunConfig, data: Dataset, timings: dict[str, float], lap: Callable[[str], None]
) -> RunResult:
    plan = plan_inputs(edition_definitions(config), list(data.sources), strict=config.strict)
    pairs = plan.pairs
    defs = list(dict.fromkeys(d for _, d in pairs))
    read = {d: inputs_of(d, data.sources) for d in defs}
    inputs = sorted({t for tables in read.values() for t in tables})
    # Every input table is hashed for the manifest: start now, alongside the queries.
    data.prefetch_hashes(inputs)
    breakdowns = frozenset(b for d in defs for b in d.breakdowns)
    ctx = Context(
        data=data,
        years=config.years,
        classification_year=config.classification_year,
        breakdowns=breakdowns,
    )
    families = sorted({d.family for d in defs})
    mark = ctx.mark()
    # Not materialised on its own: ``attributes`` materialises its distinct keys once (one
    # DISTINCT over all families' keys, not one per union).
    keys = ibis.union(*[FAMILIES[f].parent_keys(ctx) for f in families])
    columns = set().union(*[FAMILIES[f].attribute_columns(breakdowns) for f in families])
    attrs = ctx.cached("attributes", lambda: ctx.attributes(keys, columns))
    # Residence is only ever looked up for parents and children (attributes has one row
    # per parent key).
    ctx.restrict_addresses(
        attrs.select("person_id").union(ctx.children().select(person_id="child_id"))
    )
    ctx.release(mark)
    lap("read and join parent attributes")
    parts: list[pa.Table] = []
    definitions: dict[str, dict[str, object]] = {}
    notes: dict[str, dict[str, object]] = {}
    hashes = definition_hashes(pairs)
    lap("definition hashes")
    for family in families:
        fam = FAMILIES[family]
        mark = ctx.mark()
        units = ctx.materialise(f"units_{family}", fam.build(ctx, attrs))
        notes.update(unit_notes(fam, units, config.years))
        lap(f"build units: {family}")
        by_variant: dict[Variant, list[tuple[int, Indicator]]] = defaultdict(list)
        for edition, d in pairs:
            if d.family == family:
                by_variant[Variant.of(d)].append((edition, d))
        for variant, vpairs in sorted(by_variant.items(), key=lambda kv: repr(kv[0])):
            vdefs = list(dict.fromkeys(d for _, d in vpairs))
            table = cells(variant.apply(units), ctx.provinces(), vdefs, config.years)
            for edition, d in vpairs:
                dh = hashes[f"{edition}/{d.id}"]
                data_hash = data.data_hash(read[d])
                definitions[f"{edition}/{d.id}"] = {
                    "hash": dh,
                    "data_hash": data_hash,
                    "definition": d.fingerprint(),
                }
                parts.append(_definition_rows(table, d, edition, config, dh, data_hash))
        ctx.release(mark)
        lap(f"aggregate: {family}")
    raw = pa.concat_tables(parts).sort_by(SORT_KEYS)
    run_id = hashlib.sha256(
        json.dumps(
            {
                "editions": list(config.editions),
                "years": [config.years.start, config.years.stop - 1],
                "classification_year": config.classification_year,
                "threshold": config.threshold,
                "definitions": {
                    k: (v["hash"], v["data_hash"]) for k, v in sorted(definitions.items())
                },
            },
            sort_keys=True,
        ).encode()
    ).hexdigest()[:16]
    raw = raw.set_column(
        raw.schema.get_field_index("run_id"), "run_id", pa.array([run_id] * len(raw), pa.string())
    )
    lap("intervals and result table")
    manifest: dict[str, object] = {
        "run_id": run_id,
        "synthetic": is_synthetic(config.data),
        "software": {
            **software(),
            "ibis": ibis.__version__,
            "engine": data.describe(),
            "python": platform.python_version(),
        },
        "reference_data": reference_hashes(),
        "parameters": {
            "data": str(config.data),
            "editions": list(config.editions),
            "years": [config.years.start, config.years.stop - 1],
            "classification_year": config.classification_year,
            "threshold": config.threshold,
            "indicators": list(config.indicators or []),
            "breakdowns": "all" if config.breakdowns is None else list(config.breakdowns),
        },
        "inputs": {
            t: {
                "files": [
                    p.relative_to(config.data).as_posix()
                    for p in (data.sources[t].parquet_files() or [data.sources[t].path])
                ],
                "sha256": data.file_hash(t),
            }
            for t in inputs
        },
        "definitions": definitions,
        # Requested but not computed (a missing input table), so not zero: absent.
        "skipped": {
            key: {"missing_tables": tables} for key, tables in sorted(plan.skipped.items())
        },
        "inputs_not_delivered": plan.not_delivered,
        # What the families count (``Family.notes``), e.g. live births without parents; the
        # counts themselves go to the internal directory only (`run_monitor`).
        "notes": {key: public_note(note) for key, note in notes.items()},
    }
    lap("hash inputs")
    return RunResult(results=raw, manifest=manifest, files=[], timings=timings, notes=notes)


def run_monitor(config: RunConfig, step: Step | None = None) -> RunResult:
    """Compute and publish: results (Parquet, CSV, Excel) and ``manifest.json`` in ``out``."""
    started = datetime.now(UTC).replace(microsecond=0)
    result = compute(config, step)
    if len(result.results) == 0:
        raise ValueError(
            f"no units in {config.years.start}-{config.years.stop - 1}: the dataset "
            f"{config.data} holds no data for these years"
        )
    config.out.mkdir(parents=True, exist_ok=True)
    defs_table = definitions_table(list(dict.fromkeys(d for _, d in edition_definitions(config))))
    manifest_table = pa.table(
        {
            "key": ["run_id", "editions", "years", "classification_year"],
            "value": [
                str(result.manifest["run_id"]),
                ",".join(map(str, config.editions)),
                f"{config.years.start}-{config.years.stop - 1}",
                str(config.classification_year),
            ],
        }
    )
    classes = comparison_classes(config)
    if classes is not None:
        result.manifest["comparison_classes"] = classes[1]
    write_started = time.perf_counter()
    assert result.protected is not None
    result.manifest["started"] = started.isoformat()
    result.manifest["timings_seconds"] = {k: round(v, 2) for k, v in result.timings.items()}
    paths = publish(
        result.protected,
        config.out,
        manifest=result.manifest,
        formats=config.formats,
        derived={"funnel": funnel_table(result.results)},
        derived_formats=[f for f in config.formats if f in ("parquet", "csv")] or ["parquet"],
        sheets={"definitions": defs_table, "manifest": manifest_table},
        reference={CLASSES_TABLE: classes[0]} if classes is not None else None,
        internal_cells=config.internal,
        internal_extra={"notes": result.notes} if result.notes else None,
    )
    result.files = list(paths.values())
    result.timings["write outputs"] = time.perf_counter() - write_started
    return result


def comparison_classes(config: RunConfig) -> tuple[pa.Table, dict[str, object]] | None:
    """The urbanisation and size class of every municipality of the classification year, from
    the dataset's optional ``municipality_classes`` table (None without it), and what the
    manifest says about it (input hash, municipalities without a row).

    Published as ``comparison_classes`` (`CLASSES_TABLE`): code and the two classes only,
    never the inhabitants or the density, so the local monitor's group of similar
    municipalities (`kansrijk.geo.classes`) comes from the publication like every figure."""
    data = Dataset.open(
        config.data,
        threads=config.threads,
        memory_limit=config.memory_limit,
        tables=[CLASSES_INPUT],
    )
    try:
        if not data.has(CLASSES_INPUT):
            return None
        rows = data.table(CLASSES_INPUT).to_pyarrow().to_pylist()
        digest = data.file_hash(CLASSES_INPUT)
    finally:
        data.close()
    wanted = [m.code for m in geo.municipalities(config.classification_year)]
    given = {r["statcode"]: r for r in rows}
    found = [
        classify(code, int(given[code]["inhabitants"]), float(given[code]["address_density"]))
        for code in wanted
        if code in given
    ]
    table = pa.table(
        {
            "region_code": pa.array([c.code for c in found], pa.string()),
            "urbanisation_class": pa.array([c.urbanisation for c in found], pa.int8()),
            "size_class": pa.array([c.size for c in found], pa.int8()),
        }
    )
    note: dict[str, object] = {
        "input": CLASSES_INPUT,
        "sha256": digest,
        "classification_year": config.classification_year,
        "classified": len(found),
        "without_class": sorted(set(wanted) - set(given)),
    }
    return table, note


def definitions_table(defs: Sequence[Indicator]) -> pa.Table:
    """The catalogue as a table (for the Excel export and `kansrijk monitor list`)."""
    return pa.table(
        {
            "indicator_id": [d.id for d in defs],
            "set": [d.indicator_set for d in defs],
            "number": [d.number for d in defs],
            "version": [d.version for d in defs],
            "editions": [",".join(map(str, d.editions)) for d in defs],
            "title_nl": [d.title_nl for d in defs],
            "title_en": [d.title_en for d in defs],
            "population": [d.population for d in defs],
            "numerator": [d.numerator for d in defs],
            "denominator": [d.denominator for d in defs],
            "unit": [str(d.unit) for d in defs],
            "time_reference": [d.time_reference for d in defs],
            "region_rule": [str(d.region_rule) for d in defs],
            "pooling_years": [d.pooling_years or 0 for d in defs],
            "breakdowns": [",".join(d.breakdowns) for d in defs],
            "direction": [str(d.direction) for d in defs],
            "sources": [",".join(d.sources) for d in defs],
            "deviations": [" | ".join(d.deviations) for d in defs],
        }
    )

"""publish: the only writer of published files, and the checks every reader runs.

`publish` takes a `Protected` (nothing else) and writes, into one directory, the public table
(Parquet, CSV, Excel), the tables derived from it (each row checked against a published
cell), public reference tables that carry no counts (the municipalities' comparison
classes), and ``manifest.json`` with the SHA-256 of every file it wrote. Every file goes to a
temporary sibling first and is renamed into place when all are written, the manifest last, so
a failure leaves no partial output. What the audit knows (why each cell is hidden, its true
counts, the attacker's intervals) goes to a separate internal directory beside ``out`` that
nothing publishes or serves (`kansrijk.publication.internal`); with ``internal_cells`` also
the unsuppressed table, ``cells.internal.parquet``. Every internal file is marked internal
(name, ``manifest.internal.json``, Parquet metadata), and `publish` refuses to write into an
internal directory or to publish a table marked internal.

`check_public` is the cheap check every reader runs again (`Publication.open`): the public
schema, no hidden cell with a number, no published cell with a count below the threshold, no
reason column, and the files unchanged since they were published.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Final

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from kansrijk.publication.errors import DisclosureError
from kansrijk.publication.internal import (
    CELL_COLUMNS,
    CELLS,
    INTERNAL_MANIFEST,
    check_separate,
    internal_dir,
    internal_manifest,
    refuse_internal_dir,
    refuse_internal_table,
    write_internal_parquet,
)
from kansrijk.publication.policy import DisclosurePolicy
from kansrijk.publication.protect import INTERNAL_ONLY, NUMBERS, Protected
from kansrijk.publication.writers import excel_available, write_csv, write_parquet, write_xlsx

FORMATS: Final = ("parquet", "csv", "xlsx")
MANIFEST: Final = "manifest.json"
#: The largest number a reference table may hold (classes, not counts).
REFERENCE_MAX_CLASS: Final = 99
#: The internal audit files (never published, never served).
INTERNAL_FILES: Final = ("protection.parquet", "loss.parquet", "audit.json", INTERNAL_MANIFEST)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomically(
    out_dir: Path, writers: Mapping[str, Callable[[Path], None]]
) -> dict[str, Path]:
    """Write every named file to a temporary sibling, then rename all into place.

    Private to the publication package: everything published comes through `publish` or
    `Publication.write`.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in writers:
        if not name or name.startswith(".") or Path(name).name != name:
            raise ValueError(f"{name!r} is not a plain file name")
    targets = {name: out_dir / name for name in writers}
    temps = {name: out_dir / f".{name}.tmp-{os.getpid()}" for name in writers}
    try:
        for name, write in writers.items():
            write(temps[name])
        for name in writers:
            temps[name].replace(targets[name])
    finally:
        for temp in temps.values():
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
    return targets


def write_json(path: Path, data: Mapping[str, object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True, default=str)
            fh.write("\n")
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_derived(name: str, table: pa.Table, public: pa.Table, keys: Sequence[str]) -> None:
    """Refuse a derived table with a row that is not a published cell with the same counts
    (it could carry a number disclosure control hid)."""
    refuse_internal_table(table, name)
    shared = [k for k in keys if k in table.column_names]
    if not {"numerator", "denominator"} <= set(table.column_names):
        raise DisclosureError(f"{name}: a derived table must carry numerator and denominator")
    con = duckdb.connect()
    try:
        con.register("d", table.select([*shared, "numerator", "denominator"]))
        con.register("p", public.select([*shared, "numerator", "denominator", "suppressed"]))
        match = " AND ".join(f'd."{k}" IS NOT DISTINCT FROM p."{k}"' for k in shared)
        row = con.execute(f"""
            SELECT count(*) FROM d WHERE NOT EXISTS (
                SELECT 1 FROM p WHERE {match} AND NOT p.suppressed
                  AND p.numerator = d.numerator AND p.denominator = d.denominator)
        """).fetchone()
    finally:
        con.close()
    if row is None or row[0]:
        raise DisclosureError(
            f"{name}: {row[0] if row else '?'} row(s) match no published cell; refusing to write"
        )


def check_reference(name: str, table: pa.Table) -> None:
    """Refuse a reference table that could carry a count: one marked internal, or with a
    count or value column (`NUMBERS`, or any column but a code and small class numbers)."""
    refuse_internal_table(table, name)
    counts = sorted(set(NUMBERS) & set(table.column_names))
    if counts:
        raise DisclosureError(f"{name}: a reference table must not carry {counts}")
    for field in table.schema:
        if pa.types.is_string(field.type):
            continue
        if pa.types.is_integer(field.type):
            column = table[field.name]
            if len(column) and (pc.max(column).as_py() or 0) > REFERENCE_MAX_CLASS:
                raise DisclosureError(
                    f"{name}: column {field.name} holds values above {REFERENCE_MAX_CLASS} "
                    "(a reference table carries codes and classes, not counts)"
                )
            continue
        raise DisclosureError(f"{name}: column {field.name} is {field.type}, not a code or class")


def publish(
    protected: Protected,
    out: Path,
    *,
    manifest: Mapping[str, object],
    formats: Sequence[str] = FORMATS,
    basename: str = "results",
    derived: Mapping[str, pa.Table] | None = None,
    derived_formats: Sequence[str] = ("parquet", "csv"),
    sheets: Mapping[str, pa.Table] | None = None,
    reference: Mapping[str, pa.Table] | None = None,
    internal: Path | None = None,
    internal_cells: bool = False,
    internal_extra: Mapping[str, object] | None = None,
) -> dict[str, Path]:
    """Write a protected table and what derives from it; return the written paths by name.

    ``manifest`` is the caller's provenance (run id, parameters, inputs, definitions); the
    gate adds the disclosure policy, the audit summary, the information loss per level and
    the SHA-256 of every output. ``sheets`` are extra Excel sheets (definitions).
    ``internal`` is the internal directory (default ``OUT.internal``, beside ``out``);
    ``internal_cells`` also writes the unsuppressed table there (``cells.internal.parquet``,
    for output checking inside the secure environment; never among the returned paths).
    ``internal_extra`` goes into the internal manifest only (e.g. the run's true note counts).
    ``reference`` are public tables that carry no counts at all (the comparison classes of
    the municipalities, `check_reference`), written as Parquet and CSV beside the results.
    """
    if not isinstance(protected, Protected):
        raise TypeError("publish takes a Protected (made by kansrijk.publication.protect)")
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; choose from {FORMATS}")
    out = Path(out)
    refuse_internal_dir(out, "publish into")
    inside = Path(internal) if internal is not None else internal_dir(out)
    check_separate(out, inside)
    public = protected.public
    check_public(public, protected.policy)
    writers: dict[str, Callable[[Path], None]] = {}
    for fmt in dict.fromkeys(formats):
        if fmt == "parquet":
            writers[f"{basename}.parquet"] = lambda p: write_parquet(public, p)
        elif fmt == "csv":
            writers[f"{basename}.csv"] = lambda p: write_csv(public, p)
        elif fmt == "xlsx" and excel_available():
            writers[f"{basename}.xlsx"] = lambda p: write_xlsx(
                _readable(public), p, extra_sheets=sheets
            )
    for name, table in (derived or {}).items():
        check_derived(name, table, public, protected.keys)
        for fmt in derived_formats:
            if fmt == "parquet":
                writers[f"{name}.parquet"] = partial(_to_parquet, table)
            elif fmt == "csv":
                writers[f"{name}.csv"] = partial(_to_csv, table)
    for name, table in (reference or {}).items():
        check_reference(name, table)
        writers[f"{name}.parquet"] = partial(_to_parquet, table)
        writers[f"{name}.csv"] = partial(_to_csv, table)
    # Internal files first: a publication never exists without its audit trail.
    _write_internal(protected, inside, manifest, cells=internal_cells, extra=internal_extra)
    paths = write_atomically(out, writers)
    full = dict(manifest)
    full["disclosure"] = {**public_audit(protected.audit), "loss": _public_loss(protected.loss)}
    full["outputs"] = {name: sha256_file(path) for name, path in sorted(paths.items())}
    full["published"] = datetime.now(UTC).replace(microsecond=0).isoformat()
    write_json(out / MANIFEST, full)
    paths[MANIFEST] = out / MANIFEST
    return paths


#: Parts of the audit summary that stay in the internal ``audit.json``: how many cells each
#: reason hid. Even as counts they are a reason per cell when a table hides one cell (or all
#: cells hidden for one reason are known), and "complement below the threshold" says that
#: nearly everyone in such a cell has the outcome.
INTERNAL_AUDIT_KEYS: Final = ("hidden_by_reason",)


def public_audit(audit: Mapping[str, object]) -> dict[str, object]:
    """The audit summary for the public manifest: without the reasons, with how many cells
    are hidden in all."""
    out = {k: v for k, v in audit.items() if k not in INTERNAL_AUDIT_KEYS}
    reasons = audit.get("hidden_by_reason")
    if isinstance(reasons, Mapping):
        out["hidden_cells"] = sum(int(v) for v in reasons.values())
    return out


def _write_internal(
    protected: Protected,
    inside: Path,
    run: Mapping[str, object],
    *,
    cells: bool,
    extra: Mapping[str, object] | None = None,
) -> None:
    """The internal directory: audit trail, optionally the unsuppressed table, and the
    internal manifest that marks them (written last, with every file's SHA-256)."""
    info = {"run_id": run.get("run_id"), "threshold": protected.policy.threshold}
    tables = {"protection.parquet": protected.internal, "loss.parquet": protected.loss}
    if cells:
        if protected.truth is None:
            raise ValueError("this Protected holds no true table to write")
        tables[CELLS] = protected.truth
    written = write_atomically(
        inside,
        {
            name: partial(_to_internal_parquet, table, {**info, "file": name})
            for name, table in tables.items()
        },
    )
    write_json(inside / "audit.json", {"audit": protected.audit, "timings": protected.timings})
    written["audit.json"] = inside / "audit.json"
    hidden = protected.public["suppressed"]
    more: dict[str, object] = {**(extra or {}), "policy": protected.policy.as_dict()}
    if cells and protected.truth is not None:
        columns = protected.truth.column_names
        more["cells"] = {
            "file": CELLS,
            "rows": protected.public.num_rows,
            "suppressed": int(pc.sum(hidden).as_py() or 0),
            "columns": columns,
            "meaning": {k: v for k, v in CELL_COLUMNS.items() if k in columns},
        }
    outputs = {name: sha256_file(path) for name, path in written.items()}
    write_json(inside / INTERNAL_MANIFEST, internal_manifest(run, outputs, **more))


def _to_internal_parquet(table: pa.Table, info: Mapping[str, object], path: Path) -> None:
    write_internal_parquet(table, path, info)


def _to_parquet(table: pa.Table, path: Path) -> None:
    write_parquet(table, path)


def _to_csv(table: pa.Table, path: Path) -> None:
    write_csv(table, path)


def _public_loss(loss: pa.Table) -> list[dict[str, object]]:
    """The loss per level without the persons in hidden cells (a sum of hidden counts)."""
    rows: list[dict[str, object]] = loss.drop_columns(["persons_hidden"]).to_pylist()
    return rows


def _readable(public: pa.Table) -> pa.Table:
    """For people (Excel): a hidden cell says "hidden (privacy)" and nothing else."""
    from kansrijk.publication.policy import HIDDEN_EN  # noqa: PLC0415

    note = pc.if_else(public["suppressed"], pa.scalar(HIDDEN_EN), pa.scalar(None, pa.string()))
    return public.append_column("note", note)


def check_public(table: pa.Table, policy: DisclosurePolicy) -> None:
    """Raise DisclosureError unless ``table`` may be published as it is (see the module
    docstring; the attacker's audit ran in `protect`)."""
    refuse_internal_table(table, "table")
    leaked = sorted(set(INTERNAL_ONLY) & set(table.column_names))
    if leaked:
        raise DisclosureError(f"a public table must not carry {leaked}")
    if "suppressed" not in table.column_names:
        raise DisclosureError("a public table needs its suppressed column")
    suppressed = table["suppressed"]
    if suppressed.null_count:
        raise DisclosureError(f"{suppressed.null_count} row(s) have no suppressed flag")
    for name in NUMBERS:
        if name in table.column_names:
            carries = pc.sum(pc.and_(suppressed, pc.is_valid(table[name]))).as_py() or 0
            if carries:
                raise DisclosureError(f"{carries} hidden row(s) still carry {name}")
    t = policy.threshold
    shown = pc.invert(suppressed)
    num, den = table["numerator"], table["denominator"]
    checks = {
        "numerator": pc.and_kleene(pc.is_valid(num), pc.less(num, t)),
        "denominator": pc.and_kleene(pc.is_valid(den), pc.less(den, t)),
        "complement": pc.and_kleene(
            pc.and_(pc.is_valid(num), pc.is_valid(den)), pc.less(pc.subtract(den, num), t)
        ),
    }
    for what, small in checks.items():
        bad = pc.sum(pc.and_(shown, pc.fill_null(small, False))).as_py() or 0
        if bad:
            raise DisclosureError(f"{bad} published row(s) with a {what} below {t}")
    missing = pc.and_(shown, pc.and_(pc.is_null(num), pc.is_null(den)))
    if (pc.sum(missing).as_py() or 0) and policy.threshold > 0:
        raise DisclosureError("a published row carries no count")

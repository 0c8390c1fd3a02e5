"""Internal files: what the gate knows and nothing may publish.

Beside every publication ``OUT`` the gate keeps an internal directory, ``OUT.internal``
(`internal_dir`): the audit trail (`protection.parquet`, `loss.parquet`, `audit.json`, and
`attack.parquet` from ``kansrijk monitor audit``) and, on request (``kansrijk monitor run
--internal``), ``cells.internal.parquet``: the unsuppressed table, every cell with its true
counts and the reason it is hidden, for the analyst's own checks and CBS's output checking
inside the secure environment (docs/secure-environment.md).

Three marks say "internal", so that a file is recognised even when it is copied or renamed:

* **location and name**: the directory ends in ``.internal`` and holds
  ``manifest.internal.json``; the cells file has ``.internal.`` in its name;
* **manifest**: ``manifest.internal.json`` says ``"internal": true`` and lists every
  internal file the run wrote with its SHA-256 (the public ``manifest.json`` lists none);
* **file metadata**: every internal Parquet file carries the key-value metadata
  ``kansrijk.internal`` (`INTERNAL_KEY`), which survives renaming and copying.

The publication path refuses all three (`refuse_internal_dir`, `refuse_internal_file`,
`is_internal_table`): `publish` will not write into an internal directory nor publish a
table marked internal, and `Publication.open` (the one reader of every report, export and
web page) will not read one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kansrijk.publication.errors import DisclosureError
from kansrijk.publication.writers import write_parquet

#: The suffix of the internal directory beside a publication ``OUT``: ``OUT.internal``.
INTERNAL_SUFFIX: Final = ".internal"
#: The Parquet key-value metadata key every internal file carries.
INTERNAL_KEY: Final = b"kansrijk.internal"
#: The internal manifest (lists the internal files; marks the directory internal).
INTERNAL_MANIFEST: Final = "manifest.internal.json"
#: The unsuppressed table written by ``kansrijk monitor run --internal``.
CELLS: Final = "cells.internal.parquet"
#: What every internal mark says.
NOTICE: Final = (
    "INTERNAL: true counts, including counts below the disclosure threshold. Stays inside "
    "the secure environment; never publish, export or serve it (docs/secure-environment.md)."
)
#: The columns of the cells file besides the table's own, with what they mean.
CELL_COLUMNS: Final = {
    "numerator": "true count of the numerator (never nulled)",
    "denominator": "true count of the denominator (never nulled)",
    "complement": "denominator - numerator: the units without the outcome",
    "value": "the indicator value computed from the true counts",
    "suppressed": "whether the public table hides the cell",
    "suppression_reason": "why it is hidden (null when published): primary (which count is "
    "below the threshold) or secondary (which rule hid it)",
}


def internal_dir(out: Path) -> Path:
    """Where a publication's internal files live: ``OUT.internal``, a sibling of ``out``.

    Beside, not inside: whatever serves, copies or exports ``OUT`` never reaches it, and the
    public manifest (which hashes the files in ``OUT``) never lists it.
    """
    out = Path(out)
    return out.parent / f"{out.name}{INTERNAL_SUFFIX}"


def is_internal_dir(path: Path) -> bool:
    """Whether ``path`` is (or lies inside) an internal directory: one named ``*.internal``
    or holding ``manifest.internal.json``."""
    path = Path(path).absolute()
    for part in (path, *path.parents):
        if part.name.endswith(INTERNAL_SUFFIX) or (part / INTERNAL_MANIFEST).is_file():
            return True
    return False


def is_internal_table(table: pa.Table | pa.Schema) -> bool:
    """Whether a table (or schema) carries the internal metadata mark."""
    schema = table if isinstance(table, pa.Schema) else table.schema
    return INTERNAL_KEY in (schema.metadata or {})


def is_internal_file(path: Path) -> bool:
    """Whether ``path`` is an internal file: ``.internal.`` in its name, inside an internal
    directory, or a Parquet file carrying the internal metadata mark."""
    path = Path(path)
    if ".internal." in path.name or is_internal_dir(path.parent):
        return True
    if path.suffix != ".parquet" or not path.is_file():
        return False
    try:
        return INTERNAL_KEY in (pq.read_metadata(path).metadata or {})
    except (pa.ArrowInvalid, OSError):
        return False


def refuse_internal_dir(path: Path, doing: str) -> None:
    """Raise DisclosureError when ``path`` is an internal directory (``doing``: what the
    caller was about to do, for the message)."""
    if is_internal_dir(path):
        raise DisclosureError(
            f"{path}: an internal directory (true counts); refusing to {doing} it. "
            "Publish and read the public directory beside it."
        )


def refuse_internal_file(path: Path, doing: str) -> None:
    """Raise DisclosureError when ``path`` is an internal file."""
    if is_internal_file(path):
        raise DisclosureError(f"{path}: an internal file (true counts); refusing to {doing} it")


def read_public_manifest(path: Path, error: type[Exception], missing: str) -> dict[str, object]:
    """The manifest at ``path`` of a public directory, for a reader of the gate. Raises
    ``error`` when it is missing (``missing`` says what it should have been) or not JSON, and
    DisclosureError when it is an internal manifest."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: missing ({missing})") from None
    except json.JSONDecodeError as exc:
        raise error(f"{path}: not JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("internal"):
        raise DisclosureError(f"{path}: an internal manifest; refusing to read it")
    return manifest


def refuse_internal_table(table: pa.Table, what: str) -> None:
    """Raise DisclosureError when ``table`` carries the internal metadata mark."""
    if is_internal_table(table):
        raise DisclosureError(f"{what}: marked internal (true counts); refusing to publish it")


def check_separate(out: Path, inside: Path) -> None:
    """Refuse an internal directory that is, or lies inside or around, the public one."""
    a, b = Path(out).resolve(), Path(inside).resolve()
    if a == b or a in b.parents or b in a.parents:
        raise DisclosureError(
            f"{inside}: the internal directory must lie beside the public directory {out}, "
            "not in it"
        )


def mark_internal(table: pa.Table, info: Mapping[str, object] | None = None) -> pa.Table:
    """``table`` with the internal metadata mark (``info`` is stored with the notice)."""
    value = json.dumps({"internal": True, "notice": NOTICE, **(info or {})}, sort_keys=True)
    metadata = {**(table.schema.metadata or {}), INTERNAL_KEY: value.encode("utf-8")}
    return table.replace_schema_metadata(metadata)


def write_internal_parquet(
    table: pa.Table, path: Path, info: Mapping[str, object] | None = None
) -> None:
    """Write an internal Parquet file: marked in its metadata, same settings as published."""
    write_parquet(mark_internal(table, info), path)


def cells_table(truth: pa.Table, hidden: pa.Array, reason: pa.Array) -> pa.Table:
    """The unsuppressed table: every row of ``truth`` (the true counts as counted) with
    ``complement``, whether the public table hides it and why (null when published)."""
    table = truth
    for name in ("suppressed", "suppression_reason", "complement"):
        if name in table.column_names:
            table = table.drop_columns([name])
    if {"numerator", "denominator"} <= set(table.column_names):
        complement = pc.subtract(table["denominator"], table["numerator"])
        at = table.schema.get_field_index("denominator") + 1
        table = table.add_column(at, "complement", complement)
    table = table.append_column("suppressed", hidden)
    return table.append_column("suppression_reason", reason.cast(pa.string()))


def internal_manifest(
    run: Mapping[str, object], outputs: Mapping[str, str], **extra: object
) -> dict[str, object]:
    """The content of ``manifest.internal.json``: the internal mark, the run it belongs to,
    and the SHA-256 of every internal file the run wrote."""
    return {
        "internal": True,
        "notice": NOTICE,
        **{k: v for k, v in run.items() if k in ("run_id", "synthetic", "parameters")},
        **extra,
        "outputs": dict(sorted(outputs.items())),
    }

"""publish_programme: the programme indicators leave through `kansrijk.disclosure.publish`.

The counts are of municipalities and organisations, so the named `ORGANISATIONS` policy
(threshold 0) applies; every other check of the publishing path (schema, consistency of hidden
cells, atomic writing) is the same as for the monitor. ``manifest.json`` is written beside the
results, atomically, after them.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from kansrijk.disclosure import publish
from kansrijk.disclosure.policy import ORGANISATIONS
from kansrijk.programme.compute import IMPLEMENTATION, ProgrammeResults
from kansrijk.programme.model import ProgrammeIndicator

BASENAME = "results"
MANIFEST = "manifest.json"
FORMATS = ("parquet", "csv", "xlsx")


def definitions_table(defs: Sequence[ProgrammeIndicator]) -> pa.Table:
    """One row per published figure, with its indicator's definition (Excel sheet)."""
    rows = [(d, f) for d in defs for f in d.figures]
    return pa.table(
        {
            "indicator_id": [f.id for _, f in rows],
            "indicator": [d.id for d, _ in rows],
            "number": [d.number for d, _ in rows],
            "version": [d.version for d, _ in rows],
            "editions": [",".join(map(str, d.editions)) for d, _ in rows],
            "title_nl": [d.title_nl for d, _ in rows],
            "title_en": [d.title_en for d, _ in rows],
            "figure_nl": [f.label_nl for _, f in rows],
            "figure_en": [f.label_en for _, f in rows],
            "numerator": [f.numerator for _, f in rows],
            "denominator": [f.denominator for _, f in rows],
            "breakdown": [f.breakdown for _, f in rows],
            "categories": [",".join(f.categories) for _, f in rows],
            "subject": [str(d.subject) for d, _ in rows],
            "source": [str(d.source) for d, _ in rows],
            "reference_date": [str(d.reference_date) for d, _ in rows],
            "unit": [str(d.unit) for d, _ in rows],
            "direction": [str(d.direction) for d, _ in rows],
            "definition_hash": [d.definition_hash(IMPLEMENTATION) for d, _ in rows],
            "notes": [" | ".join(d.notes + d.deviations) for d, _ in rows],
        }
    )


def _manifest_sheet(manifest: dict[str, object]) -> pa.Table:
    dates = manifest.get("reference_dates", {})
    keys = ["run_id", "years", "disclosure_policy", "reference_dates", "software"]
    values = [
        str(manifest.get("run_id", "")),
        ",".join(map(str, manifest.get("years", []))),  # type: ignore[call-overload]
        json.dumps(manifest.get("disclosure_policy"), sort_keys=True),
        json.dumps(dates, sort_keys=True),
        json.dumps(manifest.get("software"), sort_keys=True),
    ]
    return pa.table({"key": keys, "value": values})


def write_json_atomic(path: Path, data: dict[str, object]) -> None:
    """Write ``data`` as JSON to a temporary sibling and rename it into place."""
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


def publish_programme(
    results: ProgrammeResults, out_dir: Path, *, formats: Sequence[str] = FORMATS
) -> list[Path]:
    """Write ``results.{parquet,csv,xlsx}`` and ``manifest.json`` into ``out_dir``.

    Goes through `kansrijk.disclosure.publish` with the `ORGANISATIONS` policy, so a table that
    is not a valid results table is refused (DisclosureError) before anything is written.
    """
    files = publish(
        results.table,
        out_dir,
        formats=formats,
        basename=BASENAME,
        extra_sheets={
            "definitions": definitions_table(results.definitions),
            "manifest": _manifest_sheet(results.manifest),
        },
        policy=ORGANISATIONS,
    )
    manifest = dict(results.manifest)
    manifest["created"] = datetime.now(UTC).replace(microsecond=0).isoformat()
    manifest["outputs"] = [p.name for p in files]
    write_json_atomic(out_dir / MANIFEST, manifest)
    return [*files, out_dir / MANIFEST]

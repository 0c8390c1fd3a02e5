"""publish_programme: the programme indicators leave through the publication gate.

`compute_programme` protected the table (`kansrijk.publication.protect` with the named
`ORGANISATIONS` policy: counts of municipalities and organisations, threshold 0);
`kansrijk.publication.publish` writes it (Parquet, CSV, Excel with the definitions), atomically,
and is the one writer of ``manifest.json``: the programme's provenance goes in as its content,
the gate adds the policy, the audit and the SHA-256 of every output. Readers open the result
with `kansrijk.publication.Publication.open(out_dir, basename=BASENAME)`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from kansrijk.programme.compute import IMPLEMENTATION, ProgrammeResults
from kansrijk.programme.model import ProgrammeIndicator
from kansrijk.publication import FORMATS, MANIFEST, Protected, publish

BASENAME = "results"
__all__ = ["BASENAME", "FORMATS", "MANIFEST", "definitions_table", "publish_programme"]


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


def _manifest_sheet(manifest: dict[str, object], protected: Protected) -> pa.Table:
    dates = manifest.get("reference_dates", {})
    keys = ["run_id", "years", "disclosure_policy", "reference_dates", "software"]
    values = [
        str(manifest.get("run_id", "")),
        ",".join(map(str, manifest.get("years", []))),  # type: ignore[call-overload]
        json.dumps(protected.policy.as_dict(), sort_keys=True),
        json.dumps(dates, sort_keys=True),
        json.dumps(manifest.get("software"), sort_keys=True),
    ]
    return pa.table({"key": keys, "value": values})


def publish_programme(
    results: ProgrammeResults, out_dir: Path, *, formats: Sequence[str] = FORMATS
) -> dict[str, Path]:
    """Write ``results.{parquet,csv,xlsx}`` and ``manifest.json`` into ``out_dir``.

    Goes through `kansrijk.publication.publish`, which takes only a `Protected` and refuses a
    table its policy does not allow (DisclosureError) before anything is written. Returns the
    written paths by file name.
    """
    return publish(
        results.protected,
        out_dir,
        manifest=results.manifest,
        formats=formats,
        basename=BASENAME,
        sheets={
            "definitions": definitions_table(results.definitions),
            "manifest": _manifest_sheet(results.manifest, results.protected),
        },
    )

"""Compute and publish the programme indicators, and read what was published.

Pages never compute: they read what the publication gate wrote, through its one reader
(`kansrijk.publication.Publication.open`, which checks every file against the manifest's
hashes and the table against the gate's rules): `load_publication`, and `load_published` /
`load_manifest` on top of it. Computing happens in `publish_programme_indicators`, run by the
management command ``programme_publish`` or by programme staff's "Recompute" button.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from django.conf import settings

from kansrijk.programme import BASENAME, compute_programme, publish_programme
from kansrijk.publication import DisclosureError, Publication
from kansrijk.publication.publish import sha256_file
from kansrijk.web.programme.facts import build_facts

DEFAULT_YEARS: Final = (2019, 2020, 2021)
#: Downloadable formats: URL name -> (file suffix, content type).
DOWNLOADS: Final = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
#: One publication at a time per process: the publishing path's temporary file names are per
#: process, so two threads of one server must not write them at once.
_PUBLISHING = threading.Lock()


def results_dir() -> Path:
    """Where the programme indicators are published: ``KANSRIJK_RESULTS_DIR / "programme"``."""
    return Path(settings.KANSRIJK_RESULTS_DIR) / "programme"


def publish_programme_indicators(
    years: Sequence[int] = DEFAULT_YEARS, out_dir: Path | None = None
) -> Path:
    """Build the facts from the database, compute and publish; return the output folder."""
    out = results_dir() if out_dir is None else out_dir
    results = compute_programme([build_facts(year) for year in years])
    with _PUBLISHING:
        publish_programme(results, out)
    return out


def load_publication(out_dir: Path | None = None) -> Publication | None:
    """The checked publication, or None when nothing is published.

    Raises DisclosureError (or ResultsError) when the files are not as the gate wrote them.
    """
    out = results_dir() if out_dir is None else out_dir
    if not (out / f"{BASENAME}.parquet").is_file():
        return None
    return Publication.open(out, basename=BASENAME)


def load_published(out_dir: Path | None = None) -> list[dict[str, Any]] | None:
    """The published rows (RESULTS_SCHEMA columns as dicts), or None when nothing is published."""
    publication = load_publication(out_dir)
    if publication is None:
        return None
    rows: list[dict[str, Any]] = publication.results.to_pylist()
    return rows


def load_manifest(out_dir: Path | None = None) -> dict[str, Any] | None:
    """The published ``manifest.json`` (checked with its publication), or None."""
    publication = load_publication(out_dir)
    return None if publication is None else dict(publication.manifest)


def download_formats(publication: Publication) -> list[str]:
    """The download formats the publication has (files the gate wrote and listed)."""
    outputs = publication.manifest.get("outputs")
    listed = outputs if isinstance(outputs, dict) else {}
    return [fmt for fmt, (suffix, _) in DOWNLOADS.items() if f"{BASENAME}.{suffix}" in listed]


def download_path(fmt: str, out_dir: Path | None = None) -> Path | None:
    """The published file for a download format, or None (unknown format or not published).

    The file is served only when it is one the gate published, unchanged (its SHA-256 in the
    checked manifest); otherwise DisclosureError.
    """
    if fmt not in DOWNLOADS:
        return None
    out = results_dir() if out_dir is None else out_dir
    path = out / f"{BASENAME}.{DOWNLOADS[fmt][0]}"
    if not path.is_file():
        return None
    publication = load_publication(out)
    outputs = publication.manifest.get("outputs") if publication is not None else None
    if not isinstance(outputs, dict) or outputs.get(path.name) != sha256_file(path):
        raise DisclosureError(f"{path}: not as the publication gate wrote it")
    return path

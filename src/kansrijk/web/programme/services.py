"""Compute and publish the programme indicators, and read what was published.

Pages never compute: they read the published Parquet and manifest (`load_published`,
`load_manifest`). Computing happens in `publish_programme_indicators`, run by the management
command ``programme_publish`` or by programme staff's "Recompute" button.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import pyarrow.parquet as pq
from django.conf import settings

from kansrijk.programme import BASENAME, MANIFEST, compute_programme, publish_programme
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


def load_published(out_dir: Path | None = None) -> list[dict[str, Any]] | None:
    """The published rows (RESULTS_SCHEMA columns as dicts), or None when nothing is published."""
    path = (results_dir() if out_dir is None else out_dir) / f"{BASENAME}.parquet"
    if not path.is_file():
        return None
    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def load_manifest(out_dir: Path | None = None) -> dict[str, Any] | None:
    """The published ``manifest.json``, or None."""
    path = (results_dir() if out_dir is None else out_dir) / MANIFEST
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def download_path(fmt: str, out_dir: Path | None = None) -> Path | None:
    """The published file for a download format, or None (unknown format or not published)."""
    if fmt not in DOWNLOADS:
        return None
    path = (results_dir() if out_dir is None else out_dir) / f"{BASENAME}.{DOWNLOADS[fmt][0]}"
    return path if path.is_file() else None

"""Downloads of the monitor: a municipality's figures, and the whole run's results table.

Every file is made by `kansrijk.export` from the run's `Publication`, checked when it was
loaded; nothing is read from disk here. Files are built once per (run, format, municipality,
language) and kept in the run's cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kansrijk import export
from kansrijk.publication import Publication
from kansrijk.report.labels import Lang
from kansrijk.web.monitor.store import Blob, Run

XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Format:
    suffix: str
    content_type: str


#: A municipality's downloads by URL name.
MUNICIPAL: Final = {
    "xlsx": Format("xlsx", XLSX),
    "csv": Format("csv", "text/csv; charset=utf-8"),
    "fhir": Format("fhir.json", "application/fhir+json; charset=utf-8"),
}
#: The whole run's results table by file name.
FULL: Final = {
    "results.parquet": Format("parquet", "application/vnd.apache.parquet"),
    "results.csv": Format("csv", "text/csv; charset=utf-8"),
}


def slug(name: str) -> str:
    """A file-name-safe form of a municipality's name ("'s-Hertogenbosch" -> "s-hertogenbosch")."""
    ascii_name = name.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "gemeente"


def municipal_filename(published: Publication, code: str, fmt: str) -> str:
    name = slug(published.region(code).name)
    return f"kansrijk-monitor-{code}-{name}-{published.run_id}.{MUNICIPAL[fmt].suffix}"


def full_filename(published: Publication, name: str) -> str:
    return f"kansrijk-monitor-{published.run_id}-{name}"


def municipal(run: Run, code: str, fmt: str, lang: Lang) -> Blob:
    """A municipality's figures (with its province and NL for comparison) in ``fmt``."""
    published = run.published
    published.region(code)  # KeyError for an unknown code

    def make() -> Blob:
        if fmt == "xlsx":
            return Blob(export.workbook_bytes(published, municipality=code, lang=lang))
        if fmt == "csv":
            return Blob(export.csv_bytes(published, municipality=code))
        if fmt == "fhir":
            return Blob(export.fhir_bundle_bytes(published, code, comparison=True, lang=lang))
        raise KeyError(fmt)

    return run.downloads.get_or_build((fmt, code, lang), make)


def full(run: Run, name: str) -> Blob:
    """The whole run's results as ``results.parquet`` or ``results.csv``."""
    published = run.published

    def make() -> Blob:
        if name == "results.csv":
            return Blob(export.csv_bytes(published))
        if name == "results.parquet":
            return Blob(export.parquet_bytes(published))
        raise KeyError(name)

    return run.downloads.get_or_build((name, "", ""), make)

"""Exports of published results: an Excel workbook, CSV, Parquet and FHIR MeasureReports.

Everything here starts from a `Publication` (results whose files matched their manifest and
whose table passed the gate's checks when they were opened) and leaves through it:
`export_all` writes its files with `Publication.write`, which writes every file to a temporary
sibling and renames them into place only when all are written. The in-memory variants
(`workbook_bytes`, `csv_bytes`, `parquet_bytes`, `fhir_bundle_bytes`) serve the web app's
downloads: they filter the Arrow table to one municipality before building anything, so one
call takes well under 200 ms.

A municipality's export holds its own rows plus, for comparison, the same cells (breakdowns)
of its province and of the Netherlands.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kansrijk.export._common import check_lang, selected_rows
from kansrijk.export.fhir import bundle_for_region, measure_report, measure_reports, write_ndjson
from kansrijk.export.workbook import write_workbook
from kansrijk.publication import Publication
from kansrijk.publication.writers import write_csv, write_parquet
from kansrijk.report.labels import Lang

__all__ = [
    "Lang",
    "bundle_for_region",
    "csv_bytes",
    "export_all",
    "export_names",
    "fhir_bundle_bytes",
    "measure_report",
    "measure_reports",
    "parquet_bytes",
    "workbook_bytes",
    "write_ndjson",
    "write_workbook",
]


def export_names(published: Publication, municipality: str | None = None) -> dict[str, str]:
    """The file names `export_all` writes, by kind (stable: run id and municipality)."""
    suffix = f"-{municipality}" if municipality else ""
    return {
        "xlsx": f"kansrijk-{published.run_id}{suffix}.xlsx",
        "csv": "results.csv",
        "parquet": "results.parquet",
        "ndjson": "measurereports.ndjson",
    }


def export_all(
    published: Publication,
    out_dir: Path,
    *,
    lang: Lang = "nl",
    municipality: str | None = None,
) -> list[Path]:
    """Write the workbook, ``results.csv``, ``results.parquet`` and ``measurereports.ndjson``.

    Without ``municipality``: the whole checked table, and MeasureReports of the country,
    the provinces and every municipality. With one: its subset (see the module docstring) and
    the reports of the municipality, its province and the country. All files appear together
    or not at all. ``out_dir`` must not be the run's own results directory (the exported
    ``results.parquet`` would replace the run's; `Publication.write` refuses it).
    """
    lang = check_lang(lang)
    table = selected_rows(published, municipality)
    names = export_names(published, municipality)

    def workbook(path: Path) -> None:
        write_workbook(published, path, lang=lang, municipality=municipality, table=table)

    def reports(path: Path) -> None:
        write_ndjson(published, path, table=table, regions="all", lang=lang)

    writers: dict[str, Callable[[Path], None]] = {
        names["xlsx"]: workbook,
        names["csv"]: lambda path: write_csv(table, path),
        names["parquet"]: lambda path: write_parquet(table, path),
        names["ndjson"]: reports,
    }
    return published.write(Path(out_dir), writers)


def workbook_bytes(
    published: Publication, *, municipality: str | None = None, lang: Lang = "nl"
) -> bytes:
    """The Excel workbook (all results, or one municipality's) as bytes, for a download."""
    buffer = io.BytesIO()
    write_workbook(published, buffer, lang=check_lang(lang), municipality=municipality)
    return buffer.getvalue()


def csv_bytes(published: Publication, *, municipality: str | None = None) -> bytes:
    """The results table (all, or one municipality's rows) as CSV bytes, for a download.

    Same format as the ``results.csv`` of a run: UTF-8, comma, header, empty field for null.
    """
    table = selected_rows(published, municipality)
    buffer = io.BytesIO()
    buffer.write((",".join(table.column_names) + "\n").encode("utf-8"))
    options = pacsv.WriteOptions(include_header=False, delimiter=",", quoting_style="needed")
    pacsv.write_csv(table, buffer, write_options=options)
    return buffer.getvalue()


def parquet_bytes(published: Publication, *, municipality: str | None = None) -> bytes:
    """The results table (all, or one municipality's rows) as Parquet bytes, for a download.

    Written with the settings of the run's own ``results.parquet`` (same table, same bytes).
    """
    table = selected_rows(published, municipality)
    sink = pa.BufferOutputStream()
    pq.write_table(
        table,
        sink,
        compression="zstd",
        compression_level=3,
        use_dictionary=True,
        write_statistics=True,
        row_group_size=1_000_000,
    )
    return bytes(sink.getvalue().to_pybytes())


def fhir_bundle_bytes(
    published: Publication,
    municipality: str,
    *,
    comparison: bool = False,
    lang: Lang = "nl",
) -> bytes:
    """A municipality's MeasureReports as a FHIR Bundle (JSON bytes), for a download.

    With ``comparison`` the bundle also holds its province's and the country's reports.
    """
    if published.region(municipality).type != "gemeente":
        raise KeyError(f"{municipality} is not a municipality")
    bundle = bundle_for_region(published, municipality, comparison=comparison, lang=lang)
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

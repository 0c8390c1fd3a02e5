"""publish: the single path by which results leave the monitor.

It checks the table (`check_publishable`) and only then writes each format to a temporary
sibling, renaming all into place once every file is written, so a failure leaves no partial
output.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from kansrijk.disclosure.check import check_publishable
from kansrijk.disclosure.errors import DisclosureError
from kansrijk.disclosure.policy import DisclosurePolicy
from kansrijk.disclosure.writers import excel_available, write_csv, write_parquet, write_xlsx

FORMATS = ("parquet", "csv", "xlsx")


def publish(
    results: pa.Table,
    out_dir: Path,
    *,
    formats: Sequence[str] = FORMATS,
    basename: str = "results",
    extra_sheets: Mapping[str, pa.Table] | None = None,
    policy: DisclosurePolicy = DisclosurePolicy(),
    hierarchy: pa.Table | None = None,
) -> list[Path]:
    """Check ``results`` and write ``out_dir/basename.<format>``; return the written paths.

    Raises DisclosureError (before writing anything) when the table is not publishable; with a
    ``hierarchy`` secondary suppression is verified too. "xlsx" is skipped when openpyxl is not
    installed. ``extra_sheets`` (e.g. definitions, manifest) are added to the workbook only.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; choose from {FORMATS}")
    check_publishable(results, policy, hierarchy)
    writers: dict[str, Callable[[Path], None]] = {
        "parquet": lambda path: write_parquet(results, path),
        "csv": lambda path: write_csv(results, path),
        "xlsx": lambda path: write_xlsx(results, path, extra_sheets=extra_sheets),
    }
    chosen = [f for f in dict.fromkeys(formats) if f != "xlsx" or excel_available()]
    return _write_atomically({f: writers[f] for f in chosen}, out_dir, basename)


def publish_files(
    results: pa.Table,
    out_dir: Path,
    writers: Mapping[str, Callable[[Path], None]],
    *,
    policy: DisclosurePolicy = DisclosurePolicy(),
    hierarchy: pa.Table | None = None,
) -> list[Path]:
    """Check ``results``, then write ``out_dir/<name>`` with each writer; return the paths.

    For outputs built from a published table in formats `publish` does not know (e.g. the
    exports of `kansrijk.export`): ``writers`` maps a plain file name to a function that writes
    that file at the path it is given. Raises DisclosureError before writing anything when
    ``results`` is not publishable; files are written to temporary siblings and renamed only
    when all are written, so a failure leaves no partial output.
    """
    for name in writers:
        if not name or name.startswith(".") or Path(name).name != name:
            raise ValueError(f"{name!r} is not a plain file name")
    check_publishable(results, policy, hierarchy)
    return write_files_atomically(writers, out_dir)


def _write_atomically(
    writers: Mapping[str, Callable[[Path], None]], out_dir: Path, basename: str
) -> list[Path]:
    """Write every format to a temporary sibling, then rename all into place."""
    return write_files_atomically(
        {f"{basename}.{fmt}": write for fmt, write in writers.items()}, out_dir
    )


def write_files_atomically(
    writers: Mapping[str, Callable[[Path], None]], out_dir: Path
) -> list[Path]:
    """Write every named file to a temporary sibling, then rename all into place.

    The one atomic writer of the project: a failure leaves no partial output. It checks
    nothing; `publish` and `publish_files` run the disclosure gate before calling it.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [out_dir / name for name in writers]
    temps = [out_dir / f".{t.name}.tmp-{os.getpid()}" for t in targets]
    try:
        for write, temp in zip(writers.values(), temps, strict=True):
            write(temp)
        for temp, target in zip(temps, targets, strict=True):
            temp.replace(target)  # os.replace: atomic within one directory
    finally:
        for temp in temps:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
    return targets


DERIVED_KEYS = (
    "indicator_id",
    "edition",
    "period_start",
    "period_end",
    "classification_year",
    "breakdown",
    "breakdown_value",
    "region_code",
)


def publish_derived(
    table: pa.Table,
    published: pa.Table,
    out_dir: Path,
    *,
    basename: str,
    formats: Sequence[str] = ("parquet", "csv"),
) -> list[Path]:
    """Write a table derived from published results (e.g. funnel-plot limits).

    Refuses (DisclosureError) unless every row matches a published, non-suppressed cell of
    ``published`` with the same numerator and denominator, so no derived output can carry a
    number that disclosure control hid.
    """
    unknown = set(formats) - {"parquet", "csv"}
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)} for a derived table")
    con = duckdb.connect()
    con.register("derived", table)
    con.register("published", published)
    keys = " AND ".join(f"d.{k} IS NOT DISTINCT FROM p.{k}" for k in DERIVED_KEYS)
    row = con.execute(f"""
        SELECT count(*) FROM derived d WHERE NOT EXISTS (
            SELECT 1 FROM published p WHERE {keys} AND NOT p.suppressed
              AND p.numerator = d.numerator AND p.denominator = d.denominator)
    """).fetchone()
    con.close()
    if row is None or row[0]:
        raise DisclosureError(
            f"{basename}: {row[0] if row else '?'} row(s) do not match a "
            "published cell; refusing to write"
        )
    writers: dict[str, Callable[[Path], None]] = {
        "parquet": lambda path: write_parquet(table, path),
        "csv": lambda path: write_csv(table, path),
    }
    return _write_atomically({f: writers[f] for f in formats}, out_dir, basename)

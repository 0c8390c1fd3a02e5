"""File writers for published tables: Parquet, CSV and (when XlsxWriter is installed) Excel.

Each writer writes to a given path; `publish` gives them temporary siblings and renames.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

#: Characters an Excel cell cannot hold.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Excel limits sheet names to 31 characters without these.
_SHEET_FORBIDDEN = set("[]:*?/\\")


def write_parquet(table: pa.Table, path: Path) -> None:
    """Parquet with fixed settings and no timestamps: the same table gives the same bytes."""
    pq.write_table(
        table,
        path,
        compression="zstd",
        compression_level=3,
        use_dictionary=True,
        write_statistics=True,
        row_group_size=1_000_000,
    )


def write_csv(table: pa.Table, path: Path) -> None:
    """UTF-8 CSV: comma separator, header, '.' decimal, empty field for null, rows as given.

    The header is written plainly (column names are identifiers); values are quoted only when
    needed.
    """
    options = pacsv.WriteOptions(include_header=False, delimiter=",", quoting_style="needed")
    with path.open("wb") as out:
        out.write((",".join(table.column_names) + "\n").encode("utf-8"))
        pacsv.write_csv(table, out, write_options=options)


def excel_available() -> bool:
    """Whether XlsxWriter is installed (Excel output is skipped without it)."""
    return importlib.util.find_spec("xlsxwriter") is not None


def _check_sheet_name(name: str) -> str:
    if not name or len(name) > 31 or _SHEET_FORBIDDEN & set(name):
        raise ValueError(f"{name!r} is not a valid Excel sheet name")
    return name


def write_xlsx(
    table: pa.Table,
    path: Path,
    *,
    sheet_by: str = "indicator_id",
    extra_sheets: Mapping[str, pa.Table] | None = None,
) -> None:
    """Excel workbook: one sheet per value of ``sheet_by`` (in order of appearance), then extras.

    XlsxWriter in constant-memory mode: rows are streamed to disk as they are written, so
    memory stays flat (openpyxl's write-only mode built an XML element per cell: 1.5 s of a
    200-birth run's 5,000 rows). Text is always text: a value starting with "=" is not a
    formula, one that looks like a number or a URL stays a string; a null is an empty cell.
    """
    import xlsxwriter  # noqa: PLC0415  (only when Excel is asked for)

    extra = dict(extra_sheets or {})
    sheet_values = list(dict.fromkeys(table[sheet_by].to_pylist()))
    names = [_check_sheet_name(str(v)) for v in sheet_values] + [
        _check_sheet_name(n) for n in extra
    ]
    if len({n.lower() for n in names}) != len(names):
        raise ValueError(f"duplicate Excel sheet names in {names}")
    parts = [(str(v), table.filter(pc.equal(table[sheet_by], v))) for v in sheet_values]
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
        },
    )
    try:
        for name, part in [*parts, *extra.items()]:
            sheet = book.add_worksheet(name)
            sheet.write_row(0, 0, part.column_names)
            columns = [part[c].to_pylist() for c in part.column_names]
            for number, row in enumerate(zip(*columns, strict=True), start=1):
                for column, value in enumerate(row):
                    if value is None:
                        continue
                    if isinstance(value, str):
                        if _ILLEGAL.search(value):
                            raise ValueError(
                                f"{path.name}: sheet {name}, row {number + 1}: control "
                                f"character in {part.column_names[column]}: {value!r}"
                            )
                        sheet.write_string(number, column, value)
                    else:
                        sheet.write(number, column, value)
    finally:
        book.close()

"""The exports' Excel writer: XlsxWriter in constant-memory mode, with the workbook's styles.

Why not openpyxl (still the reader in the tests): even in write-only mode it builds an XML
element per cell, 8.6 s of a 65 s export at scale 0.05, too much for issue 17's 15 s for the
whole export. XlsxWriter's constant-memory mode streams each row to a temporary file as it
is written (memory holds one row). The workbook's styles are `NORMAL`, `BANNER`, `HEADER`
and `DECIMAL`; values are ``str``, ``int``, ``float``, ``bool`` or ``None`` (an empty cell).
The creation date is fixed, so the same table gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any, Final

import xlsxwriter

#: Cell styles of the exports' workbooks.
NORMAL: Final = 0
BANNER: Final = 1  # bold, 14 pt, dark red on light red, wrapped: the synthetic-data banner
HEADER: Final = 2  # bold
DECIMAL: Final = 3  # number format "0.0"

_FORMATS: Final[dict[int, dict[str, object]]] = {
    BANNER: {
        "bold": True,
        "font_size": 14,
        "font_color": "#A3220F",
        "bg_color": "#FDECEA",
        "pattern": 1,
        "text_wrap": True,
        "valign": "top",
    },
    HEADER: {"bold": True},
    DECIMAL: {"num_format": "0.0"},
}
_ILLEGAL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: A fixed creation date: the same workbook is the same bytes.
_CREATED: Final = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: Excel's limit on a sheet name, and the characters it refuses in one.
_TITLE_MAX: Final = 31
_TITLE_BAD: Final = re.compile(r"[\\/*?:\[\]]")


class Workbook:
    """Sheets written one after another into an ``.xlsx`` file (a path or a binary file).

    Use as a context manager: `sheet` writes a sheet; leaving the block closes the workbook.
    """

    def __init__(self, target: Path | IO[bytes]) -> None:
        self._book = xlsxwriter.Workbook(
            str(target) if isinstance(target, Path) else target,
            {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False},
        )
        self._book.set_properties({"created": _CREATED})
        self._formats: dict[int, Any] = {k: self._book.add_format(v) for k, v in _FORMATS.items()}
        self._titles: list[str] = []

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self._book.close()

    def sheet(
        self,
        title: str,
        rows: Iterable[Sequence[object]],
        *,
        widths: Sequence[int] = (),
        styles: Sequence[int] = (),
        header: Sequence[str] | None = None,
    ) -> None:
        """Write a sheet: an optional bold, frozen header row, then ``rows``.

        ``styles`` gives the style of each column's cells (`NORMAL` when missing);
        ``widths`` the column widths in characters.
        """
        if not title or len(title) > _TITLE_MAX or _TITLE_BAD.search(title):
            raise ValueError(f"not a valid sheet name: {title!r}")
        if title.lower() in {t.lower() for t in self._titles}:
            raise ValueError(f"duplicate sheet name: {title!r}")
        self._titles.append(title)
        sheet = self._book.add_worksheet(title)
        for i, width in enumerate(widths):
            sheet.set_column(i, i, width)
        number = 0
        if header is not None:
            sheet.freeze_panes(1, 0)
            _row(sheet, number, header, [HEADER] * len(header), self._formats)
            number += 1
        for values in rows:
            _row(sheet, number, values, styles, self._formats)
            number += 1


def _row(
    sheet: Any,
    number: int,
    values: Sequence[object],
    styles: Sequence[int],
    formats: dict[int, Any],
) -> None:
    """One row: a cell per value that is not None, in its column's style."""
    for i, value in enumerate(values):
        if value is None:
            continue
        style = formats.get(styles[i]) if i < len(styles) else None
        if isinstance(value, str):
            if _ILLEGAL.search(value):
                raise ValueError(f"control character in cell text: {value!r}")
            sheet.write_string(number, i, value, style)
        elif isinstance(value, bool):
            sheet.write_boolean(number, i, value, style)
        elif isinstance(value, int | float):
            if not math.isfinite(value):
                raise ValueError(f"not a finite number: {value!r}")
            sheet.write_number(number, i, value, style)
        else:
            raise TypeError(f"cannot write {type(value).__name__} to a cell: {value!r}")

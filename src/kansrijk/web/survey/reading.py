"""Reading an uploaded questionnaire table (CSV or XLSX) within fixed limits.

An import file comes from outside, so nothing in it decides how much memory or time reading it
takes: the size is checked before anything is decoded, the number of rows, columns and cells is
bounded by what a questionnaire can hold (its municipalities and questions plus a margin), and a
wall-clock deadline is checked while reading. Every refusal says in plain words what is wrong.
The XLSX side lives in :mod:`kansrijk.web.survey.xlsx`; this module holds the limits, the CSV
reader and the dispatch between the two.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field
from typing import Final

from django.conf import settings
from django.utils.translation import gettext as _

from kansrijk.web.survey.forms import TEXT_MAX_LENGTH
from kansrijk.web.survey.spreadsheet import unescape_formula

#: Default upper bound of an upload (overridden by ``KANSRIJK_IMPORT_MAX_BYTES``).
DEFAULT_MAX_BYTES: Final = 2 * 1024 * 1024
#: Default wall-clock budget of reading one file (``KANSRIJK_IMPORT_SECONDS``).
DEFAULT_SECONDS: Final = 10.0
ZIP_MAGIC: Final = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
FIXED_COLUMN_COUNT: Final = 4
COLUMN_MARGIN: Final = 20


class UnreadableFileError(ValueError):
    """The file cannot be read as a questionnaire table; the message is for people."""


@dataclass(frozen=True)
class Limits:
    """What one import may contain and cost. Rows count the data rows (not the header)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = 500
    max_columns: int = 100
    seconds: float = DEFAULT_SECONDS
    max_line_chars: int = 200_000
    zip_members: int = 64
    zip_member_bytes: int = 8 * 1024 * 1024
    zip_part_bytes: int = 1024 * 1024  # workbook, styles, relations: parsed as a whole
    zip_total_bytes: int = 16 * 1024 * 1024
    zip_ratio: int = 100
    cell_elements: int = 200  # XML elements inside one cell or shared string

    @property
    def max_cells(self) -> int:
        return (self.max_rows + 1) * self.max_columns

    @property
    def max_xml_elements(self) -> int:
        return self.max_cells * 3 + self.max_rows * 2 + 5000

    @classmethod
    def for_questionnaire(
        cls, municipalities: int, questions: int, text_questions: int = 0
    ) -> Limits:
        """Limits for a question set: every municipality once, every question once, a margin."""
        columns = FIXED_COLUMN_COUNT + questions + COLUMN_MARGIN
        return cls(
            max_bytes=int(getattr(settings, "KANSRIJK_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)),
            max_rows=max(municipalities, 1) + max(50, municipalities // 4),
            max_columns=columns,
            seconds=float(getattr(settings, "KANSRIJK_IMPORT_SECONDS", DEFAULT_SECONDS)),
            # A line holds every column's value: short codes, plus the long texts quoted.
            max_line_chars=columns * 256 + text_questions * (2 * TEXT_MAX_LENGTH + 3),
        )


@dataclass
class Table:
    """The header (row 1) and the numbered rows after it, as read; cells are Python values."""

    header: list[object]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


class Deadline:
    """A wall-clock budget, checked at regular points while reading."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise UnreadableFileError(
                _("Reading the file took longer than %(n)s seconds; it is too large or damaged.")
                % {"n": f"{self.seconds:g}"}
            )


def size_problem(size: int, limits: Limits) -> str | None:
    """Why an upload of ``size`` bytes is refused before it is read (None: it is not)."""
    if size > limits.max_bytes:
        return _("The file is %(size)s; an import file may be at most %(max)s.") % {
            "size": human_size(size),
            "max": human_size(limits.max_bytes),
        }
    return None


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def read_table(content: bytes, limits: Limits) -> Table:
    """Header and numbered rows of a CSV (comma or semicolon, UTF-8) or XLSX file.

    Raises UnreadableFileError when the file is too large, of the wrong kind or damaged.
    """
    problem = size_problem(len(content), limits)
    if problem:
        raise UnreadableFileError(problem)
    if not content.strip():
        raise UnreadableFileError(_("The file is empty."))
    deadline = Deadline(limits.seconds)
    if content.startswith(OLE_MAGIC):
        raise UnreadableFileError(
            _(
                "This is an encrypted Excel file or an old Excel (.xls) file. Save it as an"
                " Excel workbook (.xlsx) without a password, or as CSV UTF-8."
            )
        )
    if content.startswith(ZIP_MAGIC):
        from kansrijk.web.survey.xlsx import read_xlsx  # noqa: PLC0415 (it imports this module)

        return read_xlsx(content, limits, deadline)
    return read_csv(content, limits, deadline)


def read_csv(content: bytes, limits: Limits, deadline: Deadline) -> Table:
    """A CSV file within ``limits``: UTF-8 only, no NUL bytes, bounded lines, rows and cells."""
    if content.startswith(UTF16_BOMS):
        raise UnreadableFileError(
            _("The file is UTF-16 text. Save it as “CSV UTF-8 (comma delimited)”.")
        )
    nul = content.find(b"\x00")
    if nul >= 0:
        raise UnreadableFileError(
            _(
                "Line %(line)s contains a NUL byte: this is not a CSV text file (save it as"
                " “CSV UTF-8” or as an Excel workbook)."
            )
            % {"line": content.count(b"\n", 0, nul) + 1}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            _(
                "The file is not UTF-8 text or an Excel (.xlsx) file: byte %(byte)s on line"
                " %(line)s cannot be read. Save it as “CSV UTF-8”."
            )
            % {
                "byte": f"0x{content[error.start]:02x}",
                "line": content.count(b"\n", 0, error.start) + 1,
            }
        ) from error
    for number, physical in enumerate(io.StringIO(text, newline=""), start=1):
        if len(physical) > limits.max_line_chars:
            raise UnreadableFileError(
                _("Line %(line)s is %(n)s characters long; at most %(max)s are expected.")
                % {"line": number, "n": len(physical), "max": limits.max_line_chars}
            )
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[object] | None = None
    rows: list[tuple[int, list[object]]] = []
    cells = 0
    try:
        for line, record in enumerate(reader, start=1):  # numbered as a spreadsheet shows them
            if line % 64 == 0:
                deadline.check()
            if len(record) > limits.max_columns:
                raise UnreadableFileError(
                    _("Row %(line)s has %(n)s columns; an import has at most %(max)s.")
                    % {"line": line, "n": len(record), "max": limits.max_columns}
                )
            cells += max(len(record), 1)
            if cells > limits.max_cells:
                raise UnreadableFileError(
                    _("The file has more than %(max)s cells; it cannot be a questionnaire import.")
                    % {"max": limits.max_cells}
                )
            if header is None:
                header = list(record)
                continue
            if not any(v.strip() for v in record):
                continue
            if len(rows) >= limits.max_rows:
                raise UnreadableFileError(too_many_rows(limits))
            rows.append((line, [unescape_formula(v) for v in record]))
    except csv.Error as error:
        raise UnreadableFileError(
            _("Line %(line)s cannot be read as CSV: %(error)s (is a quote not closed?)")
            % {"line": reader.line_num, "error": error}
        ) from error
    if header is None:
        raise UnreadableFileError(_("The file is empty."))
    return Table(header, rows)


def too_many_rows(limits: Limits) -> str:
    return _(
        "The file has more than %(max)s rows with answers; the questionnaire has fewer"
        " municipalities. Remove the extra rows."
    ) % {"max": limits.max_rows}

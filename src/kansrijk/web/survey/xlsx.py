"""A streaming reader of the first sheet of an XLSX workbook, built to refuse hostile files.

openpyxl sizes its rows by the dimension a sheet declares (a 4.9 KB file declaring
``A1:CV1000000`` took 73 s and 1 GB) and parses a row or the shared strings as a whole; this
reader does neither. Before any XML is parsed the zip directory is checked: the number of parts,
each part's and the total uncompressed size, the compression ratio (zip bombs), encryption,
macros and OpenDocument files. The XML is then parsed in 64 KB chunks with every finished
element dropped at once, a budget of XML elements, a nesting limit, no DTDs (so no entity
expansion), and the row, column and cell limits of the questionnaire. Formula cells are never
evaluated: they are reported as a problem of their cell, like Excel error values.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from xml.etree import ElementTree as ET

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from kansrijk.web.survey.reading import (
    Deadline,
    Limits,
    Table,
    UnreadableFileError,
    human_size,
    too_many_rows,
)

CHUNK: Final = 64 * 1024
MAX_DEPTH: Final = 24
RATIO_FLOOR: Final = 1024 * 1024  # below this uncompressed size the ratio does not matter
INTEGER: Final = re.compile(r"-?\d{1,15}")
FORBIDDEN_XML: Final = (b"<!DOCTYPE", b"<!ENTITY")
OFFICE_DOCUMENT: Final = "/officeDocument"


@dataclass(frozen=True)
class BadCell:
    """A cell whose content is refused (a formula, an Excel error); the message says why."""

    message: str

    def __str__(self) -> str:
        return self.message


@functools.lru_cache(maxsize=512)
def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _damaged(error: Exception) -> UnreadableFileError:
    return UnreadableFileError(
        _("The Excel file is damaged or cut off and cannot be read (%(error)s).") % {"error": error}
    )


class _Workbook:
    """The checked zip archive, and streaming access to its XML parts."""

    def __init__(self, content: bytes, limits: Limits, deadline: Deadline) -> None:
        self.limits = limits
        self.deadline = deadline
        self.elements = 0
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(content))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
            raise UnreadableFileError(
                _(
                    "The file is not a valid Excel workbook (.xlsx): it is damaged, cut off or"
                    " another kind of file (%(error)s)."
                )
                % {"error": error}
            ) from error
        self.sizes = self._check(infos)

    def _check(self, infos: list[zipfile.ZipInfo]) -> dict[str, int]:
        limits = self.limits
        if len(infos) > limits.zip_members:
            raise UnreadableFileError(
                _("The Excel file has %(n)s parts; a questionnaire workbook has at most %(max)s.")
                % {"n": len(infos), "max": limits.zip_members}
            )
        sizes: dict[str, int] = {}
        total = 0
        for info in infos:
            name = info.filename
            if name in sizes:
                raise UnreadableFileError(
                    _("The Excel file contains the part %(name)s twice.") % {"name": name}
                )
            if info.flag_bits & 0x1:
                raise UnreadableFileError(
                    _("The Excel file is encrypted; save it without a password.")
                )
            if name in {"mimetype", "content.xml"}:
                raise UnreadableFileError(
                    _(
                        "This is an OpenDocument spreadsheet (.ods); save it as an Excel"
                        " workbook (.xlsx) or as CSV UTF-8."
                    )
                )
            if name.lower().endswith("vbaproject.bin"):
                raise UnreadableFileError(
                    _("The Excel file contains macros; save it as a plain workbook (.xlsx).")
                )
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise UnreadableFileError(
                    _("The Excel file uses an unsupported compression (part %(name)s).")
                    % {"name": name}
                )
            if info.file_size > limits.zip_member_bytes:
                raise UnreadableFileError(
                    _(
                        "The part %(name)s of the Excel file unpacks to %(size)s; at most %(max)s"
                        " is accepted."
                    )
                    % {
                        "name": name,
                        "size": human_size(info.file_size),
                        "max": human_size(limits.zip_member_bytes),
                    }
                )
            if info.file_size > RATIO_FLOOR and info.file_size > limits.zip_ratio * max(
                info.compress_size, 1
            ):
                raise UnreadableFileError(
                    _(
                        "The part %(name)s of the Excel file is compressed %(ratio)s times; this"
                        " looks like a zip bomb, not a spreadsheet."
                    )
                    % {"name": name, "ratio": info.file_size // max(info.compress_size, 1)}
                )
            total += info.file_size
            sizes[name] = info.file_size
        if total > limits.zip_total_bytes:
            raise UnreadableFileError(
                _("The Excel file unpacks to %(size)s; at most %(max)s is accepted.")
                % {"size": human_size(total), "max": human_size(limits.zip_total_bytes)}
            )
        if "[Content_Types].xml" not in sizes:
            raise UnreadableFileError(
                _("The file is a zip archive but not an Excel workbook (.xlsx).")
            )
        return sizes

    def part(self, name: str, *, whole: bool) -> str:
        """``name`` if the archive holds it (and, for parts parsed whole, it is small)."""
        if name not in self.sizes:
            raise UnreadableFileError(
                _("The Excel file is incomplete: the part %(name)s is missing.") % {"name": name}
            )
        if whole and self.sizes[name] > self.limits.zip_part_bytes:
            raise UnreadableFileError(
                _("The part %(name)s of the Excel file is too large (%(size)s).")
                % {"name": name, "size": human_size(self.sizes[name])}
            )
        return name

    def stream(
        self, name: str, records: frozenset[str] = frozenset()
    ) -> Iterator[tuple[str, ET.Element, str, str]]:
        """(event, element, its local name, its parent's local name) of the part's XML.

        A finished element is removed from its parent as soon as the caller has seen it, so
        memory stays flat; only inside a *record* element (a cell, a shared string) are the
        children kept until the record ends, and a record may hold ``cell_elements`` at most.
        """
        parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
        stack: list[ET.Element] = []
        names: list[str] = [""]
        record_depth = 0
        inside = 0
        budget = self.limits.max_xml_elements - self.elements
        most_inside = self.limits.cell_elements
        tail = b""
        try:
            with self.zip.open(name) as member:
                while True:
                    self.deadline.check()
                    chunk = member.read(CHUNK)
                    self._probe(name, tail + chunk)
                    tail = chunk[-16:]
                    if chunk:
                        parser.feed(chunk)
                    else:
                        parser.close()
                    for item in parser.read_events():
                        event, element = item[0], item[-1]  # only start/end are asked for
                        assert isinstance(element, ET.Element)
                        if event == "start":
                            stack.append(element)
                            local = _local(element.tag)
                            names.append(local)
                            budget -= 1
                            if budget < 0 or len(stack) > MAX_DEPTH:
                                self._too_much(name, budget)
                            if record_depth:
                                inside += 1
                                if inside > most_inside:
                                    self._too_much(name, budget, cell=True)
                            elif local in records:
                                record_depth, inside = len(stack), 0
                            yield event, element, local, names[-2]
                            continue
                        depth = len(stack)
                        stack.pop()
                        local = names.pop()
                        yield event, element, local, names[-1]
                        if record_depth and depth > record_depth:
                            continue
                        if depth == record_depth:
                            record_depth = 0
                        if stack:
                            del stack[-1][:]
                    if not chunk:
                        break
        except ET.ParseError as error:
            raise UnreadableFileError(
                _("The part %(name)s of the Excel file is not valid XML (%(error)s).")
                % {"name": name, "error": error}
            ) from error
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise _damaged(error) from error
        finally:
            self.elements = self.limits.max_xml_elements - budget

    @staticmethod
    def _probe(name: str, data: bytes) -> None:
        if any(marker in data for marker in FORBIDDEN_XML):
            raise UnreadableFileError(
                _(
                    "The part %(name)s of the Excel file declares a document type or entities,"
                    " which a spreadsheet never needs."
                )
                % {"name": name}
            )

    def _too_much(self, name: str, budget: int, *, cell: bool = False) -> None:
        if cell:
            raise UnreadableFileError(
                _(
                    "A cell in %(name)s of the Excel file is nested too deeply or holds too many"
                    " parts."
                )
                % {"name": name}
            )
        if budget < 0:
            raise UnreadableFileError(
                _(
                    "The Excel file holds far more content than a questionnaire import can"
                    " (over %(max)s XML elements)."
                )
                % {"max": self.limits.max_xml_elements}
            )
        raise UnreadableFileError(
            _("The part %(name)s of the Excel file is nested too deeply.") % {"name": name}
        )

    def relations(self, source: str) -> dict[str, tuple[str, str]]:
        """Id -> (type, part name) of the internal relations of ``source``."""
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", f"{base}.rels")
        if rels not in self.sizes:
            return {}
        out: dict[str, tuple[str, str]] = {}
        for event, element, local, _parent in self.stream(self.part(rels, whole=True)):
            if event != "end" or local != "Relationship":
                continue
            if element.get("TargetMode") == "External":
                continue
            target = element.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            out[element.get("Id", "")] = (element.get("Type", ""), posixpath.normpath(path))
        return out


def _text(element: ET.Element) -> str:
    """The text of a shared or inline string: its runs, without phonetic hints."""
    parts: list[str] = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(g.text or "" for g in child if _local(g.tag) == "t")
    return "".join(parts)


def _typed(rels: dict[str, tuple[str, str]], suffix: str) -> str | None:
    return next((path for kind, path in rels.values() if kind.endswith(suffix)), None)


def read_xlsx(content: bytes, limits: Limits, deadline: Deadline) -> Table:
    """The first sheet of an XLSX file as a Table, within ``limits`` (see the module text)."""
    book = _Workbook(content, limits, deadline)
    root = _typed(book.relations(""), OFFICE_DOCUMENT) or "xl/workbook.xml"
    book.part(root, whole=True)
    sheet_id: str | None = None
    epoch = CALENDAR_WINDOWS_1900
    for event, element, tag, _parent in book.stream(root):
        if event == "start" and tag == "workbookPr":
            if element.get("date1904", "").lower() in ("1", "true"):
                epoch = CALENDAR_MAC_1904
        elif event == "start" and tag == "sheet" and sheet_id is None:
            sheet_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
    rels = book.relations(root)
    if sheet_id is None or sheet_id not in rels:
        raise UnreadableFileError(_("The Excel file has no worksheet."))
    strings_part = _typed(rels, "/sharedStrings")
    styles_part = _typed(rels, "/styles")
    strings = _shared_strings(book, strings_part) if strings_part else []
    dates = _date_styles(book, styles_part) if styles_part else set()
    reader = _SheetReader(book, strings, dates, epoch)
    return reader.read(book.part(rels[sheet_id][1], whole=False))


def _shared_strings(book: _Workbook, name: str) -> list[str]:
    strings: list[str] = []
    most = book.limits.max_cells + 1000
    for event, element, tag, _parent in book.stream(
        book.part(name, whole=False), frozenset({"si"})
    ):
        if event == "end" and tag == "si":
            strings.append(_text(element))
            if len(strings) > most:
                raise UnreadableFileError(
                    _("The Excel file holds more than %(max)s different texts.") % {"max": most}
                )
    return strings


def _date_styles(book: _Workbook, name: str) -> set[int]:
    """Indexes of the cell styles whose number format shows a date."""
    custom: dict[int, str] = {}
    formats: list[int] = []
    for event, _element, tag, parent in book.stream(book.part(name, whole=True)):
        if event != "start":
            continue
        element = _element
        try:
            if tag == "numFmt":
                custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif tag == "xf" and parent == "cellXfs":
                formats.append(int(element.get("numFmtId", "0")))
        except ValueError as error:
            raise _damaged(error) from error
    out = set()
    for index, number in enumerate(formats):
        code = custom.get(number, BUILTIN_FORMATS.get(number))
        if code and is_date_format(code):
            out.add(index)
    return out


class _SheetReader:
    """Rows of one worksheet, cell by cell, within the limits."""

    def __init__(
        self, book: _Workbook, strings: list[str], dates: set[int], epoch: datetime
    ) -> None:
        self.book = book
        self.limits = book.limits
        self.strings = strings
        self.dates = dates
        self.epoch = epoch
        self.last_row = 2 * self.limits.max_rows + 1  # blank lines allowed, within reason

    def read(self, name: str) -> Table:
        header: list[object] | None = None
        rows: list[tuple[int, list[object]]] = []
        number = 0
        column = 0
        cells: dict[int, object] = {}
        count = 0
        for event, element, tag, _parent in self.book.stream(name, frozenset({"c"})):
            if event == "start":
                if tag == "dimension":
                    self._dimension(element.get("ref", ""))
                elif tag == "row":
                    number = self._row_number(element.get("r"), number)
                    column, cells = 0, {}
                continue
            if tag == "c":
                count += 1
                if count > self.limits.max_cells:
                    raise UnreadableFileError(
                        _("The sheet has more than %(max)s cells; that is not a questionnaire.")
                        % {"max": self.limits.max_cells}
                    )
                column = self._column(element.get("r"), column, number)
                value = self._value(element)
                if value is not None and value != "":
                    self._within(number, column)  # empty (styled) cells may lie beyond
                    cells[column] = value
            elif tag == "row" and cells:
                values: list[object] = [None] * max(cells)
                for index, value in cells.items():
                    values[index - 1] = value
                if header is None:
                    header = values
                elif len(rows) >= self.limits.max_rows:
                    raise UnreadableFileError(too_many_rows(self.limits))
                else:
                    rows.append((number, values))
        if header is None:
            raise UnreadableFileError(_("The file is empty."))
        return Table(header, rows)

    def _dimension(self, ref: str) -> None:
        """Refuse a declared size beyond the questionnaire (it is never used to allocate)."""
        last = ref.rpartition(":")[2]
        try:
            letters, row = coordinate_from_string(last)
            columns = column_index_from_string(letters)
        except ValueError:
            return  # a broken dimension means nothing; the cells decide
        if row > self.last_row or columns > self.limits.max_columns:
            raise UnreadableFileError(
                _(
                    "The sheet declares the range %(ref)s (%(rows)s rows, %(columns)s columns);"
                    " a questionnaire import has at most %(max_rows)s rows and %(max_columns)s"
                    " columns. Remove the empty rows and columns or copy the answers to a new"
                    " sheet."
                )
                % {
                    "ref": ref[:40],
                    "rows": row,
                    "columns": columns,
                    "max_rows": self.last_row,
                    "max_columns": self.limits.max_columns,
                }
            )

    def _row_number(self, raw: str | None, previous: int) -> int:
        if raw is None:
            number = previous + 1
        elif raw.isdigit() and len(raw) < 8:
            number = int(raw)
        else:
            raise UnreadableFileError(
                _("The sheet has an invalid row number “%(r)s”.") % {"r": raw[:20]}
            )
        if number <= previous:
            raise UnreadableFileError(
                _("The sheet's rows are out of order (row %(n)s).") % {"n": number}
            )
        return number

    def _within(self, row: int, column: int) -> None:
        """Refuse a value beyond the rows and columns an import can have."""
        if row > self.last_row:
            raise UnreadableFileError(
                _(
                    "The sheet has a value in row %(n)s; a questionnaire import has at most"
                    " %(max)s rows."
                )
                % {"n": row, "max": self.last_row}
            )
        if column > self.limits.max_columns:
            raise UnreadableFileError(
                _(
                    "Row %(row)s has a value in column %(column)s; a questionnaire import has"
                    " at most %(max)s columns."
                )
                % {"row": row, "column": column, "max": self.limits.max_columns}
            )

    def _column(self, ref: str | None, previous: int, row: int) -> int:
        if ref is None:
            column = previous + 1
        else:
            try:
                letters, _r = coordinate_from_string(ref[:20])
                column = column_index_from_string(letters)
            except ValueError as error:
                raise UnreadableFileError(
                    _("Row %(row)s has an invalid cell reference “%(ref)s”.")
                    % {"row": row, "ref": ref[:20]}
                ) from error
        if column > 16384:  # Excel's own limit (XFD)
            raise UnreadableFileError(
                _("Row %(row)s has more than 16384 columns, more than Excel allows.") % {"row": row}
            )
        return column

    def _value(self, cell: ET.Element) -> object:
        children = {_local(c.tag): c for c in cell}
        if "f" in children:
            return BadCell(_("the cell holds a formula; paste the values only"))
        kind = cell.get("t", "n")
        raw = children["v"].text if "v" in children else None
        if kind == "inlineStr":
            return _text(children["is"]) if "is" in children else None
        if raw is None:
            return None
        if kind == "s":
            index = int(raw) if raw.isdigit() else -1
            if not 0 <= index < len(self.strings):
                return BadCell(_("the cell refers to a text the file does not contain"))
            return self.strings[index]
        if kind == "str":
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e":
            return BadCell(_("the cell holds an Excel error (%(error)s)") % {"error": raw[:20]})
        if kind == "d":
            try:
                return datetime.fromisoformat(raw.strip())
            except ValueError:
                return BadCell(_("the cell holds an invalid date"))
        if kind != "n":
            return BadCell(_("the cell has an unknown type “%(t)s”") % {"t": kind[:20]})
        return self._number(raw.strip(), cell.get("s"))

    def _number(self, raw: str, style: str | None) -> object:
        try:
            number: float = int(raw) if INTEGER.fullmatch(raw) else float(raw)
        except ValueError:
            return BadCell(_("the cell holds an invalid number"))
        if style is not None and style.isdigit() and int(style) in self.dates:
            try:
                return from_excel(number, self.epoch)
            except (OverflowError, ValueError, TypeError):
                return BadCell(_("the cell holds a date outside the calendar"))
        return number

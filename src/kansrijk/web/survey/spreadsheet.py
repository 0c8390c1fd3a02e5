"""Export of an edition's responses to CSV or Excel, and import in the same layout.

One row per response, one column per question code after ``municipality_code``,
``municipality_name``, ``status`` and ``submitted_at``. Multiple choice is joined with ";",
dates are ISO (yyyy-mm-dd). The import checks the whole file first and names the row and column
of every problem; it writes nothing unless everything is valid, and marks what it writes as
submitted (it is how answers collected elsewhere, e.g. RIVM's own survey tool, come in).

CSV text that a spreadsheet would run as a formula (starting with = + - @) is written with a
leading apostrophe, and the import removes it again, so a round trip is exact.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from kansrijk.web.accounts.models import User
from kansrijk.web.survey.forms import TEXT_MAX_LENGTH, Catalogue
from kansrijk.web.survey.models import (
    Answer,
    Question,
    QuestionKind,
    QuestionSet,
    Response,
    ResponseStatus,
)
from kansrijk.web.survey.services import municipality_codes

FIXED_COLUMNS: Final = ("municipality_code", "municipality_name", "status", "submitted_at")
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAGIC: Final = b"PK\x03\x04"
MAX_PROBLEMS: Final = 200


def _risky(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or (text.startswith("'") and _risky(text[1:]))


def escape_formula(text: str) -> str:
    return f"'{text}" if _risky(text) else text


def unescape_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and _risky(text[1:]) else text


def _cell(question: Question, value: object) -> object:
    """A stored answer as a spreadsheet cell (None: empty)."""
    if value is None:
        return None
    if question.kind == QuestionKind.MULTIPLE and isinstance(value, list):
        return ";".join(str(v) for v in value)
    if question.kind == QuestionKind.DATE and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def table(question_set: QuestionSet) -> tuple[list[str], list[list[object]]]:
    """The header and rows of the export, as Python values (dates, ints, strings, None)."""
    catalogue = Catalogue.load(question_set)
    questions = catalogue.questions
    names = municipality_codes(question_set.edition)
    answers: dict[int, dict[str, object]] = {}
    for response_id, code, value in Answer.objects.filter(
        response__question_set=question_set
    ).values_list("response_id", "question__code", "value"):
        answers.setdefault(response_id, {})[code] = value
    rows: list[list[object]] = []
    for response in question_set.responses.order_by("municipality_code"):
        given = answers.get(response.pk, {})
        submitted = (
            timezone.localtime(response.submitted_at).isoformat(timespec="seconds")
            if response.submitted_at
            else None
        )
        rows.append(
            [
                response.municipality_code,
                names.get(response.municipality_code, ""),
                response.status,
                submitted,
                *(_cell(q, given.get(q.code)) for q in questions),
            ]
        )
    return [*FIXED_COLUMNS, *(q.code for q in questions)], rows


def export_csv(question_set: QuestionSet) -> bytes:
    header, rows = table(question_set)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                ""
                if v is None
                else v.isoformat()
                if isinstance(v, date)
                else escape_formula(v)
                if isinstance(v, str)
                else v
                for v in row
            ]
        )
    return buffer.getvalue().encode("utf-8")


def export_xlsx(question_set: QuestionSet) -> bytes:
    header, rows = table(question_set)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Questionnaire {question_set.edition}")
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Problem:
    """Something wrong in an import file; row 1 is the header, as a spreadsheet counts."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


class UnreadableFileError(ValueError):
    pass


def read_table(content: bytes) -> tuple[list[object], list[tuple[int, list[object]]]]:
    """Header and numbered rows of a CSV (comma or semicolon, UTF-8) or XLSX file."""
    if content.startswith(XLSX_MAGIC):
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("The file is not UTF-8 text or an Excel (.xlsx) file.")
        raise UnreadableFileError(message) from error
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as error:
        raise UnreadableFileError(str(error)) from error
    if not lines:
        raise UnreadableFileError(_("The file is empty."))
    rows: list[tuple[int, list[object]]] = []
    for number, line in enumerate(lines[1:], start=2):
        rows.append((number, [unescape_formula(v) for v in line]))
    return list(lines[0]), rows


def _read_xlsx(content: bytes) -> tuple[list[object], list[tuple[int, list[object]]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFileError(
            _("The Excel file cannot be read: %(error)s") % {"error": error}
        ) from error
    try:
        sheet = workbook.worksheets[0]
        lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not lines:
        raise UnreadableFileError(_("The file is empty."))
    return lines[0], list(enumerate(lines[1:], start=2))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def parse_value(question: Question, options: list[str], raw: object) -> object:
    """A cell as a stored answer value; raises ValueError with a message for people."""
    if _blank(raw):
        return None
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        code = str(raw).strip()
        if code not in options:
            raise ValueError(
                _("unknown option code “%(code)s”; expected one of: %(options)s")
                % {"code": code, "options": ", ".join(options)}
            )
        return code
    if kind == QuestionKind.MULTIPLE:
        codes = [c.strip() for c in str(raw).split(";") if c.strip()]
        unknown = [c for c in codes if c not in options]
        if unknown:
            raise ValueError(
                _("unknown option code “%(code)s”; expected some of: %(options)s")
                % {"code": unknown[0], "options": ", ".join(options)}
            )
        if len(set(codes)) != len(codes):
            raise ValueError(_("an option code appears twice"))
        return sorted(codes, key=options.index)
    if kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        number = _integer(raw)
        if number is None:
            raise ValueError(_("“%(value)s” is not a whole number") % {"value": raw})
        low = question.min_value
        high = question.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(
                _("%(value)s is outside %(low)s to %(high)s")
                % {"value": number, "low": low, "high": high}
            )
        return number
    if kind == QuestionKind.DATE:
        if isinstance(raw, datetime):
            return raw.date().isoformat()
        if isinstance(raw, date):
            return raw.isoformat()
        text = str(raw).strip()
        for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d-%m-%Y").date()):
            try:
                return parse(text).isoformat()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date (yyyy-mm-dd)") % {"value": raw})
    text = str(raw).strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValueError(_("longer than %(n)s characters") % {"n": TEXT_MAX_LENGTH})
    return text


def _submitted_at(raw: object) -> datetime | None:
    if _blank(raw):
        return None
    if isinstance(raw, datetime):
        moment = raw
    else:
        try:
            moment = datetime.fromisoformat(str(raw).strip())
        except ValueError as error:
            raise ValueError(
                _("“%(value)s” is not a date and time (ISO 8601)") % {"value": raw}
            ) from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@dataclass
class _Row:
    number: int
    code: str
    values: dict[str, object]
    submitted_at: datetime | None


def import_file(question_set: QuestionSet, content: bytes, user: User | None) -> ImportResult:
    """Validate the whole file, then (only if it is valid) write every row as submitted."""
    try:
        header, lines = read_table(content)
    except UnreadableFileError as error:
        return ImportResult(0, 0, [Problem(None, None, str(error))])
    catalogue = Catalogue.load(question_set)
    questions = {q.code: q for q in catalogue.questions}
    problems: list[Problem] = []
    columns = [("" if h is None else str(h).strip()) for h in header]
    while columns and not columns[-1]:
        columns.pop()
    seen: set[str] = set()
    for index, name in enumerate(columns, start=1):
        if not name:
            problems.append(Problem(1, str(index), _("the column has no name")))
        elif name in seen:
            problems.append(Problem(1, name, _("the column appears twice")))
        elif name not in questions and name not in FIXED_COLUMNS:
            problems.append(
                Problem(
                    1,
                    name,
                    _("unknown column: not a question of edition %(edition)s")
                    % {"edition": question_set.edition},
                )
            )
        seen.add(name)
    if "municipality_code" not in seen:
        problems.append(Problem(1, "municipality_code", _("the column is missing")))
    if problems:
        return ImportResult(0, 0, problems)

    known = municipality_codes(question_set.edition)
    first_row: dict[str, int] = {}
    rows: list[_Row] = []
    for number, line in lines:
        if all(_blank(v) for v in line):
            continue
        if any(not _blank(v) for v in line[len(columns) :]):
            problems.append(Problem(number, None, _("more values than there are columns")))
        cells = dict(zip(columns, list(line) + [None] * (len(columns) - len(line)), strict=False))
        code = "" if _blank(cells["municipality_code"]) else str(cells["municipality_code"])
        code = code.strip().upper()
        if not code:
            problems.append(Problem(number, "municipality_code", _("the code is missing")))
        elif code not in known:
            problems.append(
                Problem(
                    number,
                    "municipality_code",
                    _("unknown municipality code “%(code)s” in %(edition)s")
                    % {"code": code, "edition": question_set.edition},
                )
            )
        elif code in first_row:
            problems.append(
                Problem(
                    number,
                    "municipality_code",
                    _("%(code)s is on row %(row)s already")
                    % {"code": code, "row": first_row[code]},
                )
            )
        else:
            first_row[code] = number
        values: dict[str, object] = {}
        for name, raw in cells.items():
            if name in questions:
                try:
                    values[name] = parse_value(questions[name], catalogue.option_codes(name), raw)
                except ValueError as error:
                    problems.append(Problem(number, name, str(error)))
        submitted_at = None
        if "submitted_at" in cells:
            try:
                submitted_at = _submitted_at(cells["submitted_at"])
            except ValueError as error:
                problems.append(Problem(number, "submitted_at", str(error)))
        rows.append(_Row(number, code, values, submitted_at))
    if not rows and not problems:
        problems.append(Problem(None, None, _("The file has no rows with answers.")))
    if problems:
        return ImportResult(0, 0, problems)
    created, updated = _write(
        question_set, questions, [c for c in columns if c in questions], rows, user
    )
    return ImportResult(created, updated, [])


def _write(
    question_set: QuestionSet,
    questions: dict[str, Question],
    present: Iterable[str],
    rows: list[_Row],
    user: User | None,
) -> tuple[int, int]:
    """Write valid rows in one transaction. Columns absent from the file keep their answers."""
    present = list(present)
    now = timezone.now()
    with transaction.atomic():
        existing = {
            r.municipality_code: r
            for r in Response.objects.select_for_update().filter(
                question_set=question_set, municipality_code__in=[r.code for r in rows]
            )
        }
        new: list[Response] = []
        for row in rows:
            response = existing.get(row.code)
            if response is None:
                response = Response(
                    question_set=question_set, municipality_code=row.code, started_by=user
                )
                new.append(response)
            response.status = ResponseStatus.SUBMITTED
            response.submitted_at = row.submitted_at or now
            response.submitted_by = user
            response.updated_by = user
        if existing:
            for response in existing.values():
                response.version += 1
            Response.objects.bulk_update(
                list(existing.values()),
                ["status", "submitted_at", "submitted_by", "updated_by", "version"],
            )
            # bulk_update skips auto_now: stamp the update time explicitly.
            Response.objects.filter(pk__in=[r.pk for r in existing.values()]).update(updated_at=now)
        Response.objects.bulk_create(new)
        responses = existing | {r.municipality_code: r for r in new}
        Answer.objects.filter(
            response__in=list(responses.values()), question__code__in=present
        ).delete()
        Answer.objects.bulk_create(
            (
                Answer(response=responses[row.code], question=questions[code], value=value)
                for row in rows
                for code, value in row.values.items()
                if value is not None
            ),
            batch_size=1000,
        )
    return len(new), len(existing)


def problems_text(problems: list[Problem]) -> list[str]:
    """The problems as lines, cut off after ``MAX_PROBLEMS`` with a count of the rest."""
    lines = [str(p) for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        lines.append(_("… and %(n)s more") % {"n": len(problems) - MAX_PROBLEMS})
    return lines

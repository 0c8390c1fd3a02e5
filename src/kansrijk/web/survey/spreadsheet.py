"""Export of an edition's responses to CSV or Excel (the import reads the same layout, see
:mod:`kansrijk.web.survey.imports`).

One row per response, one column per question code after ``municipality_code``,
``municipality_name``, ``status`` and ``submitted_at``. Multiple choice is joined with ";",
dates are ISO (yyyy-mm-dd).

CSV text that a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) is written with a leading apostrophe, and the import removes it again, so a round trip
is exact; in Excel every text cell is typed as text, so it is never a formula either.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Final

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from kansrijk.web.survey.forms import Catalogue
from kansrijk.web.survey.models import (
    Answer,
    Question,
    QuestionKind,
    QuestionSet,
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

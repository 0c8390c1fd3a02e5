"""Importing responses in the export layout: check the whole file, preview, then write.

The import is how answers collected elsewhere (e.g. RIVM's own survey tool) come in. It reads
the file within the questionnaire's limits (:mod:`kansrijk.web.survey.reading`), checks every
row and names the row and column of every problem, and writes nothing unless everything is
valid: ``check_file`` only reads, ``preview`` says what would change, and ``write`` writes a
checked file in one transaction, refusing when a response changed since the preview. What it
writes is marked as submitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk.web.accounts.models import User
from kansrijk.web.survey.forms import TEXT_MAX_LENGTH, Catalogue
from kansrijk.web.survey.models import (
    Answer,
    Question,
    QuestionKind,
    QuestionSet,
    Response,
    ResponseStatus,
    localized,
)
from kansrijk.web.survey.reading import Limits, UnreadableFileError, read_table
from kansrijk.web.survey.services import answers_by_response, municipality_codes
from kansrijk.web.survey.spreadsheet import FIXED_COLUMNS
from kansrijk.web.survey.xlsx import BadCell

MAX_PROBLEMS: Final = 200


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
class CheckedRow:
    """One valid row: the municipality, its answers by question code, the submission time."""

    number: int
    code: str
    values: dict[str, object]
    submitted_at: datetime | None


@dataclass
class Checked:
    """The result of checking a file: valid rows and the question columns, or problems."""

    columns: list[str] = field(default_factory=list)
    rows: list[CheckedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """A JSON form of a valid result, to keep it on the server between preview and write."""
        return {
            "columns": self.columns,
            "rows": [
                [
                    r.number,
                    r.code,
                    r.values,
                    r.submitted_at.isoformat() if r.submitted_at else None,
                ]
                for r in self.rows
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Checked:
        return cls(
            columns=list(data["columns"]),
            rows=[
                CheckedRow(
                    int(number), str(code), dict(values), datetime.fromisoformat(at) if at else None
                )
                for number, code, values, at in data["rows"]
            ],
        )


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


class StaleImportError(Exception):
    """A response changed between the preview and the write."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes


def limits_for(question_set: QuestionSet, catalogue: Catalogue | None = None) -> Limits:
    """What an import into ``question_set`` may contain: its municipalities and questions."""
    catalogue = catalogue or Catalogue.load(question_set)
    questions = catalogue.questions
    return Limits.for_questionnaire(
        municipalities=len(municipality_codes(question_set.edition)),
        questions=len(questions),
        text_questions=sum(q.kind == QuestionKind.TEXT for q in questions),
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and len(value) < 30:
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _shown(value: object) -> str:
    """A cell value quoted in a message, cut short."""
    text = str(value)
    return text if len(text) <= 60 else f"{text[:57]}…"


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
                % {"code": _shown(code), "options": ", ".join(options)}
            )
        return code
    if kind == QuestionKind.MULTIPLE:
        codes = [c.strip() for c in str(raw).split(";") if c.strip()]
        unknown = [c for c in codes if c not in options]
        if unknown:
            raise ValueError(
                _("unknown option code “%(code)s”; expected some of: %(options)s")
                % {"code": _shown(unknown[0]), "options": ", ".join(options)}
            )
        if len(set(codes)) != len(codes):
            raise ValueError(_("an option code appears twice"))
        return sorted(codes, key=options.index)
    if kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        number = _integer(raw)
        if number is None:
            raise ValueError(_("“%(value)s” is not a whole number") % {"value": _shown(raw)})
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
        raise ValueError(_("“%(value)s” is not a date (yyyy-mm-dd)") % {"value": _shown(raw)})
    if not isinstance(raw, str):
        raise ValueError(_("%(value)s is not a text") % {"value": _shown(raw)})
    text = raw.strip()
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
                _("“%(value)s” is not a date and time (ISO 8601)") % {"value": _shown(raw)}
            ) from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + timedelta(days=1):
        raise ValueError(_("the submission time is in the future"))
    return moment


def _header(question_set: QuestionSet, header: list[object], questions: set[str]) -> Checked:
    """The header's column names, or the problems that make the file unusable."""
    problems: list[Problem] = []
    columns = [("" if h is None else str(h).strip()) for h in header]
    while columns and not columns[-1]:
        columns.pop()
    seen: set[str] = set()
    for index, name in enumerate(columns, start=1):
        if isinstance(header[index - 1], BadCell):
            problems.append(Problem(1, str(index), str(header[index - 1])))
        elif not name:
            problems.append(Problem(1, str(index), _("the column has no name")))
        elif name in seen:
            problems.append(Problem(1, _shown(name), _("the column appears twice")))
        elif name not in questions and name not in FIXED_COLUMNS:
            problems.append(
                Problem(
                    1,
                    _shown(name),
                    _("unknown column: not a question of edition %(edition)s")
                    % {"edition": question_set.edition},
                )
            )
        seen.add(name)
    if "municipality_code" not in seen:
        problems.append(Problem(1, "municipality_code", _("the column is missing")))
    return Checked(columns=columns, problems=problems)


def check_file(question_set: QuestionSet, content: bytes) -> Checked:
    """Read and check the whole file; nothing is written."""
    catalogue = Catalogue.load(question_set)
    try:
        table = read_table(content, limits_for(question_set, catalogue))
    except UnreadableFileError as error:
        return Checked(problems=[Problem(None, None, str(error))])
    questions = {q.code: q for q in catalogue.questions}
    checked = _header(question_set, table.header, set(questions))
    if checked.problems:
        return checked
    columns = checked.columns
    problems: list[Problem] = []
    known = municipality_codes(question_set.edition)
    first_row: dict[str, int] = {}
    rows: list[CheckedRow] = []
    for number, line in table.rows:
        if all(_blank(v) for v in line):
            continue
        if any(not _blank(v) for v in line[len(columns) :]):
            problems.append(Problem(number, None, _("more values than there are columns")))
        cells = dict(zip(columns, list(line) + [None] * (len(columns) - len(line)), strict=False))
        bad = {k for k, v in cells.items() if isinstance(v, BadCell)}
        problems.extend(Problem(number, k, str(cells[k])) for k in sorted(bad))
        code = _municipality(question_set, known, cells, number, first_row, problems)
        values: dict[str, object] = {}
        for name, raw in cells.items():
            if name in questions and name not in bad:
                try:
                    values[name] = parse_value(questions[name], catalogue.option_codes(name), raw)
                except ValueError as error:
                    problems.append(Problem(number, name, str(error)))
        submitted_at = None
        if "submitted_at" in cells and "submitted_at" not in bad:
            try:
                submitted_at = _submitted_at(cells["submitted_at"])
            except ValueError as error:
                problems.append(Problem(number, "submitted_at", str(error)))
        rows.append(CheckedRow(number, code, values, submitted_at))
    if not rows and not problems:
        problems.append(Problem(None, None, _("The file has no rows with answers.")))
    if problems:
        return Checked(problems=problems)
    return Checked(columns=[c for c in columns if c in questions], rows=rows)


def _municipality(
    question_set: QuestionSet,
    known: dict[str, str],
    cells: dict[str, object],
    number: int,
    first_row: dict[str, int],
    problems: list[Problem],
) -> str:
    """The row's municipality code, adding a problem when it is missing, unknown or repeated."""
    raw = cells["municipality_code"]
    if isinstance(raw, BadCell):
        return ""
    code = "" if _blank(raw) else str(raw).strip().upper()
    if not code:
        problems.append(Problem(number, "municipality_code", _("the code is missing")))
    elif code not in known:
        problems.append(
            Problem(
                number,
                "municipality_code",
                _("unknown municipality code “%(code)s” in %(edition)s")
                % {"code": _shown(code), "edition": question_set.edition},
            )
        )
    elif code in first_row:
        problems.append(
            Problem(
                number,
                "municipality_code",
                _("%(code)s is on row %(row)s already") % {"code": code, "row": first_row[code]},
            )
        )
    else:
        first_row[code] = number
    return code


def versions(question_set: QuestionSet, checked: Checked) -> dict[str, int]:
    """The current version of each response the file touches (absent: none yet)."""
    return dict(
        Response.objects.filter(
            question_set=question_set, municipality_code__in=[r.code for r in checked.rows]
        ).values_list("municipality_code", "version")
    )


def import_file(question_set: QuestionSet, content: bytes, user: User | None) -> ImportResult:
    """Check the whole file, then (only if it is valid) write every row as submitted."""
    checked = check_file(question_set, content)
    if not checked.ok:
        return ImportResult(0, 0, checked.problems)
    created, updated = write(question_set, checked, user)
    return ImportResult(created, updated, [])


def write(
    question_set: QuestionSet,
    checked: Checked,
    user: User | None,
    expected: dict[str, int] | None = None,
) -> tuple[int, int]:
    """Write a valid result in one transaction. Columns absent from the file keep their answers.

    With ``expected`` (the versions seen at the preview), a response that was created or
    changed since raises StaleImportError and nothing is written.
    """
    questions = {q.code: q for q in question_set.questions.filter(code__in=checked.columns)}
    missing = [c for c in checked.columns if c not in questions]
    if missing:
        raise StaleImportError(missing)
    rows = checked.rows
    now = timezone.now()
    with transaction.atomic():
        existing = {
            r.municipality_code: r
            for r in Response.objects.select_for_update().filter(
                question_set=question_set, municipality_code__in=[r.code for r in rows]
            )
        }
        if expected is not None:
            current = {code: r.version for code, r in existing.items()}
            if current != expected:
                changed = sorted(set(current.items()) ^ set(expected.items()))
                raise StaleImportError(sorted({code for code, _v in changed}))
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
            response__in=list(responses.values()), question__code__in=checked.columns
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


@dataclass(frozen=True)
class MunicipalityChange:
    """What the import does to one municipality's response."""

    row: int
    code: str
    name: str
    current: str  # "" (no response yet), draft or submitted
    answers: int  # answers in the file
    changed: int  # answers that differ from the stored ones (including cleared ones)


@dataclass(frozen=True)
class QuestionChange:
    code: str
    text: str
    answers: int
    changed: int


@dataclass(frozen=True)
class Preview:
    """What writing a checked file would change, per municipality and per question."""

    municipalities: list[MunicipalityChange]
    questions: list[QuestionChange]

    @property
    def created(self) -> int:
        return sum(not m.current for m in self.municipalities)

    @property
    def replaced(self) -> int:
        return sum(bool(m.current) for m in self.municipalities)

    @property
    def changed_answers(self) -> int:
        return sum(m.changed for m in self.municipalities)


def preview(question_set: QuestionSet, checked: Checked) -> Preview:
    """Compare a valid result with what is stored; nothing is written."""
    codes = [r.code for r in checked.rows]
    responses = {
        r.municipality_code: r
        for r in Response.objects.filter(question_set=question_set, municipality_code__in=codes)
    }
    stored = answers_by_response(list(responses.values()))
    names = municipality_codes(question_set.edition)
    per_question = {c: [0, 0] for c in checked.columns}
    municipalities = []
    for row in checked.rows:
        response = responses.get(row.code)
        before = stored.get(response.pk, {}) if response else {}
        changed = 0
        for column in checked.columns:
            value = row.values.get(column)
            if value is not None:
                per_question[column][0] += 1
            if before.get(column) != value:
                changed += 1
                per_question[column][1] += 1
        municipalities.append(
            MunicipalityChange(
                row=row.number,
                code=row.code,
                name=names.get(row.code, ""),
                current=response.status if response else "",
                answers=sum(v is not None for v in row.values.values()),
                changed=changed,
            )
        )
    texts = dict(question_set.questions.values_list("code", "text_nl"))
    english = dict(question_set.questions.values_list("code", "text_en"))
    return Preview(
        municipalities=municipalities,
        questions=[
            QuestionChange(
                code=c,
                text=localized(texts.get(c, ""), english.get(c, "")),
                answers=counts[0],
                changed=counts[1],
            )
            for c, counts in per_question.items()
        ],
    )


def problems_text(problems: list[Problem]) -> list[str]:
    """The problems as lines, cut off after ``MAX_PROBLEMS`` with a count of the rest."""
    lines = [str(p) for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        lines.append(_("… and %(n)s more") % {"n": len(problems) - MAX_PROBLEMS})
    return lines

"""Export to CSV and Excel, import back, and an import that refuses a bad file as a whole."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from kansrijk.web.accounts.models import User
from kansrijk.web.survey import imports, spreadsheet
from kansrijk.web.survey.forms import Catalogue
from kansrijk.web.survey.models import Answer, QuestionSet, Response, ResponseStatus
from kansrijk.web.survey.services import write_answers
from tests.web.survey.helpers import client_for

pytestmark = pytest.mark.django_db


def _fill(question_set: QuestionSet) -> None:
    catalogue = Catalogue.load(question_set)
    data: dict[str, dict[str, object]] = {
        "GM0363": {
            "coalition_status": "formed",
            "coalition_formed_on": "2021-03-01",
            "phb_offered": "yes",
            "phb_timing": ["lt15", "w20_25"],
            "phb_count": 40,
            "support_website_rating": 4,
            "goals": '=HYPERLINK("x") and ; commas, "quotes"\nand a new line',
        },
        "GM0344": {"coalition_status": "none", "interventions": ["voorzorg", "other"]},
        "GM0014": {"goals": "- begins with a dash"},
    }
    for code, values in data.items():
        response = Response.objects.create(
            question_set=question_set,
            municipality_code=code,
            status=ResponseStatus.SUBMITTED,
            submitted_at=datetime(2022, 10, 3, 14, 5, tzinfo=UTC),
        )
        write_answers(response, catalogue.questions, values)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_import_round_trip(open_set: QuestionSet, staff: User, fmt: str) -> None:
    _fill(open_set)
    client = client_for(staff)
    exported = client.get(reverse("survey:export", args=[2022, fmt]))
    assert exported.status_code == 200
    assert f"kansrijk-questionnaire-2022.{fmt}" in exported["Content-Disposition"]
    before = spreadsheet.table(open_set)
    answers_before = sorted(
        Answer.objects.values_list("response__municipality_code", "question__code", "value")
    )
    Response.objects.all().delete()
    imported = _upload_and_confirm(client, f"export.{fmt}", exported.content)
    assert imported.status_code == 302, imported.content.decode()[:3000]
    assert spreadsheet.table(open_set) == before
    answers_after = sorted(
        Answer.objects.values_list("response__municipality_code", "question__code", "value")
    )
    assert answers_after == answers_before
    assert set(Response.objects.values_list("status", flat=True)) == {ResponseStatus.SUBMITTED}
    # Importing the same file again replaces, it does not duplicate.
    again = _upload_and_confirm(client, f"export.{fmt}", exported.content)
    assert again.status_code == 302 and Response.objects.count() == 3


def _upload_and_confirm(client: Client, name: str, content: bytes) -> HttpResponse:
    """Upload a file (the preview writes nothing), then confirm with the page's token."""
    before = Response.objects.count(), Answer.objects.count()
    page = client.post(
        reverse("survey:import", args=[2022]), {"file": SimpleUploadedFile(name, content)}
    )
    assert page.status_code == 200, page.content.decode()[:3000]
    assert (Response.objects.count(), Answer.objects.count()) == before
    match = re.search(r'name="token" value="([^"]+)"', page.content.decode())
    assert match
    return client.post(
        reverse("survey:import_confirm", args=[2022]),
        {"token": match.group(1), "action": "apply"},
    )


def test_csv_layout(open_set: QuestionSet) -> None:
    _fill(open_set)
    content = spreadsheet.export_csv(open_set)
    assert not content.startswith(b"\xef\xbb\xbf")  # no BOM
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert list(rows[0])[:4] == ["municipality_code", "municipality_name", "status", "submitted_at"]
    amsterdam = next(r for r in rows if r["municipality_code"] == "GM0363")
    assert amsterdam["municipality_name"] == "Amsterdam"
    assert amsterdam["phb_timing"] == "lt15;w20_25"
    assert amsterdam["goals"].startswith("'=HYPERLINK")  # a spreadsheet will not run it
    assert amsterdam["status"] == "submitted" and amsterdam["submitted_at"]


def test_xlsx_text_is_never_a_formula(open_set: QuestionSet) -> None:
    from openpyxl import load_workbook

    _fill(open_set)
    sheet = load_workbook(io.BytesIO(spreadsheet.export_xlsx(open_set))).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    assert any(c.value.startswith("=HYPERLINK") for c in cells)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def test_import_errors_name_row_and_column_and_write_nothing(
    open_set: QuestionSet, staff: User
) -> None:
    content = _csv(
        [
            [
                "municipality_code",
                "coalition_status",
                "phb_timing",
                "phb_count",
                "coalition_formed_on",
            ],
            ["GM0363", "formed", "lt15", "12", "2021-01-01"],
            ["GM9999", "formed", "", "", ""],
            ["GM0344", "maybe", "lt15;w99", "twelve", "soon"],
            ["GM0363", "none", "", "", ""],
        ]
    )
    result = imports.import_file(open_set, content, staff)
    assert not result.ok
    found = {(p.row, p.column) for p in result.problems}
    assert found == {
        (3, "municipality_code"),
        (4, "coalition_status"),
        (4, "phb_timing"),
        (4, "phb_count"),
        (4, "coalition_formed_on"),
        (5, "municipality_code"),
    }
    texts = [str(p) for p in result.problems]
    assert any("row 3" in t and "GM9999" in t for t in texts)
    assert any("row 5" in t and "row 2" in t for t in texts)  # the duplicate names the first
    assert any("w99" in t for t in texts)
    assert not Response.objects.exists() and not Answer.objects.exists()

    page = client_for(staff).post(
        reverse("survey:import", args=[2022]),
        {"file": SimpleUploadedFile("bad.csv", content)},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Nothing was imported" in html and "row 4, column phb_count" in html
    assert not Response.objects.exists()


def test_import_refuses_unknown_columns(open_set: QuestionSet) -> None:
    content = _csv([["municipality_code", "colour"], ["GM0363", "blue"]])
    result = imports.import_file(open_set, content, None)
    assert [(p.row, p.column) for p in result.problems] == [(1, "colour")]
    missing = imports.import_file(open_set, _csv([["goals"], ["x"]]), None)
    assert [(p.row, p.column) for p in missing.problems] == [(1, "municipality_code")]
    garbage = imports.import_file(open_set, b"\xff\xfe\x00garbage", None)
    assert not garbage.ok and garbage.problems[0].row is None


def test_import_accepts_semicolons_and_keeps_columns_not_in_the_file(
    open_set: QuestionSet,
) -> None:
    _fill(open_set)
    content = b"municipality_code;coalition_status\r\nGM0363;preparing\r\n"
    result = imports.import_file(open_set, content, None)
    assert result.ok and (result.created, result.updated) == (0, 1)
    answers = dict(
        Answer.objects.filter(response__municipality_code="GM0363").values_list(
            "question__code", "value"
        )
    )
    assert answers["coalition_status"] == "preparing"
    assert answers["phb_timing"] == ["lt15", "w20_25"]  # not in the file: kept


def test_management_command(open_set: QuestionSet, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(_csv([["municipality_code", "phb_offered"], ["GM0363", "yes"]]))
    dry = io.StringIO()
    call_command("survey_import", "2022", str(good), stdout=dry)
    assert (
        "dry run: would import 1 responses" in dry.getvalue() and "row 2: GM0363" in dry.getvalue()
    )
    assert not Response.objects.exists()  # a dry run by default
    out = io.StringIO()
    call_command("survey_import", "2022", str(good), "--apply", stdout=out)
    assert "imported 1 responses" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([["municipality_code", "phb_offered"], ["GM0344", "perhaps"]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("survey_import", "2022", str(bad), "--apply", stderr=err)
    assert "row 2, column phb_offered" in err.getvalue()
    assert Response.objects.count() == 1


def test_xlsx_import_errors_name_row_and_column(open_set: QuestionSet) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["municipality_code", "support_website_rating", "coalition_formed_on"])
    sheet.append(["GM0363", 7, "yesterday"])
    sheet.append(["GM0344", 4, date(2022, 5, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = imports.import_file(open_set, buffer.getvalue(), None)
    assert {(p.row, p.column) for p in result.problems} == {
        (2, "support_website_rating"),
        (2, "coalition_formed_on"),
    }
    assert not Response.objects.exists()
    sheet.delete_rows(2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert imports.import_file(open_set, buffer.getvalue(), None).ok
    answers = dict(Answer.objects.values_list("question__code", "value"))
    assert answers == {"support_website_rating": 4, "coalition_formed_on": "2022-05-01"}

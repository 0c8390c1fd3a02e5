"""The malformed-import corpus: every file is refused with a clear message, quickly, within a
memory bound, and nothing is written (issue 14, item 5)."""

from __future__ import annotations

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kansrijk.web.accounts.models import User
from kansrijk.web.survey import imports, spreadsheet
from kansrijk.web.survey.forms import Catalogue
from kansrijk.web.survey.models import Answer, QuestionSet, Response, ResponseStatus
from kansrijk.web.survey.services import municipality_codes
from tests.web.survey.fuzz_corpus import CASES, Case
from tests.web.survey.helpers import client_for

pytestmark = pytest.mark.django_db

SECONDS = 2.0
EXTRA_BYTES = 100 * 1024 * 1024


def test_the_corpus_is_large_enough_and_names_are_unique() -> None:
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)
    assert sum(c.name.endswith(".csv") for c in CASES) >= 15
    assert sum(c.name.endswith((".xlsx", ".ods")) for c in CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_file_is_refused_clearly_fast_and_small(
    open_set: QuestionSet, case: Case
) -> None:
    content = case.build()
    # CPU time of this thread: the bound holds however busy the test machine is (the reader
    # itself enforces a wall-clock deadline, KANSRIJK_IMPORT_SECONDS).
    started = time.thread_time()
    result = imports.import_file(open_set, content, None)
    elapsed = time.thread_time() - started
    assert not result.ok, f"{case.name} was accepted"
    text = "\n".join(imports.problems_text(result.problems))
    assert case.expected in text, text
    assert "Traceback" not in text
    assert elapsed < SECONDS, f"{case.name} took {elapsed:.2f} s"
    tracemalloc.start()
    try:
        imports.check_file(open_set, content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < EXTRA_BYTES, f"{case.name} peaked at {peak / 1e6:.0f} MB"
    assert not Response.objects.exists() and not Answer.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["dimension-CV1000000.xlsx", "zip-bomb.xlsx", "formula.xlsx", "nul-byte.csv", "truncated.xlsx"],
)
def test_the_web_import_refuses_them_and_names_the_file(
    open_set: QuestionSet, staff: User, name: str
) -> None:
    case = next(c for c in CASES if c.name == name)
    page = client_for(staff).post(
        reverse("survey:import", args=[2022]),
        {"file": SimpleUploadedFile(case.name, case.build())},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Nothing was imported" in html and f"File: {case.name}" in html
    assert 'name="token"' not in html
    assert not Response.objects.exists()


def test_the_reported_file_is_refused_before_any_row_is_made(open_set: QuestionSet) -> None:
    """The reproduction: a ~5 KB workbook whose sheet declares A1:CV1000000 (73.6 s and 1 GB
    with openpyxl sizing its rows by the declaration) or A1:XFD1048576 (MemoryError)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["municipality_code", "coalition_status"])
    sheet.append(["GM0363", "formed"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    for declared in ("A1:CV1000000", "A1:XFD1048576"):
        content = _redeclare(buffer.getvalue(), declared)
        assert len(content) < 6000
        started = time.thread_time()
        tracemalloc.start()
        try:
            checked = imports.check_file(open_set, content)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert time.thread_time() - started < SECONDS and peak < 10 * 1024 * 1024
        assert f"declares the range {declared}" in str(checked.problems[0])
    # With its true dimension the same workbook is fine.
    assert imports.check_file(open_set, buffer.getvalue()).ok


def _redeclare(content: bytes, ref: str) -> bytes:
    """The workbook with its first sheet's <dimension> replaced."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            target.writestr(info.filename, data)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_full_size_export_fits_the_limits(open_set: QuestionSet, fmt: str) -> None:
    """Every municipality with every kind of answer, long texts included, imports back."""
    catalogue = Catalogue.load(open_set)
    values = {
        "coalition_status": "formed",
        "coalition_scope": "regional",
        "coalition_formed_on": "2021-03-01",
        "partners_medical": ["midwives", "kraamzorg", "gps"],
        "plan_status": "finished",
        "goals": "=Iedereen een kansrijke start; " + "x" * 4000,
        "phb_offered": "yes",
        "phb_timing": ["lt15", "w20_25"],
        "phb_count": 40,
        "support_website_rating": 4,
        "support_wishes": "Meer voorbeelden\nvan andere gemeenten, " * 20,
    }
    codes = sorted(municipality_codes(2022))
    responses = Response.objects.bulk_create(
        Response(question_set=open_set, municipality_code=code, status=ResponseStatus.SUBMITTED)
        for code in codes
    )
    questions = {q.code: q for q in catalogue.questions}
    Answer.objects.bulk_create(
        Answer(response=r, question=questions[c], value=v)
        for r in responses
        for c, v in values.items()
    )
    content = (
        spreadsheet.export_csv(open_set) if fmt == "csv" else spreadsheet.export_xlsx(open_set)
    )
    started = time.thread_time()
    checked = imports.check_file(open_set, content)
    elapsed = time.thread_time() - started
    assert checked.ok, checked.problems[:3]
    assert len(checked.rows) == len(codes) == 345
    assert checked.rows[0].values["goals"] == values["goals"]
    assert elapsed < 10 * SECONDS, elapsed

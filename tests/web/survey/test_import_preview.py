"""The import previews before it writes: a valid upload writes nothing and shows the changes,
only a confirming POST with the server-side token writes, once, for the same user and edition;
limits on size and time are checked before and while reading."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import Role
from kansrijk.web.survey import imports, pending, spreadsheet
from kansrijk.web.survey.forms import Catalogue
from kansrijk.web.survey.models import Answer, QuestionSet, Response, ResponseStatus
from kansrijk.web.survey.questions import install_question_set
from kansrijk.web.survey.reading import Limits, UnreadableFileError, read_table
from kansrijk.web.survey.services import answers_of, write_answers
from tests.web import factories as f
from tests.web.survey.helpers import client_for

pytestmark = pytest.mark.django_db

IMPORT = reverse("survey:import", args=[2022])
CONFIRM = reverse("survey:import_confirm", args=[2022])


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


GOOD = _csv(
    [
        ["municipality_code", "coalition_status", "phb_count"],
        ["GM0363", "formed", "12"],
        ["GM0344", "none", ""],
    ]
)


def _upload(client: Client, content: bytes = GOOD, name: str = "answers.csv") -> Any:
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def _token(page: Any) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page.content.decode())
    assert match, page.content.decode()[:2000]
    return match.group(1)


def _existing(question_set: QuestionSet) -> Response:
    response = Response.objects.create(
        question_set=question_set,
        municipality_code="GM0363",
        status=ResponseStatus.SUBMITTED,
        submitted_at=datetime(2022, 10, 1, tzinfo=UTC),
    )
    write_answers(
        response, Catalogue.load(question_set).questions, {"coalition_status": "preparing"}
    )
    return response


def test_a_valid_upload_is_previewed_and_nothing_is_written(
    open_set: QuestionSet, staff: User
) -> None:
    _existing(open_set)
    page = _upload(client_for(staff))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nothing has been saved yet" in html and "answers.csv" in html
    assert "creates 1 responses, replaces 1 and changes 3 answers" in html
    table = html[html.index('id="preview-municipalities"') :]
    assert "Amsterdam (GM0363)" in table and "Utrecht (GM0344)" in table
    assert "No response yet" in table and "Submitted" in table
    assert "phb_count" in html[html.index('id="preview-questions"') :]
    assert Response.objects.count() == 1
    assert answers_of(Response.objects.get()) == {"coalition_status": "preparing"}


def test_confirming_writes_once_and_cancelling_writes_nothing(
    open_set: QuestionSet, staff: User
) -> None:
    client = client_for(staff)
    token = _token(_upload(client))
    done = client.post(CONFIRM, {"token": token, "action": "apply"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("survey:status", args=[2022])
    assert "Imported 2 responses (2 new, 0 replaced)" in done.content.decode()
    assert set(Response.objects.values_list("status", flat=True)) == {ResponseStatus.SUBMITTED}
    assert answers_of(Response.objects.get(municipality_code="GM0363")) == {
        "coalition_status": "formed",
        "phb_count": 12,
    }
    # The token works once.
    again = client.post(CONFIRM, {"token": token, "action": "apply"}, follow=True)
    assert "expired or was used already" in again.content.decode()
    assert Response.objects.count() == 2

    Response.objects.all().delete()
    token = _token(_upload(client))
    cancelled = client.post(CONFIRM, {"token": token, "action": "cancel"}, follow=True)
    assert "nothing was written" in cancelled.content.decode()
    assert not Response.objects.exists()
    assert client.post(CONFIRM, {"token": token, "action": "apply"}).status_code == 302
    assert not Response.objects.exists()


def test_the_token_is_bound_to_the_session_user_edition_and_time(
    open_set: QuestionSet, staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_question_set(2021)
    client = client_for(staff)
    # Another programme user cannot use it (their session does not hold it).
    colleague = f.user(role=Role.PROGRAMME_STAFF, org=staff.organisation)
    token = _token(_upload(client))
    client_for(colleague).post(CONFIRM, {"token": token, "action": "apply"})
    assert not Response.objects.exists()
    # A forged token, or the right token for another edition, writes nothing.
    client.post(CONFIRM, {"token": "forged", "action": "apply"})
    client.post(reverse("survey:import_confirm", args=[2021]), {"token": token, "action": "apply"})
    assert not Response.objects.exists()
    # After the expiry it is refused.
    token = _token(_upload(client))
    monkeypatch.setattr(pending, "EXPIRY_SECONDS", -1)
    expired = client.post(CONFIRM, {"token": token, "action": "apply"}, follow=True)
    assert "expired" in expired.content.decode() and not Response.objects.exists()
    # The session holds the checked rows, never the client: no rows in the page's form.
    monkeypatch.setattr(pending, "EXPIRY_SECONDS", 1800)
    page = _upload(client)
    hidden = re.findall(r'<input type="hidden" name="(\w+)"', page.content.decode())
    assert set(hidden) == {"csrfmiddlewaretoken", "token"}


def test_a_change_after_the_preview_refuses_the_whole_import(
    open_set: QuestionSet, staff: User, coordinator: User
) -> None:
    response = _existing(open_set)
    client = client_for(staff)
    token = _token(_upload(client))
    response.version += 1  # someone reopened or saved it in the meantime
    response.save()
    refused = client.post(CONFIRM, {"token": token, "action": "apply"}, follow=True)
    assert "responses changed after the preview (GM0363)" in refused.content.decode()
    assert Response.objects.count() == 1
    assert answers_of(Response.objects.get()) == {"coalition_status": "preparing"}


def test_only_programme_staff_may_confirm(open_set: QuestionSet, coordinator: User) -> None:
    client = client_for(coordinator)
    assert client.post(CONFIRM, {"token": "x", "action": "apply"}).status_code == 403
    assert client.get(CONFIRM).status_code in (403, 405)
    assert Client().post(CONFIRM).status_code == 302  # to the login page


@override_settings(KANSRIJK_IMPORT_MAX_BYTES=1000)
def test_the_size_is_checked_before_the_upload_is_read(open_set: QuestionSet, staff: User) -> None:
    big = GOOD + b"GM0014,none,\r\n" * 200
    page = _upload(client_for(staff), big)
    assert page.status_code == 413
    assert "an import file may be at most 1000 B" in page.content.decode()
    assert not Response.objects.exists()


def test_the_wall_clock_limit_stops_reading() -> None:
    rows = "".join(f"GM{i:04d},none\r\n" for i in range(400))
    content = f"municipality_code,coalition_status\r\n{rows}".encode()
    with pytest.raises(UnreadableFileError, match="took longer than 0 seconds"):
        read_table(content, Limits(max_rows=1000, seconds=0))


def test_limits_follow_the_questionnaire(open_set: QuestionSet) -> None:
    limits = imports.limits_for(open_set)
    assert limits.max_rows == 345 + 86  # every municipality of 2022, and a margin
    assert limits.max_columns == 4 + 26 + 20
    assert limits.max_bytes == 2 * 1024 * 1024


def test_a_round_trip_keeps_text_that_looks_like_a_formula_as_data(
    open_set: QuestionSet, staff: User
) -> None:
    content = _csv(
        [
            ["municipality_code", "goals", "support_wishes"],
            ["GM0363", "=1+1", "-2 is a reply, not a formula"],
        ]
    )
    checked = imports.check_file(open_set, content)
    assert checked.ok
    values = {"goals": "=1+1", "support_wishes": "-2 is a reply, not a formula"}
    assert checked.rows[0].values == values  # data, never evaluated
    imports.write(open_set, checked, staff)
    exported = spreadsheet.export_csv(open_set)
    assert b"'=1+1" in exported and b"'-2 is a reply" in exported  # neutralised for Excel
    Response.objects.all().delete()
    again = imports.check_file(open_set, exported)
    assert again.ok and {k: again.rows[0].values[k] for k in values} == values
    assert not Answer.objects.exists()

"""The questionnaire refuses answers after its closing date (until the programme extends it), and
submitting asks for confirmation with the unanswered questions listed (issue 14, item 9)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kansrijk.web.accounts.models import User
from kansrijk.web.survey import services
from kansrijk.web.survey.models import (
    Answer,
    QuestionSet,
    QuestionSetStatus,
    Reminder,
    Response,
    ResponseStatus,
)
from kansrijk.web.survey.questions import install_all, install_question_set
from tests.web.survey.helpers import client_for

pytestmark = pytest.mark.django_db

FILL = reverse("survey:fill", args=[2022])
DEADLINE = reverse("survey:deadline", args=[2022])
VALID = {
    "coalition_status": "formed",
    "coalition_scope": "regional",
    "plan_status": "in_development",
    "phb_offered": "yes",
    "phb_timing": ["lt15"],
}


def _post(client: Client, action: str, version: int, data: dict[str, Any] | None = None) -> Any:
    return client.post(FILL, {**(data or {}), "action": action, "version": str(version)})


def _version(page: Any) -> int:
    match = re.search(r'name="version" value="(\d+)"', page.content.decode())
    assert match
    return int(match.group(1))


def _close(question_set: QuestionSet, days_ago: int = 1) -> None:
    question_set.closes_on = timezone.localdate() - timedelta(days=days_ago)
    question_set.save()


def test_an_open_edition_installed_late_gets_a_closing_date_ahead(open_set: QuestionSet) -> None:
    assert open_set.closes_on >= timezone.localdate() and open_set.is_open
    _close(open_set)
    open_set.refresh_from_db()
    assert not open_set.is_open and open_set.is_past_deadline
    assert open_set.status == QuestionSetStatus.OPEN  # the status alone no longer decides
    install_all(2021, [2021])  # opening an edition moves a passed date six weeks ahead
    assert QuestionSet.objects.get(edition=2021).closes_on > timezone.localdate()


def test_after_the_closing_date_nothing_is_saved_or_submitted(
    open_set: QuestionSet, coordinator: User
) -> None:
    client = client_for(coordinator)
    assert _post(client, "save", 0, {"goals": "op tijd"}).status_code == 302
    version = Response.objects.get().version
    _close(open_set)
    page = client.get(FILL)
    html = page.content.decode()
    assert page.status_code == 200 and 'name="coalition_status"' not in html
    assert "This questionnaire closed on" in html
    for action, data in (("save", {"goals": "te laat"}), ("submit", VALID), ("confirm", {})):
        refused = _post(client, action, version, data)
        assert refused.status_code == 302
        followed = client.get(refused["Location"]).content.decode()
        assert "answers can no longer be saved or submitted" in followed
    response = Response.objects.get()
    assert response.status == ResponseStatus.DRAFT and response.version == version
    assert services.answers_of(response) == {"goals": "op tijd"}


def test_a_confirmation_started_before_the_deadline_is_refused_after_it(
    open_set: QuestionSet, coordinator: User
) -> None:
    client = client_for(coordinator)
    first = _post(client, "submit", 0, VALID)
    confirm = client.get(first["Location"])
    _close(open_set)
    _post(client, "confirm", _version(confirm))
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_the_programme_extends_the_deadline_and_answers_are_accepted_again(
    open_set: QuestionSet, coordinator: User, staff: User, mailoutbox: list[mail.EmailMessage]
) -> None:
    _close(open_set)
    staff_client = client_for(staff)
    status = staff_client.get(reverse("survey:status", args=[2022])).content.decode()
    assert "The closing date has passed" in status and 'name="closes_on"' in status
    staff_client.post(reverse("survey:remind", args=[2022]), {"all_open": "1"})
    assert not Reminder.objects.exists()  # no reminders past the deadline
    # Only programme staff may move it; a wrong date changes nothing.
    assert client_for(coordinator).post(DEADLINE, {"closes_on": "2099-01-01"}).status_code == 403
    for wrong in ("tomorrow", "2000-01-01"):
        staff_client.post(DEADLINE, {"closes_on": wrong})
        open_set.refresh_from_db()
        assert open_set.closes_on < timezone.localdate()
    later = timezone.localdate() + timedelta(days=14)
    done = staff_client.post(DEADLINE, {"closes_on": later.isoformat()}, follow=True)
    assert "now closes on" in done.content.decode()
    open_set.refresh_from_db()
    assert open_set.closes_on == later and open_set.is_open
    assert _post(client_for(coordinator), "save", 0, {"goals": "verlengd"}).status_code == 302
    assert services.answers_of(Response.objects.get()) == {"goals": "verlengd"}


def test_submitting_asks_for_confirmation_listing_unanswered_questions(
    open_set: QuestionSet, coordinator: User
) -> None:
    client = client_for(coordinator)
    first = _post(client, "submit", 0, VALID)
    assert first.status_code == 302 and first["Location"] == f"{FILL}?step=confirm"
    response = Response.objects.get()
    assert response.status == ResponseStatus.DRAFT  # saved, not submitted
    assert services.answers_of(response)["coalition_status"] == "formed"
    page = client.get(first["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Submit the questionnaire?" in html
    unanswered = html[html.index('id="unanswered"') :]
    assert f'href="{FILL}#q-goals"' in unanswered  # optional and applicable, not answered
    assert "#q-coalition_status" not in unanswered  # answered
    assert "#q-phb_count" in unanswered  # applies because the check is offered
    assert 'value="confirm"' in html and html.count("<h1") == 1
    done = _post(client, "confirm", _version(page))
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED and response.submitted_by == coordinator
    assert "submitted" in client.get(FILL).content.decode()


def test_a_stale_or_no_longer_valid_confirmation_submits_nothing(
    open_set: QuestionSet, coordinator: User, impuls: set[str]
) -> None:
    client = client_for(coordinator)
    confirm = client.get(_post(client, "submit", 0, VALID)["Location"])
    version = _version(confirm)
    # A colleague saves in between: the confirmation is for an older version.
    assert _post(client, "save", version, {**VALID, "goals": "nieuw"}).status_code == 302
    stale = _post(client, "confirm", version)
    assert "was NOT submitted" in client.get(stale["Location"]).content.decode()
    assert Response.objects.get().status == ResponseStatus.DRAFT
    # A required answer disappeared (e.g. a save of a partial form): not submitted either.
    Answer.objects.filter(question__code="plan_status").delete()
    response = Response.objects.get()
    refused = _post(client, "confirm", response.version)
    assert "need attention" in client.get(refused["Location"]).content.decode()
    assert Response.objects.get().status == ResponseStatus.DRAFT
    # Nothing to confirm without a saved response.
    Response.objects.all().delete()
    assert _post(client, "confirm", 1).status_code == 302 and not Response.objects.exists()


def test_a_closed_edition_is_still_closed(coordinator: User) -> None:
    install_question_set(2021, QuestionSetStatus.CLOSED)
    client = client_for(coordinator)
    page = client.get(reverse("survey:fill", args=[2021])).content.decode()
    assert "This questionnaire is closed." in page

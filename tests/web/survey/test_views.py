"""Pages: who may see what, save and resume, submit, read-only, optimistic locking,
reminders and the status overview."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.survey import services
from kansrijk.web.survey.models import (
    Answer,
    QuestionSet,
    QuestionSetStatus,
    Reminder,
    Response,
    ResponseStatus,
)
from kansrijk.web.survey.questions import install_question_set
from tests.web import factories as f
from tests.web.survey.helpers import client_for

pytestmark = pytest.mark.django_db

FILL = reverse("survey:fill", args=[2022])
VALID = {
    "coalition_status": "formed",
    "coalition_scope": "regional",
    "plan_status": "in_development",
    "phb_offered": "yes",
    "phb_timing": ["lt15", "w20_25"],
    "goals": "Iedereen een kansrijke start",
}


def _post(client: Client, action: str, data: Mapping[str, object], version: int) -> Any:
    return client.post(FILL, {**data, "action": action, "version": str(version)})


def _submit(client: Client, data: Mapping[str, object], version: int) -> Any:
    """Submit as a browser does: the answers, then the confirmation page's button."""
    first = _post(client, "submit", data, version)
    assert first.status_code == 302 and first["Location"].endswith("?step=confirm")
    confirm = client.get(first["Location"])
    assert confirm.status_code == 200 and 'value="confirm"' in confirm.content.decode()
    return client.post(FILL, {"action": "confirm", "version": str(_version(confirm))})


def _version(page: Any) -> int:
    match = re.search(r'name="version" value="(\d+)"', page.content.decode())
    assert match
    return int(match.group(1))


def _all_pages(edition: int = 2022) -> list[tuple[str, str]]:
    return [
        ("get", reverse("survey:index")),
        ("get", reverse("survey:fill", args=[edition])),
        ("post", reverse("survey:fill", args=[edition])),
        ("get", reverse("survey:status", args=[edition])),
        ("post", reverse("survey:remind", args=[edition])),
        ("get", reverse("survey:export", args=[edition, "csv"])),
        ("get", reverse("survey:export", args=[edition, "xlsx"])),
        ("get", reverse("survey:import", args=[edition])),
        ("post", reverse("survey:import", args=[edition])),
        ("get", reverse("survey:response", args=[edition, "GM0363"])),
        ("post", reverse("survey:reopen", args=[edition, "GM0363"])),
    ]


def test_anonymous_users_are_sent_to_login(open_set: QuestionSet) -> None:
    for method, url in _all_pages():
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_professional_gets_403_on_every_page(open_set: QuestionSet, professional: User) -> None:
    Response.objects.create(question_set=open_set, municipality_code="GM0363")
    client = client_for(professional)
    for method, url in _all_pages():
        assert getattr(client, method)(url).status_code == 403, url


def test_only_programme_staff_reach_status_export_import_and_reminders(
    open_set: QuestionSet, coordinator: User, staff: User
) -> None:
    Response.objects.create(
        question_set=open_set, municipality_code="GM0363", status=ResponseStatus.SUBMITTED
    )
    client = client_for(coordinator)
    staff_only = [p for p in _all_pages() if "/status/" in p[1] or "/remind/" in p[1]]
    staff_only += [p for p in _all_pages() if "/export/" in p[1] or "/import/" in p[1]]
    staff_only += [p for p in _all_pages() if "/responses/" in p[1]]
    for method, url in staff_only:
        assert getattr(client, method)(url).status_code == 403, url
    staff_client = client_for(staff)
    for url in (
        reverse("survey:status", args=[2022]),
        reverse("survey:export", args=[2022, "csv"]),
        reverse("survey:import", args=[2022]),
        reverse("survey:response", args=[2022, "GM0363"]),
    ):
        assert staff_client.get(url).status_code == 200, url
    assert staff_client.get(FILL).status_code == 403  # staff fill in nothing themselves
    page = staff_client.get(reverse("survey:index")).content.decode()
    assert reverse("survey:status", args=[2022]) in page


def test_a_coordinator_never_sees_or_edits_another_municipality(
    open_set: QuestionSet, coordinator: User, utrecht_advisor: User
) -> None:
    utrecht = client_for(utrecht_advisor)
    assert _post(utrecht, "save", {"goals": "Utrechts geheim"}, 0).status_code == 302
    amsterdam = client_for(coordinator)
    page = amsterdam.get(FILL)
    assert page.status_code == 200
    assert "Utrechts geheim" not in page.content.decode()
    assert "Amsterdam" in page.content.decode()
    # Smuggling another municipality into the form changes nothing of Utrecht's.
    _post(amsterdam, "save", {"goals": "Amsterdams", "municipality_code": "GM0344"}, 0)
    utrecht_response = Response.objects.get(municipality_code="GM0344")
    assert services.answers_of(utrecht_response) == {"goals": "Utrechts geheim"}
    assert services.answers_of(Response.objects.get(municipality_code="GM0363")) == {
        "goals": "Amsterdams"
    }
    # Staff's read-only view and the rest are closed to a coordinator.
    assert amsterdam.get(reverse("survey:response", args=[2022, "GM0344"])).status_code == 403
    assert amsterdam.get(reverse("survey:export", args=[2022, "csv"])).status_code == 403
    # A coordinator of a non-municipality organisation has no questionnaire at all.
    jgz = f.user(
        role=Role.COORDINATOR,
        org=f.organisation(type=OrganisationType.JGZ, municipality_code="GM0344"),
    )
    assert client_for(jgz).get(FILL).status_code == 403


def test_save_and_resume_then_submit_then_read_only(
    open_set: QuestionSet, coordinator: User
) -> None:
    client = client_for(coordinator)
    first = client.get(FILL)
    assert first.status_code == 200 and _version(first) == 0
    saved = _post(client, "save", {"coalition_status": "preparing", "phb_count": "12"}, 0)
    assert saved.status_code == 302
    response = Response.objects.get(municipality_code="GM0363")
    assert response.status == ResponseStatus.DRAFT and response.version == 1
    assert response.started_by == coordinator

    # A new session (another day, another device): the answers are back.
    again = client_for(coordinator).get(FILL)
    html = again.content.decode()
    assert re.search(r'name="coalition_status" value="preparing" checked', html)
    assert 'name="phb_count" value="12"' in html
    assert _version(again) == 1

    submitted = _submit(client_for(coordinator), VALID, 1)
    assert submitted.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED and response.submitted_by == coordinator
    assert services.answers_of(response)["phb_timing"] == ["lt15", "w20_25"]
    assert "phb_count" not in services.answers_of(response)  # cleared by the submit

    read_only = client.get(FILL)
    html = read_only.content.decode()
    assert read_only.status_code == 200
    assert 'name="coalition_status"' not in html and "Submitted on" in html
    assert "Before week 15" in html  # labels, not codes
    after = _post(client, "save", {"coalition_status": "none"}, response.version)
    assert after.status_code == 302
    assert services.answers_of(Response.objects.get(pk=response.pk))["coalition_status"] == "formed"


def test_submit_errors_are_listed_and_linked(open_set: QuestionSet, coordinator: User) -> None:
    page = _post(client_for(coordinator), "submit", {"phb_offered": "yes"}, 0)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#q-coalition_status-0"' in html and 'href="#q-phb_timing-0"' in html
    assert 'id="q-coalition_status-error"' in html
    assert re.search(
        r'<fieldset[^>]*id="q-coalition_status"[^>]*aria-describedby="[^"]*q-coalition_status-error',
        html,
    )
    assert 'aria-invalid="true"' in html
    assert html.count("<h1") == 1
    assert not Response.objects.exists()  # nothing saved on an invalid submit


def test_non_impuls_municipality_may_submit_without_coalition_answers(
    open_set: QuestionSet, coordinator: User, impuls: set[str]
) -> None:
    impuls.discard("GM0363")
    assert _submit(client_for(coordinator), {"phb_offered": "no"}, 0).status_code == 302
    assert Response.objects.get().status == ResponseStatus.SUBMITTED


def test_a_stale_form_is_refused_not_overwritten(open_set: QuestionSet, coordinator: User) -> None:
    colleague = f.user(role=Role.POLICY_ADVISOR, org=coordinator.organisation)
    mine, theirs = client_for(coordinator), client_for(colleague)
    assert _version(mine.get(FILL)) == 0 and _version(theirs.get(FILL)) == 0
    assert _post(theirs, "save", {"goals": "Hun tekst"}, 0).status_code == 302
    refused = _post(mine, "save", {"goals": "Mijn tekst"}, 0)
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "NOT saved" in html and "Mijn tekst" in html  # the user's input is kept on screen
    response = Response.objects.get()
    assert services.answers_of(response) == {"goals": "Hun tekst"} and response.version == 1
    # After reloading, saving works again.
    assert _post(mine, "save", {"goals": "Mijn tekst"}, _version(mine.get(FILL))).status_code == 302
    assert services.answers_of(Response.objects.get()) == {"goals": "Mijn tekst"}


def test_only_open_question_sets_can_be_filled(coordinator: User) -> None:
    install_question_set(2021, QuestionSetStatus.CLOSED)
    install_question_set(2022, QuestionSetStatus.DRAFT)
    client = client_for(coordinator)
    closed = client.get(reverse("survey:fill", args=[2021]))
    assert closed.status_code == 200 and 'name="coalition_status"' not in closed.content.decode()
    posted = client.post(
        reverse("survey:fill", args=[2021]),
        {"action": "save", "version": "0", "goals": "te laat"},
    )
    assert posted.status_code == 302 and not Response.objects.exists()
    assert client.get(reverse("survey:fill", args=[2022])).status_code == 404
    index = client.get(reverse("survey:index")).content.decode()
    assert reverse("survey:fill", args=[2022]) not in index


def test_index_links_a_coordinator_to_the_open_questionnaire(
    open_set: QuestionSet, coordinator: User
) -> None:
    page = client_for(coordinator).get(reverse("survey:index"))
    assert page.status_code == 200
    assert f'href="{FILL}"' in page.content.decode()
    assert reverse("survey:status", args=[2022]) not in page.content.decode()


def test_staff_reopen_a_submitted_response(
    open_set: QuestionSet, coordinator: User, staff: User
) -> None:
    _submit(client_for(coordinator), VALID, 0)
    response = Response.objects.get()
    staff_client = client_for(staff)
    view = staff_client.get(reverse("survey:response", args=[2022, "GM0363"]))
    assert (
        "Coalition formed" in view.content.decode() or "coalition formed" in view.content.decode()
    )
    assert staff_client.get(reverse("survey:reopen", args=[2022, "GM0363"])).status_code == 405
    staff_client.post(reverse("survey:reopen", args=[2022, "GM0363"]))
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT and response.submitted_at is None
    page = client_for(coordinator).get(FILL)
    assert 'name="coalition_status"' in page.content.decode()
    assert _version(page) == response.version


def test_reminders_mail_the_municipality_users_and_are_recorded(
    open_set: QuestionSet,
    coordinator: User,
    utrecht_advisor: User,
    staff: User,
    professional: User,
    mailoutbox: list[mail.EmailMessage],
) -> None:
    colleague = f.user(
        role=Role.COORDINATOR, org=utrecht_advisor.organisation, email="second@utrecht.example"
    )
    f.user(role=Role.PROFESSIONAL, org=utrecht_advisor.organisation, email="prof@utrecht.example")
    f.user(role=Role.COORDINATOR, org=utrecht_advisor.organisation, email="")  # no address
    Response.objects.create(
        question_set=open_set, municipality_code="GM0363", status=ResponseStatus.SUBMITTED
    )
    client = client_for(staff)
    result = client.post(
        reverse("survey:remind", args=[2022]),
        {"municipality": ["GM0344", "GM0363", "GM0014"]},  # Groningen has no users
        follow=True,
    )
    assert result.status_code == 200
    recipients = sorted(r for m in mailoutbox for r in m.to)
    assert recipients == sorted([utrecht_advisor.email, colleague.email])
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert "2022" in mailoutbox[0].subject and FILL in mailoutbox[0].body
    reminder = Reminder.objects.get()
    assert reminder.municipality_code == "GM0344" and reminder.sent_by == staff
    assert sorted(reminder.recipients) == recipients
    html = result.content.decode()
    assert "Reminder sent to 1 municipalities" in html and "Groningen" in html
    rows = {r.code: r for r in services.response_status(2022)}
    assert rows["GM0344"].reminders == 1 and rows["GM0363"].reminders == 0
    assert professional.email not in recipients


def test_no_reminders_for_a_closed_questionnaire(
    staff: User, utrecht_advisor: User, mailoutbox: list[mail.EmailMessage]
) -> None:
    install_question_set(2021, QuestionSetStatus.CLOSED)
    client_for(staff).post(reverse("survey:remind", args=[2021]), {"all_open": "1"})
    assert not mailoutbox and not Reminder.objects.exists()


def test_status_overview_counts_and_filters(
    open_set: QuestionSet, coordinator: User, staff: User
) -> None:
    _post(client_for(coordinator), "save", {"goals": "x"}, 0)
    Response.objects.create(
        question_set=open_set, municipality_code="GM0344", status=ResponseStatus.SUBMITTED
    )
    rows = services.response_status(2022)
    assert len(rows) == 345
    by_status = {s: sum(r.status == s for r in rows) for s in ("not_started", "draft", "submitted")}
    assert by_status == {"not_started": 343, "draft": 1, "submitted": 1}
    client = client_for(staff)
    html = client.get(reverse("survey:status", args=[2022])).content.decode()
    assert "Draft: 1" in html and "Submitted: 1" in html and "Not started: 343" in html
    assert "<caption" in html and 'scope="col"' in html
    drafts = client.get(reverse("survey:status", args=[2022]) + "?status=draft").content.decode()
    assert "GM0363" in drafts and "GM0344" not in drafts
    assert Answer.objects.count() == 1

"""What other parts of Kansrijk ask of the questionnaire, and the writes the views share.

The programme indicators read ``reference_date`` and ``submitted_answers``; the status page
reads ``response_status``. Only SUBMITTED responses count as answers: a draft is work in
progress.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import CharField, Count, JSONField, Max, Value
from django.utils import translation
from django.utils.translation import gettext as _

from kansrijk import geo
from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import QUESTIONNAIRE_ROLES, OrganisationType
from kansrijk.web.survey.models import Answer, Question, QuestionSet, Reminder, Response
from kansrijk.web.survey.questions import REFERENCE_DATES

NOT_STARTED: Final = "not_started"
DRAFT: Final = "draft"
SUBMITTED: Final = "submitted"


def reference_date(edition: int) -> date:
    """The edition's reference date (peildatum): the installed set's, else the built-in one."""
    stored = (
        QuestionSet.objects.filter(edition=edition).values_list("reference_date", flat=True).first()
    )
    if stored is not None:
        return stored
    try:
        return REFERENCE_DATES[edition]
    except KeyError:
        raise LookupError(f"no questionnaire edition {edition}") from None


def submitted_answers(edition: int, codes: Iterable[str]) -> dict[str, dict[str, object]]:
    """municipality code -> {question code: value or None} over submitted responses (one query).

    A multiple-choice value is a list of option codes, a date an ISO string, a number an int.
    """
    wanted = list(dict.fromkeys(codes))
    answers = (
        Answer.objects.filter(
            response__question_set__edition=edition,
            response__status=SUBMITTED,
            question__code__in=wanted,
        )
        .order_by()
        .values_list("response__municipality_code", "question__code", "value")
    )
    # Responses without any of the wanted answers still get a row (of Nones): one UNION query.
    responses = (
        Response.objects.filter(question_set__edition=edition, status=SUBMITTED)
        .order_by()
        .values_list(
            "municipality_code",
            Value(None, output_field=CharField()),
            Value(None, output_field=JSONField()),
        )
    )
    rows = answers.union(responses, all=True)
    out: dict[str, dict[str, object]] = {}
    for municipality, code, value in rows:
        given = out.setdefault(municipality, dict.fromkeys(wanted))
        if code is not None:
            given[code] = value
    return out


@dataclass(frozen=True)
class MunicipalityStatus:
    """One row of the status overview."""

    code: str
    name: str
    status: str  # not_started / draft / submitted
    updated_at: datetime | None
    submitted_at: datetime | None
    reminders: int
    last_reminder_at: datetime | None
    impuls: bool | None  # None when the coalition registry cannot tell

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


STATUS_LABELS: Final = {
    NOT_STARTED: translation.gettext_lazy("Not started"),
    DRAFT: translation.gettext_lazy("Draft"),
    SUBMITTED: translation.gettext_lazy("Submitted"),
}


def response_status(edition: int) -> list[MunicipalityStatus]:
    """Per municipality of the edition's year: status, last update and reminders sent."""
    responses = {
        r.municipality_code: r
        for r in Response.objects.filter(question_set__edition=edition).only(
            "municipality_code", "status", "updated_at", "submitted_at"
        )
    }
    reminders = {
        row["municipality_code"]: (row["n"], row["last"])
        for row in Reminder.objects.filter(question_set__edition=edition)
        .values("municipality_code")
        .annotate(n=Count("id"), last=Max("sent_at"))
    }
    impuls = impuls_codes_or_none(edition)
    names = {m.code: m.name for m in geo.municipalities(edition)}
    names |= {code: "" for code in responses if code not in names}
    out = []
    for code, name in names.items():
        response = responses.get(code)
        count, last = reminders.get(code, (0, None))
        out.append(
            MunicipalityStatus(
                code=code,
                name=name,
                status=response.status if response else NOT_STARTED,
                updated_at=response.updated_at if response else None,
                submitted_at=response.submitted_at if response else None,
                reminders=count,
                last_reminder_at=last,
                impuls=None if impuls is None else code in impuls,
            )
        )
    return out


def impuls_codes(edition: int) -> set[str]:
    """Municipalities receiving the Impuls Kansrijke Start on the edition's reference date."""
    try:
        # Lazy: the coalition registry is another app, and optional for everything but submit.
        from kansrijk.web.coalitions.services import impuls_municipalities  # noqa: PLC0415
    except ImportError as error:
        raise ImportError(
            "The questionnaire needs kansrijk.web.coalitions.services.impuls_municipalities"
            " (year, on) -> set of municipality codes, to know which municipalities must"
            f" answer the coalition questions: {error}"
        ) from error
    return set(impuls_municipalities(edition, reference_date(edition)))


def impuls_codes_or_none(edition: int) -> set[str] | None:
    """``impuls_codes`` for display: None when the coalition registry is not available."""
    try:
        return impuls_codes(edition)
    except ImportError:
        return None


def has_impuls(edition: int, municipality_code: str) -> bool:
    return municipality_code in impuls_codes(edition)


def municipality_codes(edition: int) -> dict[str, str]:
    """Code -> name of the municipalities asked in ``edition`` (those of its year)."""
    try:
        return {m.code: m.name for m in geo.municipalities(edition)}
    except ValueError:
        return {}


def answers_of(response: Response | None) -> dict[str, object]:
    """The stored answers of a response by question code."""
    if response is None:
        return {}
    return dict(response.answers.values_list("question__code", "value"))


def answers_by_response(responses: Iterable[Response]) -> dict[int, dict[str, object]]:
    """The stored answers of several responses (one query): response id -> code -> value."""
    out: dict[int, dict[str, object]] = {}
    for response_id, code, value in Answer.objects.filter(response__in=list(responses)).values_list(
        "response_id", "question__code", "value"
    ):
        out.setdefault(response_id, {})[code] = value
    return out


def write_answers(
    response: Response, questions: Iterable[Question], values: Mapping[str, object]
) -> None:
    """Replace the response's answers by ``values`` (None: unanswered). Call in a transaction."""
    response.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(response=response, question=q, value=values[q.code])
        for q in questions
        if values.get(q.code) is not None
    )


def recipients(municipality_code: str) -> list[User]:
    """Active users who fill in the municipality's questionnaire and have an e-mail address."""
    return list(
        User.objects.filter(
            is_active=True,
            role__in=QUESTIONNAIRE_ROLES,
            organisation__type=OrganisationType.MUNICIPALITY,
            organisation__municipality_code=municipality_code,
        )
        .exclude(email="")
        .order_by("pk")
    )


def send_reminders(
    question_set: QuestionSet, codes: Iterable[str], sender: User | None, fill_url: str
) -> tuple[list[Reminder], list[str]]:
    """E-mail each municipality's questionnaire users and record a reminder per municipality.

    Returns the reminders and the codes that had nobody to send to. The message is in the
    site's default language (Dutch): it goes to municipalities, not to the sender.
    """
    sent: list[Reminder] = []
    nobody: list[str] = []
    names = municipality_codes(question_set.edition)
    for code in dict.fromkeys(codes):
        people = recipients(code)
        if not people:
            nobody.append(code)
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Reminder: Kansrijke Start questionnaire %(edition)s") % {
                "edition": question_set.edition
            }
            body = _(
                "Dear colleague,\n\n"
                "The Kansrijke Start questionnaire %(edition)s for %(municipality)s has not"
                " been submitted yet. It closes on %(closes)s. You can fill it in, save it and"
                " continue later at:\n\n%(url)s\n\n"
                "Thank you,\nThe Kansrijke Start programme"
            ) % {
                "edition": question_set.edition,
                "municipality": names.get(code, code),
                "closes": question_set.closes_on.strftime("%d-%m-%Y"),
                "url": fill_url,
            }
        for person in people:  # one message each: colleagues' addresses stay private
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        sent.append(
            Reminder.objects.create(
                question_set=question_set,
                municipality_code=code,
                sent_by=sender,
                recipients=[p.email for p in people],
            )
        )
    return sent, nobody

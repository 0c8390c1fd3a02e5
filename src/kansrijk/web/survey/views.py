"""Questionnaire pages. Every permission is checked here, on the server:

- a coordinator or policy advisor of a municipality fills in their OWN municipality's
  questionnaire (the municipality comes from their account, never from the URL);
- programme staff see any response read-only, reopen submitted ones, follow the response status,
  send reminders and export or import;
- anyone else gets 403 on every page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.web.accounts.models import User
from kansrijk.web.survey import services, spreadsheet
from kansrijk.web.survey.forms import Catalogue, ResponseForm, display
from kansrijk.web.survey.models import QuestionSet, QuestionSetStatus, Response, ResponseStatus

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


def _filler(request: HttpRequest) -> User:
    user = _user(request)
    if not user.can_fill_questionnaire:
        raise PermissionDenied(
            _("Only a municipality's coordinator or policy advisor can fill in its questionnaire.")
        )
    return user


def _staff(request: HttpRequest) -> User:
    user = _user(request)
    if not user.is_programme_staff:
        raise PermissionDenied(_("Only programme staff can see this page."))
    return user


def _municipality_name(edition: int, code: str) -> str:
    return services.municipality_codes(edition).get(code, code)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The user's municipality's questionnaires, and for programme staff the overviews."""
    user = _user(request)
    if not (user.can_fill_questionnaire or user.is_programme_staff):
        raise PermissionDenied(_("The questionnaire is for municipalities and programme staff."))
    own: list[dict[str, Any]] = []
    if user.can_fill_questionnaire:
        code = user.municipality_code
        responses = {r.question_set_id: r for r in Response.objects.filter(municipality_code=code)}
        for question_set in QuestionSet.objects.exclude(status=QuestionSetStatus.DRAFT):
            own.append(
                {
                    "question_set": question_set,
                    "response": responses.get(question_set.pk),
                    "name": _municipality_name(question_set.edition, code),
                }
            )
    staff_sets: list[dict[str, Any]] = []
    if user.is_programme_staff:
        for question_set in QuestionSet.objects.all():
            counts = dict.fromkeys(ResponseStatus.values, 0)
            for status in question_set.responses.values_list("status", flat=True):
                counts[status] += 1
            staff_sets.append({"question_set": question_set, "counts": counts})
    return render(
        request,
        "survey/index.html",
        {
            "own": own,
            "municipality_name": _municipality_name(
                own[0]["question_set"].edition, user.municipality_code
            )
            if own
            else user.municipality_code,
            "staff_sets": staff_sets,
        },
    )


def _readonly_sections(catalogue: Catalogue, answers: dict[str, object]) -> list[dict[str, Any]]:
    """Sections with each question's answer for people; conditional questions that did not
    apply (and were not answered) are left out."""
    return [
        {
            "section": section,
            "items": [
                {
                    "question": q,
                    "value": display(q, answers.get(q.code), catalogue.options[q.code]),
                }
                for q in questions
                if q.code in answers or catalogue.applies(q, answers)
            ],
        }
        for section, questions in catalogue.sections
    ]


def _render_readonly(
    request: HttpRequest,
    question_set: QuestionSet,
    response: Response | None,
    code: str,
    *,
    staff: bool,
) -> HttpResponse:
    catalogue = Catalogue.load(question_set)
    return render(
        request,
        "survey/response.html",
        {
            "question_set": question_set,
            "response": response,
            "municipality_code": code,
            "municipality_name": _municipality_name(question_set.edition, code),
            "sections": _readonly_sections(catalogue, services.answers_of(response)),
            "staff": staff,
        },
    )


def _render_form(
    request: HttpRequest,
    question_set: QuestionSet,
    response: Response | None,
    form: ResponseForm,
    version: int,
    *,
    status: int = 200,
    conflict: bool = False,
) -> HttpResponse:
    code = response.municipality_code if response else _user(request).municipality_code
    rows = form.rows()
    errors = [{"field": f, "messages": f.errors} for _s, fields in rows for f in fields if f.errors]
    return render(
        request,
        "survey/fill.html",
        {
            "question_set": question_set,
            "response": response,
            "municipality_name": _municipality_name(question_set.edition, code),
            "form": form,
            "rows": rows,
            "error_summary": errors,
            "version": version,
            "conflict": conflict,
        },
        status=status,
    )


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def fill(request: HttpRequest, edition: int) -> HttpResponse:
    """The questionnaire form for the signed-in user's own municipality."""
    user = _filler(request)
    code = user.municipality_code
    question_set = get_object_or_404(
        QuestionSet.objects.exclude(status=QuestionSetStatus.DRAFT), edition=edition
    )
    known = services.municipality_codes(edition)
    if known and code not in known:
        raise PermissionDenied(_("Your municipality is not asked in this edition."))
    response = Response.objects.filter(question_set=question_set, municipality_code=code).first()
    if not question_set.is_open or (response is not None and response.is_submitted):
        if request.method == "POST":
            messages.error(
                request,
                _("This questionnaire can no longer be changed.")
                if response is not None and response.is_submitted
                else _("This questionnaire is not open."),
            )
            return redirect("survey:fill", edition=edition)
        return _render_readonly(request, question_set, response, code, staff=False)

    catalogue = Catalogue.load(question_set)
    if request.method == "GET":
        with_impuls = services.impuls_codes_or_none(edition)
        form = ResponseForm(
            catalogue,
            answers=services.answers_of(response),
            impuls=with_impuls is None or code in with_impuls,
        )
        return _render_form(
            request, question_set, response, form, response.version if response else 0
        )

    action = request.POST.get("action")
    if action not in ("save", "submit"):
        return HttpResponseBadRequest(_("Unknown action."))
    submit = action == "submit"
    version = _version(request)
    if version is None:
        return HttpResponseBadRequest(_("The form is incomplete; reload the page."))
    impuls = services.has_impuls(edition, code) if submit else True
    form = ResponseForm(catalogue, request.POST, submit=submit, impuls=impuls)
    if not form.is_valid():
        return _render_form(request, question_set, response, form, version)
    try:
        with transaction.atomic():
            current = (
                Response.objects.select_for_update()
                .filter(question_set=question_set, municipality_code=code)
                .first()
            )
            if (current.version if current else 0) != version or (
                current is not None and current.is_submitted
            ):
                raise _ConflictError(current)
            if current is None:
                current = Response(
                    question_set=question_set, municipality_code=code, started_by=user, version=0
                )
            current.version += 1
            current.updated_by = user
            if submit:
                current.status = ResponseStatus.SUBMITTED
                current.submitted_by = user
                current.submitted_at = timezone.now()
            current.save()
            services.write_answers(current, catalogue.questions, form.values())
    except _ConflictError as conflict:
        return _conflict(request, question_set, conflict.current, form, version)
    except IntegrityError:  # someone created the response at the same moment
        latest = Response.objects.filter(question_set=question_set, municipality_code=code).first()
        return _conflict(request, question_set, latest, form, version)
    if submit:
        messages.success(request, _("Thank you. The questionnaire has been submitted."))
    else:
        messages.success(
            request,
            _("Your answers have been saved. You can continue later, also from another device."),
        )
    return redirect("survey:fill", edition=edition)


class _ConflictError(Exception):
    def __init__(self, current: Response | None) -> None:
        super().__init__()
        self.current = current


def _conflict(
    request: HttpRequest,
    question_set: QuestionSet,
    current: Response | None,
    form: ResponseForm,
    version: int,
) -> HttpResponse:
    """Refuse a save based on an outdated form, keeping the user's input on screen."""
    who = ""
    if current is not None and current.updated_by is not None:
        who = current.updated_by.get_full_name() or current.updated_by.username
    when = (
        timezone.localtime(current.updated_at).strftime("%d-%m-%Y %H:%M")
        if current is not None
        else ""
    )
    messages.error(
        request,
        _(
            "Your answers were NOT saved: someone else (%(who)s, %(when)s) saved this"
            " questionnaire after you opened it. Your input is still shown below; copy what you"
            " want to keep, then reload the questionnaire to continue from the saved version."
        )
        % {"who": who or _("unknown"), "when": when or _("just now")},
    )
    return _render_form(request, question_set, current, form, version, status=409, conflict=True)


@login_required
def response(request: HttpRequest, edition: int, code: str) -> HttpResponse:
    """Any municipality's response, read-only, for programme staff."""
    _staff(request)
    question_set = get_object_or_404(QuestionSet, edition=edition)
    found = get_object_or_404(Response, question_set=question_set, municipality_code=code)
    return _render_readonly(request, question_set, found, code, staff=True)


@login_required
@require_POST
def reopen(request: HttpRequest, edition: int, code: str) -> HttpResponse:
    """Make a submitted response a draft again, so the municipality can correct it."""
    user = _staff(request)
    question_set = get_object_or_404(QuestionSet, edition=edition)
    with transaction.atomic():
        found = get_object_or_404(
            Response.objects.select_for_update(),
            question_set=question_set,
            municipality_code=code,
        )
        if found.is_submitted:
            found.status = ResponseStatus.DRAFT
            found.submitted_at = None
            found.submitted_by = None
            found.updated_by = user
            found.version += 1
            found.save()
            messages.success(
                request,
                _("The response of %(name)s is open again for changes.")
                % {"name": _municipality_name(edition, code)},
            )
    return redirect("survey:response", edition=edition, code=code)


STATUS_FILTERS = (services.NOT_STARTED, services.DRAFT, services.SUBMITTED)


@login_required
def status(request: HttpRequest, edition: int) -> HttpResponse:
    """Response status per municipality, filterable, with reminders."""
    _staff(request)
    question_set = get_object_or_404(QuestionSet, edition=edition)
    rows = services.response_status(edition)
    counts = dict.fromkeys(STATUS_FILTERS, 0)
    for row in rows:
        counts[row.status] += 1
    chosen = request.GET.get("status", "")
    shown = [r for r in rows if r.status == chosen] if chosen in STATUS_FILTERS else rows
    return render(
        request,
        "survey/status.html",
        {
            "question_set": question_set,
            "rows": shown,
            "total": len(rows),
            "counts": [(s, services.STATUS_LABELS[s], counts[s]) for s in STATUS_FILTERS],
            "chosen": chosen if chosen in STATUS_FILTERS else "",
            "show_impuls": any(r.impuls is not None for r in rows),
        },
    )


@login_required
@require_POST
def remind(request: HttpRequest, edition: int) -> HttpResponse:
    """E-mail the selected municipalities (or all that have not submitted)."""
    user = _staff(request)
    question_set = get_object_or_404(QuestionSet, edition=edition)
    back = reverse("survey:status", args=[edition])
    if not question_set.is_open:
        messages.error(request, _("Reminders can only be sent while the questionnaire is open."))
        return redirect(back)
    rows = {r.code: r for r in services.response_status(edition)}
    if request.POST.get("all_open"):
        codes = [c for c, r in rows.items() if r.status != services.SUBMITTED]
    else:
        codes = [c for c in request.POST.getlist("municipality") if c in rows]
    codes = [c for c in codes if rows[c].status != services.SUBMITTED]
    if not codes:
        messages.error(request, _("Select at least one municipality that has not submitted."))
        return redirect(back)
    fill_url = request.build_absolute_uri(reverse("survey:fill", args=[edition]))
    sent, nobody = services.send_reminders(question_set, codes, user, fill_url)
    if sent:
        messages.success(
            request,
            _("Reminder sent to %(m)s municipalities (%(p)s people).")
            % {"m": len(sent), "p": sum(len(r.recipients) for r in sent)},
        )
    if nobody:
        messages.warning(
            request,
            _("No one to send to (no coordinator or policy advisor with an e-mail address): %s")
            % ", ".join(rows[c].name or c for c in nobody),
        )
    return redirect(back)


@login_required
def export(request: HttpRequest, edition: int, fmt: str) -> HttpResponse:
    """All responses of an edition as CSV or Excel."""
    _staff(request)
    question_set = get_object_or_404(QuestionSet, edition=edition)
    name = f"kansrijk-questionnaire-{edition}"
    if fmt == "csv":
        out = HttpResponse(
            spreadsheet.export_csv(question_set), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        out = HttpResponse(
            spreadsheet.export_xlsx(question_set),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    out["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return out


@login_required
@require_http_methods(["GET", "POST"])
def import_responses(request: HttpRequest, edition: int) -> HttpResponse:
    """Upload a CSV or Excel file in the export layout; all rows or nothing."""
    user = _staff(request)
    question_set = get_object_or_404(QuestionSet, edition=edition)
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Choose a file to import.")]
        elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            problems = [_("The file is larger than 10 MB.")]
        else:
            result = spreadsheet.import_file(question_set, upload.read(), user)
            if result.ok:
                messages.success(
                    request,
                    _("Imported %(n)s responses (%(c)s new, %(u)s replaced), all as submitted.")
                    % {
                        "n": result.created + result.updated,
                        "c": result.created,
                        "u": result.updated,
                    },
                )
                return redirect("survey:status", edition=edition)
            problems = spreadsheet.problems_text(result.problems)
    return render(
        request,
        "survey/import.html",
        {"question_set": question_set, "problems": problems},
        status=400 if problems else 200,
    )

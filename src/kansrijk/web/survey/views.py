"""Questionnaire pages. Every permission is checked here, on the server:

- a coordinator or policy advisor of a municipality fills in their OWN municipality's
  questionnaire (the municipality comes from their account, never from the URL);
- programme staff see any response read-only, reopen submitted ones, follow the response status,
  send reminders and export or import;
- anyone else gets 403 on every page.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.web.accounts.models import User
from kansrijk.web.survey import imports, pending, reading, services, spreadsheet
from kansrijk.web.survey.forms import Catalogue, ResponseForm, display, to_initial
from kansrijk.web.survey.models import QuestionSet, QuestionSetStatus, Response, ResponseStatus


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
            messages.error(request, _refusal(question_set, response))
            return redirect("survey:fill", edition=edition)
        return _render_readonly(request, question_set, response, code, staff=False)

    catalogue = Catalogue.load(question_set)
    if request.method == "GET" and request.GET.get("step") == "confirm" and response is not None:
        return _render_confirm(request, question_set, response, catalogue)
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
    if action not in ("save", "submit", "confirm"):
        return HttpResponseBadRequest(_("Unknown action."))
    version = _version(request)
    if version is None:
        return HttpResponseBadRequest(_("The form is incomplete; reload the page."))
    if action == "confirm":
        return _confirm(request, question_set, catalogue, version)
    submit = action == "submit"
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
            current.save()
            services.write_answers(current, catalogue.questions, form.values())
    except _ConflictError as conflict:
        return _conflict(request, question_set, conflict.current, form, version)
    except IntegrityError:  # someone created the response at the same moment
        latest = Response.objects.filter(question_set=question_set, municipality_code=code).first()
        return _conflict(request, question_set, latest, form, version)
    if submit:  # saved as a draft; submitting takes a second, confirming POST
        return redirect(reverse("survey:fill", args=[edition]) + "?step=confirm")
    messages.success(
        request,
        _("Your answers have been saved. You can continue later, also from another device."),
    )
    return redirect("survey:fill", edition=edition)


def _refusal(question_set: QuestionSet, response: Response | None) -> str:
    """Why answers are refused: submitted already, past the closing date, or not open."""
    if response is not None and response.is_submitted:
        return _("This questionnaire can no longer be changed.")
    if question_set.is_past_deadline:
        return _(
            "This questionnaire closed on %(day)s: answers can no longer be saved or submitted."
            " Ask the programme if you need more time."
        ) % {"day": date_format(question_set.closes_on, "j F Y")}
    return _("This questionnaire is not open.")


def _unanswered(catalogue: Catalogue, answers: dict[str, object]) -> list[dict[str, Any]]:
    """Questions that apply to the answers but have none, per section, for the confirm page."""
    return [
        {"section": section, "questions": missing}
        for section, questions in catalogue.sections
        if (
            missing := [
                q for q in questions if q.code not in answers and catalogue.applies(q, answers)
            ]
        )
    ]


def _render_confirm(
    request: HttpRequest, question_set: QuestionSet, response: Response, catalogue: Catalogue
) -> HttpResponse:
    answers = services.answers_of(response)
    return render(
        request,
        "survey/confirm.html",
        {
            "question_set": question_set,
            "response": response,
            "municipality_name": _municipality_name(
                question_set.edition, response.municipality_code
            ),
            "unanswered": _unanswered(catalogue, answers),
            "answered": len(answers),
            "version": response.version,
        },
    )


def _confirm(
    request: HttpRequest, question_set: QuestionSet, catalogue: Catalogue, version: int
) -> HttpResponse:
    """Submit the saved answers, after the confirmation page, if they still pass every check."""
    user = _user(request)
    code = user.municipality_code
    back = redirect("survey:fill", edition=question_set.edition)
    with transaction.atomic():
        current = (
            Response.objects.select_for_update()
            .filter(question_set=question_set, municipality_code=code)
            .first()
        )
        if current is None or current.is_submitted or current.version != version:
            messages.error(
                request,
                _(
                    "The questionnaire was NOT submitted: it was changed or submitted by someone"
                    " else after you opened it. Check the answers and submit again."
                ),
            )
            return back
        answers = services.answers_of(current)
        form = ResponseForm(
            catalogue,
            {
                q.code: to_initial(q, answers[q.code])
                for q in catalogue.questions
                if q.code in answers
            },
            submit=True,
            impuls=services.has_impuls(question_set.edition, code),
        )
        if not form.is_valid():
            messages.error(
                request,
                _("The questionnaire was NOT submitted: some answers need attention first."),
            )
            return back
        current.status = ResponseStatus.SUBMITTED
        current.submitted_by = user
        current.submitted_at = timezone.now()
        current.updated_by = user
        current.version += 1
        current.save()
    messages.success(request, _("Thank you. The questionnaire has been submitted."))
    return back


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


#: Room for the multipart envelope around the file in a request's Content-Length.
UPLOAD_OVERHEAD = 64 * 1024


@login_required
@require_http_methods(["GET", "POST"])
def import_responses(request: HttpRequest, edition: int) -> HttpResponse:
    """Upload a CSV or Excel file in the export layout: check it and preview what would change.

    Nothing is written here; a valid file is kept on the server and written by
    ``import_confirm``. The request's size is checked before its body is parsed.
    """
    user = _staff(request)
    question_set = get_object_or_404(QuestionSet, edition=edition)
    limits = imports.limits_for(question_set)
    context: dict[str, Any] = {
        "question_set": question_set,
        "problems": [],
        "max_size": reading.human_size(limits.max_bytes),
    }
    if request.method == "GET":
        return render(request, "survey/import.html", context)
    declared = _content_length(request)
    too_big = reading.size_problem(max(declared - UPLOAD_OVERHEAD, 0), limits)
    if too_big:
        context["problems"] = [too_big]
        return render(request, "survey/import.html", context, status=413)
    upload = request.FILES.get("file")
    if upload is None:
        context["problems"] = [_("Choose a file to import.")]
        return render(request, "survey/import.html", context, status=400)
    context["filename"] = upload.name or ""
    too_big = reading.size_problem(upload.size or 0, limits)
    if too_big:
        context["problems"] = [too_big]
        return render(request, "survey/import.html", context, status=413)
    checked = imports.check_file(question_set, upload.read(limits.max_bytes + 1))
    if not checked.ok:
        context["problems"] = imports.problems_text(checked.problems)
        return render(request, "survey/import.html", context, status=400)
    token = pending.store(
        request.session,
        pending.PendingImport(
            edition=edition,
            user_id=user.pk,
            filename=context["filename"],
            checked=checked,
            expected=imports.versions(question_set, checked),
            created=time.time(),
        ),
    )
    context |= {
        "token": token,
        "preview": imports.preview(question_set, checked),
        "expiry_minutes": pending.EXPIRY_SECONDS // 60,
    }
    return render(request, "survey/import_preview.html", context)


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


@login_required
@require_POST
def import_confirm(request: HttpRequest, edition: int) -> HttpResponse:
    """Write (or discard) the previewed import under the posted token; all rows or nothing."""
    user = _staff(request)
    question_set = get_object_or_404(QuestionSet, edition=edition)
    found = pending.take(request.session, request.POST.get("token", ""), edition, user.pk)
    if request.POST.get("action") == "cancel":
        messages.info(request, _("The import was cancelled; nothing was written."))
        return redirect("survey:import", edition=edition)
    if found is None:
        messages.error(
            request,
            _(
                "This preview has expired or was used already; nothing was written. Upload the"
                " file again."
            ),
        )
        return redirect("survey:import", edition=edition)
    try:
        created, updated = imports.write(question_set, found.checked, user, found.expected)
    except imports.StaleImportError as stale:
        messages.error(
            request,
            _(
                "Nothing was imported: responses changed after the preview (%(codes)s). Upload"
                " the file again to see the current differences."
            )
            % {"codes": ", ".join(stale.codes[:10])},
        )
        return redirect("survey:import", edition=edition)
    messages.success(
        request,
        _("Imported %(n)s responses (%(c)s new, %(u)s replaced), all as submitted.")
        % {"n": created + updated, "c": created, "u": updated},
    )
    return redirect("survey:status", edition=edition)


@login_required
@require_POST
def deadline(request: HttpRequest, edition: int) -> HttpResponse:
    """Programme staff move the closing date (extend, or reopen a questionnaire past it)."""
    _staff(request)
    question_set = get_object_or_404(QuestionSet, edition=edition)
    back = redirect("survey:status", edition=edition)
    try:
        closes_on = date.fromisoformat(request.POST.get("closes_on", "").strip())
    except ValueError:
        messages.error(request, _("Enter the closing date as yyyy-mm-dd."))
        return back
    if closes_on < question_set.opens_on:
        messages.error(
            request,
            _("The closing date cannot be before the opening date (%(day)s).")
            % {"day": date_format(question_set.opens_on, "j F Y")},
        )
        return back
    question_set.closes_on = closes_on
    question_set.save(update_fields=["closes_on"])
    messages.success(
        request,
        _("The questionnaire now closes on %(day)s.") % {"day": date_format(closes_on, "j F Y")},
    )
    return back

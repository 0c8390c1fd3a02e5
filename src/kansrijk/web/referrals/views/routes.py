"""Client routes as the user's coalition uses them: the shipped base routes and the
coalition's local variants, which a municipality's coordinator edits (titles, steps and entry
criteria; each save is a new version that keeps its link to the base version). Routes hold no
client data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kansrijk.coordination import routes as core
from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.care.views.common import route_view
from kansrijk.web.care.vocabulary import english, flag_label
from kansrijk.web.coalitions.models import Coalition
from kansrijk.web.referrals import coalition as coalitions
from kansrijk.web.referrals.forms import (
    EntryCriterionFormSet,
    RouteStepFormSet,
    RouteVariantForm,
    entry_criteria,
)
from kansrijk.web.referrals.models import LocalRoute

ROUTE_ROLES = frozenset({Role.PROFESSIONAL, Role.COORDINATOR})


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if user.role not in ROUTE_ROLES or user.organisation is None:
        raise PermissionDenied
    return user


def _coalition(request: HttpRequest, user: User) -> Coalition | None:
    """The coalition chosen with ``?coalition=`` among the user's, else their first."""
    mine = coalitions.coalitions_for(user.organisation, timezone.localdate()).order_by("pk")
    chosen = request.GET.get("coalition", "")
    if chosen.isdigit():
        found = mine.filter(pk=int(chosen)).first()
        if found is None:
            raise Http404
        return found
    return mine.first()


def _may_edit(user: User, coalition: Coalition | None) -> bool:
    """A coordinator of a municipality in the coalition."""
    org = user.organisation
    return (
        coalition is not None
        and user.role == Role.COORDINATOR
        and org is not None
        and org.type == OrganisationType.MUNICIPALITY
        and coalitions.coalitions_of(org.municipality_code, timezone.localdate())
        .filter(pk=coalition.pk)
        .exists()
    )


@require_GET
@login_required
def route_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    coalition = _coalition(request, user)
    rows = []
    if coalition is not None:
        rows = [
            (route_view(base), variant) for base, variant in coalitions.coalition_routes(coalition)
        ]
    else:
        rows = [(route_view(base), None) for base in core.latest(core.BASE_ROUTES)]
    context = {
        "coalition": coalition,
        "coalitions": coalitions.coalitions_for(user.organisation, timezone.localdate()),
        "rows": rows,
    }
    return render(request, "referrals/routes.html", context)


def _base(code: str) -> core.Route:
    try:
        return core.route(code)
    except KeyError:
        raise Http404 from None


def _criteria(route: core.Route) -> list[str]:
    """A route's entry criteria as sentences in the active language."""
    en = english()
    return [c.text_en if en else c.text_nl for c in route.entry]


def _flag_choices() -> list[tuple[str, str]]:
    """The flags a screening can raise, with their readable labels, for the criterion form."""
    return sorted(((f, flag_label(f)) for f in core.screening_flags()), key=lambda c: c[1])


def _entry_initial(route: core.Route) -> list[dict[str, Any]]:
    """A route's criteria as the rows of the entry formset (kind, and flag or number)."""
    rows: list[dict[str, Any]] = []
    for stored in core.criteria_to_dicts(route.entry):
        ((kind, value),) = stored.items()
        if kind == "flag":
            rows.append({"kind": kind, "flag": value})
        elif kind == "status_holder":
            rows.append({"kind": kind})
        else:
            rows.append({"kind": kind, "number": value})
    return rows


@require_GET
@login_required
def route_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    coalition = _coalition(request, user)
    base = _base(code)
    history = (
        list(LocalRoute.objects.filter(coalition=coalition, code=code).select_related("created_by"))
        if coalition is not None
        else []
    )
    current = history[0].route() if history else None
    context = {
        "coalition": coalition,
        "base": route_view(base),
        "base_criteria": _criteria(base),
        "current": route_view(current) if current is not None else None,
        "current_criteria": _criteria(current) if current is not None else [],
        "history": history,
        "may_edit": _may_edit(user, coalition),
    }
    return render(request, "referrals/route.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def route_variant(request: HttpRequest, code: str) -> HttpResponse:
    """Edit the coalition's variant of route ``code`` (starting from its latest variant, or
    from the base route); saving stores a new version."""
    user = _user(request)
    coalition = _coalition(request, user)
    if coalition is None or not _may_edit(user, coalition):
        raise PermissionDenied
    base = _base(code)
    latest = LocalRoute.objects.filter(coalition=coalition, code=code).order_by("-version").first()
    start = latest.route() if latest is not None else base
    initial_steps = [
        {
            "title_nl": s.title_nl,
            "title_en": s.title_en,
            "partner_type": s.partner_type.value,
            "response_days": s.response_days,
            "shares": s.shares.value,
        }
        for s in start.steps
    ]
    form = RouteVariantForm(
        request.POST or None, initial={"title_nl": start.title_nl, "title_en": start.title_en}
    )
    steps = RouteStepFormSet(request.POST or None, initial=initial_steps, prefix="step")
    entry = EntryCriterionFormSet(
        request.POST or None,
        initial=_entry_initial(start),
        prefix="entry",
        form_kwargs={"flags": _flag_choices()},
    )
    error = ""
    valid = [f.is_valid() for f in (form, steps, entry)]  # every form, so all errors show
    if request.method == "POST" and all(valid):
        kept = [s for s in steps.cleaned_data if s and s.get("title_nl")]
        stored = [
            {
                "order": i,
                "title_nl": s["title_nl"],
                "title_en": s["title_en"] or s["title_nl"],
                "partner_type": s["partner_type"],
                "response_days": s["response_days"],
                "shares": s["shares"],
            }
            for i, s in enumerate(kept, start=1)
        ]
        try:
            variant = coalitions.save_variant(
                coalition,
                base,
                user,
                form.cleaned_data["title_nl"],
                form.cleaned_data["title_en"],
                stored,
                entry_criteria(entry),
            )
        except core.RouteError as problem:
            error = str(problem)
        else:
            messages.success(
                request,
                _("Version %(version)s of the local route has been saved.")
                % {"version": variant.version},
            )
            target = reverse("care:route", args=[code])
            return redirect(f"{target}?coalition={coalition.pk}")
    context = {
        "coalition": coalition,
        "base": route_view(base),
        "form": form,
        "steps": steps,
        "entry": entry,
        "error": error,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/route_variant.html", context, status=status)

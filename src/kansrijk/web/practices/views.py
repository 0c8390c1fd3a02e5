"""The practice library's pages, under /practices/ in the ``practices`` namespace.

The role policy (``web/policy.py``: ``practices.view``, ``practices.edit``) admits the roles;
``services`` decides which practice a user sees (published ones, and their own coalition's
drafts) and changes (their own coalition's). Practices hold no client data: no audit entries,
django-simple-history keeps their changes.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansrijk.indicators.catalogue import CATALOGUE
from kansrijk.web.accounts.models import User
from kansrijk.web.coalitions.models import Coalition
from kansrijk.web.practices import services
from kansrijk.web.practices.forms import (
    FilterForm,
    PracticeForm,
    english,
    route_title,
)
from kansrijk.web.practices.models import Practice, Status

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- The library -------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Published practices (and the user's own coalition's drafts) with search and filters."""
    user = _user(request)
    form = FilterForm(request.GET or None)
    practices = services.visible(user)
    published = services.monitor_publication()
    size_unavailable = False
    if form.is_valid():
        d = form.cleaned_data
        practices = services.search(practices, d.get("q") or "")
        if d.get("phase"):
            practices = practices.filter(phase=d["phase"])
        if d.get("theme"):
            practices = practices.filter(theme=d["theme"])
        if d.get("intervention") is not None:
            practices = practices.filter(intervention=d["intervention"])
        if d.get("size"):
            if published is None or not published.classes():
                size_unavailable = True
            else:
                codes = services.size_class_codes(published, int(d["size"]))
                practices = services.in_municipalities(practices, codes)
    page = Paginator(practices.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "size_unavailable": size_unavailable,
        "may_create": services.may_edit_any(user) and services.coalitions_of(user).exists(),
        "mine": set(services.coalitions_of(user).values_list("pk", flat=True)),
    }
    return render(request, "practices/index.html", context)


def _chosen_coalition(request: HttpRequest, user: User) -> Coalition | None:
    """``?coalition=`` (any coalition: the page shows published practices only), else the
    user's first coalition."""
    chosen = request.GET.get("coalition", "")
    if chosen:
        if not chosen.isdigit():
            raise Http404
        found = Coalition.objects.filter(pk=int(chosen)).first()
        if found is None:
            raise Http404
        return found
    return services.coalitions_of(user).first()


@require_GET
def like_mine(request: HttpRequest) -> HttpResponse:
    """Published practices of the coalitions in the comparison group of the user's coalition
    (the local monitor's group, ``services.like_mine``)."""
    user = _user(request)
    coalition = _chosen_coalition(request, user)
    published = services.monitor_publication()
    context: dict[str, object] = {
        "coalition": coalition,
        "mine": services.coalitions_of(user),
        "coalitions": Coalition.objects.filter(memberships__isnull=False)
        .distinct()
        .order_by("name"),
        "monitor_missing": published is None,
        "practices": [],
        "groups": [],
    }
    if coalition is not None and published is not None:
        likeness, practices = services.like_mine(user, coalition, published)
        context["groups"] = likeness.groups
        context["similar"] = sorted(likeness.municipalities)
        context["practices"] = practices.order_by("coalition__name", "title")
    return render(request, "practices/like_mine.html", context)


@require_GET
def detail(request: HttpRequest, practice_pk: int) -> HttpResponse:
    user = _user(request)
    practice = services.practice_for(user, practice_pk)
    en = english()
    titles = {d.id: d.title_en if en else d.title_nl for d in CATALOGUE}
    context = {
        "practice": practice,
        "partners": practice.partners.order_by("name"),
        "route": route_title(practice.client_route) if practice.client_route else "",
        "indicators": [(i, titles.get(i, "")) for i in practice.indicators],
        "may_edit": services.may_edit(user, practice),
    }
    return render(request, "practices/detail.html", context)


# --- Changing ----------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: PracticeForm, title: str, practice: Practice | None
) -> HttpResponse:
    context = {"form": form, "title": title, "practice": practice}
    return render(request, "practices/form.html", context)


@GET_POST
def new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    coalitions = services.coalitions_of(user)
    form = PracticeForm(request.POST or None, coalitions=coalitions)
    if not coalitions.exists():
        return render(request, "practices/no_coalition.html", status=200)
    if request.method == "POST" and form.is_valid():
        practice = services.save(user, form.fields_data())
        messages.success(request, _("The practice was saved as a draft."))
        return redirect("practices:detail", practice_pk=practice.pk)
    return _form_page(request, form, _("New practice"), None)


@GET_POST
def edit(request: HttpRequest, practice_pk: int) -> HttpResponse:
    user = _user(request)
    practice = services.practice_to_edit(user, practice_pk)
    initial = {
        "coalition": practice.coalition,
        "title": practice.title,
        "problem": practice.problem,
        "activity": practice.activity,
        "results": practice.results,
        "phase": practice.phase,
        "theme": practice.theme,
        "partners": list(practice.partners.all()),
        "intervention": practice.intervention,
        "client_route": practice.client_route,
        "indicators": practice.indicators,
        "contact_user": practice.contact_user,
        "contact_address": practice.contact_address,
    }
    form = PracticeForm(
        request.POST or None, initial=initial, coalitions=services.coalitions_of(user)
    )
    if request.method == "POST" and form.is_valid():
        services.save(user, form.fields_data(), practice)
        messages.success(request, _("The practice was saved."))
        return redirect("practices:detail", practice_pk=practice.pk)
    return _form_page(request, form, _("Change practice"), practice)


@require_POST
def publish(request: HttpRequest, practice_pk: int) -> HttpResponse:
    practice = services.practice_to_edit(_user(request), practice_pk)
    services.set_status(_user(request), practice, Status.PUBLISHED)
    messages.success(request, _("The practice was published: every platform user can find it."))
    return redirect("practices:detail", practice_pk=practice.pk)


@require_POST
def unpublish(request: HttpRequest, practice_pk: int) -> HttpResponse:
    practice = services.practice_to_edit(_user(request), practice_pk)
    services.set_status(_user(request), practice, Status.DRAFT)
    messages.success(request, _("The practice is a draft again: only your coalition sees it."))
    return redirect("practices:detail", practice_pk=practice.pk)

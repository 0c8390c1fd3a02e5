"""The monitor's pages, charts and downloads.

Who may see what (checked here, on the server):

- every signed-in user (second factor verified where required, as everywhere) may see any
  municipality's local monitor, its comparison with other municipalities and its downloads:
  they are published aggregates that passed disclosure control;
- the national dashboard (and its breakdown charts) is for national programme staff, monitor
  analysts and administrators; others get 403.

Pages read the published run (`store.current`) and never compute on load: the page fragments
are rendered once per (run, municipality, language) and kept in the run's cache, specs and
downloads likewise. Only the programme status (from the database) is added per request, from
its own short-lived cache.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Final, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kansrijk.report.labels import Lang
from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import Role
from kansrijk.web.monitor import downloads, presentation, specs, store
from kansrijk.web.monitor.status import cached_programme_status

#: Roles that see the national dashboard (besides superusers).
NATIONAL_ROLES: Final = frozenset({Role.PROGRAMME_STAFF, Role.MONITOR_ANALYST, Role.ADMINISTRATOR})
#: Specs, boundaries and the script bundle have the run or version in their URL: keep them.
IMMUTABLE: Final = "private, max-age=31536000, immutable"

F = TypeVar("F", bound=Callable[..., HttpResponse])


def can_see_national(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", "") in NATIONAL_ROLES)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


def unavailable(request: HttpRequest, error: store.MonitorUnavailable) -> HttpResponse:
    """The page shown when there is no run to show: what to do about it, never a 500."""
    response = render(
        request,
        "monitor/unavailable.html",
        {
            "reason": error.reason,
            "directory": str(error.directory),
            "detail": error.detail,
            "staff": can_see_national(request.user),
        },
        status=200 if error.reason == store.MISSING else 503,
    )
    if error.reason == store.UPDATING:
        response["Retry-After"] = "30"
    return response


def with_run(view: F) -> F:
    """Pass the current run to the view, or show why there is none."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            run = store.current()
        except store.MonitorUnavailable as error:
            return unavailable(request, error)
        return view(request, run, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _municipality(run: store.Run, code: str) -> str:
    code = code.upper()
    try:
        region = run.published.region(code)
    except KeyError:
        raise Http404(
            _("There is no municipality %(code)s in this monitor.") % {"code": code}
        ) from None
    if region.type != "gemeente":
        raise Http404(_("There is no municipality %(code)s in this monitor.") % {"code": code})
    return code


def _fragments(
    run: store.Run, key: tuple[str, str, str], build: Callable[[], dict[str, str]]
) -> dict[str, SafeString]:
    fragments = run.pages.get_or_build(key, build)
    return {name: mark_safe(html) for name, html in fragments.items()}  # rendered by us


def _common(run: store.Run) -> dict[str, Any]:
    return {"bundle_version": specs.bundle_version(), "run_id": run.run_id}


@login_required
@require_GET
@with_run
def index(request: HttpRequest, run: store.Run) -> HttpResponse:
    """Pick a municipality; a user of a municipality goes straight to their own."""
    user = _user(request)
    choices = presentation.municipality_choices(run.published)
    codes = {code for code, _name in choices}
    wanted = request.GET.get("gemeente", "").strip().upper()
    own = user.municipality_code if user.municipality_code in codes else ""
    error = ""
    if wanted:
        if wanted in codes:
            return redirect("monitor:local", code=wanted)
        error = _("Choose a municipality from the list.")
    elif own and "kies" not in request.GET:
        return redirect("monitor:local", code=own)
    return render(
        request,
        "monitor/index.html",
        {
            **_common(run),
            "choices": choices,
            "selected": own,
            "error": error,
            "national": can_see_national(user),
            "own": own,
            "synthetic": presentation.synthetic(run.published),
        },
        status=400 if error else 200,
    )


def _render_local(run: store.Run, code: str, lang: Lang) -> dict[str, str]:
    page = presentation.local_page(run.published, code, lang)
    context = {
        "page": page,
        "choices": presentation.municipality_choices(run.published),
    }
    return {
        "head": render_to_string("monitor/_local_head.html", context),
        "body": render_to_string("monitor/_local_body.html", context),
        "tail": render_to_string("monitor/_local_tail.html", context),
    }


def _render_map(run: store.Run, code: str, indicator_id: str, lang: Lang) -> dict[str, str]:
    section = presentation.map_section(run.published, code, indicator_id, lang)
    context = {
        "page": section,
        "boundaries_url": reverse("monitor:boundaries", args=[section.boundaries_year]),
    }
    return {"map": render_to_string("monitor/_local_map.html", context)}


@login_required
@require_GET
@with_run
def local(request: HttpRequest, run: store.Run, code: str) -> HttpResponse:
    """A municipality's local dashboard."""
    canonical = _municipality(run, code)
    if canonical != code:
        return redirect("monitor:local", code=canonical)
    lang = presentation.language()
    fragments = _fragments(run, ("local", code, lang), lambda: _render_local(run, code, lang))
    indicators = [d.id for d in run.published.indicators]
    map_indicator = request.GET.get("kaart", "")
    if map_indicator not in indicators:
        map_indicator = indicators[0]
    map_fragment = _fragments(
        run,
        (f"map:{map_indicator}", code, lang),
        lambda: _render_map(run, code, map_indicator, lang),
    )
    status = cached_programme_status(code, run.published.latest_year)
    name = run.published.region(code).name
    return render(
        request,
        "monitor/local.html",
        {
            **_common(run),
            **fragments,
            **map_fragment,
            "name": name,
            "code": code,
            "status": status,
            "national": can_see_national(request.user),
        },
    )


def _table(run: store.Run, indicator_id: str, lang: Lang) -> presentation.MunicipalTable:
    return presentation.municipal_table(run.published, indicator_id, lang)


def _render_table(run: store.Run, indicator_id: str, lang: Lang) -> dict[str, str]:
    table = _table(run, indicator_id, lang)
    context = {"page": table, "table_id": "municipalities"}
    return {
        "table": render_to_string("monitor/_municipal_table.html", context),
        "about": render_to_string("monitor/_about.html", {"run": table.run}),
    }


def _render_compare(run: store.Run, code: str, indicator_id: str, lang: Lang) -> dict[str, str]:
    page = presentation.compare_page(
        run.published, code, indicator_id, lang, _table(run, indicator_id, lang)
    )
    context = {
        "page": page,
        "boundaries_url": reverse("monitor:boundaries", args=[page.boundaries_year]),
    }
    return {"head": render_to_string("monitor/_compare_head.html", context)}


@login_required
@require_GET
@with_run
def compare(request: HttpRequest, run: store.Run, code: str, indicator_id: str) -> HttpResponse:
    """One indicator for all municipalities: funnel plot, map and table, ``code`` highlighted."""
    code = _municipality(run, code)
    try:
        indicator = run.published.indicator(indicator_id)
    except KeyError:
        raise Http404(_("This monitor has no indicator %(id)s.") % {"id": indicator_id}) from None
    lang = presentation.language()
    fragments = _fragments(
        run,
        (f"compare:{indicator.id}", code, lang),
        lambda: _render_compare(run, code, indicator.id, lang),
    )
    fragments |= _fragments(
        run, (f"table:{indicator.id}", "", lang), lambda: _render_table(run, indicator.id, lang)
    )
    return render(
        request,
        "monitor/compare.html",
        {
            **_common(run),
            **fragments,
            "name": run.published.region(code).name,
            "code": code,
            "title": indicator.title_nl if lang == "nl" else indicator.title_en,
        },
    )


def _render_national(run: store.Run, lang: Lang) -> dict[str, str]:
    page = presentation.national_page(run.published, lang)
    return {"body": render_to_string("monitor/_national_body.html", {"page": page})}


@login_required
@require_GET
@with_run
def national(request: HttpRequest, run: store.Run) -> HttpResponse:
    """The national dashboard: programme staff, monitor analysts and administrators."""
    if not can_see_national(request.user):
        raise PermissionDenied(_("The national dashboard is for national programme staff."))
    lang = presentation.language()
    fragments = _fragments(run, ("national", "", lang), lambda: _render_national(run, lang))
    return render(request, "monitor/national.html", {**_common(run), **fragments})


def _attachment(blob: store.Blob, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(blob.raw, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(blob.raw))
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
@with_run
def download(request: HttpRequest, run: store.Run, code: str, fmt: str) -> HttpResponse:
    """A municipality's figures as Excel, CSV or FHIR MeasureReports (JSON)."""
    code = _municipality(run, code)
    if fmt not in downloads.MUNICIPAL:
        raise Http404(_("Unknown download format."))
    blob = downloads.municipal(run, code, fmt, presentation.language())
    return _attachment(
        blob,
        downloads.municipal_filename(run.published, code, fmt),
        downloads.MUNICIPAL[fmt].content_type,
    )


@login_required
@require_GET
@with_run
def results(request: HttpRequest, run: store.Run, name: str) -> HttpResponse:
    """The whole run's results table (Parquet or CSV)."""
    if name not in downloads.FULL:
        raise Http404(_("Unknown download format."))
    blob = downloads.full(run, name)
    return _attachment(
        blob, downloads.full_filename(run.published, name), downloads.FULL[name].content_type
    )


def _bytes(request: HttpRequest, blob: store.Blob, content_type: str) -> HttpResponse:
    """Serve cached bytes, gzipped when the client accepts it, cached for good."""
    accepts = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    if blob.gzipped is not None and accepts:
        response = HttpResponse(blob.gzipped, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(blob.raw, content_type=content_type)
    response["Cache-Control"] = IMMUTABLE
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@login_required
@require_GET
@with_run
def spec(
    request: HttpRequest,
    run: store.Run,
    run_id: str,
    lang: str,
    kind: str,
    indicator_id: str,
    region: str,
) -> HttpResponse:
    """One chart's Vega-Lite spec (JSON) of the current run."""
    if run_id != run.run_id or lang not in ("nl", "en") or kind not in specs.KINDS:
        raise Http404(_("This chart is not part of the current monitor run."))
    if kind in specs.NATIONAL_KINDS and not can_see_national(request.user):
        raise PermissionDenied
    try:
        blob = specs.spec(run, kind, indicator_id, region, "en" if lang == "en" else "nl")
    except KeyError:
        raise Http404(_("This chart is not part of the current monitor run.")) from None
    return _bytes(request, blob, "application/json")


@login_required
@require_GET
def boundaries(request: HttpRequest, year: int) -> HttpResponse:
    """The municipal boundaries (GeoJSON features) the maps read."""
    try:
        blob = specs.boundaries(year)
    except (ValueError, KeyError, FileNotFoundError):
        raise Http404(_("No boundaries for this year.")) from None
    return _bytes(request, blob, "application/json")


@require_GET
def bundle(request: HttpRequest, version: str) -> HttpResponse:
    """The offline vega-embed bundle that draws the charts (no CDN)."""
    if version != specs.bundle_version():
        return redirect("monitor:bundle", version=specs.bundle_version())
    return _bytes(request, specs.bundle(), "text/javascript; charset=utf-8")

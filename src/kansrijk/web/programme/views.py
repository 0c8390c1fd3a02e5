"""The programme indicators page, its downloads and the staff's "Recompute" action.

The page reads what was published (never computes on page load); "Recompute" (programme staff
only, POST) computes from the database and publishes through the publication gate
(`kansrijk.publication`); everything shown or served is read back through its one reader.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kansrijk.publication import DisclosureError, ResultsError
from kansrijk.web.programme import services
from kansrijk.web.programme.presentation import sections

log = logging.getLogger(__name__)


@login_required
@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    try:
        publication = services.load_publication()
    except (DisclosureError, ResultsError):  # not as the gate wrote it: show nothing of it
        log.exception("the published programme indicators do not pass the gate's checks")
        publication = None
    language = translation.get_language() or "nl"
    manifest = dict(publication.manifest) if publication is not None else {}
    created = manifest.get("published")
    return render(
        request,
        "programme/indicators.html",
        {
            "published": publication is not None,
            "sections": (
                sections(publication.results.to_pylist(), manifest, language)
                if publication is not None
                else []
            ),
            "created": parse_datetime(created) if isinstance(created, str) else None,
            "run_id": manifest.get("run_id", ""),
            "downloads": services.download_formats(publication) if publication else [],
            "can_recompute": bool(getattr(request.user, "is_programme_staff", False)),
        },
    )


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_programme_staff", False):
        raise PermissionDenied
    try:
        services.publish_programme_indicators()
    except (DisclosureError, LookupError, ValueError) as error:  # data or definitions
        log.exception("publishing the programme indicators failed")
        messages.error(
            request,
            _("The programme indicators could not be computed: %(error)s") % {"error": error},
        )
    except Exception:  # a fault: keep the page, the details go to the log only
        log.exception("publishing the programme indicators failed")
        messages.error(
            request,
            _("The programme indicators could not be computed because of an internal error."),
        )
    else:
        messages.success(request, _("The programme indicators have been recomputed and published."))
    return redirect("programme:indicators")


@login_required
@require_GET
def download(request: HttpRequest, fmt: str) -> FileResponse:
    try:
        path = services.download_path(fmt)
    except (DisclosureError, ResultsError):
        log.exception("a programme download does not pass the gate's checks")
        path = None
    if path is None:
        raise Http404(_("Nothing has been published in this format."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"kansrijk-programme-indicators.{services.DOWNLOADS[fmt][0]}",
        content_type=services.DOWNLOADS[fmt][1],
    )

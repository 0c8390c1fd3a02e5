"""Site-wide pages: the overview after login, a health check and the error pages."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "kansrijk/home.html")


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and `kansrijk serve`: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's login: the two-factor login for visitors, 403 for signed-in non-staff.

    (Django's admin sends signed-in users without staff rights to its login page; sending them
    on to our login would bounce them back, so they get an explicit "no access" instead.)
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('accounts:login')}{'?' + query if query else ''}")


# Error pages: Dutch first, in the site's layout. Each handler makes sure the page can render
# when the error struck before the authentication middleware (a disallowed host answers 400
# from CommonMiddleware), and the 500 page falls back to plain HTML when even the layout fails
# (the database down: the header asks it for the user).


def _error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a request the app cannot handle (e.g. an unknown host name)."""
    return _error_page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the role may not use this page."""
    return _error_page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: no such page (or one whose existence is not revealed)."""
    return _error_page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: the details go to the server log, never to the page."""
    try:
        return _error_page(request, "500.html", 500)
    except Exception:  # the layout itself failed: a page without it
        logger.exception("the 500 page could not be rendered in the site's layout")
        title = gettext("Something went wrong")
        text = gettext(
            "The server could not handle this request. The error has been logged; please "
            "try again later."
        )
        return HttpResponseServerError(
            format_html(
                '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><title>{} · Kansrijk'
                "</title></head><body><main><h1>{}</h1><p>{}</p></main></body></html>",
                get_language() or "nl",
                title,
                title,
                text,
            )
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form that failed the CSRF check (expired page, cookies off, another site).
    The reason goes to the log (Django's ``django.security.csrf``), not to the page."""
    return _error_page(request, "403_csrf.html", 403)

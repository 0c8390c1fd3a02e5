"""Site-wide pages: the overview after login and a health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse


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

"""Log refusals of care URLs that no view saw.

``@care_view`` logs every refusal a care view raises. A request whose path matches no route
(an id of more than 18 digits, a mistyped path) is refused by URL resolution before any view
runs, so this middleware writes the denied audit entry for it: any 404 on a ``/care/`` path for
a signed-in user that did not reach a view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from kansrijk.web.audit import log as audit
from kansrijk.web.audit.log import DENIED
from kansrijk.web.audit.models import AuditAction, AuditPurpose

#: The request attribute set once URL resolution found a view.
_RESOLVED = "_kansrijk_view_resolved"
#: AuditEvent.detail holds 200 characters.
_DETAIL_LENGTH = 200
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UnresolvedCareRefusalMiddleware:
    """Write a denied audit entry for a 404 on a care path that matched no route."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and not getattr(request, _RESOLVED, False)
            and request.path_info.startswith(reverse("care:caseload"))
        ):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                record_unresolved(request)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        setattr(request, _RESOLVED, True)


def record_unresolved(request: HttpRequest) -> None:
    """The denied entry: no client (the path named none that exists), the path as detail."""
    detail = f"no route: {request.method} {request.path_info}"
    if len(detail) > _DETAIL_LENGTH:
        detail = detail[: _DETAIL_LENGTH - 1] + "…"
    audit.record(
        action=AuditAction.READ if request.method in _SAFE_METHODS else AuditAction.UPDATE,
        user=request.user,  # type: ignore[arg-type]
        purpose=AuditPurpose.CARE,
        flags=DENIED,
        detail=detail,
    )

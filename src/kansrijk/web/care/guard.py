"""The one door to client data: ``@care_view`` wraps every care page.

It signs the user in (login), builds the request's ``Access`` (the policy decision point),
refuses roles the page is not for (403, logged), logs every refusal a view raises (404 for a
client the user may not see, 403 for an action they may not take) and fails the request when a
view returned without writing a single audit entry, so no page can forget to log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import update_wrapper
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from kansrijk.web.accounts.models import User
from kansrijk.web.audit import log as audit
from kansrijk.web.audit.log import DENIED, Flags
from kansrijk.web.audit.models import AuditAction, AuditPurpose
from kansrijk.web.care.access import Access, Grant
from kansrijk.web.care.models import Client

P = ParamSpec("P")


class MissingAuditError(RuntimeError):
    """A care view answered without logging anything."""


class Trail:
    """The audit entries of one request."""

    def __init__(self, access: Access, action: str, purpose: str, view: str) -> None:
        self.access = access
        self.action = action
        self.purpose = purpose
        self.view = view
        self.written = 0
        #: The client a refused request was about (views set it when the URL names another
        #: object, such as a referral).
        self.client_id: int | None = None

    @property
    def user(self) -> User:
        return self.access.user

    def log(
        self,
        *,
        flags: Flags,
        action: str | None = None,
        client_id: int | None = None,
        categories: Iterable[str] = (),
        purpose: str | None = None,
        detail: str = "",
    ) -> None:
        audit.record(
            action=action or self.action,
            user=self.user,
            purpose=purpose or self.purpose,
            flags=flags,
            client_id=client_id,
            categories=categories,
            detail=detail or self.view,
            now=self.access.now,
        )
        self.written += 1

    def client(
        self,
        client: Client,
        grant: Grant,
        categories: Iterable[str],
        *,
        action: str | None = None,
        detail: str = "",
        purpose: str | None = None,
    ) -> None:
        """Log an access to one client, with the grant's flags."""
        shown = sorted(set(categories) & grant.categories)
        self.log(
            flags=grant.flags(),
            action=action,
            client_id=client.pk,
            categories=shown,
            detail=detail,
            purpose=purpose,
        )

    def clients(
        self, rows: Iterable[tuple[int, Flags, Iterable[str]]], *, action: str | None = None
    ) -> None:
        """Log a read of each client shown on a list (one append for all of them)."""
        entries = [
            audit.Entry(
                action or AuditAction.READ,
                self.purpose,
                flags,
                client_id,
                tuple(categories),
                self.view,
            )
            for client_id, flags, categories in rows
        ]
        audit.record_many(entries, user=self.user, now=self.access.now)
        self.written += len(entries)

    def denied(self, client_id: int | None = None) -> None:
        self.log(flags=DENIED, client_id=client_id or self.client_id)


def care_view(
    action: str,
    *,
    purpose: str = AuditPurpose.CARE,
    allow: Callable[[Access], bool] = lambda access: access.holds_client_data,
) -> Callable[
    [Callable[Concatenate[HttpRequest, Access, Trail, P], HttpResponse]],
    Callable[Concatenate[HttpRequest, P], HttpResponse],
]:
    """Wrap a view ``view(request, access, trail, **kwargs)``; see the module docstring."""

    def decorate(
        view: Callable[Concatenate[HttpRequest, Access, Trail, P], HttpResponse],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            access = Access.for_request(request)
            match = request.resolver_match
            trail = Trail(access, action, purpose, match.view_name if match else view.__name__)
            pk: Any = kwargs.get("pk")
            try:
                if not allow(access):
                    raise PermissionDenied
                response = view(request, access, trail, *args, **kwargs)
            except (PermissionDenied, Http404):
                trail.denied(pk if isinstance(pk, int) else None)
                raise
            if not trail.written:
                raise MissingAuditError(f"{trail.view} wrote no audit entry")
            return response

        update_wrapper(wrapper, view)
        return login_required(wrapper)

    return decorate

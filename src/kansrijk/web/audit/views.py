"""The audit log's pages: the client's access overview (who saw which data when, for the
right of access) and the audit log for supervision. Both are care pages (``care.guard``):
reading them is checked and logged like any other."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kansrijk.web.audit import log as audit
from kansrijk.web.audit.log import Flags
from kansrijk.web.audit.models import AuditEvent, AuditPurpose
from kansrijk.web.care.access import Access
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.views.common import (
    COORDINATION,
    IDENTITY,
    READ,
    display_name,
    may_manage,
    require,
    role_label,
    visible_client,
)

# --- Access overview for the client ------------------------------------------------------------


@require_GET
@care_view(READ, purpose=AuditPurpose.ACCOUNTABILITY)
def access_overview(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    """For the client (shown or printed by the owning organisation): which organisation and
    role saw which data when."""
    client, grant = visible_client(access, pk)
    require(may_manage(access, grant))
    events = audit.accesses_of(client.pk).reverse()[:500]
    trail.client(client, grant, [IDENTITY, COORDINATION])
    context = {
        "client": client,
        "name": display_name(client),
        "events": [(e, e.category_labels, role_label(e.role)) for e in events],
    }
    return render(request, "audit/access_overview.html", context)


# --- Audit log --------------------------------------------------------------------------------


@require_GET
@care_view(READ, purpose=AuditPurpose.SUPERVISION, allow=lambda a: a.may_read_audit_log)
def audit_log(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    """The audit log for administrators (reading it is logged too)."""
    events = AuditEvent.objects.order_by("-sequence")
    client_filter = request.GET.get("client", "").strip()
    if client_filter.isdigit():
        events = events.filter(client_id=int(client_filter))
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    trail.log(
        flags=Flags(authorised=True),
        client_id=int(client_filter) if client_filter.isdigit() else None,
        detail="audit log",
    )
    return render(request, "audit/audit_log.html", {"page": page, "client_filter": client_filter})

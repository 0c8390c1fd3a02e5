"""The JSON API on client data; the same policy decision point and audit trail as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from kansrijk.web.audit.log import Flags
from kansrijk.web.audit.models import AuditAction
from kansrijk.web.care.access import Access, Grant
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.models import Client
from kansrijk.web.care.views.common import (
    COORDINATION,
    FAMILY,
    IDENTITY,
    display_name,
    listed_flags,
    members_prefetch,
    visible_client,
)

# --- JSON API ---------------------------------------------------------------------------------


def _api_client(client: Client, grant: Grant) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": client.pk,
        "members": [
            {
                "role": m.role,
                "given_name": m.given_name,
                "family_name": m.family_name,
                "date_of_birth": m.date_of_birth.isoformat() if m.date_of_birth else None,
                "due_date": m.due_date.isoformat() if m.due_date else None,
            }
            for m in client.members.all()
        ],
        "categories": sorted(grant.categories),
    }
    if grant.may(FAMILY):
        data["family_situation"] = client.family_situation
    if grant.may(COORDINATION):
        data["referrals"] = [
            {"id": r.pk, "state": r.state, "to": r.to_organisation_id, "version": r.version}
            for r in client.referrals.all()
        ]
    data["notes"] = [
        {"category": n.category, "text": n.text, "created_at": n.created_at.isoformat()}
        for n in client.notes.all()
        if grant.may(n.category)
    ]
    return data


@require_GET
@care_view(AuditAction.EXPORT)
def api_clients(request: HttpRequest, access: Access, trail: Trail) -> JsonResponse:
    """The caseload as JSON (identity only), every client's read logged."""
    clients = list(
        access.with_relation(access.visible_clients())
        .prefetch_related(members_prefetch())
        .order_by("pk")
    )
    trail.log(flags=Flags(authorised=True), detail=f"api caseload: {len(clients)} clients")
    trail.clients(
        (
            c.pk,
            listed_flags(c),
            [IDENTITY],
        )
        for c in clients
    )
    return JsonResponse({"clients": [{"id": c.pk, "name": display_name(c)} for c in clients]})


@require_GET
@care_view(AuditAction.EXPORT)
def api_client(request: HttpRequest, access: Access, trail: Trail, pk: int) -> JsonResponse:
    client, grant = visible_client(access, pk)
    data = _api_client(client, grant)
    shown: set[str] = {IDENTITY} | ({FAMILY} if "family_situation" in data else set())
    shown |= {COORDINATION} if "referrals" in data else set()
    shown |= {n["category"] for n in data["notes"]}
    trail.client(client, grant, shown)
    return JsonResponse(data)

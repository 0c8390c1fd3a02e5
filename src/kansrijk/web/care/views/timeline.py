"""The shared record: a family's timeline across organisations (`care.timeline`), filtered by
the viewer's grant and, on request, by kind of entry."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kansrijk.web.care import timeline as records
from kansrijk.web.care.access import Access
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.views.common import (
    IDENTITY,
    READ,
    display_name,
    hidden_labels,
    visible_client,
)


@require_GET
@care_view(READ)
def timeline(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    client, grant = visible_client(access, pk)
    chosen = [k for k in request.GET.getlist("kind") if k in records.KINDS]
    entries = records.timeline(client, grant, chosen or records.KINDS)
    shown = {IDENTITY} | {c for e in entries for c in e.categories}
    trail.client(client, grant, shown, detail="timeline")
    labels = records.kind_labels()
    context = {
        "client": client,
        "name": display_name(client),
        "grant": grant,
        "entries": [(e, labels[e.kind]) for e in entries],
        "kinds": [(k, labels[k], k in chosen) for k in records.KINDS],
        "filtered": bool(chosen),
        "hidden": hidden_labels(grant),
    }
    return render(request, "care/timeline.html", context)

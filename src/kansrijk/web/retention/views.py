"""Retention holds on a family's records: the owning organisation or the care team places
one (a complaint, a request for access, a legal claim) and lifts it again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.web.audit.models import AuditPurpose
from kansrijk.web.care.access import Access
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.views.common import (
    IDENTITY,
    READ,
    UPDATE,
    display_name,
    may_manage,
    require,
    visible_client,
)
from kansrijk.web.retention import holds
from kansrijk.web.retention.forms import HoldForm
from kansrijk.web.retention.models import RetentionHold

# --- Retention holds -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@care_view(UPDATE, purpose=AuditPurpose.ACCOUNTABILITY)
def retention_holds(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    """The family's holds on retention (a complaint, a request for access, a legal claim),
    active and lifted; the owning organisation or the care team places one."""
    client, grant = visible_client(access, pk)
    require(may_manage(access, grant))
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hold = holds.place_hold(client, access.user, form.cleaned_data["reason"], access.now)
        trail.client(client, grant, [IDENTITY], detail=f"retention hold {hold.pk} placed")
        messages.success(request, _("The hold has been placed: nothing of the family expires."))
        return redirect("care:retention_holds", pk=client.pk)
    trail.client(client, grant, [IDENTITY], action=READ)
    context = {
        "client": client,
        "name": display_name(client),
        "form": form,
        "holds": RetentionHold.objects.filter(client=client).select_related(
            "organisation", "placed_by", "lifted_by"
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "retention/retention_holds.html", context, status=status)


@require_POST
@care_view(UPDATE, purpose=AuditPurpose.ACCOUNTABILITY)
def retention_hold_lift(
    request: HttpRequest, access: Access, trail: Trail, pk: int, hold_pk: int
) -> HttpResponse:
    client, grant = visible_client(access, pk)
    require(may_manage(access, grant))
    hold = get_object_or_404(RetentionHold, pk=hold_pk, client=client)
    if holds.lift_hold(hold, access.user, access.now):
        messages.success(request, _("The hold has been lifted; retention periods apply again."))
    else:
        messages.info(request, _("This hold was already lifted."))
    trail.client(client, grant, [IDENTITY], detail=f"retention hold {hold.pk} lifted")
    return redirect("care:retention_holds", pk=client.pk)

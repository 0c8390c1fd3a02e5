"""Referral pages: sending one, its page with the actions open to the user, and the list
with overdue ones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit import log as audit
from kansrijk.web.audit.log import Flags
from kansrijk.web.care.access import Access
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.models import Client
from kansrijk.web.care.views.common import (
    COORDINATION,
    CREATE,
    IDENTITY,
    PAGE_SIZE,
    READ,
    UPDATE,
    display_name,
    may_refer,
    members_prefetch,
    require,
    visible_client,
)
from kansrijk.web.care.vocabulary import state_label
from kansrijk.web.referrals import coalition, workflow
from kansrijk.web.referrals import services as referral_services
from kansrijk.web.referrals.forms import ReassignForm, ReferralActionForm, ReferralForm
from kansrijk.web.referrals.models import Referral, ReferralEvent

# --- Referrals --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@care_view(CREATE)
def referral_new(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    client, grant = visible_client(access, pk)
    require(may_refer(access, grant))
    form = ReferralForm(
        request.POST or None,
        organisations=coalition.referral_targets(
            client.municipality_code, access.organisation_id, access.today
        ),
        routes=coalition.effective_routes(client.municipality_code, access.today),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        referral = referral_services.create_referral(
            client,
            access.user,
            to_organisation=d["to_organisation"],
            route_code=d["route_code"],
            route_step=d["route_step"],
            reason=d["reason"],
            now=access.now,
            variant=coalition.variant_for(client.municipality_code, d["route_code"], access.today),
        )
        trail.client(
            client,
            grant,
            [IDENTITY, COORDINATION, referral.category],
            detail=f"referral {referral.pk} created",
        )
        messages.success(request, _("The referral has been sent."))
        return redirect("care:referral", referral_pk=referral.pk)
    trail.client(client, grant, [IDENTITY], action=READ)
    status = 400 if request.method == "POST" else 200
    context = {"client": client, "name": display_name(client), "form": form}
    return render(request, "referrals/referral_form.html", context, status=status)


def _referral_for(access: Access, trail: Trail, referral_pk: int) -> Referral:
    referral = (
        access.visible_referrals()
        .select_related("client", "from_organisation", "to_organisation", "owner_organisation")
        .filter(pk=referral_pk)
        .first()
    )
    if referral is None:
        trail.client_id = (
            Referral.objects.filter(pk=referral_pk).values_list("client_id", flat=True).first()
        )
        raise Http404
    return referral


def _referral_context(access: Access, referral: Referral) -> tuple[dict[str, Any], list[str]]:
    grant = access.grant(referral.client)
    side = workflow.side_of(referral, access.user)
    actions = workflow.actions_for(referral, side) if access.is_professional else []
    shown = [COORDINATION]
    name = ""
    if grant.visible:
        shown.append(IDENTITY)
        name = display_name(
            Client.objects.prefetch_related(members_prefetch()).get(pk=referral.client_id)
        )
    reason_visible = grant.may(referral.category) or (
        side == workflow.SENDER and access.is_professional
    )
    if reason_visible:
        shown.append(referral.category)
    context = {
        "referral": referral,
        "grant": grant,
        "name": name,
        "reason_visible": reason_visible,
        "state": state_label(referral.state),
        "overdue": workflow.is_overdue(referral.state, referral.deadline, access.today),
        "events": ReferralEvent.objects.filter(referral=referral)
        .select_related("actor", "organisation")
        .order_by("version"),
        "actions": [(a, ACTION_LABELS.get(a, a), workflow.needs_reason(a)) for a in actions],
        "form": ReferralActionForm(initial={"version": referral.version}),
        "may_reassign": access.is_professional and workflow.may_reassign(referral, side),
    }
    return context, shown


ACTION_LABELS = {
    "accept": gettext_lazy("Accept"),
    "reject": gettext_lazy("Reject"),
    "start": gettext_lazy("Start"),
    "complete": gettext_lazy("Complete"),
    "cancel": gettext_lazy("Cancel referral"),
}


@require_GET
@care_view(READ, allow=lambda access: access.sees_referral_status)
def referral(request: HttpRequest, access: Access, trail: Trail, referral_pk: int) -> HttpResponse:
    """A referral's status and history; client content only as far as the user may see it."""
    referral = _referral_for(access, trail, referral_pk)
    context, shown = _referral_context(access, referral)
    if context["grant"].visible:
        trail.client(referral.client, context["grant"], shown)
    else:  # status only: no client content is shown
        trail.log(
            flags=Flags(authorised=True), client_id=referral.client_id, categories=[COORDINATION]
        )
    return render(request, "referrals/referral.html", context)


@require_POST
@care_view(UPDATE, allow=lambda access: access.is_professional)
def referral_action(
    request: HttpRequest, access: Access, trail: Trail, referral_pk: int, action: str
) -> HttpResponse:
    """Accept, reject (with reason), start, complete or cancel (with reason), at the version the
    form was shown with: a stale version answers 409 and changes nothing."""
    referral = _referral_for(access, trail, referral_pk)
    trail.client_id = referral.client_id
    grant = access.grant(referral.client)
    flags = grant.flags() if grant.visible else Flags(authorised=True)
    form = ReferralActionForm(request.POST)
    if not form.is_valid():
        trail.log(flags=flags, client_id=referral.client_id, detail="referral form incomplete")
        return HttpResponse(_("The form is incomplete; reload the page."), status=400)
    if form.cleaned_data["version"] != referral.version:
        return _stale(request, access, trail, referral, flags)
    side = workflow.side_of(referral, access.user)
    if action not in workflow.actions_for(referral, side):
        raise PermissionDenied(_("You may not take this action on this referral now."))
    reason = form.cleaned_data["reason"] or ""
    if workflow.needs_reason(action) and not reason.strip():
        trail.log(
            flags=flags,
            client_id=referral.client_id,
            categories=[COORDINATION],
            detail=f"referral {referral.pk} {action} refused: no reason",
        )
        context, _shown = _referral_context(access, referral)
        form.add_error("reason", _("Give a reason."))
        context |= {"form": form, "failed_action": action}
        return render(request, "referrals/referral.html", context, status=400)
    try:
        referral_services.transition(
            referral, action, access.user, form.cleaned_data["version"], reason, access.now
        )
    except referral_services.StaleVersionError as stale:
        return _stale(request, access, trail, stale.current, flags)
    trail.log(
        flags=flags,
        client_id=referral.client_id,
        categories=[COORDINATION],
        detail=f"referral {referral.pk} {action}",
    )
    messages.success(
        request, _("The referral is now: %(state)s.") % {"state": state_label(referral.state)}
    )
    return redirect("care:referral", referral_pk=referral.pk)


def _stale(
    request: HttpRequest, access: Access, trail: Trail, current: Referral, flags: Flags
) -> HttpResponse:
    trail.log(
        flags=flags,
        client_id=current.client_id,
        categories=[COORDINATION],
        detail=f"referral {current.pk} refused: stale version",
    )
    current = Referral.objects.select_related(
        "client", "from_organisation", "to_organisation", "owner_organisation"
    ).get(pk=current.pk)
    context, _shown = _referral_context(access, current)
    context["conflict"] = True
    return render(request, "referrals/referral.html", context, status=409)


@require_GET
@care_view(READ, allow=lambda access: access.sees_referral_status)
def referrals(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    """Referrals sent and received (professionals) or of the municipality (coordinators), with
    the overdue ones first."""
    show = request.GET.get("show", "open")
    base = access.visible_referrals().select_related(
        "from_organisation", "to_organisation", "owner_organisation"
    )
    if show == "overdue":
        rows_qs = referral_services.overdue(base, access.today)
    elif show == "all":
        rows_qs = base
    else:
        show = "open"
        rows_qs = base.filter(state__in=list(workflow.OPEN))
    page = Paginator(rows_qs.order_by("deadline", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    client_ids = {r.client_id for r in rows}
    visible = {
        c.pk: c
        for c in access.with_relation(
            access.visible_clients().filter(pk__in=client_ids)
        ).prefetch_related(members_prefetch())
    }
    # The list entry and a read per family, appended under one lock of the chain head (the
    # same entries as trail.log and trail.clients would write, in one transaction).
    entries = [
        audit.Entry(
            READ,
            trail.purpose,
            Flags(authorised=True),
            detail=f"referrals ({show}): {page.paginator.count}",
        ),
        *(
            audit.Entry(
                READ,
                trail.purpose,
                Flags(
                    authorised=True,
                    treatment_relationship=bool(getattr(visible.get(cid), "is_own", False)),
                    consent_present=cid in visible,
                ),
                cid,
                (COORDINATION, IDENTITY) if cid in visible else (COORDINATION,),
                trail.view,
            )
            for cid in sorted(client_ids)
        ),
    ]
    audit.record_many(entries, user=trail.user, now=access.now)
    trail.written += len(entries)
    prefix = reverse("care:referral", args=[0]).removesuffix("0/")  # one reverse for all rows
    labels: dict[tuple[str, str], str] = {}
    context = {
        "show": show,
        "page": page,
        "rows": [
            (
                r,
                display_name(visible[r.client_id]) if r.client_id in visible else "",
                state_label(r.state),
                workflow.is_overdue(r.state, r.deadline, access.today),
                f"{prefix}{r.pk}/",
                labels.setdefault(
                    (r.route_code, r.route_step), workflow.route_label(r.route_code, r.route_step)
                ),
            )
            for r in rows
        ],
        "overdue_count": referral_services.overdue(
            access.visible_referrals(), access.today
        ).count(),
        "is_coordinator": access.is_coordinator,
    }
    return render(request, "referrals/referrals.html", context)


# --- Reassign ---------------------------------------------------------------------------------


def _colleagues(access: Access, referral: Referral) -> QuerySet[User]:
    """Active professionals of the user's organisation other than the referral's owner."""
    return (
        User.objects.filter(
            organisation_id=access.organisation_id or 0, role=Role.PROFESSIONAL, is_active=True
        )
        .exclude(pk=referral.owner_user_id)
        .order_by("last_name", "first_name", "username")
    )


@require_http_methods(["GET", "POST"])
@care_view(UPDATE, allow=lambda access: access.is_professional)
def referral_reassign(
    request: HttpRequest, access: Access, trail: Trail, referral_pk: int
) -> HttpResponse:
    """Hand the referral to a colleague on the owning side (the core's reassign), at the
    version the form was shown with: a stale version answers 409 and changes nothing."""
    referral = _referral_for(access, trail, referral_pk)
    trail.client_id = referral.client_id
    side = workflow.side_of(referral, access.user)
    if not workflow.may_reassign(referral, side):
        raise PermissionDenied(_("Only the side that owns the referral may hand it over."))
    grant = access.grant(referral.client)
    flags = grant.flags() if grant.visible else Flags(authorised=True)
    form = ReassignForm(
        request.POST or None,
        colleagues=_colleagues(access, referral),
        initial={"version": referral.version},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if d["version"] != referral.version:
            return _stale(request, access, trail, referral, flags)
        try:
            referral_services.transition(
                referral,
                "reassign",
                access.user,
                d["version"],
                d["reason"] or "",
                access.now,
                to=d["to"],
            )
        except referral_services.StaleVersionError as stale:
            return _stale(request, access, trail, stale.current, flags)
        trail.log(
            flags=flags,
            client_id=referral.client_id,
            categories=[COORDINATION],
            detail=f"referral {referral.pk} reassign",
        )
        messages.success(request, _("The referral has been handed over."))
        return redirect("care:referral", referral_pk=referral.pk)
    trail.log(
        flags=flags,
        action=READ,
        client_id=referral.client_id,
        categories=[COORDINATION],
        detail=f"referral {referral.pk} reassign form",
    )
    status = 400 if request.method == "POST" else 200
    context = {"referral": referral, "form": form, "state": state_label(referral.state)}
    return render(request, "referrals/referral_reassign.html", context, status=status)

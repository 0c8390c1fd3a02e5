"""Signals: recording a screening, its result with proposed client routes, and referring
from a route step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kansrijk.coordination import instruments, routes
from kansrijk.web.care.access import Access, Grant
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.models import Client
from kansrijk.web.care.views.common import (
    COORDINATION,
    CREATE,
    IDENTITY,
    READ,
    display_name,
    may_manage,
    may_refer,
    require,
    route_view,
    visible_client,
)
from kansrijk.web.care.vocabulary import category_label, english, flag_label
from kansrijk.web.referrals import coalition, workflow
from kansrijk.web.referrals import services as referral_services
from kansrijk.web.referrals.forms import SignalForm, SignalReferralForm
from kansrijk.web.referrals.models import Signal

# --- Signals (screening) ----------------------------------------------------------------------

#: The instrument the signal page offers (its latest shipped version).
INSTRUMENT = "kansrijk_basis"


def _signal_for(access: Access, pk: int, signal_pk: int) -> tuple[Client, Grant, Signal]:
    """The client and one of its signals; 404 unless the user may see every data category of
    the signal."""
    client, grant = visible_client(access, pk)
    found = (
        Signal.objects.select_related("recorded_by", "organisation")
        .filter(client=client, pk=signal_pk)
        .first()
    )
    if found is None or not grant.covers(found.categories):
        raise Http404
    return client, grant, found


def _optional_route_view(found: routes.Route | None) -> dict[str, Any] | None:
    return None if found is None else route_view(found)


@require_http_methods(["GET", "POST"])
@care_view(CREATE)
def signal_new(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    """Record a signal: the instrument grouped by domain; scored and stored on submit."""
    client, grant = visible_client(access, pk)
    require(may_manage(access, grant))
    chosen = instruments.instrument(INSTRUMENT)
    form = SignalForm(request.POST or None, instrument=chosen)
    if request.method == "POST" and form.is_valid():
        try:
            found = referral_services.record_signal(
                client, access.user, chosen, form.answers(), now=access.now
            )
        except instruments.AnswerError:
            form.add_error(None, _("The answers do not fit the instrument."))
        else:
            trail.client(
                client, grant, [IDENTITY, *found.categories], detail=f"signal {found.pk} created"
            )
            messages.success(request, _("The signal has been recorded."))
            return redirect("care:signal", pk=client.pk, signal_pk=found.pk)
    trail.client(client, grant, [IDENTITY], action=READ)
    en = english()
    context = {
        "client": client,
        "name": display_name(client),
        "form": form,
        "instrument": chosen,
        "instrument_title": chosen.title_en if en else chosen.title_nl,
        "about": chosen.about_en if en else chosen.about_nl,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/signal_form.html", context, status=status)


@require_GET
@care_view(READ)
def signal(
    request: HttpRequest, access: Access, trail: Trail, pk: int, signal_pk: int
) -> HttpResponse:
    """A signal's result: score, threshold, flags and the proposed client routes."""
    client, grant, found = _signal_for(access, pk, signal_pk)
    en = english()
    used = instruments.find_instrument(found.instrument_code, found.instrument_version)
    domains = []
    if used is not None:
        domains = [
            (
                d.title_en if en else d.title_nl,
                found.domain_scores.get(d.code, 0),
                sum(i.max_score for i in d.items),
            )
            for d in used.domains
        ]
    context = {
        "client": client,
        "name": display_name(client),
        "signal": found,
        "instrument": used,
        "instrument_title": (used.title_en if en else used.title_nl) if used else "",
        "domains": domains,
        "flags": [flag_label(f) for f in found.flags],
        "routes": [
            r
            for r in (
                _optional_route_view(
                    coalition.route_for(client.municipality_code, code, access.today)[0]
                )
                for code in found.proposed_routes
            )
            if r is not None
        ],
        "may_refer": may_refer(access, grant),
        "categories": [category_label(c) for c in found.category_values],
    }
    trail.client(client, grant, [IDENTITY, *found.categories], detail=f"signal {found.pk}")
    return render(request, "referrals/signal.html", context)


@require_http_methods(["GET", "POST"])
@care_view(CREATE)
def signal_refer(
    request: HttpRequest,
    access: Access,
    trail: Trail,
    pk: int,
    signal_pk: int,
    route_code: str,
    step: int,
) -> HttpResponse:
    """Start a referral for one step of a route the signal proposed, to an organisation of the
    step's partner type; the deadline follows from the route (``routes.deadline``)."""
    client, grant, found = _signal_for(access, pk, signal_pk)
    require(may_refer(access, grant))
    route, variant = coalition.route_for(client.municipality_code, route_code, access.today)
    route_step = workflow.find_step([route] if route else [], route_code, str(step))
    if route_code not in found.proposed_routes or route_step is None:
        raise Http404
    organisations = coalition.referral_targets(
        client.municipality_code, access.organisation_id, access.today
    ).filter(type=route_step.partner_type.value)
    form = SignalReferralForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        referral = referral_services.create_referral(
            client,
            access.user,
            to_organisation=d["to_organisation"],
            route_code=route_code,
            route_step=str(step),
            reason=d["reason"],
            now=access.now,
            variant=variant,
        )
        trail.client(
            client,
            grant,
            [IDENTITY, COORDINATION, referral.category],
            detail=f"referral {referral.pk} created from signal {found.pk}",
        )
        messages.success(request, _("The referral has been sent."))
        return redirect("care:referral", referral_pk=referral.pk)
    trail.client(client, grant, [IDENTITY, *found.categories], action=READ)
    en = english()
    context = {
        "client": client,
        "name": display_name(client),
        "signal": found,
        "form": form,
        "route": _optional_route_view(route),
        "step": {
            "order": route_step.order,
            "title": route_step.title_en if en else route_step.title_nl,
            "partner": route_step.partner_type.label_en if en else route_step.partner_type.label_nl,
            "response_days": route_step.response_days,
        },
        "deadline": routes.deadline(access.today, route_step),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/signal_referral_form.html", context, status=status)

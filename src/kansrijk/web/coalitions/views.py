"""Read-only pages of the coalition registry. Any signed-in user may read it; programme staff
edit in the admin (the pages link there)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from kansrijk.web.coalitions import services
from kansrijk.web.coalitions.models import (
    Agreement,
    Coalition,
    CoalitionMunicipality,
    CoalitionPartner,
    CoalitionStatus,
    Intervention,
    ItemKind,
    Municipality,
    PartnerDomain,
    Phase,
    PlanItem,
    PlanOfAction,
)
from kansrijk.web.periods import valid_on

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIRST_YEAR, LAST_YEAR = 2015, 2025


def _can_edit(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_programme_staff", False) and request.user.is_staff)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Coalitions with status, scope and current municipalities; filter by status, province."""
    today = timezone.localdate()
    status = request.GET.get("status", "")
    province = request.GET.get("province", "")
    current = CoalitionMunicipality.objects.filter(valid_on(today)).select_related("municipality")
    coalitions = Coalition.objects.prefetch_related(
        Prefetch("memberships", queryset=current, to_attr="current_memberships")
    ).order_by("name")
    if status in CoalitionStatus.values:
        coalitions = coalitions.filter(status=status)
    else:
        status = ""
    provinces = sorted(
        set(Municipality.objects.existing_on(today).values_list("province_name", flat=True))
    )
    if province in provinces:
        coalitions = coalitions.filter(
            pk__in=current.filter(municipality__province_name=province).values("coalition_id")
        )
    else:
        province = ""
    totals: dict[str, int] = dict(
        Coalition.objects.order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = [(value, label, totals.get(value, 0)) for value, label in CoalitionStatus.choices]
    return render(
        request,
        "coalitions/index.html",
        {
            "coalitions": coalitions,
            "counts": counts,
            "total": sum(totals.values()),
            "statuses": CoalitionStatus.choices,
            "provinces": provinces,
            "selected_status": status,
            "selected_province": province,
            "can_edit": _can_edit(request),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One coalition: municipalities, partners by domain (current and past), agreements, plan."""
    today = timezone.localdate()
    coalition = get_object_or_404(
        Coalition.objects.prefetch_related(
            Prefetch(
                "memberships",
                queryset=CoalitionMunicipality.objects.select_related("municipality").order_by(
                    "valid_from", "municipality__name"
                ),
            ),
            Prefetch(
                "partners",
                queryset=CoalitionPartner.objects.select_related("organisation").order_by(
                    "organisation__name", "valid_from"
                ),
            ),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.prefetch_related("parties").order_by("agreed_on"),
            ),
        ),
        pk=pk,
    )
    domains: list[dict[str, Any]] = []
    by_domain: dict[str, list[CoalitionPartner]] = defaultdict(list)
    for partner in coalition.partners.all():
        by_domain[partner.domain].append(partner)
    for value, label in PartnerDomain.choices:
        partners = by_domain.get(value, [])
        domains.append(
            {
                "label": label,
                "current": [p for p in partners if p.active_on(today)],
                "past": [p for p in partners if not p.active_on(today)],
            }
        )
    plan = (
        PlanOfAction.objects.filter(coalition=coalition)
        .prefetch_related(
            Prefetch("items", queryset=PlanItem.objects.select_related("intervention"))
        )
        .first()
    )
    items: list[tuple[StrOrPromise, list[PlanItem]]] = []
    if plan is not None:
        grouped: dict[str, list[PlanItem]] = defaultdict(list)
        for item in plan.items.all():
            grouped[item.kind].append(item)
        items = [(label, grouped[value]) for value, label in ItemKind.choices]
    return render(
        request,
        "coalitions/detail.html",
        {
            "coalition": coalition,
            "memberships": list(coalition.memberships.all()),
            "domains": domains,
            "agreements": list(coalition.agreements.all()),
            "plan": plan,
            "plan_items": items,
            "today": today,
            "can_edit": _can_edit(request),
        },
    )


def _year(request: HttpRequest) -> int:
    default = min(max(timezone.localdate().year, FIRST_YEAR), LAST_YEAR)
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


@login_required
def municipality(request: HttpRequest, code: str) -> HttpResponse:
    """A municipality in a year: Impuls, coalitions and their status, interventions offered."""
    year = _year(request)
    try:
        status = services.municipality_status(code.upper(), year)
    except Municipality.DoesNotExist:
        raise Http404 from None
    labels = {
        "status": dict(CoalitionStatus.choices),
        "domain": dict(PartnerDomain.choices),
    }
    for coalition in status["coalitions"]:
        coalition["status_label"] = labels["status"][coalition["status_in_year"]]
        coalition["partner_list"] = [
            (labels["domain"][d], names) for d, names in coalition["partners"].items()
        ]
    return render(
        request,
        "coalitions/municipality.html",
        {
            "m": status,
            "years": range(FIRST_YEAR, LAST_YEAR + 1),
            "year_end": date(year, 12, 31),
        },
    )


@login_required
def menu(request: HttpRequest) -> HttpResponse:
    """The intervention menu by phase, with how many municipalities offer each today."""
    today = timezone.localdate()
    active = services.offer_active_on(today, "offers__")
    interventions = list(
        Intervention.objects.annotate(
            municipalities=Count("offers__municipality", filter=active, distinct=True),
            organisations=Count("offers__organisation", filter=active, distinct=True),
        ).order_by("name")
    )
    phases = [
        (value, label, [i for i in interventions if value in i.phases])
        for value, label in Phase.choices
    ]
    return render(
        request,
        "coalitions/menu.html",
        {"phases": phases, "today": today, "can_edit": _can_edit(request)},
    )

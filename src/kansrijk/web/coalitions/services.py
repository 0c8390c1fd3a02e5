"""Read-only questions to the coalition registry, for the programme indicators and the pages.

Each function filters in the database and returns plain Python sets of municipality codes or
organisation ids (numerator and denominator as separate sets), so callers count and compare
without touching the ORM. The registries' reference dates are the caller's business.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from kansrijk.web.accounts.models import Organisation
from kansrijk.web.accounts.roles import OrganisationType
from kansrijk.web.coalitions import menu
from kansrijk.web.coalitions.models import (
    CentreMunicipality,
    Coalition,
    CoalitionMunicipality,
    CoalitionPartner,
    ImpulsApplication,
    InterventionOffer,
    Municipality,
    OfferRole,
    PartnerDomain,
)
from kansrijk.web.periods import overlapping, valid_on


def offer_active_on(day: date, prefix: str = "") -> Q:
    """Offers running on ``day``: ``start <= day < end``."""
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": day})
    )


def _codes(queryset: QuerySet[Any]) -> set[str]:
    return set(queryset.values_list("code", flat=True).distinct())


def _ids(queryset: QuerySet[Organisation]) -> set[int]:
    return set(queryset.values_list("id", flat=True).distinct())


def municipality_codes(year: int) -> set[str]:
    """Codes of the municipalities in force on 1 January of ``year``."""
    return _codes(Municipality.objects.in_year(year))


def impuls_municipalities(year: int, on: date) -> set[str]:
    """Municipalities of ``year`` granted an Impuls Kansrijke Start on or before ``on``."""
    return _codes(
        Municipality.objects.in_year(year).filter(impuls_applications__granted_on__lte=on)
    )


def nnz_centres(on: date) -> tuple[set[str], set[str]]:
    """(centre municipalities on ``on``, those where Nu Niet Zwanger runs as centre on ``on``)."""
    centres = CentreMunicipality.objects.filter(valid_on(on)).values("municipality_id")
    started = InterventionOffer.objects.filter(
        offer_active_on(on),
        intervention__code=menu.NU_NIET_ZWANGER,
        role=OfferRole.CENTRE,
        municipality_id__in=centres,
    )
    return (
        set(centres.values_list("municipality_id", flat=True).distinct()),
        set(started.values_list("municipality_id", flat=True).distinct()),
    )


def nnz_joined(on: date) -> set[str]:
    """Municipalities that joined a centre's Nu Niet Zwanger programme, on ``on``."""
    return set(
        InterventionOffer.objects.filter(
            offer_active_on(on),
            intervention__code=menu.NU_NIET_ZWANGER,
            role=OfferRole.JOINED,
            municipality__isnull=False,
        )
        .values_list("municipality_id", flat=True)
        .distinct()
    )


def _offering(year: int, on: date, intervention: str) -> set[str]:
    return _codes(
        Municipality.objects.in_year(year).filter(
            offer_active_on(on, "intervention_offers__"),
            intervention_offers__intervention__code=intervention,
        )
    )


def voorzorg(year: int, on: date) -> tuple[set[str], set[str]]:
    """(municipalities of ``year``, those of them where VoorZorg is offered on ``on``)."""
    return municipality_codes(year), _offering(year, on, menu.VOORZORG)


def _organisations(kind: str, on: date) -> QuerySet[Organisation]:
    return Organisation.objects.filter(valid_on(on), type=kind)


def centering_practices(on: date) -> tuple[set[int], set[int]]:
    """(midwifery practices active on ``on``, those with a CenteringZwangerschap training by
    then), as organisation ids."""
    active = _organisations(OrganisationType.MIDWIFERY, on)
    trained = active.filter(centering_trainings__trained_on__lte=on)
    return _ids(active), _ids(trained)


def centering_ouderschap(on: date) -> tuple[set[int], set[int]]:
    """(JGZ organisations active on ``on``, those offering CenteringOuderschap on ``on``)."""
    active = _organisations(OrganisationType.JGZ, on)
    offering = active.filter(
        offer_active_on(on, "intervention_offers__"),
        intervention_offers__intervention__code=menu.CENTERING_PARENTING,
    )
    return _ids(active), _ids(offering)


def municipality_status(code: str, year: int) -> dict[str, Any]:
    """Everything the registry knows about one municipality in ``year``.

    Keys: ``code``, ``name``, ``province``, ``year``, ``exists`` (in force on 1 January),
    ``impuls`` (``{"tranche", "granted_on"}`` or None; granted by 31 December), ``coalitions``
    (memberships overlapping the year: ``id``, ``name``, ``scope``, ``status`` now,
    ``status_in_year`` on 31 December, ``preparing_since``, ``formed_on``, ``plan_status``,
    ``partners`` as domain -> organisation names active in the year) and ``interventions``
    (offers running at some time in the year: ``code``, ``name``, ``role``, ``start``, ``end``,
    ``organisation``). Raises ``Municipality.DoesNotExist`` for an unknown code.
    """
    municipality = Municipality.objects.get(code=code)
    first, last = date(year, 1, 1), date(year, 12, 31)
    impuls = (
        ImpulsApplication.objects.filter(municipality=municipality, granted_on__lte=last)
        .order_by("granted_on")
        .first()
    )
    memberships = (
        CoalitionMunicipality.objects.filter(overlapping(first, last), municipality=municipality)
        .select_related("coalition", "coalition__plan")
        .prefetch_related(
            Prefetch(
                "coalition__partners",
                queryset=CoalitionPartner.objects.filter(overlapping(first, last)).select_related(
                    "organisation"
                ),
            )
        )
        .order_by("valid_from", "coalition__name")
    )
    coalitions: list[dict[str, Any]] = []
    seen: set[int] = set()
    for membership in memberships:
        coalition: Coalition = membership.coalition
        if coalition.pk in seen:
            continue
        seen.add(coalition.pk)
        partners: dict[str, list[str]] = {}
        for partner in coalition.partners.all():
            names = partners.setdefault(partner.domain, [])
            if partner.organisation.name not in names:
                names.append(partner.organisation.name)
        plan = getattr(coalition, "plan", None)
        coalitions.append(
            {
                "id": coalition.pk,
                "name": coalition.name,
                "scope": coalition.scope,
                "status": coalition.status,
                "status_in_year": coalition.status_on(last),
                "preparing_since": coalition.preparing_since,
                "formed_on": coalition.formed_on,
                "plan_status": plan.status if plan is not None else None,
                "partners": {d: partners[d] for d in PartnerDomain.values if d in partners},
            }
        )
    offers = (
        InterventionOffer.objects.filter(
            Q(start__lte=last) & (Q(end__isnull=True) | Q(end__gt=first)),
            municipality=municipality,
        )
        .select_related("intervention", "organisation")
        .order_by("intervention__name", "start")
    )
    return {
        "code": municipality.code,
        "name": municipality.name,
        "province": municipality.province_name,
        "year": year,
        "exists": municipality.exists_on(first),
        "impuls": None
        if impuls is None
        else {"tranche": impuls.tranche, "granted_on": impuls.granted_on},
        "coalitions": coalitions,
        "interventions": [
            {
                "code": offer.intervention.code,
                "name": offer.intervention.name,
                "role": offer.role,
                "start": offer.start,
                "end": offer.end,
                "organisation": offer.organisation.name if offer.organisation else None,
            }
            for offer in offers
        ],
    }

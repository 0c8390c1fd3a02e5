"""What a client's coalition agreed: its partners (who may receive referrals) and its client
routes (the shipped base routes, or the coalition's local variant of one).

A client belongs to the coalitions whose membership covers the client's municipality today
(``CoalitionMunicipality``); a partner is an organisation with a ``CoalitionPartner`` row valid
today. A municipality without a coalition works with every care organisation and the base
routes: Kansrijke Start does not oblige a municipality to form a coalition, and care must go on
there too (docs/care.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from kansrijk.coordination import routes as core
from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType
from kansrijk.web.coalitions.models import Coalition, CoalitionPartner
from kansrijk.web.periods import valid_on
from kansrijk.web.referrals.models import LocalRoute


def coalitions_of(municipality_code: str, day: date) -> QuerySet[Coalition]:
    """The coalitions the municipality takes part in on ``day``."""
    return Coalition.objects.filter(
        valid_on(day, "memberships__valid_from", "memberships__valid_to"),
        memberships__municipality_id=municipality_code,
    ).distinct()


def partners_of(municipality_code: str, day: date) -> QuerySet[Organisation]:
    """The partner organisations on ``day`` of the municipality's coalitions."""
    partner_ids = CoalitionPartner.objects.filter(
        valid_on(day), coalition__in=coalitions_of(municipality_code, day)
    ).values("organisation_id")
    return Organisation.objects.filter(pk__in=partner_ids)


def referral_targets(
    municipality_code: str, from_organisation_id: int | None, day: date
) -> QuerySet[Organisation]:
    """Organisations a referral for a client of this municipality may go to: the coalition's
    partners (every care organisation where there is no coalition), never the sender itself
    and never a national organisation."""
    targets = Organisation.objects.exclude(type=OrganisationType.NATIONAL)
    if coalitions_of(municipality_code, day).exists():
        targets = targets.filter(pk__in=partners_of(municipality_code, day).values("pk"))
    return targets.exclude(pk=from_organisation_id or 0).order_by("name")


def effective_routes(municipality_code: str, day: date) -> tuple[core.Route, ...]:
    """The routes for a client of this municipality: the latest local variant of each route of
    the municipality's (first) coalition, else the latest base route."""
    coalition = coalitions_of(municipality_code, day).order_by("pk").first()
    if coalition is None:
        return core.latest(core.BASE_ROUTES)
    variants = [v.route() for v in LocalRoute.objects.filter(coalition=coalition)]
    return core.effective_routes(core.BASE_ROUTES, variants, LocalRoute.key_of(coalition.pk))


def variant_for(municipality_code: str, code: str, day: date) -> LocalRoute | None:
    """The stored local variant in force for route ``code`` (None: the base route applies)."""
    coalition = coalitions_of(municipality_code, day).order_by("pk").first()
    if coalition is None:
        return None
    return LocalRoute.objects.filter(coalition=coalition, code=code).order_by("-version").first()


def route_for(
    municipality_code: str, code: str, day: date
) -> tuple[core.Route | None, LocalRoute | None]:
    """The route ``code`` as it applies to a client of this municipality, and the stored
    local variant it comes from (None, None when there is no such route)."""
    variant = variant_for(municipality_code, code, day)
    if variant is not None:
        return variant.route(), variant
    try:
        return core.route(code), None
    except KeyError:
        return None, None


def coalitions_for(organisation: Organisation | None, day: date) -> QuerySet[Coalition]:
    """The coalitions a user's organisation works in on ``day``: a municipality's own
    coalitions, or those the organisation is a partner of."""
    if organisation is None:
        return Coalition.objects.none()
    if organisation.type == OrganisationType.MUNICIPALITY and organisation.municipality_code:
        return coalitions_of(organisation.municipality_code, day)
    partner = CoalitionPartner.objects.filter(valid_on(day), organisation=organisation)
    return Coalition.objects.filter(pk__in=partner.values("coalition_id"))


def coalition_routes(coalition: Coalition) -> list[tuple[core.Route, LocalRoute | None]]:
    """Each latest base route with the coalition's latest variant of it (None: none)."""
    variants: dict[str, LocalRoute] = {}
    for v in LocalRoute.objects.filter(coalition=coalition).order_by("code", "-version"):
        variants.setdefault(v.code, v)
    return [(r, variants.get(r.code)) for r in core.latest(core.BASE_ROUTES)]


def save_variant(
    coalition: Coalition,
    base: core.Route,
    user: User,
    title_nl: str,
    title_en: str,
    steps: list[dict[str, Any]],
    entry: list[core.CriterionDict] | None = None,
) -> LocalRoute:
    """Store the next version of the coalition's variant of ``base`` after the core accepted
    it (``RouteError`` otherwise; nothing is stored then).

    ``entry`` are the variant's entry criteria in their stored form (None: the base's). They
    are stored only when they differ from the base's as a set; criteria that are exactly the
    base's are stored as null, so the variant plainly keeps the national criteria.
    """
    criteria = None if entry is None else core.criteria_from_dicts(entry)
    if criteria is not None:
        core.check_entry(criteria)
        if set(criteria) == set(base.entry):
            criteria = None
    latest_version = (
        LocalRoute.objects.filter(coalition=coalition, code=base.code)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    variant = LocalRoute(
        coalition=coalition,
        code=base.code,
        version=(latest_version or 0) + 1,
        based_on_version=base.version,
        title_nl=title_nl,
        title_en=title_en,
        steps=steps,
        entry=None if criteria is None else core.criteria_to_dicts(criteria),
        created_by=user,
    )
    variant.route()  # the core's rules; raises RouteError
    variant.save()
    return variant

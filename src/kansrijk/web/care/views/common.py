"""Helpers shared by the care pages: finding a visible client, the family's members, who
may do what."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Prefetch, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kansrijk.coordination import routes
from kansrijk.web.accounts.models import Organisation
from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit.log import Flags
from kansrijk.web.audit.models import AuditAction
from kansrijk.web.care.access import ALL_CATEGORIES, Access, Grant
from kansrijk.web.care.models import Client, ClientMember, MemberRole
from kansrijk.web.care.vocabulary import DataCategory, category_label, english

C = DataCategory
IDENTITY, COORDINATION, FAMILY = C.IDENTITY.value, C.CARE_COORDINATION.value, C.FAMILY.value
#: Rows per list page (each row shown is one audit entry and a share of the page's time).
PAGE_SIZE = 25
READ, CREATE, UPDATE = AuditAction.READ, AuditAction.CREATE, AuditAction.UPDATE


# --- Helpers ----------------------------------------------------------------------------------


def members_prefetch() -> Prefetch[Any]:
    """The family's members: the pregnant woman first, then her partner, then the child."""
    order = Case(
        When(role=MemberRole.PREGNANT, then=Value(0)),
        When(role=MemberRole.PARTNER, then=Value(1)),
        default=Value(2),
    )
    return Prefetch("members", queryset=ClientMember.objects.order_by(order, "pk"))


def display_name(client: Client) -> str:
    """The pregnant woman's name (else the first member's); needs the identity category."""
    members = list(client.members.all())
    woman = next((m for m in members if m.role == MemberRole.PREGNANT), None)
    person = woman or (members[0] if members else None)
    return person.full_name if person else _("Client %(id)s") % {"id": client.pk}


def visible_client(access: Access, pk: int) -> tuple[Client, Grant]:
    client = get_object_or_404(access.visible_clients().prefetch_related(members_prefetch()), pk=pk)
    grant = access.grant(client)
    if not grant.visible:
        raise Http404
    return client, grant


def require(condition: bool, message: str = "") -> None:
    if not condition:
        raise PermissionDenied(message or _("You may not do this for this client."))


def may_manage(access: Access, grant: Grant) -> bool:
    """Consent, care team matters, the access overview: a professional of the owning
    organisation or the care team."""
    return access.is_professional and grant.own


def may_refer(access: Access, grant: Grant) -> bool:
    return access.is_professional and grant.treatment_relationship and not grant.emergency


def hidden_labels(grant: Grant) -> list[str]:
    return [category_label(c) for c in sorted(ALL_CATEGORIES - grant.categories)]


def organisations_for(access: Access) -> QuerySet[Organisation]:
    return Organisation.objects.exclude(pk=access.organisation_id or 0).exclude(type="national")


def listed_flags(client: Client) -> Flags:
    """The audit flags of a client shown in a list (annotated by `Access.with_relation`)."""
    own = bool(client.is_own)  # type: ignore[attr-defined]
    emergency = bool(client.is_emergency)  # type: ignore[attr-defined]
    return Flags(
        authorised=True,
        treatment_relationship=own,
        consent_present=not own and not emergency,
        emergency_access=emergency and not own,
    )


def may_list(access: Access) -> bool:
    return access.holds_client_data


def route_view(route: routes.Route) -> dict[str, Any]:
    """A client route for a template: titles, situation and steps in the active language, its
    version and, for a coalition's variant, the base it came from."""
    en = english()
    return {
        "code": route.code,
        "version": route.version,
        "based_on": route.based_on,
        "local": route.coalition is not None,
        "title": route.title_en if en else route.title_nl,
        "situation": route.situation_en if en else route.situation_nl,
        "steps": [
            {
                "order": s.order,
                "title": s.title_en if en else s.title_nl,
                "partner": s.partner_type.label_en if en else s.partner_type.label_nl,
                "response_days": s.response_days,
                "shares": category_label(s.shares.value),
            }
            for s in route.steps
        ],
    }


def role_label(role: str) -> str:
    """The label of a role as stored in the audit log (the code itself if no longer a role)."""
    try:
        return str(Role(role).label)
    except ValueError:
        return role

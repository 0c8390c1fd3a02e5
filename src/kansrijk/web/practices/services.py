"""The rules of the practice library: who belongs to which coalition, who sees and changes
which practice, search and filters, and the coalitions like one's own.

*Members.* A user is a member of the coalitions their organisation works in today
(``referrals.coalition.coalitions_for``, the same rule the client routes use): a municipality's
own coalitions, or those the organisation is a partner of. Members with a role that holds
``practices.edit`` (``web/policy.py``) create their coalition's practices and change and
publish them. Everyone with an account sees published practices; a draft exists only for the
members of its coalition (404 for everyone else); a published practice of another coalition
can be read but not changed (403).

*Coalitions like mine.* The local monitor compares a municipality with the municipalities in
its comparison group (``Publication.comparison_group`` of the published monitor run,
``kansrijk.geo.classes.group``: same urbanisation and size class, widened while the group is
small). A coalition's comparison municipalities are the union of those groups over the
coalition's municipalities today, without the coalition's own; the coalitions like it are the
other coalitions with a municipality among them today. The groups come from the run the
monitor pages show (``monitor.store.current``), so the library and the monitor always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kansrijk.geo.classes import ComparisonGroup
from kansrijk.publication import Publication
from kansrijk.web import policy
from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType
from kansrijk.web.coalitions.models import Coalition, CoalitionMunicipality, CoalitionPartner
from kansrijk.web.monitor import store
from kansrijk.web.periods import valid_on
from kansrijk.web.practices.models import Practice, Status
from kansrijk.web.referrals.coalition import coalitions_for

#: The text fields the search looks in.
SEARCHED = ("title", "problem", "activity", "results")


def _today(day: date | None) -> date:
    return day or timezone.localdate()


# --- Members ---------------------------------------------------------------------------------


def coalitions_of(user: User, day: date | None = None) -> QuerySet[Coalition]:
    """The coalitions the user's organisation works in on ``day`` (today)."""
    return coalitions_for(user.organisation, _today(day)).order_by("name", "pk")


def may_edit_any(user: User) -> bool:
    """Whether the user's role may change practices at all (``practices.edit``)."""
    return policy.role_may(user.role, policy.EDIT_PRACTICES)


def may_edit(user: User, practice: Practice) -> bool:
    """A member of the practice's coalition with a role that holds ``practices.edit``."""
    return may_edit_any(user) and coalitions_of(user).filter(pk=practice.coalition_id).exists()


def coalition_organisations(
    coalitions: QuerySet[Coalition], day: date | None = None
) -> QuerySet[Organisation]:
    """The organisations of ``coalitions`` on ``day``: their partners and their
    municipalities' own organisations."""
    day = _today(day)
    partners = CoalitionPartner.objects.filter(valid_on(day), coalition__in=coalitions)
    codes = CoalitionMunicipality.objects.filter(valid_on(day), coalition__in=coalitions)
    return Organisation.objects.filter(
        Q(pk__in=partners.values("organisation_id"))
        | Q(
            type=OrganisationType.MUNICIPALITY,
            municipality_code__in=codes.values("municipality_id"),
        )
    ).order_by("name")


def contact_candidates(coalitions: QuerySet[Coalition]) -> QuerySet[User]:
    """Active users of the coalitions' organisations (who may be named as a contact)."""
    return User.objects.filter(
        is_active=True, organisation__in=coalition_organisations(coalitions)
    ).order_by("last_name", "first_name", "username")


# --- Seeing and changing -----------------------------------------------------------------------


def visible(user: User) -> QuerySet[Practice]:
    """Published practices, and the drafts of the user's own coalitions."""
    return Practice.objects.filter(
        Q(status=Status.PUBLISHED) | Q(coalition__in=coalitions_of(user))
    ).select_related("coalition", "intervention")


def practice_for(user: User, pk: int) -> Practice:
    """The practice ``pk`` as the user may see it (404 otherwise)."""
    found = visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def practice_to_edit(user: User, pk: int) -> Practice:
    """The practice ``pk`` for changing: 404 when the user does not see it, 403 when they see
    it (published) but it is not their coalition's."""
    found = practice_for(user, pk)
    if not may_edit(user, found):
        raise PermissionDenied
    return found


@dataclass(frozen=True)
class Fields:
    """What a member writes (the form's cleaned data)."""

    coalition: Coalition
    title: str
    problem: str
    activity: str
    results: str
    phase: str
    theme: str
    partners: list[Organisation]
    intervention: object  # Intervention | None
    client_route: str
    indicators: list[str]
    contact_user: User | None
    contact_address: str


def save(user: User, fields: Fields, practice: Practice | None = None) -> Practice:
    """Create a draft (``practice`` None) or change ``practice``; the coalition must be one of
    the user's (PermissionDenied otherwise: the form offers no other)."""
    if not may_edit_any(user) or not coalitions_of(user).filter(pk=fields.coalition.pk).exists():
        raise PermissionDenied
    if practice is not None and not may_edit(user, practice):
        raise PermissionDenied
    now = timezone.now()
    if practice is None:
        practice = Practice(created_by=user, created_at=now)
    practice.coalition = fields.coalition
    practice.title = fields.title
    practice.problem = fields.problem
    practice.activity = fields.activity
    practice.results = fields.results
    practice.phase = fields.phase
    practice.theme = fields.theme
    practice.intervention = fields.intervention  # type: ignore[assignment]
    practice.client_route = fields.client_route
    practice.indicators = sorted(set(fields.indicators))
    practice.contact_user = fields.contact_user
    practice.contact_address = fields.contact_address
    practice.updated_at = now
    practice.save()
    practice.partners.set(fields.partners)
    return practice


def set_status(user: User, practice: Practice, status: str) -> Practice:
    """Publish a draft or take a published practice back to draft (members only)."""
    if not may_edit(user, practice):
        raise PermissionDenied
    if status not in Status.values:
        raise ValueError(f"unknown status {status!r}")
    practice.status = status
    practice.published_at = timezone.now() if status == Status.PUBLISHED else None
    practice.updated_at = timezone.now()
    practice.save(update_fields=["status", "published_at", "updated_at"])
    return practice


# --- Search and filters --------------------------------------------------------------------------


def search(practices: QuerySet[Practice], query: str) -> QuerySet[Practice]:
    """Practices holding every word of ``query`` in their title, problem, activity or results
    (case-insensitive ``icontains``: the same on SQLite and PostgreSQL)."""
    for word in query.split():
        anywhere = Q()
        for name in SEARCHED:
            anywhere |= Q(**{f"{name}__icontains": word})
        practices = practices.filter(anywhere)
    return practices


def in_municipalities(
    practices: QuerySet[Practice], codes: Iterable[str], day: date | None = None
) -> QuerySet[Practice]:
    """Practices of coalitions with a municipality among ``codes`` on ``day`` (today)."""
    members = CoalitionMunicipality.objects.filter(
        valid_on(_today(day)), municipality_id__in=list(codes)
    )
    return practices.filter(coalition__in=members.values("coalition_id"))


# --- The monitor's comparison groups -------------------------------------------------------------


def monitor_publication() -> Publication | None:
    """The publication the monitor pages show, or None when there is none to show."""
    try:
        return store.current().published
    except store.MonitorUnavailable:
        return None


def size_class_codes(published: Publication, size: int) -> set[str]:
    """Municipalities of ``size`` class in the publication's classification."""
    return {code for code, c in published.classes().items() if c.size == size}


def municipality_codes(coalition: Coalition, day: date | None = None) -> list[str]:
    """The coalition's municipalities on ``day`` (today), sorted."""
    return sorted(
        CoalitionMunicipality.objects.filter(valid_on(_today(day)), coalition=coalition)
        .values_list("municipality_id", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class Likeness:
    """A coalition's comparison groups (per municipality; None: not classified in the run)
    and the municipalities like it (the union of the groups, without its own)."""

    coalition: Coalition
    groups: tuple[tuple[str, ComparisonGroup | None], ...]
    municipalities: frozenset[str]


def likeness(coalition: Coalition, published: Publication, day: date | None = None) -> Likeness:
    """The coalition's comparison groups, from ``Publication.comparison_group``: the very
    function the local monitor compares a municipality with."""
    own = municipality_codes(coalition, day)
    groups = tuple((code, published.comparison_group(code)) for code in own)
    members = {m for _code, g in groups if g is not None for m in g.members}
    return Likeness(coalition, groups, frozenset(members - set(own)))


def like_mine(
    user: User, coalition: Coalition, published: Publication, day: date | None = None
) -> tuple[Likeness, QuerySet[Practice]]:
    """The published practices of the other coalitions in ``coalition``'s comparison groups."""
    found = likeness(coalition, published, day)
    practices = in_municipalities(
        visible(user).filter(status=Status.PUBLISHED), found.municipalities, day
    ).exclude(coalition=coalition)
    return found, practices

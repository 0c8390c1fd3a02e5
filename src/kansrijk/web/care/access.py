"""The policy decision point: who may see which client, and which of its data categories.

One ``Access`` is built per request (``Access.for_request``) for the signed-in user and the
moment of the request. It holds the user's allowed clients as *subqueries* and pushes them into
every query (``visible_clients``, ``visible_referrals``): no page filters rows in Python, and
the number of queries does not grow with the caseload. Checks use ``now``, so a withdrawal or
an expiry takes effect on the next request.

The rules (docs/care.md explains them):

- **Professionals** see the clients of their own organisation (it owns the record or is in the
  care team today: a treatment relationship, all categories), and clients with an *open*
  referral (requested, accepted, in progress) to their organisation **and** a valid consent for
  their organisation or their role that covers at least the identity category; of those they
  see the categories the valid consents cover.
- **Coalition coordinators** (a municipality's account) see the clients of their own
  organisation, and clients living in their municipality with a valid consent for their
  organisation or the coordinator role (covering identity), with the categories consented.
  Without consent they see the status of the municipality's referrals (state, deadline,
  organisations, overdue), never client content.
- **Emergency access** (break the glass; professionals only) adds one client with every
  category until it expires.
- **Administrators** manage users, read the audit log and review emergency accesses; they see
  no client content. **Policy advisors, monitor analysts and programme staff** see no client
  data at all.

Clients a user may not see do not exist for them: pages answer 404, never 403, so a URL does
not reveal whether a client exists. A page the role may never use answers 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.care.audit import Flags
from kansrijk.web.care.models import (
    CareTeamMember,
    Client,
    Consent,
    ConsentCategory,
    EmergencyAccess,
    Referral,
)
from kansrijk.web.care.vocabulary import DataCategory, ReferralState

ALL_CATEGORIES = frozenset(c.value for c in DataCategory)
IDENTITY = DataCategory.IDENTITY.value
#: Referral states in which the receiving organisation works with the client.
OPEN_STATES = (
    ReferralState.REQUESTED.value,
    ReferralState.ACCEPTED.value,
    ReferralState.IN_PROGRESS.value,
)
#: Roles that may hold client data at all (two-factor authentication is required for them).
CARE_ROLES = frozenset({Role.PROFESSIONAL, Role.COORDINATOR})


@dataclass(frozen=True)
class Grant:
    """What one user may see of one client, and on what grounds."""

    client_id: int
    categories: frozenset[str]
    own: bool  # owning organisation or care team
    referred: bool  # an open referral to the user's organisation (or, coordinator, residence)
    consent_present: bool
    emergency: bool
    treatment_relationship: bool  # own organisation, or asked to help by an open referral

    @property
    def visible(self) -> bool:
        return IDENTITY in self.categories

    def may(self, category: str) -> bool:
        return category in self.categories

    def covers(self, categories: Iterable[str]) -> bool:
        """Whether the user may see every one of ``categories`` (a signal's, for example)."""
        return self.visible and set(categories) <= self.categories

    def flags(self, authorised: bool = True) -> Flags:
        return Flags(
            authorised=authorised,
            treatment_relationship=self.treatment_relationship,
            consent_present=self.consent_present,
            emergency_access=self.emergency,
        )


NO_GRANT = Grant(
    0,
    frozenset(),
    own=False,
    referred=False,
    consent_present=False,
    emergency=False,
    treatment_relationship=False,
)


class Access:
    """The user's rights at one moment; build once per request."""

    def __init__(self, user: User, now: datetime | None = None) -> None:
        self.user = user
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.role = user.role
        self.organisation_id: int | None = user.organisation_id
        self._grants: dict[int, Grant] = {}

    @classmethod
    def for_user(cls, user: User, now: datetime | None = None) -> Access:
        return cls(user, now)

    @classmethod
    def for_request(cls, request: HttpRequest) -> Access:
        """The request's Access, computed on first use and kept on the request."""
        cached: Access | None = getattr(request, "_care_access", None)
        if cached is None:
            user = request.user
            assert isinstance(user, User)
            cached = cls(user)
            request._care_access = cached  # type: ignore[attr-defined]
        return cached

    # --- What the role may do -----------------------------------------------------------------

    @property
    def holds_client_data(self) -> bool:
        return self.role in CARE_ROLES and self.organisation_id is not None

    @property
    def is_professional(self) -> bool:
        return self.role == Role.PROFESSIONAL and self.organisation_id is not None

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR and bool(self.municipality_code)

    @property
    def municipality_code(self) -> str:
        org = self.user.organisation
        if org is None or org.type != OrganisationType.MUNICIPALITY:
            return ""
        return org.municipality_code

    @property
    def may_register(self) -> bool:
        return self.is_professional

    @property
    def may_break_glass(self) -> bool:
        return self.is_professional

    @property
    def may_review_emergencies(self) -> bool:
        return self.role == Role.ADMINISTRATOR or self.is_coordinator

    @property
    def may_read_audit_log(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def sees_referral_status(self) -> bool:
        return self.is_professional or self.is_coordinator

    # --- The allowed set, as subqueries -------------------------------------------------------
    #
    # The allowed set is one ``pk IN (... UNION ALL ...)`` of small index-driven branches
    # (owned, care team, referred with consent, residence with consent, emergency) rather than
    # an OR of IN-conditions on ``Client``: an OR across subqueries makes the database read
    # every client and test each one, a union lets it start from the user's own rows.
    # Duplicates in the union do not matter to ``IN``.

    def _valid_consents(self) -> QuerySet[Consent]:
        return Consent.objects.valid_at(self.now).for_recipient(self.organisation_id, self.role)

    def _team(self) -> QuerySet[CareTeamMember]:
        return CareTeamMember.objects.filter(
            Q(organisation_id=self.organisation_id),
            Q(since__lte=self.today),
            Q(until__isnull=True) | Q(until__gte=self.today),
        ).order_by()

    def _own(self) -> Q:
        return Q(owner_organisation_id=self.organisation_id) | Q(
            pk__in=self._team().values("client_id")
        )

    def _reachable(self) -> Q:
        """Clients the user may see *if* a consent covers them (a referral, or residence)."""
        if self.is_professional:
            referred = Referral.objects.filter(
                to_organisation_id=self.organisation_id, state__in=OPEN_STATES
            ).values("client_id")
            return Q(pk__in=referred)
        if self.is_coordinator:
            return Q(municipality_code=self.municipality_code)
        return Q(pk__in=[])

    def _covering(self, client: Any) -> Exists:
        """A valid consent for this user covering identity, of ``client`` (an OuterRef)."""
        return Exists(
            self._valid_consents().filter(client_id=client, categories__category=IDENTITY)
        )

    def _emergency_access(self) -> QuerySet[EmergencyAccess]:
        return EmergencyAccess.objects.filter(
            user_id=self.user.pk, started_at__lte=self.now, expires_at__gt=self.now
        ).order_by()

    def _emergency(self) -> Q:
        if not self.may_break_glass:
            return Q(pk__in=[])
        return Q(pk__in=self._emergency_access().values("client_id"))

    def _visible_ids(self, *, distinct: bool = False) -> QuerySet[Any, Any]:
        """The allowed client ids: own, care team, reachable with consent, emergency (with
        duplicates unless ``distinct``)."""
        owned = Client.objects.filter(owner_organisation_id=self.organisation_id).order_by()
        parts: list[QuerySet[Any, Any]] = [self._team().values("client_id")]
        if self.is_professional:
            referred = Referral.objects.filter(
                Q(to_organisation_id=self.organisation_id),
                Q(state__in=OPEN_STATES),
                self._covering(OuterRef("client_id")),
            ).order_by()
            parts.append(referred.values("client_id"))
        elif self.is_coordinator:
            residents = Client.objects.filter(
                Q(municipality_code=self.municipality_code), self._covering(OuterRef("pk"))
            ).order_by()
            parts.append(residents.values("pk"))
        if self.may_break_glass:
            parts.append(self._emergency_access().values("client_id"))
        return owned.values("pk").union(*parts, all=not distinct)

    def visible_filter(self) -> Q:
        """The allowed set as one condition on ``Client`` (for use in any client query)."""
        if not self.holds_client_data:
            return Q(pk__in=[])
        return Q(pk__in=self._visible_ids())

    def visible_clients(self) -> QuerySet[Client]:
        """The clients this user may see, as one query."""
        if not self.holds_client_data:
            return Client.objects.none()
        return Client.objects.filter(self.visible_filter())

    def count_visible(self) -> int:
        """How many clients the user may see: ``visible_clients().count()`` counted on the
        ids alone (every id in the union is a client's), without reading the clients."""
        if not self.holds_client_data:
            return 0
        return self._visible_ids(distinct=True).count()

    def visible_client_ids(self) -> QuerySet[Client, Any]:
        return self.visible_clients().values("pk")

    def with_relation(self, clients: QuerySet[Client]) -> QuerySet[Client]:
        """Annotate each client with why it is visible (``is_own``, ``is_emergency``), in SQL
        (correlated on the client's own rows, so a page of clients costs a page of probes)."""
        own = Case(
            When(owner_organisation_id=self.organisation_id, then=Value(True)),
            When(Exists(self._team().filter(client_id=OuterRef("pk"))), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        emergency: Exists | Value = Value(False)
        if self.may_break_glass:
            emergency = Exists(self._emergency_access().filter(client_id=OuterRef("pk")))
        return clients.annotate(is_own=own, is_emergency=emergency)

    def visible_referrals(self) -> QuerySet[Referral]:
        """Referrals whose status this user may follow: sent by or to their organisation
        (professionals), or of clients living in their municipality (coordinators)."""
        if self.is_professional:
            return Referral.objects.filter(
                Q(from_organisation_id=self.organisation_id)
                | Q(to_organisation_id=self.organisation_id)
            )
        if self.is_coordinator:
            return Referral.objects.filter(client__municipality_code=self.municipality_code)
        return Referral.objects.none()

    # --- One client ---------------------------------------------------------------------------

    def grant(self, client: Client) -> Grant:
        """What the user may see of ``client`` (two queries at most, then cached)."""
        if client.pk in self._grants:
            return self._grants[client.pk]
        grant = self._compute(client) if self.holds_client_data else NO_GRANT
        self._grants[client.pk] = grant
        return grant

    def _compute(self, client: Client) -> Grant:
        row = (
            Client.objects.filter(pk=client.pk)
            .annotate(
                own=Exists(Client.objects.filter(pk=OuterRef("pk")).filter(self._own())),
                reachable=Exists(
                    Client.objects.filter(pk=OuterRef("pk")).filter(self._reachable())
                ),
                emergency=Exists(
                    Client.objects.filter(pk=OuterRef("pk")).filter(self._emergency())
                ),
            )
            .values("own", "reachable", "emergency")
            .first()
        )
        if row is None:
            return NO_GRANT
        consented = frozenset(
            ConsentCategory.objects.filter(
                consent__in=self._valid_consents().filter(client_id=client.pk)
            ).values_list("category", flat=True)
        )
        own, reachable, emergency = bool(row["own"]), bool(row["reachable"]), bool(row["emergency"])
        categories: frozenset[str] = frozenset()
        if own or emergency:
            categories = ALL_CATEGORIES
        elif reachable and IDENTITY in consented:
            categories = consented & ALL_CATEGORIES
        return Grant(
            client_id=client.pk,
            categories=categories,
            own=own,
            referred=reachable,
            consent_present=bool(consented),
            emergency=emergency and not own,
            treatment_relationship=own or (reachable and self.is_professional),
        )

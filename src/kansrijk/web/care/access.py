"""The policy decision point: who may see which client, and which of its data categories.

One ``Access`` is built per request (``Access.for_request``) for the signed-in user and the
moment of the request. It holds the user's allowed clients as *subqueries* and pushes them into
every query (``visible_clients``, ``visible_referrals``): no page filters rows in Python, and
the number of queries does not grow with the caseload. Checks use ``now``, so a withdrawal or
an expiry takes effect on the next request.

The rules (docs/care.md explains them). **Consent is the only key to content**: the
organisation that owns the record (registered the family) sees every category; every other
relationship only opens the door for what the family's recorded, valid consent allows.

- **Professionals** see the clients their organisation owns (all categories, treatment
  relationship), and clients they *reach* (their organisation is in the care team today, or has
  an *open* referral: requested, accepted, in progress) **and** for which a valid consent for
  their organisation or their role covers at least the identity category; of those they see the
  categories the valid consents cover. The care team and an accepted (or started) referral give
  a treatment relationship; a referral still *requested* does not (the receiver may read within
  consent, but not refer onward, write notes or plan care).
- **Coalition coordinators** (a municipality's account) see the clients of their own
  organisation, and clients living in their municipality or with their organisation in the
  care team, with a valid consent for their organisation or the coordinator role (covering
  identity), with the categories consented. Without consent they see the status of the
  municipality's referrals (state, deadline, organisations, overdue), never client content.
- **Emergency access** (break the glass; professionals only) adds one client with every
  category until it expires.
- **Administrators** manage users, read the audit log and review emergency accesses; they see
  no client content. **Policy advisors, monitor analysts and programme staff** see no client
  data at all.

Clients a user may not see do not exist for them: pages answer 404, never 403, so a URL does
not reveal whether a client exists. A page the role may never use answers 403.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone

from kansrijk.web import policy
from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.audit.log import Flags
from kansrijk.web.care.models import (
    CareTeamMember,
    Client,
    Consent,
    ConsentCategory,
    EmergencyAccess,
)
from kansrijk.web.care.vocabulary import DataCategory, ReferralState
from kansrijk.web.referrals.models import Referral

ALL_CATEGORIES = frozenset(c.value for c in DataCategory)
IDENTITY = DataCategory.IDENTITY.value
#: Referral states in which the receiving organisation may read the family (within consent).
OPEN_STATES = (
    ReferralState.REQUESTED.value,
    ReferralState.ACCEPTED.value,
    ReferralState.IN_PROGRESS.value,
)
#: Referral states in which the receiving organisation treats the family (it accepted).
TREATING_STATES = (ReferralState.ACCEPTED.value, ReferralState.IN_PROGRESS.value)
#: Roles that may hold client data at all (two-factor authentication is required for them),
#: as the authorisation policy states them.
CARE_ROLES = policy.CARE_ROLES


@dataclass(frozen=True)
class Grant:
    """What one user may see of one client, and on what grounds."""

    client_id: int
    categories: frozenset[str]
    own: bool  # owning organisation, or care team within a consent covering identity
    referred: bool  # an open referral to the user's organisation (or, coordinator, residence)
    consent_present: bool
    emergency: bool
    treatment_relationship: bool  # owner, care team or accepted referral (within consent)
    owner: bool = False  # the user's organisation owns the record: every category
    team: bool = False  # the user's organisation is in the care team today (not the owner)

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
    # (owned, care team with consent, referred with consent, residence with consent, emergency)
    # rather than an OR of IN-conditions on ``Client``: an OR across subqueries makes the
    # database read every client and test each one, a union lets it start from the user's own
    # rows. Duplicates in the union do not matter to ``IN``.

    def _valid_consents(self) -> QuerySet[Consent]:
        return Consent.objects.valid_at(self.now).for_recipient(self.organisation_id, self.role)

    def _team(self) -> QuerySet[CareTeamMember]:
        return CareTeamMember.objects.filter(
            Q(organisation_id=self.organisation_id),
            Q(since__lte=self.today),
            Q(until__isnull=True) | Q(until__gte=self.today),
        ).order_by()

    def _referred(self, states: tuple[str, ...] = OPEN_STATES) -> QuerySet[Referral]:
        """Referrals to the user's organisation in ``states`` (professionals only)."""
        if not self.is_professional:
            return Referral.objects.none()
        return Referral.objects.filter(
            to_organisation_id=self.organisation_id, state__in=states
        ).order_by()

    def _covering(self, client: Any) -> Exists:
        """A valid consent for this user covering identity, of ``client`` (an OuterRef)."""
        return Exists(
            self._valid_consents().filter(client_id=client, categories__category=IDENTITY)
        )

    def _emergency_access(self) -> QuerySet[EmergencyAccess]:
        return EmergencyAccess.objects.filter(
            user_id=self.user.pk, started_at__lte=self.now, expires_at__gt=self.now
        ).order_by()

    def _visible_ids(self, *, distinct: bool = False) -> QuerySet[Any, Any]:
        """The allowed client ids: owned; care team, open referral or (coordinator) residence,
        each only with a valid consent covering identity; emergency (with duplicates unless
        ``distinct``)."""
        owned = Client.objects.filter(owner_organisation_id=self.organisation_id).order_by()
        parts: list[QuerySet[Any, Any]] = [
            self._team().filter(self._covering(OuterRef("client_id"))).values("client_id")
        ]
        if self.is_professional:
            referred = self._referred().filter(self._covering(OuterRef("client_id")))
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
        """Annotate each client with why it is visible (``is_own``: the owning organisation,
        or the care team with a consent covering identity; ``is_emergency``), in SQL
        (correlated on the client's own rows, so a page of clients costs a page of probes)."""
        own = Case(
            When(owner_organisation_id=self.organisation_id, then=Value(True)),
            When(
                Q(Exists(self._team().filter(client_id=OuterRef("pk"))))
                & Q(self._covering(OuterRef("pk"))),
                then=Value(True),
            ),
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
        return self.grants([client])[client.pk]

    def grants(self, clients: Iterable[Client]) -> dict[int, Grant]:
        """What the user may see of each of ``clients``, by id: two queries for all of them
        (those not yet cached), then cached for the request."""
        chosen = list(clients)
        wanted = sorted({c.pk for c in chosen} - self._grants.keys())
        if wanted:
            if self.holds_client_data:
                self._grants |= self._compute(wanted)
            else:
                self._grants |= dict.fromkeys(wanted, NO_GRANT)
        return {c.pk: self._grants[c.pk] for c in chosen}

    def _compute(self, client_ids: list[int]) -> dict[int, Grant]:
        """One row of relations per client (team, referrals, emergency) and the consented
        categories.

        Only ownership gives every category without consent (and emergency access, until it
        expires); the care team, a referral and residence are relations that open the record
        only as far as a valid consent for this user reaches (its categories)."""
        rows = (
            Client.objects.filter(pk__in=client_ids)
            .annotate(
                team=Exists(self._team().filter(client_id=OuterRef("pk"))),
                referred=Exists(self._referred().filter(client_id=OuterRef("pk"))),
                treating=Exists(self._referred(TREATING_STATES).filter(client_id=OuterRef("pk"))),
                emergency=Exists(self._emergency_access().filter(client_id=OuterRef("pk")))
                if self.may_break_glass
                else Value(False),
            )
            .values(
                "pk",
                "owner_organisation_id",
                "municipality_code",
                "team",
                "referred",
                "treating",
                "emergency",
            )
            .order_by()
        )
        consented: dict[int, set[str]] = {pk: set() for pk in client_ids}
        for client_id, category in ConsentCategory.objects.filter(
            consent__in=self._valid_consents().filter(client_id__in=client_ids)
        ).values_list("consent__client_id", "category"):
            consented[client_id].add(category)
        found = dict.fromkeys(client_ids, NO_GRANT)
        for row in rows:
            found[row["pk"]] = self._decide(row, frozenset(consented[row["pk"]]))
        return found

    def _decide(self, row: Mapping[str, Any], consented: frozenset[str]) -> Grant:
        owner = row["owner_organisation_id"] == self.organisation_id
        team = bool(row["team"]) and not owner
        resident = self.is_coordinator and row["municipality_code"] == self.municipality_code
        referred = bool(row["referred"]) or resident
        emergency = bool(row["emergency"])
        categories: frozenset[str] = frozenset()
        if owner:
            categories = ALL_CATEGORIES
        elif (team or referred) and IDENTITY in consented:
            categories = consented & ALL_CATEGORIES
        visible = IDENTITY in categories
        own = owner or (team and visible)
        treating = own or (visible and bool(row["treating"]))
        if emergency:
            categories = ALL_CATEGORIES
        return Grant(
            client_id=row["pk"],
            categories=categories,
            own=own,
            referred=referred,
            consent_present=bool(consented),
            emergency=emergency and not own,
            treatment_relationship=treating,
            owner=owner,
            team=team,
        )

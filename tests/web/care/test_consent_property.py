"""Property test: consent is the only key to content (issue 14, item 3).

Hypothesis generates random sequences of actions on a small world (four care organisations, a
municipality, three families): consent given (to an organisation, a role or both, with random
categories and period), consent withdrawn, time moving on (so consents expire), care team
members added (with or without a consent recorded in the same step) and ended, referrals sent,
accepted, started, completed, rejected or cancelled, case conferences held with participants,
and contact-person hand-overs. After every step each user (one per organisation) is checked
against an independent oracle that knows only the consents, the ownership and the relations
(team, open referral, residence): the set of visible clients, the categories of each client,
the treatment relationship and why a client is listed. The services' own decisions are checked
too (whether joining the team needs a consent, who may become contact person, who sees the
family in a conference), and at the end of every sequence one user's real client pages (status
and which notes they show).

The world is built once per module; every example runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.care import careplan, services
from kansrijk.web.care.access import Access
from kansrijk.web.care.models import CareTeamMember, Client, Consent
from kansrijk.web.care.vocabulary import DataCategory
from kansrijk.web.conferences import services as conferences
from kansrijk.web.referrals import services as referral_services
from kansrijk.web.referrals.models import Referral
from tests.web import factories as f
from tests.web.care.builders import family

pytestmark = pytest.mark.django_db

ALL = frozenset(c.value for c in DataCategory)
IDENTITY, COORDINATION = DataCategory.IDENTITY.value, DataCategory.CARE_COORDINATION.value
OTHER_CATEGORIES = sorted(ALL - {IDENTITY})
P, C = Role.PROFESSIONAL.value, Role.COORDINATOR.value
OPEN = {"requested", "accepted", "in_progress"}
TREATING = {"accepted", "in_progress"}
#: At least this many action sequences in every profile (more under "deep"). The second pass
#: of `make test` on PostgreSQL checks the queries on that server with fewer: the rules are
#: the same code, explored by the 200 sequences of the SQLite pass.
EXAMPLES = max(60 if os.environ.get("DATABASE_URL") else 200, settings().max_examples)


# --- The world ---------------------------------------------------------------------------------


@dataclass
class World:
    organisations: list[Organisation]  # 0 midwifery, 1 district team, 2 debt, 3 JGZ, 4 municipality
    users: list[User]  # one per organisation: professionals, and the municipality's coordinator
    clients: list[Client]  # 0, 1 owned by the midwifery (1 elsewhere), 2 by the district team


def _build() -> World:
    organisations = [
        f.organisation("Verloskunde Noord", type=OrganisationType.MIDWIFERY),
        f.organisation("Wijkteam Noord", type=OrganisationType.DISTRICT_TEAM),
        f.organisation("Schuldhulp Noord", type=OrganisationType.DEBT_COUNSELLING),
        f.organisation("JGZ Noord", type=OrganisationType.JGZ),
        f.organisation("Gemeente Amsterdam", municipality_code="GM0363"),
    ]
    users = [f.user(P, org) for org in organisations[:4]] + [f.user(C, organisations[4])]
    for account in users:
        f.totp_device(account)
    clients = [
        family(users[0], "Anouk"),
        family(users[0], "Bente", municipality="GM0344"),
        family(users[1], "Charlotte"),
    ]
    for client in clients:
        for category in sorted(ALL):
            services.add_note(client, client.created_by, category, _marker(client, category))
    return World(organisations, users, clients)


def _marker(client: Client, category: str) -> str:
    return f"marker-{client.pk}-{category}-note"


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


# --- The oracle: consents, ownership and relations, nothing else -------------------------------


@dataclass
class ConsentRow:
    client: int
    organisation: int | None
    role: str
    categories: frozenset[str]
    valid_from: date
    valid_until: date | None
    withdrawn_at: datetime | None = None
    row: Consent | None = None

    def valid(self, moment: datetime) -> bool:
        day = timezone.localdate(moment)
        return (
            self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
            and (self.withdrawn_at is None or self.withdrawn_at > moment)
        )

    def names(self, organisation: int, role: str) -> bool:
        return self.organisation in (None, organisation) and self.role in ("", role)


@dataclass
class TeamRow:
    client: int
    organisation: int
    since: date
    until: date | None
    row: CareTeamMember


@dataclass
class ReferralRow:
    client: int
    to: int
    state: str
    row: Referral


@dataclass
class Model:
    """What the oracle knows; indices into ``World``."""

    municipality: list[str]
    owner: list[int]
    roles: list[str]
    consents: list[ConsentRow] = field(default_factory=list)
    team: list[TeamRow] = field(default_factory=list)
    referrals: list[ReferralRow] = field(default_factory=list)

    def consented(self, user: int, client: int, moment: datetime) -> frozenset[str]:
        rows = [
            c
            for c in self.consents
            if c.client == client and c.names(user, self.roles[user]) and c.valid(moment)
        ]
        return frozenset().union(*(c.categories for c in rows))

    def in_team(self, org: int, client: int, day: date) -> bool:
        return any(
            t.client == client
            and t.organisation == org
            and t.since <= day
            and (t.until is None or day <= t.until)
            for t in self.team
        )

    def referred(self, org: int, client: int, states: set[str]) -> bool:
        return self.roles[org] == P and any(
            r.client == client and r.to == org and r.state in states for r in self.referrals
        )

    def categories(self, user: int, client: int, moment: datetime) -> frozenset[str]:
        if self.owner[client] == user:
            return ALL
        day = timezone.localdate(moment)
        resident = self.roles[user] == C and self.municipality[client] == "GM0363"
        reach = self.in_team(user, client, day) or self.referred(user, client, OPEN) or resident
        consented = self.consented(user, client, moment)
        return consented if reach and IDENTITY in consented else frozenset()

    def treating(self, user: int, client: int, moment: datetime) -> bool:
        if self.owner[client] == user:
            return True
        if IDENTITY not in self.categories(user, client, moment):
            return False
        day = timezone.localdate(moment)
        return self.in_team(user, client, day) or self.referred(user, client, TREATING)

    def is_own(self, user: int, client: int, moment: datetime) -> bool:
        day = timezone.localdate(moment)
        return self.owner[client] == user or (
            self.in_team(user, client, day) and IDENTITY in self.categories(user, client, moment)
        )

    def may_join_without_consent(self, org: int, client: int, moment: datetime) -> bool:
        """A consent covering identity for the organisation's professionals, in force then."""
        return any(
            c.client == client
            and IDENTITY in c.categories
            and c.valid(moment)
            and (
                (c.organisation == org and c.role in ("", P))
                or (c.organisation is None and c.role == P)
            )
            for c in self.consents
        )

    def candidate(self, user: int, client: int, moment: datetime) -> bool:
        """May become contact person: the owner, or the care team within a consent covering
        identity and care coordination."""
        if self.owner[client] == user:
            return True
        day = timezone.localdate(moment)
        consented = self.consented(user, client, moment)
        return self.in_team(user, client, day) and {IDENTITY, COORDINATION} <= consented


# --- Actions -----------------------------------------------------------------------------------

RECIPIENTS = [(o, "") for o in range(5)] + [(None, P), (None, C), (2, P), (3, C), (4, C)]
consent_action = st.tuples(
    st.just("consent"),
    st.integers(0, 2),  # client
    st.sampled_from(RECIPIENTS),
    st.booleans(),  # identity
    st.frozensets(st.sampled_from(OTHER_CATEGORIES), max_size=4),
    st.integers(-3, 2),  # valid from, days from today
    st.one_of(st.none(), st.integers(0, 20)),  # valid for so many days more
)
ACTIONS = st.one_of(
    consent_action,
    consent_action,
    st.tuples(st.just("withdraw"), st.integers(0, 50)),
    st.tuples(st.just("time"), st.integers(1, 25)),
    st.tuples(
        st.just("join"),
        st.integers(0, 2),
        st.integers(0, 4),
        st.integers(-2, 2),  # since, days from today
        st.one_of(
            st.none(),
            st.tuples(st.booleans(), st.frozensets(st.sampled_from(OTHER_CATEGORIES), max_size=3)),
        ),
    ),
    st.tuples(st.just("leave"), st.integers(0, 50)),
    st.tuples(st.just("refer"), st.integers(0, 2), st.integers(0, 3)),
    st.tuples(st.just("advance"), st.integers(0, 50)),
    st.tuples(st.just("close"), st.integers(0, 50)),
    st.tuples(st.just("conference"), st.integers(0, 2), st.frozensets(st.integers(0, 4))),
    st.tuples(st.just("hand_over"), st.integers(0, 2), st.integers(0, 4)),
)


@dataclass
class Run:
    world: World
    model: Model
    now: datetime

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def owner_user(self, client: int) -> User:
        return self.world.users[self.model.owner[client]]

    def apply(self, action: tuple[Any, ...]) -> bool:
        """Carry out ``action`` on the database and the model; False when it was a no-op
        (nothing to withdraw, end or move on), so the views need no new check."""
        return getattr(self, f"_{action[0]}")(*action[1:]) is not False

    def _consent(
        self,
        client: int,
        recipient: tuple[int | None, str],
        identity: bool,
        others: frozenset[str],
        start: int,
        length: int | None,
    ) -> bool:
        categories = frozenset(others | ({IDENTITY} if identity else set()))
        if not categories:
            return False
        org, role = recipient
        valid_from = self.today + timedelta(days=start)
        valid_until = None if length is None else valid_from + timedelta(days=length)
        row = services.record_consent(
            self.world.clients[client],
            self.owner_user(client),
            categories=categories,
            purpose="Eigenschapstest",
            valid_from=valid_from,
            valid_until=valid_until,
            method="verbal",
            recipient_organisation=None if org is None else self.world.organisations[org],
            recipient_role=role,
            now=self.now,
        )
        self.model.consents.append(
            ConsentRow(client, org, role, categories, valid_from, valid_until, row=row)
        )
        return True

    def _withdraw(self, index: int) -> bool:
        if not self.model.consents:
            return False
        given = self.model.consents[index % len(self.model.consents)]
        assert given.row is not None
        changed = services.withdraw_consent(given.row, self.owner_user(given.client), self.now)
        assert changed == (given.withdrawn_at is None)
        if changed:
            given.withdrawn_at = self.now
        return True

    def _time(self, days: int) -> None:
        self.now += timedelta(days=days)

    def _join(
        self,
        client: int,
        org: int,
        start: int,
        terms: tuple[bool, frozenset[str]] | None,
    ) -> None:
        since = self.today + timedelta(days=start)
        overlapping = any(
            t.client == client and t.organisation == org and (t.until is None or t.until >= since)
            for t in self.model.team
        )
        moment = max(self.now, timezone.make_aware(datetime.combine(since, time.min)))
        consent = None
        categories: frozenset[str] = frozenset()
        if terms is not None:
            categories = terms[1] | ({IDENTITY} if terms[0] else set())
            consent = careplan.ConsentTerms(categories, "Zorgteam", "written")
        if self.model.owner[client] == org or overlapping:
            expected = "refused"
        elif consent is not None:
            expected = "joined" if IDENTITY in categories else "consent"
        else:
            joinable = self.model.may_join_without_consent(org, client, moment)
            expected = "joined" if joinable else "consent"
        try:
            member = careplan.join_team(
                self.world.clients[client],
                self.world.organisations[org],
                since,
                by=self.owner_user(client),
                consent=consent,
                now=self.now,
            )
        except careplan.ConsentRequiredError:
            assert expected == "consent"
            return
        except careplan.CarePlanError:
            assert expected == "refused"
            return
        assert expected == "joined"
        if consent is not None:
            self.model.consents.append(
                ConsentRow(client, org, "", categories, since, None, row=member_consent(member))
            )
        self.model.team.append(TeamRow(client, org, since, None, member))

    def _leave(self, index: int) -> bool:
        if not self.model.team:
            return False
        member = self.model.team[index % len(self.model.team)]
        ended = member.until is not None and member.until < self.today
        try:
            careplan.leave_team(member.row, self.today)
        except careplan.CarePlanError:
            assert ended
            return True
        assert not ended
        if member.since >= self.today:
            self.model.team.remove(member)
        else:
            member.until = self.today - timedelta(days=1)
        return True

    def _refer(self, client: int, to: int) -> bool:
        if self.model.owner[client] == to:
            return False
        referral = referral_services.create_referral(
            self.world.clients[client],
            self.owner_user(client),
            to_organisation=self.world.organisations[to],
            route_code=conferences.REFERRAL_ROUTE,
            route_step="",
            reason="Eigenschapstest",
            category=DataCategory.FAMILY.value,
            now=self.now,
        )
        self.model.referrals.append(ReferralRow(client, to, "requested", referral))
        return True

    def _transition(self, index: int, steps: dict[str, tuple[str, str, bool]]) -> bool:
        if not self.model.referrals:
            return False
        referral = self.model.referrals[index % len(self.model.referrals)]
        if referral.state not in steps:
            return False
        action, new_state, by_receiver = steps[referral.state]
        actor = self.world.users[referral.to] if by_receiver else self.owner_user(referral.client)
        referral.row = referral_services.transition(
            referral.row, action, actor, referral.row.version, "Eigenschapstest", self.now
        )
        assert referral.row.state == new_state
        referral.state = new_state
        return True

    def _advance(self, index: int) -> bool:
        return self._transition(
            index,
            {
                "requested": ("accept", "accepted", True),
                "accepted": ("start", "in_progress", True),
                "in_progress": ("complete", "completed", True),
            },
        )

    def _close(self, index: int) -> bool:
        return self._transition(
            index,
            {
                "requested": ("reject", "rejected", True),
                "accepted": ("cancel", "cancelled", False),
                "in_progress": ("cancel", "cancelled", True),
            },
        )

    def _conference(self, client: int, participants: frozenset[int]) -> None:
        organiser = self.owner_user(client)
        conference = conferences.create_conference(
            organiser,
            title="Overleg",
            starts_at=self.now + timedelta(days=1),
            municipality_code="GM0363",
            now=self.now,
        )
        joined = []
        for index in sorted(participants - {self.model.owner[client]}):
            conferences.add_participant(conference, self.world.users[index], self.now)
            joined.append(index)
        item = conferences.add_item(
            conference,
            organiser,
            summary="Een casus.",
            client=self.world.clients[client],
            now=self.now,
        )
        expected = {
            str(self.world.users[i].pk): {IDENTITY, COORDINATION}
            <= self.model.categories(i, client, self.now)
            for i in [self.model.owner[client], *joined]
        }
        assert item.consent_check == expected
        assert item.anonymous == (not all(expected.values()))

    def _hand_over(self, client: int, to: int) -> None:
        target = self.world.users[to]
        candidates = services.contact_person_candidates(
            self.world.clients[client], self.today, self.now
        )
        allowed = candidates.filter(pk=target.pk).exists()
        assert allowed == self.model.candidate(to, client, self.now)
        if allowed:
            services.hand_over(
                self.world.clients[client], target, self.owner_user(client), now=self.now
            )

    # --- The check ------------------------------------------------------------------------------

    def check(self) -> None:
        """Every user's view through the policy decision point equals the oracle's."""
        for index, user in enumerate(self.world.users):
            access = Access.for_user(user, self.now)
            listed = {
                c.pk: c.is_own  # type: ignore[attr-defined]
                for c in access.with_relation(access.visible_clients()).only("pk")
            }
            grants = access.grants(self.world.clients)
            for number, client in enumerate(self.world.clients):
                expected = self.model.categories(index, number, self.now)
                grant = grants[client.pk]
                context = (index, number, self.now)
                assert grant.categories == expected, context
                assert (client.pk in listed) == (IDENTITY in expected), context
                assert grant.treatment_relationship == self.model.treating(
                    index, number, self.now
                ), context
                if client.pk in listed:
                    assert listed[client.pk] == self.model.is_own(index, number, self.now), context

    def check_pages(self, user: int) -> None:
        """One user's real client pages, at the real time: status and the notes shown."""
        browser = f.signed_in(self.world.users[user])
        for number, client in enumerate(self.world.clients):
            moment = timezone.now()
            expected = self.model.categories(user, number, moment)
            response = browser.get(reverse("care:client", args=[client.pk]))
            assert response.status_code == (200 if IDENTITY in expected else 404)
            if response.status_code == 200:
                page = response.content.decode()
                shown = {c for c in ALL if _marker(client, c) in page}
                assert shown == expected, (user, number)


def member_consent(member: CareTeamMember) -> Consent:
    """The consent ``join_team`` recorded with ``member`` (the newest for its organisation)."""
    return Consent.objects.filter(
        client_id=member.client_id, recipient_organisation_id=member.organisation_id
    ).latest("recorded_at", "pk")


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(actions=st.lists(ACTIONS, min_size=1, max_size=8), page_user=st.integers(0, 4))
def test_every_view_equals_what_the_consents_allow(
    world: World, db: None, actions: list[tuple[Any, ...]], page_user: int
) -> None:
    model = Model(
        municipality=[c.municipality_code for c in world.clients],
        owner=[
            next(i for i, o in enumerate(world.organisations) if o.pk == c.owner_organisation_id)
            for c in world.clients
        ],
        roles=[u.role for u in world.users],
    )
    with transaction.atomic():
        run = Run(world, model, timezone.now())
        run.check()
        for action in actions:
            if run.apply(action):
                run.check()
        run.check_pages(page_user)
        transaction.set_rollback(True)

"""Case conferences (casuistiekbespreking): the rules of the meeting, its agenda and what it
decided (views hold no rules; they authorise the page and write the audit entries).

**The consent check.** An agenda item names its family only when *every* participant may see
the family's identity and care coordination data (``CONSENT_CATEGORIES``), each participant
judged by the policy decision point as themself (``Access.for_user(participant.user)``). The
result is stored per participant on the item (``consent_check``) when the item is added and
again whenever the participants change, and checked once more before a decision is recorded: a
withdrawn consent takes effect at once. An item that fails the check is discussed anonymously
("Casus N" and a pseudonymous case description); only the presenter, a professional of the
family's owning organisation or care team, knows who it is. An anonymous item never becomes
named again by itself (the presenter adds it anew when everyone may see the family).

**What a viewer sees** does not depend on the stored check but on the viewer's own grant at the
moment of the request (``named_for``): the family's name only when their grant covers identity
and care coordination (``sees_family``; emergency access does not count). So a consent
withdrawn after the check hides the name from that viewer on the next request, while the others
still see it.

**Decisions** on a named item: a referral (by a professional with a treatment relationship, in
a category they may see, from their organisation to the responsible one, through
``referrals.services.create_referral``), a task or a care-plan goal (by a participant who may
see the family and the category), or advice. On an anonymous item: advice by anyone, a task or goal
only by the presenter for their own client. Minutes made final (state held) are read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.care.access import Access, Grant
from kansrijk.web.care.models import CarePlanGoal, Client, Task
from kansrijk.web.care.vocabulary import DataCategory
from kansrijk.web.coalitions.models import CoalitionPartner
from kansrijk.web.conferences.models import (
    AgendaItem,
    CaseConference,
    ConferenceDecision,
    ConferenceParticipant,
    ConferenceState,
    DecisionKind,
)
from kansrijk.web.periods import valid_on
from kansrijk.web.referrals import services as referral_services

IDENTITY = DataCategory.IDENTITY.value
COORDINATION = DataCategory.CARE_COORDINATION.value
#: What every participant must be allowed to see before an item names its family.
CONSENT_CATEGORIES = frozenset({IDENTITY, COORDINATION})
#: Who takes part in (and organises) case conferences.
CONFERENCE_ROLES = (Role.PROFESSIONAL, Role.COORDINATOR)
#: The route code of referrals agreed in a case conference (not a step of a client route).
REFERRAL_ROUTE = "case_conference"


class ConferenceError(Exception):
    """A change the conference's rules refuse (the message says why)."""


class DecisionRefusedError(ConferenceError):
    """The user may not record this kind of decision on this item."""


# --- Who ------------------------------------------------------------------------------------


def may_take_part(user: User) -> bool:
    """Professionals and coordinators of an organisation (not a national one)."""
    org = user.organisation
    return (
        user.is_active
        and user.role in CONFERENCE_ROLES
        and org is not None
        and org.type != OrganisationType.NATIONAL
    )


def visible_conferences(user: User) -> QuerySet[CaseConference]:
    """The conferences the user organises or takes part in."""
    return CaseConference.objects.filter(
        Q(organiser=user)
        | Q(pk__in=ConferenceParticipant.objects.filter(user=user).values("conference_id"))
    )


def listed_conferences(access: Access) -> QuerySet[CaseConference]:
    """The list page: the user's own conferences; a coordinator also sees (the existence and
    metadata of) the conferences of their municipality."""
    mine = visible_conferences(access.user)
    if access.is_coordinator:
        return CaseConference.objects.filter(
            Q(pk__in=mine.values("pk")) | Q(municipality_code=access.municipality_code)
        )
    return mine


def is_member(conference: CaseConference, user: User) -> bool:
    return conference.organiser_id == user.pk or conference.participants.filter(user=user).exists()


def partner_organisations(municipality_code: str, day: date) -> QuerySet[Organisation] | None:
    """The partners on ``day`` of the coalitions covering the municipality; None when there is
    no coalition data for it (then any care organisation may take part)."""
    partners = CoalitionPartner.objects.filter(
        valid_on(day),
        valid_on(day, "coalition__memberships__valid_from", "coalition__memberships__valid_to"),
        coalition__memberships__municipality_id=municipality_code,
    )
    if not partners.exists():
        return None
    return Organisation.objects.filter(pk__in=partners.values("organisation_id"))


def candidates(conference: CaseConference, day: date) -> QuerySet[User]:
    """Users who may be added: active professionals and coordinators of the coalition's
    partners, of the municipality itself and of the organiser's organisation (of every care
    organisation when the municipality has no coalition data), not yet taking part."""
    users = User.objects.filter(
        is_active=True, role__in=CONFERENCE_ROLES, organisation__isnull=False
    ).exclude(organisation__type=OrganisationType.NATIONAL)
    partners = partner_organisations(conference.municipality_code, day)
    if partners is not None:
        users = users.filter(
            Q(organisation__in=partners)
            | Q(
                organisation__type=OrganisationType.MUNICIPALITY,
                organisation__municipality_code=conference.municipality_code,
            )
            | Q(organisation_id=conference.organisation_id)
        )
    taking_part = conference.participants.values("user_id")
    return (
        users.exclude(pk__in=taking_part)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "username")
    )


# --- The conference -------------------------------------------------------------------------


def create_conference(
    organiser: User,
    *,
    title: str,
    starts_at: datetime,
    location: str = "",
    municipality_code: str = "",
    now: datetime | None = None,
) -> CaseConference:
    """A planned conference of the organiser's organisation, with the organiser as its first
    participant; the municipality is the organisation's unless another is chosen."""
    if not may_take_part(organiser):
        raise ConferenceError("a conference is organised by a professional or coordinator")
    org = organiser.organisation
    assert org is not None
    code = municipality_code or org.municipality_code
    if not code:
        raise ConferenceError("a conference belongs to a municipality")
    with transaction.atomic():
        conference = CaseConference.objects.create(
            title=title.strip(),
            municipality_code=code,
            starts_at=starts_at,
            location=location.strip(),
            organiser=organiser,
            organisation=org,
            created_at=now or timezone.now(),
        )
        ConferenceParticipant.objects.create(
            conference=conference, user=organiser, organisation=org
        )
    return conference


def _require_planned(conference: CaseConference) -> None:
    if conference.state != ConferenceState.PLANNED:
        raise ConferenceError("the minutes are final; the conference can no longer change")


def add_participant(
    conference: CaseConference, user: User, now: datetime | None = None
) -> ConferenceParticipant:
    """Add a participant (for their organisation) and run the consent check again."""
    _require_planned(conference)
    now = now or timezone.now()
    if not candidates(conference, timezone.localdate(now)).filter(pk=user.pk).exists():
        raise ConferenceError("this user cannot take part in this conference")
    assert user.organisation is not None
    with transaction.atomic():
        participant = ConferenceParticipant.objects.create(
            conference=conference, user=user, organisation=user.organisation
        )
        recheck_conference(conference, now)
    return participant


def remove_participant(
    conference: CaseConference, participant: ConferenceParticipant, now: datetime | None = None
) -> None:
    """Remove a participant (not the organiser, nor someone presenting an item) and run the
    consent check again."""
    _require_planned(conference)
    if participant.conference_id != conference.pk:
        raise ConferenceError("not a participant of this conference")
    if participant.user_id == conference.organiser_id:
        raise ConferenceError("the organiser takes part")
    if conference.items.filter(presenter_id=participant.user_id).exists():
        raise ConferenceError("this participant presents an item")
    with transaction.atomic():
        participant.delete()
        recheck_conference(conference, now or timezone.now())


# --- The consent check ----------------------------------------------------------------------


def consent_check(
    client: Client, participants: Iterable[ConferenceParticipant], now: datetime
) -> dict[str, bool]:
    """Per participant (user id as text): may they see the family's identity and care
    coordination data, by their own grant at ``now``?"""
    return {
        str(p.user_id): sees_family(Access.for_user(p.user, now).grant(client))
        for p in participants
    }


def sees_family(grant: Grant | None) -> bool:
    """Whether a grant shows the family for a conference: identity and care coordination, not
    through emergency access (breaking the glass is for urgent care, not for a meeting)."""
    return grant is not None and grant.covers(CONSENT_CATEGORIES) and not grant.emergency


def everyone_may_see(check: Mapping[str, bool]) -> bool:
    return bool(check) and all(check.values())


def _participants(conference: CaseConference) -> list[ConferenceParticipant]:
    return list(conference.participants.select_related("user", "user__organisation"))


def recheck_item(
    item: AgendaItem, now: datetime, participants: list[ConferenceParticipant] | None = None
) -> AgendaItem:
    """Run the item's consent check again and store it; a named item that fails it becomes
    anonymous (and stays so)."""
    if item.client is None:
        return item
    check = consent_check(item.client, participants or _participants(item.conference), now)
    anonymous = item.anonymous or not everyone_may_see(check)
    if check != item.consent_check or anonymous != item.anonymous:
        item.consent_check, item.anonymous = check, anonymous
        item.save(update_fields=["consent_check", "anonymous"])
    return item


def recheck_conference(conference: CaseConference, now: datetime) -> None:
    participants = _participants(conference)
    for item in conference.items.select_related("client", "conference"):
        recheck_item(item, now, participants)


# --- The agenda -----------------------------------------------------------------------------


def may_present(grant: Grant, user: User) -> bool:
    """A professional whose organisation owns the family or is in its care team."""
    return user.role == Role.PROFESSIONAL and grant.own and not grant.emergency


def add_item(
    conference: CaseConference,
    presenter: User,
    *,
    summary: str,
    question: str = "",
    client: Client | None = None,
    anonymous: bool = False,
    now: datetime | None = None,
) -> AgendaItem:
    """Put a case on the agenda at the next position. With a family, the consent check decides
    whether it is named (the presenter may choose anonymous anyway); without one it is
    anonymous."""
    _require_planned(conference)
    now = now or timezone.now()
    if presenter.organisation is None or not is_member(conference, presenter):
        raise ConferenceError("the presenter takes part in the conference")
    if client is not None and not may_present(
        Access.for_user(presenter, now).grant(client), presenter
    ):
        raise ConferenceError("a family is presented by its own organisation or care team")
    check = consent_check(client, _participants(conference), now) if client is not None else {}
    with transaction.atomic():
        CaseConference.objects.select_for_update().filter(pk=conference.pk).first()
        last = conference.items.aggregate(last=Max("position"))["last"] or 0
        return AgendaItem.objects.create(
            conference=conference,
            position=last + 1,
            client=client,
            presenter=presenter,
            presenter_organisation=presenter.organisation,
            anonymous=anonymous or client is None or not everyone_may_see(check),
            summary=summary.strip(),
            question=question.strip(),
            consent_check=check,
        )


def named_for(item: AgendaItem, grant: Grant | None) -> bool:
    """Whether this viewer sees the item's family by name: their own grant (now) covers
    identity and care coordination."""
    return item.client_id is not None and sees_family(grant)


# --- Minutes --------------------------------------------------------------------------------


def record_item_minutes(item: AgendaItem, minutes: str) -> None:
    _require_planned(item.conference)
    item.minutes = minutes.strip()
    item.save(update_fields=["minutes"])


def record_minutes(conference: CaseConference, minutes: str) -> None:
    _require_planned(conference)
    conference.minutes = minutes.strip()
    conference.save(update_fields=["minutes"])


def finalise(conference: CaseConference, now: datetime | None = None) -> bool:
    """Make the minutes final (state held); False when they were final already."""
    changed = CaseConference.objects.filter(pk=conference.pk, state=ConferenceState.PLANNED).update(
        state=ConferenceState.HELD, held_at=now or timezone.now()
    )
    conference.refresh_from_db()
    return changed == 1


# --- Decisions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInput:
    kind: str
    text: str
    category: str = COORDINATION
    responsible_organisation: Organisation | None = None
    due: date | None = None


def allowed_kinds(item: AgendaItem, user: User, grant: Grant | None) -> list[str]:
    """The kinds of decision ``user`` may record on ``item`` (``grant``: theirs for its family,
    None when it has none)."""
    kinds = [DecisionKind.ADVICE.value]
    if item.client_id is None or grant is None:
        return kinds
    if item.anonymous:
        if item.presenter_id == user.pk and may_present(grant, user):
            kinds += [DecisionKind.TASK.value, DecisionKind.GOAL.value]
        return kinds
    if sees_family(grant):
        if user.role == Role.PROFESSIONAL and grant.treatment_relationship:
            kinds.append(DecisionKind.REFERRAL.value)
        kinds += [DecisionKind.TASK.value, DecisionKind.GOAL.value]
    return kinds


def record_decision(
    item: AgendaItem, user: User, decision: DecisionInput, now: datetime | None = None
) -> ConferenceDecision:
    """Check consent again, then record the decision and what it becomes: a referral, a task,
    a care-plan goal, or nothing (advice). Raises DecisionRefusedError."""
    conference = item.conference
    _require_planned(conference)
    now = now or timezone.now()
    if not is_member(conference, user) or user.organisation is None:
        raise DecisionRefusedError("only participants record decisions")
    recheck_item(item, now)
    client = item.client
    grant = Access.for_user(user, now).grant(client) if client is not None else None
    if decision.kind not in allowed_kinds(item, user, grant):
        raise DecisionRefusedError(
            "on an anonymous item: advice, or a task or goal by the presenter"
            if item.anonymous
            else "you may not record this kind of decision for this family"
        )
    category = DataCategory(decision.category).value
    if decision.kind != DecisionKind.ADVICE and (grant is None or not grant.may(category)):
        raise DecisionRefusedError("you may not see this data category of the family")
    responsible = decision.responsible_organisation
    if decision.kind == DecisionKind.REFERRAL and (
        responsible is None or responsible.pk == user.organisation_id
    ):
        raise DecisionRefusedError("a referral goes to another organisation")
    with transaction.atomic():
        made = ConferenceDecision.objects.create(
            item=item,
            kind=decision.kind,
            text=decision.text.strip(),
            responsible_organisation=responsible,
            due=decision.due,
            created_by=user,
            created_at=now,
        )
        if decision.kind == DecisionKind.REFERRAL:
            assert client is not None and responsible is not None
            made.referral = referral_services.create_referral(
                client,
                user,
                to_organisation=responsible,
                route_code=REFERRAL_ROUTE,
                route_step="",
                reason=made.text,
                category=category,
                now=now,
            )
            made.save(update_fields=["referral"])
        elif decision.kind == DecisionKind.TASK:
            assert client is not None
            Task.objects.create(
                client=client,
                category=category,
                title=made.text[:300],
                organisation=responsible or user.organisation,
                due=decision.due,
                created_by=user,
                created_at=now,
                decision=made,
            )
        elif decision.kind == DecisionKind.GOAL:
            assert client is not None
            CarePlanGoal.objects.create(
                client=client,
                category=category,
                text=made.text,
                target_date=decision.due,
                organisation=responsible or user.organisation,
                created_by=user,
                created_at=now,
                decision=made,
            )
    return made


def decision_categories(decision: ConferenceDecision) -> tuple[str, ...]:
    """The data categories a case conference decision's text reveals: care coordination, plus
    the category of the referral, tasks or goals it became (the text names what they are
    about). Pages show the text only to a grant that covers all of them."""
    if decision.referral is not None:
        extra = [decision.referral.category]
    else:
        extra = [t.category for t in decision.tasks.all()] + [
            g.category for g in decision.goals.all()
        ]
    return tuple(dict.fromkeys([COORDINATION, *extra]))

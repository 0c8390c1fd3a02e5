"""The care plan and the care team of a family: goals, tasks, and which organisations work
with the family. The care team gives an organisation a treatment relationship, but never
content by itself: a member sees what the family's valid consent for it covers, so joining
needs such a consent, recorded before or in the same step (``join_team``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import Role
from kansrijk.web.care import services
from kansrijk.web.care.models import CarePlanGoal, CareTeamMember, Client, Consent, GoalStatus, Task
from kansrijk.web.care.vocabulary import DataCategory
from kansrijk.web.conferences.models import ConferenceDecision

IDENTITY = DataCategory.IDENTITY.value


class CarePlanError(ValueError):
    """A change the care plan does not allow (the message says why)."""


class ConsentRequiredError(CarePlanError):
    """An organisation joins the care team only within a valid consent of the family."""


@dataclass(frozen=True)
class ConsentTerms:
    """The consent the family gives when an organisation joins its care team: the data
    categories (identity among them), purpose, end of the period (it starts on the day the
    membership starts) and how it was given."""

    categories: Iterable[str]
    purpose: str
    method: str
    valid_until: date | None = None


def _organisation(user: User) -> Organisation:
    if user.organisation is None:
        raise CarePlanError("only a user of an organisation changes a care plan")
    return user.organisation


def set_goal(
    client: Client,
    user: User,
    category: str,
    text: str,
    target_date: date | None = None,
    decision: ConferenceDecision | None = None,
    now: datetime | None = None,
) -> CarePlanGoal:
    """A new open goal, set by ``user`` for their organisation."""
    if not text.strip():
        raise CarePlanError("a goal needs a text")
    return CarePlanGoal.objects.create(
        client=client,
        category=DataCategory(category).value,
        text=text.strip(),
        target_date=target_date,
        organisation=_organisation(user),
        created_by=user,
        created_at=now or timezone.now(),
        decision=decision,
    )


def close_goal(goal: CarePlanGoal, status: str, now: datetime | None = None) -> CarePlanGoal:
    """Mark an open goal achieved or dropped (a closed goal stays closed)."""
    if status not in (GoalStatus.ACHIEVED, GoalStatus.DROPPED):
        raise CarePlanError("a goal closes as achieved or dropped")
    changed = CarePlanGoal.objects.filter(pk=goal.pk, status=GoalStatus.OPEN).update(
        status=status, closed_at=now or timezone.now()
    )
    if not changed:
        raise CarePlanError("the goal is already closed")
    goal.refresh_from_db()
    return goal


def create_task(
    client: Client,
    user: User,
    category: str,
    title: str,
    organisation: Organisation,
    due: date | None = None,
    assignee: User | None = None,
    decision: ConferenceDecision | None = None,
    now: datetime | None = None,
) -> Task:
    """A task for ``organisation`` (and maybe one of its professionals)."""
    if not title.strip():
        raise CarePlanError("a task needs a title")
    if assignee is not None and assignee.organisation_id != organisation.pk:
        raise CarePlanError("the responsible professional works for the responsible organisation")
    _organisation(user)
    return Task.objects.create(
        client=client,
        category=DataCategory(category).value,
        title=title.strip(),
        organisation=organisation,
        assignee=assignee,
        due=due,
        created_by=user,
        created_at=now or timezone.now(),
        decision=decision,
    )


def complete_task(task: Task, user: User, now: datetime | None = None) -> Task:
    """Mark a task done; only its responsible organisation may."""
    if user.organisation_id != task.organisation_id:
        raise CarePlanError("only the responsible organisation completes a task")
    changed = Task.objects.filter(pk=task.pk, completed_at__isnull=True).update(
        completed_at=now or timezone.now()
    )
    if not changed:
        raise CarePlanError("the task is already completed")
    task.refresh_from_db()
    return task


def team_consent(
    client: Client, organisation: Organisation, since: date, now: datetime | None = None
) -> Consent | None:
    """A consent of the family in force when a membership from ``since`` takes effect (now, or
    the start of that day when it lies ahead) that lets ``organisation``'s professionals open
    the record (covers identity): for the organisation (any role or the professional role),
    or for professionals in every organisation."""
    now = now or timezone.now()
    moment = max(now, timezone.make_aware(datetime.combine(since, time.min)))
    recipient = Q(recipient_organisation=organisation) | Q(
        recipient_organisation__isnull=True, recipient_role=Role.PROFESSIONAL
    )
    return (
        Consent.objects.valid_at(moment)
        .filter(recipient, Q(recipient_role="") | Q(recipient_role=Role.PROFESSIONAL))
        .filter(client=client, categories__category=IDENTITY)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def join_team(
    client: Client,
    organisation: Organisation,
    since: date,
    *,
    by: User | None = None,
    consent: ConsentTerms | None = None,
    now: datetime | None = None,
) -> CareTeamMember:
    """Add an organisation to the care team from ``since`` (once: no overlapping periods).

    Membership opens nothing by itself: with ``consent`` the family's consent for the
    organisation is recorded (by ``by``, from ``since``) in the same transaction; without it a
    consent covering identity must be in force when the membership starts
    (``ConsentRequiredError`` otherwise)."""
    if organisation.pk == client.owner_organisation_id:
        raise CarePlanError("the owning organisation is always part of the care")
    now = now or timezone.now()
    with transaction.atomic():
        open_rows = CareTeamMember.objects.filter(client=client, organisation=organisation).exclude(
            until__lt=since
        )
        if open_rows.exists():
            raise CarePlanError("the organisation is already in the care team")
        if consent is not None:
            chosen = set(consent.categories)
            if IDENTITY not in chosen:
                raise ConsentRequiredError("the consent must cover the identity category")
            if by is None:
                raise ConsentRequiredError("a consent is recorded by a user")
            if consent.valid_until is not None and consent.valid_until < since:
                raise ConsentRequiredError("the consent ends before the membership starts")
            services.record_consent(
                client,
                by,
                categories=chosen,
                purpose=consent.purpose,
                valid_from=since,
                valid_until=consent.valid_until,
                method=consent.method,
                recipient_organisation=organisation,
                now=now,
            )
        elif team_consent(client, organisation, since, now) is None:
            raise ConsentRequiredError("the family has not consented to share data with it")
        return CareTeamMember.objects.create(client=client, organisation=organisation, since=since)


def leave_team(member: CareTeamMember, today: date) -> None:
    """End an organisation's membership at once: it ends yesterday (memberships include their
    last day), or is removed when it only starts today or later."""
    if member.until is not None and member.until < today:
        raise CarePlanError("the membership has already ended")
    if member.since >= today:
        member.delete()
        return
    member.until = today - timedelta(days=1)
    member.save(update_fields=["until"])

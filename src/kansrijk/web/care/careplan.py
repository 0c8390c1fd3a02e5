"""The care plan and the care team of a family: goals, tasks, and which organisations work
with the family (the care team is what gives an organisation a treatment relationship)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.care.models import (
    CarePlanGoal,
    CareTeamMember,
    Client,
    ConferenceDecision,
    GoalStatus,
    Task,
)
from kansrijk.web.care.vocabulary import DataCategory


class CarePlanError(ValueError):
    """A change the care plan does not allow (the message says why)."""


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


def join_team(client: Client, organisation: Organisation, since: date) -> CareTeamMember:
    """Add an organisation to the care team from ``since`` (once: no overlapping periods)."""
    if organisation.pk == client.owner_organisation_id:
        raise CarePlanError("the owning organisation is always part of the care")
    open_rows = CareTeamMember.objects.filter(client=client, organisation=organisation).exclude(
        until__lt=since
    )
    if open_rows.exists():
        raise CarePlanError("the organisation is already in the care team")
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

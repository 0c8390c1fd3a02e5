"""The family's care plan (goals and tasks) and care team: one page, with small forms that
post to their own URL. Goals and tasks carry a data category; the page shows only those the
viewer's grant covers, and the care team needs the care-coordination category. Joining the
care team asks for the family's consent (``careplan.join_team``): consent is the only key to
content."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kansrijk.web.care import careplan
from kansrijk.web.care.access import Access, Grant
from kansrijk.web.care.forms import CareTeamForm, GoalForm, TaskForm
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.models import CarePlanGoal, CareTeamMember, Client, GoalStatus, Task
from kansrijk.web.care.views.common import (
    COORDINATION,
    CREATE,
    IDENTITY,
    READ,
    UPDATE,
    display_name,
    may_manage,
    may_refer,
    require,
    visible_client,
)
from kansrijk.web.referrals import coalition


def _plan_categories(grant: Grant) -> frozenset[str]:
    """Categories a goal or task may be filed under by this viewer."""
    return grant.categories - {IDENTITY}


def _context(
    access: Access, client: Client, grant: Grant, **forms: Any
) -> tuple[dict[str, Any], set[str]]:
    shown = {IDENTITY}
    goals = [g for g in CarePlanGoal.objects.filter(client=client) if grant.may(g.category)]
    tasks = [
        t
        for t in Task.objects.filter(client=client).select_related("organisation", "assignee")
        if grant.may(t.category)
    ]
    shown |= {g.category for g in goals} | {t.category for t in tasks}
    team: list[CareTeamMember] = []
    if grant.may(COORDINATION):
        shown.add(COORDINATION)
        team = list(
            CareTeamMember.objects.filter(client=client)
            .select_related("organisation")
            .order_by("-since", "pk")
        )
    may_plan = may_refer(access, grant)
    organisations = coalition.referral_targets(client.municipality_code, None, access.today)
    categories = _plan_categories(grant)
    context = {
        "client": client,
        "name": display_name(client),
        "grant": grant,
        "goals": goals,
        "tasks": tasks,
        "team": team,
        "team_visible": grant.may(COORDINATION),
        "today": access.today,
        "may_plan": may_plan,
        "may_manage_team": may_manage(access, grant) and grant.may(COORDINATION),
        "goal_form": forms.get("goal_form") or GoalForm(categories=categories, prefix="goal"),
        "task_form": forms.get("task_form")
        or TaskForm(
            categories=categories,
            organisations=organisations,
            initial={"organisation": access.organisation_id},
            prefix="task",
        ),
        "team_form": forms.get("team_form")
        or CareTeamForm(
            organisations=organisations.exclude(pk=client.owner_organisation_id),
            initial={"since": access.today},
            prefix="team",
        ),
        "GoalStatus": GoalStatus,
    }
    return context, shown


@require_GET
@care_view(READ)
def care_plan(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    client, grant = visible_client(access, pk)
    context, shown = _context(access, client, grant)
    trail.client(client, grant, shown)
    return render(request, "care/care_plan.html", context)


def _invalid(
    request: HttpRequest, access: Access, trail: Trail, client: Client, grant: Grant, **forms: Any
) -> HttpResponse:
    context, shown = _context(access, client, grant, **forms)
    trail.client(client, grant, shown, action=READ, detail="care plan form invalid")
    return render(request, "care/care_plan.html", context, status=400)


@require_POST
@care_view(CREATE)
def goal_new(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    client, grant = visible_client(access, pk)
    require(may_refer(access, grant))
    form = GoalForm(request.POST, categories=_plan_categories(grant), prefix="goal")
    if not form.is_valid():
        return _invalid(request, access, trail, client, grant, goal_form=form)
    d = form.cleaned_data
    goal = careplan.set_goal(
        client, access.user, d["category"], d["text"], d["target_date"], now=access.now
    )
    trail.client(client, grant, [goal.category], detail=f"goal {goal.pk} set")
    messages.success(request, _("The goal has been added to the care plan."))
    return redirect("care:care_plan", pk=client.pk)


@require_POST
@care_view(UPDATE)
def goal_close(
    request: HttpRequest, access: Access, trail: Trail, pk: int, goal_pk: int
) -> HttpResponse:
    client, grant = visible_client(access, pk)
    goal = get_object_or_404(CarePlanGoal, pk=goal_pk, client=client)
    require(may_refer(access, grant) and grant.may(goal.category))
    status = request.POST.get("status", "")
    try:
        careplan.close_goal(goal, status, access.now)
    except careplan.CarePlanError as error:
        trail.client(client, grant, [goal.category], action=READ, detail=f"goal refused: {error}")
        return HttpResponse(str(error), status=409)
    trail.client(client, grant, [goal.category], detail=f"goal {goal.pk} {status}")
    messages.success(request, _("The goal has been closed."))
    return redirect("care:care_plan", pk=client.pk)


@require_POST
@care_view(CREATE)
def task_new(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    client, grant = visible_client(access, pk)
    require(may_refer(access, grant))
    organisations = coalition.referral_targets(client.municipality_code, None, access.today)
    form = TaskForm(
        request.POST, categories=_plan_categories(grant), organisations=organisations, prefix="task"
    )
    if not form.is_valid():
        return _invalid(request, access, trail, client, grant, task_form=form)
    d = form.cleaned_data
    task = careplan.create_task(
        client,
        access.user,
        d["category"],
        d["title"],
        d["organisation"],
        d["due"],
        assignee=access.user if d["organisation"].pk == access.organisation_id else None,
        now=access.now,
    )
    trail.client(client, grant, [task.category], detail=f"task {task.pk} created")
    messages.success(request, _("The task has been added to the care plan."))
    return redirect("care:care_plan", pk=client.pk)


@require_POST
@care_view(UPDATE)
def task_done(
    request: HttpRequest, access: Access, trail: Trail, pk: int, task_pk: int
) -> HttpResponse:
    client, grant = visible_client(access, pk)
    task = get_object_or_404(Task, pk=task_pk, client=client)
    require(access.is_professional and grant.may(task.category))
    require(task.organisation_id == access.organisation_id)
    try:
        careplan.complete_task(task, access.user, access.now)
    except careplan.CarePlanError as error:
        trail.client(client, grant, [task.category], action=READ, detail=f"task refused: {error}")
        return HttpResponse(str(error), status=409)
    trail.client(client, grant, [task.category], detail=f"task {task.pk} completed")
    messages.success(request, _("The task has been completed."))
    return redirect("care:care_plan", pk=client.pk)


@require_POST
@care_view(CREATE)
def team_join(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    """An organisation joins the care team. Membership opens the record only within the
    family's consent: without a valid consent for the organisation (covering identity) the
    form's consent fields record the consent the family gives now, in the same step, or the
    join is refused (400, nothing stored)."""
    client, grant = visible_client(access, pk)
    require(may_manage(access, grant) and grant.may(COORDINATION))
    organisations = coalition.referral_targets(
        client.municipality_code, client.owner_organisation_id, access.today
    )
    form = CareTeamForm(request.POST, organisations=organisations, prefix="team")
    if form.is_valid():
        d = form.cleaned_data
        terms = None
        if d["consent_categories"]:
            terms = careplan.ConsentTerms(
                categories=d["consent_categories"],
                purpose=d["consent_purpose"].strip(),
                method=d["consent_method"],
                valid_until=d["consent_until"],
            )
        try:
            member = careplan.join_team(
                client, d["organisation"], d["since"], by=access.user, consent=terms, now=access.now
            )
        except careplan.ConsentRequiredError:
            form.add_error(
                "consent_categories",
                _(
                    "The family has not consented to share data with this organisation."
                    " Record the consent the family gives now (data categories including"
                    " identity, purpose, period and how it was given), or ask for it first:"
                    " the care team gives no access beyond consent."
                ),
            )
        except careplan.CarePlanError as error:
            form.add_error("organisation", str(error))
        else:
            detail = f"care team: organisation joined {member.pk}"
            if terms is not None:
                detail += " with consent recorded"
            trail.client(client, grant, [COORDINATION], detail=detail)
            messages.success(request, _("The organisation has joined the care team."))
            return redirect("care:care_plan", pk=client.pk)
    return _invalid(request, access, trail, client, grant, team_form=form)


@require_POST
@care_view(UPDATE)
def team_leave(
    request: HttpRequest, access: Access, trail: Trail, pk: int, member_pk: int
) -> HttpResponse:
    client, grant = visible_client(access, pk)
    require(may_manage(access, grant) and grant.may(COORDINATION))
    member = get_object_or_404(CareTeamMember, pk=member_pk, client=client)
    try:
        careplan.leave_team(member, access.today)
    except careplan.CarePlanError as error:
        trail.client(client, grant, [COORDINATION], action=READ, detail=f"team refused: {error}")
        return HttpResponse(str(error), status=409)
    trail.client(client, grant, [COORDINATION], detail=f"care team: membership {member_pk} ended")
    messages.success(request, _("The organisation has left the care team."))
    return redirect("care:care_plan", pk=client.pk)

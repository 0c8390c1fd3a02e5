"""Case conference pages: the list, a new conference, its page (participants with the consent
check, agenda, minutes, decisions), participants, agenda items, minutes, decisions and making
the minutes final. The rules are in ``care.conferences``.

Only the organiser and the participants see a conference (404 for everyone else, like an
invisible client); roles without client data get 403. A viewer sees a family's name on an item
only when their own grant covers identity and care coordination; otherwise "Case N" and the
pseudonymous description. Every page writes one entry for the page and, where it shows agenda
items, one per item with a family (identity and care coordination when named for the viewer,
no categories when shown anonymously).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansrijk.web.accounts.models import Organisation
from kansrijk.web.accounts.roles import OrganisationType
from kansrijk.web.audit.log import Flags
from kansrijk.web.care.access import Access, Grant
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.models import Client
from kansrijk.web.care.views.common import (
    COORDINATION,
    CREATE,
    IDENTITY,
    PAGE_SIZE,
    READ,
    UPDATE,
    display_name,
    listed_flags,
    members_prefetch,
    require,
)
from kansrijk.web.care.vocabulary import DataCategory
from kansrijk.web.conferences import services as conferences
from kansrijk.web.conferences.forms import (
    NO_FAMILY,
    AgendaItemForm,
    ConferenceForm,
    DecisionForm,
    Family,
    GeneralMinutesForm,
    MinutesForm,
    ParticipantForm,
    family_of,
)
from kansrijk.web.conferences.models import (
    AgendaItem,
    CaseConference,
    ConferenceDecision,
    ConferenceParticipant,
    ConferenceState,
    DecisionKind,
)

SEEN = Flags(authorised=True)
ALL_KINDS = [k.value for k in DecisionKind]
ALL_CATEGORIES = [c.value for c in DataCategory]


# --- Helpers --------------------------------------------------------------------------------


def _conference_for(access: Access, conference_pk: int) -> CaseConference:
    """The conference if the user organises it or takes part (404 otherwise)."""
    found = (
        conferences.visible_conferences(access.user)
        .select_related("organiser", "organisation")
        .filter(pk=conference_pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _item_for(trail: Trail, conference: CaseConference, item_pk: int) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related(
            "client", "presenter", "presenter_organisation", "conference"
        )
        .filter(conference=conference, pk=item_pk)
        .first()
    )
    if item is None:
        raise Http404
    trail.client_id = item.client_id
    return item


def _planned(conference: CaseConference) -> bool:
    return conference.state == ConferenceState.PLANNED


def _organiser(access: Access, conference: CaseConference) -> bool:
    return conference.organiser_id == access.user.pk


@dataclass
class ItemView:
    """An agenda item as one viewer sees it."""

    item: AgendaItem
    label: str
    named: bool
    grant: Grant | None
    decisions: list[ConferenceDecision] = field(default_factory=list)


def _item_views(access: Access, items: list[AgendaItem]) -> list[ItemView]:
    grants = {i.pk: access.grant(i.client) if i.client is not None else None for i in items}
    named_ids = {
        i.client_id for i in items if conferences.named_for(i, grants[i.pk]) and i.client_id
    }
    names = {
        c.pk: display_name(c)
        for c in Client.objects.filter(pk__in=named_ids).prefetch_related(members_prefetch())
    }
    views = []
    for item in items:
        named = conferences.named_for(item, grants[item.pk])
        label = (
            names[item.client_id]
            if named and item.client_id
            else _("Case %(number)s") % {"number": item.position}
        )
        views.append(ItemView(item, label, named, grants[item.pk]))
    return views


def _screen_decisions(view: ItemView, decisions: list[ConferenceDecision]) -> None:
    """Attach ``decisions`` to ``view``, each marked ``hidden`` when the item names the family
    to this viewer and the decision became a referral, task or goal in a data category the
    viewer's grant does not cover: the family's name with that text would be content outside
    their consent (an anonymous item's decisions are read by every participant, unlinked)."""
    for d in decisions:
        categories = (
            [d.referral.category]
            if d.referral is not None
            else [t.category for t in d.tasks.all()] + [g.category for g in d.goals.all()]
        )
        d.hidden = view.named and any(  # type: ignore[attr-defined]
            view.grant is None or not view.grant.may(c) for c in categories
        )
    view.decisions = decisions


def _family(view: ItemView) -> Family:
    """The item's family for the check of conference texts: only when this viewer may see who
    it is, so a refused text can never tell them."""
    return family_of([view.item.client]) if view.named else NO_FAMILY


def _log_item(
    trail: Trail,
    view: ItemView,
    *,
    action: str | None = None,
    extra: tuple[str, ...] = (),
    detail: str = "",
) -> None:
    """One entry for one item: its family with the categories shown when named for the viewer,
    the family without categories when shown anonymously, no family when it has none."""
    item = view.item
    if item.client is not None and view.named and view.grant is not None:
        trail.client(
            item.client,
            view.grant,
            [IDENTITY, COORDINATION, *extra],
            action=action,
            detail=detail,
        )
    else:
        trail.log(flags=SEEN, action=action, client_id=item.client_id, detail=detail)


def _responsible_organisations() -> Any:
    return Organisation.objects.exclude(type=OrganisationType.NATIONAL).order_by("name")


# --- The list and a new conference ---------------------------------------------------------


@require_GET
@care_view(READ)
def conference_list(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    """The conferences the user organises or takes part in (a coordinator also sees those of
    the municipality, without their content)."""
    mine = set(conferences.visible_conferences(access.user).values_list("pk", flat=True))
    listed = conferences.listed_conferences(access).select_related("organisation", "organiser")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    trail.log(flags=SEEN, detail=f"case conferences: {page.paginator.count}")
    context = {
        "page": page,
        "rows": [(c, c.pk in mine) for c in page.object_list],
        "is_coordinator": access.is_coordinator,
    }
    return render(request, "conferences/conferences.html", context)


@require_http_methods(["GET", "POST"])
@care_view(CREATE)
def conference_new(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    require(conferences.may_take_part(access.user))
    org = access.user.organisation
    form = ConferenceForm(
        request.POST or None, initial={"municipality_code": org.municipality_code if org else ""}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        conference = conferences.create_conference(
            access.user,
            title=d["title"],
            starts_at=d["starts_at"],
            location=d["location"],
            municipality_code=d["municipality_code"],
            now=access.now,
        )
        trail.log(flags=SEEN, detail=f"case conference {conference.pk} created")
        messages.success(request, _("The case conference has been planned."))
        return redirect("care:conference", conference_pk=conference.pk)
    trail.log(flags=SEEN, action=READ, detail="case conference form")
    status = 400 if request.method == "POST" else 200
    return render(request, "conferences/conference_form.html", {"form": form}, status=status)


# --- The conference page -------------------------------------------------------------------


def _conference_context(access: Access, conference: CaseConference) -> dict[str, Any]:
    participants = list(
        ConferenceParticipant.objects.filter(conference=conference).select_related(
            "user", "organisation"
        )
    )
    items = list(
        AgendaItem.objects.filter(conference=conference).select_related(
            "client", "presenter", "presenter_organisation"
        )
    )
    views = _item_views(access, items)
    decisions = (
        ConferenceDecision.objects.filter(item__conference=conference)
        .select_related("responsible_organisation", "created_by", "referral")
        .prefetch_related("tasks", "goals")
    )
    by_item: dict[int, list[ConferenceDecision]] = {}
    for d in decisions:
        by_item.setdefault(d.item_id, []).append(d)
    for view in views:
        _screen_decisions(view, by_item.get(view.item.pk, []))
    organiser = _organiser(access, conference)
    planned = _planned(conference)
    return {
        "conference": conference,
        "participants": participants,
        "items": views,
        "check_rows": [
            (p, [v.item.consent_check.get(str(p.user_id)) for v in views]) for p in participants
        ],
        "is_organiser": organiser,
        "planned": planned,
        "may_add_item": planned and access.is_professional,
        "minutes_form": GeneralMinutesForm(initial={"minutes": conference.minutes})
        if organiser and planned
        else None,
    }


@require_GET
@care_view(READ)
def conference(
    request: HttpRequest, access: Access, trail: Trail, conference_pk: int
) -> HttpResponse:
    found = _conference_for(access, conference_pk)
    context = _conference_context(access, found)
    _log_conference(trail, found, context["items"])
    return render(request, "conferences/conference.html", context)


def _log_conference(
    trail: Trail, conference: CaseConference, views: list[ItemView], action: str | None = None
) -> None:
    """The conference page's entries: one for the page, one per item with a family."""
    trail.log(flags=SEEN, action=action, detail=f"case conference {conference.pk}")
    trail.clients(
        (
            v.item.client_id,
            v.grant.flags() if v.named and v.grant is not None else SEEN,
            [IDENTITY, COORDINATION] if v.named else [],
        )
        for v in views
        if v.item.client_id is not None
    )


# --- Participants --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@care_view(UPDATE)
def participant_add(
    request: HttpRequest, access: Access, trail: Trail, conference_pk: int
) -> HttpResponse:
    """The organiser adds a participant; the consent check of every item runs again."""
    found = _conference_for(access, conference_pk)
    require(_organiser(access, found) and _planned(found))
    form = ParticipantForm(
        request.POST or None, candidates=conferences.candidates(found, access.today)
    )
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        try:
            conferences.add_participant(found, user, access.now)
        except conferences.ConferenceError:
            raise PermissionDenied(_("This user cannot take part in this conference.")) from None
        trail.log(flags=SEEN, detail=f"case conference {found.pk}: participant {user.pk} added")
        messages.success(request, _("The participant has been added; consent checked again."))
        return redirect("care:conference", conference_pk=found.pk)
    trail.log(flags=SEEN, action=READ, detail=f"case conference {found.pk}: participant form")
    status = 400 if request.method == "POST" else 200
    context = {"conference": found, "form": form}
    return render(request, "conferences/conference_participant_form.html", context, status=status)


@require_POST
@care_view(UPDATE)
def participant_remove(
    request: HttpRequest, access: Access, trail: Trail, conference_pk: int, participant_pk: int
) -> HttpResponse:
    found = _conference_for(access, conference_pk)
    require(_organiser(access, found) and _planned(found))
    participant = ConferenceParticipant.objects.filter(conference=found, pk=participant_pk).first()
    if participant is None:
        raise Http404
    try:
        conferences.remove_participant(found, participant, access.now)
    except conferences.ConferenceError:
        raise PermissionDenied(
            _("The organiser and presenters of an item cannot be removed.")
        ) from None
    trail.log(
        flags=SEEN,
        detail=f"case conference {found.pk}: participant {participant.user_id} removed",
    )
    messages.success(request, _("The participant has been removed; consent checked again."))
    return redirect("care:conference", conference_pk=found.pk)


# --- Agenda items --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@care_view(CREATE)
def item_new(
    request: HttpRequest, access: Access, trail: Trail, conference_pk: int
) -> HttpResponse:
    """A participating professional puts a case on the agenda: one of their own families, or
    an anonymous case without one."""
    found = _conference_for(access, conference_pk)
    require(_planned(found) and access.is_professional)
    own = (
        access.with_relation(access.visible_clients())
        .filter(Q(is_own=True))
        .prefetch_related(members_prefetch())
        .order_by("-created_at", "-pk")
    )
    form = AgendaItemForm(request.POST or None, clients=own, label=display_name)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        client: Client | None = d["client"]
        try:
            item = conferences.add_item(
                found,
                access.user,
                summary=d["summary"],
                question=d["question"],
                client=client,
                anonymous=d["anonymous"],
                now=access.now,
            )
        except conferences.ConferenceError:
            raise PermissionDenied(_("You may not present this family.")) from None
        detail = f"case conference {found.pk}: item {item.pk} added"
        if client is not None:
            trail.client(client, access.grant(client), [IDENTITY, COORDINATION], detail=detail)
        else:
            trail.log(flags=SEEN, detail=detail)
        if item.anonymous:
            messages.info(request, _("The case is on the agenda; it is discussed anonymously."))
        else:
            messages.success(request, _("The family is on the agenda, by name."))
        return redirect("care:conference", conference_pk=found.pk)
    rows = list(own)
    trail.log(flags=SEEN, action=READ, detail=f"case conference {found.pk}: agenda form")
    trail.clients((c.pk, listed_flags(c), [IDENTITY]) for c in rows)
    status = 400 if request.method == "POST" else 200
    context = {"conference": found, "form": form}
    return render(request, "conferences/conference_item_form.html", context, status=status)


def _item_context(access: Access, conference: CaseConference, view: ItemView) -> dict[str, Any]:
    item = view.item
    planned = _planned(conference)
    kinds = conferences.allowed_kinds(item, access.user, view.grant)
    categories = sorted(view.grant.categories - {IDENTITY}) if view.grant else []
    _screen_decisions(
        view,
        list(
            item.decisions.select_related(
                "responsible_organisation", "created_by", "referral"
            ).prefetch_related("tasks", "goals")
        ),
    )
    return {
        "conference": conference,
        "view": view,
        "item": item,
        "planned": planned,
        "minutes_form": MinutesForm(initial={"minutes": item.minutes})
        if planned and (_organiser(access, conference) or item.presenter_id == access.user.pk)
        else None,
        "decision_form": DecisionForm(
            kinds=kinds,
            categories=categories or [COORDINATION],
            organisations=_responsible_organisations(),
        )
        if planned
        else None,
    }


@require_GET
@care_view(READ)
def item(
    request: HttpRequest, access: Access, trail: Trail, conference_pk: int, item_pk: int
) -> HttpResponse:
    found = _conference_for(access, conference_pk)
    [view] = _item_views(access, [_item_for(trail, found, item_pk)])
    _log_item(trail, view, detail=f"case conference {found.pk}: item {view.item.pk}")
    return render(request, "conferences/conference_item.html", _item_context(access, found, view))


@require_POST
@care_view(UPDATE)
def item_minutes(
    request: HttpRequest, access: Access, trail: Trail, conference_pk: int, item_pk: int
) -> HttpResponse:
    """The organiser or the presenter records the item's minutes (until they are final)."""
    found = _conference_for(access, conference_pk)
    found_item = _item_for(trail, found, item_pk)
    require(
        _planned(found) and (_organiser(access, found) or found_item.presenter_id == access.user.pk)
    )
    [view] = _item_views(access, [found_item])
    form = MinutesForm(request.POST, family=_family(view))
    if not form.is_valid():
        _log_item(trail, view, action=READ, detail="minutes refused: invalid form")
        context = _item_context(access, found, view) | {"minutes_form": form}
        return render(request, "conferences/conference_item.html", context, status=400)
    conferences.record_item_minutes(found_item, form.cleaned_data["minutes"])
    _log_item(trail, view, detail=f"case conference {found.pk}: item {found_item.pk} minutes")
    messages.success(request, _("The minutes have been saved."))
    return redirect("care:conference_item", conference_pk=found.pk, item_pk=found_item.pk)


@require_POST
@care_view(CREATE)
def decision(
    request: HttpRequest, access: Access, trail: Trail, conference_pk: int, item_pk: int
) -> HttpResponse:
    """Record a decision; consent is checked again first. A referral, task or goal the user may
    not make here answers 403 (the item page offers only what they may)."""
    found = _conference_for(access, conference_pk)
    found_item = _item_for(trail, found, item_pk)
    require(_planned(found))
    [view] = _item_views(access, [found_item])
    form = DecisionForm(
        request.POST,
        kinds=ALL_KINDS,
        categories=ALL_CATEGORIES,
        organisations=_responsible_organisations(),
        family=_family(view),
    )
    if not form.is_valid():
        _log_item(trail, view, action=READ, detail="decision refused: invalid form")
        context = _item_context(access, found, view) | {"decision_form": form}
        return render(request, "conferences/conference_item.html", context, status=400)
    d = form.cleaned_data
    try:
        made = conferences.record_decision(
            found_item,
            access.user,
            conferences.DecisionInput(
                kind=d["kind"],
                text=d["text"],
                category=d["category"],
                responsible_organisation=d["responsible_organisation"],
                due=d["due"],
            ),
            now=access.now,
        )
    except conferences.DecisionRefusedError:
        raise PermissionDenied(
            _("You may not record this kind of decision on this item.")
        ) from None
    [view] = _item_views(access, [found_item])
    extra = () if made.kind == DecisionKind.ADVICE else (d["category"],)
    _log_item(
        trail,
        view,
        extra=extra,
        detail=f"case conference {found.pk}: decision {made.pk} ({made.kind})"
        + (f", referral {made.referral_id}" if made.referral_id else ""),
    )
    messages.success(request, _("The decision has been recorded."))
    return redirect("care:conference_item", conference_pk=found.pk, item_pk=found_item.pk)


# --- General minutes and making them final -------------------------------------------------


@require_POST
@care_view(UPDATE)
def minutes(request: HttpRequest, access: Access, trail: Trail, conference_pk: int) -> HttpResponse:
    found = _conference_for(access, conference_pk)
    require(_organiser(access, found) and _planned(found))
    context = _conference_context(access, found)
    named = [v.item.client for v in context["items"] if v.named]
    form = GeneralMinutesForm(request.POST, family=family_of(named))
    if not form.is_valid():
        _log_conference(trail, found, context["items"], action=READ)
        context["minutes_form"] = form
        return render(request, "conferences/conference.html", context, status=400)
    conferences.record_minutes(found, form.cleaned_data["minutes"])
    trail.log(flags=SEEN, detail=f"case conference {found.pk}: minutes")
    messages.success(request, _("The minutes have been saved."))
    return redirect("care:conference", conference_pk=found.pk)


@require_POST
@care_view(UPDATE)
def finalise(
    request: HttpRequest, access: Access, trail: Trail, conference_pk: int
) -> HttpResponse:
    """The organiser makes the minutes final: the conference is held and read-only."""
    found = _conference_for(access, conference_pk)
    require(_organiser(access, found) and _planned(found))
    conferences.finalise(found, access.now)
    trail.log(flags=SEEN, detail=f"case conference {found.pk}: minutes final")
    messages.success(request, _("The minutes are final."))
    return redirect("care:conference", conference_pk=found.pk)

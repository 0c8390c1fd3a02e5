"""Care pages. Every view goes through ``@care_view`` (guard): the policy decision point is
built once per request, refusals are logged, and a view that logs nothing fails.

Status codes: 403 when the role may never use a page or may not take an action on a client it
can see; 404 for a client (or referral) the user may not see, whether it exists or not; 409 when
a referral changed since the form was shown (nothing is saved then); 400 for an invalid form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansrijk.coordination import instruments, routes
from kansrijk.web.accounts.models import Organisation
from kansrijk.web.accounts.roles import Role
from kansrijk.web.care import services, workflow
from kansrijk.web.care.access import ALL_CATEGORIES, Access, Grant
from kansrijk.web.care.audit import Flags
from kansrijk.web.care.forms import (
    ChildForm,
    ConsentForm,
    EmergencyForm,
    HandOverForm,
    NoteForm,
    ReferralActionForm,
    ReferralForm,
    RegisterForm,
    ReviewForm,
    SearchForm,
    SignalForm,
    SignalReferralForm,
)
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.models import (
    AuditAction,
    AuditEvent,
    AuditPurpose,
    CareTeamMember,
    Client,
    ClientMember,
    Consent,
    ContactPerson,
    EmergencyAccess,
    MemberRole,
    Referral,
    ReferralEvent,
    Signal,
)
from kansrijk.web.care.vocabulary import DataCategory, category_label, state_label

C = DataCategory
IDENTITY, COORDINATION, FAMILY = C.IDENTITY.value, C.CARE_COORDINATION.value, C.FAMILY.value
PAGE_SIZE = 50
READ, CREATE, UPDATE = AuditAction.READ, AuditAction.CREATE, AuditAction.UPDATE


# --- Helpers ----------------------------------------------------------------------------------


def _members() -> Prefetch[Any]:
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


def _visible_client(access: Access, pk: int) -> tuple[Client, Grant]:
    client = get_object_or_404(access.visible_clients().prefetch_related(_members()), pk=pk)
    grant = access.grant(client)
    if not grant.visible:
        raise Http404
    return client, grant


def _require(condition: bool, message: str = "") -> None:
    if not condition:
        raise PermissionDenied(message or _("You may not do this for this client."))


def _may_manage(access: Access, grant: Grant) -> bool:
    """Consent, care team matters, the access overview: a professional of the owning
    organisation or the care team."""
    return access.is_professional and grant.own


def _may_refer(access: Access, grant: Grant) -> bool:
    return access.is_professional and grant.treatment_relationship and not grant.emergency


def _hidden(grant: Grant) -> list[str]:
    return [category_label(c) for c in sorted(ALL_CATEGORIES - grant.categories)]


def _organisations_for(access: Access) -> QuerySet[Organisation]:
    return Organisation.objects.exclude(pk=access.organisation_id or 0).exclude(type="national")


# --- Caseload ---------------------------------------------------------------------------------


def _listed_flags(client: Client) -> Flags:
    """The audit flags of a client shown in a list (annotated by `Access.with_relation`)."""
    own = bool(client.is_own)  # type: ignore[attr-defined]
    emergency = bool(client.is_emergency)  # type: ignore[attr-defined]
    return Flags(
        authorised=True,
        treatment_relationship=own,
        consent_present=not own and not emergency,
        emergency_access=emergency and not own,
    )


def _may_list(access: Access) -> bool:
    return access.holds_client_data


@require_GET
@care_view(READ, allow=_may_list)
def caseload(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    """The clients this user may see; search by name and date of birth (searches are logged)."""
    form = SearchForm(request.GET or None)
    clients = access.with_relation(access.visible_clients())
    searched = False
    if form.is_bound and form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["born"]):
        searched = True
        clients = services.search(clients, form.cleaned_data["q"], form.cleaned_data["born"])
    clients = clients.select_related("owner_organisation").prefetch_related(_members())
    page = Paginator(clients.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    trail.log(
        flags=Flags(authorised=True),
        action=AuditAction.SEARCH if searched else READ,
        detail=f"caseload: {page.paginator.count} clients",
    )
    trail.clients(
        (
            c.pk,
            _listed_flags(c),
            [IDENTITY],
        )
        for c in rows
    )
    return render(
        request,
        "care/caseload.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, display_name(c)) for c in rows],
            "searched": searched,
            "may_register": access.may_register,
            "may_break_glass": access.may_break_glass,
        },
    )


# --- Register a client --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@care_view(CREATE, allow=lambda access: access.may_register)
def register(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    user = access.user
    initial = {
        "municipality_code": user.organisation.municipality_code if user.organisation else ""
    }
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.register_client(
                user,
                municipality_code=form.cleaned_data["municipality_code"],
                members=form.members(),
                family_situation=form.cleaned_data["family_situation"],
                now=access.now,
            )
        except services.DuplicateBsnError as duplicate:
            existing = Client.objects.get(pk=duplicate.client_id)
            grant = access.grant(existing)
            trail.log(
                flags=grant.flags(authorised=grant.visible),
                action=AuditAction.SEARCH,
                client_id=existing.pk,
                categories=[IDENTITY] if grant.visible else [],
                detail="registration matched an existing BSN",
            )
            if grant.visible:
                messages.info(request, _("This family is already registered; here it is."))
                return redirect("care:client", pk=existing.pk)
            form.add_error(
                None,
                _(
                    "A family member with this BSN is already registered by another "
                    "organisation. Ask that organisation to refer the family to you with the "
                    "client's consent."
                ),
            )
            return render(request, "care/register.html", {"form": form}, status=409)
        categories = [IDENTITY, COORDINATION] + ([FAMILY] if client.family_situation else [])
        trail.log(
            flags=Flags(authorised=True, treatment_relationship=True),
            client_id=client.pk,
            categories=categories,
        )
        messages.success(request, _("The family has been registered."))
        return redirect("care:client", pk=client.pk)
    trail.log(flags=Flags(authorised=True), action=READ, detail="registration form")
    status = 400 if request.method == "POST" else 200
    return render(request, "care/register.html", {"form": form}, status=status)


# --- Client overview --------------------------------------------------------------------------


@require_GET
@care_view(READ)
def client(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    """One family: members, contact person and hand-overs, care team, consents, referrals,
    notes; only the categories the user may see."""
    client, grant = _visible_client(access, pk)
    context = _client_context(access, client, grant)
    trail.client(client, grant, context["shown"])
    return render(request, "care/client.html", context)


def _client_context(access: Access, client: Client, grant: Grant) -> dict[str, Any]:
    shown = {IDENTITY}
    context: dict[str, Any] = {
        "client": client,
        "name": display_name(client),
        "grant": grant,
        "members": list(client.members.all()),
        "hidden": _hidden(grant),
        "may_manage": _may_manage(access, grant),
        "may_refer": _may_refer(access, grant),
        "may_note": access.is_professional and grant.treatment_relationship,
        "today": access.today,
    }
    if grant.may(FAMILY):
        shown.add(FAMILY)
        context["family_situation"] = client.family_situation or "–"
    if grant.may(COORDINATION):
        shown.add(COORDINATION)
        contacts = list(
            ContactPerson.objects.filter(client=client)
            .select_related("user", "organisation", "assigned_by")
            .order_by("-started_at", "-pk")
        )
        current = next((c for c in contacts if c.ended_at is None), None)
        context |= {
            "show_coordination": True,
            "contact": current,
            "contact_history": contacts,
            "care_team": CareTeamMember.objects.filter(client=client)
            .select_related("organisation")
            .order_by("-until", "since"),
            "consents": Consent.objects.filter(client=client)
            .select_related("recipient_organisation", "recorded_by", "withdrawn_by")
            .prefetch_related("categories")
            .order_by("-recorded_at"),
            "referrals": [
                (r, grant.may(r.category), workflow.is_overdue(r.state, r.deadline, access.today))
                for r in Referral.objects.filter(client=client)
                .select_related("from_organisation", "to_organisation", "owner_organisation")
                .order_by("-created_at")
            ],
            "may_hand_over": _may_manage(access, grant)
            or (current is not None and current.user_id == access.user.pk),
        }
    signals = [
        s for s in client.signals.select_related("organisation") if grant.covers(s.categories)
    ]
    shown |= {c for s in signals for c in s.categories}
    context["signals"] = signals
    context["may_signal"] = _may_signal(access, grant)
    notes = [
        n for n in client.notes.select_related("author", "organisation") if grant.may(n.category)
    ]
    shown |= {n.category for n in notes}
    context["notes"] = notes
    context["shown"] = sorted(shown)
    context["note_form"] = NoteForm(categories=grant.categories - {IDENTITY, COORDINATION})
    return context


@require_POST
@care_view(CREATE)
def add_note(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    client, grant = _visible_client(access, pk)
    _require(access.is_professional and grant.treatment_relationship)
    form = NoteForm(request.POST, categories=grant.categories - {IDENTITY, COORDINATION})
    if not form.is_valid():
        trail.client(client, grant, [IDENTITY], action=READ, detail="note refused: invalid")
        context = _client_context(access, client, grant) | {"note_form": form}
        return render(request, "care/client.html", context, status=400)
    note = services.add_note(
        client, access.user, form.cleaned_data["category"], form.cleaned_data["text"]
    )
    trail.client(client, grant, [note.category])
    messages.success(request, _("The note has been saved."))
    return redirect("care:client", pk=client.pk)


@require_http_methods(["GET", "POST"])
@care_view(CREATE)
def add_child(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    client, grant = _visible_client(access, pk)
    _require(_may_manage(access, grant))
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(client, form.member())
        except services.DuplicateBsnError:
            form.add_error("bsn", _("A person with this BSN is already registered."))
        else:
            trail.client(client, grant, [IDENTITY])
            messages.success(request, _("The child has been added to the family."))
            return redirect("care:client", pk=client.pk)
    trail.client(client, grant, [IDENTITY], action=READ)
    status = 400 if request.method == "POST" else 200
    context = {"client": client, "name": display_name(client), "form": form}
    return render(request, "care/child.html", context, status=status)


# --- Consent ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@care_view(CREATE)
def consent_new(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    client, grant = _visible_client(access, pk)
    _require(_may_manage(access, grant))
    form = ConsentForm(
        request.POST or None,
        organisations=_organisations_for(access),
        initial={"valid_from": access.today, "method": "written"},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.record_consent(
            client,
            access.user,
            categories=d["categories"],
            purpose=d["purpose"],
            valid_from=d["valid_from"],
            valid_until=d["valid_until"],
            method=d["method"],
            recipient_organisation=d["recipient_organisation"],
            recipient_role=d["recipient_role"],
            now=access.now,
        )
        trail.client(client, grant, [COORDINATION])
        messages.success(request, _("The consent has been recorded."))
        return redirect("care:client", pk=client.pk)
    trail.client(client, grant, [IDENTITY], action=READ)
    status = 400 if request.method == "POST" else 200
    context = {"client": client, "name": display_name(client), "form": form}
    return render(request, "care/consent_form.html", context, status=status)


@require_POST
@care_view(UPDATE)
def consent_withdraw(
    request: HttpRequest, access: Access, trail: Trail, pk: int, consent_pk: int
) -> HttpResponse:
    client, grant = _visible_client(access, pk)
    _require(_may_manage(access, grant))
    consent = get_object_or_404(Consent, pk=consent_pk, client=client)
    if services.withdraw_consent(consent, access.user, now=access.now):
        messages.success(request, _("The consent has been withdrawn; it no longer applies."))
    else:
        messages.info(request, _("This consent was already withdrawn."))
    trail.client(client, grant, [COORDINATION], detail=f"consent {consent.pk} withdrawn")
    return redirect("care:client", pk=client.pk)


# --- Contact person ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@care_view(UPDATE)
def hand_over(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    client, grant = _visible_client(access, pk)
    current = services.current_contact_person(client)
    _require(
        grant.may(COORDINATION)
        and (
            _may_manage(access, grant)
            or (current is not None and current.user_id == access.user.pk)
        )
    )
    candidates = services.contact_person_candidates(client, access.today)
    if current is not None:
        candidates = candidates.exclude(pk=current.user_id)
    form = HandOverForm(request.POST or None, candidates=candidates.select_related("organisation"))
    if request.method == "POST" and form.is_valid():
        services.hand_over(
            client, form.cleaned_data["to"], access.user, form.cleaned_data["note"], access.now
        )
        trail.client(client, grant, [COORDINATION], detail="contact person handed over")
        messages.success(request, _("The contact person has been handed over."))
        return redirect("care:client", pk=client.pk)
    trail.client(client, grant, [IDENTITY, COORDINATION], action=READ)
    status = 400 if request.method == "POST" else 200
    context = {"client": client, "name": display_name(client), "form": form, "current": current}
    return render(request, "care/hand_over.html", context, status=status)


# --- Referrals --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@care_view(CREATE)
def referral_new(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    client, grant = _visible_client(access, pk)
    _require(_may_refer(access, grant))
    form = ReferralForm(request.POST or None, organisations=_organisations_for(access))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        referral = services.create_referral(
            client,
            access.user,
            to_organisation=d["to_organisation"],
            route_code=d["route_code"],
            route_step=d["route_step"],
            reason=d["reason"],
            now=access.now,
        )
        trail.client(
            client,
            grant,
            [IDENTITY, COORDINATION, referral.category],
            detail=f"referral {referral.pk} created",
        )
        messages.success(request, _("The referral has been sent."))
        return redirect("care:referral", referral_pk=referral.pk)
    trail.client(client, grant, [IDENTITY], action=READ)
    status = 400 if request.method == "POST" else 200
    context = {"client": client, "name": display_name(client), "form": form}
    return render(request, "care/referral_form.html", context, status=status)


def _referral_for(access: Access, trail: Trail, referral_pk: int) -> Referral:
    referral = (
        access.visible_referrals()
        .select_related("client", "from_organisation", "to_organisation", "owner_organisation")
        .filter(pk=referral_pk)
        .first()
    )
    if referral is None:
        trail.client_id = (
            Referral.objects.filter(pk=referral_pk).values_list("client_id", flat=True).first()
        )
        raise Http404
    return referral


def _referral_context(access: Access, referral: Referral) -> tuple[dict[str, Any], list[str]]:
    grant = access.grant(referral.client)
    side = workflow.side_of(referral, access.user)
    actions = workflow.actions_for(referral, side) if access.is_professional else []
    shown = [COORDINATION]
    name = ""
    if grant.visible:
        shown.append(IDENTITY)
        name = display_name(Client.objects.prefetch_related(_members()).get(pk=referral.client_id))
    reason_visible = grant.may(referral.category) or (
        side == workflow.SENDER and access.is_professional
    )
    if reason_visible:
        shown.append(referral.category)
    context = {
        "referral": referral,
        "grant": grant,
        "name": name,
        "reason_visible": reason_visible,
        "state": state_label(referral.state),
        "overdue": workflow.is_overdue(referral.state, referral.deadline, access.today),
        "events": ReferralEvent.objects.filter(referral=referral)
        .select_related("actor", "organisation")
        .order_by("version"),
        "actions": [(a, ACTION_LABELS.get(a, a), workflow.needs_reason(a)) for a in actions],
        "form": ReferralActionForm(initial={"version": referral.version}),
    }
    return context, shown


ACTION_LABELS = {
    "accept": gettext_lazy("Accept"),
    "reject": gettext_lazy("Reject"),
    "start": gettext_lazy("Start"),
    "complete": gettext_lazy("Complete"),
    "cancel": gettext_lazy("Cancel referral"),
}


@require_GET
@care_view(READ, allow=lambda access: access.sees_referral_status)
def referral(request: HttpRequest, access: Access, trail: Trail, referral_pk: int) -> HttpResponse:
    """A referral's status and history; client content only as far as the user may see it."""
    referral = _referral_for(access, trail, referral_pk)
    context, shown = _referral_context(access, referral)
    if context["grant"].visible:
        trail.client(referral.client, context["grant"], shown)
    else:  # status only: no client content is shown
        trail.log(
            flags=Flags(authorised=True), client_id=referral.client_id, categories=[COORDINATION]
        )
    return render(request, "care/referral.html", context)


@require_POST
@care_view(UPDATE, allow=lambda access: access.is_professional)
def referral_action(
    request: HttpRequest, access: Access, trail: Trail, referral_pk: int, action: str
) -> HttpResponse:
    """Accept, reject (with reason), start, complete or cancel (with reason), at the version the
    form was shown with: a stale version answers 409 and changes nothing."""
    referral = _referral_for(access, trail, referral_pk)
    trail.client_id = referral.client_id
    grant = access.grant(referral.client)
    flags = grant.flags() if grant.visible else Flags(authorised=True)
    form = ReferralActionForm(request.POST)
    if not form.is_valid():
        trail.log(flags=flags, client_id=referral.client_id, detail="referral form incomplete")
        return HttpResponse(_("The form is incomplete; reload the page."), status=400)
    if form.cleaned_data["version"] != referral.version:
        return _stale(request, access, trail, referral, flags)
    side = workflow.side_of(referral, access.user)
    if action not in workflow.actions_for(referral, side):
        raise PermissionDenied(_("You may not take this action on this referral now."))
    reason = form.cleaned_data["reason"] or ""
    if workflow.needs_reason(action) and not reason.strip():
        trail.log(
            flags=flags,
            client_id=referral.client_id,
            categories=[COORDINATION],
            detail=f"referral {referral.pk} {action} refused: no reason",
        )
        context, _shown = _referral_context(access, referral)
        form.add_error("reason", _("Give a reason."))
        context |= {"form": form, "failed_action": action}
        return render(request, "care/referral.html", context, status=400)
    try:
        services.transition(
            referral, action, access.user, form.cleaned_data["version"], reason, access.now
        )
    except services.StaleVersionError as stale:
        return _stale(request, access, trail, stale.current, flags)
    trail.log(
        flags=flags,
        client_id=referral.client_id,
        categories=[COORDINATION],
        detail=f"referral {referral.pk} {action}",
    )
    messages.success(
        request, _("The referral is now: %(state)s.") % {"state": state_label(referral.state)}
    )
    return redirect("care:referral", referral_pk=referral.pk)


def _stale(
    request: HttpRequest, access: Access, trail: Trail, current: Referral, flags: Flags
) -> HttpResponse:
    trail.log(
        flags=flags,
        client_id=current.client_id,
        categories=[COORDINATION],
        detail=f"referral {current.pk} refused: stale version",
    )
    current = Referral.objects.select_related(
        "client", "from_organisation", "to_organisation", "owner_organisation"
    ).get(pk=current.pk)
    context, _shown = _referral_context(access, current)
    context["conflict"] = True
    return render(request, "care/referral.html", context, status=409)


@require_GET
@care_view(READ, allow=lambda access: access.sees_referral_status)
def referrals(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    """Referrals sent and received (professionals) or of the municipality (coordinators), with
    the overdue ones first."""
    show = request.GET.get("show", "open")
    base = access.visible_referrals().select_related(
        "from_organisation", "to_organisation", "owner_organisation"
    )
    if show == "overdue":
        rows_qs = services.overdue(base, access.today)
    elif show == "all":
        rows_qs = base
    else:
        show = "open"
        rows_qs = base.filter(state__in=list(workflow.OPEN))
    page = Paginator(rows_qs.order_by("deadline", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    client_ids = {r.client_id for r in rows}
    visible = {
        c.pk: c
        for c in access.with_relation(
            access.visible_clients().filter(pk__in=client_ids)
        ).prefetch_related(_members())
    }
    trail.log(flags=Flags(authorised=True), detail=f"referrals ({show}): {page.paginator.count}")
    trail.clients(
        (
            cid,
            Flags(
                authorised=True,
                treatment_relationship=bool(getattr(visible.get(cid), "is_own", False)),
                consent_present=cid in visible,
            ),
            [COORDINATION, IDENTITY] if cid in visible else [COORDINATION],
        )
        for cid in sorted(client_ids)
    )
    context = {
        "show": show,
        "page": page,
        "rows": [
            (
                r,
                display_name(visible[r.client_id]) if r.client_id in visible else "",
                state_label(r.state),
                workflow.is_overdue(r.state, r.deadline, access.today),
            )
            for r in rows
        ],
        "overdue_count": services.overdue(access.visible_referrals(), access.today).count(),
        "is_coordinator": access.is_coordinator,
    }
    return render(request, "care/referrals.html", context)


# --- Signals (screening) ----------------------------------------------------------------------

#: The instrument the signal page offers (its latest shipped version).
INSTRUMENT = "kansrijk_basis"
FLAG_LABELS = {
    "debts": gettext_lazy("Debts or money worries"),
    "psychological": gettext_lazy("Psychological problems"),
    "teenage": gettext_lazy("Teenage pregnancy"),
    "status_holder": gettext_lazy("Status holder"),
    "substance_use": gettext_lazy("Substance use"),
    "no_kraamzorg": gettext_lazy("No kraamzorg arranged"),
}


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def _may_signal(access: Access, grant: Grant) -> bool:
    """Recording a signal: a professional of the owning organisation or the care team."""
    return access.is_professional and grant.own


def _signal_for(access: Access, pk: int, signal_pk: int) -> tuple[Client, Grant, Signal]:
    """The client and one of its signals; 404 unless the user may see every data category of
    the signal."""
    client, grant = _visible_client(access, pk)
    found = (
        Signal.objects.select_related("recorded_by", "organisation")
        .filter(client=client, pk=signal_pk)
        .first()
    )
    if found is None or not grant.covers(found.categories):
        raise Http404
    return client, grant, found


def _route_view(code: str) -> dict[str, Any] | None:
    """A route's title, situation and steps in the active language (None when unknown)."""
    try:
        found = routes.route(code)
    except KeyError:
        return None
    english = _english()
    return {
        "code": found.code,
        "title": found.title_en if english else found.title_nl,
        "situation": found.situation_en if english else found.situation_nl,
        "steps": [
            {
                "order": s.order,
                "title": s.title_en if english else s.title_nl,
                "partner": s.partner_type.label_en if english else s.partner_type.label_nl,
                "response_days": s.response_days,
                "shares": category_label(s.shares.value),
            }
            for s in found.steps
        ],
    }


@require_http_methods(["GET", "POST"])
@care_view(CREATE)
def signal_new(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    """Record a signal: the instrument grouped by domain; scored and stored on submit."""
    client, grant = _visible_client(access, pk)
    _require(_may_signal(access, grant))
    chosen = instruments.instrument(INSTRUMENT)
    form = SignalForm(request.POST or None, instrument=chosen)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.record_signal(
                client, access.user, chosen, form.answers(), now=access.now
            )
        except instruments.AnswerError:
            form.add_error(None, _("The answers do not fit the instrument."))
        else:
            trail.client(
                client, grant, [IDENTITY, *found.categories], detail=f"signal {found.pk} created"
            )
            messages.success(request, _("The signal has been recorded."))
            return redirect("care:signal", pk=client.pk, signal_pk=found.pk)
    trail.client(client, grant, [IDENTITY], action=READ)
    english = _english()
    context = {
        "client": client,
        "name": display_name(client),
        "form": form,
        "instrument": chosen,
        "instrument_title": chosen.title_en if english else chosen.title_nl,
        "about": chosen.about_en if english else chosen.about_nl,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "care/signal_form.html", context, status=status)


@require_GET
@care_view(READ)
def signal(
    request: HttpRequest, access: Access, trail: Trail, pk: int, signal_pk: int
) -> HttpResponse:
    """A signal's result: score, threshold, flags and the proposed client routes."""
    client, grant, found = _signal_for(access, pk, signal_pk)
    english = _english()
    try:
        used: instruments.Instrument | None = instruments.instrument(
            found.instrument_code, found.instrument_version
        )
    except KeyError:
        used = None
    domains = []
    if used is not None:
        domains = [
            (
                d.title_en if english else d.title_nl,
                found.domain_scores.get(d.code, 0),
                sum(i.max_score for i in d.items),
            )
            for d in used.domains
        ]
    context = {
        "client": client,
        "name": display_name(client),
        "signal": found,
        "instrument": used,
        "instrument_title": (used.title_en if english else used.title_nl) if used else "",
        "domains": domains,
        "flags": [str(FLAG_LABELS.get(f, f)) for f in found.flags],
        "routes": [r for r in map(_route_view, found.proposed_routes) if r is not None],
        "may_refer": _may_refer(access, grant),
        "categories": [category_label(c) for c in found.category_values],
    }
    trail.client(client, grant, [IDENTITY, *found.categories], detail=f"signal {found.pk}")
    return render(request, "care/signal.html", context)


@require_http_methods(["GET", "POST"])
@care_view(CREATE)
def signal_refer(
    request: HttpRequest,
    access: Access,
    trail: Trail,
    pk: int,
    signal_pk: int,
    route_code: str,
    step: int,
) -> HttpResponse:
    """Start a referral for one step of a route the signal proposed, to an organisation of the
    step's partner type; the deadline follows from the route (``routes.deadline``)."""
    client, grant, found = _signal_for(access, pk, signal_pk)
    _require(_may_refer(access, grant))
    route_step = workflow.step_of(route_code, str(step))
    if route_code not in found.proposed_routes or route_step is None:
        raise Http404
    organisations = _organisations_for(access).filter(type=route_step.partner_type.value)
    form = SignalReferralForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        referral = services.create_referral(
            client,
            access.user,
            to_organisation=d["to_organisation"],
            route_code=route_code,
            route_step=str(step),
            reason=d["reason"],
            now=access.now,
        )
        trail.client(
            client,
            grant,
            [IDENTITY, COORDINATION, referral.category],
            detail=f"referral {referral.pk} created from signal {found.pk}",
        )
        messages.success(request, _("The referral has been sent."))
        return redirect("care:referral", referral_pk=referral.pk)
    trail.client(client, grant, [IDENTITY, *found.categories], action=READ)
    english = _english()
    context = {
        "client": client,
        "name": display_name(client),
        "signal": found,
        "form": form,
        "route": _route_view(route_code),
        "step": {
            "order": route_step.order,
            "title": route_step.title_en if english else route_step.title_nl,
            "partner": route_step.partner_type.label_en
            if english
            else route_step.partner_type.label_nl,
            "response_days": route_step.response_days,
        },
        "deadline": routes.deadline(access.today, route_step),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "care/signal_referral_form.html", context, status=status)


# --- Access overview for the client ------------------------------------------------------------


@require_GET
@care_view(READ, purpose=AuditPurpose.ACCOUNTABILITY)
def access_overview(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    """For the client (shown or printed by the owning organisation): which organisation and
    role saw which data when."""
    client, grant = _visible_client(access, pk)
    _require(_may_manage(access, grant))
    events = (
        AuditEvent.objects.filter(client_id=client.pk, authorised=True)
        .exclude(categories="")
        .order_by("-sequence")[:500]
    )
    trail.client(client, grant, [IDENTITY, COORDINATION])
    context = {
        "client": client,
        "name": display_name(client),
        "events": [(e, e.category_labels, _role_label(e.role)) for e in events],
    }
    return render(request, "care/access_overview.html", context)


def _role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


# --- Emergency access -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@care_view(AuditAction.EMERGENCY, purpose=AuditPurpose.EMERGENCY, allow=lambda a: a.may_break_glass)
def emergency(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    """Break the glass: a client by BSN, with a reason, for a few hours; reviewed afterwards."""
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = services.find_member_by_bsn(form.cleaned_data["bsn"])
        if member is None:
            trail.log(
                flags=Flags(authorised=False, emergency_access=True), detail="no client found"
            )
            form.add_error("bsn", _("No client with this BSN is registered."))
            return render(request, "care/emergency.html", {"form": form}, status=404)
        target = Client.objects.get(pk=member.client_id)
        granted = services.start_emergency(
            access.user, target, form.cleaned_data["reason"], form.cleaned_data["hours"], access.now
        )
        trail.log(
            flags=Flags(authorised=True, emergency_access=True),
            client_id=target.pk,
            categories=sorted(ALL_CATEGORIES),
            detail=f"emergency access {granted.pk} until {granted.expires_at:%Y-%m-%d %H:%M}",
        )
        messages.warning(
            request,
            _("Emergency access until %(until)s. It has been logged and will be reviewed.")
            % {"until": granted.expires_at.astimezone().strftime("%d-%m-%Y %H:%M")},
        )
        return redirect("care:client", pk=target.pk)
    trail.log(flags=Flags(authorised=True), action=READ, detail="emergency form")
    return render(
        request,
        "care/emergency.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@care_view(READ, purpose=AuditPurpose.SUPERVISION, allow=lambda a: a.may_review_emergencies)
def emergency_reviews(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    pending = list(services.emergencies_to_review(access.user, access.municipality_code))
    reviewed = (
        EmergencyAccess.objects.filter(reviewed_at__isnull=False)
        .filter(
            Q()
            if access.role == "administrator"
            else Q(client__municipality_code=access.municipality_code)
        )
        .select_related("user", "organisation", "reviewed_by")
        .order_by("-reviewed_at")[:50]
    )
    trail.log(flags=Flags(authorised=True), detail=f"emergency reviews: {len(pending)} pending")
    context = {"pending": pending, "reviewed": reviewed, "form": ReviewForm(), "now": access.now}
    return render(request, "care/emergency_reviews.html", context)


@require_POST
@care_view(UPDATE, purpose=AuditPurpose.SUPERVISION, allow=lambda a: a.may_review_emergencies)
def emergency_review(
    request: HttpRequest, access: Access, trail: Trail, emergency_pk: int
) -> HttpResponse:
    emergency = get_object_or_404(
        services.emergencies_to_review(access.user, access.municipality_code), pk=emergency_pk
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        trail.log(flags=Flags(authorised=True), action=READ, detail="review refused: no note")
        messages.error(request, _("Write a review note."))
        return redirect("care:emergency_reviews")
    services.review_emergency(emergency, access.user, form.cleaned_data["note"], access.now)
    trail.log(
        flags=Flags(authorised=True),
        client_id=emergency.client_id,
        detail=f"emergency access {emergency.pk} reviewed",
    )
    messages.success(request, _("The emergency access has been reviewed."))
    return redirect("care:emergency_reviews")


# --- Audit log --------------------------------------------------------------------------------


@require_GET
@care_view(READ, purpose=AuditPurpose.SUPERVISION, allow=lambda a: a.may_read_audit_log)
def audit_log(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    """The audit log for administrators (reading it is logged too)."""
    events = AuditEvent.objects.order_by("-sequence")
    client_filter = request.GET.get("client", "").strip()
    if client_filter.isdigit():
        events = events.filter(client_id=int(client_filter))
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    trail.log(
        flags=Flags(authorised=True),
        client_id=int(client_filter) if client_filter.isdigit() else None,
        detail="audit log",
    )
    return render(request, "care/audit_log.html", {"page": page, "client_filter": client_filter})


# --- JSON API ---------------------------------------------------------------------------------


def _api_client(client: Client, grant: Grant) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": client.pk,
        "members": [
            {
                "role": m.role,
                "given_name": m.given_name,
                "family_name": m.family_name,
                "date_of_birth": m.date_of_birth.isoformat() if m.date_of_birth else None,
                "due_date": m.due_date.isoformat() if m.due_date else None,
            }
            for m in client.members.all()
        ],
        "categories": sorted(grant.categories),
    }
    if grant.may(FAMILY):
        data["family_situation"] = client.family_situation
    if grant.may(COORDINATION):
        data["referrals"] = [
            {"id": r.pk, "state": r.state, "to": r.to_organisation_id, "version": r.version}
            for r in client.referrals.all()
        ]
    data["notes"] = [
        {"category": n.category, "text": n.text, "created_at": n.created_at.isoformat()}
        for n in client.notes.all()
        if grant.may(n.category)
    ]
    return data


@require_GET
@care_view(AuditAction.EXPORT)
def api_clients(request: HttpRequest, access: Access, trail: Trail) -> JsonResponse:
    """The caseload as JSON (identity only), every client's read logged."""
    clients = list(
        access.with_relation(access.visible_clients()).prefetch_related(_members()).order_by("pk")
    )
    trail.log(flags=Flags(authorised=True), detail=f"api caseload: {len(clients)} clients")
    trail.clients(
        (
            c.pk,
            _listed_flags(c),
            [IDENTITY],
        )
        for c in clients
    )
    return JsonResponse({"clients": [{"id": c.pk, "name": display_name(c)} for c in clients]})


@require_GET
@care_view(AuditAction.EXPORT)
def api_client(request: HttpRequest, access: Access, trail: Trail, pk: int) -> JsonResponse:
    client, grant = _visible_client(access, pk)
    data = _api_client(client, grant)
    shown: set[str] = {IDENTITY} | ({FAMILY} if "family_situation" in data else set())
    shown |= {COORDINATION} if "referrals" in data else set()
    shown |= {n["category"] for n in data["notes"]}
    trail.client(client, grant, shown)
    return JsonResponse(data)

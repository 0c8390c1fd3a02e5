"""Client pages: the caseload, registering a family, the overview, notes, consent and
the contact person."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansrijk.web.audit import log as audit
from kansrijk.web.audit.log import Flags
from kansrijk.web.audit.models import AuditAction, AuditEvent
from kansrijk.web.care import services
from kansrijk.web.care.access import Access, Grant
from kansrijk.web.care.forms import (
    ChildForm,
    ConsentForm,
    HandOverForm,
    NoteForm,
    RegisterForm,
    SearchForm,
)
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.models import CareTeamMember, Client, Consent, ContactPerson
from kansrijk.web.care.views.common import (
    COORDINATION,
    CREATE,
    FAMILY,
    IDENTITY,
    PAGE_SIZE,
    READ,
    UPDATE,
    display_name,
    hidden_labels,
    listed_flags,
    may_list,
    may_manage,
    may_refer,
    members_prefetch,
    organisations_for,
    require,
    visible_client,
)
from kansrijk.web.referrals import workflow
from kansrijk.web.referrals.models import Referral
from kansrijk.web.retention import holds

# --- Caseload ---------------------------------------------------------------------------------


@require_GET
@care_view(READ, allow=may_list)
def caseload(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    """The clients this user may see; search by name and date of birth (searches are logged)."""
    form = SearchForm(request.GET or None)
    clients = access.with_relation(access.visible_clients())
    searched = False
    if form.is_bound and form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["born"]):
        searched = True
        clients = services.search(clients, form.cleaned_data["q"], form.cleaned_data["born"])
    clients = clients.select_related("owner_organisation").prefetch_related(members_prefetch())
    paginator = Paginator(clients.order_by("-created_at", "-pk"), PAGE_SIZE)
    if not searched:  # the whole allowed set: count the ids, not the clients
        paginator.count = access.count_visible()
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    # The list entry and a read per family shown, appended under one lock of the chain head
    # (the same entries as trail.log and trail.clients would write, in one transaction).
    entries = [
        audit.Entry(
            AuditAction.SEARCH if searched else READ,
            trail.purpose,
            Flags(authorised=True),
            detail=f"caseload: {page.paginator.count} clients",
        ),
        *(
            audit.Entry(READ, trail.purpose, listed_flags(c), c.pk, (IDENTITY,), trail.view)
            for c in rows
        ),
    ]
    audit.record_many(entries, user=trail.user, now=access.now)
    trail.written += len(entries)
    prefix = reverse("care:client", args=[0]).removesuffix("0/")  # one reverse for all rows
    return render(
        request,
        "care/caseload.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, display_name(c), f"{prefix}{c.pk}/") for c in rows],
            "searched": searched,
            "may_register": access.may_register,
            "may_break_glass": access.may_break_glass,
        },
    )


# --- Register a client --------------------------------------------------------------------------

#: A registration (or child) whose BSN belongs to a family the user cannot see is refused, which
#: tells the user the BSN is registered. To keep that from becoming a way to test BSNs, each
#: such match is a denied search in the audit log and after this many in 24 hours every
#: registration and child of the user is refused the same way, so further tries tell nothing.
MAX_BSN_MATCHES_PER_DAY = 3
BSN_MATCH = "registration matched an existing BSN"


def bsn_matches_today(access: Access) -> int:
    """The user's refused BSN matches in the last 24 hours (from the audit log)."""
    return AuditEvent.objects.filter(
        user_id=access.user.pk,
        action=AuditAction.SEARCH,
        authorised=False,
        detail=BSN_MATCH,
        occurred_at__gt=access.now - timedelta(days=1),
    ).count()


def _bsn_refusal() -> str:
    return _(
        "This family cannot be registered by you. If another organisation already supports "
        "the family, ask it to refer the family to you with the client's consent."
    )


def _refuse_bsn(trail: Trail, client_id: int | None, throttled: bool) -> None:
    """Log a refused BSN match (or a refusal because of earlier ones) as a denied search."""
    trail.log(
        flags=Flags(authorised=False),
        action=AuditAction.SEARCH,
        client_id=client_id,
        detail="registration refused: too many BSN matches today" if throttled else BSN_MATCH,
    )


@require_http_methods(["GET", "POST"])
@care_view(CREATE, allow=lambda access: access.may_register)
def register(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    user = access.user
    initial = {
        "municipality_code": user.organisation.municipality_code if user.organisation else ""
    }
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        throttled = bsn_matches_today(access) >= MAX_BSN_MATCHES_PER_DAY
        try:
            if throttled:
                raise services.DuplicateBsnError(0)
            client = services.register_client(
                user,
                municipality_code=form.cleaned_data["municipality_code"],
                members=form.members(),
                family_situation=form.cleaned_data["family_situation"],
                now=access.now,
            )
        except services.DuplicateBsnError as duplicate:
            existing = Client.objects.filter(pk=duplicate.client_id).first()
            grant = access.grant(existing) if existing is not None else None
            if existing is not None and grant is not None and grant.visible:
                trail.log(
                    flags=grant.flags(),
                    action=AuditAction.SEARCH,
                    client_id=existing.pk,
                    categories=[IDENTITY],
                    detail="registration matched an existing BSN of a visible family",
                )
                messages.info(request, _("This family is already registered; here it is."))
                return redirect("care:client", pk=existing.pk)
            _refuse_bsn(trail, existing.pk if existing is not None else None, throttled)
            form.add_error(None, _bsn_refusal())
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
    client, grant = visible_client(access, pk)
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
        "hidden": hidden_labels(grant),
        "may_manage": may_manage(access, grant),
        "active_holds": holds.active_holds().filter(client=client).count()
        if may_manage(access, grant)
        else 0,
        "may_refer": may_refer(access, grant),
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
            "may_hand_over": may_manage(access, grant)
            or (current is not None and current.user_id == access.user.pk),
        }
    signals = [
        s for s in client.signals.select_related("organisation") if grant.covers(s.categories)
    ]
    shown |= {c for s in signals for c in s.categories}
    context["signals"] = signals
    context["may_signal"] = may_manage(access, grant)
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
    client, grant = visible_client(access, pk)
    require(access.is_professional and grant.treatment_relationship)
    form = NoteForm(request.POST, categories=grant.categories - {IDENTITY, COORDINATION})
    if not form.is_valid():
        trail.client(client, grant, [IDENTITY], action=READ, detail="note refused: invalid")
        context = _client_context(access, client, grant) | {"note_form": form}
        return render(request, "care/client.html", context, status=400)
    d = form.cleaned_data
    note = services.add_note(client, access.user, d["category"], d["text"], d["kind"])
    trail.client(client, grant, [note.category])
    messages.success(request, _("The note has been saved."))
    return redirect("care:client", pk=client.pk)


@require_http_methods(["GET", "POST"])
@care_view(CREATE)
def add_child(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    client, grant = visible_client(access, pk)
    require(may_manage(access, grant))
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = bool(form.cleaned_data.get("bsn")) and (
            bsn_matches_today(access) >= MAX_BSN_MATCHES_PER_DAY
        )
        try:
            if throttled:
                raise services.DuplicateBsnError(0)
            services.add_member(client, form.member())
        except services.DuplicateBsnError as duplicate:
            # The same refusal whether the BSN is in this family, another one, or the user
            # tried too often: it must not confirm who is registered.
            _refuse_bsn(trail, duplicate.client_id or None, throttled)
            form.add_error("bsn", _("This person cannot be added with this BSN."))
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
    client, grant = visible_client(access, pk)
    require(may_manage(access, grant))
    form = ConsentForm(
        request.POST or None,
        organisations=organisations_for(access),
        initial={"valid_from": access.today, "method": "written"},
    )
    if request.method == "POST" and form.is_valid() and not _covers_recorder(access, grant, form):
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


def _covers_recorder(access: Access, grant: Grant, form: ConsentForm) -> bool:
    """Whether the consent would open the record to the recorder's own organisation. Only the
    owning organisation may record such a consent (it sees everything anyway): anyone else
    would grant themselves access, so the form refuses it (issue 14: nothing but the family's
    consent, recorded by the record's owner or for another organisation, opens a record)."""
    if grant.owner:
        return False
    d = form.cleaned_data
    organisation = d.get("recipient_organisation")
    role = d.get("recipient_role") or ""
    org_matches = organisation is None or organisation.pk == access.organisation_id
    if org_matches and role in ("", access.role):
        form.add_error(
            "recipient_organisation",
            _(
                "You cannot record a consent that gives your own organisation access to this"
                " family; the organisation that holds the record records it."
            ),
        )
        return True
    return False


@require_POST
@care_view(UPDATE)
def consent_withdraw(
    request: HttpRequest, access: Access, trail: Trail, pk: int, consent_pk: int
) -> HttpResponse:
    client, grant = visible_client(access, pk)
    require(may_manage(access, grant))
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
    client, grant = visible_client(access, pk)
    current = services.current_contact_person(client)
    require(
        grant.may(COORDINATION)
        and (
            may_manage(access, grant) or (current is not None and current.user_id == access.user.pk)
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

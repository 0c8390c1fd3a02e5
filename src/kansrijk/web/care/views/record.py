"""The client's right of access (GDPR art. 15): the family's record as one JSON file, as the
requesting user may see it under the policy decision point (never more than the pages show).

Who: the owning organisation and the care team, like the access overview (``may_manage``).
Every part is filtered by the viewer's ``Grant``, by category only: care coordination opens
the consents, contact persons, care team, referrals and case conferences; family the family
situation; a note, goal or task its own category; a signal all of its categories (its answers
and domain scores only in the categories the grant covers); a referral's reason its own
category. ``categories_not_included`` names the categories the viewer may not see, so that the
client knows to ask the other organisations. One export entry is logged with the categories
the file holds."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Prefetch, TextChoices
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kansrijk.coordination import instruments
from kansrijk.report.pdf import html_to_pdf
from kansrijk.web.audit import log as audit
from kansrijk.web.audit.models import AuditAction, AuditPurpose
from kansrijk.web.care import timeline as records
from kansrijk.web.care import vocabulary
from kansrijk.web.care.access import ALL_CATEGORIES, Access, Grant
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.models import (
    CarePlanGoal,
    CareTeamMember,
    Client,
    Consent,
    ConsentMethod,
    ContactPerson,
    GoalStatus,
    MemberRole,
    Note,
    NoteKind,
    Task,
)
from kansrijk.web.care.views.common import (
    COORDINATION,
    FAMILY,
    IDENTITY,
    display_name,
    may_manage,
    require,
    role_label,
    visible_client,
)
from kansrijk.web.care.vocabulary import category_label, flag_label, state_label
from kansrijk.web.conferences import services as conferences
from kansrijk.web.conferences.models import AgendaItem, ConferenceState, DecisionKind
from kansrijk.web.referrals.models import Referral, ReferralEvent, Signal
from kansrijk.web.retention.models import HoldReason, RetentionHold


def _moment(value: datetime | None) -> str | None:
    """A moment as ISO 8601 in UTC (None stays None)."""
    return value.astimezone(UTC).isoformat() if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _name(user: Any) -> str:
    """A user's name as the pages show it (full name, else the user name)."""
    return str(user.get_full_name() or user.username)


def _categories(values: Iterable[str]) -> list[dict[str, str]]:
    return [{"code": c, "label": category_label(c)} for c in sorted(values)]


# --- The parts of the record -------------------------------------------------------------------


def _members(client: Client) -> list[dict[str, Any]]:
    """Name, role, date of birth and due date (never the BSN hash)."""
    return [
        {
            "role": m.role,
            "given_name": m.given_name,
            "family_name": m.family_name,
            "date_of_birth": _day(m.date_of_birth),
            "due_date": _day(m.due_date),
        }
        for m in client.members.all()
    ]


def _consents(client: Client) -> list[dict[str, Any]]:
    rows = (
        Consent.objects.filter(client=client)
        .select_related("recipient_organisation", "recorded_by")
        .prefetch_related("categories")
        .order_by("recorded_at", "pk")
    )
    return [
        {
            "recipient_organisation": c.recipient_organisation.name
            if c.recipient_organisation
            else None,
            "recipient_role": c.recipient_role or None,
            "categories": c.category_values,
            "purpose": c.purpose,
            "valid_from": _day(c.valid_from),
            "valid_until": _day(c.valid_until),
            "method": c.method,
            "recorded_by": _name(c.recorded_by),
            "recorded_at": _moment(c.recorded_at),
            "withdrawn_at": _moment(c.withdrawn_at),
        }
        for c in rows
    ]


def _contact_persons(client: Client) -> list[dict[str, Any]]:
    rows = (
        ContactPerson.objects.filter(client=client)
        .select_related("user", "organisation", "assigned_by")
        .order_by("started_at", "pk")
    )
    return [
        {
            "contact_person": _name(c.user),
            "organisation": c.organisation.name,
            "from": _moment(c.started_at),
            "until": _moment(c.ended_at),
            "assigned_by": _name(c.assigned_by),
            "hand_over_note": c.note,
        }
        for c in rows
    ]


def _holds(client: Client) -> list[dict[str, Any]]:
    """Holds on retention (a complaint, a request for access, a legal claim), oldest first."""
    rows = (
        RetentionHold.objects.filter(client=client)
        .select_related("organisation")
        .order_by("placed_at", "pk")
    )
    return [
        {
            "reason": h.reason,
            "organisation": h.organisation.name,
            "placed_at": _moment(h.placed_at),
            "lifted_at": _moment(h.lifted_at),
        }
        for h in rows
    ]


def _care_team(client: Client) -> list[dict[str, Any]]:
    rows = (
        CareTeamMember.objects.filter(client=client)
        .select_related("organisation")
        .order_by("since", "pk")
    )
    return [
        {"organisation": m.organisation.name, "since": _day(m.since), "until": _day(m.until)}
        for m in rows
    ]


def _signals(client: Client, grant: Grant) -> tuple[list[dict[str, Any]], set[str]]:
    """Signals the grant covers entirely (as on the pages); answers and domain scores only in
    covered categories."""
    out: list[dict[str, Any]] = []
    shown: set[str] = set()
    rows = Signal.objects.filter(client=client).select_related("organisation")
    for s in rows.order_by("recorded_at", "pk"):
        if not grant.covers(s.categories):
            continue
        used = instruments.find_instrument(s.instrument_code, s.instrument_version)
        answers: dict[str, Any] = {}
        scores: dict[str, Any] = {}
        if used is not None:
            for code, answer in s.answers.items():
                try:
                    category = used.domain_of(code).category.value
                except KeyError:
                    continue
                if grant.may(category):
                    answers[code] = answer
            covered = {d.code for d in used.domains if grant.may(d.category.value)}
            scores = {k: v for k, v in s.domain_scores.items() if k in covered}
        shown |= set(s.category_values)
        out.append(
            {
                "recorded_at": _moment(s.recorded_at),
                "organisation": s.organisation.name,
                "instrument": s.instrument_code,
                "instrument_version": s.instrument_version,
                "categories": s.category_values,
                "answers": answers,
                "total_score": s.total_score,
                "domain_scores": scores,
                "above_threshold": s.above_threshold,
                "flags": list(s.flags),
                "proposed_routes": list(s.proposed_routes),
            }
        )
    return out, shown


def _referrals(client: Client, grant: Grant) -> tuple[list[dict[str, Any]], set[str]]:
    """Referrals with their state history; reasons only in the reason's category."""
    out: list[dict[str, Any]] = []
    shown: set[str] = set()
    events = Prefetch(
        "events",
        queryset=ReferralEvent.objects.select_related("organisation").order_by("version"),
    )
    rows = (
        Referral.objects.filter(client=client)
        .select_related("from_organisation", "to_organisation", "owner_organisation")
        .prefetch_related(events)
        .order_by("created_at", "pk")
    )
    for r in rows:
        reason = grant.may(r.category)
        if reason:
            shown.add(r.category)
        out.append(
            {
                "route": r.route_code,
                "route_step": r.route_step,
                "from_organisation": r.from_organisation.name,
                "to_organisation": r.to_organisation.name,
                "state": r.state,
                "owner_organisation": r.owner_organisation.name,
                "deadline": _day(r.deadline),
                "category": r.category,
                "reason": r.reason if reason else None,
                "decision_reason": (r.decision_reason or None) if reason else None,
                "created_at": _moment(r.created_at),
                "history": [
                    {
                        "at": _moment(e.at),
                        "action": e.action,
                        "from_state": e.from_state or None,
                        "to_state": e.to_state,
                        "organisation": e.organisation.name,
                        "reason": (e.reason or None) if reason else None,
                    }
                    for e in r.events.all()
                ],
            }
        )
    return out, shown


def _notes(client: Client, grant: Grant) -> list[dict[str, Any]]:
    rows = Note.objects.filter(client=client).select_related("author", "organisation")
    return [
        {
            "kind": n.kind,
            "category": n.category,
            "text": n.text,
            "author": _name(n.author),
            "organisation": n.organisation.name,
            "created_at": _moment(n.created_at),
        }
        for n in rows.order_by("created_at", "pk")
        if grant.may(n.category)
    ]


def _goals(client: Client, grant: Grant) -> list[dict[str, Any]]:
    rows = CarePlanGoal.objects.filter(client=client).select_related("organisation")
    return [
        {
            "category": g.category,
            "goal": g.text,
            "status": g.status,
            "target_date": _day(g.target_date),
            "organisation": g.organisation.name,
            "set_at": _moment(g.created_at),
            "closed_at": _moment(g.closed_at),
        }
        for g in rows.order_by("created_at", "pk")
        if grant.may(g.category)
    ]


def _tasks(client: Client, grant: Grant) -> list[dict[str, Any]]:
    rows = Task.objects.filter(client=client).select_related("organisation")
    return [
        {
            "category": t.category,
            "task": t.title,
            "organisation": t.organisation.name,
            "due": _day(t.due),
            "created_at": _moment(t.created_at),
            "completed_at": _moment(t.completed_at),
        }
        for t in rows.order_by("created_at", "pk")
        if grant.may(t.category)
    ]


def _conference_items(access: Access, client: Client, grant: Grant) -> list[dict[str, Any]]:
    """Agenda items that name the family for this viewer (``conferences.named_for``; an
    anonymous item never links to the record, as on the timeline) with their decisions; the
    case description, question and minutes only for the conference's organiser and
    participants, who read them on the conference pages."""
    if not conferences.sees_family(grant):
        return []
    member_of = set(conferences.visible_conferences(access.user).values_list("pk", flat=True))
    items = (
        AgendaItem.objects.filter(client=client, anonymous=False)
        .select_related("conference", "presenter_organisation")
        .prefetch_related(
            "decisions__responsible_organisation",
            "decisions__referral",
            "decisions__tasks",
            "decisions__goals",
        )
        .order_by("conference__starts_at", "position", "pk")
    )
    out: list[dict[str, Any]] = []
    for item in items:
        if not conferences.named_for(item, grant):
            continue
        conference = item.conference
        row: dict[str, Any] = {
            "conference": conference.title,
            "starts_at": _moment(conference.starts_at),
            "state": conference.state,
            "presenting_organisation": item.presenter_organisation.name,
        }
        if conference.pk in member_of:
            row |= {"case_description": item.summary, "question": item.question}
            row["minutes"] = item.minutes
        row["decisions"] = [
            {
                "kind": d.kind,
                "decision": d.text,
                "responsible_organisation": d.responsible_organisation.name
                if d.responsible_organisation
                else None,
                "due": _day(d.due),
                "recorded_at": _moment(d.created_at),
            }
            for d in item.decisions.all()
            # A decision's text reveals the category of what it became (issue 14: consent only).
            if grant.covers(conferences.decision_categories(d))
        ]
        out.append(row)
    return out


def _access_log(client: Client) -> list[dict[str, Any]]:
    """The access overview's entries: which organisation and role saw which categories when
    (no user names), oldest first."""
    events = audit.accesses_of(client.pk)
    return [
        {
            "at": _moment(e.occurred_at),
            "organisation": e.organisation_name,
            "role": role_label(e.role),
            "action": e.action,
            "categories": e.category_values,
            "emergency_access": e.emergency_access,
        }
        for e in events.iterator()
    ]


def _timeline(client: Client, grant: Grant) -> list[dict[str, Any]]:
    """The shared record as the timeline page shows it (``care.timeline``), oldest first."""
    labels = records.kind_labels()
    return [
        {
            "at": _moment(e.at),
            "kind": e.kind,
            "kind_label": labels[e.kind],
            "title": e.title,
            "detail": e.detail,
            "organisation": e.organisation,
            "categories": list(e.categories),
        }
        for e in reversed(records.timeline(client, grant))
    ]


def record(access: Access, client: Client, grant: Grant) -> tuple[dict[str, Any], set[str]]:
    """The family's record as ``grant`` shows it, and the categories it holds (for the log).

    ``client`` should come with its members prefetched (``visible_client`` does so)."""
    user = access.user
    shown = {IDENTITY}
    data: dict[str, Any] = {
        "generated_at": _moment(access.now),
        "generated_by": {
            "organisation": user.organisation.name if user.organisation else None,
            "role": role_label(user.role),
        },
        "client": client.pk,
        "municipality_code": client.municipality_code,
        "categories_not_included": _categories(ALL_CATEGORIES - grant.categories),
        "members": _members(client),
    }
    if grant.may(FAMILY):
        shown.add(FAMILY)
        data["family_situation"] = client.family_situation
    if grant.may(COORDINATION):
        shown.add(COORDINATION)
        data["consents"] = _consents(client)
        data["contact_persons"] = _contact_persons(client)
        data["care_team"] = _care_team(client)
        data["retention_holds"] = _holds(client)
    data["signals"], signal_categories = _signals(client, grant)
    shown |= signal_categories
    if grant.may(COORDINATION):
        data["referrals"], reason_categories = _referrals(client, grant)
        shown |= reason_categories
    data["notes"] = _notes(client, grant)
    data["care_plan"] = {"goals": _goals(client, grant), "tasks": _tasks(client, grant)}
    shown |= {n["category"] for n in data["notes"]}
    shown |= {g["category"] for g in data["care_plan"]["goals"]}
    shown |= {t["category"] for t in data["care_plan"]["tasks"]}
    if grant.may(COORDINATION):
        data["conference_items"] = _conference_items(access, client, grant)
    data["timeline"] = _timeline(client, grant)
    shown |= {c for e in data["timeline"] for c in e["categories"]}
    data["access_log"] = _access_log(client)
    return data, shown


# --- The readable version ---------------------------------------------------------------------


def _when(value: str | None) -> datetime | None:
    """An ISO moment of the record back as an aware datetime (the page formats it)."""
    return datetime.fromisoformat(value) if value else None


def _on(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _choice(choices: type[TextChoices], value: str | None) -> str:
    """A stored choice's label in the active language (the value itself when unknown)."""
    if not value:
        return ""
    return str(dict(choices.choices).get(value, value))


def _labels(codes: Iterable[str]) -> str:
    return ", ".join(category_label(c) for c in codes)


def _answer(value: Any, item: instruments.Item | None, english: bool) -> str:
    """An answer as the family reads it: yes/no, an option's text, else the value."""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if item is not None:
        for option in item.options:
            if option.code == value:
                return option.text_en if english else option.text_nl
    return str(value)


def _readable_signal(s: dict[str, Any], english: bool) -> dict[str, Any]:
    used = instruments.find_instrument(s["instrument"], s["instrument_version"])
    answers: list[tuple[str, str]] = []
    for code, value in s["answers"].items():
        item: instruments.Item | None = None
        if used is not None:
            try:
                item = used.item(code)
            except KeyError:
                item = None
        question = code if item is None else (item.text_en if english else item.text_nl)
        answers.append((question, _answer(value, item, english)))
    return s | {
        "recorded_at": _when(s["recorded_at"]),
        "category_labels": _labels(s["categories"]),
        "answer_rows": answers,
        "domain_rows": sorted(s["domain_scores"].items()),
        "flag_labels": ", ".join(flag_label(f) for f in s["flags"]),
    }


def _readable_referral(r: dict[str, Any]) -> dict[str, Any]:
    return r | {
        "state_label": state_label(r["state"]),
        "category_label": category_label(r["category"]),
        "deadline": _on(r["deadline"]),
        "created_at": _when(r["created_at"]),
        "history": [
            e
            | {
                "at": _when(e["at"]),
                "from_label": state_label(e["from_state"]) if e["from_state"] else "",
                "to_label": state_label(e["to_state"]),
            }
            for e in r["history"]
        ],
    }


def _readable_item(item: dict[str, Any]) -> dict[str, Any]:
    return item | {
        "starts_at": _when(item["starts_at"]),
        "state_label": _choice(ConferenceState, item["state"]),
        "decisions": [
            d
            | {
                "kind_label": _choice(DecisionKind, d["kind"]),
                "due": _on(d["due"]),
                "recorded_at": _when(d["recorded_at"]),
            }
            for d in item["decisions"]
        ],
    }


def readable(data: dict[str, Any]) -> dict[str, Any]:
    """The record of ``record()`` for the readable page: moments back as datetimes, codes
    with their labels in the active language (nothing is queried again but the instruments'
    question texts)."""
    english = vocabulary.english()
    out: dict[str, Any] = data | {
        "generated_at": _when(data["generated_at"]),
        "members": [
            m
            | {
                "role_label": _choice(MemberRole, m["role"]),
                "date_of_birth": _on(m["date_of_birth"]),
                "due_date": _on(m["due_date"]),
            }
            for m in data["members"]
        ],
        "signals": [_readable_signal(s, english) for s in data["signals"]],
        "notes": [
            n
            | {
                "kind_label": _choice(NoteKind, n["kind"]),
                "category_label": category_label(n["category"]),
                "created_at": _when(n["created_at"]),
            }
            for n in data["notes"]
        ],
        "goals": [
            g
            | {
                "category_label": category_label(g["category"]),
                "status_label": _choice(GoalStatus, g["status"]),
                "target_date": _on(g["target_date"]),
                "set_at": _when(g["set_at"]),
                "closed_at": _when(g["closed_at"]),
            }
            for g in data["care_plan"]["goals"]
        ],
        "tasks": [
            t
            | {
                "category_label": category_label(t["category"]),
                "due": _on(t["due"]),
                "created_at": _when(t["created_at"]),
                "completed_at": _when(t["completed_at"]),
            }
            for t in data["care_plan"]["tasks"]
        ],
        "timeline": [
            e | {"at": _when(e["at"]), "category_labels": _labels(e["categories"])}
            for e in data["timeline"]
        ],
        "access_log": [
            e
            | {
                "at": _when(e["at"]),
                "action_label": _choice(AuditAction, e["action"]),
                "category_labels": _labels(e["categories"]),
            }
            for e in data["access_log"]
        ],
    }
    if "consents" in data:
        out["consents"] = [
            c
            | {
                "category_labels": _labels(c["categories"]),
                "role_label": role_label(c["recipient_role"]) if c["recipient_role"] else "",
                "method_label": _choice(ConsentMethod, c["method"]),
                "valid_from": _on(c["valid_from"]),
                "valid_until": _on(c["valid_until"]),
                "recorded_at": _when(c["recorded_at"]),
                "withdrawn_at": _when(c["withdrawn_at"]),
            }
            for c in data["consents"]
        ]
        out["contact_persons"] = [
            c | {"from": _when(c["from"]), "until": _when(c["until"])}
            for c in data["contact_persons"]
        ]
        out["care_team"] = [
            m | {"since": _on(m["since"]), "until": _on(m["until"])} for m in data["care_team"]
        ]
        out["retention_holds"] = [
            h
            | {
                "reason_label": _choice(HoldReason, h["reason"]),
                "placed_at": _when(h["placed_at"]),
                "lifted_at": _when(h["lifted_at"]),
            }
            for h in data["retention_holds"]
        ]
    if "referrals" in data:
        out["referrals"] = [_readable_referral(r) for r in data["referrals"]]
    if "conference_items" in data:
        out["conference_items"] = [_readable_item(i) for i in data["conference_items"]]
    return out


# --- The page ---------------------------------------------------------------------------------

#: The formats of the record: the file (default), the readable page and its PDF.
FORMATS = ("json", "html", "pdf")


@require_GET
@care_view(AuditAction.EXPORT, purpose=AuditPurpose.ACCOUNTABILITY)
def record_export(request: HttpRequest, access: Access, trail: Trail, pk: int) -> HttpResponse:
    """The family's record (right of access), for the owning organisation or the care team to
    hand to the client: as JSON (default, ``?format=json``), as a readable, printable page
    (``?format=html``) or as that page in PDF (``?format=pdf``). Each is one export entry."""
    kind = request.GET.get("format") or "json"
    if kind not in FORMATS:
        raise Http404
    client, grant = visible_client(access, pk)
    require(may_manage(access, grant))
    data, shown = record(access, client, grant)
    trail.client(
        client,
        grant,
        shown,
        detail="record export" if kind == "json" else f"record export ({kind})",
    )
    filename = f"inzage-{client.pk}-{access.today.isoformat()}"
    if kind == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    context = {
        "client": client,
        "name": display_name(client),
        "record": readable(data),
        "pdf": kind == "pdf",
    }
    page = render(request, "care/record.html", context)
    if kind == "html":
        return page
    # For the PDF the page leaves out the site's stylesheet links (relative URLs WeasyPrint has
    # no base for) and carries its own print stylesheet: nothing is fetched. WeasyPrint, not
    # chromium: a one-page record needs no browser process in the web server.
    response = HttpResponse(
        html_to_pdf(page.content.decode(page.charset), "weasyprint"),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response

"""The shared record: one family's timeline across organisations, filtered per viewer.

Every entry has one data category. A viewer sees an entry only when their ``Grant`` (the
policy decision point, `care.access`) covers its category; a signal needs all of its
categories. What counts where:

=====================  ======================================================================
entry                  category
=====================  ======================================================================
signal                 the signal's categories (all must be covered)
referral event         care coordination; the referral's reason only when its own category
                       is covered too
note, contact          the note's category
contact person         care coordination (hand-overs)
care team              care coordination (organisation joined or left)
consent                care coordination (recorded, withdrawn)
conference decision    care coordination; only items discussed by name (an anonymous item
                       never links its decisions to the client's record)
care-plan goal         the goal's category (set, achieved, dropped)
task                   the task's category (created, completed)
=====================  ======================================================================

The number of queries is fixed (one per source), whatever the length of the record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk.web.care.access import Grant
from kansrijk.web.care.models import (
    CarePlanGoal,
    CareTeamMember,
    Client,
    Consent,
    ContactPerson,
    GoalStatus,
    Note,
    NoteKind,
    Task,
)
from kansrijk.web.care.vocabulary import DataCategory, category_label, state_label
from kansrijk.web.conferences.models import ConferenceDecision
from kansrijk.web.conferences.services import decision_categories
from kansrijk.web.referrals.models import ReferralEvent, Signal
from kansrijk.web.referrals.workflow import route_label

COORDINATION: Final = DataCategory.CARE_COORDINATION.value

#: Entry kinds, in the order the filter offers them.
KINDS: Final = (
    "signal",
    "referral",
    "contact",
    "note",
    "contact_person",
    "care_team",
    "consent",
    "decision",
    "goal",
    "task",
)


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    at: datetime
    kind: str
    title: str
    detail: str
    organisation: str
    categories: tuple[str, ...]

    @property
    def category_labels(self) -> list[str]:
        return [category_label(c) for c in self.categories]


def kind_labels() -> dict[str, str]:
    return {
        "signal": _("Signal"),
        "referral": _("Referral"),
        "contact": _("Contact with the family"),
        "note": _("Note"),
        "contact_person": _("Contact person"),
        "care_team": _("Care team"),
        "consent": _("Consent"),
        "decision": _("Case conference decision"),
        "goal": _("Care-plan goal"),
        "task": _("Task"),
    }


def _at_start(day: object) -> datetime:
    """A date as the start of that day in the local time zone (for entries that have a day)."""
    moment = datetime.combine(day, datetime.min.time())  # type: ignore[arg-type]
    return timezone.make_aware(moment)


def _signals(client: Client) -> Iterator[Entry]:
    for s in Signal.objects.filter(client=client).select_related("organisation"):
        threshold = _("above the threshold") if s.above_threshold else _("below the threshold")
        yield Entry(
            s.recorded_at,
            "signal",
            _("Screening recorded: score %(score)s (%(threshold)s)")
            % {"score": s.total_score, "threshold": threshold},
            ", ".join(route_label(code, "") for code in s.proposed_routes),
            s.organisation.name,
            tuple(s.category_values),
        )


def _referrals(client: Client, grant: Grant) -> Iterator[Entry]:
    events = ReferralEvent.objects.filter(referral__client=client).select_related(
        "referral__from_organisation", "referral__to_organisation", "organisation"
    )
    for e in events:
        r = e.referral
        title = _("Referral from %(from)s to %(to)s: %(state)s") % {
            "from": r.from_organisation.name,
            "to": r.to_organisation.name,
            "state": state_label(e.to_state),
        }
        detail = ""
        if grant.may(r.category):
            detail = r.reason if e.action == "request" else e.reason
        yield Entry(e.at, "referral", title, detail, e.organisation.name, (COORDINATION,))


def _notes(client: Client) -> Iterator[Entry]:
    for n in Note.objects.filter(client=client).select_related("organisation"):
        kind = "contact" if n.kind == NoteKind.CONTACT else "note"
        title = _("Contact with the family") if kind == "contact" else _("Note")
        yield Entry(n.created_at, kind, title, n.text, n.organisation.name, (n.category,))


def _contact_persons(client: Client) -> Iterator[Entry]:
    rows = ContactPerson.objects.filter(client=client).select_related("user", "organisation")
    for c in rows:
        who = c.user.get_full_name() or c.user.username
        yield Entry(
            c.started_at,
            "contact_person",
            _("%(who)s became the contact person") % {"who": who},
            c.note,
            c.organisation.name,
            (COORDINATION,),
        )


def _care_team(client: Client) -> Iterator[Entry]:
    for m in CareTeamMember.objects.filter(client=client).select_related("organisation"):
        name = m.organisation.name
        yield Entry(
            _at_start(m.since), "care_team", _("Joined the care team"), "", name, (COORDINATION,)
        )
        if m.until is not None:
            yield Entry(
                _at_start(m.until), "care_team", _("Left the care team"), "", name, (COORDINATION,)
            )


def _consents(client: Client) -> Iterator[Entry]:
    rows = Consent.objects.filter(client=client).select_related(
        "recipient_organisation", "recorded_by__organisation"
    )
    for c in rows.prefetch_related("categories"):
        recipient = c.recipient_organisation.name if c.recipient_organisation else ""
        recipient = ", ".join(x for x in (recipient, c.get_recipient_role_display()) if x)
        labels = ", ".join(c.category_labels)
        org = c.recorded_by.organisation.name if c.recorded_by.organisation else ""
        yield Entry(
            c.recorded_at,
            "consent",
            _("Consent recorded for %(recipient)s") % {"recipient": recipient},
            f"{labels}. {c.purpose}",
            org,
            (COORDINATION,),
        )
        if c.withdrawn_at is not None:
            yield Entry(
                c.withdrawn_at,
                "consent",
                _("Consent withdrawn for %(recipient)s") % {"recipient": recipient},
                labels,
                org,
                (COORDINATION,),
            )


def _decisions(client: Client) -> Iterator[Entry]:
    rows = (
        ConferenceDecision.objects.filter(item__client=client, item__anonymous=False)
        .select_related("item__conference", "responsible_organisation", "referral")
        .prefetch_related("tasks", "goals")
    )
    for d in rows:
        conference = d.item.conference
        org = d.responsible_organisation.name if d.responsible_organisation else ""
        yield Entry(
            d.created_at,
            "decision",
            _("Case conference %(title)s: %(kind)s")
            % {"title": conference.title, "kind": d.get_kind_display()},
            d.text,
            org,
            decision_categories(d),
        )


def _goals(client: Client) -> Iterator[Entry]:
    for g in CarePlanGoal.objects.filter(client=client).select_related("organisation"):
        yield Entry(g.created_at, "goal", _("Goal set"), g.text, g.organisation.name, (g.category,))
        if g.closed_at is not None:
            title = _("Goal achieved") if g.status == GoalStatus.ACHIEVED else _("Goal dropped")
            yield Entry(g.closed_at, "goal", title, g.text, g.organisation.name, (g.category,))


def _tasks(client: Client) -> Iterator[Entry]:
    for t in Task.objects.filter(client=client).select_related("organisation"):
        yield Entry(
            t.created_at, "task", _("Task created"), t.title, t.organisation.name, (t.category,)
        )
        if t.completed_at is not None:
            yield Entry(
                t.completed_at,
                "task",
                _("Task completed"),
                t.title,
                t.organisation.name,
                (t.category,),
            )


def timeline(client: Client, grant: Grant, kinds: Iterable[str] = KINDS) -> list[Entry]:
    """The entries of ``kinds`` that ``grant`` covers, newest first."""
    wanted = set(kinds)
    if not grant.visible:
        return []
    sources: dict[str, Callable[[], Iterator[Entry]]] = {
        "signal": lambda: _signals(client),
        "referral": lambda: _referrals(client, grant),
        "note": lambda: _notes(client),
        "contact_person": lambda: _contact_persons(client),
        "care_team": lambda: _care_team(client),
        "consent": lambda: _consents(client),
        "decision": lambda: _decisions(client),
        "goal": lambda: _goals(client),
        "task": lambda: _tasks(client),
    }
    fetch = wanted | ({"note"} if "contact" in wanted else set())  # contacts are notes
    entries = [
        e
        for kind, source in sources.items()
        if kind in fetch
        for e in source()
        if e.kind in wanted and grant.covers(e.categories)
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)

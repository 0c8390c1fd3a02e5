"""Apply the retention policy (`kansrijk.coordination.retention`) to the care records.

Last activity per record (the day its retention period starts) and the categories it carries:

* note (``contact_note``, of either kind): the day it was written (notes are never edited); its
  category;
* signal: the day it was recorded (signals are never edited); the categories of its answers;
* referral: its ``updated_at`` (every state change moves it); its category;
* care-plan goal: the day it was closed (achieved or dropped), else the day it was set; its
  category;
* task: the day it was completed, else the day it was created; its category;
* agenda item with a client and its conference decisions, one record of the discussion that
  expires as a whole: the latest of the conference's start, the day the minutes were made
  final and the decisions' days; care coordination plus the categories of the referrals, goals
  and tasks the decisions became (the case description, minutes and decisions discuss what
  those are about). Those are dated on or after their decision and normally outlast the
  discussion; one that expires first takes its category with it;
* agenda item without a family (an anonymous case from the caseload, ``client`` empty) and its
  decisions: the same record of the discussion, with the same last activity and categories,
  but with no client to expire with or to hold it. While its conference is open (the minutes
  are not final) it is on hold: decisions and minutes may still be added. Once the minutes are
  final its period runs like any other record's;
* client: the latest of its own ``updated_at``, its consents' recording and withdrawal, its
  contact persons' start and end (a hand-over ends one and starts the next), its care-team
  memberships' first and last days and the last activity of every record above it still has;
  it carries the categories of all those records (and ``family`` when a family situation is
  written down), so a client is never anonymised before every one of its records has expired.
  Hand-overs and care-team changes are activity only: they carry no category of their own and
  are not removed by themselves.

Legal hold: while care is going on for a client, that is while it has an open referral
(requested, accepted or in progress), an open task (not completed), an open care-plan goal or
an emergency access not yet reviewed, the client and every one of its records are on hold
(`RecordRef.on_hold`, so the core keeps them): nothing of it expires, however old. One query
finds those clients. When the care ends the periods run as usual from the last activity (a
completed referral's is its completion, a goal's its closing, a task's its completion). A hold
placed by hand (``RetentionHold``, ``retention.holds``: a complaint, a request for access, a legal
claim) holds the client the same way until it is lifted.

At expiry (`DEFAULT_ACTIONS`):

* notes, goals, tasks and conference decisions are deleted (free text cannot be anonymised
  reliably; the goals and tasks a deleted decision became keep existing, their link to it
  becomes empty);
* signals and referrals are anonymised (answers, flags, reasons and the referral history's
  reasons cleared; instrument, route, step, category, state and dates stay, so the process
  indicators keep counting them);
* an agenda item is anonymised, not deleted: deleting it would delete its decisions with it and
  leave a gap in the conference's agenda. The case description becomes "geanonimiseerd", the
  question, the minutes and the consent check are cleared and the client link goes: it stays
  as an anonymous case without a family (its decisions are deleted in the same run). An item
  without a family is anonymised the same way;
* a client is anonymised: names become "geanonimiseerd", BSN hash, dates of birth and due dates,
  the family situation, hand-over notes and emergency-access reasons are cleared, each
  consent's purpose becomes "geanonimiseerd" (a withdrawal holds no free text), and the text of
  any note, goal, task, decision or agenda item of it still there (kept anonymised under a
  coalition's own policy) is cleared too. The client row stays, since anonymised signals and
  referrals still point at it for the municipality.

A coalition's policy may choose the other action for a kind; both are carried out for every
kind (deleting a client deletes everything of it). Every removal gets a `DeletionRecord` (a
client's members one each, with the client's action; an item without a family and its
decisions without a client key); each touched client one audit entry (purpose ``retention``,
no user) and the items without a family of a run together one more, without a client. Records
already anonymised (they are in the register) are not planned again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from kansrijk.coordination.categories import DataCategory, RecordKind
from kansrijk.coordination.referrals import TERMINAL, ReferralState
from kansrijk.coordination.retention import (
    DEFAULT_RETENTION,
    ExpiryAction,
    RecordRef,
    RetentionPolicy,
    plan_expiry,
)
from kansrijk.web.audit import log as audit
from kansrijk.web.audit.models import AuditAction, AuditPurpose
from kansrijk.web.care.models import (
    CarePlanGoal,
    CareTeamMember,
    Client,
    ClientMember,
    Consent,
    ContactPerson,
    EmergencyAccess,
    GoalStatus,
    Note,
    Task,
)
from kansrijk.web.conferences.models import AgendaItem, ConferenceDecision, ConferenceState
from kansrijk.web.referrals.models import Referral, ReferralEvent, Signal
from kansrijk.web.retention.holds import active_holds
from kansrijk.web.retention.models import DeletionAction, DeletionRecord

ANONYMOUS = "geanonimiseerd"
CLIENT = RecordKind.CLIENT.value
MEMBER = "client_member"
ITEM = RecordKind.AGENDA_ITEM.value
#: Referral states in which care is still going on (see "Legal hold" in the module docstring).
OPEN_REFERRAL_STATES = tuple(s.value for s in ReferralState if s not in TERMINAL)


@dataclass
class RetentionResult:
    """What a run did (or, on a dry run, would do): register entries per kind and action."""

    entries: list[DeletionRecord] = field(default_factory=list)
    clients: set[int] = field(default_factory=set)

    def counts(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = defaultdict(int)
        for entry in self.entries:
            out[entry.record_kind, entry.action] += 1
        return dict(out)

    def summary(self) -> str:
        if not self.entries:
            return "retention: nothing expired"
        parts = [f"{kind} {action}: {n}" for (kind, action), n in sorted(self.counts().items())]
        familyless = sum(e.client_id is None and e.record_kind == ITEM for e in self.entries)
        return (
            f"retention: {', '.join(parts)}; {len(self.clients)} client(s) touched, "
            f"{familyless} agenda item(s) without a family"
        )


def _as_day(value: date | datetime) -> date:
    """A moment's local day; a day stays itself."""
    return _day(value) if isinstance(value, datetime) else value


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


_KNOWN = frozenset(c.value for c in DataCategory)
_COORDINATION = frozenset({DataCategory.CARE_COORDINATION})


def _cats(values: str | list[str] | None) -> frozenset[DataCategory]:
    items = [values] if isinstance(values, str) else list(values or [])
    return frozenset(DataCategory(v) for v in items if v in _KNOWN)


def held_clients() -> set[int]:
    """Clients on hold: care still going on (an open referral, an open task or goal, or an
    emergency access not yet reviewed) or a hold placed by hand (a complaint, a request for
    access, a legal claim; ``retention.holds``). One query."""
    referrals = Referral.objects.filter(state__in=OPEN_REFERRAL_STATES)
    tasks = Task.objects.filter(completed_at__isnull=True)
    goals = CarePlanGoal.objects.filter(status=GoalStatus.OPEN)
    emergencies = EmergencyAccess.objects.filter(reviewed_at__isnull=True)
    ids = [
        qs.order_by().values_list("client_id", flat=True)
        for qs in (referrals, tasks, goals, emergencies, active_holds())
    ]
    return set(ids[0].union(*ids[1:]))


class _Planner:
    """Collects the records, their owners and each client's last activity and categories."""

    def __init__(self, done: set[tuple[str, int]], held: set[int]) -> None:
        self.done, self.held = done, held
        self.refs: list[RecordRef] = []
        self.owner: dict[tuple[str, str], int | None] = {}
        self.client_last: dict[int, date] = {}
        self.client_cats: dict[int, set[DataCategory]] = defaultdict(set)

    def see(
        self,
        kind: RecordKind,
        pk: int,
        client_id: int | None,
        cats: frozenset[DataCategory],
        day: date,
        on_hold: bool = False,
    ) -> None:
        """One record of ``client_id`` (None: a case without a family, held by ``on_hold``)."""
        if client_id is not None:
            self.client_last[client_id] = max(self.client_last.get(client_id, day), day)
            self.client_cats[client_id] |= cats
            on_hold = client_id in self.held
        if (kind.value, pk) in self.done:
            return
        self.refs.append(RecordRef(kind, str(pk), cats, day, on_hold=on_hold))
        self.owner[kind.value, str(pk)] = client_id

    def records(self) -> None:
        for pk, cid, cat, at in Note.objects.values_list(
            "pk", "client_id", "category", "created_at"
        ):
            self.see(RecordKind.CONTACT_NOTE, pk, cid, _cats(cat), _day(at))
        for pk, cid, cats, at in Signal.objects.values_list(
            "pk", "client_id", "categories", "recorded_at"
        ):
            self.see(RecordKind.SIGNAL, pk, cid, _cats(cats), _day(at))
        for pk, cid, cat, at in Referral.objects.values_list(
            "pk", "client_id", "category", "updated_at"
        ):
            self.see(RecordKind.REFERRAL, pk, cid, _cats(cat), _day(at))
        # What a decision became tells what it is about: its categories go with it.
        decision_cats: dict[int, set[DataCategory]] = defaultdict(set)
        for pk, cid, cat, created, closed, decision in CarePlanGoal.objects.values_list(
            "pk", "client_id", "category", "created_at", "closed_at", "decision_id"
        ):
            self.see(RecordKind.CARE_PLAN_GOAL, pk, cid, _cats(cat), _day(closed or created))
            if decision is not None:
                decision_cats[decision] |= _cats(cat)
        for pk, cid, cat, created, completed, decision in Task.objects.values_list(
            "pk", "client_id", "category", "created_at", "completed_at", "decision_id"
        ):
            self.see(RecordKind.TASK, pk, cid, _cats(cat), _day(completed or created))
            if decision is not None:
                decision_cats[decision] |= _cats(cat)
        # An agenda item and its decisions are one record of the discussion (see the docstring),
        # with a family or without one (then an open conference holds it).
        decisions: dict[int, list[int]] = defaultdict(list)
        item_days: dict[int, list[date]] = defaultdict(list)
        item_cats: dict[int, set[DataCategory]] = defaultdict(lambda: set(_COORDINATION))
        for pk, item, at, referral_cat in ConferenceDecision.objects.values_list(
            "pk", "item_id", "created_at", "referral__category"
        ):
            decisions[item].append(pk)
            item_days[item].append(_day(at))
            item_cats[item] |= _cats(referral_cat) | decision_cats.get(pk, set())
        for pk, cid, starts, state, held_at in AgendaItem.objects.values_list(
            "pk", "client_id", "conference__starts_at", "conference__state", "conference__held_at"
        ):
            days = [_day(starts), *item_days[pk]] + ([_day(held_at)] if held_at else [])
            cats, last = frozenset(item_cats[pk]), max(days)
            open_ = state != ConferenceState.HELD or held_at is None
            self.see(RecordKind.AGENDA_ITEM, pk, cid, cats, last, on_hold=open_)
            for decision in decisions[pk]:
                self.see(RecordKind.CONFERENCE_DECISION, decision, cid, cats, last, open_)

    def clients(self) -> None:
        """One reference per client not yet anonymised, after `records` (it needs theirs)."""
        # Consents recorded and withdrawn; hand-overs of the contact person and care-team
        # changes (activity, not records).
        activity_days: dict[int, list[date]] = defaultdict(list)
        for model, first, last in (
            (Consent, "recorded_at", "withdrawn_at"),
            (ContactPerson, "started_at", "ended_at"),
            (CareTeamMember, "since", "until"),
        ):
            for cid, *moments in (
                model.objects.order_by()
                .values("client_id")
                .annotate(a=Max(first), b=Max(last))
                .values_list("client_id", "a", "b")
            ):
                activity_days[cid] += [_as_day(m) for m in moments if m is not None]
        anonymised = DeletionRecord.objects.filter(
            record_kind=CLIENT, action=DeletionAction.ANONYMISED
        ).values("record_id")
        for pk, updated, situation in Client.objects.exclude(pk__in=anonymised).values_list(
            "pk", "updated_at", "family_situation"
        ):
            days = [_day(updated), self.client_last.get(pk, date.min), *activity_days[pk]]
            cats = self.client_cats[pk] | {DataCategory.IDENTITY}
            if situation:
                cats.add(DataCategory.FAMILY)
            self.refs.append(
                RecordRef(RecordKind.CLIENT, str(pk), frozenset(cats), max(days), pk in self.held)
            )
            self.owner[CLIENT, str(pk)] = pk


def _action(action: ExpiryAction) -> DeletionAction:
    return DeletionAction.DELETED if action is ExpiryAction.DELETE else DeletionAction.ANONYMISED


def plan(today: date, policy: RetentionPolicy = DEFAULT_RETENTION) -> list[DeletionRecord]:
    """The register entries (unsaved) for everything expired on ``today``."""
    done = set(
        DeletionRecord.objects.filter(action=DeletionAction.ANONYMISED).values_list(
            "record_kind", "record_id"
        )
    )
    planner = _Planner(done, held_clients())
    planner.records()
    planner.clients()

    entries: list[DeletionRecord] = []
    clients: list[DeletionRecord] = []
    for expiry in plan_expiry(planner.refs, today, policy):
        entry = DeletionRecord(
            record_kind=expiry.kind.value,
            record_id=int(expiry.key),
            client_id=planner.owner[expiry.kind.value, expiry.key],
            categories=",".join(sorted(expiry.categories)),
            action=_action(expiry.action),
            last_activity=expiry.last_activity,
        )
        (clients if expiry.kind is RecordKind.CLIENT else entries).append(entry)
    members: dict[int, list[int]] = defaultdict(list)
    for client_id, pk in ClientMember.objects.filter(
        client_id__in=[c.record_id for c in clients]
    ).values_list("client_id", "pk"):
        members[client_id].append(pk)
    for client in clients:
        entries.append(client)
        entries.extend(
            DeletionRecord(
                record_kind=MEMBER,
                record_id=pk,
                client_id=client.client_id,
                categories=client.categories,
                action=client.action,
                last_activity=client.last_activity,
            )
            for pk in sorted(members[client.record_id])
        )
    return entries


# --- Carrying out -----------------------------------------------------------------------------


def _anonymise_referrals(ids: list[int]) -> None:
    Referral.objects.filter(pk__in=ids).update(reason="", decision_reason="")
    ReferralEvent.objects.filter(referral_id__in=ids).update(reason="")


def _anonymise_items(items: QuerySet[AgendaItem]) -> None:
    items.update(
        summary=ANONYMOUS, question="", minutes="", consent_check={}, client=None, anonymous=True
    )


def _anonymise_clients(ids: list[int]) -> None:
    Client.objects.filter(pk__in=ids).update(family_situation="")
    Consent.objects.filter(client_id__in=ids).update(purpose=ANONYMOUS)
    ContactPerson.objects.filter(client_id__in=ids).update(note="")
    EmergencyAccess.objects.filter(client_id__in=ids).update(reason="", review_note="")
    # Whatever of the client is still there (kept anonymised under a coalition's own policy).
    Note.objects.filter(client_id__in=ids).update(text=ANONYMOUS)
    CarePlanGoal.objects.filter(client_id__in=ids).update(text=ANONYMOUS)
    Task.objects.filter(client_id__in=ids).update(title=ANONYMOUS)
    ConferenceDecision.objects.filter(item__client_id__in=ids).update(text=ANONYMOUS)
    _anonymise_items(AgendaItem.objects.filter(client_id__in=ids))


#: Per register kind, in the order they are carried out: the model (for deletion) and how its
#: rows are anonymised. Decisions go before their agenda items, members before their client.
_HANDLERS: dict[str, tuple[type[models.Model], Callable[[list[int]], object]]] = {
    RecordKind.CONTACT_NOTE.value: (
        Note,
        lambda ids: Note.objects.filter(pk__in=ids).update(text=ANONYMOUS),
    ),
    RecordKind.CARE_PLAN_GOAL.value: (
        CarePlanGoal,
        lambda ids: CarePlanGoal.objects.filter(pk__in=ids).update(text=ANONYMOUS),
    ),
    RecordKind.TASK.value: (
        Task,
        lambda ids: Task.objects.filter(pk__in=ids).update(title=ANONYMOUS),
    ),
    RecordKind.CONFERENCE_DECISION.value: (
        ConferenceDecision,
        lambda ids: ConferenceDecision.objects.filter(pk__in=ids).update(text=ANONYMOUS),
    ),
    RecordKind.AGENDA_ITEM.value: (
        AgendaItem,
        lambda ids: _anonymise_items(AgendaItem.objects.filter(pk__in=ids)),
    ),
    RecordKind.SIGNAL.value: (
        Signal,
        lambda ids: Signal.objects.filter(pk__in=ids).update(
            answers={}, domain_scores={}, flags=[]
        ),
    ),
    RecordKind.REFERRAL.value: (Referral, _anonymise_referrals),
    MEMBER: (
        ClientMember,
        lambda ids: ClientMember.objects.filter(pk__in=ids).update(
            given_name=ANONYMOUS,
            family_name=ANONYMOUS,
            bsn_hash="",
            date_of_birth=None,
            due_date=None,
        ),
    ),
    CLIENT: (Client, _anonymise_clients),
}


def _carry_out(entries: Iterable[DeletionRecord]) -> None:
    ids: dict[tuple[str, str], list[int]] = defaultdict(list)
    for e in entries:
        ids[e.record_kind, e.action].append(e.record_id)
    unknown = {kind for kind, _ in ids} - set(_HANDLERS)
    if unknown:
        raise ValueError(f"retention: no handler for {', '.join(sorted(unknown))}")
    for kind, (model, anonymise) in _HANDLERS.items():
        if deleted := ids.get((kind, DeletionAction.DELETED)):
            model._default_manager.filter(pk__in=deleted).delete()
        if anonymised := ids.get((kind, DeletionAction.ANONYMISED)):
            anonymise(anonymised)


def apply_retention(
    today: date,
    *,
    dry_run: bool = False,
    policy: RetentionPolicy = DEFAULT_RETENTION,
    performed_by: str = "care_retention",
) -> RetentionResult:
    """Plan and (unless ``dry_run``) carry out the retention of ``today`` in one transaction."""
    with transaction.atomic():
        entries = plan(today, policy)
        result = RetentionResult(entries, {e.client_id for e in entries if e.client_id})
        if dry_run or not entries:
            return result
        _carry_out(entries)
        now = timezone.now()
        for e in entries:
            e.performed_at, e.performed_by = now, performed_by
        DeletionRecord.objects.bulk_create(entries)
        per_client: dict[int, list[DeletionRecord]] = defaultdict(list)
        for e in entries:
            if e.client_id is not None:
                per_client[e.client_id].append(e)
        audit_entries = [_audit_entry(cid, found) for cid, found in sorted(per_client.items())]
        # Cases without a family: one entry for the run, without a client.
        if familyless := [e for e in entries if e.client_id is None]:
            audit_entries.append(_audit_entry(None, familyless))
        audit.record_many(audit_entries, user=None, now=now)
        return result


def _audit_entry(client_id: int | None, entries: list[DeletionRecord]) -> audit.Entry:
    deleted = sum(e.action == DeletionAction.DELETED for e in entries)
    anonymised = len(entries) - deleted
    categories = {c for e in entries for c in e.categories.split(",") if c}
    return audit.Entry(
        action=AuditAction.DELETE if deleted else AuditAction.UPDATE,
        purpose=AuditPurpose.RETENTION,
        flags=audit.Flags(authorised=True),
        client_id=client_id,
        categories=categories,
        detail=f"retention period expired: {deleted} deleted, {anonymised} anonymised",
    )

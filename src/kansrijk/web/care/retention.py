"""Apply the retention policy (`kansrijk.coordination.retention`) to the care records.

Last activity per record (the day its retention period starts):

* note (``contact_note``): the day it was written (notes are never edited);
* signal: the day it was recorded (signals are never edited);
* referral: its ``updated_at`` (every state change moves it);
* client: the latest of its own ``updated_at`` and the last activity of every record it still
  has (notes, signals, referrals, consents recorded). The client carries the categories of all
  those records (and ``family`` when a family situation is written down), so a client is never
  anonymised before any of its records has expired.

Notes are deleted; signals and referrals are anonymised (answers, flags, reasons and the
referral history's reasons cleared; instrument, route, step, category, state and dates stay,
so the process indicators keep counting them); a client is anonymised (names become
"geanonimiseerd", BSN hash, dates of birth and due dates, the family situation, hand-over
notes and emergency-access reasons are cleared); the client row stays, since anonymised
signals and referrals still point at it for the municipality. Every removal gets a
`DeletionRecord`; each touched client one audit entry (purpose ``retention``, no user).
Records already anonymised (they are in the register) are not planned again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from kansrijk.coordination.categories import DataCategory, RecordKind
from kansrijk.coordination.retention import (
    DEFAULT_RETENTION,
    ExpiryAction,
    RecordRef,
    RetentionPolicy,
    plan_expiry,
)
from kansrijk.web.care import audit
from kansrijk.web.care.models import (
    AuditAction,
    AuditPurpose,
    Client,
    ClientMember,
    ContactPerson,
    DeletionAction,
    DeletionRecord,
    EmergencyAccess,
    Note,
    Referral,
    ReferralEvent,
    Signal,
)

ANONYMOUS = "geanonimiseerd"
CLIENT = "client"
MEMBER = "client_member"


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
        return f"retention: {', '.join(parts)}; {len(self.clients)} client(s) touched"


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


_KNOWN = frozenset(c.value for c in DataCategory)


def _cats(values: str | list[str] | None) -> frozenset[DataCategory]:
    items = [values] if isinstance(values, str) else list(values or [])
    return frozenset(DataCategory(v) for v in items if v in _KNOWN)


def plan(today: date, policy: RetentionPolicy = DEFAULT_RETENTION) -> list[DeletionRecord]:
    """The register entries (unsaved) for everything expired on ``today``."""
    done = set(
        DeletionRecord.objects.filter(action=DeletionAction.ANONYMISED).values_list(
            "record_kind", "record_id"
        )
    )
    refs: list[RecordRef] = []
    owner: dict[tuple[str, str], int] = {}
    client_last: dict[int, date] = {}
    client_cats: dict[int, set[DataCategory]] = defaultdict(set)

    def see(
        kind: RecordKind, pk: int, client_id: int, cats: frozenset[DataCategory], d: date
    ) -> None:
        client_last[client_id] = max(client_last.get(client_id, d), d)
        client_cats[client_id] |= cats
        if (str(kind), pk) in done:
            return
        refs.append(RecordRef(kind, str(pk), cats, d))
        owner[str(kind), str(pk)] = client_id

    for pk, cid, cat, at in Note.objects.values_list("pk", "client_id", "category", "created_at"):
        see(RecordKind.CONTACT_NOTE, pk, cid, _cats(cat), _day(at))
    for pk, cid, cats, at in Signal.objects.values_list(
        "pk", "client_id", "categories", "recorded_at"
    ):
        see(RecordKind.SIGNAL, pk, cid, _cats(cats), _day(at))
    for pk, cid, cat, at in Referral.objects.values_list(
        "pk", "client_id", "category", "updated_at"
    ):
        see(RecordKind.REFERRAL, pk, cid, _cats(cat), _day(at))

    entries: list[DeletionRecord] = []
    for expiry in plan_expiry(refs, today, policy):
        action = (
            DeletionAction.DELETED
            if expiry.action is ExpiryAction.DELETE
            else DeletionAction.ANONYMISED
        )
        entries.append(
            DeletionRecord(
                record_kind=str(expiry.kind),
                record_id=int(expiry.key),
                client_id=owner[str(expiry.kind), expiry.key],
                categories=",".join(sorted(expiry.categories)),
                action=action,
                last_activity=expiry.last_activity,
            )
        )

    for client in Client.objects.exclude(pk__in=_anonymised_clients(done)).prefetch_related(
        "members"
    ):
        last = max(_day(client.updated_at), client_last.get(client.pk, date.min))
        for consent_at in client.consents.values_list("recorded_at", flat=True):
            last = max(last, _day(consent_at))
        cats = client_cats[client.pk] | {DataCategory.IDENTITY}
        if client.family_situation:
            cats.add(DataCategory.FAMILY)
        if today < policy.record_end(cats, last):
            continue
        categories = ",".join(sorted(cats))
        for pk, kind in [(client.pk, CLIENT)] + [(m.pk, MEMBER) for m in client.members.all()]:
            entries.append(
                DeletionRecord(
                    record_kind=kind,
                    record_id=pk,
                    client_id=client.pk,
                    categories=categories,
                    action=DeletionAction.ANONYMISED,
                    last_activity=last,
                )
            )
    return entries


def _anonymised_clients(done: set[tuple[str, int]]) -> list[int]:
    return [pk for kind, pk in done if kind == CLIENT]


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
        ids: dict[tuple[str, str], list[int]] = defaultdict(list)
        for e in entries:
            ids[e.record_kind, e.action].append(e.record_id)
        Note.objects.filter(pk__in=ids[RecordKind.CONTACT_NOTE, DeletionAction.DELETED]).delete()
        Signal.objects.filter(pk__in=ids[RecordKind.SIGNAL, DeletionAction.ANONYMISED]).update(
            answers={}, domain_scores={}, flags=[]
        )
        referrals = ids[RecordKind.REFERRAL, DeletionAction.ANONYMISED]
        Referral.objects.filter(pk__in=referrals).update(reason="", decision_reason="")
        ReferralEvent.objects.filter(referral_id__in=referrals).update(reason="")
        clients = ids[CLIENT, DeletionAction.ANONYMISED]
        ClientMember.objects.filter(client_id__in=clients).update(
            given_name=ANONYMOUS,
            family_name=ANONYMOUS,
            bsn_hash="",
            date_of_birth=None,
            due_date=None,
        )
        Client.objects.filter(pk__in=clients).update(family_situation="")
        ContactPerson.objects.filter(client_id__in=clients).update(note="")
        EmergencyAccess.objects.filter(client_id__in=clients).update(reason="", review_note="")
        now = timezone.now()
        for e in entries:
            e.performed_at, e.performed_by = now, performed_by
        DeletionRecord.objects.bulk_create(entries)
        per_client: dict[int, list[DeletionRecord]] = defaultdict(list)
        for e in entries:
            if e.client_id is not None:
                per_client[e.client_id].append(e)
        audit.record_many(
            [_audit_entry(cid, found) for cid, found in sorted(per_client.items())],
            user=None,
            now=now,
        )
        return result


def _audit_entry(client_id: int, entries: list[DeletionRecord]) -> audit.Entry:
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

"""The NEN 7513 audit log: append, verify, read.

Every create, read, update, delete, search, export and emergency access of client data is one
``AuditEvent``: event id, action, UTC time to the second, user, role, organisation, responsible
user, client, data categories, purpose and the check flags (authorised, treatment relationship,
consent present, emergency access). Denied attempts are logged too (``authorised`` false).

The log is a keyed hash chain. Entry *n* stores ``prev_hash`` (entry *n-1*'s hash, or 64
zeros for the first) and ``hash`` = HMAC-SHA-256 with ``settings.KANSRIJK_AUDIT_KEY`` over the
canonical JSON (sorted keys, no spaces, UTF-8) of its fields including ``sequence`` and
``prev_hash``. Appending locks the single ``AuditChainHead``
row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite runs every transaction as ``BEGIN
IMMEDIATE``, one writer at a time), so concurrent writers cannot fork the chain. ``verify``
recomputes every hash and reports changed entries (hash mismatch), removed ones (a gap in the
sequence, or a head beyond the last entry) and inserted ones (a broken ``prev_hash`` link, a
sequence beyond the head or out of order).

Someone who can write to the database but does not hold the key cannot forge a hash, so any
change, removal or insertion shows. Against someone who holds the key too (or who truncates
the table: PostgreSQL refuses TRUNCATE through a trigger, but a table owner can drop it), the
defence is outside the database: record the head (``kansrijk audit verify`` prints the sequence
and hash) elsewhere now and then, and compare with ``--expect-head``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kansrijk.web.accounts.models import User
from kansrijk.web.care.models import AuditAction, AuditChainHead, AuditEvent, AuditPurpose

GENESIS = "0" * 64
#: How many problems ``verify`` lists before it stops (the first is what matters).
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class Flags:
    """The checks behind an access, as NEN 7513 asks them to be logged."""

    authorised: bool
    treatment_relationship: bool = False
    consent_present: bool = False
    emergency_access: bool = False


DENIED = Flags(authorised=False)


def _utc_second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _value(name: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc_second(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def canonical(event: AuditEvent) -> bytes:
    """The bytes the hash covers: the hashed fields as canonical JSON."""
    data = {name: _value(name, getattr(event, name)) for name in AuditEvent.HASHED}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(event: AuditEvent) -> str:
    """HMAC-SHA-256 of the canonical fields with the audit key."""
    key = bytes.fromhex(settings.KANSRIJK_AUDIT_KEY)
    return hmac.new(key, canonical(event), hashlib.sha256).hexdigest()


def _head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # a database flushed by tests; the migration creates it otherwise
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


@dataclass(frozen=True)
class Entry:
    """One event to append: what happened to which client (the user and time are shared)."""

    action: str
    purpose: str
    flags: Flags
    client_id: int | None = None
    categories: Iterable[str] = ()
    detail: str = ""


def record(
    *,
    action: str,
    user: User | None,
    purpose: str,
    flags: Flags,
    client_id: int | None = None,
    categories: Iterable[str] = (),
    detail: str = "",
    responsible: User | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Append one event to the chain (in its own transaction, or the caller's)."""
    entry = Entry(action, purpose, flags, client_id, tuple(categories), detail)
    [event] = record_many([entry], user=user, responsible=responsible, now=now)
    return event


def record_many(
    entries: Iterable[Entry],
    *,
    user: User | None,
    responsible: User | None = None,
    now: datetime | None = None,
) -> list[AuditEvent]:
    """Append several events by one user at one moment (a list page shows many clients) under
    one lock of the chain head: three statements, however many events."""
    entries = list(entries)
    for entry in entries:
        if entry.action not in AuditAction.values or entry.purpose not in AuditPurpose.values:
            raise ValueError(
                f"unknown audit action or purpose: {entry.action!r}, {entry.purpose!r}"
            )
    if not entries:
        return []
    responsible = responsible or user
    organisation = user.organisation if user is not None else None
    occurred = _utc_second(now or timezone.now())
    events: list[AuditEvent] = []
    with transaction.atomic():
        head = _head()
        sequence, previous = head.sequence, head.hash
        for entry in entries:
            sequence += 1
            event = AuditEvent(
                sequence=sequence,
                event_id=uuid.uuid4(),
                action=entry.action,
                occurred_at=occurred,
                user_id=user.pk if user is not None else None,
                username=user.username if user is not None else "",
                role=user.role if user is not None else "",
                organisation_id=organisation.pk if organisation is not None else None,
                organisation_name=organisation.name if organisation is not None else "",
                responsible_user_id=responsible.pk if responsible is not None else None,
                responsible_username=responsible.username if responsible is not None else "",
                client_id=entry.client_id,
                categories=",".join(sorted(set(entry.categories))),
                purpose=entry.purpose,
                detail=entry.detail[:200],
                authorised=entry.flags.authorised,
                treatment_relationship=entry.flags.treatment_relationship,
                consent_present=entry.flags.consent_present,
                emergency_access=entry.flags.emergency_access,
                prev_hash=previous,
            )
            event.hash = compute_hash(event)
            previous = event.hash
            events.append(event)
        AuditEvent.objects.bulk_create(events)
        head.sequence, head.hash = sequence, previous
        head.save(update_fields=["sequence", "hash"])
    return events


# --- Verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    kind: str  # "changed", "removed" or "inserted"
    sequence: int
    message: str


@dataclass
class Verification:
    entries: int = 0
    head_sequence: int = 0
    head_hash: str = GENESIS
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def add(self, kind: str, sequence: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(kind, sequence, message))

    def summary(self) -> str:
        if self.ok:
            return (
                f"audit log intact: {self.entries} entries, head "
                f"{self.head_sequence}:{self.head_hash}"
            )
        first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        return f"audit log NOT intact: {first.message}{more}"


def accesses_of(client_id: int) -> QuerySet[AuditEvent]:
    """The entries a client is shown of their own data (the access overview and the record
    export): authorised ones that touched data categories, in chain order."""
    return (
        AuditEvent.objects.filter(client_id=client_id, authorised=True)
        .exclude(categories="")
        .order_by("sequence")
    )


def parse_anchor(text: str) -> tuple[int, str]:
    """``SEQUENCE:HASH`` as ``verify`` prints a head, for ``expect_head``."""
    sequence, _sep, digest = text.strip().partition(":")
    if not sequence.isdigit() or len(digest) != 64:
        raise ValueError("expected SEQUENCE:HASH (the head as `kansrijk audit verify` prints it)")
    return int(sequence), digest.lower()


def verify(chunk_size: int = 2000, expect_head: tuple[int, str] | None = None) -> Verification:
    """Walk the whole chain in sequence order and report every break (see the module doc).

    ``expect_head`` is a head recorded earlier outside the database (sequence, hash): the chain
    must still hold that entry with that hash, so a chain rewritten or cut back from before it
    fails even when it is consistent in itself."""
    head = AuditChainHead.objects.filter(pk=1).first()
    anchored: str | None = None
    result = Verification(
        head_sequence=head.sequence if head else 0, head_hash=head.hash if head else GENESIS
    )
    expected, previous = 1, GENESIS
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=chunk_size):
        result.entries += 1
        seq = event.sequence
        if seq > result.head_sequence:
            result.add("inserted", seq, f"entry {seq} lies beyond the chain head")
        elif seq < expected:
            result.add("inserted", seq, f"entry {seq} is out of order (expected {expected})")
        else:
            if seq > expected:
                missing = f"{expected}" if seq == expected + 1 else f"{expected}-{seq - 1}"
                result.add("removed", expected, f"entries {missing} were removed")
            if compute_hash(event) != event.hash:
                result.add("changed", seq, f"entry {seq} was changed (its hash does not match)")
            elif event.prev_hash != previous and seq == expected:
                result.add(
                    "inserted",
                    seq,
                    f"entry {seq} does not follow entry {seq - 1}: one of them was inserted "
                    "or replaced",
                )
        if expect_head is not None and seq == expect_head[0]:
            anchored = event.hash
        expected, previous = max(expected, seq + 1), event.hash
    if expect_head is not None and anchored != expect_head[1]:
        what = "is missing" if anchored is None else "has another hash"
        result.add(
            "changed",
            expect_head[0],
            f"entry {expect_head[0]} {what} than the head recorded earlier: the chain was "
            "rewritten or cut back",
        )
    last = expected - 1
    if result.head_sequence > last:
        result.add("removed", last + 1, f"entries {last + 1}-{result.head_sequence} were removed")
    elif result.ok and result.head_hash != previous:
        result.add("changed", last, f"entry {last} does not match the chain head")
    return result

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
change, removal or insertion shows, except removing the newest entries (or all) together with
moving the head back: the rest is a consistent, shorter chain. Signed checkpoints of the head
outside the database catch that (``audit.checkpoints``): ``verify`` compares with them by
default and says how many entries at the end are gone. Triggers refuse changes on both
backends (migrations care 0002, 0006 and 0010; ``protection_warnings`` reports a missing or
disabled one). Against someone who holds the key too, the checkpoint directory must be out of
their reach (append-only, another machine); ``--expect-head`` compares with a head recorded
anywhere else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from kansrijk.web.accounts.models import User
from kansrijk.web.audit import checkpoints as audit_checkpoints
from kansrijk.web.audit.models import AuditAction, AuditChainHead, AuditEvent, AuditPurpose

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
        transaction.on_commit(lambda: audit_checkpoints.after_commit(sequence))
    return events


# --- Verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    kind: str  # "changed", "removed", "inserted" or "checkpoint" (the checkpoint file)
    sequence: int
    message: str


@dataclass
class Verification:
    entries: int = 0
    head_sequence: int = 0
    head_hash: str = GENESIS
    problems: list[Problem] = field(default_factory=list)
    #: What could not be checked (no checkpoint, a missing trigger): not a break, but not
    #: silence either.
    warnings: list[str] = field(default_factory=list)
    #: The last checkpoint the chain was compared with.
    checkpoint: audit_checkpoints.Checkpoint | None = None
    checkpoints_skipped: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def add(self, kind: str, sequence: int, message: str, *, always: bool = False) -> None:
        """Record a problem (up to ``MAX_PROBLEMS``; ``always`` for the few comparisons with
        checkpoints, which say most plainly what happened)."""
        if always or len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(kind, sequence, message))

    def summary(self) -> str:
        if not self.ok:
            first = self.problems[0]
            more = len(self.problems) - 1
            extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
            return f"audit log NOT intact: {first.message}{extra}"
        state = f"{self.entries:,} entries, head {self.head_sequence}:{self.head_hash}"
        if self.checkpoint is not None:
            point = self.checkpoint
            return (
                f"audit log intact: {state}; it holds checkpoint {point.number} of "
                f"{point.when} (entry {point.sequence:,})"
            )
        if self.checkpoints_skipped:
            return f"audit log intact: {state} (checkpoints skipped)"
        return (
            f"audit log intact as far as the chain shows: {state}; NOT compared with a "
            "checkpoint (see the warning)"
        )


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


def protection_warnings() -> list[str]:
    """The database's own protection of the log, as migrations care 0002, 0006 and 0010 set it
    up: a warning for each trigger missing or disabled, and for SQLite's maintenance switch
    left on (entries may then be deleted)."""
    migration = import_module("kansrijk.web.care.migrations.0010_audit_protection")
    warnings: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            expected = migration.SQLITE_TRIGGERS
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name = 'care_audit_maintenance'"
            )
            if cursor.fetchone()[0]:
                cursor.execute("SELECT allow_delete FROM care_audit_maintenance WHERE id = 1")
                row = cursor.fetchone()
                if row and row[0]:
                    warnings.append(
                        "audit maintenance is switched on (care_audit_maintenance.allow_delete"
                        " = 1): audit entries can be deleted; only a test database may do so"
                    )
        elif connection.vendor == "postgresql":
            expected = (
                "care_audit_append_only",
                "care_audit_no_truncate",
                *migration.POSTGRESQL_TRIGGERS,
            )
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgenabled <> 'D' AND tgrelid IN "
                "('care_auditevent'::regclass, 'care_auditchainhead'::regclass)"
            )
            present = {row[0] for row in cursor.fetchall()}
        else:
            return warnings
    missing = [name for name in expected if name not in present]
    if missing:
        warnings.insert(
            0,
            "the database triggers that protect the audit log are missing or disabled: "
            f"{', '.join(missing)} (migrations care 0002, 0006 and 0010 create them)",
        )
    return warnings


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


@dataclass(frozen=True)
class _Anchor:
    """A head recorded outside the chain: a checkpoint or ``--expect-head``."""

    label: str  # "a checkpoint of 2026-12-05 12:00 UTC"
    verb: str  # "recorded"
    sequence: int
    hash: str
    entries: int | None  # how many entries it counted up to its sequence (a checkpoint)


def _compare(
    result: Verification, anchor: _Anchor, held: str | None, last: int, counted: int
) -> None:
    """Report in plain words how the chain falls short of ``anchor``: ``held`` is the hash
    the chain has at the anchor's sequence, ``last`` the last entry present, ``counted`` the
    entries up to the anchor's sequence."""
    seq, label, verb = anchor.sequence, anchor.label, anchor.verb
    if seq == 0:
        return
    if result.entries == 0:
        recorded = (
            _plural(anchor.entries, "entry", "entries")
            if anchor.entries is not None
            else f"entry {seq:,}"
        )
        result.add(
            "removed", 1, f"The audit log is empty but {label} {verb} {recorded}.", always=True
        )
    elif last < seq:
        gone = seq - last
        have = "has" if gone == 1 else "have"
        result.add(
            "removed",
            last + 1,
            f"The audit log ends at entry {last:,} but {label} {verb} entry {seq:,}: "
            f"{_plural(gone, 'entry', 'entries')} at the end {have} been removed.",
            always=True,
        )
    elif held is None:
        result.add(
            "removed", seq, f"Entry {seq:,}, which {label} {verb}, has been removed.", always=True
        )
    elif held != anchor.hash:
        result.add(
            "changed",
            seq,
            f"Entry {seq:,} is not the entry {label} {verb} (its hash differs): the log was "
            "rewritten, or cut back and written again, from there or before.",
            always=True,
        )
    elif anchor.entries is not None and counted < anchor.entries:
        gone = anchor.entries - counted
        result.add(
            "removed",
            seq,
            f"{_plural(gone, 'entry', 'entries')} up to entry {seq:,} "
            f"{'has' if gone == 1 else 'have'} been removed since {label} counted "
            f"{anchor.entries:,}.",
            always=True,
        )
    if result.head_sequence < seq <= last:
        result.add(
            "removed",
            seq,
            f"The chain head is at entry {result.head_sequence:,} but {label} {verb} entry "
            f"{seq:,}: the head was moved back.",
            always=True,
        )


def verify(
    chunk_size: int = 2000,
    expect_head: tuple[int, str] | None = None,
    *,
    checkpoints: bool = True,
    checkpoint_dir: Path | None = None,
) -> Verification:
    """Walk the whole chain in sequence order and report every break (see the module doc).

    By default the chain is compared with the signed checkpoints outside the database
    (``audit.checkpoints``): they must be intact, and the chain must still hold every
    checkpointed entry with its hash, up to the last one. No checkpoints to compare with is a
    warning, not a pass. ``expect_head`` is a head recorded anywhere else (sequence, hash),
    checked the same way."""
    head = AuditChainHead.objects.filter(pk=1).first()
    result = Verification(
        head_sequence=head.sequence if head else 0, head_hash=head.hash if head else GENESIS
    )
    points: list[_Anchor] = []
    if checkpoints:
        found = audit_checkpoints.read(checkpoint_dir)
        for message in found.problems:
            result.add("checkpoint", 0, f"The checkpoints are damaged: {message}.")
        if found.warning:
            result.warnings.append(found.warning)
        points = [
            _Anchor(f"a checkpoint of {p.when}", "recorded", p.sequence, p.hash, p.entries)
            for p in found.points
        ]
        result.checkpoint = found.last
    else:
        result.checkpoints_skipped = True
    damage = len(result.problems)  # the checkpoint file's own, first
    expected_head = (
        _Anchor("--expect-head", "names", *expect_head, entries=None)
        if expect_head is not None
        else None
    )
    wanted = {a.sequence for a in points} | ({expect_head[0]} if expect_head else set())
    final = points[-1].sequence if points else 0
    held: dict[int, str] = {}
    counted = 0  # entries up to the last checkpoint's sequence
    expected, previous = 1, GENESIS
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=chunk_size):
        result.entries += 1
        seq = event.sequence
        if seq in wanted:
            held[seq] = event.hash
        if seq <= final:
            counted += 1
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
        expected, previous = max(expected, seq + 1), event.hash
    last = expected - 1
    if result.head_sequence > last:
        result.add(
            "removed",
            last + 1,
            f"entries {last + 1}-{result.head_sequence} were removed (the chain head records "
            f"entry {result.head_sequence})",
        )
    elif result.ok and result.head_hash != previous:
        result.add("changed", last, f"entry {last} does not match the chain head")
    walked = len(result.problems)
    if points:
        # The last checkpoint in full; of the earlier ones the first rewritten, if any.
        before = len(result.problems)
        _compare(result, points[-1], held.get(final), last, counted)
        if len(result.problems) == before:
            for point in points[:-1]:
                got = held.get(point.sequence)
                if got is not None and got != point.hash:
                    _compare(result, point, got, last, point.entries or 0)
                    break
    if expected_head is not None:
        _compare(result, expected_head, held.get(expected_head.sequence), last, 0)
    # What the checkpoints show comes before the chain's own findings: it is the plainest.
    found_chain = result.problems[damage:walked]
    result.problems[damage:] = [*result.problems[walked:], *found_chain]
    result.warnings.extend(protection_warnings())
    return result

"""Signed checkpoints of the audit chain head, kept outside the database.

The hash chain (``audit.log``) shows every changed, inserted or removed entry, except one
kind: someone who can write the database removes the newest entries (or all of them) and moves
the chain head back. What is left is a shorter chain, consistent in itself. A checkpoint is a
record, outside the database, of how far the chain reached: ``verify`` then sees the log end
before it.

A checkpoint is one JSON line in ``checkpoints.jsonl`` in ``KANSRIJK_AUDIT_CHECKPOINT_DIR``:
its number (1, 2, ...), the head's ``sequence`` and ``hash``, the number of ``entries`` up to
that sequence, the time ``at`` (UTC, to the second), ``prev`` (the previous checkpoint's
signature, 64 zeros for the first) and ``sig``: HMAC-SHA-256 over the canonical JSON of the
other fields. So checkpoints form a chain of their own, and nobody without the key can write
or edit one: a changed, inserted, reordered or cut-off line shows. (Lines removed from the end
of the file do not; that is why the directory should be append-only, see docs/care.md.)

The key is derived from the audit key for this one purpose,
HMAC-SHA-256(``KANSRIJK_AUDIT_KEY``, "kansrijk audit checkpoint v1"): no second secret to
manage, and a checkpoint signature can never pass for an entry hash or the other way round.

Written by ``kansrijk audit checkpoint`` (cron or a systemd timer) and by the application after
a commit once the head advanced by ``KANSRIJK_AUDIT_CHECKPOINT_ENTRIES`` entries or
``KANSRIJK_AUDIT_CHECKPOINT_MINUTES`` minutes (``after_commit``: never fails a request; an
unwritable directory is logged and retried after the interval). A writer refuses to
checkpoint a chain that no longer holds the previous checkpoint's entry, so a cut cannot be
laundered by the next checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from kansrijk.web.audit.models import AuditChainHead, AuditEvent

try:  # POSIX: one writer at a time across processes
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

FILENAME = "checkpoints.jsonl"
GENESIS = "0" * 64
NEVER = datetime.min.replace(tzinfo=UTC)
PURPOSE = b"kansrijk audit checkpoint v1"
#: How far from the end of the file the writer looks for the last line.
TAIL_BYTES = 8192


class CheckpointError(Exception):
    """A checkpoint could not be written (directory, damaged file, or a chain cut back)."""


@dataclass(frozen=True)
class Checkpoint:
    """One signed record of the chain head."""

    number: int
    sequence: int
    hash: str
    entries: int
    at: datetime
    prev: str
    sig: str = ""

    def payload(self) -> dict[str, Any]:
        """The signed fields (everything but ``sig``)."""
        return {
            "v": 1,
            "n": self.number,
            "sequence": self.sequence,
            "hash": self.hash,
            "entries": self.entries,
            "at": self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "prev": self.prev,
        }

    def line(self) -> str:
        return json.dumps({**self.payload(), "sig": self.sig}, sort_keys=True) + "\n"

    @property
    def when(self) -> str:
        """The time for people: ``2026-12-05 12:00 UTC``."""
        return self.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def key() -> bytes:
    """The checkpoint key: derived from the audit key for this purpose only."""
    return hmac.new(bytes.fromhex(settings.KANSRIJK_AUDIT_KEY), PURPOSE, hashlib.sha256).digest()


def sign(payload: dict[str, Any]) -> str:
    data = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key(), data, hashlib.sha256).hexdigest()


def directory() -> Path:
    return Path(settings.KANSRIJK_AUDIT_CHECKPOINT_DIR)


def parse(text: str) -> Checkpoint:
    """One line as a checkpoint (``ValueError`` when it is not one; the signature is not
    checked here)."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("v") != 1:
        raise ValueError("not a version 1 checkpoint")
    try:
        point = Checkpoint(
            number=int(data["n"]),
            sequence=int(data["sequence"]),
            hash=str(data["hash"]),
            entries=int(data["entries"]),
            at=datetime.strptime(data["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
            prev=str(data["prev"]),
            sig=str(data["sig"]),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"missing or wrong field: {error}") from None
    if point.payload() != {k: v for k, v in data.items() if k != "sig"}:
        raise ValueError("unexpected or malformed fields")
    return point


def signed(point: Checkpoint) -> bool:
    return hmac.compare_digest(sign(point.payload()), point.sig)


# --- Reading ----------------------------------------------------------------------------------


@dataclass
class Checkpoints:
    """The checkpoint file as read by ``verify``: its valid checkpoints in order, what is wrong
    with it (``problems``: damaged or forged) and why there is nothing to compare with
    (``warning``: no directory, no file, unreadable)."""

    path: Path
    points: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warning: str | None = None

    @property
    def last(self) -> Checkpoint | None:
        return self.points[-1] if self.points else None


def read(folder: Path | None = None) -> Checkpoints:
    """Read and check every checkpoint: each line parses, is signed with the key, follows the
    previous one (number, ``prev``) and does not go back in sequence or time."""
    folder = folder or directory()
    path = folder / FILENAME
    result = Checkpoints(path)
    advice = (
        "removal of the newest audit entries cannot be detected; run `kansrijk audit "
        "checkpoint` (see docs/care.md) or pass --no-checkpoints to skip this check"
    )
    if not folder.is_dir():
        result.warning = f"there is no checkpoint directory {folder}: {advice}"
        return result
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        result.warning = f"there are no checkpoints in {folder} yet: {advice}"
        return result
    except OSError as error:
        result.warning = f"the checkpoints in {folder} cannot be read ({error}): {advice}"
        return result
    if not data:
        result.warning = f"the checkpoint file {path} is empty: {advice}"
        return result
    lines = data.split(b"\n")
    if lines[-1]:
        result.problems.append(
            f"the checkpoint file {path} ends in the middle of a line: it was cut off or edited"
        )
    previous: Checkpoint | None = None
    for number, raw in enumerate(lines[:-1], start=1):
        where = f"checkpoint file {path}, line {number}"
        try:
            point = parse(raw.decode())
        except (UnicodeDecodeError, ValueError) as error:
            result.problems.append(f"{where} is not a valid checkpoint ({error}): edited")
            break
        if not signed(point):
            result.problems.append(
                f"{where}: the signature does not match, so the checkpoint was edited or "
                "written without the audit key"
            )
            break
        expected_prev = previous.sig if previous else GENESIS
        if point.number != number or point.prev != expected_prev:
            result.problems.append(
                f"{where} does not follow the line before it: checkpoints were removed, "
                "inserted or reordered"
            )
            break
        if previous is not None and (point.sequence < previous.sequence or point.at < previous.at):
            result.problems.append(
                f"{where}: checkpoint {point.number} records entry {point.sequence:,} of "
                f"{point.when}, behind checkpoint {previous.number} (entry "
                f"{previous.sequence:,} of {previous.when}): the log was cut back in between"
            )
            break
        result.points.append(point)
        previous = point
    return result


# --- Writing ----------------------------------------------------------------------------------


@contextmanager
def _locked(path: Path) -> Iterator[IO[bytes]]:
    """The checkpoint file opened for appending (created owner-only), locked exclusively.
    Append mode is all that ``chattr +a`` allows."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield handle


def _last(handle: IO[bytes], path: Path) -> Checkpoint | None:
    """The file's last checkpoint, checked (``CheckpointError`` if it cannot be chained on)."""
    size = handle.seek(0, os.SEEK_END)
    if size == 0:
        return None
    handle.seek(max(0, size - TAIL_BYTES))
    tail = handle.read()
    if not tail.endswith(b"\n"):
        raise CheckpointError(f"{path} ends in the middle of a line; run `kansrijk audit verify`")
    try:
        point = parse(tail[:-1].rsplit(b"\n", 1)[-1].decode())
    except (UnicodeDecodeError, ValueError) as error:
        raise CheckpointError(f"the last line of {path} is not a checkpoint ({error})") from None
    if not signed(point):
        raise CheckpointError(f"the last checkpoint in {path} has a wrong signature")
    return point


def _due(last: Checkpoint | None, sequence: int, now: datetime, every: int, minutes: int) -> bool:
    """Whether the application should checkpoint: ``every`` new entries, or ``minutes`` since
    the last checkpoint and at least one new entry (0 switches either off)."""
    done = last.sequence if last else 0
    if sequence <= done:
        return False
    if every > 0 and sequence - done >= every:
        return True
    since = last.at if last else NEVER
    return minutes > 0 and now - since >= timedelta(minutes=minutes)


def write(
    folder: Path | None = None,
    *,
    now: datetime | None = None,
    every: int = 0,
    minutes: int = 0,
) -> tuple[Checkpoint | None, bool]:
    """Append a checkpoint of the current head; return (last checkpoint, whether it is new).

    Nothing is written when the head has not moved since the last checkpoint, or (with
    ``every``/``minutes``, the application's thresholds) when a checkpoint is not yet due.
    ``CheckpointError`` when the directory cannot be written, the file's last line is damaged,
    or the chain no longer holds the last checkpoint's entry with its hash (it was cut back:
    ``verify`` says what is missing)."""
    folder = folder or directory()
    path = folder / FILENAME
    now = (now or timezone.now()).astimezone(UTC).replace(microsecond=0)
    try:
        with _locked(path) as handle:
            last = _last(handle, path)
            head = AuditChainHead.objects.filter(pk=1).first()
            sequence, digest = (head.sequence, head.hash) if head else (0, GENESIS)
            if last is not None:
                _still_holds(last, sequence)
            if sequence == (last.sequence if last else 0) or (
                (every or minutes) and not _due(last, sequence, now, every, minutes)
            ):
                return last, False
            entries = AuditEvent.objects.filter(sequence__lte=sequence).count()
            if entries != sequence:
                logger.warning(
                    "audit checkpoint: %s entries up to entry %s; run `kansrijk audit verify`",
                    entries,
                    sequence,
                )
            point = Checkpoint(
                number=(last.number if last else 0) + 1,
                sequence=sequence,
                hash=digest,
                entries=entries,
                at=max(now, last.at) if last else now,
                prev=last.sig if last else GENESIS,
            )
            point = Checkpoint(**{**point.__dict__, "sig": sign(point.payload())})
            handle.write(point.line().encode())
            handle.flush()
            os.fsync(handle.fileno())
            return point, True
    except OSError as error:
        raise CheckpointError(f"cannot write a checkpoint to {path}: {error}") from None


def _still_holds(last: Checkpoint, sequence: int) -> None:
    if sequence < last.sequence:
        raise CheckpointError(
            f"the chain head is at entry {sequence:,}, behind checkpoint {last.number} of "
            f"{last.when} (entry {last.sequence:,}); run `kansrijk audit verify`"
        )
    if last.sequence == 0:
        return
    held = AuditEvent.objects.filter(sequence=last.sequence).values_list("hash", flat=True)
    if list(held) != [last.hash]:
        raise CheckpointError(
            f"the audit log no longer holds entry {last.sequence:,} as checkpoint "
            f"{last.number} of {last.when} recorded it; run `kansrijk audit verify`"
        )


# --- After a commit (the application) ---------------------------------------------------------


@dataclass
class _State:
    sequence: int = -1  # not known yet
    at: datetime = NEVER
    failed_at: datetime | None = None


_states: dict[Path, _State] = {}
_guard = threading.Lock()


def after_commit(sequence: int) -> None:
    """Write a checkpoint when one is due after a commit that moved the head to ``sequence``.

    Cheap (a comparison in memory until one is due) and never raises: a failure (for example
    an unwritable directory) is logged as a warning and retried once the time interval (or,
    without one, 15 minutes) has passed."""
    every = settings.KANSRIJK_AUDIT_CHECKPOINT_ENTRIES
    minutes = settings.KANSRIJK_AUDIT_CHECKPOINT_MINUTES
    if every <= 0 and minutes <= 0:
        return
    now = timezone.now()
    folder = directory()
    with _guard:
        state = _states.setdefault(folder, _State())
        if state.failed_at and now - state.failed_at < timedelta(minutes=minutes or 15):
            return
        if state.sequence >= 0:
            known = Checkpoint(0, state.sequence, "", 0, state.at, "")
            if not _due(known, sequence, now, every, minutes):
                return
        try:
            point, _new = write(folder, now=now, every=every, minutes=minutes)
        except Exception as error:  # never fail the request that logged
            state.failed_at = now
            logger.warning("audit checkpoint not written: %s", error)
            return
        state.failed_at = None
        if point is not None:
            state.sequence, state.at = point.sequence, point.at
        else:
            state.sequence = 0

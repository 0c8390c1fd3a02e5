"""Signed checkpoints outside the database: removing the newest audit entries (or all) and moving
the chain head back no longer passes ``verify``, a tampered checkpoint file shows, the database
triggers refuse changes on SQLite as on PostgreSQL, and the CLI forwards to the management
commands."""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone
from typer.testing import CliRunner

from kansrijk.cli import audit as cli_audit
from kansrijk.cli.main import app
from kansrijk.web.audit import checkpoints
from kansrijk.web.audit import log as audit
from kansrijk.web.audit.checkpoints import FILENAME, CheckpointError
from kansrijk.web.audit.log import Flags
from kansrijk.web.audit.models import AuditChainHead, AuditEvent
from tests.web.care.test_audit import disarm

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _chain(n: int) -> list[AuditEvent]:
    return [
        audit.record(action="read", user=None, purpose="care", flags=Flags(True), client_id=i)
        for i in range(1, n + 1)
    ]


def _folder() -> Path:
    return checkpoints.directory()


def _checkpoint(at: datetime = NOON) -> checkpoints.Checkpoint:
    point, new = checkpoints.write(now=at)
    assert point is not None and new
    return point


def _cut(keep: int) -> None:
    """The attack: with the triggers off, delete every entry after ``keep`` and move the head
    back onto the last one kept, so that the chain is consistent in itself."""
    disarm()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM care_auditevent WHERE sequence > %s", [keep])
        last = AuditEvent.objects.filter(sequence=keep).values_list("hash", flat=True).first()
        cursor.execute(
            "UPDATE care_auditchainhead SET sequence = %s, hash = %s WHERE id = 1",
            [keep, last or audit.GENESIS],
        )


def _messages(result: audit.Verification) -> list[str]:
    return [p.message for p in result.problems]


# --- Writing ----------------------------------------------------------------------------------


def test_checkpoints_are_signed_chained_and_only_written_when_the_head_moved() -> None:
    events = _chain(3)
    first = _checkpoint()
    assert (first.number, first.sequence, first.hash, first.entries) == (
        1,
        3,
        events[-1].hash,
        3,
    )
    assert checkpoints.write(now=NOON) == (first, False)  # head did not move
    _chain(2)
    second = _checkpoint(datetime(2026, 12, 5, 13, 0, tzinfo=UTC))
    assert (second.number, second.sequence, second.prev) == (2, 5, first.sig)
    lines = (_folder() / FILENAME).read_text().splitlines()
    assert [json.loads(line)["sequence"] for line in lines] == [3, 5]
    assert all(checkpoints.signed(checkpoints.parse(line)) for line in lines)
    result = audit.verify()
    assert result.ok and result.checkpoint == second
    assert "it holds checkpoint 2 of 2026-12-05 13:00 UTC (entry 5)" in result.summary()
    assert not [w for w in result.warnings if "checkpoint" in w]


def test_the_key_is_derived_for_checkpoints_only() -> None:
    """Not the audit key itself: a checkpoint signature is no entry hash."""
    assert checkpoints.key() != bytes.fromhex(settings.KANSRIJK_AUDIT_KEY)
    [event] = _chain(1)
    point = _checkpoint()
    assert point.sig != event.hash and len(point.sig) == 64


# --- The attack: cut the tail, move the head ---------------------------------------------------


def test_a_cut_tail_with_the_head_moved_back_passed_before_and_fails_now() -> None:
    _chain(8)
    _checkpoint()
    _cut(5)
    assert audit.verify(checkpoints=False).ok  # the chain alone cannot see it
    result = audit.verify()
    assert not result.ok
    assert result.first is not None and (result.first.kind, result.first.sequence) == (
        "removed",
        6,
    )
    assert result.first.message == (
        "The audit log ends at entry 5 but a checkpoint of 2026-12-05 12:00 UTC recorded "
        "entry 8: 3 entries at the end have been removed."
    )
    assert "audit log NOT intact: The audit log ends at entry 5" in result.summary()


def test_the_checkpoint_message_leads_even_after_many_chain_problems() -> None:
    """Tail deleted with the head left alone, and more changed entries than the list holds:
    the plain checkpoint message is still first."""
    _chain(30)
    _checkpoint()
    disarm()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM care_auditevent WHERE sequence > 25")
        cursor.execute("UPDATE care_auditevent SET detail = 'x' WHERE sequence <= 24")
    result = audit.verify()
    assert result.problems[0].message == (
        "The audit log ends at entry 25 but a checkpoint of 2026-12-05 12:00 UTC recorded "
        "entry 30: 5 entries at the end have been removed."
    )
    assert len(result.problems) == audit.MAX_PROBLEMS + 1
    assert result.summary().endswith("(and 20 more problems)")


def test_one_entry_cut_is_said_in_the_singular() -> None:
    _chain(3)
    _checkpoint()
    _cut(2)
    assert _messages(audit.verify())[0].endswith("1 entry at the end has been removed.")


def test_a_wiped_table_fails() -> None:
    _chain(6)
    _checkpoint()
    _cut(0)
    assert AuditEvent.objects.count() == 0
    assert audit.verify(checkpoints=False).ok
    assert _messages(audit.verify()) == [
        "The audit log is empty but a checkpoint of 2026-12-05 12:00 UTC recorded 6 entries."
    ]


def test_a_wiped_table_with_the_head_row_deleted_fails() -> None:
    _chain(4)
    _checkpoint()
    disarm()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM care_auditevent")
        cursor.execute("DELETE FROM care_auditchainhead")
    assert _messages(audit.verify())[0].startswith("The audit log is empty but a checkpoint")


def test_a_chain_cut_and_written_again_fails_and_is_not_checkpointed() -> None:
    """After the cut the application appends again (with the key): the checkpointed sequence
    exists once more, but with another hash, and no new checkpoint launders the cut."""
    events = _chain(6)
    _checkpoint()
    _cut(3)
    _chain(5)  # sequences 4-8 again, other entries
    result = audit.verify()
    assert _messages(result) == [
        "Entry 6 is not the entry a checkpoint of 2026-12-05 12:00 UTC recorded (its hash "
        "differs): the log was rewritten, or cut back and written again, from there or before."
    ]
    assert AuditEvent.objects.get(sequence=6).hash != events[-1].hash
    with pytest.raises(CheckpointError, match="no longer holds entry 6"):
        checkpoints.write()


def test_an_earlier_checkpoint_catches_a_rewrite_below_the_last() -> None:
    """Entry 3 (checkpoint 1) rewritten by someone holding the key: the chain shows a broken
    link after it, and the earlier checkpoint says that entry 3 is not what it recorded."""
    _chain(3)
    _checkpoint()
    _chain(3)
    _checkpoint(datetime(2026, 12, 5, 13, 0, tzinfo=UTC))
    target = AuditEvent.objects.get(sequence=3)
    target.detail = "rewritten"
    forged = audit.compute_hash(target)
    disarm()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE care_auditevent SET detail = %s, hash = %s WHERE sequence = 3",
            ["rewritten", forged],
        )
    problems = audit.verify().problems
    assert [(p.kind, p.sequence) for p in problems] == [("changed", 3), ("inserted", 4)]
    assert problems[0].message.startswith(
        "Entry 3 is not the entry a checkpoint of 2026-12-05 12:00 UTC recorded"
    )


def test_the_head_moved_back_over_present_entries_fails() -> None:
    events = _chain(5)
    _checkpoint()
    disarm()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE care_auditchainhead SET sequence = 3, hash = %s WHERE id = 1",
            [events[2].hash],
        )
    assert _messages(audit.verify()) == [
        "The chain head is at entry 3 but a checkpoint of 2026-12-05 12:00 UTC recorded entry "
        "5: the head was moved back.",
        "entry 4 lies beyond the chain head",
        "entry 5 lies beyond the chain head",
    ]
    with pytest.raises(CheckpointError, match="behind checkpoint 1"):
        checkpoints.write()


def test_entries_removed_inside_the_checkpointed_range_are_counted() -> None:
    _chain(5)
    _checkpoint()
    disarm()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM care_auditevent WHERE sequence IN (2, 3)")
    assert _messages(audit.verify()) == [
        "2 entries up to entry 5 have been removed since a checkpoint of 2026-12-05 12:00 UTC "
        "counted 5.",
        "entries 2-3 were removed",
    ]


# --- A damaged checkpoint file ----------------------------------------------------------------


def _edit_sequence(lines: list[str]) -> list[str]:
    data = json.loads(lines[0])
    data["sequence"] = 1
    return [json.dumps(data, sort_keys=True), *lines[1:]]


TAMPERING: dict[str, tuple[Callable[[list[str]], list[str]], str]] = {
    "edited": (_edit_sequence, "line 1: the signature does not match"),
    "line removed": (lambda lines: [lines[0], lines[2]], "line 2 does not follow"),
    "reordered": (lambda lines: [lines[1], lines[0], lines[2]], "line 1 does not follow"),
    "garbage": (lambda lines: [*lines[:2], "{not json"], "line 3 is not a valid checkpoint"),
}


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_a_tampered_checkpoint_file_is_reported(how: str) -> None:
    for hour in (12, 13, 14):
        _chain(2)
        _checkpoint(datetime(2026, 12, 5, hour, 0, tzinfo=UTC))
    path = _folder() / FILENAME
    change, expected = TAMPERING[how]
    path.write_text("\n".join(change(path.read_text().splitlines())) + "\n")
    result = audit.verify()
    assert not result.ok and result.first is not None
    assert result.first.kind == "checkpoint"
    assert expected in result.first.message
    assert result.first.message.startswith("The checkpoints are damaged: checkpoint file ")


def test_a_checkpoint_file_cut_mid_line_is_reported() -> None:
    _chain(2)
    _checkpoint()
    path = _folder() / FILENAME
    path.write_bytes(path.read_bytes()[:-20])
    assert "ends in the middle of a line" in _messages(audit.verify())[0]
    with pytest.raises(CheckpointError, match="middle of a line"):
        checkpoints.write()


def test_a_checkpoint_signed_with_another_key_is_reported() -> None:
    _chain(2)
    with override_settings(KANSRIJK_AUDIT_KEY="cd" * 32):
        _checkpoint()
    assert "the signature does not match" in _messages(audit.verify())[0]


def test_checkpoints_going_backwards_are_reported() -> None:
    """Two checkpoints each signed and chained, the second behind the first (as a writer
    without the cut-back check would have made after a cut)."""
    _chain(4)
    first = _checkpoint()
    back = checkpoints.Checkpoint(2, 2, "a" * 64, 2, NOON, first.sig)
    back = checkpoints.Checkpoint(**{**back.__dict__, "sig": checkpoints.sign(back.payload())})
    with (_folder() / FILENAME).open("a") as handle:
        handle.write(back.line())
    assert "behind checkpoint 1 (entry 4 of" in _messages(audit.verify())[0]


# --- No checkpoints: a warning, not silence -----------------------------------------------------


def test_no_checkpoint_directory_is_a_warning_and_can_be_skipped_explicitly() -> None:
    _chain(2)
    result = audit.verify()
    assert result.ok and result.checkpoint is None
    assert any("there is no checkpoint directory" in w for w in result.warnings)
    assert "NOT compared with a checkpoint" in result.summary()
    skipped = audit.verify(checkpoints=False)
    assert skipped.ok and "(checkpoints skipped)" in skipped.summary()
    assert not any("checkpoint" in w for w in skipped.warnings)


def test_an_unreadable_checkpoint_file_is_a_warning() -> None:
    _chain(1)
    (_folder() / FILENAME).mkdir(parents=True)  # a directory where the file should be
    result = audit.verify()
    assert result.ok
    assert any("cannot be read" in w for w in result.warnings)
    with pytest.raises(CheckpointError, match="cannot write a checkpoint"):
        checkpoints.write()


# --- The application writes checkpoints after commits ----------------------------------------


def _commits(n: int, capture: Callable[..., Any]) -> None:
    """``n`` requests that each log one entry and commit (running the on-commit hooks)."""
    for _ in range(n):
        with capture(execute=True):
            _chain(1)


def _sequences() -> list[int]:
    lines = (_folder() / FILENAME).read_text().splitlines()
    return [json.loads(line)["sequence"] for line in lines]


def test_the_application_checkpoints_after_n_entries(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with override_settings(
        KANSRIJK_AUDIT_CHECKPOINT_ENTRIES=3, KANSRIJK_AUDIT_CHECKPOINT_MINUTES=0
    ):
        _commits(7, django_capture_on_commit_callbacks)
    assert _sequences() == [3, 6]
    assert audit.verify().ok


def test_the_application_checkpoints_after_t_minutes(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with override_settings(
        KANSRIJK_AUDIT_CHECKPOINT_ENTRIES=1000, KANSRIJK_AUDIT_CHECKPOINT_MINUTES=15
    ):
        _commits(3, django_capture_on_commit_callbacks)  # the first: none yet, so one is due
        assert _sequences() == [1]
        later = timezone.now() + timedelta(minutes=16)
        with patch("django.utils.timezone.now", return_value=later):
            _commits(1, django_capture_on_commit_callbacks)
    assert _sequences() == [1, 4]


def test_an_unwritable_directory_never_fails_a_request(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with (
        override_settings(
            KANSRIJK_AUDIT_CHECKPOINT_DIR=blocker / "checkpoints",
            KANSRIJK_AUDIT_CHECKPOINT_ENTRIES=1,
        ),
        caplog.at_level(logging.WARNING, logger="kansrijk.web.audit.checkpoints"),
    ):
        _commits(3, django_capture_on_commit_callbacks)
    assert AuditEvent.objects.count() == 3
    warnings = [r for r in caplog.records if "audit checkpoint not written" in r.getMessage()]
    assert len(warnings) == 1  # retried after the interval, not on every commit


# --- The triggers -----------------------------------------------------------------------------


def _refused(sql: str, params: list[object], match: str) -> None:
    with (
        pytest.raises(DatabaseError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def _maintenance_off() -> None:
    """Tests run with maintenance on (the flush between tests); production runs without."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("UPDATE care_audit_maintenance SET allow_delete = 0")
        else:
            cursor.execute("SET LOCAL kansrijk.audit_truncate = 'deny'")


def test_the_database_refuses_changes_to_entries_and_moving_the_head_back() -> None:
    events = _chain(3)
    _maintenance_off()
    _refused("UPDATE care_auditevent SET detail = 'x' WHERE id = %s", [events[0].pk], "append-only")
    _refused("DELETE FROM care_auditevent WHERE id = %s", [events[-1].pk], "append-only")
    _refused("DELETE FROM care_auditevent", [], "append-only")
    _refused(
        "UPDATE care_auditchainhead SET sequence = 2, hash = %s WHERE id = 1",
        [events[1].hash],
        "only moves forward",
    )
    _refused(
        "UPDATE care_auditchainhead SET hash = %s WHERE id = 1", ["b" * 64], "only moves forward"
    )
    _refused("DELETE FROM care_auditchainhead", [], "only moves forward")
    if connection.vendor == "postgresql":
        _refused("TRUNCATE care_auditchainhead", [], "TRUNCATE refused")
        _refused("TRUNCATE care_auditevent", [], "TRUNCATE refused")
    _chain(1)  # appending still works and moves the head forward
    head = AuditChainHead.objects.get(pk=1)
    assert head.sequence == 4 and audit.verify().ok
    assert AuditEvent.objects.count() == 4


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the maintenance table is SQLite's")
def test_sqlite_maintenance_allows_emptying_and_verify_warns_about_it() -> None:
    _chain(2)
    assert any("audit maintenance is switched on" in w for w in audit.verify().warnings)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM care_auditevent")
        cursor.execute("DELETE FROM care_auditchainhead")
    assert AuditEvent.objects.count() == 0
    _maintenance_off()
    assert not any("maintenance" in w for w in audit.verify(checkpoints=False).warnings)


def test_verify_warns_when_the_triggers_are_missing_or_disabled() -> None:
    _chain(1)
    _maintenance_off()
    assert not any("triggers" in w for w in audit.verify().warnings)
    disarm()
    [warning] = [w for w in audit.verify().warnings if "triggers" in w]
    assert "care_audit_" in warning and "missing or disabled" in warning


# --- Commands and the CLI ---------------------------------------------------------------------


def test_the_management_commands(capsys: pytest.CaptureFixture[str]) -> None:
    _chain(4)
    call_command("audit_checkpoint")
    assert "checkpoint 1 written to " in capsys.readouterr().out
    call_command("audit_checkpoint")
    assert "no new entries since checkpoint 1" in capsys.readouterr().out
    call_command("audit_verify")
    assert "it holds checkpoint 1" in capsys.readouterr().out
    _cut(2)
    with pytest.raises(CommandError, match="The audit log ends at entry 2"):
        call_command("audit_verify")
    with pytest.raises(CommandError, match="no checkpoint written: the chain head is at entry 2"):
        call_command("audit_checkpoint")
    call_command("audit_verify", no_checkpoints=True)
    assert "(checkpoints skipped)" in capsys.readouterr().out


def test_the_cli_checkpoints_and_verifies() -> None:
    runner = CliRunner()
    _chain(5)
    empty = runner.invoke(app, ["audit", "verify"])
    assert empty.exit_code == 0 and "NOT compared with a checkpoint" in empty.output
    assert runner.invoke(app, ["audit", "verify", "--strict"]).exit_code == 1
    written = runner.invoke(app, ["audit", "checkpoint"])
    assert written.exit_code == 0 and "checkpoint 1 written" in written.output
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "it holds checkpoint 1" in ok.output
    _cut(3)
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "2 entries at the end have been removed." in broken.output
    refused = runner.invoke(app, ["audit", "checkpoint"])
    assert refused.exit_code == 1 and "no checkpoint written" in refused.output
    skipped = runner.invoke(app, ["audit", "verify", "--no-checkpoints"])
    assert skipped.exit_code == 0 and "(checkpoints skipped)" in skipped.output


def test_the_cli_does_not_import_the_serve_module() -> None:
    source = inspect.getsource(cli_audit)
    assert "kansrijk.cli.serve" not in source and "call_command" in source


@pytest.mark.django_db(transaction=True)
def test_real_commits_write_checkpoints_and_the_test_database_can_still_be_flushed() -> None:
    """Outside a test transaction the on-commit hook runs for real; afterwards the flush
    empties the audit log through the maintenance switch (DELETE on SQLite, TRUNCATE on
    PostgreSQL), which this test's teardown would fail without."""
    with override_settings(
        KANSRIJK_AUDIT_CHECKPOINT_ENTRIES=2, KANSRIJK_AUDIT_CHECKPOINT_MINUTES=0
    ):
        _chain(5)
    assert _sequences() == [2, 4]
    assert audit.verify().ok

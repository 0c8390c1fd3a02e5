"""`kansrijk audit checkpoint|verify` end to end as an operator runs them: separate processes on
a fresh SQLite data directory, the attack done with the sqlite3 module on the file (no
Django, no audit key): the triggers refuse it, and once dropped, `verify` names what is gone."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.integration]
KANSRIJK = str(Path(sys.executable).with_name("kansrijk"))
APPEND = (
    "from kansrijk.web.audit import log as audit\n"
    "for i in range({n}):\n"
    "    audit.record(action='read', user=None, purpose='care',"
    " flags=audit.Flags(True), client_id=i)\n"
)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KANSRIJK, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_checkpoint_and_verify_catch_a_cut_tail_and_a_wiped_table(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "KANSRIJK_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kansrijk.web.settings",
        "KANSRIJK_AUDIT_CHECKPOINT_ENTRIES": "0",  # only the command writes checkpoints
        "KANSRIJK_AUDIT_CHECKPOINT_MINUTES": "0",
    }
    assert _run(env, "manage", "migrate", "-v0").returncode == 0
    assert _run(env, "manage", "shell", "-c", APPEND.format(n=8)).returncode == 0

    missing = _run(env, "audit", "verify")
    assert missing.returncode == 0, missing.stderr
    assert "NOT compared with a checkpoint" in missing.stdout
    assert "there is no checkpoint directory" in missing.stderr

    written = _run(env, "audit", "checkpoint")
    assert written.returncode == 0 and "checkpoint 1 written" in written.stdout, written.stderr
    checkpoints = tmp_path / "audit-checkpoints" / "checkpoints.jsonl"
    assert len(checkpoints.read_text().splitlines()) == 1
    intact = _run(env, "audit", "verify")
    assert intact.returncode == 0 and "it holds checkpoint 1" in intact.stdout, intact.stderr

    database = sqlite3.connect(tmp_path / "kansrijk.sqlite3", isolation_level=None)
    for sql in (
        "DELETE FROM care_auditevent WHERE sequence > 5",
        "UPDATE care_auditevent SET detail = 'x' WHERE sequence = 1",
        "UPDATE care_auditchainhead SET sequence = 5",
        "DELETE FROM care_auditchainhead",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="refused"):
            database.execute(sql)
    # Whoever owns the file can drop the triggers: then the chain alone would look intact.
    triggers = database.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    for (name,) in triggers.fetchall():
        database.execute(f"DROP TRIGGER {name}")
    database.execute("DELETE FROM care_auditevent WHERE sequence > 5")
    database.execute(
        "UPDATE care_auditchainhead SET sequence = 5, hash = "
        "(SELECT hash FROM care_auditevent WHERE sequence = 5)"
    )
    cut = _run(env, "audit", "verify")
    assert cut.returncode == 1
    assert "The audit log ends at entry 5 but a checkpoint of " in cut.stderr
    assert "recorded entry 8: 3 entries at the end have been removed." in cut.stderr
    assert "triggers that protect the audit log are missing" in cut.stderr
    refused = _run(env, "audit", "checkpoint")
    assert refused.returncode == 1 and "no checkpoint written" in refused.stderr

    database.execute("DELETE FROM care_auditevent")
    database.execute(f"UPDATE care_auditchainhead SET sequence = 0, hash = '{'0' * 64}'")
    wiped = _run(env, "audit", "verify")
    assert wiped.returncode == 1
    assert "The audit log is empty but a checkpoint of " in wiped.stderr
    assert "recorded 8 entries." in wiped.stderr
    database.close()

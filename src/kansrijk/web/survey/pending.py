"""A checked import waiting for the programme's confirmation, kept on the server.

Between the preview and the write the checked rows stay in the user's session (stored in the
database, never sent to the browser), under a random token that expires and can be used once.
The confirming POST carries only the token: nothing the client sends is trusted as data.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any, Final

from django.contrib.sessions.backends.base import SessionBase

from kansrijk.web.survey.imports import Checked

SESSION_KEY: Final = "survey_pending_imports"
EXPIRY_SECONDS: Final = 30 * 60
MAX_PENDING: Final = 3


@dataclass(frozen=True)
class PendingImport:
    """A checked file for one edition, by one user, with the versions seen at the preview."""

    edition: int
    user_id: int
    filename: str
    checked: Checked
    expected: dict[str, int]
    created: float

    @property
    def expired(self) -> bool:
        return time.time() - self.created > EXPIRY_SECONDS


def store(session: SessionBase, pending: PendingImport) -> str:
    """Keep ``pending`` in the session; returns its token. Old and surplus entries go."""
    entries: dict[str, dict[str, Any]] = dict(session.get(SESSION_KEY, {}))
    now = time.time()
    entries = {t: e for t, e in entries.items() if now - e["created"] <= EXPIRY_SECONDS}
    while len(entries) >= MAX_PENDING:
        del entries[min(entries, key=lambda t: entries[t]["created"])]
    token = secrets.token_urlsafe(24)
    entries[token] = {
        "edition": pending.edition,
        "user_id": pending.user_id,
        "filename": pending.filename,
        "checked": pending.checked.to_json(),
        "expected": pending.expected,
        "created": pending.created,
    }
    session[SESSION_KEY] = entries
    return token


def take(session: SessionBase, token: str, edition: int, user_id: int) -> PendingImport | None:
    """The pending import under ``token`` for this edition and user, removed from the session
    (a token works once); None when it is unknown, expired or someone else's."""
    entries: dict[str, dict[str, Any]] = dict(session.get(SESSION_KEY, {}))
    entry = entries.pop(token, None) if isinstance(token, str) else None
    session[SESSION_KEY] = entries
    if entry is None:
        return None
    pending = PendingImport(
        edition=int(entry["edition"]),
        user_id=int(entry["user_id"]),
        filename=str(entry["filename"]),
        checked=Checked.from_json(entry["checked"]),
        expected={str(k): int(v) for k, v in entry["expected"].items()},
        created=float(entry["created"]),
    )
    if pending.expired or pending.edition != edition or pending.user_id != user_id:
        return None
    return pending

"""Concurrent writers cannot fork the chain: appends wait for the lock on the chain head.

Real threads with their own database connections, so PostgreSQL only (the SQLite test
database lives in memory, in one connection)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from kansrijk.web.audit import log as audit
from kansrijk.web.audit.log import Flags
from kansrijk.web.audit.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database"),
]
THREADS, EACH = 4, 10


def test_parallel_appends_form_one_chain() -> None:
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                audit.record(
                    action="read",
                    user=None,
                    purpose="care",
                    flags=Flags(True),
                    client_id=worker * 100 + i,
                )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert AuditEvent.objects.count() == THREADS * EACH
    result = audit.verify()
    assert result.ok, result.problems
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == list(
        range(1, THREADS * EACH + 1)
    )

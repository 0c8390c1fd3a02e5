"""Web tests run against the database Django is configured with: SQLite by default,
PostgreSQL when DATABASE_URL points there (``make test`` runs both)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL, let the test sessions empty the audit log between tests (TRUNCATE is
    refused otherwise: migration care 0006)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c kansrijk.audit_truncate=allow"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """On SQLite, switch audit maintenance on in the throw-away test database, so that the
    flush after a transactional test may empty the audit log (triggers of migration care
    0010; PostgreSQL's equivalent is the session setting above)."""
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "sqlite" and "care_audit_maintenance" in (
            connection.introspection.table_names(cursor)
        ):
            cursor.execute("UPDATE care_audit_maintenance SET allow_delete = 1 WHERE id = 1")


@pytest.fixture(autouse=True)
def _isolated_results(tmp_path: Path) -> Iterator[None]:
    """Published programme results and audit checkpoints go to a fresh directory per test."""
    with override_settings(
        KANSRIJK_RESULTS_DIR=tmp_path / "results",
        KANSRIJK_AUDIT_CHECKPOINT_DIR=tmp_path / "audit-checkpoints",
    ):
        yield

"""Web tests run against the database Django is configured with: SQLite by default,
PostgreSQL when DATABASE_URL points there (``make test`` runs both)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture(autouse=True)
def _isolated_results(tmp_path: Path) -> Iterator[None]:
    """Published programme results go to a fresh directory per test."""
    with override_settings(KANSRIJK_RESULTS_DIR=tmp_path / "results"):
        yield

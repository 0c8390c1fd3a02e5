"""Web tests run against the database Django is configured with: SQLite by default,
PostgreSQL when DATABASE_URL points there (``make test`` runs both)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True)
def _isolated_results(tmp_path: Path) -> Iterator[None]:
    """Published programme results go to a fresh directory per test."""
    with override_settings(KANSRIJK_RESULTS_DIR=tmp_path / "results"):
        yield

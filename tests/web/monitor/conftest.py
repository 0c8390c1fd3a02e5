"""Monitor pages read the session's small published run (``monitor_run`` in tests/conftest.py,
scale 0.02, built once in about 20 s); caches are cleared between tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from tests.conftest import MonitorRun


@pytest.fixture(autouse=True)
def _fresh_status_cache() -> Iterator[None]:
    from kansrijk.web.monitor import status

    status.clear_cache()
    yield
    status.clear_cache()


@pytest.fixture
def results(monitor_run: MonitorRun) -> Iterator[Path]:
    """The monitor directory set to the session's published run."""
    with override_settings(KANSRIJK_MONITOR_DIR=monitor_run.out):
        yield monitor_run.out


@pytest.fixture
def no_results(tmp_path: Path) -> Iterator[Path]:
    empty = tmp_path / "monitor"
    with override_settings(KANSRIJK_MONITOR_DIR=empty):
        yield empty

"""Shared fixtures: a writable copy of the minimal valid dataset."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"
MINIMAL = DATA / "minimal"


@pytest.fixture
def minimal_copy(tmp_path: Path) -> Path:
    """A copy of tests/data/minimal that a test may break."""
    target = tmp_path / "dataset"
    shutil.copytree(MINIMAL, target)
    return target

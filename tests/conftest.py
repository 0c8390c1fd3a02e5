"""Fixtures shared across test packages: one small published monitor run per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import settings

from .snapshot import UPDATE_OPTION, Snapshots, update_requested

#: Hypothesis profiles: "ci" (the default, what `make test` runs) and "deep" (`make
#: test-deep`: 1,000 random linked tables for the publication gate, and more elsewhere).
settings.register_profile("ci", max_examples=12, deadline=None, derandomize=True)
settings.register_profile("deep", max_examples=1000, deadline=None)
settings.load_profile("ci")

# Error panels of the CLI (Typer's rich output) wrap at the console width, 80 columns when no
# terminal is attached; a long temporary path (longer under pytest-xdist's per-worker
# directories) would then split the words the tests look for across two lines. Typer reads
# TERMINAL_WIDTH when it first imports its rich formatting (after this), and so do the CLI
# processes the tests start; pytest's own output keeps the terminal's width.
os.environ["TERMINAL_WIDTH"] = "400"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--snapshot-update``: rewrite the files under tests/snapshots/ (see tests/snapshot.py)."""
    parser.addoption(
        UPDATE_OPTION,
        action="store_true",
        default=False,
        help="rewrite the snapshot files under tests/snapshots/ instead of comparing with them "
        "(same as KANSRIJK_UPDATE_SNAPSHOTS=1)",
    )


@pytest.fixture
def snapshots(request: pytest.FixtureRequest) -> Snapshots:
    """The snapshot files, in update mode with ``--snapshot-update`` or
    KANSRIJK_UPDATE_SNAPSHOTS=1."""
    return Snapshots(update=update_requested(bool(request.config.getoption(UPDATE_OPTION))))


@dataclass(frozen=True)
class MonitorRun:
    """A published monitor run on small synthetic data, with its unpublished twin.

    ``unpublished`` holds the true counts of every cell, hidden ones included: tests use it to
    prove that no hidden figure reaches any output. It is never written anywhere.
    """

    data: Path
    out: Path
    unpublished: pa.Table


@pytest.fixture(scope="session", autouse=True)
def program_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The program cache (`kansrijk.program_cache`: the vega-embed bundle, definition hashes)
    of this test session, shared with the processes the tests start; nothing outside it."""
    directory = tmp_path_factory.mktemp("program-cache")
    before = os.environ.get("KANSRIJK_CACHE_DIR")
    os.environ["KANSRIJK_CACHE_DIR"] = str(directory)
    yield directory
    if before is None:
        os.environ.pop("KANSRIJK_CACHE_DIR", None)
    else:
        os.environ["KANSRIJK_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def monitor_run(tmp_path_factory: pytest.TempPathFactory) -> MonitorRun:
    """Synthetic Netherlands at scale 0.02 (2015-2020), monitor 2016-2020 on 2023 boundaries."""
    from kansrijk.engine import RunConfig, run_monitor
    from kansrijk.engine.run import compute_unpublished
    from kansrijk.synth import SynthConfig, generate

    data = tmp_path_factory.mktemp("synth") / "nl"
    generate(SynthConfig(first_year=2015, last_year=2020, scale=0.02, seed=7), data)
    out = tmp_path_factory.mktemp("monitor")
    config = RunConfig(
        data=data,
        edition=2021,
        years=range(2016, 2021),
        classification_year=2023,
        out=out,
        formats=("parquet", "csv"),
        audit_work=2000.0,  # quick; what it leaves unresolved is reported (the demo settles all)
        withhold=False,
    )
    run_monitor(config)
    return MonitorRun(data=data, out=out, unpublished=compute_unpublished(config).results)

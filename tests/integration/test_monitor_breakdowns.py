"""A run restricted to some breakdowns (``RunConfig.breakdowns``, ``--breakdowns``) reads
only the parents' attributes those breakdowns and the outcomes need, and computes exactly the
cells of the full run that it keeps: totals and kept breakdowns cell for cell equal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app
from kansrijk.cli.monitor import parse_breakdowns
from kansrijk.engine import RunConfig
from kansrijk.engine.run import compute_unpublished
from kansrijk.publication import CELL_KEYS, NUMBER_COLUMNS
from tests.conftest import MonitorRun

pytestmark = [pytest.mark.slow, pytest.mark.integration]

#: Everything a cell is and counts, not the hashes (a definition with fewer breakdowns is
#: another definition: its hash, and so the run id, differ).
COMPARED = [*CELL_KEYS, *NUMBER_COLUMNS]


def _config(data: Path, tmp: Path, breakdowns: tuple[str, ...] | None) -> RunConfig:
    return RunConfig(
        data=data,
        edition=2021,
        extra_editions=(2024,),
        years=range(2016, 2021),
        classification_year=2023,
        out=tmp / "unused",
        breakdowns=breakdowns,
    )


def _rows(table: pa.Table) -> pa.Table:
    return table.select(COMPARED).sort_by([(c, "ascending") for c in CELL_KEYS])


@pytest.fixture(scope="module")
def full(monitor_run: MonitorRun, tmp_path_factory: pytest.TempPathFactory) -> pa.Table:
    tmp = tmp_path_factory.mktemp("breakdowns")
    return compute_unpublished(_config(monitor_run.data, tmp, None)).results


@pytest.mark.parametrize("breakdowns", [(), ("debts", "education"), ("vulnerability",)])
def test_kept_cells_equal_the_full_run(
    breakdowns: tuple[str, ...], full: pa.Table, monitor_run: MonitorRun, tmp_path: Path
) -> None:
    part = compute_unpublished(_config(monitor_run.data, tmp_path, breakdowns)).results
    kept = pa.array(["total", *breakdowns])
    assert set(part["breakdown"].to_pylist()) <= {"total", *breakdowns}
    assert set(part["indicator_id"].to_pylist()) == set(full["indicator_id"].to_pylist())
    expected = full.filter(pc.is_in(full["breakdown"], value_set=kept))
    assert len(expected) == len(part)
    assert _rows(part).equals(_rows(expected))
    # Every breakdown asked for is computed where a definition has it.
    for b in breakdowns:
        assert pc.sum(pc.equal(part["breakdown"], b)).as_py() > 0


def test_unknown_breakdown_is_named(monitor_run: MonitorRun, tmp_path: Path) -> None:
    with pytest.raises(KeyError, match=r"unknown breakdown.*income_p11"):
        compute_unpublished(_config(monitor_run.data, tmp_path, ("debts", "income_p11")))


def test_definitions_and_manifest_say_what_was_computed(
    monitor_run: MonitorRun, tmp_path: Path
) -> None:
    config = replace(_config(monitor_run.data, tmp_path, ("debts",)), extra_editions=())
    result = compute_unpublished(config)
    manifest: Any = result.manifest
    assert manifest["parameters"]["breakdowns"] == ["debts"]
    for entry in manifest["definitions"].values():
        assert set(entry["definition"]["breakdowns"]) <= {"debts"}


def test_parse_breakdowns() -> None:
    assert parse_breakdowns("all") is None
    assert parse_breakdowns(" None ") == ()
    assert parse_breakdowns("debts, income_p10,debts") == ("debts", "income_p10")


def test_cli_totals_only(monitor_run: MonitorRun, tmp_path: Path) -> None:
    args = ["monitor", "run", "--data", str(monitor_run.data), "--years", "2019-2020"]
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, [*args, "--out", str(out), "--formats", "parquet", "--breakdowns", "none"]
    )
    assert result.exit_code == 0, result.output
    assert set(pq.read_table(out / "results.parquet")["breakdown"].to_pylist()) == {"total"}
    bad = CliRunner().invoke(
        app, [*args, "--out", str(tmp_path / "bad"), "--breakdowns", "debts,nope"]
    )
    assert bad.exit_code == 2
    assert "unknown breakdown(s): nope" in bad.output
    assert not (tmp_path / "bad").exists()

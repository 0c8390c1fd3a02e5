"""`kansrijk report national|local|export` end to end on a synthetic run, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app

from ..conftest import MonitorRun

pytestmark = [pytest.mark.slow, pytest.mark.integration]
runner = CliRunner()


def test_report_commands_write_their_files(monitor_run: MonitorRun, tmp_path: Path) -> None:
    results = str(monitor_run.out)
    national = runner.invoke(
        app, ["report", "national", "-r", results, "-o", str(tmp_path), "--formats", "html"]
    )
    assert national.exit_code == 0, national.output
    local = runner.invoke(
        app,
        ["report", "local", "-m", "gm0363", "-r", results, "-o", str(tmp_path), "--lang", "en",
         "--formats", "html", "--no-platform"],
    )  # fmt: skip
    assert local.exit_code == 0, local.output
    export = runner.invoke(
        app, ["report", "export", "-r", results, "-o", str(tmp_path / "x"), "-m", "GM0363"]
    )
    assert export.exit_code == 0, export.output
    names = {p.name for p in tmp_path.rglob("*") if p.is_file()}
    assert {"factsheet-nl.html", "GM0363-en.html", "results.csv", "measurereports.ndjson"} <= names
    assert not [n for n in names if ".tmp-" in n]


def test_report_errors_are_clear(monitor_run: MonitorRun, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["report", "national", "-r", str(tmp_path), "-o", str(tmp_path)])
    assert missing.exit_code == 2
    assert "no results.parquet" in missing.output
    unknown = runner.invoke(
        app,
        ["report", "local", "-m", "GM9999", "-r", str(monitor_run.out), "-o", str(tmp_path),
         "--no-platform"],
    )  # fmt: skip
    assert unknown.exit_code == 2
    assert "GM9999" in unknown.output
    assert not list(tmp_path.iterdir())

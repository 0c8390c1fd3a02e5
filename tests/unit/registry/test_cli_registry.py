"""`kansrijk registry` commands: help text, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app


@pytest.mark.parametrize("command", ["validate", "contract", "pseudonymise"])
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, ["registry", command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_missing_directory_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["registry", "validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "not a directory" in result.output


def test_unknown_table_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["registry", "validate", str(tmp_path), "--table", "nope"])
    assert result.exit_code == 2
    assert "not in the data contract" in result.output

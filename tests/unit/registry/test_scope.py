"""Validation requires a table only when a requested indicator needs it: hospital care
products only for 2024-13, JGZ contacts (optional) only for the JGZ indicators."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app
from kansrijk.cli.registry import requested_scope
from kansrijk.registry.report import Issue
from kansrijk.registry.validate import validate


def _missing(path: Path, editions: list[int], *, strict: bool = False) -> dict[str, Issue]:
    scope = requested_scope(editions, [], strict=strict)
    report = validate(path, scope=scope)
    return {i.table: i for i in report.issues if i.check == "missing_table"}


def test_hospital_care_products_are_required_for_2024_only(minimal_copy: Path) -> None:
    (minimal_copy / "hospital_care_products.csv").unlink()
    for_2021 = _missing(minimal_copy, [2021])["hospital_care_products"]
    assert for_2021.severity == "warning"
    for_2024 = _missing(minimal_copy, [2024])["hospital_care_products"]
    assert for_2024.severity == "error"
    assert "2024-13" in for_2024.message and "2024-06" not in for_2024.message
    # Without --edition every edition is requested, 2024 included.
    assert _missing(minimal_copy, [])["hospital_care_products"].severity == "error"


def test_missing_jgz_contacts_name_the_indicators_a_run_skips(minimal_copy: Path) -> None:
    issue = _missing(minimal_copy, [2021])["jgz_contacts"]
    assert issue.severity == "warning"
    assert "2019-13, 2019-14" in issue.message and "skips" in issue.message
    strict = _missing(minimal_copy, [2021], strict=True)["jgz_contacts"]
    assert strict.severity == "error"
    # The 2024 set has no JGZ indicator: nothing to skip.
    assert "not read by the requested" in _missing(minimal_copy, [2024])["jgz_contacts"].message


def test_a_table_every_indicator_needs_is_an_error(minimal_copy: Path) -> None:
    (minimal_copy / "medication.csv").unlink()
    issue = _missing(minimal_copy, [2021])["medication"]
    assert issue.severity == "error" and "cannot be computed" in issue.message


def test_a_table_only_some_indicators_need(minimal_copy: Path) -> None:
    (minimal_copy / "youth_care.csv").unlink()
    assert _missing(minimal_copy, [2021])["youth_care"].severity == "error"
    scope = requested_scope([2021], ["2019-07"], strict=False)
    issues = validate(minimal_copy, scope=scope).issues
    (issue,) = [i for i in issues if i.check == "missing_table" and i.table == "youth_care"]
    assert issue.severity == "warning" and "not read by the requested" in issue.message


def test_without_scope_the_contract_decides(minimal_copy: Path) -> None:
    (minimal_copy / "hospital_care_products.csv").unlink()
    report = validate(minimal_copy)
    (issue,) = [i for i in report.errors if i.table == "hospital_care_products"]
    assert issue.message.startswith("required table is missing")


def test_cli_validates_for_the_requested_edition(minimal_copy: Path) -> None:
    (minimal_copy / "hospital_care_products.csv").unlink()
    runner = CliRunner()
    path = str(minimal_copy)
    assert runner.invoke(app, ["registry", "validate", path, "--edition", "2021"]).exit_code == 0
    assert runner.invoke(app, ["registry", "validate", path]).exit_code == 1
    strict = runner.invoke(app, ["registry", "validate", path, "--edition", "2021", "--strict"])
    assert strict.exit_code == 1 and "jgz_contacts" in strict.output


@pytest.mark.parametrize(
    "args",
    [
        ["--indicator", "2099-01"],
        ["--edition", "1999"],
        ["-i", "2024-13", "--edition", "2021"],
    ],
)
def test_cli_unknown_scope_exits_2(minimal_copy: Path, args: list[str]) -> None:
    result = CliRunner().invoke(app, ["registry", "validate", str(minimal_copy), *args])
    assert result.exit_code == 2, result.output

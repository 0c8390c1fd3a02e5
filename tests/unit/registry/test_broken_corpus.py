"""Every broken variant of the minimal dataset fails validation with a precise message.

The cases live in tests/data/broken/cases.json: one patch each, with the file, row,
column, check and message substring the report must contain.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app
from tests.unit.registry.conftest import DATA
from tests.unit.registry.patching import apply_patch

CASES: list[dict[str, Any]] = json.loads((DATA / "broken" / "cases.json").read_text())["cases"]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 22
    assert len({c["name"] for c in CASES}) == len(CASES)


def test_minimal_dataset_passes() -> None:
    result = CliRunner().invoke(app, ["registry", "validate", str(DATA / "minimal"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True
    assert report["error_count"] == 0


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_broken_case_is_reported(case: dict[str, Any], minimal_copy: Path) -> None:
    apply_patch(minimal_copy, case["patch"])
    expect = case["expect"]
    runner = CliRunner()

    result = runner.invoke(app, ["registry", "validate", str(minimal_copy), "--json"])
    assert result.exit_code == 1, result.output
    errors = [i for i in json.loads(result.output)["issues"] if i["severity"] == "error"]
    matching = [
        i
        for i in errors
        if i["file"] == expect["file"]
        and i["row"] == expect["row"]
        and i["column"] == expect["column"]
        and i["check"] == expect["check"]
        and expect["message"] in i["message"]
    ]
    assert matching, json.dumps(errors, indent=1)

    text = runner.invoke(app, ["registry", "validate", str(minimal_copy)])
    assert text.exit_code == 1
    location = expect["file"]
    if expect["row"] is not None:
        location += f" row {expect['row']}"
    if expect["column"] is not None:
        location += f", column {expect['column']}"
    assert f"{location}: " in text.output
    assert expect["message"] in text.output

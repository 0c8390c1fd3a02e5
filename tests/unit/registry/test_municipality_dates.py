"""Every address spell's municipality code must be in force on the spell's dates: a code used
after its merger (or before it existed) leaves the residence without a municipality, and the
unit falls into the unknown remainder NL00."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app
from kansrijk.geo.municipalities import mergers, periods
from kansrijk.registry.report import ValidationReport
from kansrijk.registry.validate import validate
from tests.unit.registry.patching import apply_patch

#: Row 4 of tests/data/minimal/addresses.csv: mum003, who gives birth on 2022-03-01.
ROW = 4


def _merged_away() -> tuple[str, date, str]:
    """A municipality that merged wholly into another: (old code, merger date, new code)."""
    m = next(m for m in mergers() if m.share == "whole" and m.effective_date.year == 2018)
    return m.old_code, m.effective_date, m.new_code


def _set_spell(
    dataset: Path, code: str, valid_from: str, valid_to: str = "", row: int = ROW
) -> None:
    for column, value in (
        ("municipality_code", code),
        ("valid_from", valid_from),
        ("valid_to", valid_to),
    ):
        apply_patch(
            dataset,
            {"op": "set", "file": "addresses.csv", "row": row, "column": column, "value": value},
        )


def _check(dataset: Path) -> ValidationReport:
    return validate(dataset, tables=["addresses", "births"], municipalities=periods())


def test_code_used_after_its_merger_names_file_row_and_value(minimal_copy: Path) -> None:
    old, merged, _ = _merged_away()
    _set_spell(minimal_copy, old, "2017-01-01")
    report = _check(minimal_copy)
    (issue,) = [i for i in report.errors if i.check == "municipality_dates"]
    assert (issue.file, issue.row, issue.column, issue.value) == (
        "addresses.csv",
        ROW,
        "municipality_code",
        old,
    )
    assert f"merged away on {merged}" in issue.message and "NL00" in issue.message
    assert f"addresses.csv row {ROW}, column municipality_code" in report.to_text()
    assert not report.ok


def test_count_of_residences_that_would_fall_into_nl00(minimal_copy: Path) -> None:
    old, merged, _ = _merged_away()
    _set_spell(minimal_copy, old, "2017-01-01")
    (note,) = [i for i in _check(minimal_copy).warnings if i.check == "unknown_remainder"]
    # The spell is open: its residence has no municipality from the merger on, up to the
    # last year the extract describes (the latest birth, 2023-01-01), on both reference
    # dates (30 June, 31 December) of every year; mum003's birth of 2022-03-01 is one of
    # the births whose mother's 30 June residence is lost.
    last = 2023
    dates = [date(y, m, d) for y in range(merged.year, last + 1) for m, d in ((6, 30), (12, 31))]
    residences = sum(day >= merged for day in dates)
    assert f"{residences} residence(s) of 1 person(s)" in note.message
    assert "of 1 birth(s) (30 June)" in note.message


def test_spell_split_at_the_merger_is_valid(minimal_copy: Path) -> None:
    old, merged, new = _merged_away()
    _set_spell(minimal_copy, old, "2017-01-01", (merged - timedelta(days=1)).isoformat())
    apply_patch(
        minimal_copy,
        {
            "op": "append_line",
            "file": "addresses.csv",
            "text": f"mum003,{new},9711,{merged.isoformat()},",
        },
    )
    report = _check(minimal_copy)
    assert report.ok, report.to_text()
    assert not [i for i in report.issues if i.check == "unknown_remainder"]


def test_code_used_before_it_came_into_being(minimal_copy: Path) -> None:
    _, merged, new = _merged_away()
    _set_spell(minimal_copy, new, f"{merged.year - 1}-06-01")
    (issue,) = [i for i in _check(minimal_copy).errors if i.check == "municipality_dates"]
    assert issue.value == new and f"came into being on {merged}" in issue.message


@pytest.mark.parametrize("code", ["GM9998", "GM0000"])
def test_unknown_code(minimal_copy: Path, code: str) -> None:
    _set_spell(minimal_copy, code, "2019-01-01")
    (issue,) = [i for i in _check(minimal_copy).errors if i.check == "municipality_dates"]
    assert issue.value == code and "not in force at any time" in issue.message


def test_spells_before_the_geography_are_not_checked(minimal_copy: Path) -> None:
    """The geography starts on 1 January 2015: a spell that ended before is not checked, one
    running into it is checked from then on (minimal's GM0344 spell starts in 2010)."""
    old, _, _ = _merged_away()
    _set_spell(minimal_copy, old, "2012-01-01", "2014-12-31")
    assert _check(minimal_copy).ok


def test_a_bad_pattern_is_reported_once(minimal_copy: Path) -> None:
    _set_spell(minimal_copy, "0007", "2019-01-01")
    checks = [i.check for i in _check(minimal_copy).errors]
    assert "pattern" in checks and "municipality_dates" not in checks


def test_without_the_geography_the_check_does_not_run(minimal_copy: Path) -> None:
    old, _, _ = _merged_away()
    _set_spell(minimal_copy, old, "2017-01-01")
    assert validate(minimal_copy, tables=["addresses"]).ok


def test_cli_reports_the_merged_code(minimal_copy: Path) -> None:
    old, _, _ = _merged_away()
    _set_spell(minimal_copy, old, "2017-01-01")
    result = CliRunner().invoke(
        app, ["registry", "validate", str(minimal_copy), "--edition", "2021"]
    )
    assert result.exit_code == 1, result.output
    assert f"addresses.csv row {ROW}, column municipality_code" in result.output
    assert old in result.output and "NL00" in result.output

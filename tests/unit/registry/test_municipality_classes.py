"""Contract 1.3: the optional `municipality_classes` table and its checks (file, row, column)."""

from __future__ import annotations

from pathlib import Path

from kansrijk.geo.municipalities import periods
from kansrijk.registry.contract import CONTRACT_VERSION, VERSIONS, table
from kansrijk.registry.validate import validate
from tests.unit.registry.conftest import MINIMAL


def _write(path: Path, lines: list[str]) -> None:
    text = "statcode,inhabitants,address_density\n" + "\n".join(lines) + "\n"
    (path / "municipality_classes.csv").write_text(text, encoding="utf-8")


def test_version_1_3_adds_the_optional_classes_table() -> None:
    assert CONTRACT_VERSION == "1.3" == VERSIONS[-1][0]
    spec = table("municipality_classes")
    assert not spec.required
    assert spec.primary_key == ("statcode",)
    assert spec.column_names == ("statcode", "inhabitants", "address_density")


def test_an_extract_without_it_stays_valid() -> None:
    report = validate(MINIMAL)
    assert report.ok
    missing = {i.table: i.severity for i in report.issues if i.check == "missing_table"}
    assert missing["municipality_classes"] == "warning"


def test_valid_classes_pass(minimal_copy: Path) -> None:
    _write(minimal_copy, ["GM0363,931298,6250.5", "GM0014,238000,2100", "GM0003,0,0"])
    report = validate(minimal_copy, tables=["municipality_classes"], municipalities=periods())
    assert report.errors == ()


def test_unknown_negative_and_duplicate_are_errors_with_file_row_and_column(
    minimal_copy: Path,
) -> None:
    _write(
        minimal_copy,
        [
            "GM0363,931298,6250",  # row 1: fine
            "GM9998,20000,800",  # row 2: never a municipality
            "GM0014,-5,800",  # row 3: negative inhabitants
            "GM0344,361000,-1.5",  # row 4: negative density
            "GM0363,931298,6250",  # row 5: duplicate code
            "G0599,650000,3000",  # row 6: not a code at all
        ],
    )
    report = validate(minimal_copy, tables=["municipality_classes"], municipalities=periods())
    found = {(i.file, i.check, i.row, i.column) for i in report.errors}
    name = "municipality_classes.csv"
    assert (name, "unknown_municipality", 2, "statcode") in found
    assert (name, "minimum", 3, "inhabitants") in found
    assert (name, "minimum", 4, "address_density") in found
    assert (name, "pattern", 6, "statcode") in found
    duplicate = [i for i in report.errors if i.check == "primary_key"]
    assert duplicate and duplicate[0].column == "statcode"
    unknown = next(i for i in report.errors if i.check == "unknown_municipality")
    assert unknown.value == "GM9998"
    assert "GM9998 is not a municipality code" in unknown.message
    # the malformed code is the pattern check's, not reported twice
    assert not any(i.check == "unknown_municipality" and i.row == 6 for i in report.errors)


def test_without_the_geography_unknown_codes_are_not_checked(minimal_copy: Path) -> None:
    _write(minimal_copy, ["GM9998,20000,800"])
    report = validate(minimal_copy, tables=["municipality_classes"])
    assert report.errors == ()

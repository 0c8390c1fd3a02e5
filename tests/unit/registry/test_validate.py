"""Validation beyond the broken-file corpus: Parquet input, counts, masking, renderings."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from kansrijk.registry.validate import validate
from tests.unit.registry.conftest import MINIMAL
from tests.unit.registry.patching import apply_patch


def _errors(path: Path, check: str) -> list[tuple[str, int | None, str | None, str]]:
    report = validate(path)
    return [(i.file, i.row, i.column, i.message) for i in report.errors if i.check == check]


def test_minimal_dataset_is_valid() -> None:
    report = validate(MINIMAL)
    assert report.ok
    assert report.errors == ()
    assert {i.check for i in report.warnings} == {"missing_table"}  # optional tables only
    assert len(report.tables_checked) == 17


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("birth_weight_g", "0", "value 0 below minimum 200"),
        ("gestational_age_days", "400", "value 400 above maximum 315"),
    ],
)
def test_impossible_birth_values(minimal_copy: Path, column: str, value: str, message: str) -> None:
    apply_patch(
        minimal_copy,
        {"op": "set", "file": "births.csv", "row": 4, "column": column, "value": value},
    )
    assert _errors(minimal_copy, "minimum" if "minimum" in message else "maximum") == [
        ("births.csv", 4, column, message)
    ]


@pytest.mark.parametrize(
    ("file", "start", "end"),
    [
        ("addresses.csv", "valid_from", "valid_to"),
        ("debt_restructuring.csv", "start_date", "end_date"),
        ("youth_care.csv", "start_date", "end_date"),
        ("youth_protection.csv", "start_date", "end_date"),
        ("detentions.csv", "start_date", "end_date"),
    ],
)
def test_spells_ending_before_they_start(
    minimal_copy: Path, file: str, start: str, end: str
) -> None:
    apply_patch(
        minimal_copy, {"op": "set", "file": file, "row": 1, "column": end, "value": "2000-01-01"}
    )
    rule = f"rule:{end}_not_before_{start}"
    found = _errors(minimal_copy, rule)
    assert [(f, r, c) for f, r, c, _ in found] == [(file, 1, f"{start}, {end}")]


def test_total_counts_and_example_limit(minimal_copy: Path) -> None:
    path = minimal_copy / "persons.csv"
    lines = path.read_text().splitlines()
    bad = [ln.replace(",F,", ",X,").replace(",M,", ",X,") for ln in lines[1:]]
    path.write_text("\n".join([lines[0], *bad]) + "\n")
    report = validate(minimal_copy, max_examples=2)
    codes = [i for i in report.errors if i.check == "codes"]
    assert [i.row for i in codes] == [1, 2]
    assert {i.total for i in codes} == {9}
    assert "9 row(s) in total, 2 shown" in report.to_text()


def test_bsn_like_identifiers_are_masked(minimal_copy: Path) -> None:
    apply_patch(
        minimal_copy,
        {
            "op": "set",
            "file": "parent_links.csv",
            "row": 1,
            "column": "child_id",
            "value": "123456789",
        },
    )
    report = validate(minimal_copy)
    refs = [i for i in report.errors if i.check == "reference"]
    assert [(i.row, i.value) for i in refs] == [(1, "*******89")]
    assert "123456789" not in report.to_text()
    assert "123456789" not in report.to_json()


def test_codes_that_look_like_numbers_are_not_masked(minimal_copy: Path) -> None:
    apply_patch(
        minimal_copy,
        {
            "op": "set",
            "file": "hospital_care_products.csv",
            "row": 1,
            "column": "care_product_code",
            "value": "12345678",
        },
    )
    report = validate(minimal_copy)
    assert any(i.value == "12345678" for i in report.errors if i.check == "pattern")


def test_json_report_round_trips(minimal_copy: Path) -> None:
    apply_patch(
        minimal_copy, {"op": "set", "file": "births.csv", "row": 2, "column": "sex", "value": "Q"}
    )
    payload = json.loads(validate(minimal_copy).to_json())
    assert payload["ok"] is False
    issue = next(i for i in payload["issues"] if i["check"] == "codes")
    assert issue == {
        "severity": "error",
        "file": "births.csv",
        "table": "births",
        "check": "codes",
        "column": "sex",
        "row": 2,
        "value": "Q",
        "message": "value 'Q' is not an allowed code (M, F)",
        "total": 1,
    }


def test_unexpected_columns_and_unknown_files_are_warnings(minimal_copy: Path) -> None:
    (minimal_copy / "notes.txt").write_text("hello")
    (minimal_copy / "synth-manifest.json").write_text("{}")  # provenance sidecar: fine
    path = minimal_copy / "deaths.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",extra", *(ln + ",1" for ln in lines[1:])]) + "\n")
    report = validate(minimal_copy)
    assert report.ok
    checks = {(i.check, i.file, i.column) for i in report.warnings}
    assert ("unknown_file", "notes.txt", None) in checks
    assert not any(f == "synth-manifest.json" for _, f, _ in checks)
    assert ("unexpected_column", "deaths.csv", "extra") in checks


def _to_parquet(src: Path, dst: Path) -> None:
    dst.mkdir()
    con = duckdb.connect()
    for csv_path in src.glob("*.csv"):
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv_path.as_posix()}', header = true)) "
            f"TO '{(dst / (csv_path.stem + '.parquet')).as_posix()}'"
        )


def test_parquet_dataset_validates_and_names_part_rows(tmp_path: Path) -> None:
    dataset = tmp_path / "pq"
    _to_parquet(MINIMAL, dataset)
    assert validate(dataset).ok
    # Split births into hive-partitioned parts, with a bad weight in the second part.
    births = pq.read_table(dataset / "births.parquet")
    (dataset / "births.parquet").unlink()
    weights = births.column("birth_weight_g").to_pylist()
    weights[3] = 0
    births = births.set_column(
        births.schema.get_field_index("birth_weight_g"),
        "birth_weight_g",
        pa.array(weights, pa.int64()),
    )
    (dataset / "births" / "part=a").mkdir(parents=True)
    (dataset / "births" / "part=b").mkdir(parents=True)
    pq.write_table(births.slice(0, 2), dataset / "births" / "part=a" / "0.parquet")
    pq.write_table(births.slice(2), dataset / "births" / "part=b" / "0.parquet")
    found = _errors(dataset, "minimum")
    assert found == [("births/part=b/0.parquet", 2, "birth_weight_g", "value 0 below minimum 200")]


def test_parquet_column_with_wrong_type_is_checked_per_row(tmp_path: Path) -> None:
    dataset = tmp_path / "pq"
    _to_parquet(MINIMAL, dataset)
    table = pacsv.read_csv(
        MINIMAL / "premium_arrears.csv",
        convert_options=pacsv.ConvertOptions(column_types={"year": pa.string()}),
    )
    years = table.column("year").to_pylist()
    years[1] = "twenty"
    table = table.set_column(1, "year", pa.array(years, pa.string()))
    pq.write_table(table, dataset / "premium_arrears.parquet")
    assert _errors(dataset, "type") == [
        ("premium_arrears.parquet", 2, "year", "value 'twenty' is not an integer")
    ]


def test_garbage_parquet_is_named(tmp_path: Path) -> None:
    dataset = tmp_path / "pq"
    _to_parquet(MINIMAL, dataset)
    (dataset / "deaths.parquet").write_bytes(b"not parquet at all")
    assert [m for _, _, _, m in _errors(dataset, "unreadable")] == [
        "deaths.parquet: not a Parquet file"
    ]


def test_only_selected_tables_are_checked(minimal_copy: Path) -> None:
    (minimal_copy / "deaths.csv").unlink()
    report = validate(minimal_copy, tables=["births"])
    assert report.ok
    assert report.tables_checked == ("births",)

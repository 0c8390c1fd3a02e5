"""Readers: locating table files and numbering rows exactly."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kansrijk.registry import io


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_locate_finds_csv_parquet_and_directory(tmp_path: Path) -> None:
    _csv(tmp_path / "births.csv", "birth_id\nb00001\n")
    pq.write_table(pa.table({"person_id": ["p00001"]}), tmp_path / "persons.parquet")
    (tmp_path / "addresses" / "year=2020").mkdir(parents=True)
    pq.write_table(
        pa.table({"person_id": ["p00001"]}), tmp_path / "addresses" / "year=2020" / "p.parquet"
    )
    births = io.locate(tmp_path, "births")
    persons = io.locate(tmp_path, "persons")
    addresses = io.locate(tmp_path, "addresses")
    assert births is not None and births.format is io.SourceFormat.CSV
    assert persons is not None and persons.format is io.SourceFormat.PARQUET
    assert addresses is not None and addresses.format is io.SourceFormat.PARQUET_DIR
    assert addresses.hive_partitioned
    assert addresses.display_name == "addresses/"
    assert io.locate(tmp_path, "deaths") is None


def test_locate_refuses_a_table_stored_twice(tmp_path: Path) -> None:
    _csv(tmp_path / "births.csv", "birth_id\nb00001\n")
    pq.write_table(pa.table({"birth_id": ["b00001"]}), tmp_path / "births.parquet")
    with pytest.raises(io.AmbiguousSourceError, match="births"):
        io.locate(tmp_path, "births")


def test_csv_rows_are_numbered_by_record_not_by_line(tmp_path: Path) -> None:
    # A quoted field spanning two lines is one record: row numbers count records.
    _csv(
        tmp_path / "maternity_claims.csv",
        'claim_id,description\nc00001,"two\nlines"\nc00002,plain\nc00003,"a, b"\n',
    )
    source = io.locate(tmp_path, "maternity_claims")
    assert source is not None
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT __file, __row, claim_id FROM {io.raw_from(source)} ORDER BY __row"
    ).fetchall()
    assert rows == [
        ("maternity_claims.csv", 1, "c00001"),
        ("maternity_claims.csv", 2, "c00002"),
        ("maternity_claims.csv", 3, "c00003"),
    ]


def test_csv_row_numbers_hold_on_a_large_parallel_read(tmp_path: Path) -> None:
    n = 300_000
    path = tmp_path / "deaths.csv"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT 'p' || i AS person_id, i AS death_date FROM range(1, {n + 1}) t(i)) "
        f"TO '{path.as_posix()}' (HEADER)"
    )
    source = io.locate(tmp_path, "deaths")
    assert source is not None
    wrong = con.execute(
        f"SELECT count(*), count_if(__row <> CAST(death_date AS BIGINT)) FROM {io.raw_from(source)}"
    ).fetchall()
    assert wrong == [(n, 0)]


def test_parquet_parts_are_numbered_per_file(tmp_path: Path) -> None:
    part = tmp_path / "births"
    part.mkdir()
    pq.write_table(pa.table({"birth_id": ["a00001", "a00002"]}), part / "part-0.parquet")
    pq.write_table(pa.table({"birth_id": ["b00001"]}), part / "part-1.parquet")
    source = io.locate(tmp_path, "births")
    assert source is not None
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT __file, __row, birth_id FROM {io.raw_from(source)} ORDER BY __file, __row"
    ).fetchall()
    assert rows == [
        ("births/part-0.parquet", 1, "a00001"),
        ("births/part-0.parquet", 2, "a00002"),
        ("births/part-1.parquet", 1, "b00001"),
    ]


def test_typed_relation_converts_csv_text_to_contract_types(tmp_path: Path) -> None:
    _csv(tmp_path / "premium_arrears.csv", "person_id,year\np00001,2020\np00002,20x0\n")
    source = io.locate(tmp_path, "premium_arrears")
    assert source is not None
    con = duckdb.connect()
    view = io.relation(con, source, typed=True)
    assert con.execute(f"SELECT person_id, year FROM {view} ORDER BY __row").fetchall() == [
        ("p00001", 2020),
        ("p00002", None),
    ]
    raw = io.relation(con, source)
    assert con.execute(f"SELECT year FROM {raw} ORDER BY __row").fetchall() == [
        ("2020",),
        ("20x0",),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"\x00\x01\x02garbage", "binary content"),
        (b"\xff\xfe\xfa\xfb,a\n1,2\n", "not UTF-8"),
        (b"a,,b\n1,2,3\n", "empty column names"),
        (b"a,a\n1,2\n", "repeats a column name"),
    ],
)
def test_unreadable_csv_headers_are_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "births.csv"
    path.write_bytes(content)
    with pytest.raises(io.UnreadableFileError, match=message) as info:
        io.csv_header(path)
    assert "births.csv" in str(info.value)

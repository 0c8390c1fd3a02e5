"""`kansrijk registry pseudonymise`: no raw identifier or key byte survives; output is atomic."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app
from kansrijk.registry.contract import ID_PATTERN, TABLES_BY_NAME
from kansrijk.registry.validate import validate
from tests.unit.registry.conftest import MINIMAL

KEY_HEX = "5eb1c2d3" * 8  # 32 bytes


def _raw_extract(tmp_path: Path) -> tuple[Path, set[str]]:
    """The minimal dataset with BSN-like raw identifiers instead of its short ids."""
    src = tmp_path / "raw"
    shutil.copytree(MINIMAL, src)
    numbers: dict[str, str] = {}
    for path in src.glob("*.csv"):
        table = TABLES_BY_NAME[path.stem]
        id_cols = {c.name for c in table.columns if c.pattern == ID_PATTERN}
        rows = list(csv.reader(path.read_text().splitlines()))
        for row in rows[1:]:
            for i, name in enumerate(rows[0]):
                if name in id_cols and row[i]:
                    numbers.setdefault(row[i], f"{987650000 + len(numbers) * 7919:09d}")
                    row[i] = numbers[row[i]]
        with path.open("w", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    return src, set(numbers.values())


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["registry", "pseudonymise", *args])
    return result.exit_code, result.output


def test_output_holds_no_raw_identifier_nor_key(tmp_path: Path) -> None:
    src, raw_ids = _raw_extract(tmp_path)
    key_file = tmp_path / "key.hex"
    key_file.write_text(KEY_HEX)
    out = tmp_path / "out"
    code, output = _run([str(src), str(out), "--key-file", str(key_file)])
    assert code == 0, output
    key_bytes = bytes.fromhex(KEY_HEX)
    blobs = [p.read_bytes() for p in out.rglob("*") if p.is_file()] + [output.encode()]
    for blob in blobs:
        assert KEY_HEX.encode() not in blob and key_bytes not in blob
        for raw in raw_ids:
            assert raw.encode() not in blob, raw
            assert raw.lstrip("0").encode() not in blob, raw
    # Links survive: the output is a valid contract dataset.
    assert validate(out).ok
    births = pq.read_table(out / "births.parquet")
    assert births.column("child_id").null_count == 1  # the stillbirth stays NULL


def test_same_key_same_output_different_key_different(tmp_path: Path) -> None:
    src, _ = _raw_extract(tmp_path)
    keys = {"a": KEY_HEX, "b": KEY_HEX, "c": "77" * 32}
    ids = {}
    for name, hexkey in keys.items():
        (tmp_path / f"{name}.key").write_text(hexkey)
        code, output = _run(
            [str(src), str(tmp_path / name), "--key-file", str(tmp_path / f"{name}.key")]
        )
        assert code == 0, output
        ids[name] = pq.read_table(tmp_path / name / "persons.parquet").column(0).to_pylist()
    assert ids["a"] == ids["b"]
    assert set(ids["a"]).isdisjoint(ids["c"])


def test_failure_leaves_nothing_at_out(tmp_path: Path) -> None:
    src, _ = _raw_extract(tmp_path)
    (src / "births.csv").write_text((src / "births.csv").read_text().replace(",3400,", ",heavy,"))
    key_file = tmp_path / "key.hex"
    key_file.write_text(KEY_HEX)
    out = tmp_path / "out"
    code, output = _run([str(src), str(out), "--key-file", str(key_file)])
    assert code == 1
    assert "birth_weight_g" in output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


@pytest.mark.parametrize("key", ["abcd", "ab" * 31])
def test_short_key_is_refused(tmp_path: Path, key: str) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(key)
    code, output = _run([str(MINIMAL), str(tmp_path / "out"), "--key-file", str(key_file)])
    assert code == 2
    assert "at least 32" in output
    assert not (tmp_path / "out").exists()


def test_existing_non_empty_output_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "key.hex"
    key_file.write_text(KEY_HEX)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    code, _ = _run([str(MINIMAL), str(out), "--key-file", str(key_file)])
    assert code == 1
    assert (out / "keep.txt").read_text() == "mine"

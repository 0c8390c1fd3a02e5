"""export_all and the download variants: gate first, atomic files, municipality subsets."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from kansrijk import export
from kansrijk.disclosure import DisclosureError, publish_files
from kansrijk.export import (
    csv_bytes,
    export_all,
    fhir_bundle_bytes,
    parquet_bytes,
    workbook_bytes,
)
from kansrijk.report.published import Published

from .reading import ndjson, workbook_sheets


def _tampered(tiny: Published) -> Published:
    """A Published whose table no longer passes the gate: a hidden cell of GM0363 (2019-07,
    2020) shows a count."""
    t = tiny.results
    rows = t.select(["region_code", "period_start", "suppressed"]).to_pylist()
    hidden = rows.index({"region_code": "GM0363", "period_start": 2020, "suppressed": True})
    numerators = t["numerator"].to_pylist()
    numerators[hidden] = 3
    i = t.schema.get_field_index("numerator")
    bad = copy.copy(tiny)
    bad.results = t.set_column(i, t.schema.field(i), pa.array(numerators, pa.int64()))
    return bad


def test_export_all_writes_every_file(tiny: Published, tmp_path: Path) -> None:
    files = export_all(tiny, tmp_path / "out")
    assert [f.name for f in files] == [
        "kansrijk-tinyrun.xlsx",
        "results.csv",
        "results.parquet",
        "measurereports.ndjson",
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f.name for f in files)
    assert pq.read_table(files[2]).equals(tiny.results)
    assert files[1].read_bytes() == csv_bytes(tiny)
    assert files[2].read_bytes() == parquet_bytes(tiny)
    assert pacsv.read_csv(files[1]).num_rows == tiny.results.num_rows
    assert set(workbook_sheets(files[0].read_bytes())) == {
        "2019-07",
        "2019-15",
        "definitions",
        "manifest",
    }
    reports = ndjson(files[3].read_bytes())
    assert len(reports) == 6 * 6  # the country, 2 provinces, 3 municipalities x 6


def test_municipality_export_is_its_subset(tiny: Published, tmp_path: Path) -> None:
    files = export_all(tiny, tmp_path, municipality="GM0363", lang="en")
    assert files[0].name == "kansrijk-tinyrun-GM0363.xlsx"
    table = pq.read_table(tmp_path / "results.parquet")
    assert set(table["region_code"].to_pylist()) == {"GM0363", "PV27", "NL01"}
    assert set(table["breakdown"].to_pylist()) == {"total"}
    assert table.num_rows == 3 * 6
    csv = pacsv.read_csv(io.BytesIO(csv_bytes(tiny, municipality="GM0363")))
    assert set(csv["region_code"].to_pylist()) == {"GM0363", "PV27", "NL01"}
    assert (tmp_path / "results.csv").read_bytes() == csv_bytes(tiny, municipality="GM0363")
    assert (tmp_path / "results.parquet").read_bytes() == parquet_bytes(tiny, municipality="GM0363")
    reports = ndjson((tmp_path / "measurereports.ndjson").read_bytes())
    assert {r["subject"]["identifier"]["value"] for r in reports} == {"GM0363", "PV27", "NL01"}
    sheets = workbook_sheets(files[0].read_bytes())
    assert {r["region code"] for r in sheets["2019-07"]} == {"GM0363", "PV27", "NL01"}


def test_download_variants(tiny: Published) -> None:
    assert workbook_bytes(tiny, municipality="GM0363")[:2] == b"PK"  # a zip: xlsx
    bundle = json.loads(fhir_bundle_bytes(tiny, "GM0363"))
    assert bundle["resourceType"] == "Bundle"
    assert len(bundle["entry"]) == 6
    compared = json.loads(fhir_bundle_bytes(tiny, "GM0363", comparison=True))
    assert len(compared["entry"]) == 18
    header = csv_bytes(tiny).split(b"\n", 1)[0].decode()
    assert header.split(",") == tiny.results.column_names


def test_failed_writer_leaves_nothing(
    tiny: Published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(published: Published, path: Path, **kwargs: object) -> int:
        path.write_bytes(b'{"resourceType": "MeasureReport"')  # half a line, then a crash
        raise OSError("disk full")

    monkeypatch.setattr(export, "write_ndjson", broken)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="disk full"):
        export_all(tiny, out)
    assert list(out.iterdir()) == []  # no results, no workbook, no temporary files


def test_failed_writer_keeps_earlier_export(
    tiny: Published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_all(tiny, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(export, "write_workbook", broken)
    with pytest.raises(RuntimeError, match="boom"):
        export_all(tiny, tmp_path, municipality="GM0363")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_gate_refuses_before_anything_is_written(tiny: Published, tmp_path: Path) -> None:
    bad = _tampered(tiny)
    with pytest.raises(DisclosureError):
        export_all(bad, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    downloads: list[Callable[[], bytes]] = [
        lambda: workbook_bytes(bad),
        lambda: csv_bytes(bad),
        lambda: parquet_bytes(bad),
        lambda: fhir_bundle_bytes(bad, "GM0363"),
    ]
    for download in downloads:
        with pytest.raises(DisclosureError):
            download()


def test_refuses_to_overwrite_the_runs_own_results(tiny: Published, tmp_path: Path) -> None:
    opened = copy.copy(tiny)
    opened.source = tmp_path
    with pytest.raises(ValueError, match="own results"):
        export_all(opened, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_publish_files(tiny: Published, tmp_path: Path) -> None:
    def write(path: Path) -> None:
        path.write_text("ok")

    with pytest.raises(ValueError, match="plain file name"):
        publish_files(tiny.results, tmp_path, {"../escape.txt": write})
    with pytest.raises(ValueError, match="plain file name"):
        publish_files(tiny.results, tmp_path, {".hidden": write})
    with pytest.raises(DisclosureError):
        publish_files(_tampered(tiny).results, tmp_path, {"a.txt": write})
    assert list(tmp_path.iterdir()) == []
    assert publish_files(tiny.results, tmp_path, {"a.txt": write}) == [tmp_path / "a.txt"]
    assert (tmp_path / "a.txt").read_text() == "ok"

"""export_all and the download variants: atomic files, municipality subsets, no reasons."""

from __future__ import annotations

import copy
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from kansrijk import export
from kansrijk.export import (
    Lang,
    csv_bytes,
    export_all,
    fhir_bundle_bytes,
    parquet_bytes,
    workbook_bytes,
)
from kansrijk.publication import DisclosureError, Publication
from kansrijk.publication.writers import write_parquet

from .reading import ndjson, workbook_sheets

#: What disclosure control knows of a hidden cell and no public output may say.
REASON_WORDS = ("suppression_reason", "primary", "secondary", "complement")


def _tampered(tiny: Publication) -> pa.Table:
    """The results table with a hidden cell of GM0362 (2019-07, 2020) showing a count."""
    t = tiny.results
    rows = t.select(["indicator_id", "region_code", "period_start", "suppressed"]).to_pylist()
    hidden = rows.index(
        {
            "indicator_id": "2019-07",
            "region_code": "GM0362",
            "period_start": 2020,
            "suppressed": True,
        }
    )
    numerators = t["numerator"].to_pylist()
    numerators[hidden] = 3
    i = t.schema.get_field_index("numerator")
    return t.set_column(i, t.schema.field(i), pa.array(numerators, pa.int64()))


def _no_reason(text: str, where: str) -> None:
    found = [w for w in REASON_WORDS if w in text.lower()]
    assert not found, f"{where} says why a cell is hidden: {found}"


def _workbook_text(data: bytes) -> str:
    sheets = workbook_sheets(data)
    return "\n".join(
        f"{name}: " + " ".join(f"{k}={v}" for r in rows for k, v in r.items())
        for name, rows in sheets.items()
    )


def test_export_all_writes_every_file(tiny: Publication, tmp_path: Path) -> None:
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


def test_exports_say_hidden_never_why(tiny: Publication, tmp_path: Path) -> None:
    assert tiny.results.filter(tiny.results["suppressed"]).num_rows > 0
    langs: tuple[Lang, ...] = ("nl", "en")
    for lang in langs:
        files = export_all(tiny, tmp_path / lang, lang=lang)
        by_suffix = {f.suffix: f for f in files}
        _no_reason(by_suffix[".csv"].read_text(encoding="utf-8"), "results.csv")
        _no_reason(by_suffix[".ndjson"].read_text(encoding="utf-8"), "measurereports.ndjson")
        assert "suppression_reason" not in pq.read_table(by_suffix[".parquet"]).column_names
        book = _workbook_text(by_suffix[".xlsx"].read_bytes())
        _no_reason(book, "the workbook")
        assert ("verborgen (privacy)" if lang == "nl" else "hidden (privacy)") in book
    _no_reason(csv_bytes(tiny, municipality="GM0362").decode(), "a CSV download")
    book = _workbook_text(workbook_bytes(tiny, municipality="GM0362"))
    _no_reason(book, "a workbook download")
    assert "verborgen (privacy)" in book
    _no_reason(fhir_bundle_bytes(tiny, "GM0362", comparison=True).decode(), "a FHIR download")


def test_municipality_export_is_its_subset(tiny: Publication, tmp_path: Path) -> None:
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


def test_download_variants(tiny: Publication) -> None:
    assert workbook_bytes(tiny, municipality="GM0363")[:2] == b"PK"  # a zip: xlsx
    bundle = json.loads(fhir_bundle_bytes(tiny, "GM0363"))
    assert bundle["resourceType"] == "Bundle"
    assert len(bundle["entry"]) == 6
    compared = json.loads(fhir_bundle_bytes(tiny, "GM0363", comparison=True))
    assert len(compared["entry"]) == 18
    header = csv_bytes(tiny).split(b"\n", 1)[0].decode()
    assert header.split(",") == tiny.results.column_names


def test_failed_writer_leaves_nothing(
    tiny: Publication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(published: Publication, path: Path, **kwargs: object) -> int:
        path.write_bytes(b'{"resourceType": "MeasureReport"')  # half a line, then a crash
        raise OSError("disk full")

    monkeypatch.setattr(export, "write_ndjson", broken)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="disk full"):
        export_all(tiny, out)
    assert list(out.iterdir()) == []  # no results, no workbook, no temporary files


def test_failed_writer_keeps_earlier_export(
    tiny: Publication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_all(tiny, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(export, "write_workbook", broken)
    with pytest.raises(RuntimeError, match="boom"):
        export_all(tiny, tmp_path, municipality="GM0363")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_tampered_run_cannot_be_opened_so_nothing_is_exported(
    tiny: Publication, tmp_path: Path
) -> None:
    """Exports start from a `Publication`; a run whose table was changed after publication,
    or that shows a hidden count, never becomes one."""
    assert tiny.source is not None
    run = tmp_path / "run"
    shutil.copytree(tiny.source, run)
    write_parquet(_tampered(tiny), run / "results.parquet")
    with pytest.raises(DisclosureError, match="changed since it was published"):
        Publication.open(run)
    with pytest.raises(DisclosureError):
        Publication.from_table(_tampered(tiny), tiny.manifest)


def test_refuses_to_overwrite_the_runs_own_results(tiny: Publication, tmp_path: Path) -> None:
    opened = copy.copy(tiny)
    opened.source = tmp_path
    with pytest.raises(ValueError, match="holds the publication itself"):
        export_all(opened, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_publication_write(tiny: Publication, tmp_path: Path) -> None:
    def write(path: Path) -> None:
        path.write_text("ok")

    with pytest.raises(ValueError, match="plain file name"):
        tiny.write(tmp_path, {"../escape.txt": write})
    with pytest.raises(ValueError, match="plain file name"):
        tiny.write(tmp_path, {".hidden": write})
    assert list(tmp_path.iterdir()) == []
    assert tiny.write(tmp_path, {"a.txt": write, "b.txt": b"bytes"}) == [
        tmp_path / "a.txt",
        tmp_path / "b.txt",
    ]
    assert (tmp_path / "a.txt").read_text() == "ok"
    assert (tmp_path / "b.txt").read_bytes() == b"bytes"


def test_exports_import_light() -> None:
    """`kansrijk report export` starts in about a second: the exports need neither the report
    builders (scipy.stats, about 0.8 s to import) nor openpyxl (they write xlsx themselves)."""
    code = (
        "import sys, kansrijk.export; "
        "print([m for m in ('kansrijk.report.dashboard', 'scipy.stats', 'openpyxl') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

"""`kansrijk report national|local|export` end to end on a synthetic run, and their errors."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app

from ..conftest import MonitorRun

pytestmark = [pytest.mark.slow, pytest.mark.integration]
runner = CliRunner()


def test_report_commands_write_their_files(monitor_run: MonitorRun, tmp_path: Path) -> None:
    results = str(monitor_run.out)
    national = runner.invoke(
        app, ["report", "national", "-r", results, "-o", str(tmp_path), "--formats", "html"]
    )
    assert national.exit_code == 0, national.output
    local = runner.invoke(
        app,
        ["report", "local", "-m", "gm0363", "-r", results, "-o", str(tmp_path), "--lang", "en",
         "--formats", "html", "--no-platform"],
    )  # fmt: skip
    assert local.exit_code == 0, local.output
    export = runner.invoke(
        app, ["report", "export", "-r", results, "-o", str(tmp_path / "x"), "-m", "GM0363"]
    )
    assert export.exit_code == 0, export.output
    names = {p.name for p in tmp_path.rglob("*") if p.is_file()}
    assert {"factsheet-nl.html", "GM0363-en.html", "results.csv", "measurereports.ndjson"} <= names
    assert not [n for n in names if ".tmp-" in n]


def test_report_errors_are_clear(monitor_run: MonitorRun, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["report", "national", "-r", str(tmp_path), "-o", str(tmp_path)])
    assert missing.exit_code == 2
    assert "no results.parquet" in missing.output
    unknown = runner.invoke(
        app,
        ["report", "local", "-m", "GM9999", "-r", str(monitor_run.out), "-o", str(tmp_path),
         "--no-platform"],
    )  # fmt: skip
    assert unknown.exit_code == 2
    assert "GM9999" in unknown.output
    assert not list(tmp_path.iterdir())


def test_local_writes_its_cells_as_csv_and_links_them(
    monitor_run: MonitorRun, tmp_path: Path
) -> None:
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    from kansrijk.publication import HIDDEN_NL, NUMBER_COLUMNS, RESULTS_SCHEMA, Publication

    result = runner.invoke(
        app,
        ["report", "local", "-m", "GM0363", "-r", str(monitor_run.out), "-o", str(tmp_path),
         "--formats", "html,csv", "--no-platform"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == {"GM0363-nl.html", "GM0363-nl.csv"}
    published = Publication.open(monitor_run.out)
    rows = published.results.filter(pc.equal(published.results["region_code"], "GM0363"))
    types = {f.name: f.type for f in RESULTS_SCHEMA} | {"note": pa.string()}
    table = pacsv.read_csv(
        tmp_path / "GM0363-nl.csv",
        convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True),
    )
    assert table.num_rows == rows.num_rows > 0
    assert table.drop_columns(["note"]).cast(rows.schema).to_pylist() == rows.to_pylist()
    hidden = table.filter(table["suppressed"])
    assert hidden.num_rows > 0  # Amsterdam has hidden breakdown cells in the synthetic run
    assert set(hidden["note"].to_pylist()) == {HIDDEN_NL}
    assert all(hidden[c].null_count == hidden.num_rows for c in NUMBER_COLUMNS)
    html = (tmp_path / "GM0363-nl.html").read_text(encoding="utf-8")
    assert 'href="GM0363-nl.csv"' in html and "Download de cijfers van Amsterdam (CSV)" in html
    bad = runner.invoke(
        app,
        ["report", "local", "-m", "GM0363", "-r", str(monitor_run.out), "-o", str(tmp_path / "b"),
         "--formats", "xlsx", "--no-platform"],
    )  # fmt: skip
    assert bad.exit_code == 2 and "xlsx" in bad.output


def test_local_builds_several_municipalities_from_one_opened_run(
    monitor_run: MonitorRun, tmp_path: Path
) -> None:
    result = runner.invoke(
        app,
        ["report", "local", "-m", "GM0363", "-m", "gm0014", "-m", "GM0363", "-r",
         str(monitor_run.out), "-o", str(tmp_path), "--formats", "csv", "--no-platform"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == {"GM0363-nl.csv", "GM0014-nl.csv"}
    province = runner.invoke(
        app,
        ["report", "local", "-m", "GM0363", "-m", "PV27", "-r", str(monitor_run.out), "-o",
         str(tmp_path / "p"), "--formats", "csv", "--no-platform"],
    )  # fmt: skip
    assert province.exit_code == 2 and "PV27 is not a municipality" in province.output
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize("engine", ["chromium", "weasyprint"])
def test_pdf_engine_option(monitor_run: MonitorRun, tmp_path: Path, engine: str) -> None:
    result = runner.invoke(
        app,
        ["report", "local", "-m", "GM0363", "-r", str(monitor_run.out), "-o", str(tmp_path),
         "--formats", "pdf", "--no-platform", "--pdf-engine", engine],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "GM0363-nl.pdf")], capture_output=True, text=True, check=True
    ).stdout
    # Chromium's PDF names its producer Skia; WeasyPrint names itself.
    producer = re.search(r"Producer:\s+(\S+)", info).group(1)  # type: ignore[union-attr]
    assert producer.startswith("Skia" if engine == "chromium" else "WeasyPrint"), info


def test_pdf_engine_missing_is_a_clear_error(
    monitor_run: MonitorRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANSRIJK_CHROMIUM", str(tmp_path / "no-chromium"))
    result = runner.invoke(
        app,
        ["report", "national", "-r", str(monitor_run.out), "-o", str(tmp_path / "out"),
         "--pdf-engine", "chromium"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "make report-prereqs" in result.output
    assert not (tmp_path / "out").exists()

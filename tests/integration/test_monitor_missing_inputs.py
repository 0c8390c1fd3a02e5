"""`kansrijk monitor run` works with what the analyst has: on a dataset without the optional
JGZ contacts and without hospital care products it computes every indicator it can, names
the ones it skipped (in its summary and the manifest) and exits 0; with --strict a missing
input is an error. The reports and exports still read such a run. A municipality code used
after its merger is a validation error, and the run shows its units in the remainder NL00."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner, Result

from kansrijk.cli.main import app
from kansrijk.geo.municipalities import mergers
from kansrijk.indicators import catalogue
from tests.unit.registry.patching import apply_patch

pytestmark = [pytest.mark.slow, pytest.mark.integration]

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "minimal"
JGZ = sorted(d.id for d in catalogue(2021) if d.family == "jgz_contact")
#: A municipality merged away on 1 January 2018.
MERGED = next(m.old_code for m in mergers() if m.share == "whole" and m.effective_date.year == 2018)
#: tests/data/minimal/addresses.csv row 3: mum002, the mother of the only births of 2021.
MUM002 = 3


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/minimal (no jgz_contacts) without hospital_care_products, and mum002 living
    in a municipality that no longer existed from 2018 on."""
    path = tmp_path_factory.mktemp("partial") / "data"
    shutil.copytree(MINIMAL, path)
    (path / "hospital_care_products.csv").unlink()
    assert not list(path.glob("jgz_contacts*"))
    for column, value in (("municipality_code", MERGED), ("valid_from", "2017-01-01")):
        apply_patch(
            path,
            {"op": "set", "file": "addresses.csv", "row": MUM002, "column": column, "value": value},
        )
    return path


def _run(data: Path, out: Path, *extra: str) -> Result:
    args = ["monitor", "run", "--data", str(data), "--edition", "2021", "--years", "2020-2022"]
    return CliRunner().invoke(app, [*args, "--out", str(out), "--formats", "parquet", *extra])


@pytest.fixture(scope="module")
def run(dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    out = tmp_path_factory.mktemp("run") / "out"
    return _run(dataset, out), out


def test_run_skips_what_it_cannot_compute_and_exits_0(run: tuple[Result, Path]) -> None:
    result, out = run
    assert result.exit_code == 0, result.output
    assert JGZ == ["2019-13", "2019-14"]
    for indicator_id in JGZ:
        assert f"{indicator_id} (edition 2021): missing jgz_contacts" in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["skipped"] == {f"2021/{i}": {"missing_tables": ["jgz_contacts"]} for i in JGZ}
    absent = manifest["inputs_not_delivered"]
    assert absent["jgz_contacts"]["required_by"] == JGZ
    assert absent["hospital_care_products"]["required_by"] == []
    # Every other indicator of the edition is in the results; the skipped ones are absent
    # (not zero) and so are their definitions.
    results = pq.read_table(out / "results.parquet")
    computed = set(results["indicator_id"].to_pylist())
    assert computed == {d.id for d in catalogue(2021)} - set(JGZ)
    assert not {k.split("/")[1] for k in manifest["definitions"]} & set(JGZ)


def test_unknown_region_share_per_indicator_and_year(run: tuple[Result, Path]) -> None:
    """The summary and the manifest give the NL00 share of every computed indicator and
    year, read from the published cells (None where a cell is hidden)."""
    result, out = run
    manifest = json.loads((out / "manifest.json").read_text())
    shares = manifest["unknown_region_share"]
    results = pq.read_table(out / "results.parquet")
    yearly = results.filter(
        pc.and_(
            pc.equal(results["breakdown"], "total"),
            pc.equal(results["period_start"], results["period_end"]),
        )
    ).to_pylist()
    cell = {(r["indicator_id"], r["period_start"], r["region_code"]): r for r in yearly}
    assert set(shares) == {f"2021/{i}" for i in {r["indicator_id"] for r in yearly}}
    for key, per_year in shares.items():
        indicator_id = key.split("/")[1]
        assert set(per_year) == {"2020", "2021", "2022"}
        for year, share in per_year.items():
            nl, nl00 = (
                cell[(indicator_id, int(year), "NL01")],
                cell[(indicator_id, int(year), "NL00")],
            )
            if nl["suppressed"] or nl00["suppressed"] or not nl["denominator"]:
                assert share is None
            else:
                assert share == pytest.approx(nl00["denominator"] / nl["denominator"], abs=1e-6)
    # The summary shows the true shares: the only pregnancy of 2021 is mum002's, whose
    # address code no longer exists then; 2020's is mum001's, who lived in Amsterdam.
    summary = result.output.split("unknown remainder NL00", 1)[1]
    row = next(line for line in summary.splitlines() if " 2019-07 " in line).split()
    assert "0.00%" in row and "100.00%" in row
    assert row.index("0.00%") < row.index("100.00%")


def test_strict_makes_a_missing_input_an_error(dataset: Path, tmp_path: Path) -> None:
    result = _run(dataset, tmp_path / "strict", "--strict")
    assert result.exit_code == 1
    assert "jgz_contacts (needed by 2019-13, 2019-14)" in result.output
    assert not (tmp_path / "strict").exists()


def test_reports_read_a_run_with_skipped_indicators(
    run: tuple[Result, Path], tmp_path: Path
) -> None:
    """The factsheet and the exports (which read the manifest) work on such a run."""
    _, out = run
    runner = CliRunner()
    report = tmp_path / "r"
    national = runner.invoke(
        app, ["report", "national", "-r", str(out), "-o", str(report), "--formats", "html"]
    )
    assert national.exit_code == 0, national.output
    assert (report / "factsheet-nl.html").is_file()
    export = runner.invoke(app, ["report", "export", "-r", str(out), "-o", str(tmp_path / "x")])
    assert export.exit_code == 0, export.output
    # The workbook's manifest sheet names what was not computed and why.
    (book,) = (tmp_path / "x").glob("*.xlsx")
    sheet = openpyxl.load_workbook(book, read_only=True)["manifest"]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    for indicator in ("2019-13", "2019-14"):
        assert (f"niet berekend: {indicator} (2021)", "ontbrekende invoer", "jgz_contacts") in rows


def test_validation_names_the_merged_code_and_the_optional_tables(dataset: Path) -> None:
    result = CliRunner().invoke(app, ["registry", "validate", str(dataset), "--edition", "2021"])
    assert result.exit_code == 1, result.output  # the merged code is an error
    assert f"addresses.csv row {MUM002}, column municipality_code" in result.output
    assert f"municipality {MERGED} was merged away" in result.output
    assert "would fall into the unknown remainder NL00" in result.output
    errors = [line for line in result.output.splitlines() if line.lstrip().startswith("ERROR")]
    assert all("addresses.csv" in line for line in errors), errors
    assert "2019-13, 2019-14 (edition 2021) cannot be computed" in result.output

"""`kansrijk report national --programme DIR`: the programme indicators from their own
publication, checked by the gate's reader; absent or wrong, the command says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app
from kansrijk.engine.structure import results_structure
from kansrijk.programme import compute_programme, publish_programme
from kansrijk.publication import DisclosurePolicy, protect, publish

from ..programme.fixtures import year_facts
from .fixtures import MANIFEST, kraamzorg_rows, results_table

runner = CliRunner()


@pytest.fixture(scope="module")
def dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A published monitor run and a published programme (both on disk)."""
    root = tmp_path_factory.mktemp("runs")
    cells = results_table(kraamzorg_rows())
    structure = results_structure(cells, classification_year=2023, related=False)
    protected = protect(cells, structure, DisclosurePolicy(threshold=10))
    publish(protected, root / "monitor", manifest=MANIFEST, formats=("parquet",))
    publish_programme(compute_programme([year_facts(2020), year_facts(2021)]), root / "programme")
    return root / "monitor", root / "programme"


def _national(run: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["report", "national", "-r", str(run), "-o", str(out), "--formats", "html", *extra]
    )
    html = out / "factsheet-nl.html"
    return result.exit_code, result.output, html.read_text("utf-8") if html.exists() else ""


def test_with_the_programme_publication(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    run, programme = dirs
    code, output, html = _national(run, tmp_path, "--programme", str(programme))
    assert code == 0, output
    assert html.count('class="programme-indicator"') == 7
    assert 'data-programme="absent"' not in html


def test_without_it_the_factsheet_says_so(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    code, output, html = _national(dirs[0], tmp_path)
    assert code == 0, output
    assert 'data-programme="absent"' in html


def test_a_directory_without_programme_indicators_is_refused(
    dirs: tuple[Path, Path], tmp_path: Path
) -> None:
    run, _ = dirs
    code, output, _ = _national(run, tmp_path / "a", "--programme", str(run))
    assert code == 2 and "holds no programme indicators" in output
    code, output, _ = _national(run, tmp_path / "b", "--programme", str(tmp_path))
    assert code == 2 and "no results.parquet" in output
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_a_changed_programme_file_is_refused(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    run, programme = dirs
    copy = tmp_path / "programme"
    copy.mkdir()
    for f in programme.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    (copy / "results.parquet").write_bytes((copy / "results.parquet").read_bytes() + b"x")
    code, output, _ = _national(run, tmp_path / "out", "--programme", str(copy))
    assert code == 2 and "changed since it was published" in output

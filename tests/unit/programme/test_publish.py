"""Publishing the programme indicators: the one gate, the organisations policy, atomicity."""

from __future__ import annotations

import hashlib
import importlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kansrijk.programme import BASENAME, ProgrammeResults, compute_programme, publish_programme
from kansrijk.programme.structure import programme_structure
from kansrijk.publication import (
    ORGANISATIONS,
    DisclosureError,
    DisclosurePolicy,
    Publication,
    check_public,
    internal_dir,
    protect,
    publish,
)

from .fixtures import year_facts

#: The module (the package attribute of that name is the function).
WRITERS = importlib.import_module("kansrijk.publication.publish")


@pytest.fixture(scope="module")
def results() -> ProgrammeResults:
    return compute_programme([year_facts(2020), year_facts(2021)])


def test_writes_results_and_manifest(results: ProgrammeResults, tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = publish_programme(results, out)
    assert list(files) == ["results.parquet", "results.csv", "results.xlsx", "manifest.json"]
    assert pq.read_table(files["results.parquet"]).equals(results.table)
    header = files["results.csv"].read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("indicator_id,edition,period_start")
    assert "suppression_reason" not in header
    manifest = json.loads(files["manifest.json"].read_text(encoding="utf-8"))
    assert manifest["run_id"] == results.table["run_id"][0].as_py()
    # The gate writes the policy, the audit and the hashes of the outputs.
    assert manifest["disclosure"]["policy"] == {
        "subject": "organisations",
        "threshold": 0,
        "protection_level": 0.0,
    }
    assert manifest["outputs"] == {
        name: hashlib.sha256(files[name].read_bytes()).hexdigest()
        for name in ("results.csv", "results.parquet", "results.xlsx")
    }
    assert manifest["reference_dates"]["2021"] == {
        "questionnaire": "2021-09-20",
        "registries": "2021-10-01",
    }
    assert set(manifest["definitions"]) == {
        "2019-01",
        "2019-02",
        "2019-03",
        "2019-04",
        "2019-05",
        "2019-06",
        "2019-09",
    }
    assert manifest["data_hashes"]["2020"]["2019-05"]
    assert manifest["software"]["kansrijk"] and manifest["published"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert (internal_dir(out) / "protection.parquet").is_file()

    from openpyxl import load_workbook

    book = load_workbook(files["results.xlsx"], read_only=True)
    assert {"2019-01", "2019-01rs", "2019-09", "definitions", "manifest"} <= set(book.sheetnames)


def test_read_back_through_the_gate(results: ProgrammeResults, tmp_path: Path) -> None:
    publish_programme(results, tmp_path / "out")
    publication = Publication.open(tmp_path / "out", basename=BASENAME)
    assert publication.results.equals(results.table)
    assert publication.policy.as_dict() == ORGANISATIONS.as_dict()
    assert publication.manifest["years"] == [2020, 2021]
    # A published file changed afterwards is refused.
    path = tmp_path / "out" / "results.parquet"
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(DisclosureError, match="changed since it was published"):
        Publication.open(tmp_path / "out", basename=BASENAME)


def test_person_policy_hides_what_organisations_publish(results: ProgrammeResults) -> None:
    # The figures hold counts below 10 (e.g. 1 of 4): publishable only as organisation counts.
    with pytest.raises(DisclosureError, match="below 10"):
        check_public(results.table, DisclosurePolicy())
    check_public(results.table, ORGANISATIONS)
    as_persons = protect(results.table, programme_structure(), DisclosurePolicy())
    assert all(as_persons.public["suppressed"].to_pylist())


def test_only_a_protected_table_is_published(results: ProgrammeResults, tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="takes a Protected"):
        publish(results.table, tmp_path / "out", manifest=results.manifest)
    assert list(tmp_path.iterdir()) == []


def test_failure_leaves_the_previous_publication(
    results: ProgrammeResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    first = publish_programme(results, out)
    before = {name: p.read_bytes() for name, p in first.items()}

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(WRITERS, "write_xlsx", broken)
    newer = compute_programme([year_facts(2021, voorzorg_offering=set())])
    with pytest.raises(OSError, match="disk full"):
        publish_programme(newer, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_failure_on_first_publication_leaves_nothing(
    results: ProgrammeResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(WRITERS, "write_csv", broken)
    with pytest.raises(OSError):
        publish_programme(results, tmp_path / "fresh")
    assert list((tmp_path / "fresh").iterdir()) == []

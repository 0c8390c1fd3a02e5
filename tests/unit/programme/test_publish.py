"""Publishing the programme indicators: the one path, the organisations policy, atomicity."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kansrijk.disclosure import DisclosureError, DisclosurePolicy, check_publishable, publish
from kansrijk.disclosure.policy import ORGANISATIONS
from kansrijk.programme import ProgrammeResults, compute_programme, publish_programme

from .fixtures import year_facts

#: The module (the package attribute of that name is the function).
WRITERS = importlib.import_module("kansrijk.disclosure.publish")


@pytest.fixture(scope="module")
def results() -> ProgrammeResults:
    return compute_programme([year_facts(2020), year_facts(2021)])


def test_writes_results_and_manifest(results: ProgrammeResults, tmp_path: Path) -> None:
    files = publish_programme(results, tmp_path / "out")
    assert [p.name for p in files] == [
        "results.parquet",
        "results.csv",
        "results.xlsx",
        "manifest.json",
    ]
    assert pq.read_table(files[0]).equals(results.table)
    header = files[1].read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("indicator_id,edition,period_start")
    manifest = json.loads(files[3].read_text(encoding="utf-8"))
    assert manifest["run_id"] == results.table["run_id"][0].as_py()
    assert manifest["disclosure_policy"] == {"subject": "organisations", "threshold": 0}
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
    assert manifest["software"]["kansrijk"] and manifest["created"]
    assert manifest["outputs"] == ["results.parquet", "results.csv", "results.xlsx"]
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]

    from openpyxl import load_workbook

    book = load_workbook(files[2], read_only=True)
    assert {"2019-01", "2019-01rs", "2019-09", "definitions", "manifest"} <= set(book.sheetnames)


def test_person_policy_refuses_what_organisations_accepts(results: ProgrammeResults) -> None:
    # The figures hold counts below 10 (e.g. 1 of 4): publishable only as organisation counts.
    with pytest.raises(DisclosureError, match="below 10"):
        check_publishable(results.table, DisclosurePolicy())
    check_publishable(results.table, ORGANISATIONS)


def test_publish_with_person_policy_writes_nothing(
    results: ProgrammeResults, tmp_path: Path
) -> None:
    with pytest.raises(DisclosureError):
        publish(results.table, tmp_path, policy=DisclosurePolicy())
    assert list(tmp_path.iterdir()) == []


def test_not_a_results_table_is_refused(results: ProgrammeResults, tmp_path: Path) -> None:
    broken = ProgrammeResults(
        table=results.table.drop_columns(["run_id"]), manifest=results.manifest
    )
    with pytest.raises(DisclosureError, match="not a results table"):
        publish_programme(broken, tmp_path)
    assert list(tmp_path.iterdir()) == []
    # a published row may not carry a suppression reason, whatever the threshold
    i = results.table.schema.get_field_index("suppression_reason")
    reason = pa.array(["x"] * len(results.table), pa.string())
    with pytest.raises(DisclosureError, match="suppression reason"):
        publish_programme(
            ProgrammeResults(results.table.set_column(i, "suppression_reason", reason)), tmp_path
        )


def test_failure_leaves_the_previous_publication(
    results: ProgrammeResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = publish_programme(results, tmp_path)
    before = {p.name: p.read_bytes() for p in first}

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(WRITERS, "write_xlsx", broken)
    newer = compute_programme([year_facts(2021, voorzorg_offering=set())])
    with pytest.raises(OSError, match="disk full"):
        publish_programme(newer, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_failure_on_first_publication_leaves_nothing(
    results: ProgrammeResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(WRITERS, "write_csv", broken)
    with pytest.raises(OSError):
        publish_programme(results, tmp_path / "fresh")
    assert list((tmp_path / "fresh").iterdir()) == []

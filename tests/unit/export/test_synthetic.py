"""Exports of a run of synthetic data say so: a first "lees mij" sheet and a manifest row in the
workbook, a tag and an extension on every FHIR MeasureReport (still valid resources); exports
of other runs are unchanged."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.measurereport import MeasureReport
from openpyxl import load_workbook

from kansrijk.export import bundle_for_region, fhir_bundle_bytes, workbook_bytes, write_ndjson
from kansrijk.export.fhir import SYNTHETIC_EXTENSION, SYNTHETIC_TAG
from kansrijk.export.workbook import RESULT_HEADERS
from kansrijk.publication import Publication
from kansrijk.report.labels import Lang, synthetic_banner

from .conftest import MANIFEST
from .reading import ndjson, workbook_cells, workbook_sheets


@pytest.fixture(scope="module")
def synthetic(tiny: Publication) -> Publication:
    return Publication.from_table(tiny.results, {**MANIFEST, "synthetic": True}, tiny.funnel)


@pytest.mark.parametrize(("lang", "sheet", "column"), [("nl", "lees mij", 0), ("en", "read me", 1)])
def test_workbook_opens_on_the_banner(
    synthetic: Publication, lang: Lang, sheet: str, column: int
) -> None:
    data = workbook_bytes(synthetic, lang=lang)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [sheet, "2019-07", "2019-15", "definitions", "manifest"]
    assert book.active is not None and book.active.title == sheet
    first = book[sheet]["A1"]
    assert first.value == synthetic_banner(lang)
    assert first.font.b
    # the indicator sheets are unchanged: row 1 holds the headers
    header = [c.value for c in book["2019-07"][1]]
    assert header == [h[column] for h in RESULT_HEADERS]
    book.close()


def test_workbook_manifest_says_synthetic(synthetic: Publication) -> None:
    rows = workbook_sheets(workbook_bytes(synthetic, lang="en"))["manifest"]
    row = next(r for r in rows if r["item"] == "synthetic data")
    assert row["value"] == "yes"
    assert row["detail"] == synthetic_banner("en")


def test_workbook_numbers_are_the_same(tiny: Publication, synthetic: Publication) -> None:
    ids = ["2019-07", "2019-15"]
    assert workbook_cells(workbook_bytes(synthetic, lang="en"), ids) == workbook_cells(
        workbook_bytes(tiny, lang="en"), ids
    )


def test_workbook_of_another_run_has_no_banner(tiny: Publication) -> None:
    for lang in ("nl", "en"):
        data = workbook_bytes(tiny, lang=lang)
        book = load_workbook(io.BytesIO(data), read_only=True)
        assert book.sheetnames == ["2019-07", "2019-15", "definitions", "manifest"]
        book.close()
        rows = workbook_sheets(data)["manifest"]
        assert not any("synthet" in str(r).lower() for r in rows)


def _marked(report: dict[str, Any], lang: Lang) -> bool:
    MeasureReport.model_validate(report)
    tags = report.get("meta", {}).get("tag", [])
    texts = [
        e["valueString"] for e in report.get("extension", []) if e["url"] == SYNTHETIC_EXTENSION
    ]
    return tags == [SYNTHETIC_TAG] and texts == [synthetic_banner(lang)]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_measure_report_is_marked_and_valid(synthetic: Publication, lang: Lang) -> None:
    buffer = io.BytesIO()
    count = write_ndjson(synthetic, buffer, regions="all", lang=lang)
    reports = ndjson(buffer.getvalue())
    assert count == len(reports) > 0
    assert all(_marked(r, lang) for r in reports)


def test_bundle_is_marked_and_valid(synthetic: Publication) -> None:
    bundle = bundle_for_region(synthetic, "GM0363", comparison=True)
    Bundle.model_validate(bundle)
    assert bundle["meta"]["tag"] == [SYNTHETIC_TAG]
    assert all(_marked(e["resource"], "nl") for e in bundle["entry"])
    download = json.loads(fhir_bundle_bytes(synthetic, "GM0363", comparison=True))
    assert download == bundle


def test_reports_of_another_run_are_unmarked(tiny: Publication) -> None:
    bundle = bundle_for_region(tiny, "GM0363", comparison=True)
    assert "meta" not in bundle
    for entry in bundle["entry"]:
        assert "meta" not in entry["resource"] and "extension" not in entry["resource"]

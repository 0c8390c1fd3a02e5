"""FHIR MeasureReports: valid R4B resources whose counts and scores are the table's."""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.measurereport import MeasureReport

from kansrijk.export import bundle_for_region, measure_report, write_ndjson
from kansrijk.export.fhir import CI_EXTENSION, DATA_ABSENT_REASON, REGION_SYSTEM
from kansrijk.publication import Publication

from .reading import FhirKey, fhir_cells, ndjson


def _totals(tiny: Publication, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    t = tiny.results
    keep = pc.and_(
        pc.equal(t["breakdown"], "total"),
        pc.is_in(t["region_type"], value_set=pa.array(list(kinds))),
    )
    rows: list[dict[str, Any]] = t.filter(keep).to_pylist()
    return rows


def _check_against_table(
    tiny: Publication, cells: dict[FhirKey, dict[str, Any]], *, only: set[str] | None = None
) -> int:
    """Every table cell of the exported regions is in ``cells`` with the same numbers."""
    checked = 0
    for row in tiny.results.to_pylist():
        if row["region_type"] == "unknown" or (only and row["region_code"] not in only):
            continue
        key = (
            row["indicator_id"],
            row["period_start"],
            row["period_end"],
            row["region_code"],
            row["breakdown"],
            row["breakdown_value"],
        )
        got = cells[key]
        if row["suppressed"]:
            assert got["masked_counts"] == 3 and got["masked_score"], key
            assert got["numbers"] == [None, None, None, None], key
        else:
            assert got["numerator"] == row["numerator"], key
            assert got["denominator"] == got["initial"] == row["denominator"], key
            assert got["value"] == row["value"], key
            assert (got["ci_low"], got["ci_high"]) == (row["ci_low"], row["ci_high"]), key
            assert got["masked_counts"] == 0 and not got["masked_score"], key
        checked += 1
    return checked


def test_reports_validate_and_match_the_table(tiny: Publication) -> None:
    reports = []
    for row in _totals(tiny, ("gemeente", "province", "nl")):
        period = (row["period_start"], row["period_end"])
        report = measure_report(tiny, str(row["indicator_id"]), str(row["region_code"]), period)
        MeasureReport.model_validate(report)
        reports.append(report)
    cells = fhir_cells(reports)
    assert _check_against_table(tiny, cells) == tiny.results.num_rows
    assert len(cells) == tiny.results.num_rows


def test_report_structure(tiny: Publication) -> None:
    report = measure_report(tiny, "2019-15", "PV27", (2016, 2020))
    assert report["status"] == "complete"
    assert report["type"] == "summary"
    assert report["measure"] == "https://kansrijk.nl/fhir/Measure/2019-15|" + (
        tiny.indicator("2019-15").version
    )
    assert report["period"] == {"start": "2016-01-01", "end": "2020-12-31"}
    assert report["subject"]["identifier"] == {"system": REGION_SYSTEM, "value": "PV27"}
    assert report["subject"]["display"] == "Noord-Holland"
    assert report["improvementNotation"]["coding"][0]["code"] == "decrease"
    group = report["group"][0]
    assert [p["code"]["coding"][0]["code"] for p in group["population"]] == [
        "initial-population",
        "denominator",
        "numerator",
    ]
    score = group["measureScore"]
    assert (score["system"], score["code"]) == ("http://unitsofmeasure.org", "/1000")
    assert score["extension"][0]["url"] == CI_EXTENSION
    (stratifier,) = group["stratifier"]
    assert stratifier["code"][0]["coding"][0]["code"] == "income_p10"
    assert [s["value"]["coding"][0]["code"] for s in stratifier["stratum"]] == ["<P10", ">=P10"]
    assert all("value" in s["measureScore"] for s in stratifier["stratum"])
    # Groningen (GM0014 alone) in 2019: both strata are hidden in the tiny run, no numbers
    hidden = measure_report(tiny, "2019-15", "PV20", 2019)
    (stratifier,) = hidden["group"][0]["stratifier"]
    for stratum in stratifier["stratum"]:
        assert "measureScore" in stratum and "value" not in stratum["measureScore"]
        assert stratum["measureScore"]["extension"] == [
            {"url": DATA_ABSENT_REASON, "valueCode": "masked"}
        ]
        assert all("count" not in p for p in stratum["population"])
    percent = measure_report(tiny, "2019-07", "GM0363", 2019)
    assert percent["group"][0]["measureScore"]["code"] == "%"
    assert "stratifier" not in percent["group"][0]  # municipalities have totals only


def test_hidden_total_is_masked(tiny: Publication) -> None:
    report = measure_report(tiny, "2019-07", "GM0362", 2020)
    group = report["group"][0]
    assert group["measureScore"] == {
        "extension": [{"url": DATA_ABSENT_REASON, "valueCode": "masked"}]
    }
    assert all(
        "count" not in p and p["_count"]["extension"][0]["valueCode"] == "masked"
        for p in group["population"]
    )


def test_missing_cells_raise(tiny: Publication) -> None:
    with pytest.raises(KeyError):
        measure_report(tiny, "2019-07", "GM0363", 2015)
    with pytest.raises(KeyError):
        measure_report(tiny, "2019-99", "GM0363", 2019)


def test_bundle_for_region(tiny: Publication) -> None:
    bundle = bundle_for_region(tiny, "GM0363")
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    reports = [e["resource"] for e in bundle["entry"]]
    assert len(reports) == 6  # 2 indicators x (2 years + 1 pooled window)
    assert {r["subject"]["identifier"]["value"] for r in reports} == {"GM0363"}
    assert len({e["fullUrl"] for e in bundle["entry"]}) == 6
    assert _check_against_table(tiny, fhir_cells(reports), only={"GM0363"}) == 6
    compared = bundle_for_region(tiny, "GM0363", comparison=True)
    Bundle.model_validate(compared)
    regions = {e["resource"]["subject"]["identifier"]["value"] for e in compared["entry"]}
    assert regions == {"GM0363", "PV27", "NL01"}
    assert all("stratifier" not in e["resource"]["group"][0] for e in compared["entry"])
    assert bundle_for_region(tiny, "GM0363") == bundle  # deterministic


def test_ndjson_has_one_valid_report_per_line(tiny: Publication) -> None:
    buffer = io.BytesIO()
    count = write_ndjson(tiny, buffer)
    reports = ndjson(buffer.getvalue())
    assert count == len(reports) == 3 * 6  # municipalities only by default
    assert {r["subject"]["identifier"]["value"] for r in reports} == {
        "GM0363",
        "GM0362",
        "GM0014",
    }
    for report in reports:
        MeasureReport.model_validate(report)
    buffer = io.BytesIO()
    assert write_ndjson(tiny, buffer, regions="all") == 6 * 6
    everything = fhir_cells(ndjson(buffer.getvalue()))
    assert _check_against_table(tiny, everything) == tiny.results.num_rows

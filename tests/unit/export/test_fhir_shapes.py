"""FHIR reports are validated per shape: a broken shape or value still fails the export."""

from __future__ import annotations

import io
import json
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pydantic
import pytest
from fhir.resources.R4B.measurereport import MeasureReport

from kansrijk.export import _common, bundle_for_region, fhir, measure_reports, write_ndjson
from kansrijk.publication import Publication
from kansrijk.report.labels import Lang

from .reading import ndjson


def _all(tiny: Publication) -> list[dict[str, Any]]:
    return list(measure_reports(tiny, regions="all"))


def _replace(table: pa.Table, column: str, row: int, value: object) -> pa.Table:
    """``table`` with one cell of ``column`` replaced."""
    values = table[column].to_pylist()
    values[row] = value
    index = table.column_names.index(column)
    return table.set_column(index, column, pa.array(values, table.schema.field(column).type))


def _first_row(table: pa.Table, **where: object) -> int:
    mask = None
    for column, value in where.items():
        cond = pc.equal(table[column], value)
        mask = cond if mask is None else pc.and_(mask, cond)
    assert mask is not None
    return int(pc.index(mask, True).as_py())


def test_every_report_passes_the_full_model(tiny: Publication) -> None:
    """What per-shape validation lets through, validating every report also accepts."""
    reports = _all(tiny)
    assert len(reports) > 20
    for report in reports:
        MeasureReport.model_validate(report)


def test_fewer_shapes_than_reports(tiny: Publication) -> None:
    validator = fhir.ShapeValidator()
    count = 0
    for shape, _, report in fhir._Builder(tiny, "nl").reports(None, fhir.REPORT_REGION_TYPES):
        validator.check(shape, report)
        count += 1
    assert 1 < validator.shapes < count


def test_a_broken_template_fails_the_export(
    tiny: Publication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Break the template of one form only (a stratum with a hidden score): the shapes that
    hold such a stratum are validated, so the export fails."""
    original = fhir._Builder._score

    def broken(self: fhir._Builder, row: tuple[Any, ...]) -> dict[str, Any]:
        score = original(self, row)
        if row[5] != "total" and "value" not in score:
            return {"value": "verborgen"}  # a decimal must be a number
        return score

    monkeypatch.setattr(fhir._Builder, "_score", broken)
    with pytest.raises(pydantic.ValidationError):
        write_ndjson(tiny, io.BytesIO(), regions="all")
    with pytest.raises(pydantic.ValidationError):
        bundle_for_region(tiny, "PV20")  # Groningen's strata are hidden in the tiny run
    # a region whose reports hold no such stratum still exports
    write_ndjson(tiny, io.BytesIO(), regions="municipalities")


def test_a_broken_value_fails_the_export(tiny: Publication) -> None:
    """Values differ within a shape, so each distinct one is checked against its type."""
    t = tiny.results
    row = _first_row(t, region_type="province", breakdown="income_p10")
    with pytest.raises(pydantic.ValidationError):  # a code has no leading space
        write_ndjson(
            tiny, io.BytesIO(), table=_replace(t, "breakdown_value", row, " <P10"), regions="all"
        )
    row = _first_row(t, region_type="gemeente", suppressed=False)
    with pytest.raises(ValueError, match="finite"):
        write_ndjson(tiny, io.BytesIO(), table=_replace(t, "ci_high", row, float("inf")))
    with pytest.raises(ValueError, match="integer range"):
        write_ndjson(tiny, io.BytesIO(), table=_replace(t, "denominator", row, 2**31))
    with pytest.raises(ValueError, match="no year"):
        write_ndjson(tiny, io.BytesIO(), table=_replace(t, "period_start", row, 0))


def test_a_broken_region_name_fails_the_export(
    tiny: Publication, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = _common.region_name

    def name(published: Publication, code: str, lang: Lang) -> str:
        return "" if code == "GM0363" else real(published, code, lang)

    monkeypatch.setattr(fhir, "region_name", name)
    with pytest.raises(pydantic.ValidationError):
        write_ndjson(tiny, io.BytesIO())


def test_sample_keeps_one_stratum_per_form(tiny: Publication) -> None:
    report = next(
        r
        for r in _all(tiny)
        if r["subject"]["identifier"]["value"] == "NL01" and "stratifier" in r["group"][0]
    )
    (stratifier,) = report["group"][0]["stratifier"]
    assert len(stratifier["stratum"]) == 2  # both income groups, both shown
    (sampled,) = fhir._sample(report)["group"][0]["stratifier"]
    assert sampled["stratum"] == stratifier["stratum"][:1]
    assert len(report["group"][0]["stratifier"][0]["stratum"]) == 2  # not changed in place


def test_ndjson_is_python_json(tiny: Publication) -> None:
    """The fast serialiser writes what ``json.dumps`` would (compact, UTF-8 as is)."""
    buffer = io.BytesIO()
    write_ndjson(tiny, buffer, regions="all", lang="nl")
    lines = buffer.getvalue().splitlines()
    reports = ndjson(buffer.getvalue())
    assert len(lines) == len(reports) > 0
    for line, report in zip(lines, reports, strict=True):
        text = json.dumps(report, ensure_ascii=False, separators=(",", ":"))
        assert line == text.encode()


def test_small_numbers_are_written_positionally() -> None:
    """The one difference from ``json.dumps``: numbers below 1e-4, the same JSON number."""
    data = fhir._dumps({"value": 2.5e-05, "name": "Súdwest-Fryslân"})
    assert data == '{"value":0.000025,"name":"Súdwest-Fryslân"}'.encode()
    assert json.loads(data) == {"value": 2.5e-05, "name": "Súdwest-Fryslân"}

"""The Excel workbook: its sheets, its numbers (equal to the table) and its hidden cells."""

from __future__ import annotations

import pytest

from kansrijk.export import Lang, workbook_bytes
from kansrijk.export.workbook import DEFINITION_HEADERS, RESULT_HEADERS
from kansrijk.publication import Publication

from .reading import table_cells, workbook_cells, workbook_sheets

NUMBERS = ("value", "95% CI low", "95% CI high", "numerator", "denominator")
COLUMNS = {"value": "value", "95% CI low": "ci_low", "95% CI high": "ci_high"}


def test_one_sheet_per_indicator_then_definitions_and_manifest(tiny: Publication) -> None:
    sheets = workbook_sheets(workbook_bytes(tiny))
    assert list(sheets) == ["2019-07", "2019-15", "definitions", "manifest"]


def test_headers_are_dutch_by_default_and_english_on_request(tiny: Publication) -> None:
    import io

    from openpyxl import load_workbook

    languages: tuple[tuple[Lang, int], ...] = (("nl", 0), ("en", 1))
    for lang, i in languages:
        book = load_workbook(io.BytesIO(workbook_bytes(tiny, lang=lang)), read_only=True)
        first = next(book["2019-07"].iter_rows(values_only=True))
        assert list(first) == [h[i] for h in RESULT_HEADERS]
        first = next(book["definitions"].iter_rows(values_only=True))
        assert list(first) == [h[i] for h in DEFINITION_HEADERS]
        book.close()


def test_values_equal_the_results_table(tiny: Publication) -> None:
    shown = workbook_cells(workbook_bytes(tiny, lang="en"), ["2019-07", "2019-15"])
    expected = table_cells(tiny.results)
    assert shown.keys() == expected.keys()
    for key, row in shown.items():
        cell = expected[key]
        assert row["numerator"] == cell["numerator"], key
        assert row["denominator"] == cell["denominator"], key
        for header, column in COLUMNS.items():
            if cell[column] is None:
                assert row[header] is None, key
            else:
                assert row[header] == pytest.approx(cell[column], rel=1e-12), key
        assert row["unit"] == cell["unit"]
        assert (
            row["region type"]
            == {"gemeente": "municipality", "province": "province", "nl": "country"}[
                cell["region_type"]
            ]
        )


def test_hidden_cells_are_marked_and_carry_no_numbers(tiny: Publication) -> None:
    shown = workbook_cells(workbook_bytes(tiny, lang="en"), ["2019-07", "2019-15"])
    expected = table_cells(tiny.results)
    hidden = {k for k, c in expected.items() if c["suppressed"]}
    assert hidden, "the tiny run must have hidden cells"
    for key, row in shown.items():
        if key in hidden:
            assert row["status"] == "hidden (privacy)"
            assert all(row[h] is None for h in NUMBERS), key
        else:
            assert row["status"] is None
            assert all(row[h] is not None for h in NUMBERS), key
    dutch = workbook_sheets(workbook_bytes(tiny))["2019-07"]
    assert {r["status"] for r in dutch} == {None, "verborgen (privacy)"}


def test_rows_are_sorted_by_period_then_region(tiny: Publication) -> None:
    rows = workbook_sheets(workbook_bytes(tiny, lang="en"))["2019-07"]
    periods = list(dict.fromkeys(r["period"] for r in rows))
    assert periods == ["2019", "2020", "2016-2020"]
    first = [r for r in rows if r["period"] == "2019"]
    assert [r["region code"] for r in first] == [
        "NL01",
        "NL01",
        "NL01",
        "PV20",
        "PV20",
        "PV20",
        "PV27",
        "PV27",
        "PV27",
        "GM0014",
        "GM0362",
        "GM0363",
    ]
    assert [r["breakdown value"] for r in first[:3]] == [
        "total",
        "below 10th percentile",
        "10th percentile or above",
    ]
    names = {r["region code"]: r["region name"] for r in rows}
    assert names["GM0363"] == "Amsterdam"
    assert names["PV27"] == "Noord-Holland"
    assert names["NL01"] == "Netherlands"


def test_definitions_sheet_has_one_row_per_indicator(tiny: Publication) -> None:
    rows = workbook_sheets(workbook_bytes(tiny, lang="en"))["definitions"]
    assert [r["indicator"] for r in rows] == ["2019-07", "2019-15"]
    by_id = {r["indicator"]: r for r in rows}
    d = tiny.indicator("2019-15")
    assert by_id["2019-15"]["version"] == d.version
    assert by_id["2019-15"]["title (en)"] == d.title_en
    assert by_id["2019-15"]["unit"] == "per 1,000"
    assert by_id["2019-07"]["direction"] == "lower is better"
    assert by_id["2019-07"]["definition hash"] == "hash-2019-07"
    assert by_id["2019-07"]["pooled over (years)"] == 5


def test_manifest_sheet_describes_the_run(tiny: Publication) -> None:
    rows = workbook_sheets(workbook_bytes(tiny, lang="en"))["manifest"]
    values = {r["item"]: r["value"] for r in rows}
    assert values["run id"] == "tinyrun"
    assert values["editions"] == "2021"
    assert values["years"] == "2019-2020"
    assert values["classification year"] == "2023"
    assert values["threshold (disclosure control)"] == "10"
    assert values["finished"] == "2024-01-01T00:01:00+00:00"
    assert values["software: kansrijk"] == "0.1.0"
    births = next(r for r in rows if r["item"] == "input: births")
    assert births["value"] == "ab" * 32
    assert births["detail"] == "births/part-0.parquet"


def test_municipality_workbook_holds_it_its_province_and_nl(tiny: Publication) -> None:
    data = workbook_bytes(tiny, municipality="GM0363", lang="en")
    sheets = workbook_sheets(data)
    codes = {r["region code"] for name in ("2019-07", "2019-15") for r in sheets[name]}
    assert codes == {"GM0363", "PV27", "NL01"}
    # the municipality has totals only, so the comparison rows are totals too
    assert {r["breakdown"] for r in sheets["2019-07"]} == {"total"}
    manifest = {r["item"]: r for r in sheets["manifest"]}
    assert manifest["municipality (selection)"]["value"] == "GM0363"
    assert manifest["municipality (selection)"]["detail"] == "Amsterdam"


def test_unknown_municipality_and_language_are_refused(tiny: Publication) -> None:
    with pytest.raises(KeyError):
        workbook_bytes(tiny, municipality="GM9999")
    with pytest.raises(KeyError):
        workbook_bytes(tiny, municipality="PV27")
    with pytest.raises(ValueError, match="language"):
        workbook_bytes(tiny, lang="fr")  # type: ignore[arg-type]


def test_the_dutch_definitions_sheet_is_dutch(tiny: Publication) -> None:
    """Dutch headers over Dutch text: definitions, deviations and region rule as the Dutch
    factsheet prints them; the English workbook keeps the catalogue's English."""
    from kansrijk.report.definitions_nl import dutch_definition
    from kansrijk.report.deviations_nl import deviations

    from ..report.english import english_words

    nl = {r["indicator"]: r for r in workbook_sheets(workbook_bytes(tiny))["definitions"]}
    en = {
        r["indicator"]: r for r in workbook_sheets(workbook_bytes(tiny, lang="en"))["definitions"]
    }
    for d in tiny.indicators:
        dutch = dutch_definition(d.id, d.version)
        row = nl[d.id]
        assert row["populatie"] == dutch.population
        assert row["teller"] == dutch.numerator
        assert row["tijdsreferentie"] == dutch.time_reference
        assert row["afwijkingen"] == "\n".join(x.text for x in deviations(d, "nl"))
        assert all(x.lang == "nl" for x in deviations(d, "nl"))
        for column in ("populatie", "teller", "noemer", "tijdsreferentie", "regioregel",
                       "afwijkingen"):  # fmt: skip
            assert not english_words(str(row[column] or "")), (d.id, column, row[column])
        assert en[d.id]["deviations"] == "\n".join(d.deviations)
        assert en[d.id]["population"] == d.population
    assert nl["2019-07"]["afwijkingen"] and "RIVM" in nl["2019-07"]["afwijkingen"]
    assert nl["2019-07"]["regioregel"].startswith("adres van de moeder")

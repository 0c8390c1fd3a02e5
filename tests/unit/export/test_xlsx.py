"""The workbook writer: formats users get (bold frozen headers, widths, one decimal, the banner)
and cells that read back to 15 significant digits (what Excel keeps), read with openpyxl."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kansrijk.export import _xlsx as xlsx
from kansrijk.export import workbook_bytes
from kansrijk.export.workbook import RESULT_HEADERS
from kansrijk.publication import Publication

from .reading import table_cells, workbook_cells


def test_workbook_formats(tiny: Publication) -> None:
    book = load_workbook(io.BytesIO(workbook_bytes(tiny, lang="en")))
    assert book.sheetnames == ["2019-07", "2019-15", "definitions", "manifest"]
    sheet = book["2019-07"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == [h[1] for h in RESULT_HEADERS]
    assert all(c.font.b for c in sheet[1])
    assert sheet.column_dimensions["D"].width == pytest.approx(28, abs=1)  # plus padding
    decimals = {"G", "H", "I"}  # value and its 95% interval
    shown = 0
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.value is None:
                continue
            expected = "0.0" if cell.column_letter in decimals else "General"
            assert cell.number_format == expected, cell.coordinate
            assert not cell.font.b
            shown += cell.column_letter in decimals
    assert shown > 0
    for name in ("definitions", "manifest"):
        assert book[name].freeze_panes == "A2"
        assert all(c.font.b for c in book[name][1])
    book.close()


def test_values_read_back_to_excel_precision(tiny: Publication) -> None:
    """Floats are written with ``repr``: each reads back as the same double."""
    shown = workbook_cells(workbook_bytes(tiny, lang="en"), ["2019-07", "2019-15"])
    table = table_cells(tiny.results)
    assert len(shown) == len(table)
    for key, row in table.items():
        for header, column in (("value", "value"), ("95% CI low", "ci_low")):
            expected = row[column]
            assert shown[key][header] == (
                expected if expected is None else pytest.approx(expected, rel=1e-15)
            ), key
        assert shown[key]["numerator"] == row["numerator"], key


def test_banner_style() -> None:
    buffer = io.BytesIO()
    with xlsx.Workbook(buffer) as book:
        book.sheet("lees mij", [["Synthetisch"]], widths=[110], styles=[xlsx.BANNER])
    sheet = load_workbook(buffer)["lees mij"]
    cell = sheet["A1"]
    assert cell.value == "Synthetisch"
    assert cell.font.b and cell.font.sz == 14 and cell.font.color.rgb.endswith("A3220F")
    assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("FDECEA")
    assert cell.alignment.wrap_text
    assert sheet.column_dimensions["A"].width == pytest.approx(110, abs=1)
    assert sheet.freeze_panes is None


def test_cells_round_trip() -> None:
    rows: list[list[object]] = [
        ["a < b & c > d", " spaced ", "twee\nregels", "Súdwest-Fryslân", None, "end"],
        [0, -3, 2**40, 0.1 + 0.2, 2.5e-05, True],
    ]
    buffer = io.BytesIO()
    with xlsx.Workbook(buffer) as book:
        book.sheet("data & more", rows, header=["h1", "h2", "h3", "h4", "h5", "h6"])
    sheet = load_workbook(buffer)["data & more"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0] == rows[0]
    assert values[1] == pytest.approx(rows[1], rel=1e-15)


@pytest.mark.parametrize(
    ("title", "rows"),
    [
        ("ok", [["bell \x07"]]),  # XML 1.0 has no such character
        ("ok", [[float("nan")]]),
        ("ok", [[object()]]),
        ("a/b", []),
        ("x" * 32, []),
    ],
)
def test_refuses_what_excel_cannot_read(title: str, rows: list[list[object]]) -> None:
    with pytest.raises((ValueError, TypeError)), xlsx.Workbook(io.BytesIO()) as book:
        book.sheet(title, rows)


def test_refuses_a_duplicate_sheet() -> None:
    with pytest.raises(ValueError, match="duplicate"), xlsx.Workbook(io.BytesIO()) as book:
        book.sheet("Blad", [])
        book.sheet("blad", [])


def test_same_workbook_same_bytes(tiny: Publication) -> None:
    assert workbook_bytes(tiny) == workbook_bytes(tiny)

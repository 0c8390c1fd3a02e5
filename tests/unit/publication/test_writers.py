"""The gate's Excel writer (XlsxWriter, streamed): sheets, types, text that stays text."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from openpyxl import load_workbook

from kansrijk.publication.writers import write_xlsx


def _table() -> pa.Table:
    return pa.table(
        {
            "indicator_id": ["2019-07", "2019-07", "2019-08"],
            "region_code": ["GM0363", '=HYPERLINK("http://x")', "0012"],
            "value": [12.5, None, 3.0],
            "numerator": [25, None, 3],
            "suppressed": [False, True, False],
        }
    )


def test_one_sheet_per_indicator_with_types_kept(tmp_path: Path) -> None:
    path = tmp_path / "results.xlsx"
    write_xlsx(_table(), path, extra_sheets={"definitions": pa.table({"id": ["2019-07"]})})
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["2019-07", "2019-08", "definitions"]
    rows = [list(r) for r in book["2019-07"].iter_rows(values_only=True)]
    assert rows[0] == ["indicator_id", "region_code", "value", "numerator", "suppressed"]
    assert rows[1] == ["2019-07", "GM0363", 12.5, 25, False]
    # a formula-like value is text, a null is an empty cell
    assert rows[2] == ["2019-07", '=HYPERLINK("http://x")', None, None, True]
    # a number-like code stays text with its leading zero
    assert [list(r) for r in book["2019-08"].iter_rows(values_only=True)][1][1] == "0012"
    formula_cell = load_workbook(path)["2019-07"]["B3"]
    assert formula_cell.data_type == "s"


def test_bad_text_and_sheet_names_are_refused(tmp_path: Path) -> None:
    bad = _table().set_column(1, "region_code", pa.array(["a\x01b", "c", "d"]))
    with pytest.raises(ValueError, match=r"row 2: control character in region_code"):
        write_xlsx(bad, tmp_path / "bad.xlsx")
    clash = _table().set_column(0, "indicator_id", pa.array(["A", "a", "b"]))
    with pytest.raises(ValueError, match="duplicate Excel sheet names"):
        write_xlsx(clash, tmp_path / "clash.xlsx")

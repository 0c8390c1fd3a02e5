"""The publishing path: refusal of unsafe tables, deterministic and atomic files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from kansrijk.disclosure import (
    DisclosureError,
    DisclosurePolicy,
    apply_disclosure,
    check_publishable,
    publish,
)

from .synthetic import Layout, random_cells

LAYOUT = Layout(
    provinces=[["GM0001", "GM0002"], ["GM0003"]],
    years=[2019, 2020, 2021],
    breakdown_values=["low", "high"],
    pooled=[(2019, 2021)],
)


@pytest.fixture(scope="module")
def cells() -> pa.Table:
    return random_cells(np.random.default_rng(7), LAYOUT, 2, 40.0)


@pytest.fixture(scope="module")
def disclosed(cells: pa.Table) -> pa.Table:
    out = apply_disclosure(cells, LAYOUT.hierarchy())
    assert 0 < sum(out["suppressed"].to_pylist()) < out.num_rows  # both kinds present
    return out


def _set(table: pa.Table, name: str, values: list[object]) -> pa.Table:
    i = table.schema.get_field_index(name)
    return table.set_column(i, table.schema.field(i), pa.array(values, table.schema.field(i).type))


def test_disclosed_table_is_publishable(disclosed: pa.Table) -> None:
    check_publishable(disclosed, hierarchy=LAYOUT.hierarchy())


def test_raw_table_is_refused(cells: pa.Table) -> None:
    with pytest.raises(DisclosureError, match="below 10"):
        check_publishable(cells)


def test_tampered_tables_are_refused(disclosed: pa.Table, cells: pa.Table) -> None:
    hidden = disclosed["suppressed"].to_pylist()
    first_hidden = hidden.index(True)
    # a suppressed row that carries its numerator again
    numerators = disclosed["numerator"].to_pylist()
    numerators[first_hidden] = cells["numerator"][first_hidden].as_py()
    with pytest.raises(DisclosureError, match="still carry numerator"):
        check_publishable(_set(disclosed, "numerator", numerators))
    # a hidden row marked published again (numbers still null)
    flags = list(hidden)
    flags[first_hidden] = False
    with pytest.raises(DisclosureError, match="missing"):
        check_publishable(_set(disclosed, "suppressed", flags))
    # a secondary cell restored in full: counts fine, but its group now has one hidden cell
    reasons = disclosed["suppression_reason"].to_pylist()
    row = next(i for i, r in enumerate(reasons) if r and r.startswith("secondary"))
    restored = pa.concat_tables(
        [disclosed.slice(0, row), cells.slice(row, 1), disclosed.slice(row + 1)]
    )
    check_publishable(restored)  # the cell-level rules alone cannot see it ...
    with pytest.raises(DisclosureError, match="exactly one hidden cell"):
        check_publishable(restored, hierarchy=LAYOUT.hierarchy())  # ... the groups can
    # not the results schema
    with pytest.raises(DisclosureError, match="not a results table"):
        check_publishable(disclosed.append_column("bsn", pa.array(["x"] * disclosed.num_rows)))
    with pytest.raises(DisclosureError, match="types"):
        check_publishable(disclosed.set_column(1, "edition", disclosed["edition"].cast(pa.int64())))


def test_a_stricter_policy_refuses_what_the_default_allows(disclosed: pa.Table) -> None:
    with pytest.raises(DisclosureError, match="below 50"):
        check_publishable(disclosed, DisclosurePolicy(threshold=50))


def test_publish_refuses_and_writes_nothing(tmp_path: Path, cells: pa.Table) -> None:
    with pytest.raises(DisclosureError):
        publish(cells, tmp_path / "out", formats=("parquet", "csv"))
    assert not (tmp_path / "out").exists()


def test_parquet_is_deterministic_and_round_trips(tmp_path: Path, disclosed: pa.Table) -> None:
    first = publish(disclosed, tmp_path / "a", formats=("parquet",))
    second = publish(disclosed, tmp_path / "b", formats=("parquet",))
    assert [p.name for p in first] == ["results.parquet"]
    assert first[0].read_bytes() == second[0].read_bytes()
    assert pq.read_table(first[0]) == disclosed
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["results.parquet"]  # no temps


def test_csv_is_plain_and_in_row_order(tmp_path: Path, disclosed: pa.Table) -> None:
    (path,) = publish(disclosed, tmp_path, formats=("csv",), basename="monitor")
    assert path.name == "monitor.csv"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(disclosed.column_names)
    back = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types=disclosed.schema))
    assert back["region_code"] == disclosed["region_code"]
    assert back["numerator"] == disclosed["numerator"]
    assert back["value"] == disclosed["value"]
    assert back["suppressed"] == disclosed["suppressed"]
    assert ";" not in text.splitlines()[1]


def test_unknown_format_is_refused(tmp_path: Path, disclosed: pa.Table) -> None:
    with pytest.raises(ValueError, match="unknown formats"):
        publish(disclosed, tmp_path, formats=("json",))


def test_xlsx_has_a_sheet_per_indicator_and_extras(tmp_path: Path, disclosed: pa.Table) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    manifest = pa.table({"key": ["run_id"], "value": ["run-1"]})
    (path,) = publish(disclosed, tmp_path, formats=("xlsx",), extra_sheets={"manifest": manifest})
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["1", "2", "manifest"]
    rows = list(book["1"].iter_rows(values_only=True))
    assert list(rows[0]) == disclosed.column_names
    assert len(rows) - 1 == sum(v == "1" for v in disclosed["indicator_id"].to_pylist())
    assert list(book["manifest"].iter_rows(values_only=True)) == [
        ("key", "value"),
        ("run_id", "run-1"),
    ]

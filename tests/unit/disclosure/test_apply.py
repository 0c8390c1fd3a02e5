"""apply_disclosure's contract: what goes in, what comes out, what is refused."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kansrijk.disclosure import RESULTS_SCHEMA, additive_groups, apply_disclosure

from .synthetic import NO_HIERARCHY, Cell, hierarchy_of, literal_cells

CELLS = [
    Cell(75, 300),
    Cell(5, 100, breakdown="income", breakdown_value="low"),
    Cell(70, 200, breakdown="income", breakdown_value="high"),
]


def test_hidden_cells_lose_every_number_and_published_keep_theirs() -> None:
    cells = literal_cells(CELLS)
    out = apply_disclosure(cells, NO_HIERARCHY)
    assert out.schema == RESULTS_SCHEMA
    assert out["suppressed"].to_pylist() == [False, True, True]
    for name in ("numerator", "denominator", "value", "ci_low", "ci_high"):
        assert out[name].to_pylist()[1:] == [None, None]
        assert out[name][0] == cells[name][0]
    assert out["run_id"] == cells["run_id"]


def test_schema_metadata_is_kept() -> None:
    cells = literal_cells(CELLS).replace_schema_metadata({"source": "test"})
    assert apply_disclosure(cells, NO_HIERARCHY).schema.metadata == {b"source": b"test"}


def test_refuses_suppressed_or_duplicated_or_incomplete_input() -> None:
    cells = literal_cells(CELLS)
    already = cells.set_column(
        cells.schema.get_field_index("suppressed"), "suppressed", pa.array([True, False, False])
    )
    with pytest.raises(ValueError, match="unsuppressed"):
        apply_disclosure(already, NO_HIERARCHY)
    with pytest.raises(ValueError, match="not unique"):
        apply_disclosure(pa.concat_tables([cells, cells.slice(0, 1)]), NO_HIERARCHY)
    with pytest.raises(ValueError, match="columns"):
        apply_disclosure(cells.drop_columns(["run_id"]), NO_HIERARCHY)
    missing = cells.set_column(
        cells.schema.get_field_index("numerator"), "numerator", pa.array([1, None, 2], pa.int64())
    )
    with pytest.raises(ValueError, match="nulls"):
        apply_disclosure(missing, NO_HIERARCHY)
    mixed = literal_cells([Cell(20, 100, breakdown="income")])
    with pytest.raises(ValueError, match="both"):
        apply_disclosure(mixed, NO_HIERARCHY)


def test_hierarchy_must_be_a_tree() -> None:
    two_parents = hierarchy_of(
        [("gemeente", "GM0001", "province", "PV20"), ("gemeente", "GM0001", "province", "PV21")]
    )
    with pytest.raises(ValueError, match="more than one parent"):
        apply_disclosure(literal_cells(CELLS), two_parents)


def test_groups_are_built_from_keys_alone() -> None:
    # The same groups from the disclosed table (numbers hidden) as from the input.
    cells = literal_cells(CELLS)
    before = additive_groups(cells, NO_HIERARCHY)
    after = additive_groups(apply_disclosure(cells, NO_HIERARCHY), NO_HIERARCHY)
    assert before.parent.tolist() == after.parent.tolist() == [0]
    assert sorted(before.child_row.tolist()) == sorted(after.child_row.tolist()) == [1, 2]
    assert pc.sum(apply_disclosure(cells, NO_HIERARCHY)["suppressed"]).as_py() == 2

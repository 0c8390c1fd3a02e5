"""The local rules of secondary suppression on unions: a union of nearly disjoint parts is a
sum, so a part hidden alone beside its published union and siblings is pinned from below.

At scale 1.0, WSNP debt restructuring (2019-08b) and payment arrears (2019-08a) barely
overlap: "debts" less the published arrears gave each hidden WSNP count to within one person,
and the yearly counts' published pools then fixed them exactly (1,467 exposed counts for the
linear programmes to repair). Treating such unions as groups hides a second cell up front.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kansrijk.publication import TableStructure
from kansrijk.publication.relations import compile_relations
from kansrijk.publication.secondary import apply_local_rules
from kansrijk.publication.structure import Union

LEVEL = 10.0


def _table(debts: int, arrears: int, wsnp: int) -> tuple[pa.Table, TableStructure]:
    names = ["debts", "arrears", "wsnp"]
    table = pa.table(
        {
            "indicator": names,
            "numerator": [debts, arrears, wsnp],
            "denominator": [1000, 1000, 1000],
        }
    )
    structure = TableStructure(
        keys=("indicator",),
        measure_keys=("indicator",),
        measures=pa.table({"indicator": names, "numerator": names, "denominator": ["all"] * 3}),
        unions=(Union("debts", ("arrears", "wsnp")),),
    )
    return table, structure


def _hidden_after(debts: int, arrears: int, wsnp: int) -> set[str]:
    table, structure = _table(debts, arrears, wsnp)
    relations = compile_relations(table, structure)
    names = table["indicator"].to_pylist()
    start = np.zeros(relations.cells, dtype=bool)
    start[relations.row_cell[names.index("wsnp")]] = True  # primary: wsnp < 10
    hidden = apply_local_rules(relations, start, LEVEL)
    return {n for i, n in enumerate(names) if hidden[relations.row_cell[i]]}


def test_a_part_of_disjoint_parts_is_not_left_alone() -> None:
    # debts = arrears + wsnp exactly: published debts - arrears would give wsnp = 4.
    hidden = _hidden_after(debts=44, arrears=40, wsnp=4)
    assert "wsnp" in hidden and len(hidden) >= 2


def test_parts_that_overlap_by_the_level_form_no_group() -> None:
    # wsnp is within arrears: debts - arrears = 0 bounds wsnp from below by 10 less than
    # its value, so it may move the level.
    assert _hidden_after(debts=40, arrears=40, wsnp=10) == {"wsnp"}


def test_the_union_group_carries_its_overlap_as_slack() -> None:
    table, structure = _table(44, 40, 4)
    relations = compile_relations(table, structure)
    assert relations.groups == 1
    assert relations.group_slack.tolist() == [0.0]
    table, structure = _table(40, 40, 10)
    assert compile_relations(table, structure).group_slack.tolist() == [10.0]

"""The local rule for sliding windows: published overlapping pools pin hidden yearly counts.

With every yearly count hidden and the 5-year pools 2015-2019, ..., 2020-2024 published, two
neighbouring pools fix y(t+5) - y(t); at scale 1.0 this left most of the 440 forms the first
audit found exposed (perinatal mortality of edition 2024: yearly counts small, pools not). The
rule's closed form (width = sum of the smallest member of each wholly hidden class) is checked
here against the linear programme itself.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from scipy.optimize import linprog

from kansrijk.publication import TableStructure
from kansrijk.publication.relations import Relations, compile_relations
from kansrijk.publication.secondary import apply_local_rules
from kansrijk.publication.structure import Hierarchy

LEVEL = 10.0
YEARS = range(2015, 2025)


def _structure(size: int = 5) -> TableStructure:
    child, start, end = [], [], []
    for s in range(YEARS.start, YEARS.stop - size + 1):
        for y in range(s, s + size):
            child.append(y)
            start.append(s)
            end.append(s + size - 1)
    edges = pa.table(
        {
            "child_first": pa.array(child, pa.int32()),
            "child_last": pa.array(child, pa.int32()),
            "parent_first": pa.array(start, pa.int32()),
            "parent_last": pa.array(end, pa.int32()),
        }
    )
    return TableStructure(
        keys=("measure", "first", "last"),
        measure_keys=("measure",),
        measures=pa.table({"measure": ["deaths"], "numerator": ["deaths"], "denominator": [None]}),
        hierarchies=(Hierarchy("period", ("first", "last"), edges, windows=True),),
    )


def _table(yearly: list[int], size: int = 5) -> pa.Table:
    first = list(YEARS)
    last = list(YEARS)
    values = list(yearly)
    for s in range(YEARS.start, YEARS.stop - size + 1):
        first.append(s)
        last.append(s + size - 1)
        values.append(sum(yearly[s - YEARS.start : s - YEARS.start + size]))
    return pa.table(
        {
            "measure": ["deaths"] * len(values),
            "first": pa.array(first, pa.int32()),
            "last": pa.array(last, pa.int32()),
            "numerator": pa.array(values, pa.int64()),
            "denominator": pa.array([None] * len(values), pa.int64()),
        }
    )


def _widths(relations: Relations, hidden: np.ndarray) -> np.ndarray:
    """Per hidden quantity, the interval an attacker derives from everything published."""
    unknown = relations.hidden_quantities(hidden)
    q = relations.quantities
    bounds = [(None, None) if unknown[i] else (v, v) for i, v in enumerate(relations.value)]
    bounds = [(0, None) if b == (None, None) else b for b in bounds]
    eq = relations.eq.toarray()
    widths = []
    for i in np.flatnonzero(unknown):
        c = np.zeros(q)
        c[i] = 1.0
        low = linprog(c, A_eq=eq, b_eq=np.zeros(len(eq)), bounds=bounds)
        high = linprog(-c, A_eq=eq, b_eq=np.zeros(len(eq)), bounds=bounds)
        assert low.status == 0 and high.status in (0, 3)  # 3: unbounded, nothing pins it
        widths.append(np.inf if high.status == 3 else -high.fun - low.fun)
    return np.asarray(widths)


def _protect(yearly: list[int]) -> tuple[Relations, np.ndarray]:
    relations = compile_relations(_table(yearly), _structure())
    small = np.asarray(yearly + [LEVEL] * 6) < LEVEL  # primary: the small yearly counts
    start = np.zeros(relations.cells, dtype=bool)
    start[relations.row_cell[small]] = True
    return relations, apply_local_rules(relations, start, LEVEL)


def test_the_chain_is_compiled() -> None:
    relations = compile_relations(_table([3] * 10), _structure())
    assert relations.window_length.tolist() == [5]
    assert relations.window_pool.shape[1] == 6 and (relations.window_pool >= 0).all()
    assert (relations.window_year[0, :10] >= 0).all()


def _sensitive_widths(relations: Relations, hidden: np.ndarray, yearly: list[int]) -> np.ndarray:
    years = relations.window_year[0, : len(yearly)]
    small = np.zeros(relations.cells, dtype=bool)
    small[years[np.asarray(yearly) < LEVEL]] = True
    unknown = relations.hidden_quantities(hidden)
    sensitive = relations.cell_quantities(small)[np.flatnonzero(unknown)]
    return _widths(relations, hidden)[sensitive]


def test_published_pools_no_longer_pin_hidden_years() -> None:
    # Every yearly count below 10, all pools above: without the rule every pool stays
    # published, and the classes {2015, 2020}, ... have smallest members 1+1+2+1+1 = 6 < 10.
    # Hiding 2017-2021 alone is not enough: the runs 2015-2016 and 2018-2020 share 2018-2020,
    # which ties 2018 to 2023 and 2019 to 2024 across them (width 9).
    yearly = [1, 4, 2, 5, 3, 6, 1, 7, 1, 1]
    relations, hidden = _protect(yearly)
    assert hidden[relations.window_pool[0]].any(), "a pool must be hidden to split the chain"
    assert _sensitive_widths(relations, hidden, yearly).min() >= LEVEL


def test_wide_classes_need_no_pool() -> None:
    # Smallest members 5+6+7+8+9 = 35: every hidden year moves 35, so no pool is hidden.
    yearly = [5, 6, 7, 8, 9, 9, 8, 7, 6, 5]
    relations, hidden = _protect(yearly)
    assert not hidden[relations.window_pool[0]].any()
    assert _sensitive_widths(relations, hidden, yearly).min() >= LEVEL


def test_without_the_rule_the_pools_pin_the_years() -> None:
    # The oracle sees the leak the rule prevents: all pools published, width 6.
    yearly = [1, 4, 2, 5, 3, 6, 1, 7, 1, 1]
    relations = compile_relations(_table(yearly), _structure())
    hidden = np.zeros(relations.cells, dtype=bool)
    hidden[relations.window_year[0, :10]] = True
    assert _sensitive_widths(relations, hidden, yearly).min() == pytest.approx(6.0)


@pytest.mark.parametrize("seed", range(12))
def test_random_chains_are_protected(seed: int) -> None:
    # The rule's bound is never below the attacker's interval, so it only hides where a
    # chain truly pins a count; on a chain alone it leaves nothing pinned here.
    rng = np.random.default_rng(seed)
    yearly = rng.integers(0, 14, size=10).tolist()
    relations, hidden = _protect(yearly)
    widths = _sensitive_widths(relations, hidden, yearly)
    assert len(widths) == 0 or widths.min() >= LEVEL - 1e-6

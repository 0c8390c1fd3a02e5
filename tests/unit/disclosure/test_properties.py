"""Property tests: on random additive tables, nothing small is published and nothing hidden
can be derived from one additive group. The groups are enumerated here independently of
`kansrijk.disclosure.groups`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kansrijk.disclosure import THRESHOLD, apply_disclosure, check_publishable

from .synthetic import Layout, cells_table

LAYOUT = Layout(
    provinces=[["GM0001", "GM0002", "GM0003"], ["GM0004", "GM0005", "GM0006"]],
    years=[2016, 2017, 2018, 2019, 2020],
    breakdown_values=["Q1", "Q2", "unknown"],
    pooled=[(2016, 2020)],
)
SHAPE = (1, len(LAYOUT.years), LAYOUT.leaf_count, len(LAYOUT.breakdown_values))
Key = tuple[Any, ...]


def _groups(table: pa.Table, hierarchy: pa.Table) -> list[list[int]]:
    """Every additive group as row numbers, parent first (oracle for the tests)."""
    rows = table.select(
        ["region_type", "region_code", "period_start", "period_end", "breakdown", "breakdown_value"]
    ).to_pylist()
    index = {tuple(r.values()): i for i, r in enumerate(rows)}
    parent_of = {
        (h["child_type"], h["child_code"]): (h["parent_type"], h["parent_code"])
        for h in hierarchy.to_pylist()
    }
    groups: dict[Key, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        rt, rc, ps, pe, b, bv = r.values()
        if b != "total":
            groups[("b", index[(rt, rc, ps, pe, "total", "total")], b)].append(i)
        if (rt, rc) in parent_of:
            groups[("r", index[(*parent_of[(rt, rc)], ps, pe, b, bv)])].append(i)
        if pe > ps:
            years = [index.get((rt, rc, y, y, b, bv)) for y in range(ps, pe + 1)]
            if None not in years:
                groups[("p", i)] = [i for i in years if i is not None]
    return [[key[1], *members] for key, members in groups.items()]


@st.composite
def leaf_counts(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    den = draw(arrays(np.int64, SHAPE, elements=st.integers(0, 60)))
    share = draw(arrays(np.float64, SHAPE, elements=st.floats(0.0, 1.0)))
    return np.rint(den * share).astype(np.int64), den


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(leaf_counts())
def test_disclosure_properties(counts: tuple[np.ndarray, np.ndarray]) -> None:
    num, den = counts
    cells = cells_table(LAYOUT, num, den)
    hierarchy = LAYOUT.hierarchy()
    out = apply_disclosure(cells, hierarchy)
    hidden = np.asarray(out["suppressed"].to_pylist())

    # (i) nothing small is published
    k = cells["numerator"].to_numpy()
    n = cells["denominator"].to_numpy()
    published = ~hidden
    assert np.all(k[published] >= THRESHOLD)
    assert np.all(n[published] >= THRESHOLD)
    assert np.all((n - k)[published] >= THRESHOLD)

    # (ii) no additive group has exactly one hidden cell
    for group in _groups(cells, hierarchy):
        assert int(hidden[group].sum()) != 1, group

    # (iii) hidden cells carry no numbers, but a reason
    for name in ("numerator", "denominator", "value", "ci_low", "ci_high"):
        assert out[name].filter(pa.array(hidden)).null_count == int(hidden.sum())
    assert out["suppression_reason"].filter(pa.array(hidden)).null_count == 0

    # (iv) published cells are unchanged (all columns but the suppression pair)
    assert out.filter(pa.array(published)).drop_columns(["suppressed"]) == (
        cells.filter(pa.array(published)).drop_columns(["suppressed"])
    )
    check_publishable(out, hierarchy=hierarchy)


def test_the_oracle_finds_the_expected_groups() -> None:
    zeros = np.zeros(SHAPE, dtype=np.int64)
    groups = _groups(cells_table(LAYOUT, zeros, zeros), LAYOUT.hierarchy())
    regions, periods, bvals = 7 + 2 + 1, 6, 4
    breakdown = regions * periods  # one per (region, period)
    region = (2 + 1) * periods * bvals  # two provinces and NL
    pooled = regions * bvals
    assert len(groups) == breakdown + region + pooled

"""Clean leaves collapsed into one aggregate: the attacker's programme must stay exact.

A municipality whose every count is hidden (a *clean* leaf) is merged with its clean
siblings into one aggregate column, their sum. A relation that names several of them (the
province sum) must name the aggregate once: with the coefficients added up, the true table
no longer satisfied the collapsed programme and the audit reported wide intervals as
narrow (6,160 false exposures in the demo run). Only leaves with the same cells are merged:
a leaf without a cell (no units) has fewer relations, so the aggregate's sum could not all
be put into it."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kansrijk.publication import DisclosurePolicy
from kansrijk.publication.audit import audit_tables
from kansrijk.publication.collapse import collapse
from kansrijk.publication.relations import compile_relations

from .oracle import intervals
from .tables import Layout, linked_table

LAYOUT = Layout(provinces=(("GM1", "GM2", "GM3", "GM4"), ("GM5", "GM6")), years=(2016, 2017))
CLEAN = ("GM2", "GM3", "GM4", "GM6")
POLICY = DisclosurePolicy()


def _public(truth: pa.Table) -> pa.Table:
    """Every count of the clean municipalities hidden, and every small cell."""
    n, d = truth["numerator"], truth["denominator"]
    small = pc.or_(pc.or_(pc.less(n, 10), pc.less(d, 10)), pc.less(pc.subtract(d, n), 10))
    hidden = pc.or_(small, pc.is_in(truth["region"], pa.array(list(CLEAN))))
    return truth.set_column(truth.schema.get_field_index("suppressed"), "suppressed", hidden)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("complete", [True, False])
def test_the_true_table_satisfies_the_collapsed_relations(seed: int, complete: bool) -> None:
    truth = linked_table(LAYOUT, seed, complete=complete)
    relations = compile_relations(truth, LAYOUT.structure())
    hidden_rows = _public(truth)["suppressed"].to_numpy(zero_copy_only=False)
    hidden = np.zeros(relations.cells, dtype=bool)
    np.logical_or.at(hidden, relations.row_cell, hidden_rows)
    col = collapse(relations, relations.hidden_quantities(hidden))
    if complete:  # every clean leaf has every cell: the province sums name several
        assert (col.members >= 2).any()
    assert np.abs(col.eq @ col.value).max() < 1e-9
    assert (col.ineq @ col.value).min() > -1e-9


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("complete", [True, False])
def test_exact_audit_agrees_with_an_independent_attacker(seed: int, complete: bool) -> None:
    truth = linked_table(LAYOUT, seed, complete=complete)
    public = _public(truth)
    report = audit_tables(public, truth, LAYOUT.structure(), POLICY, exact=True)
    _, bounds = intervals(LAYOUT, truth, public)
    rows = report.counts.to_pylist()
    assert rows
    for r in rows:
        coord = (r["period_start"], r["period_end"], r["region"], r["breakdown"], r["category"])
        num, den = (r["indicator"], coord), ("all", coord)
        form = {
            "numerator": {num: 1.0},
            "denominator": {den: 1.0},
            "complement": {den: 1.0, num: -1.0},
        }[r["count"]]
        low, high = bounds(form)
        assert r["low"] == pytest.approx(low, abs=1e-6), r
        assert r["high"] == pytest.approx(high, abs=1e-6), r


@pytest.mark.parametrize("seed", range(3))
def test_a_mostly_hidden_municipality_is_withheld_whole(seed: int) -> None:
    """Withholding: per municipality and scope, fewer than half of the cells hidden, or all
    of them; the audit then settles every sensitive count."""
    from kansrijk.publication import protect
    from kansrijk.publication.suppress import WITHHOLD_SHARE, _leaf_scopes

    truth = linked_table(LAYOUT, seed, complete=True)
    protected = protect(truth, LAYOUT.structure(), POLICY)
    assert protected.audit["exposed"] == 0 and protected.audit["unresolved"] == 0
    relations = compile_relations(truth, LAYOUT.structure())
    rows = protected.public["suppressed"].to_numpy(zero_copy_only=False)
    hidden = np.zeros(relations.cells, dtype=bool)
    np.logical_or.at(hidden, relations.row_cell, rows)
    key = _leaf_scopes(relations)
    on = key >= 0
    total = np.bincount(key[on])
    hid = np.bincount(key[on], weights=hidden[on].astype(float))
    share = hid / total
    assert np.all((share < WITHHOLD_SHARE) | (share == 1.0))

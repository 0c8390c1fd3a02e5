"""The audit inside protection (``attack(..., intervals=False)``) must settle every count as
the exact audit does: the same status, and for an exposed count a range inside its exact
interval (the repair works from it). It skips the exact interval's programmes only."""

from __future__ import annotations

import numpy as np
import pytest

from kansrijk.publication import DisclosurePolicy
from kansrijk.publication.attack import attack
from kansrijk.publication.relations import compile_relations
from kansrijk.publication.secondary import apply_local_rules
from kansrijk.publication.suppress import primary

from .tables import Layout, linked_table

LAYOUT = Layout(provinces=(("GM1", "GM2", "GM3"), ("GM4", "GM5")), years=(2016, 2017))
POLICY = DisclosurePolicy()


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("scale", [40, 120])
@pytest.mark.parametrize("local", [False, True])
def test_the_quick_audit_settles_counts_as_the_exact_one(
    seed: int, scale: int, local: bool
) -> None:
    truth = linked_table(LAYOUT, seed, scale=scale)
    relations = compile_relations(truth, LAYOUT.structure())
    reason, targets = primary(relations, POLICY)
    hidden = reason > 0  # primary suppression alone: many counts exposed
    if local:  # with the group rules: most protected, some not
        hidden = apply_local_rules(relations, hidden, POLICY.level)
    exact = attack(relations, hidden, targets, POLICY.level, exact=True)
    quick = attack(relations, hidden, targets, POLICY.level, intervals=False)
    wide = exact.width >= POLICY.level - 1e-6
    assert len(wide)
    np.testing.assert_array_equal(quick.protected, wide)
    np.testing.assert_array_equal(quick.exposed, ~wide)
    assert np.all(quick.low >= exact.low - 1e-6)
    assert np.all(quick.high <= exact.high + 1e-6)
    assert np.all(quick.low <= quick.value + 1e-6)
    assert np.all(quick.high >= quick.value - 1e-6)

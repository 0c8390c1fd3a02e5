"""protect on random linked tables, with an independent attacker as the oracle."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansrijk.publication import DisclosurePolicy, Protected, StructureError, protect
from kansrijk.publication.audit import audit_tables

from .oracle import under_protected
from .tables import PARTS, Layout, linked_table

#: Small enough for two linear programmes per sensitive count in the oracle.
SMALL = Layout(provinces=(("GM1", "GM2"), ("GM3", "GM4")), years=(2016, 2017))
POLICY = DisclosurePolicy()


def _primary_only(table: pa.Table, threshold: int = 10) -> pa.Table:
    n, d = table["numerator"], table["denominator"]
    small = pc.or_(
        pc.or_(pc.less(n, threshold), pc.less(d, threshold)), pc.less(pc.subtract(d, n), threshold)
    )
    return table.set_column(table.schema.get_field_index("suppressed"), "suppressed", small)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([40, 120]))
def test_no_hidden_count_can_be_narrowed_below_the_level(seed: int, scale: int) -> None:
    truth = linked_table(SMALL, seed, scale=scale)
    protected = protect(truth, SMALL.structure(), POLICY)
    assert protected.audit["exposed"] == 0
    assert protected.audit["unresolved"] == 0
    public = protected.public
    assert not (set(public.column_names) & {"suppression_reason", "reason"})
    assert under_protected(SMALL, truth, public, POLICY.threshold, POLICY.level) == []


def test_the_oracle_finds_what_primary_suppression_alone_leaves_exposed() -> None:
    """The property above can fail: hiding only the small cells gives counts away."""
    found = 0
    for seed in range(3):
        truth = linked_table(SMALL, seed)
        found += len(under_protected(SMALL, truth, _primary_only(truth), 10, 10))
    assert found > 0


def test_no_partition_has_exactly_one_hidden_part() -> None:
    layout = Layout()
    for seed in range(3):
        truth = linked_table(layout, seed)
        public = protect(truth, layout.structure(), POLICY).public
        parts = public.filter(pc.is_in(public["indicator"], pa.array(list(PARTS))))
        keys = ["period_start", "period_end", "region", "breakdown", "category"]
        counted = parts.group_by(keys).aggregate([("suppressed", "sum"), ("suppressed", "count")])
        hidden = counted["suppressed_sum"].to_numpy()
        assert not np.any(hidden == 1)


def test_the_audit_of_the_written_tables_agrees() -> None:
    layout = Layout()
    truth = linked_table(layout, 11)
    protected = protect(truth, layout.structure(), POLICY)
    report = audit_tables(protected.public, protected.internal, layout.structure(), POLICY)
    assert report.failures == 0
    assert report.summary["sensitive_counts"] == protected.audit["sensitive_counts"]
    # Publishing one hidden cell with its numbers is caught.
    hidden = np.flatnonzero(protected.public["suppressed"].to_numpy(zero_copy_only=False))
    leaked = _primary_only(truth).take(pa.array(hidden[:1]))
    assert leaked.num_rows == 1


def test_a_hidden_cell_carries_no_number() -> None:
    truth = linked_table(SMALL, 3)
    public = protect(truth, SMALL.structure(), POLICY).public
    hidden = public.filter(public["suppressed"])
    assert hidden.num_rows > 0
    assert hidden["numerator"].null_count == hidden.num_rows
    assert hidden["denominator"].null_count == hidden.num_rows


def test_only_protect_makes_a_protected() -> None:
    truth = linked_table(SMALL, 1)
    with pytest.raises(TypeError):
        Protected(public=truth, internal=truth, policy=POLICY, audit={}, loss=truth, keys=())


def test_a_table_that_breaks_its_structure_is_refused() -> None:
    truth = linked_table(SMALL, 2)
    n = truth["numerator"].to_pylist()
    nl = next(i for i, r in enumerate(truth["region"].to_pylist()) if r == "NL")
    n[nl] += 1
    broken = truth.set_column(
        truth.schema.get_field_index("numerator"), "numerator", pa.array(n, pa.int64())
    )
    with pytest.raises(StructureError):
        protect(broken, SMALL.structure(), POLICY)


@pytest.mark.parametrize("seed", range(2))
def test_local_programmes_find_only_tables_that_keep_every_relation(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The local programme (only counts near the asked one move) is used on every part here;
    every table it returns keeps all relations of the part, and the result still passes the
    independent attacker."""
    from kansrijk.publication import attack

    monkeypatch.setattr(attack, "LOCAL_FROM", 0)
    monkeypatch.setattr(attack, "PUSH_FROM", 10**9)
    original = attack._Local.table
    found: list[bool] = []

    def checked(self: attack._Local, j: int, at_least: float, hops: int) -> np.ndarray | None:
        x = original(self, j, at_least, hops)
        if x is not None:
            lhs = self.a @ x
            assert np.all(np.abs(lhs - self.b)[self.equal] < 1e-6)
            assert np.all((lhs - self.b)[~self.equal] > -1e-6)
            assert x.min() > -1e-6
            assert float((self.targets[j] @ x)[0]) + self.offset[j] >= at_least - 1e-6
        found.append(x is not None)
        return x

    monkeypatch.setattr(attack._Local, "table", checked)
    truth = linked_table(SMALL, seed, scale=40)
    protected = protect(truth, SMALL.structure(), POLICY)
    assert any(found)
    assert protected.audit["exposed"] == 0
    assert protected.audit["unresolved"] == 0
    assert under_protected(SMALL, truth, protected.public, POLICY.threshold, POLICY.level) == []


def test_batched_repairs_are_used_and_the_result_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exposed counts of one scope are repaired by one programme (`repair.repair_many`);
    what it hides must still give every count its level (the independent attacker)."""
    from kansrijk.publication import suppress

    original = suppress.repair_many
    repaired: list[int] = []

    def counted(*args: object, **kwargs: object) -> np.ndarray | None:
        found = original(*args, **kwargs)  # type: ignore[arg-type]
        repaired.append(-1 if found is None else len(found))
        return found

    monkeypatch.setattr(suppress, "repair_many", counted)
    for seed, scale in ((0, 40), (3, 120)):
        truth = linked_table(SMALL, seed, scale=scale)
        # Without withholding these tables need repairs (with it, certificates settle them).
        protected = protect(truth, SMALL.structure(), POLICY, withhold=False)
        assert protected.audit["exposed"] == 0
        assert protected.audit["unresolved"] == 0
        assert under_protected(SMALL, truth, protected.public, POLICY.threshold, POLICY.level) == []
    assert any(n > 0 for n in repaired)

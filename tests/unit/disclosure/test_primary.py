"""Primary suppression: each rule, its reason text, and the threshold boundary."""

from __future__ import annotations

import pytest

from kansrijk.disclosure import DisclosurePolicy, apply_disclosure

from .synthetic import NO_HIERARCHY, Cell, literal_cells


def _reasons(cells: list[Cell], policy: DisclosurePolicy = DisclosurePolicy()) -> list[object]:
    # Each cell its own indicator: no additive groups, so only primary suppression acts.
    table = literal_cells(
        [Cell(c.numerator, c.denominator, indicator_id=str(i)) for i, c in enumerate(cells)]
    )
    return apply_disclosure(table, NO_HIERARCHY, policy)["suppression_reason"].to_pylist()


def test_each_rule_has_its_reason() -> None:
    cells = [Cell(3, 8), Cell(5, 100), Cell(95, 100), Cell(10, 20), Cell(0, 100)]
    assert _reasons(cells) == [
        "primary: denominator < 10",
        "primary: numerator < 10",
        "primary: complement < 10",
        None,
        "primary: numerator < 10",  # a zero numerator is below the threshold as well
    ]


def test_boundary_and_own_threshold() -> None:
    assert _reasons([Cell(9, 19), Cell(10, 19), Cell(10, 20)]) == [
        "primary: numerator < 10",
        "primary: complement < 10",
        None,
    ]
    five = DisclosurePolicy(threshold=5)
    assert _reasons([Cell(4, 50), Cell(5, 9), Cell(5, 10)], five) == [
        "primary: numerator < 5",
        "primary: complement < 5",
        None,
    ]


def test_policy_rejects_a_threshold_below_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        DisclosurePolicy(threshold=0)


def test_rates_use_events_and_population() -> None:
    cells = [Cell(4, 2000, indicator_id="a"), Cell(25, 2000, indicator_id="b")]
    out = apply_disclosure(literal_cells(cells, unit="per 1,000"), NO_HIERARCHY)
    assert out["suppression_reason"].to_pylist() == ["primary: numerator < 10", None]
    assert out["unit"].to_pylist() == ["per 1,000"] * 2

"""The trend test: hand-computed z-tests and the edge cases."""

from __future__ import annotations

import pytest

from kansrijk.stats import Change, proportion_change


def test_significant_rise() -> None:
    # 100/1000 -> 150/1000: pooled p = 0.125, se = sqrt(.125*.875*.002) = 0.014790,
    # z = 0.05 / 0.014790 = 3.3806, two-sided p = 0.000723
    change, p = proportion_change(100, 1000, 150, 1000)
    assert change is Change.UP
    assert p == pytest.approx(0.000723, abs=2e-6)


def test_significant_fall_and_stable() -> None:
    assert proportion_change(150, 1000, 100, 1000)[0] is Change.DOWN
    # pooled p = 0.105, se = sqrt(.105*.895*.002) = 0.013710, z = 0.7294, p = 0.4657
    change, p = proportion_change(100, 1000, 110, 1000)
    assert change is Change.STABLE
    assert p == pytest.approx(0.4657, abs=1e-4)


def test_no_variation_is_stable() -> None:
    assert proportion_change(0, 50, 0, 80) == (Change.STABLE, 1.0)


@pytest.mark.parametrize("args", [(1, 0, 1, 10), (11, 10, 1, 10), (-1, 10, 1, 10)])
def test_impossible_counts_rejected(args: tuple[int, int, int, int]) -> None:
    with pytest.raises(ValueError):
        proportion_change(*args)

"""Wilson and Clopper-Pearson intervals against hand-computed values and their properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kansrijk.stats import clopper_pearson_interval, wilson_interval

counts = st.integers(0, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


def test_wilson_five_of_ten() -> None:
    # p = .5, z = 1.959964: centre .5, half-width z*sqrt(.025 + z^2/400)/(1 + z^2/10) = .26341
    low, high = wilson_interval(5, 10)
    assert (float(low), float(high)) == pytest.approx((0.23659, 0.76341), abs=1e-5)


def test_wilson_zero_of_ten_starts_at_zero() -> None:
    # k = 0: upper = (z^2/n) / (1 + z^2/n) = 0.38415 / 1.38415
    low, high = wilson_interval(0, 10)
    assert float(low) == 0.0
    assert float(high) == pytest.approx(0.384145 / 1.384145, abs=1e-5)


def test_clopper_pearson_closed_forms() -> None:
    # 0/10: upper = 1 - 0.025^(1/10); 10/10: lower = 0.025^(1/10)
    low, high = clopper_pearson_interval([0, 10], [10, 10])
    assert low.tolist() == pytest.approx([0.0, 0.025**0.1])
    assert high.tolist() == pytest.approx([1 - 0.025**0.1, 1.0])
    assert float(high[0]) == pytest.approx(0.3085, abs=1e-4)


def test_vectorised_and_zero_denominator_is_nan() -> None:
    low, high = wilson_interval(np.array([5, 0]), np.array([10, 0]))
    assert low.shape == (2,)
    assert np.isnan(low[1]) and np.isnan(high[1])
    cp_low, _ = clopper_pearson_interval(np.array([0]), np.array([0]))
    assert np.isnan(cp_low[0])


@pytest.mark.parametrize("interval", [wilson_interval, clopper_pearson_interval])
def test_invalid_input_is_refused(interval: object) -> None:
    assert callable(interval)
    with pytest.raises(ValueError, match="exceeds"):
        interval(11, 10)
    with pytest.raises(ValueError, match="non-negative"):
        interval(-1, 10)
    with pytest.raises(ValueError, match="confidence"):
        interval(1, 10, 1.5)


@pytest.mark.parametrize("interval", [wilson_interval, clopper_pearson_interval])
def test_narrower_with_more_persons_at_the_same_proportion(interval: object) -> None:
    assert callable(interval)
    n = np.array([10, 20, 40, 100, 1000, 10000])
    low, high = interval(n * 3 // 10, n)
    width = high - low
    assert np.all(np.diff(width) < 0)
    assert np.all(np.diff(low) > 0)


@pytest.mark.parametrize("interval", [wilson_interval, clopper_pearson_interval])
def test_higher_confidence_is_wider(interval: object) -> None:
    assert callable(interval)
    low90, high90 = interval(7, 30, 0.90)
    low99, high99 = interval(7, 30, 0.99)
    assert low99 < low90 and high99 > high90


@given(counts)
def test_wilson_contains_estimate_and_is_symmetric(kn: tuple[int, int]) -> None:
    k, n = kn
    low, high = wilson_interval(k, n)
    if n == 0:
        assert np.isnan(low) and np.isnan(high)
        return
    assert 0.0 <= low <= k / n <= high <= 1.0
    mirror_low, mirror_high = wilson_interval(n - k, n)
    assert float(low) == pytest.approx(1 - float(mirror_high), abs=1e-12)
    assert float(high) == pytest.approx(1 - float(mirror_low), abs=1e-12)


@given(counts)
def test_clopper_pearson_contains_estimate_and_wilson(kn: tuple[int, int]) -> None:
    k, n = kn
    if n == 0:
        return
    low, high = clopper_pearson_interval(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    mirror_low, mirror_high = clopper_pearson_interval(n - k, n)
    assert float(low) == pytest.approx(1 - float(mirror_high), abs=1e-9)
    assert float(high) == pytest.approx(1 - float(mirror_low), abs=1e-9)
    # The exact interval is conservative: it contains the score interval's centre.
    w_low, w_high = wilson_interval(k, n)
    assert low <= (w_low + w_high) / 2 <= high

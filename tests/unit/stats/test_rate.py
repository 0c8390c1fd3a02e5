"""Garwood rate interval and the per-unit dispatcher."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kansrijk.stats import (
    PER_1000,
    PERCENT,
    interval_for_unit,
    poisson_rate_interval,
    wilson_interval,
)


def test_zero_events_upper_is_minus_log_of_tail() -> None:
    low, high = poisson_rate_interval(0, 1, per=1.0)
    assert float(low) == 0.0
    assert float(high) == pytest.approx(-np.log(0.025), abs=1e-9)  # 3.68888
    assert float(high) == pytest.approx(3.689, abs=1e-3)


def test_known_quantiles_scaled_per_thousand() -> None:
    # k = 1: lower = chi2(.025; 2)/2 = -ln(.975) = 0.025318; upper = chi2(.975; 4)/2 = 5.5716
    low, high = poisson_rate_interval(1, 2000)
    assert float(low) == pytest.approx(-np.log(0.975) / 2000 * 1000, rel=1e-9)
    assert float(high) == pytest.approx(5.571643 / 2, rel=1e-5)


def test_exposure_zero_is_nan_and_negative_refused() -> None:
    low, _ = poisson_rate_interval(np.array([0, 3]), np.array([0, 100]))
    assert np.isnan(low[0]) and not np.isnan(low[1])
    with pytest.raises(ValueError, match="non-negative"):
        poisson_rate_interval(-1, 10)


@given(st.integers(0, 10_000), st.integers(1, 10**6))
def test_contains_the_rate(events: int, exposure: int) -> None:
    low, high = poisson_rate_interval(events, exposure)
    rate = events / exposure * 1000
    assert 0.0 <= low <= rate <= high


def test_interval_for_unit_dispatches_on_unit() -> None:
    low, high = interval_for_unit(PERCENT, 5, 10)
    w_low, w_high = wilson_interval(5, 10)
    assert (float(low), float(high)) == pytest.approx((100 * w_low, 100 * w_high))
    low, high = interval_for_unit(PER_1000, 0, 1000)
    assert (float(low), float(high)) == pytest.approx((0.0, -np.log(0.025)))
    with pytest.raises(ValueError, match="unknown unit"):
        interval_for_unit("per 100", 1, 10)

"""Funnel limits (Spiegelhalter 2005 interpolation), flags and the funnel table."""

from __future__ import annotations

from math import comb

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

from kansrijk.stats import funnel_flags, funnel_limits, funnel_table, poisson_funnel_limits


def test_binomial_limit_by_hand() -> None:
    # n = 10, theta = .5, p = .975: F(7) = 968/1024 < .975 <= F(8) = 1013/1024, so r_p = 8 and
    # alpha = (1013/1024 - .975) / (45/1024) = 14.6/45; limit = (8 - alpha) / 10.
    assert sum(comb(10, r) for r in range(9)) == 1013
    _, high = funnel_limits(10, 0.5, levels=(0.95,))[0.95]
    assert float(high) == pytest.approx((8 - 14.6 / 45) / 10, abs=1e-12)
    # p = .025: F(1) = 11/1024 < .025 <= F(2) = 56/1024, so r_p = 2 and alpha = 30.4/45. The
    # interpolation is not symmetric: the lower limit is not 1 - the upper one.
    low, _ = funnel_limits(10, 0.5, levels=(0.95,))[0.95]
    assert float(low) == pytest.approx((2 - 30.4 / 45) / 10, abs=1e-12)


def test_limits_lie_between_adjacent_counts_and_nest() -> None:
    n = np.arange(1, 400)
    limits = funnel_limits(n, 0.2)
    for p, bound in ((0.999, limits[0.998][1]), (0.975, limits[0.95][1])):
        r = sps.binom.ppf(p, n, 0.2)
        assert np.all(bound <= r / n + 1e-12)
        assert np.all(bound >= (r - 1) / n - 1e-12)
    assert np.all(limits[0.998][0] <= limits[0.95][0])
    assert np.all(limits[0.998][1] >= limits[0.95][1])


def test_limits_approach_normal_approximation_for_large_n() -> None:
    n = np.array([5_000, 20_000, 100_000])
    low, high = funnel_limits(n, 0.3)[0.998]
    se = np.sqrt(0.3 * 0.7 / n)
    z = sps.norm.ppf(0.999)
    assert high == pytest.approx(0.3 + z * se, rel=2e-3)
    assert low == pytest.approx(0.3 - z * se, rel=2e-3)


def test_interpolated_limits_are_smoother_than_the_raw_quantile() -> None:
    n = np.arange(50, 500)
    _, high = funnel_limits(n, 0.1)[0.998]
    raw = sps.binom.ppf(0.999, n, 0.1) / n
    assert np.abs(np.diff(high)).max() < np.abs(np.diff(raw)).max()


def test_degenerate_and_empty() -> None:
    low, high = funnel_limits(np.array([0, 10, 10]), np.array([0.5, 0.0, 1.0]))[0.95]
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert (low[1], high[1], low[2], high[2]) == (0.0, 0.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="levels"):
        funnel_limits(10, 0.5, levels=(1.0,))


def test_poisson_limits_by_hand() -> None:
    # mean 2 (rate 2 per 1,000 over 1,000 persons), p = .975: P(X<=4) = .9473, P(X<=5) = .9834
    f4, f5 = sps.poisson.cdf(4, 2.0), sps.poisson.cdf(5, 2.0)
    assert f4 < 0.975 <= f5
    _, high = poisson_funnel_limits(1000, 2.0, levels=(0.95,))[0.95]
    assert float(high) == pytest.approx(5 - (f5 - 0.975) / (f5 - f4), abs=1e-12)


def test_flags() -> None:
    flags = funnel_flags([1, 9, 5, 0], [10, 10, 10, 0], 0.5, 0.95)
    assert flags.tolist() == ["below", "above", "within", "within"]
    rate_flags = funnel_flags([30, 2], [1000, 1000], 0.002, count_model="poisson")
    assert rate_flags.tolist() == ["above", "within"]


@given(st.integers(1, 3000), st.floats(0.01, 0.99))
def test_limits_are_ordered_and_contain_the_target_when_not_tiny(n: int, theta: float) -> None:
    for low, high in funnel_limits(n, theta).values():
        assert 0.0 <= low <= high <= 1.0
        # With very few expected events the interpolated limit can pass the target (n=1).
        if n * theta * (1 - theta) >= 5:
            assert low <= theta <= high


def _results(rows: list[tuple[str, str, str, int, int, bool]]) -> pa.Table:
    """Minimal results rows: (indicator, region_type, region_code, numerator, denominator,
    suppressed); unit "%" for indicator "1", "per 1,000" otherwise."""
    ind, rtype, code, num, den, sup = zip(*rows, strict=True)
    unit = ["%" if i == "1" else "per 1,000" for i in ind]
    scale = [100.0 if u == "%" else 1000.0 for u in unit]
    n = len(rows)
    return pa.table(
        {
            "indicator_id": ind,
            "edition": pa.array([2024] * n, pa.int32()),
            "period_start": pa.array([2020] * n, pa.int32()),
            "period_end": pa.array([2020] * n, pa.int32()),
            "region_type": rtype,
            "region_code": code,
            "classification_year": pa.array([2023] * n, pa.int32()),
            "breakdown": ["total"] * n,
            "breakdown_value": ["total"] * n,
            "numerator": pa.array(num, pa.int64()),
            "denominator": pa.array(den, pa.int64()),
            "value": [k / d * s if d else None for k, d, s in zip(num, den, scale, strict=True)],
            "unit": unit,
            "suppressed": sup,
        }
    )


def test_funnel_table_against_the_nl_target() -> None:
    results = _results(
        [
            ("1", "nl", "NL01", 2000, 10000, False),
            ("1", "gemeente", "GM0002", 90, 200, False),
            ("1", "gemeente", "GM0001", 40, 200, False),
            ("1", "gemeente", "GM0003", 10, 20, True),
            ("1", "province", "PV20", 130, 400, False),
            ("2", "nl", "NL01", 200, 100000, False),
            ("2", "gemeente", "GM0001", 20, 1000, False),
        ]
    )
    table = funnel_table(results)
    assert table.column("region_code").to_pylist() == ["GM0001", "GM0002", "GM0001"]
    assert table.column("position").to_pylist() == ["within", "above", "above"]
    assert table.column("target_value").to_pylist() == [20.0, 20.0, 2.0]
    low, high = funnel_limits(200, 0.2)[0.998]
    assert table.column("low_998")[0].as_py() == pytest.approx(100 * float(low))
    assert table.column("high_998")[0].as_py() == pytest.approx(100 * float(high))
    p_low, _ = poisson_funnel_limits(1000, 2.0, levels=(0.95,))[0.95]
    assert table.column("low_95")[2].as_py() == pytest.approx(float(p_low))
    assert table.column_names[-7:] == [
        "value",
        "target_value",
        "low_95",
        "high_95",
        "low_998",
        "high_998",
        "position",
    ]


def test_funnel_table_without_published_target_has_null_limits() -> None:
    results = _results(
        [("1", "nl", "NL01", 5, 10000, True), ("1", "gemeente", "GM0001", 40, 200, False)]
    )
    table = funnel_table(results)
    assert table.num_rows == 1
    assert table.column("position").to_pylist() == [None]
    assert table.column("low_998").to_pylist() == [None]


def test_funnel_table_gives_a_municipality_without_units_no_limits_and_no_position() -> None:
    results = _results(
        [
            ("1", "nl", "NL01", 2000, 10000, False),
            ("1", "gemeente", "GM0001", 40, 200, False),
            ("1", "gemeente", "GM0002", 0, 0, True),  # hidden, as disclosure control leaves it
            ("1", "gemeente", "GM0003", 0, 0, False),  # (even if it were shown)
        ]
    )
    table = funnel_table(results)
    assert table.column("region_code").to_pylist() == ["GM0001", "GM0003"]
    assert table.column("position").to_pylist() == ["within", None]
    for name in ("value", "low_95", "high_95", "low_998", "high_998"):
        assert table.column(name)[1].as_py() is None, name
        assert table.column(name).null_count == 1, name  # null, never NaN

"""kansrijk.stats.quantiles equals scipy.stats bit for bit (it restates the calls scipy.stats
makes, to spare its 0.5 s import)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from kansrijk.stats import quantiles as q

RNG = np.random.default_rng(20261206)
N = RNG.integers(1, 250_000, 5_000).astype(float)
THETA = RNG.uniform(1e-4, 1 - 1e-4, 5_000)
SMALL_N = np.array([1.0, 2, 3, 5, 10, 17, 1, 2])
SMALL_THETA = np.array([0.5, 0.1, 0.9, 0.3, 0.99, 0.01, 1e-6, 1 - 1e-6])
TAILS = (0.001, 0.025, 0.5, 0.975, 0.999)


def _same(mine: object, theirs: object) -> None:
    np.testing.assert_array_equal(np.asarray(mine), np.asarray(theirs, dtype=np.float64))


@pytest.mark.parametrize("p", TAILS)
def test_normal(p: float) -> None:
    assert q.norm_ppf(p) == float(sps.norm.ppf(p))
    for x in (0.0, 0.3, 1.96, 5.0, 40.0):
        assert q.norm_sf(x) == float(sps.norm.sf(x))


@pytest.mark.parametrize("p", TAILS)
def test_student_t(p: float) -> None:
    df = np.concatenate([[1.0, 1.5, 2.0, 3.0, 1e6], RNG.uniform(1.0, 5_000.0, 2_000)])
    _same(q.t_ppf(p, df), sps.t.ppf(p, df))


@pytest.mark.parametrize("p", TAILS)
def test_chi_square(p: float) -> None:
    df = np.concatenate([[1.0, 2.0, 3.0], 2.0 * RNG.integers(1, 5_000, 2_000) + 2.0])
    _same(q.chi2_ppf(p, df), sps.chi2.ppf(p, df))


@pytest.mark.parametrize("p", TAILS)
@pytest.mark.parametrize("n, theta", [(N, THETA), (SMALL_N, SMALL_THETA)])
def test_binomial(p: float, n: np.ndarray, theta: np.ndarray) -> None:
    r = q.binom_ppf(p, n, theta)
    _same(r, sps.binom.ppf(p, n, theta))
    for k in (r - 1.0, r, r + 0.5, np.full_like(r, -1.0), n, n + 1.0):  # edges of the support
        _same(q.binom_cdf(k, n, theta), sps.binom.cdf(k, n, theta))


@pytest.mark.parametrize("p", TAILS)
@pytest.mark.parametrize("mu", [THETA * N / 50.0, np.array([1e-6, 0.01, 0.5, 1.0, 3.0, 40.0])])
def test_poisson(p: float, mu: np.ndarray) -> None:
    r = q.poisson_ppf(p, mu)
    _same(r, sps.poisson.ppf(p, mu))
    for k in (r - 1.0, r, r + 0.5, np.full_like(r, -1.0)):
        _same(q.poisson_cdf(k, mu), sps.poisson.cdf(k, mu))

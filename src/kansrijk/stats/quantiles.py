"""The few distribution functions the monitor needs, from ``scipy.special``'s ufuncs.

``scipy.stats`` computes these with exactly these calls (scipy 1.17: ``norm._ppf`` is
``ndtri``, ``norm._sf`` is ``ndtr(-x)``, ``t._ppf`` is ``stdtrit(df, q)``,
``chi2._ppf`` is ``2 * gammaincinv(df / 2, p)``,
``binom`` and ``poisson`` use the ufuncs below) but takes 0.5 s to import, a tenth of a local
report; ``scipy.special`` takes 0.1 s. Inputs must lie inside the distributions' support, as
the callers ensure; the wrappers of ``scipy.stats`` that handle the edges of the support (a
count below 0 or at n) are restated. tests/unit/stats/test_quantiles.py checks every function
equal, bit for bit, to ``scipy.stats`` on random and edge inputs, so an upgrade that changes
either shows there.
"""

from __future__ import annotations

import numpy as np
from scipy import special
from scipy.special import _ufuncs  # the Boost binomial functions scipy.stats.binom calls

from kansrijk.stats._arrays import FloatArray


def norm_ppf(q: float) -> float:
    """Standard normal quantile (``scipy.stats.norm.ppf``), 0 < q < 1."""
    return float(special.ndtri(q))


def norm_sf(x: float) -> float:
    """Standard normal upper tail P(Z > x) (``scipy.stats.norm.sf``)."""
    return float(special.ndtr(-x))


def t_ppf(q: float, df: FloatArray) -> FloatArray:
    """Student's t quantile (``scipy.stats.t.ppf``), 0 < q < 1 and df > 0."""
    return np.asarray(special.stdtrit(df, q), dtype=np.float64)


def chi2_ppf(q: float, df: FloatArray) -> FloatArray:
    """Chi-square quantile (``scipy.stats.chi2.ppf``), 0 < q < 1 and df > 0."""
    return np.asarray(2.0 * special.gammaincinv(df / 2.0, q), dtype=np.float64)


def binom_ppf(q: float, n: FloatArray, p: FloatArray) -> FloatArray:
    """Binomial quantile (``scipy.stats.binom.ppf``), 0 < q < 1, n >= 1, 0 < p < 1."""
    return np.asarray(_ufuncs._binom_ppf(q, n, p), dtype=np.float64)


def binom_cdf(k: FloatArray, n: FloatArray, p: FloatArray) -> FloatArray:
    """Binomial P(R <= k) (``scipy.stats.binom.cdf``): 0 below 0 and 1 from n on."""
    k = np.floor(k)
    inside = (k >= 0) & (k < n)
    cdf = _ufuncs._binom_cdf(np.where(inside, k, 0.0), n, p)
    return np.asarray(np.where(inside, cdf, np.where(k >= n, 1.0, 0.0)), dtype=np.float64)


def poisson_ppf(q: float, mu: FloatArray) -> FloatArray:
    """Poisson quantile (``scipy.stats.poisson.ppf``), 0 < q < 1 and mu > 0."""
    vals = np.ceil(special.pdtrik(q, mu))
    below = np.maximum(vals - 1, 0)
    return np.asarray(np.where(special.pdtr(below, mu) >= q, below, vals), dtype=np.float64)


def poisson_cdf(k: FloatArray, mu: FloatArray) -> FloatArray:
    """Poisson P(R <= k) (``scipy.stats.poisson.cdf``): 0 below 0."""
    k = np.floor(k)
    cdf = special.pdtr(np.maximum(k, 0.0), mu)
    return np.asarray(np.where(k >= 0, cdf, 0.0), dtype=np.float64)

"""Confidence intervals for a proportion (numerator out of denominator persons).

Both functions broadcast over numpy arrays and scalars (a scalar gives 0-d arrays) and return
proportions in [0, 1]; a denominator of 0 gives NaN.
"""

from __future__ import annotations

import numpy as np

from kansrijk.stats._arrays import ArrayLike, FloatArray, alpha_of, counts
from kansrijk.stats.quantiles import norm_ppf


def wilson_interval(
    numerator: ArrayLike, denominator: ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval: good coverage for small counts and never outside [0, 1]."""
    z = norm_ppf(1.0 - alpha_of(confidence) / 2.0)
    k, n = counts(numerator, denominator)
    empty = n == 0
    n_safe = np.where(empty, 1.0, n)
    p = k / n_safe
    z2n = z * z / n_safe
    centre = (p + z2n / 2.0) / (1.0 + z2n)
    half = z * np.sqrt(p * (1.0 - p) / n_safe + z2n / (4.0 * n_safe)) / (1.0 + z2n)
    # The bounds are exactly 0 at k = 0 and 1 at k = n; set them so rounding cannot exclude p.
    low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    low, high = np.where(empty, np.nan, low), np.where(empty, np.nan, high)
    return low, high


def clopper_pearson_interval(
    numerator: ArrayLike, denominator: ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Exact (Clopper-Pearson) binomial interval from beta quantiles; conservative."""
    alpha = alpha_of(confidence)
    k, n = counts(numerator, denominator)
    empty = n == 0
    # Beta parameters must be positive: substitute 1 where the closed form is 0 or 1 anyway.
    from scipy import stats as sps  # noqa: PLC0415  (0.5 s to import; only this interval needs it)

    low = sps.beta.ppf(alpha / 2.0, np.where(k == 0, 1.0, k), np.maximum(n - k + 1.0, 1.0))
    high = sps.beta.ppf(1.0 - alpha / 2.0, k + 1.0, np.where(k == n, 1.0, n - k))
    low = np.where(k == 0, 0.0, low)
    high = np.where(k == n, 1.0, high)
    return (
        np.where(empty, np.nan, low).astype(np.float64),
        np.where(empty, np.nan, high).astype(np.float64),
    )

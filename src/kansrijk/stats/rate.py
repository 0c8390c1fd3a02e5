"""Exact (Garwood) confidence interval for a rate: events per ``per`` persons of exposure."""

from __future__ import annotations

import numpy as np

from kansrijk.stats._arrays import ArrayLike, FloatArray, alpha_of, as_float
from kansrijk.stats.quantiles import chi2_ppf


def poisson_rate_interval(
    events: ArrayLike, exposure: ArrayLike, confidence: float = 0.95, per: float = 1000.0
) -> tuple[FloatArray, FloatArray]:
    """Garwood interval from chi-square quantiles, scaled to ``per`` persons.

    lower = chi2(alpha/2; 2k) / 2 (0 when k = 0), upper = chi2(1 - alpha/2; 2k + 2) / 2, both
    divided by the exposure. An exposure of 0 gives NaN. Vectorised like the proportion intervals.
    """
    alpha = alpha_of(confidence)
    k, e = np.broadcast_arrays(as_float(events), as_float(exposure))
    if np.any(k < 0) or np.any(e < 0):
        raise ValueError("events and exposure must be non-negative")
    empty = e == 0
    e_safe = np.where(empty, 1.0, e)
    low = np.where(k == 0, 0.0, chi2_ppf(alpha / 2.0, np.where(k == 0, 1.0, 2.0 * k)) / 2.0)
    high = chi2_ppf(1.0 - alpha / 2.0, 2.0 * k + 2.0) / 2.0
    scale = per / e_safe
    return (
        np.where(empty, np.nan, low * scale).astype(np.float64),
        np.where(empty, np.nan, high * scale).astype(np.float64),
    )

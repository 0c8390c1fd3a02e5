"""Funnel-plot control limits (Spiegelhalter 2005, Statistics in Medicine 24:1185-1202).

A unit with denominator n is compared with a target proportion theta. The exact limit at tail
probability p is the binomial quantile r_p (smallest r with P(R <= r) >= p), interpolated so the
limits move smoothly with n instead of in integer steps (Spiegelhalter's appendix A.1.1):

    alpha = (P(R <= r_p) - p) / (P(R <= r_p) - P(R <= r_p - 1)),   limit = (r_p - alpha) / n.

For rates ("per 1,000") the same construction is applied to a Poisson count with mean
target x exposure: limit = (r_p - alpha) / exposure, times ``per``. Limits are clipped to be
non-negative (and, for proportions, at most 1); a degenerate target (0, or 1 for a proportion)
gives limits equal to the target; a denominator of 0 gives NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from kansrijk.stats._arrays import ArrayLike, FloatArray, as_float
from kansrijk.stats.quantiles import binom_cdf, binom_ppf, poisson_cdf, poisson_ppf

CountModel = Literal["binomial", "poisson"]
#: The level at which the position against the funnel is judged.
FLAG_LEVEL = 0.998
ABOVE, BELOW, WITHIN = "above", "below", "within"


def _interpolated_quantile(
    p: float, n: FloatArray, theta: FloatArray, model: CountModel
) -> FloatArray:
    """r_p - alpha, the interpolated count quantile, for valid (n > 0) inputs only."""
    if model == "binomial":
        r = binom_ppf(p, n, theta)
        f_r, f_below = binom_cdf(r, n, theta), binom_cdf(r - 1.0, n, theta)
    else:
        mu = theta * n
        r = poisson_ppf(p, mu)
        f_r, f_below = poisson_cdf(r, mu), poisson_cdf(r - 1.0, mu)
    alpha = (f_r - p) / (f_r - f_below)
    return np.asarray(r - alpha, dtype=np.float64)


def count_model_limits(
    denominator: ArrayLike,
    target: ArrayLike,
    levels: Sequence[float],
    model: CountModel,
) -> dict[float, tuple[FloatArray, FloatArray]]:
    """Limits per level as proportions of the denominator (events per person for Poisson)."""
    n, theta = np.broadcast_arrays(as_float(denominator), as_float(target))
    upper_bound = 1.0 if model == "binomial" else np.inf
    if np.any(n < 0) or np.any(theta < 0) or np.any(theta > upper_bound):
        raise ValueError("denominators must be >= 0 and the target a valid proportion/rate")
    degenerate = (theta == 0.0) | (theta == 1.0) if model == "binomial" else theta == 0.0
    ok = (n > 0) & ~degenerate & np.isfinite(theta)
    out: dict[float, tuple[FloatArray, FloatArray]] = {}
    for level in levels:
        if not 0.0 < level < 1.0:
            raise ValueError(f"levels must lie strictly between 0 and 1, got {level}")
        tail = (1.0 - level) / 2.0
        bounds = []
        for p in (tail, 1.0 - tail):
            limit = np.full(n.shape, np.nan)
            limit[ok] = _interpolated_quantile(p, n[ok], theta[ok], model) / n[ok]
            limit = np.where(degenerate & (n > 0), theta, limit)
            bounds.append(np.clip(limit, 0.0, upper_bound))
        out[level] = (bounds[0], bounds[1])
    return out


def funnel_limits(
    denominator: ArrayLike,
    target_proportion: ArrayLike,
    levels: Sequence[float] = (0.95, 0.998),
) -> dict[float, tuple[FloatArray, FloatArray]]:
    """Exact binomial funnel limits (proportions) per level, interpolated; vectorised."""
    return count_model_limits(denominator, target_proportion, levels, "binomial")


def poisson_funnel_limits(
    exposure: ArrayLike,
    target_rate: ArrayLike,
    levels: Sequence[float] = (0.95, 0.998),
    per: float = 1000.0,
) -> dict[float, tuple[FloatArray, FloatArray]]:
    """Exact Poisson funnel limits for a rate given and returned per ``per`` persons."""
    limits = count_model_limits(exposure, as_float(target_rate) / per, levels, "poisson")
    return {level: (low * per, high * per) for level, (low, high) in limits.items()}


def position(observed: FloatArray, low: FloatArray, high: FloatArray) -> npt.NDArray[np.str_]:
    """ "above" / "below" / "within" the limits; NaN limits count as within."""
    out = np.full(np.shape(observed), WITHIN, dtype="<U6")
    out[observed > high] = ABOVE
    out[observed < low] = BELOW
    return out


def funnel_flags(
    numerator: ArrayLike,
    denominator: ArrayLike,
    target: ArrayLike,
    level: float = FLAG_LEVEL,
    *,
    count_model: CountModel = "binomial",
) -> npt.NDArray[np.str_]:
    """Each unit's position against the funnel at ``level``.

    ``target`` is a proportion of the denominator (events per person for ``"poisson"``).
    A denominator of 0 has no limits and is reported as "within".
    """
    k, n = np.broadcast_arrays(as_float(numerator), as_float(denominator))
    low, high = count_model_limits(n, target, (level,), count_model)[level]
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.where(n > 0, k / np.where(n > 0, n, 1.0), np.nan)
    return position(observed, low, high)

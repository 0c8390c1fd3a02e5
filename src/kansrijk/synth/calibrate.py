"""Intercepts of person-level mechanisms, solved on the simulated people themselves.

A mechanism gives each unit a probability ``link(a + eta_i)``; the intercept ``a``
is chosen so that the mean probability over the units the indicator counts equals
the target. The outcome is then a Bernoulli draw per unit, so the figure in the
data carries sampling noise and its social gradient comes from ``eta``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr

FloatArray = NDArray[np.float64]


def sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out


def solve_intercept(
    eta: FloatArray,
    target: float,
    *,
    link: str = "logit",
    weights: FloatArray | None = None,
    lo: float = -30.0,
    hi: float = 30.0,
    iterations: int = 60,
) -> float:
    """The intercept ``a`` with (weighted) mean(link(a + eta)) == target, 0 < target < 1."""
    if not 0.0 < target < 1.0:
        raise ValueError(f"target probability must be in (0, 1), got {target}")
    if eta.size == 0:
        raise ValueError("cannot calibrate on an empty population")
    f = sigmoid if link == "logit" else ndtr
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if float(np.average(f(mid + eta), weights=weights)) < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)

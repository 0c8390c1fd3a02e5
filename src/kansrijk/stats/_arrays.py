"""Shared array helpers: input coercion and validation for the interval functions."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
ArrayLike: TypeAlias = npt.ArrayLike


def as_float(values: ArrayLike) -> FloatArray:
    """``values`` as a float64 array (0-d for a scalar)."""
    return np.asarray(values, dtype=np.float64)


def alpha_of(confidence: float) -> float:
    """The two-sided tail mass ``1 - confidence``; rejects levels outside (0, 1)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    return 1.0 - confidence


def counts(numerator: ArrayLike, denominator: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Broadcast a numerator and a denominator of persons; rejects negative or inverted counts."""
    k, n = np.broadcast_arrays(as_float(numerator), as_float(denominator))
    if np.any(k < 0) or np.any(n < 0):
        raise ValueError("counts must be non-negative")
    if np.any(k > n):
        raise ValueError("numerator exceeds denominator")
    return k, n

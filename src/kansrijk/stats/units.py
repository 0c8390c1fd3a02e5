"""The units of the results table and the interval each one uses."""

from __future__ import annotations

from typing import Final

from kansrijk.stats._arrays import ArrayLike, FloatArray
from kansrijk.stats.proportion import wilson_interval
from kansrijk.stats.rate import poisson_rate_interval

PERCENT: Final = "%"
PER_1000: Final = "per 1,000"
#: How many units one person-proportion is worth, per unit string.
SCALE: Final[dict[str, float]] = {PERCENT: 100.0, PER_1000: 1000.0}


def scale_of(unit: str) -> float:
    """The factor from a proportion (or rate per person) to ``unit``; rejects unknown units."""
    try:
        return SCALE[unit]
    except KeyError:
        raise ValueError(f"unknown unit {unit!r}; expected one of {sorted(SCALE)}") from None


def interval_for_unit(
    unit: str, numerator: ArrayLike, denominator: ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """The interval in the unit's scale: Wilson x 100 for "%", exact Poisson for "per 1,000"."""
    scale = scale_of(unit)
    if unit == PERCENT:
        low, high = wilson_interval(numerator, denominator, confidence)
        return low * scale, high * scale
    return poisson_rate_interval(numerator, denominator, confidence, per=scale)

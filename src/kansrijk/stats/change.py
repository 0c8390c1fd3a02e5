"""Is a change between two periods more than chance? (the trend arrows of the dashboards)."""

from __future__ import annotations

import math
from enum import StrEnum


class Change(StrEnum):
    UP = "up"
    DOWN = "down"
    STABLE = "stable"


def proportion_change(
    num_before: int, den_before: int, num_after: int, den_after: int, confidence: float = 0.95
) -> tuple[Change, float]:
    """Two-sided two-proportion z-test (pooled variance) of after against before.

    Returns the direction of a significant change (STABLE when not significant at
    ``confidence``) and the p-value. Used for rates per 1,000 as well: at these small rates the
    binomial and the Poisson test agree closely.
    """
    if min(den_before, den_after) <= 0:
        raise ValueError("denominators must be positive")
    if not (0 <= num_before <= den_before and 0 <= num_after <= den_after):
        raise ValueError("numerators must lie between 0 and their denominator")
    p1, p2 = num_before / den_before, num_after / den_after
    pooled = (num_before + num_after) / (den_before + den_after)
    se = math.sqrt(pooled * (1 - pooled) * (1 / den_before + 1 / den_after))
    if se == 0:
        return Change.STABLE, 1.0
    z = (p2 - p1) / se
    # Two-sided normal p-value: 2 * (1 - Phi(|z|)) = erfc(|z| / sqrt 2) (no SciPy import).
    p_value = math.erfc(abs(z) / math.sqrt(2))
    if p_value >= 1 - confidence:
        return Change.STABLE, p_value
    return (Change.UP if z > 0 else Change.DOWN), p_value

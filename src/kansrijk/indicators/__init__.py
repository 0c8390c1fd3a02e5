"""Indicator definitions: frozen, versioned data per monitor edition (no backend code)."""

from kansrijk.indicators.catalogue import CATALOGUE, catalogue, indicator
from kansrijk.indicators.model import (
    BREAKDOWNS,
    FAMILY_BREAKDOWNS,
    Direction,
    Indicator,
    Phase,
    RegionRule,
    Unit,
)

__all__ = [
    "BREAKDOWNS",
    "CATALOGUE",
    "FAMILY_BREAKDOWNS",
    "Direction",
    "Indicator",
    "Phase",
    "RegionRule",
    "Unit",
    "catalogue",
    "indicator",
]

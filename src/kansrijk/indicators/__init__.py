"""Indicator definitions: frozen, versioned data per monitor edition (no backend code)."""

from kansrijk.indicators.catalogue import CATALOGUE, catalogue, indicator
from kansrijk.indicators.model import (
    BREAKDOWN_VALUES,
    BREAKDOWNS,
    FAMILY_BREAKDOWNS,
    MUNICIPAL_POOLED_BREAKDOWNS,
    Direction,
    Indicator,
    Phase,
    RegionRule,
    Unit,
)

__all__ = [
    "BREAKDOWNS",
    "BREAKDOWN_VALUES",
    "CATALOGUE",
    "FAMILY_BREAKDOWNS",
    "MUNICIPAL_POOLED_BREAKDOWNS",
    "Direction",
    "Indicator",
    "Phase",
    "RegionRule",
    "Unit",
    "catalogue",
    "indicator",
]

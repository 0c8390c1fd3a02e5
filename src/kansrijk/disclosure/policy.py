"""The disclosure policy: one threshold, named, and the reason texts that cite it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

#: Counts of fewer than this many persons are never published (spec: "Disclosure control").
THRESHOLD: Final = 10

#: Secondary-suppression reasons, one per kind of additive group.
SECONDARY_BREAKDOWN: Final = "secondary: breakdown"
SECONDARY_REGION: Final = "secondary: region"
SECONDARY_POOLED: Final = "secondary: pooled"


@dataclass(frozen=True)
class DisclosurePolicy:
    """The rule applied before publication: numerator, complement and denominator >= threshold."""

    threshold: int = THRESHOLD

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError("the disclosure threshold must be at least 1")

    @property
    def reason_denominator(self) -> str:
        return f"primary: denominator < {self.threshold}"

    @property
    def reason_numerator(self) -> str:
        return f"primary: numerator < {self.threshold}"

    @property
    def reason_complement(self) -> str:
        return f"primary: complement < {self.threshold}"

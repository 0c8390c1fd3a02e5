"""The disclosure policy: one threshold, named, and the reason texts that cite it.

Two kinds of policy exist, named by what a count counts:

* ``"persons"`` (the default): counts of people. The threshold is at least 1 and 10 by default
  (spec: "Disclosure control"); this is what every registry indicator is published with.
* ``"organisations"``: counts of municipalities or organisations (coalitions, midwifery
  practices, JGZ organisations), which RIVM publishes as they are ("8 of 36"). Only this
  policy may use a threshold of 0, and `ORGANISATIONS` is the one instance meant for it. It
  still goes through `apply_disclosure` / `check_publishable` / `publish`, so the schema and
  consistency checks apply unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

#: Counts of fewer than this many persons are never published (spec: "Disclosure control").
THRESHOLD: Final = 10

#: Secondary-suppression reasons, one per kind of additive group.
SECONDARY_BREAKDOWN: Final = "secondary: breakdown"
SECONDARY_REGION: Final = "secondary: region"
SECONDARY_POOLED: Final = "secondary: pooled"

Subject = Literal["persons", "organisations"]
SUBJECTS: Final[tuple[Subject, ...]] = ("persons", "organisations")


@dataclass(frozen=True)
class DisclosurePolicy:
    """The rule applied before publication: numerator, complement and denominator >= threshold.

    ``subject`` says what the counts count; only ``"organisations"`` may have threshold 0.
    """

    threshold: int = THRESHOLD
    subject: Subject = "persons"

    def __post_init__(self) -> None:
        if self.subject not in SUBJECTS:
            raise ValueError(f"unknown disclosure subject {self.subject!r}; expected {SUBJECTS}")
        if self.subject == "persons" and self.threshold < 1:
            raise ValueError("the disclosure threshold must be at least 1")
        if self.threshold < 0:
            raise ValueError("the disclosure threshold must not be negative")

    @property
    def reason_denominator(self) -> str:
        return f"primary: denominator < {self.threshold}"

    @property
    def reason_numerator(self) -> str:
        return f"primary: numerator < {self.threshold}"

    @property
    def reason_complement(self) -> str:
        return f"primary: complement < {self.threshold}"


#: Counts of municipalities and organisations (programme indicators 1-6 and 9): published as
#: they are, as RIVM does, through the same publishing path.
ORGANISATIONS: Final = DisclosurePolicy(threshold=0, subject="organisations")

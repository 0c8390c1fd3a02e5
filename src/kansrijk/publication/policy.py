"""The disclosure policy: the threshold, the protection level, and what a count counts.

* ``threshold`` (10 by default, spec "Disclosure control"): a numerator, complement or
  denominator below it is *sensitive*; its cell is never published (primary suppression).
* ``protection_level`` (the threshold by default, never below it): for every sensitive count
  the interval an attacker can derive from everything published must be at least this wide
  (tau-ARGUS's *sliding protection level*). With 10, an attacker who sees the table cannot
  narrow a hidden count of 3 to fewer than eleven possible values.
* ``subject``: ``"persons"`` (every registry indicator) or ``"organisations"`` (counts of
  municipalities or organisations, which RIVM publishes as they are: threshold 0, nothing is
  sensitive; the gate still checks the table and writes it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

#: Counts of fewer than this many persons are never published (spec: "Disclosure control").
THRESHOLD: Final = 10
#: What every public output says of a hidden cell, whatever the reason.
HIDDEN_NL: Final = "verborgen (privacy)"
HIDDEN_EN: Final = "hidden (privacy)"

Subject = Literal["persons", "organisations"]
SUBJECTS: Final[tuple[Subject, ...]] = ("persons", "organisations")


@dataclass(frozen=True)
class DisclosurePolicy:
    """The rule the gate applies (see the module docstring)."""

    threshold: int = THRESHOLD
    subject: Subject = "persons"
    protection_level: int | None = field(default=None)

    def __post_init__(self) -> None:
        if self.subject not in SUBJECTS:
            raise ValueError(f"unknown disclosure subject {self.subject!r}; expected {SUBJECTS}")
        if self.subject == "persons" and self.threshold < 1:
            raise ValueError("the disclosure threshold must be at least 1")
        if self.threshold < 0:
            raise ValueError("the disclosure threshold must not be negative")
        if self.protection_level is not None and self.protection_level < self.threshold:
            raise ValueError("the protection level must be at least the threshold")

    @property
    def level(self) -> float:
        """The protection level in force (the threshold unless set higher)."""
        return float(self.threshold if self.protection_level is None else self.protection_level)

    def as_dict(self) -> dict[str, object]:
        return {
            "threshold": self.threshold,
            "protection_level": self.level,
            "subject": self.subject,
        }


#: Counts of municipalities and organisations (programme indicators 1-6 and 9): published as
#: they are, as RIVM does, through the same gate.
ORGANISATIONS: Final = DisclosurePolicy(threshold=0, subject="organisations")

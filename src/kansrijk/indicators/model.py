"""What an indicator is: frozen, versioned data with no knowledge of any backend.

A definition names a *family* (the unit of analysis the engine builds, e.g. one row per
pregnancy) and an *outcome* (a 0/1 column of that unit table); the engine compiles the pair
into queries. Everything a reader needs to understand the figure (population, numerator,
denominator, time reference, region rule, pooling, breakdowns, deviations from RIVM's code)
is part of the definition, and so of its hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Unit(StrEnum):
    PERCENT = "%"
    PER_1000 = "per 1,000"


class RegionRule(StrEnum):
    """Where a unit is counted geographically."""

    MOTHER_30_JUNE = "mother's address on 30 June of the data year"
    MOTHER_ELSE_FATHER_30_JUNE = (
        "mother's address on 30 June of the data year; without a known mother the father's; "
        "with neither parent known the unknown remainder (NL00)"
    )
    CHILD_31_DECEMBER = "child's registration on 31 December of the data year"


class Direction(StrEnum):
    LOWER_IS_BETTER = "lower"
    HIGHER_IS_BETTER = "higher"


class Phase(StrEnum):
    """The phase of the first 1000 days an indicator belongs to (for local reports)."""

    BEFORE = "before pregnancy"
    DURING = "during pregnancy"
    AFTER = "after birth"


#: Breakdowns the engine knows, with their Dutch and English labels.
BREAKDOWNS: dict[str, tuple[str, str]] = {
    "income_p10": ("Huishoudinkomen onder 10e percentiel", "Household income below P10"),
    "income_quintile": ("Huishoudinkomen (kwintiel)", "Household income quintile"),
    "single_parent": ("Eenoudergezin", "Single-parent household"),
    "debts": ("Schulden (een of beide ouders)", "Debts (either parent)"),
    "parental_ggz": ("GGZ-gebruik ouder", "Mental health care use of a parent"),
    "education": ("Opleidingsniveau moeder", "Mother's education"),
    "migration": ("Migratieachtergrond moeder", "Mother's migration background"),
    "jgz_organisation": ("JGZ-organisatie", "JGZ organisation"),
    "vulnerability": (
        "Meervoudig kwetsbare situatie (voorspeld, moeder)",
        "Multidimensional vulnerability (predicted, mother)",
    ),
}

#: Every value each breakdown can take, as the engine computes them
#: (``kansrijk.engine.context.breakdown_columns``); the engine fails on any other value, so a
#: rule change that adds one must be declared here first. A value missing from the data simply
#: has no cell. ``None`` = open: any value in the data (``jgz_organisation`` takes the JGZ
#: organisation codes of the contacts, ``JGZ`` + 2-3 digits).
BREAKDOWN_VALUES: dict[str, tuple[str, ...] | None] = {
    "income_p10": ("<P10", ">=P10", "unknown"),
    "income_quintile": ("Q1", "Q2", "Q3", "Q4", "Q5", "unknown"),
    "single_parent": ("yes", "no", "unknown"),
    "debts": ("yes", "no"),
    "parental_ggz": ("yes", "no"),
    # The contract's education levels (kansrijk.registry.contract.EDUCATION_LEVELS) + unknown.
    "education": ("low", "middle", "high", "unknown"),
    "migration": ("dutch", "western", "non_western", "unknown"),
    "jgz_organisation": None,
    # The mother's predicted class (kansrijk.engine.vulnerability); unknown: no prediction.
    "vulnerability": ("yes", "no", "unknown"),
}

#: Breakdowns municipalities get, pooled over the latest window of a run, for definitions
#: with ``pooling_years`` (yearly municipal breakdowns are mostly too small to publish).
MUNICIPAL_POOLED_BREAKDOWNS = ("income_p10", "single_parent", "debts")

#: Breakdowns about the household of the mother, available wherever a mother is known.
FAMILY_BREAKDOWNS = (
    "income_p10",
    "income_quintile",
    "single_parent",
    "debts",
    "parental_ggz",
    "education",
    "migration",
)


@dataclass(frozen=True)
class Indicator:
    """One versioned indicator definition."""

    id: str
    indicator_set: int  # 2019 or 2024: the national set the number belongs to
    number: str  # number within the set as published, e.g. "12" or "15"
    version: str
    editions: tuple[int, ...]
    family: str
    outcome: str
    title_nl: str
    title_en: str
    population: str
    numerator: str
    denominator: str
    unit: Unit
    time_reference: str
    region_rule: RegionRule
    phase: Phase
    direction: Direction
    sources: tuple[str, ...]
    breakdowns: tuple[str, ...] = FAMILY_BREAKDOWNS
    pooling_years: int | None = None  # municipal figures are also pooled over this many years
    parameters: tuple[tuple[str, float | int | str | bool], ...] = ()
    deviations: tuple[str, ...] = ()
    parent: str | None = field(default=None)  # a sub-figure of this indicator id

    def parameter(self, name: str, default: float | int | str | bool | None = None) -> object:
        for key, value in self.parameters:
            if key == name:
                return value
        return default

    def fingerprint(self) -> dict[str, object]:
        """The definition as plain data (stable key order), for hashing and manifests."""
        data = asdict(self)
        data["unit"] = str(self.unit)
        data["region_rule"] = str(self.region_rule)
        data["phase"] = str(self.phase)
        data["direction"] = str(self.direction)
        return data

    def definition_hash(self, implementation: str = "") -> str:
        """SHA-256 of the definition (``fingerprint``) plus ``implementation``, the text of
        what computes it: for the monitor, the compiled queries of the definition's cells
        (``kansrijk.engine.provenance.definition_hashes``)."""
        payload = json.dumps(self.fingerprint(), sort_keys=True, default=str) + implementation
        return hashlib.sha256(payload.encode()).hexdigest()

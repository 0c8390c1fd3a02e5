"""What a programme indicator is: frozen, versioned data, like `kansrijk.indicators.Indicator`.

Programme indicators (1-6 and 9 of the 2019 set) count municipalities and organisations, not
persons: the municipal questionnaire (1, 2, 4) and the registries of the national organisations
(3, 5, 6, 9). One definition publishes one or more *figures*, each a set of rows of the results
table under its own ``indicator_id``:

* the headline figure, whose id is the indicator's own id ("2019-01");
* denominator variants, e.g. "2019-01r" (the same numerator over the municipalities that
  answered), marked by ``Figure.variant``;
* unknowns ("2019-01u": Impuls municipalities without a submitted answer, over all Impuls
  municipalities);
* answer distributions ("2019-01s", "2019-01rs"): one row per answer category in
  ``breakdown = "status"``;
* further coverage figures ("2019-03a", "2019-03j").

Sub-figures get their own ids (as "2019-08a" does in the registry catalogue) rather than a
breakdown of the headline id: a breakdown is, in the results table, a partition of the
headline's population (the publication gate's breakdown hierarchies add the non-total rows up
to the "total" row), which a second denominator is not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from enum import StrEnum

from kansrijk.indicators import Direction, Phase, Unit


class Subject(StrEnum):
    """What the numerator and denominator count."""

    MUNICIPALITIES = "municipalities"
    ORGANISATIONS = "organisations"


class Source(StrEnum):
    QUESTIONNAIRE = "municipal questionnaire"
    GGD_GHOR = "GGD GHOR Nederland"
    NCJ = "NCJ (Nederlands Centrum Jeugdgezondheid)"
    CENTERING = "Stichting Centering Nederland"


class ReferenceDate(StrEnum):
    """The day on which the counted state holds."""

    QUESTIONNAIRE = "the questionnaire's reference date (peildatum) of the year"
    OCTOBER_1 = "1 October of the year"


class CoalitionStatus(StrEnum):
    """Answer to the questionnaire's coalition question."""

    FORMED = "formed"
    PREPARING = "preparing"  # in preparation, or in talks about one
    NONE = "none"


class PlanStatus(StrEnum):
    """Answer to the questionnaire's plan-of-action question."""

    FINISHED = "finished"
    IN_DEVELOPMENT = "in_development"
    NONE = "none"


def _dutch(language: str) -> bool:
    return language.lower().startswith("nl")


#: The breakdown value of municipalities without a submitted answer in a status distribution.
UNKNOWN = "unknown"
#: The breakdown name of the answer distributions.
STATUS = "status"
TOTAL = "total"


@dataclass(frozen=True)
class Figure:
    """One published figure: the rows of the results table with ``indicator_id == id``."""

    id: str
    label_en: str
    label_nl: str
    numerator: str
    denominator: str
    #: "impuls" / "responding" for the two denominators of indicators 1 and 2, else None.
    variant: str | None = None
    #: "total" (one row), or "status" (one row per category, in this order).
    breakdown: str = TOTAL
    categories: tuple[str, ...] = ()

    def label(self, language: str) -> str:
        return self.label_nl if _dutch(language) else self.label_en


@dataclass(frozen=True)
class ProgrammeIndicator:
    """One versioned programme indicator definition."""

    id: str  # "2019-01"
    number: str  # number within the 2019 set as published: "1"
    version: str
    editions: tuple[int, ...]
    title_nl: str
    title_en: str
    numerator: str
    denominator: str
    numerator_nl: str  # RIVM's "Teller"
    denominator_nl: str  # RIVM's "Noemer"
    subject: Subject
    source: Source
    reference_date: ReferenceDate
    phase: Phase | None  # None: the programme's conditions, across all phases
    figures: tuple[Figure, ...]
    unit: Unit = Unit.PERCENT
    direction: Direction = Direction.HIGHER_IS_BETTER
    indicator_set: int = 2019
    notes: tuple[str, ...] = ()
    deviations: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.figures or self.figures[0].id != self.id:
            raise ValueError(f"{self.id}: the first figure must be the headline ({self.id})")
        ids = [f.id for f in self.figures]
        if len(set(ids)) != len(ids) or not all(i.startswith(self.id) for i in ids):
            raise ValueError(f"{self.id}: figure ids must be unique and start with {self.id}")

    @property
    def headline(self) -> Figure:
        return self.figures[0]

    @property
    def denominator_variants(self) -> tuple[Figure, ...]:
        """The figures with the headline numerator over another denominator (1 and 2)."""
        return tuple(f for f in self.figures if f.variant is not None)

    def figure(self, figure_id: str) -> Figure:
        for f in self.figures:
            if f.id == figure_id:
                return f
        raise KeyError(figure_id)

    def title(self, language: str) -> str:
        """The title in ``language`` ("nl..." gives Dutch, anything else English)."""
        return self.title_nl if _dutch(language) else self.title_en

    def numerator_text(self, language: str) -> str:
        return self.numerator_nl if _dutch(language) else self.numerator

    def denominator_text(self, language: str) -> str:
        return self.denominator_nl if _dutch(language) else self.denominator

    def fingerprint(self) -> dict[str, object]:
        """The definition as plain data (stable key order), for hashing and manifests."""
        data = asdict(self)
        for key in ("subject", "source", "reference_date", "unit", "direction"):
            data[key] = str(data[key])
        data["phase"] = None if self.phase is None else str(self.phase)
        return data

    def definition_hash(self, implementation: str = "") -> str:
        """SHA-256 of the definition plus the computation's implementation fingerprint."""
        payload = json.dumps(self.fingerprint(), sort_keys=True, default=str) + implementation
        return hashlib.sha256(payload.encode()).hexdigest()

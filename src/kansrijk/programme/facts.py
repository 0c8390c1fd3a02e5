"""The input of the programme indicators: plain facts per year (codes and ids, no persons).

Whoever holds the data (the coalition platform's database, a spreadsheet from a national
organisation, a test) fills one `ProgrammeFacts` per year; the computation reads nothing else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from kansrijk.programme.model import CoalitionStatus, PlanStatus

#: Answer values accepted for the PHB-JGZ question, besides booleans.
_YES = frozenset({"yes", "ja", "true"})
_NO = frozenset({"no", "nee", "false"})


_S = TypeVar("_S", CoalitionStatus, PlanStatus)


def _status(kind: type[_S], value: object, code: str) -> _S | None:
    if value is None or value == "":
        return None
    try:
        return kind(str(value))
    except ValueError:
        raise ValueError(
            f"{code}: {value!r} is not one of {[str(v) for v in kind]} (or None)"
        ) from None


def _yes_no(value: object, code: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"{code}: {value!r} is not yes/no (or None)")


@dataclass(frozen=True)
class Answers:
    """One municipality's submitted answers to the three questions (None: not answered)."""

    coalition_status: CoalitionStatus | None = None
    plan_status: PlanStatus | None = None
    phb_offered: bool | None = None

    @classmethod
    def parse(cls, values: Mapping[str, object]) -> Answers:
        """From question code -> raw value; unknown values raise ValueError, missing = None."""
        return cls(
            coalition_status=_status(
                CoalitionStatus, values.get("coalition_status"), "coalition_status"
            ),
            plan_status=_status(PlanStatus, values.get("plan_status"), "plan_status"),
            phb_offered=_yes_no(values.get("phb_offered"), "phb_offered"),
        )


@dataclass(frozen=True)
class ProgrammeFacts:
    """Everything the programme indicators of one year are computed from.

    Municipalities are CBS codes ("GM0363"), organisations registry numbers. ``answers`` holds
    submitted questionnaires only: a municipality missing from it did not submit.
    """

    year: int
    survey_date: date  # the questionnaire's reference date (peildatum)
    registry_date: date  # reference date of the national organisations' registries (1 October)
    impuls: frozenset[str] = frozenset()
    answers: Mapping[str, Answers] = field(default_factory=dict)
    municipalities: frozenset[str] = frozenset()  # all municipalities of the year
    nnz_centres: frozenset[str] = frozenset()
    nnz_started: frozenset[str] = frozenset()
    nnz_joined: frozenset[str] = frozenset()
    voorzorg_municipalities: frozenset[str] = frozenset()
    voorzorg_offering: frozenset[str] = frozenset()
    midwifery_practices: frozenset[int] = frozenset()  # active on the registry date
    centering_trained: frozenset[int] = frozenset()
    jgz_organisations: frozenset[int] = frozenset()  # active on the registry date
    centering_ouderschap: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        # Accept any iterable (sets, lists) but keep frozensets, so facts cannot change later.
        for name in (
            "impuls",
            "municipalities",
            "nnz_centres",
            "nnz_started",
            "nnz_joined",
            "voorzorg_municipalities",
            "voorzorg_offering",
            "midwifery_practices",
            "centering_trained",
            "jgz_organisations",
            "centering_ouderschap",
        ):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        object.__setattr__(self, "answers", dict(sorted(self.answers.items())))

    def fingerprint(self, names: Iterable[str]) -> dict[str, object]:
        """The named facts as plain, sorted data; "answers.<question>" picks one question."""
        out: dict[str, object] = {"year": self.year}
        for name in names:
            if name.startswith("answers."):
                question = name.removeprefix("answers.")
                out[name] = {
                    code: None if (v := getattr(a, question)) is None else str(v)
                    for code, a in self.answers.items()
                }
            else:
                value = getattr(self, name)
                out[name] = value.isoformat() if isinstance(value, date) else sorted(value)
        return out

    def data_hash(self, names: Iterable[str]) -> str:
        """SHA-256 of the named facts (see `fingerprint`)."""
        payload = json.dumps(self.fingerprint(names), sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


#: The facts each indicator reads: its data hash covers exactly these.
FACTS_READ: dict[str, tuple[str, ...]] = {
    "2019-01": ("survey_date", "impuls", "answers.coalition_status"),
    "2019-02": ("survey_date", "impuls", "answers.plan_status"),
    "2019-03": ("registry_date", "municipalities", "nnz_centres", "nnz_started", "nnz_joined"),
    "2019-04": ("survey_date", "answers.phb_offered"),
    "2019-05": ("registry_date", "voorzorg_municipalities", "voorzorg_offering"),
    "2019-06": ("registry_date", "midwifery_practices", "centering_trained"),
    "2019-09": ("registry_date", "jgz_organisations", "centering_ouderschap"),
}

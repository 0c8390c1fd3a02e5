"""`ProgrammeFacts` for one year from the platform's database.

Everything is read through the coalition registry's and the questionnaire's service functions
(`kansrijk.web.coalitions.services`, `kansrijk.web.survey.services`); this module only chooses
the reference dates and turns the answers into the core's types.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from kansrijk.programme import Answers, ProgrammeFacts
from kansrijk.web.coalitions import services as coalitions
from kansrijk.web.survey import services as survey

#: The questions the programme indicators read (option codes as in `survey.questions`).
QUESTIONS: Final = ("coalition_status", "plan_status", "phb_offered")


def registry_date(year: int) -> date:
    """Reference date of the national organisations' registries: 1 October of the year."""
    return date(year, 10, 1)


def build_facts(year: int) -> ProgrammeFacts:
    """The facts of ``year``: Impuls and answers on the questionnaire's reference date, the
    registries (NNZ, VoorZorg, Centering) on 1 October."""
    survey_day = survey.reference_date(year)
    registry_day = registry_date(year)
    submitted = survey.submitted_answers(year, QUESTIONS)
    centres, started = coalitions.nnz_centres(registry_day)
    voorzorg_all, voorzorg_offering = coalitions.voorzorg(year, registry_day)
    practices, trained = coalitions.centering_practices(registry_day)
    jgz, ouderschap = coalitions.centering_ouderschap(registry_day)
    return ProgrammeFacts(
        year=year,
        survey_date=survey_day,
        registry_date=registry_day,
        impuls=frozenset(coalitions.impuls_municipalities(year, survey_day)),
        answers={code: Answers.parse(values) for code, values in submitted.items()},
        municipalities=frozenset(coalitions.municipality_codes(year)),
        nnz_centres=frozenset(centres),
        nnz_started=frozenset(started),
        nnz_joined=frozenset(coalitions.nnz_joined(registry_day)),
        voorzorg_municipalities=frozenset(voorzorg_all),
        voorzorg_offering=frozenset(voorzorg_offering),
        midwifery_practices=frozenset(practices),
        centering_trained=frozenset(trained),
        jgz_organisations=frozenset(jgz),
        centering_ouderschap=frozenset(ouderschap),
    )

"""A small hand-counted year of programme facts (expected figures in the tests)."""

from __future__ import annotations

from datetime import date

from kansrijk.programme import Answers, ProgrammeFacts

SURVEY_DAY = date(2021, 9, 20)
REGISTRY_DAY = date(2021, 10, 1)
MUNICIPALITIES = {f"GM{n:04d}" for n in range(1, 11)}  # GM0001 .. GM0010
IMPULS = {f"GM{n:04d}" for n in range(1, 7)}  # GM0001 .. GM0006


def answers(coalition: str | None, plan: str | None, phb: object) -> Answers:
    return Answers.parse({"coalition_status": coalition, "plan_status": plan, "phb_offered": phb})


#: GM0005 did not submit; GM0006 submitted without answering; GM0007/8 have no Impuls.
ANSWERS = {
    "GM0001": answers("formed", "finished", "yes"),
    "GM0002": answers("formed", "in_development", "no"),
    "GM0003": answers("preparing", "none", None),
    "GM0004": answers("none", None, "yes"),
    "GM0006": answers(None, None, None),
    "GM0007": answers("formed", "finished", "yes"),  # not counted in 1 and 2 (no Impuls)
    "GM0008": answers(None, None, "no"),
}


def year_facts(year: int = 2021, **changes: object) -> ProgrammeFacts:
    fields: dict[str, object] = {
        "year": year,
        "survey_date": SURVEY_DAY.replace(year=year),
        "registry_date": REGISTRY_DAY.replace(year=year),
        "impuls": IMPULS,
        "answers": ANSWERS,
        "municipalities": MUNICIPALITIES,
        "nnz_centres": {"GM0001", "GM0002", "GM0003"},
        "nnz_started": {"GM0001", "GM0002", "GM0009"},  # GM0009 is no centre: ignored
        "nnz_joined": {"GM0004", "GM0005", "GM0099"},  # GM0099 is not a municipality this year
        "voorzorg_municipalities": MUNICIPALITIES,
        "voorzorg_offering": {"GM0001", "GM0002", "GM0003"},
        "midwifery_practices": set(range(1, 9)),  # 8 active practices
        "centering_trained": {1, 2, 3, 99},  # 99 trained but not active on the reference date
        "jgz_organisations": {1, 2, 3, 4},
        "centering_ouderschap": {2},
    }
    fields.update(changes)
    return ProgrammeFacts(**fields)  # type: ignore[arg-type]

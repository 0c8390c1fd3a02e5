"""Demo questionnaire data: the question sets, and submitted responses for 2019-2021 that give
back RIVM's published figures.

``coalition_status``, ``plan_status`` and ``phb_offered`` come exactly from the demo plan (so
the programme indicators computed from them match the monitor). Every other answer is plausible
and deterministic. Where the 2021 monitor publishes a figure, the demo hits it: PHB-JGZ in weeks
20-25 for 69% and before week 15 for 43% of the municipalities with a PHB-JGZ, tailored in 91%,
agreements with birth care in 56%; GPs wished for by 77 municipalities, lived-experience experts
by 55 and the health insurer by 44. The other shares are ASSUMED.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Final

from django.db import transaction
from django.utils import timezone

from kansrijk.web.demo_plan import YEARS, DemoPlan, demo_plan
from kansrijk.web.survey.models import (
    Answer,
    Option,
    Question,
    QuestionSet,
    QuestionSetStatus,
    Response,
    ResponseStatus,
)
from kansrijk.web.survey.questions import install_question_set

#: option code -> chance a responding municipality ticks it (2021; earlier years a bit less).
PARTNER_CHANCES: Final = {
    "partners_medical": {
        "midwives": 0.85,
        "kraamzorg": 0.75,
        "gynaecologists": 0.45,
        "gps": 0.40,
        "ggz": 0.35,
        "health_insurer": 0.20,
    },
    "partners_social": {
        "jgz": 0.92,
        "ggd": 0.75,
        "district_teams": 0.75,
        "debt_counselling": 0.50,
        "welfare": 0.55,
        "housing": 0.20,
        "work_income": 0.30,
        "youth_care": 0.35,
    },
    "partners_community": {
        "lived_experience": 0.18,
        "self_help": 0.08,
        "volunteers": 0.12,
        "faith_migrant": 0.05,
    },
    "partners_municipal": {
        "dept_public_health": 0.70,
        "dept_youth": 0.80,
        "dept_social_support": 0.45,
        "dept_income": 0.35,
    },
}
GROWTH: Final = {2019: 0.8, 2020: 0.9, 2021: 1.0}
#: Share of municipalities with a PHB-JGZ per timing band; 2021 lt15 and w20_25 published.
PHB_TIMING: Final = {
    2019: {"lt15": 0.20, "w15_20": 0.45, "w20_25": 0.65, "gt25": 0.35},
    2020: {"lt15": 0.25, "w15_20": 0.48, "w20_25": 0.69, "gt25": 0.35},
    2021: {"lt15": 0.43, "w15_20": 0.53, "w20_25": 0.69, "gt25": 0.25},
}
PHB_TAILORED: Final = {2019: 0.85, 2020: 0.88, 2021: 0.91}
PHB_AGREEMENTS_2021: Final = 0.56
WISHED_2021: Final = {"gps": 77, "lived_experience": 55, "health_insurer": 44}
GOALS: Final = (
    "Alle aanstaande ouders in een kwetsbare situatie worden vroeg in de zwangerschap gezien"
    " en krijgen passende ondersteuning.",
    "Een sluitende keten van preconceptie tot twee jaar, met vaste afspraken over signaleren"
    " en doorverwijzen tussen geboortezorg en sociaal domein.",
    "Minder kinderen met een slechte start: minder vroeggeboorte en een laag geboortegewicht,"
    " en minder gezinnen met schulden rond de geboorte.",
    "Ouders staan centraal: we betrekken ervaringsdeskundigen bij het ontwerpen van de"
    " ondersteuning.",
    "Samen met de regiogemeenten bouwen we een netwerk rond de eerste 1000 dagen.",
)
CORONA_TEXTS: Final = (
    "Overleggen van de coalitie zijn uitgesteld of online gehouden.",
    "De JGZ kon minder huisbezoeken afleggen; het plan van aanpak liep vertraging op.",
    "Professionals uit de geboortezorg hadden minder tijd voor overleg.",
)
WISHES: Final = (
    "Voorbeelden van andere gemeenten over het betrekken van huisartsen.",
    "Hulp bij het monitoren van de voortgang met lokale cijfers.",
    "Ondersteuning bij het betrekken van ervaringsdeskundigen.",
)


def load(plan: DemoPlan | None = None, open_edition: int = 2022) -> None:
    """Install the question sets (2019-2021 closed, ``open_edition`` open) and create the
    submitted responses of 2019-2021. Replaces earlier demo responses of those years."""
    if open_edition in YEARS:
        raise ValueError(f"the open edition must be after {YEARS[-1]}, not {open_edition}")
    plan = plan or demo_plan()
    with transaction.atomic():
        sets = {}
        for edition in (*YEARS, open_edition):
            status = QuestionSetStatus.OPEN if edition == open_edition else QuestionSetStatus.CLOSED
            question_set = install_question_set(edition, status)
            if question_set.status != status:
                question_set.status = status
                if status == QuestionSetStatus.OPEN:
                    question_set.keep_open_for()
                question_set.save(update_fields=["status", "closes_on"])
            sets[edition] = question_set
        Answer.objects.filter(response__question_set__edition__in=YEARS).delete()
        Response.objects.filter(question_set__edition__in=YEARS).delete()
        for year in YEARS:
            _load_year(sets[year], plan, year)


def _picks(rng: random.Random, chances: dict[str, float], factor: float) -> list[str]:
    return [code for code, chance in chances.items() if rng.random() < chance * factor]


def _exact(rng: random.Random, pool: Sequence[str], share_or_count: float) -> set[str]:
    """A deterministic sample of ``pool``: a count (int) or a share of it (float)."""
    n = share_or_count if isinstance(share_or_count, int) else round(share_or_count * len(pool))
    return set(rng.sample(sorted(pool), min(int(n), len(pool))))


def _answers(plan: DemoPlan, year: int, reference: date) -> dict[str, dict[str, object]]:
    """municipality code -> question code -> value, for every responder of ``year``."""
    rng = random.Random(f"kansrijk-survey-demo-{year}")
    growth = GROWTH[year]
    out: dict[str, dict[str, object]] = {}
    for code, given in sorted(plan.answers[year].items()):
        row: dict[str, object] = {k: v for k, v in given.items() if v is not None}
        status = given["coalition_status"]
        if status in ("preparing", "formed"):
            row["coalition_scope"] = "regional" if rng.random() < 0.55 else "local"
        if status == "formed":
            start = reference - timedelta(days=rng.randint(30, 540))
            row["coalition_formed_on"] = start.replace(day=1).isoformat()
        for question, chances in PARTNER_CHANCES.items():
            if question == "partners_community" and year < 2021:
                continue
            picked = _picks(rng, chances, growth)
            if picked:
                row[question] = picked
        plan_status = given["plan_status"]
        if plan_status in ("in_development", "finished"):
            row["goals"] = rng.choice(GOALS)
            row["target_age_range"] = rng.choices(
                ["preconception_to_2", "pregnancy_to_2", "preconception_to_4", "longer"],
                [0.6, 0.2, 0.15, 0.05],
            )[0]
            frameworks = ["local_health_policy", "youth_policy", "social_domain", "poverty_debt"]
            frameworks.append("prevention_agreement")
            row["policy_framework"] = sorted(
                rng.sample(frameworks, rng.randint(1, 3)), key=frameworks.index
            )
        row["start_photo"] = rng.choices(["yes", "in_progress", "no"], [0.45, 0.25, 0.30])[0]
        row["progress_monitoring"] = rng.choices(["yes", "planned", "no"], [0.4, 0.35, 0.25])[0]
        if year in (2020, 2021):
            row["corona_influence"] = rng.choices([1, 2, 3, 4, 5], [5, 15, 30, 35, 15])[0]
            if rng.random() < 0.3:
                row["corona_explanation"] = rng.choice(CORONA_TEXTS)
        interventions = []
        nnz = plan.nnz.get(code)
        for option in (
            "nu_niet_zwanger",
            "preconception_care",
            "centering_zwangerschap",
            "phb_jgz",
            "voorzorg",
            "stevig_ouderschap",
            "centering_ouderschap",
            "pop_poli",
            "other",
        ):
            if option == "nu_niet_zwanger":
                chosen = nnz is not None and nnz[1] <= reference
            elif option == "voorzorg":
                chosen = code in plan.voorzorg and plan.voorzorg[code] <= reference
            elif option == "phb_jgz":
                chosen = given["phb_offered"] == "yes"
            else:
                chances = {
                    "preconception_care": 0.35,
                    "centering_zwangerschap": 0.5,
                    "stevig_ouderschap": 0.55,
                    "centering_ouderschap": 0.1,
                    "pop_poli": 0.3,
                    "other": 0.1,
                }
                chosen = rng.random() < chances[option] * growth
            if chosen:
                interventions.append(option)
        if interventions:
            row["interventions"] = interventions
        if "other" in interventions:
            row["interventions_other"] = "Moeders van Rotterdam"
        website = rng.random() < 0.6 * growth
        row["support_website_used"] = "yes" if website else "no"
        if website:
            row["support_website_rating"] = rng.choices([2, 3, 4, 5], [5, 30, 50, 15])[0]
        pharos = status is not None and rng.random() < 0.35
        row["support_pharos_used"] = "yes" if pharos else "no"
        if pharos:
            row["support_pharos_rating"] = rng.choices([2, 3, 4, 5], [5, 20, 50, 25])[0]
        if rng.random() < 0.15:
            row["support_wishes"] = rng.choice(WISHES)
        out[code] = row

    # The PHB-JGZ details, with the published shares hit exactly.
    with_phb = sorted(c for c, row in out.items() if row.get("phb_offered") == "yes")
    bands = {band: _exact(rng, with_phb, share) for band, share in PHB_TIMING[year].items()}
    tailored = _exact(rng, with_phb, PHB_TAILORED[year])
    agreements = _exact(rng, with_phb, PHB_AGREEMENTS_2021)
    for code in with_phb:
        timing = [band for band in ("lt15", "w15_20", "w20_25", "gt25") if code in bands[band]]
        out[code]["phb_timing"] = timing or ["w15_20"]
        out[code]["phb_tailored"] = "tailored" if code in tailored else "standard"
        if year >= 2021:
            out[code]["phb_agreements"] = "yes" if code in agreements else "no"
        if rng.random() < 0.6:
            out[code]["phb_count"] = rng.randint(5, 400)

    # Partners wished for: among those not yet working with them.
    wished: dict[str, list[str]] = {c: [] for c in out}
    if year >= 2021:
        for option, count in WISHED_2021.items():
            question = "partners_community" if option == "lived_experience" else "partners_medical"
            pool = [c for c, row in out.items() if option not in _codes(row.get(question))]
            for code in _exact(rng, pool, count):
                wished[code].append(option)
    for code in sorted(out):
        if rng.random() < 0.3:
            wished[code].append(rng.choice(["ggz", "housing", "work_income", "gynaecologists"]))
    for code, options in wished.items():
        if options:
            out[code]["partners_wished"] = sorted(set(options))
    return out


def _codes(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _ordered(value: object, options: list[str]) -> object:
    """Multiple choices in questionnaire order, as the form stores them."""
    if isinstance(value, list):
        return sorted(value, key=options.index)
    return value


def _load_year(question_set: QuestionSet, plan: DemoPlan, year: int) -> None:
    questions = {q.code: q for q in Question.objects.filter(question_set=question_set)}
    options: dict[str, list[str]] = {code: [] for code in questions}
    for question_code, option_code in (
        Option.objects.filter(question__question_set=question_set)
        .order_by("question_id", "order")
        .values_list("question__code", "code")
    ):
        options[question_code].append(option_code)
    reference = question_set.reference_date
    answers = _answers(plan, year, reference)
    rng = random.Random(f"kansrijk-survey-demo-submitted-{year}")
    responses = Response.objects.bulk_create(
        Response(
            question_set=question_set,
            municipality_code=code,
            status=ResponseStatus.SUBMITTED,
            submitted_at=timezone.make_aware(
                datetime.combine(reference + timedelta(days=rng.randint(-14, 35)), time(10))
            ),
        )
        for code in answers
    )
    Answer.objects.bulk_create(
        (
            Answer(
                response=response,
                question=questions[question_code],
                value=_ordered(value, options[question_code]),
            )
            for response in responses
            for question_code, value in answers[response.municipality_code].items()
            if question_code in questions
        ),
        batch_size=2000,
    )

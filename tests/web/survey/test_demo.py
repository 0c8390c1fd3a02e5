"""The demo reproduces the demo plan (and so RIVM's published figures) through the service the
programme indicators use."""

from __future__ import annotations

import time
from typing import Any, cast

import pytest

from kansrijk.web.demo_plan import SURVEY_TARGETS, demo_plan
from kansrijk.web.survey import demo
from kansrijk.web.survey.models import QuestionSet, QuestionSetStatus, Response
from kansrijk.web.survey.services import response_status, submitted_answers

pytestmark = pytest.mark.django_db

CODES = ("coalition_status", "plan_status", "phb_offered", "phb_timing", "phb_tailored")


def test_demo_reproduces_the_plan_quickly() -> None:
    started = time.perf_counter()
    demo.load()
    elapsed = time.perf_counter() - started
    assert elapsed < 10, elapsed
    statuses = dict(QuestionSet.objects.values_list("edition", "status"))
    assert statuses == {
        2019: QuestionSetStatus.CLOSED,
        2020: QuestionSetStatus.CLOSED,
        2021: QuestionSetStatus.CLOSED,
        2022: QuestionSetStatus.OPEN,
    }
    assert not Response.objects.filter(question_set__edition=2022).exists()
    plan = demo_plan()
    for year, target in SURVEY_TARGETS.items():
        answers = submitted_answers(year, CODES)
        assert len(answers) == target.responded_impuls + target.responded_other
        for code, values in plan.answers[year].items():
            assert {k: answers[code][k] for k in values} == values
        coalition = [a["coalition_status"] for a in answers.values()]
        plans = [a["plan_status"] for a in answers.values()]
        phb = [a["phb_offered"] for a in answers.values()]
        assert coalition.count("formed") == target.coalition_formed
        assert coalition.count("preparing") == target.coalition_preparing
        assert plans.count("finished") == target.plan_finished
        assert plans.count("in_development") == target.plan_in_development
        assert sum(p is not None for p in phb) == target.phb_answered
        assert phb.count("yes") == target.phb_yes
        with_phb = [a for a in answers.values() if a["phb_offered"] == "yes"]
        assert all(a["phb_timing"] for a in with_phb)
        assert all(a["phb_timing"] is None for a in answers.values() if a["phb_offered"] != "yes")

    a2021 = submitted_answers(2021, CODES)
    assert len(a2021) == 229  # 217 with the Impuls + 12 without
    with_phb = [a for a in a2021.values() if a["phb_offered"] == "yes"]
    assert len(with_phb) == 169
    timings = [cast(list[str], a["phb_timing"]) for a in with_phb]
    assert round(sum("w20_25" in t for t in timings) / 169, 2) == 0.69
    assert round(sum("lt15" in t for t in timings) / 169, 2) == 0.43
    tailored = sum(a["phb_tailored"] == "tailored" for a in with_phb) / 169
    assert round(tailored, 2) == 0.91
    wished = submitted_answers(2021, ["partners_wished"])
    counts = {
        o: sum(o in cast(list[str], a["partners_wished"] or []) for a in wished.values())
        for o in ("gps", "lived_experience", "health_insurer")
    }
    assert counts == {"gps": 77, "lived_experience": 55, "health_insurer": 44}
    rows = response_status(2021)
    assert len(rows) == 352 and sum(r.status == "submitted" for r in rows) == 229

    # Loading again gives the same data, not twice the data.
    before = submitted_answers(2020, ["goals", "corona_influence", "coalition_formed_on"])
    demo.load()
    assert submitted_answers(2020, ["goals", "corona_influence", "coalition_formed_on"]) == before
    assert Response.objects.count() == sum(
        t.responded_impuls + t.responded_other for t in SURVEY_TARGETS.values()
    )


def test_submitted_answers_ignore_drafts_and_use_one_query(
    django_assert_num_queries: Any,
) -> None:
    demo.load()
    Response.objects.filter(
        question_set__edition=2021,
        municipality_code__in=list(submitted_answers(2021, ["coalition_status"]))[:5],
    ).update(status="draft")
    with django_assert_num_queries(1):
        answers = submitted_answers(2021, ["coalition_status", "no_such_question"])
    assert len(answers) == 224
    assert all(a["no_such_question"] is None for a in answers.values())

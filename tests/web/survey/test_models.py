"""The question sets as data and in the database: stable codes, edition differences, rules."""

from __future__ import annotations

import io

import pytest
from django.db import IntegrityError, transaction

from kansrijk.web import demo_plan
from kansrijk.web.survey import questions
from kansrijk.web.survey.models import (
    Answer,
    Option,
    Question,
    QuestionKind,
    QuestionSet,
    QuestionSetStatus,
    Response,
)
from kansrijk.web.survey.services import reference_date

pytestmark = pytest.mark.django_db

INDICATOR_QUESTIONS = {
    "coalition_status": ["none", "preparing", "formed"],
    "plan_status": ["none", "in_development", "finished"],
    "phb_offered": ["yes", "no"],
}


@pytest.mark.parametrize("edition", questions.EDITIONS)
def test_every_edition_installs_with_the_indicator_questions(edition: int) -> None:
    question_set = questions.install_question_set(edition)
    assert question_set.status == QuestionSetStatus.DRAFT
    for code, options in INDICATOR_QUESTIONS.items():
        question = Question.objects.get(question_set=question_set, code=code)
        assert list(question.options.values_list("code", flat=True)) == options
    timing = Question.objects.get(question_set=question_set, code="phb_timing")
    assert timing.show_if_question == "phb_offered" and timing.show_if_values == ["yes"]
    assert list(timing.options.values_list("code", flat=True)) == [
        "lt15",
        "w15_20",
        "w20_25",
        "gt25",
    ]
    interventions = Question.objects.get(question_set=question_set, code="interventions")
    assert set(interventions.options.values_list("code", flat=True)) >= {
        "nu_niet_zwanger",
        "voorzorg",
        "phb_jgz",
        "pop_poli",
        "other",
    }
    # Installing again changes nothing.
    count = Question.objects.count()
    assert questions.install_question_set(edition).pk == question_set.pk
    assert Question.objects.count() == count


def test_editions_differ_as_the_monitor_describes() -> None:
    assert "corona_influence" not in questions.codes(2019)
    assert "corona_influence" in questions.codes(2020) and "corona_influence" in questions.codes(
        2021
    )
    assert "corona_influence" not in questions.codes(2022)
    assert "partners_community" not in questions.codes(2020)
    assert "partners_community" in questions.codes(2021)
    frameworks = {
        edition: {
            option.code
            for _section, asked in questions.sections(edition)
            for question, options in asked
            for option in options
            if question.code == "policy_framework"
        }
        for edition in (2021, 2022)
    }
    assert "iza" not in frameworks[2021] and "iza" in frameworks[2022]


def test_most_wording_is_marked_assumed_and_published_categories_are_not() -> None:
    questions.install_question_set(2021)
    assert Question.objects.filter(assumed=True).count() == Question.objects.count()
    assert not Option.objects.filter(question__code="coalition_status", assumed=True).exists()
    assert Option.objects.filter(question__code="target_age_range", assumed=True).exists()


def test_reference_dates_match_the_demo_plan() -> None:
    for year, day in demo_plan.SURVEY_DATES.items():
        assert questions.REFERENCE_DATES[year] == day
        assert reference_date(year) == day  # built-in, nothing installed yet
    question_set = questions.install_question_set(2021)
    question_set.reference_date = question_set.reference_date.replace(day=21)
    question_set.save()
    assert reference_date(2021).day == 21  # the installed set wins
    with pytest.raises(LookupError):
        reference_date(1999)


def test_codes_are_unique_per_set_and_answers_per_response() -> None:
    question_set = questions.install_question_set(2022)
    question = Question.objects.get(question_set=question_set, code="goals")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Question.objects.create(
            question_set=question_set,
            section=question.section,
            code="goals",
            order=99,
            kind=QuestionKind.TEXT,
            text_nl="Dubbel",
        )
    response = Response.objects.create(question_set=question_set, municipality_code="GM0363")
    Answer.objects.create(response=response, question=question, value="x")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Answer.objects.create(response=response, question=question, value="y")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Response.objects.create(question_set=question_set, municipality_code="GM0363")


def test_texts_follow_the_active_language() -> None:
    from django.utils import translation

    questions.install_question_set(2022)
    question = Question.objects.get(question_set__edition=2022, code="phb_offered")
    with translation.override("nl"):
        assert question.text.startswith("Voert de jeugdgezondheidszorg")
    with translation.override("en"):
        assert question.text.startswith("Does youth health care")


def test_question_history_is_kept() -> None:
    questions.install_question_set(2022)
    question = Question.objects.get(question_set__edition=2022, code="goals")
    question.text_en = "What are your goals?"
    question.save()
    assert question.history.count() == 2  # the install, then the edit


def test_missing_coalition_registry_gives_a_clear_import_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from kansrijk.web.survey import services

    monkeypatch.setitem(sys.modules, "kansrijk.web.coalitions.services", None)
    with pytest.raises(ImportError, match="impuls_municipalities"):
        services.has_impuls(2022, "GM0363")
    assert services.impuls_codes_or_none(2022) is None  # the status page does without


def test_install_command_opens_one_edition_and_closes_the_earlier() -> None:
    from django.core.management import call_command

    call_command("survey_install", "2021", "2022", "--open", "2022", stdout=io.StringIO())
    statuses = dict(QuestionSet.objects.values_list("edition", "status"))
    assert statuses == {2021: QuestionSetStatus.CLOSED, 2022: QuestionSetStatus.OPEN}

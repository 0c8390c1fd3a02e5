"""The dynamic form: types on every save, required and conditional questions on submit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from kansrijk.web.survey.forms import Catalogue, ResponseForm
from kansrijk.web.survey.models import QuestionSet

pytestmark = pytest.mark.django_db


def _form(question_set: QuestionSet, data: Mapping[str, object], **kwargs: Any) -> ResponseForm:
    return ResponseForm(Catalogue.load(question_set), data, **kwargs)


def test_fields_are_named_by_question_code_with_the_right_widgets(open_set: QuestionSet) -> None:
    form = ResponseForm(Catalogue.load(open_set))
    assert "coalition_status" in form.fields and "phb_timing" in form.fields
    assert form.fields["coalition_status"].widget.input_type == "radio"
    assert form.fields["phb_timing"].widget.input_type == "checkbox"
    assert not any(field.required for field in form.fields.values())


def test_an_empty_draft_is_valid_but_an_empty_submit_is_not(open_set: QuestionSet) -> None:
    assert _form(open_set, {}).is_valid()
    submit = _form(open_set, {}, submit=True, impuls=True)
    assert not submit.is_valid()
    assert set(submit.errors) == {"coalition_status", "plan_status"}


def test_coalition_and_plan_are_required_only_with_the_impuls(open_set: QuestionSet) -> None:
    assert _form(open_set, {}, submit=True, impuls=False).is_valid()


def test_types_are_checked_even_in_a_draft(open_set: QuestionSet) -> None:
    form = _form(
        open_set,
        {
            "coalition_status": "maybe",
            "phb_timing": ["lt15", "w99"],
            "phb_count": "many",
            "coalition_formed_on": "31-02-2021",
            "support_website_rating": "9",
        },
    )
    assert not form.is_valid()
    assert set(form.errors) == {
        "coalition_status",
        "phb_timing",
        "phb_count",
        "coalition_formed_on",
        "support_website_rating",
    }
    assert not _form(open_set, {"phb_count": "-1"}).is_valid()  # below the minimum


def test_valid_values_become_json(open_set: QuestionSet) -> None:
    form = _form(
        open_set,
        {
            "coalition_status": "formed",
            "coalition_formed_on": "2022-03-01",
            "phb_offered": "yes",
            "phb_timing": ["lt15", "w20_25"],
            "phb_count": "42",
            "support_website_used": "yes",
            "support_website_rating": "4",
            "goals": "  Samen sterk  ",
        },
    )
    assert form.is_valid(), form.errors
    values = form.values()
    assert values["coalition_status"] == "formed"
    assert values["coalition_formed_on"] == "2022-03-01"
    assert values["phb_timing"] == ["lt15", "w20_25"]
    assert values["phb_count"] == 42
    assert values["support_website_rating"] == 4
    assert values["goals"] == "Samen sterk"
    assert values["plan_status"] is None


def test_conditional_question_required_when_it_applies(open_set: QuestionSet) -> None:
    base = {"coalition_status": "formed", "plan_status": "finished"}
    assert _form(open_set, {**base, "phb_offered": "no"}, submit=True).is_valid()
    missing = _form(open_set, {**base, "phb_offered": "yes"}, submit=True)
    assert not missing.is_valid() and list(missing.errors) == ["phb_timing"]
    ok = _form(open_set, {**base, "phb_offered": "yes", "phb_timing": ["w20_25"]}, submit=True)
    assert ok.is_valid()


def test_conditional_question_answered_when_it_does_not_apply(open_set: QuestionSet) -> None:
    data = {
        "coalition_status": "none",
        "plan_status": "none",
        "phb_offered": "no",
        "phb_timing": ["lt15"],
        "coalition_scope": "regional",
    }
    assert _form(open_set, data).is_valid()  # a draft may hold it
    form = _form(open_set, data, submit=True)
    assert not form.is_valid()
    assert set(form.errors) == {"phb_timing", "coalition_scope"}
    assert "does not apply" in str(form.errors["phb_timing"])

"""The questionnaire as a Django form built from a question set, plus the value conversions
shared by the form, the read-only view and the spreadsheet import/export.

A draft save checks types only (a choice must be one of the options, a number a number); a
submit also checks that required questions are answered and that conditional questions are
answered only when they apply. Field names are the question codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from kansrijk.web.survey.models import (
    CHOICE_KINDS,
    Option,
    Question,
    QuestionKind,
    QuestionSet,
    Section,
)

TEXT_MAX_LENGTH = 5000
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


@dataclass
class Catalogue:
    """A question set's sections, questions and options, loaded in three queries."""

    question_set: QuestionSet
    sections: list[tuple[Section, list[Question]]]
    options: dict[str, list[Option]] = field(default_factory=dict)  # question code -> options

    @classmethod
    def load(cls, question_set: QuestionSet) -> Catalogue:
        sections = list(question_set.sections.order_by("order"))
        questions = list(question_set.questions.order_by("section__order", "order"))
        by_section: dict[int, list[Question]] = {s.pk: [] for s in sections}
        for q in questions:
            by_section[q.section_id].append(q)
        options: dict[str, list[Option]] = {q.code: [] for q in questions}
        codes = {q.pk: q.code for q in questions}
        for o in Option.objects.filter(question__question_set=question_set).order_by(
            "question_id", "order"
        ):
            options[codes[o.question_id]].append(o)
        return cls(question_set, [(s, by_section[s.pk]) for s in sections], options)

    @property
    def questions(self) -> list[Question]:
        return [q for _s, qs in self.sections for q in qs]

    def question(self, code: str) -> Question:
        return next(q for q in self.questions if q.code == code)

    def option_codes(self, code: str) -> list[str]:
        return [o.code for o in self.options.get(code, [])]

    def applies(self, question: Question, values: Mapping[str, object]) -> bool:
        """Whether a conditional question applies given the answers (unconditional: always)."""
        if not question.show_if_question:
            return True
        parent = values.get(question.show_if_question)
        chosen = set(parent) if isinstance(parent, list) else {parent}
        return bool(chosen & set(question.show_if_values))

    def condition_text(self, question: Question) -> str:
        """'Only if you answered “Yes” to “…”': the hint shown with a conditional question."""
        parent = self.question(question.show_if_question)
        labels = {o.code: o.label for o in self.options.get(parent.code, [])}
        answers = _(" or ").join(f"“{labels.get(v, v)}”" for v in question.show_if_values)
        return _("Only if you answered %(answers)s to “%(question)s”.") % {
            "answers": answers,
            "question": parent.text,
        }


def to_json(question: Question, value: Any) -> object:
    """A form's cleaned value as stored in ``Answer.value``; None means unanswered."""
    if value in (None, "", []):
        return None
    if question.kind == QuestionKind.MULTIPLE:
        return list(value)
    if question.kind == QuestionKind.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if question.kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        return int(value)
    if question.kind == QuestionKind.TEXT:
        return str(value).strip() or None
    return str(value)


def to_initial(question: Question, value: object) -> object:
    """A stored value as a form's initial value."""
    if value is not None and question.kind == QuestionKind.SCALE:
        return str(value)  # radio values are strings
    return value


def display(question: Question, value: object, options: list[Option]) -> str:
    """A stored value for people: option labels in the active language, joined by '; '."""
    if value is None or value == []:
        return ""
    labels = {o.code: o.label for o in options}
    if question.kind in CHOICE_KINDS or (question.kind == QuestionKind.SCALE and labels):
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(str(v), str(v)) for v in values)
    if question.kind == QuestionKind.DATE and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    return str(value)


def _field(question: Question, options: list[Option]) -> forms.Field:
    choices = [(o.code, o.label) for o in options]
    common: dict[str, Any] = {"required": False, "label": question.text}
    if question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == QuestionKind.SCALE:
        low = question.min_value if question.min_value is not None else 1
        high = question.max_value if question.max_value is not None else 5
        labels = {o.code: o.label for o in options}
        scale = [(str(n), labels.get(str(n), str(n))) for n in range(low, high + 1)]
        return forms.TypedChoiceField(
            choices=scale, coerce=int, empty_value=None, widget=forms.RadioSelect, **common
        )
    if question.kind == QuestionKind.NUMBER:
        return forms.IntegerField(
            min_value=question.min_value, max_value=question.max_value, **common
        )
    if question.kind == QuestionKind.DATE:
        return forms.DateField(input_formats=DATE_INPUT_FORMATS, **common)
    return forms.CharField(max_length=TEXT_MAX_LENGTH, widget=forms.Textarea, **common)


class ResponseForm(forms.Form):
    """One field per question, named by its code. ``submit`` switches on the full checks;
    ``impuls`` says whether the municipality receives the Impuls (it must then answer the
    ``impuls_only`` required questions)."""

    def __init__(
        self,
        catalogue: Catalogue,
        *args: Any,
        submit: bool = False,
        impuls: bool = True,
        answers: Mapping[str, object] | None = None,
        **kwargs: Any,
    ) -> None:
        if answers is not None:
            kwargs["initial"] = {
                q.code: to_initial(q, answers.get(q.code)) for q in catalogue.questions
            }
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.submit = submit
        self.impuls = impuls
        for question in catalogue.questions:
            self.fields[question.code] = _field(question, catalogue.options[question.code])

    def is_required(self, question: Question) -> bool:
        return question.required and (self.impuls or not question.impuls_only)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.submit:
            return cleaned
        values = {q.code: to_json(q, cleaned.get(q.code)) for q in self.catalogue.questions}
        for question in self.catalogue.questions:
            if question.code in self.errors:
                continue
            applies = self.catalogue.applies(question, values)
            answered = values[question.code] is not None
            if answered and not applies:
                self.add_error(
                    question.code,
                    _(
                        "This question does not apply to your answers: clear it, or change the"
                        " answer it depends on."
                    ),
                )
            elif applies and not answered and self.is_required(question):
                self.add_error(question.code, _("Answer this question to submit."))
        return cleaned

    def values(self) -> dict[str, object]:
        """The cleaned answers as stored JSON values (None: unanswered)."""
        return {q.code: to_json(q, self.cleaned_data.get(q.code)) for q in self.catalogue.questions}

    def rows(self) -> list[tuple[Section, list[QuestionField]]]:
        """Per section, what the template needs to render each question accessibly."""
        return [
            (section, [QuestionField(self, q) for q in questions])
            for section, questions in self.catalogue.sections
        ]


class QuestionField:
    """A question bound to the form: ids, current value, choices and errors for the template."""

    def __init__(self, form: ResponseForm, question: Question) -> None:
        self.question = question
        self.bound = form[question.code]
        self.name = question.code
        self.id = f"q-{question.code}"
        self.errors = list(self.bound.errors)
        self.error_id = f"{self.id}-error"
        self.help_id = f"{self.id}-help"
        self.help = question.help
        self.condition = (
            form.catalogue.condition_text(question) if question.show_if_question else ""
        )
        self.required = form.is_required(question)
        self.kind = question.kind
        self.is_group = question.kind in CHOICE_KINDS or question.kind == QuestionKind.SCALE
        raw = self.bound.value()
        if isinstance(raw, list | tuple):
            selected = {str(v) for v in raw}
        else:
            selected = {str(raw)} if raw not in (None, "") else set()
        self.value = "" if raw is None else (raw.isoformat() if isinstance(raw, date) else raw)
        field = self.bound.field
        self.choices = [
            {
                "value": str(value),
                "label": label,
                "id": f"{self.id}-{i}",
                "checked": str(value) in selected,
            }
            for i, (value, label) in enumerate(getattr(field, "choices", []))
        ]
        self.input_id = self.choices[0]["id"] if self.is_group and self.choices else self.id
        described = [self.help_id] if self.help or self.condition else []
        if self.errors:
            described.append(self.error_id)
        self.described_by = " ".join(described)
        self.min_value = question.min_value
        self.max_value = question.max_value

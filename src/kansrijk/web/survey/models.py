"""The yearly municipal questionnaire: versioned question sets, responses and reminders.

A question set belongs to one edition (the year RIVM asks). Question codes are stable across
editions so answers can be compared from year to year; the programme indicators read
``coalition_status``, ``plan_status`` and ``phb_offered``. Question texts are content, kept in
Dutch and English side by side and shown in the active language. A response belongs to a
municipality by its CBS code (a string: municipalities merge, codes stay meaningful).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kansrijk.web.accounts.models import municipality_code_validator


def localized(nl: str, en: str) -> str:
    """The English text when English is active and there is one, else the Dutch."""
    return en if en and (get_language() or "nl").startswith("en") else nl


class QuestionSetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    SCALE = "scale", _("Scale")


#: Kinds whose answer is one or more option codes.
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO})
#: Kinds whose answer is a whole number.
INTEGER_KINDS = frozenset({QuestionKind.NUMBER, QuestionKind.SCALE})


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class QuestionSet(models.Model):
    """The questions of one edition, with its reference date (peildatum) and open period."""

    edition = models.PositiveSmallIntegerField(_("edition"), unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    reference_date = models.DateField(
        _("reference date"), help_text=_("The date the answers describe (peildatum).")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=QuestionSetStatus.choices,
        default=QuestionSetStatus.DRAFT,
        help_text=_("Only an open questionnaire can be filled in."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question set")
        verbose_name_plural = _("question sets")
        ordering = ["-edition"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="question_set_open_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition}: {self.title}"

    @property
    def title(self) -> str:
        return localized(self.title_nl, self.title_en)

    @property
    def is_open(self) -> bool:
        """Whether answers may be saved and submitted today: open, and within its period."""
        return self.accepts_answers()

    def accepts_answers(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == QuestionSetStatus.OPEN and self.opens_on <= today <= self.closes_on

    @property
    def is_past_deadline(self) -> bool:
        """Open by status, but its closing date has passed (the programme can extend it)."""
        return self.status == QuestionSetStatus.OPEN and timezone.localdate() > self.closes_on

    def keep_open_for(self, days: int = 42) -> None:
        """Move a closing date that has passed to ``days`` from today (not saved)."""
        today = timezone.localdate()
        if self.closes_on < today:
            self.closes_on = today + timedelta(days=days)


class Section(models.Model):
    """A group of questions, shown as one fieldset."""

    question_set = models.ForeignKey(
        QuestionSet,
        verbose_name=_("question set"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    code = models.SlugField(_("code"), max_length=64)
    order = models.PositiveSmallIntegerField(_("order"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["question_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "code"], name="unique_section_code")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.title_nl, self.title_en)


class Question(models.Model):
    """One question. Its code is stable across editions; ``question_set`` mirrors the section's
    so the code can be unique per set in the database."""

    question_set = models.ForeignKey(
        QuestionSet,
        verbose_name=_("question set"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(
        _("code"), max_length=64, help_text=_("Stable across editions, e.g. coalition_status.")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    help_nl = models.TextField(_("help (Dutch)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    required = models.BooleanField(
        _("required"), default=False, help_text=_("Must be answered to submit (when shown).")
    )
    impuls_only = models.BooleanField(
        _("required only with the Impuls"),
        default=False,
        help_text=_("Required only for municipalities that receive the Impuls Kansrijke Start."),
    )
    assumed = models.BooleanField(
        _("wording assumed"),
        default=True,
        help_text=_("RIVM's exact wording or options are not public; this wording is ours."),
    )
    show_if_question = models.SlugField(
        _("show if question"),
        max_length=64,
        blank=True,
        help_text=_("Code of the question this one depends on (empty: always shown)."),
    )
    show_if_values = models.JSONField(
        _("show if values"),
        default=list,
        blank=True,
        help_text=_("Option codes of that question for which this one applies."),
    )
    min_value = models.IntegerField(_("minimum"), null=True, blank=True)
    max_value = models.IntegerField(_("maximum"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["question_set", "section__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "code"], name="unique_question_code")
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.question_set_id = self.section.question_set_id
        super().save(*args, **kwargs)

    @property
    def text(self) -> str:
        return localized(self.text_nl, self.text_en)

    @property
    def help(self) -> str:
        return localized(self.help_nl, self.help_en)

    @property
    def is_conditional(self) -> bool:
        return bool(self.show_if_question)


class Option(models.Model):
    """One answer option of a choice or scale question, identified by a stable code."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    code = models.SlugField(_("code"), max_length=64)
    order = models.PositiveSmallIntegerField(_("order"))
    label_nl = models.CharField(_("label (Dutch)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    assumed = models.BooleanField(_("wording assumed"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="unique_option_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return localized(self.label_nl, self.label_en)


class Response(models.Model):
    """A municipality's answers to one edition. ``version`` grows with every save so a form
    loaded before someone else's save cannot overwrite it (optimistic locking)."""

    question_set = models.ForeignKey(
        QuestionSet,
        verbose_name=_("question set"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    municipality_code = models.CharField(
        _("municipality code"), max_length=6, validators=[municipality_code_validator]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["question_set", "municipality_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "municipality_code"],
                name="unique_response_per_municipality",
            )
        ]
        indexes = [models.Index(fields=["question_set", "status"])]

    def __str__(self) -> str:
        return f"{self.question_set.edition} {self.municipality_code}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class Answer(models.Model):
    """One answer: an option code, a list of option codes, a text, a number or an ISO date."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    value = models.JSONField(_("value"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="unique_answer")
        ]

    def __str__(self) -> str:
        return f"{self.question.code}={self.value!r}"


class Reminder(models.Model):
    """A reminder e-mail sent to a municipality's questionnaire users."""

    question_set = models.ForeignKey(
        QuestionSet,
        verbose_name=_("question set"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    municipality_code = models.CharField(
        _("municipality code"), max_length=6, validators=[municipality_code_validator]
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipients = models.JSONField(_("recipients"), default=list)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["question_set", "municipality_code"])]

    def __str__(self) -> str:
        return f"{self.question_set.edition} {self.municipality_code} {self.sent_at:%Y-%m-%d}"

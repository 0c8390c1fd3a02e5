"""Admin for question sets (with change history: wording must be traceable), responses and
reminders."""

from __future__ import annotations

from django.contrib import admin

from kansrijk.web.accounts.history import HistoryAdmin
from kansrijk.web.survey.models import (
    Answer,
    Option,
    Question,
    QuestionSet,
    Reminder,
    Response,
    Section,
)


class SectionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Section
    extra = 0


@admin.register(QuestionSet)
class QuestionSetAdmin(HistoryAdmin):
    list_display = ("edition", "title_nl", "reference_date", "opens_on", "closes_on", "status")
    list_filter = ("status",)
    inlines = [SectionInline]


class OptionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Option
    extra = 0


@admin.register(Question)
class QuestionAdmin(HistoryAdmin):
    list_display = ("code", "question_set", "section", "order", "kind", "required", "assumed")
    list_filter = ("question_set", "kind", "required", "assumed")
    search_fields = ("code", "text_nl", "text_en")
    inlines = [OptionInline]


@admin.register(Option)
class OptionAdmin(HistoryAdmin):
    list_display = ("code", "question", "order", "label_nl", "assumed")
    list_filter = ("question__question_set",)
    search_fields = ("code", "label_nl", "label_en", "question__code")


class AnswerInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Answer
    extra = 0
    raw_id_fields = ("question",)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("municipality_code", "question_set", "status", "submitted_at", "updated_at")
    list_filter = ("question_set", "status")
    search_fields = ("municipality_code",)
    readonly_fields = ("version", "updated_at")
    raw_id_fields = ("started_by", "updated_by", "submitted_by")
    inlines = [AnswerInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("municipality_code", "question_set", "sent_at", "sent_by")
    list_filter = ("question_set",)
    readonly_fields = ("sent_at",)

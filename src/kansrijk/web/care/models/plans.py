"""The care plan: goals agreed with the family and tasks for the professionals.

A conference decision may create a goal or a task (``decision``); both belong to one client and
one data category, so the shared record shows them only to viewers whose consent covers it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.web.accounts.models import Organisation
from kansrijk.web.care.models.records import Client, validate_category


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class CarePlanGoal(models.Model):
    """A goal of the family's care plan (for example: debts under administration)."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="goals"
    )
    category = models.CharField(_("data category"), max_length=32, validators=[validate_category])
    text = models.TextField(_("goal"))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("set at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    decision = models.ForeignKey(
        "conferences.ConferenceDecision",
        verbose_name=_("conference decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
    )

    class Meta:
        verbose_name = _("care-plan goal")
        verbose_name_plural = _("care-plan goals")
        ordering = ["client", "created_at", "pk"]
        indexes = [models.Index(fields=["client", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=GoalStatus.OPEN) | Q(closed_at__isnull=False),
                name="care_goal_closed_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"goal {self.pk} of client {self.client_id}"


class Task(models.Model):
    """Something an organisation (and maybe one of its professionals) will do for a client."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="tasks"
    )
    category = models.CharField(_("data category"), max_length=32, validators=[validate_category])
    title = models.CharField(_("task"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        related_name="care_tasks",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible professional"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_tasks",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    decision = models.ForeignKey(
        "conferences.ConferenceDecision",
        verbose_name=_("conference decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["client", "due", "pk"]
        indexes = [
            models.Index(fields=["client", "completed_at"]),
            models.Index(fields=["organisation", "completed_at"]),
        ]

    def __str__(self) -> str:
        return f"task {self.pk} of client {self.client_id}"

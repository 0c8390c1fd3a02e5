"""Case conferences (casuistiekbespreking): professionals of several organisations discuss
families together.

A ``CaseConference`` has ``ConferenceParticipant``s (a user and the organisation they speak
for) and an agenda of ``AgendaItem``s. An item names its client only when every participant may
see the client's identity and care coordination data (``consent_check``, stored per participant
when the item is added and again when the participants change); otherwise it is discussed
anonymously: a pseudonymous case description, with the client known only to the presenter.
``ConferenceDecision``s record what was agreed and link to the referral, task or care-plan goal
they became.

The tables keep the names they had in the care app (``care_caseconference`` and so on): moving
the models here (migration conferences 0001) changed Django's state only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.web.accounts.models import Organisation, municipality_code_validator
from kansrijk.web.care.models import Client
from kansrijk.web.referrals.models import Referral


class ConferenceState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held (minutes final)")


class CaseConference(models.Model):
    """One meeting of a coalition's case conference."""

    title = models.CharField(_("title"), max_length=200)
    municipality_code = models.CharField(
        _("municipality"), max_length=6, validators=[municipality_code_validator]
    )
    starts_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_conferences",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=8, choices=ConferenceState.choices, default=ConferenceState.PLANNED
    )
    minutes = models.TextField(_("general minutes (no client data)"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    held_at = models.DateTimeField(_("minutes made final at"), null=True, blank=True)

    class Meta:
        db_table = "care_caseconference"
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["municipality_code", "starts_at"])]

    def __str__(self) -> str:
        return f"case conference {self.pk}"


class ConferenceParticipant(models.Model):
    """A professional taking part, for their organisation."""

    conference = models.ForeignKey(
        CaseConference,
        verbose_name=_("case conference"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="conference_participations",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "care_conferenceparticipant"
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["conference", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user"], name="unique_conference_participant"
            )
        ]

    def __str__(self) -> str:
        return f"participant {self.user_id} of conference {self.conference_id}"


class AgendaItem(models.Model):
    """A family on the agenda, named or anonymous (see the module docstring)."""

    conference = models.ForeignKey(
        CaseConference,
        verbose_name=_("case conference"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveIntegerField(_("position"))
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presented by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    presenter_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("presenting organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    anonymous = models.BooleanField(_("discussed anonymously"))
    summary = models.TextField(_("case description"))
    question = models.TextField(_("question to the conference"), blank=True)
    #: participant user id (as text) -> whether they may see the client (`consent_check`).
    consent_check = models.JSONField(_("consent check per participant"), default=dict)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        db_table = "care_agendaitem"
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["conference", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "position"], name="unique_agenda_position"
            )
        ]
        indexes = [models.Index(fields=["client"])]

    def __str__(self) -> str:
        return f"agenda item {self.position} of conference {self.conference_id}"


class DecisionKind(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    TASK = "task", _("Task")
    GOAL = "goal", _("Care-plan goal")
    ADVICE = "advice", _("Advice, no action")


class ConferenceDecision(models.Model):
    """What the conference agreed on an agenda item, and what it became."""

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DecisionKind.choices)
    text = models.TextField(_("decision"))
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        db_table = "care_conferencedecision"
        verbose_name = _("conference decision")
        verbose_name_plural = _("conference decisions")
        ordering = ["item", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} decision on agenda item {self.item_id}"

"""The practice library (issue 19, deliverable 5): approaches coalitions describe for others.

A ``Practice`` belongs to one coalition of the registry and says what problem it tackles, what
is done, with which partner organisations, in which phase of the first 1000 days and under
which theme, which client route or intervention of the menu it uses, what came of it, which
indicators of the local monitor it aims to move (their ids in the indicator catalogue) and whom
to ask (a platform user and/or a role address; never client data). It is a draft until a
member of its coalition publishes it; only published practices are seen outside the coalition.
Every change is kept by django-simple-history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kansrijk.web.accounts.models import Organisation
from kansrijk.web.coalitions.models import Coalition, Intervention
from kansrijk.web.coalitions.models import Phase as MenuPhase


class Phase(models.TextChoices):
    """The phase of the first 1000 days a practice works in.

    Finer than the menu's and the indicators' three phases (``coalitions.models.Phase``,
    ``kansrijk.indicators.model.Phase``): "after birth" is split into birth and maternity care
    and the first two years. ``MENU_PHASE`` maps each back, with the same values for the two
    phases they share."""

    BEFORE = "before", _("Before pregnancy")
    DURING = "during", _("During pregnancy")
    BIRTH = "birth", _("Birth and maternity care")
    EARLY_YEARS = "0_2_years", _("0 to 2 years")


#: Each practice phase as the menu's (and the indicators') phase.
MENU_PHASE: dict[str, str] = {
    Phase.BEFORE: MenuPhase.BEFORE,
    Phase.DURING: MenuPhase.DURING,
    Phase.BIRTH: MenuPhase.AFTER,
    Phase.EARLY_YEARS: MenuPhase.AFTER,
}


class Theme(models.TextChoices):
    """What a practice is about, in the programme's terms."""

    COLLABORATION = "collaboration", _("Collaboration between the medical and social domain")
    FAMILY_PLANNING = "family_planning", _("Wish for children and family planning")
    FINANCIAL = "financial", _("Financial security and debts")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    LIFESTYLE = "lifestyle", _("Healthy lifestyle")
    PARENTS = "parents", _("Involvement of (future) parents")
    LEARNING = "learning", _("Learning and monitoring")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Practice(models.Model):
    """One approach of one coalition."""

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.PROTECT, related_name="practices"
    )
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    activity = models.TextField(_("activity"))
    results = models.TextField(_("results"), blank=True)
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners involved"), related_name="practices", blank=True
    )
    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
    )
    #: The code of a shipped client route (``kansrijk.coordination.routes``), or ''.
    client_route = models.CharField(_("client route"), max_length=64, blank=True)
    #: Ids of indicators of the local monitor (``kansrijk.indicators.catalogue``).
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact (platform user)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_contacts",
    )
    contact_address = models.EmailField(_("contact address"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="practice_status"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="practice_published_at",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "phase"]),
            models.Index(fields=["coalition", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.status == Status.PUBLISHED

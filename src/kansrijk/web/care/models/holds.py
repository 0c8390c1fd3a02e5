"""Legal holds on retention: a family's records are kept, whatever their age, while a
complaint, a request for access, a legal claim or another legal obligation is pending.

Ongoing care holds a family by itself (an open referral, task or goal, an unreviewed emergency
access; see ``care.retention``); these holds are placed and lifted by hand, with the reason and
who did it, and are kept as history after they are lifted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.web.accounts.models import Organisation
from kansrijk.web.care.models.records import Client


class HoldReason(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    ACCESS_REQUEST = "access_request", _("Request for access or a copy")
    LEGAL_CLAIM = "legal_claim", _("Legal claim or proceedings")
    OTHER = "other", _("Other legal obligation")


class RetentionHold(models.Model):
    """A hold on one family's records; active until ``lifted_at``."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="retention_holds"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=HoldReason.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention hold")
        verbose_name_plural = _("retention holds")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="retention_hold_lifted_with_who",
            )
        ]
        indexes = [
            models.Index(
                fields=["client"], condition=Q(lifted_at__isnull=True), name="active_hold_client"
            )
        ]

    def __str__(self) -> str:
        return f"hold {self.reason} on client {self.client_id}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None

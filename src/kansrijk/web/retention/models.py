"""The retention context's tables: legal holds on a family's records (``RetentionHold``) and the
deletion register (``DeletionRecord``).

Legal holds: a family's records are kept, whatever their age, while a complaint, a request for
access, a legal claim or another legal obligation is pending. Ongoing care holds a family by
itself (an open referral, task or goal, an unreviewed emergency access; see
``retention.service``); these holds are placed and lifted by hand, with the reason and who did
it, and are kept as history after they are lifted.

The tables keep the names they had in the care app (``care_retentionhold``,
``care_deletionrecord``): moving the models here (migration retention 0001) changed Django's
state only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.web.accounts.models import Organisation
from kansrijk.web.care.models import Client


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
        db_table = "care_retentionhold"
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


class DeletionAction(models.TextChoices):
    ANONYMISED = "anonymised", _("Anonymised")
    DELETED = "deleted", _("Deleted")


class DeletionRecord(models.Model):
    """One entry of the deletion register: a record the retention command anonymised or
    deleted. No personal data: the record's kind and key, the client's key as a plain number
    (the client may be gone), its categories and dates."""

    record_kind = models.CharField(_("record kind"), max_length=32)
    record_id = models.BigIntegerField(_("record id"))
    client_id = models.BigIntegerField(_("client id"), null=True)
    categories = models.CharField(_("data categories"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=DeletionAction.choices)
    reason = models.CharField(_("reason"), max_length=100, default="retention period expired")
    last_activity = models.DateField(_("last activity"))
    performed_at = models.DateTimeField(_("performed at"), default=timezone.now)
    performed_by = models.CharField(_("performed by"), max_length=100, default="care_retention")

    class Meta:
        db_table = "care_deletionrecord"
        verbose_name = _("deletion register entry")
        verbose_name_plural = _("deletion register")
        ordering = ["-performed_at", "-pk"]
        indexes = [models.Index(fields=["record_kind", "record_id"])]

    def __str__(self) -> str:
        return f"{self.record_kind} {self.record_id} {self.action}"

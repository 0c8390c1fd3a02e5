"""The NEN 7513 audit log's tables: ``AuditEvent`` (append-only, hash-chained; written only by
``audit.log.record``) and ``AuditChainHead`` (the chain's last sequence and hash).

The tables keep the names they had in the care app (``care_auditevent``,
``care_auditchainhead``): the triggers of migrations care 0002, 0006 and 0010 are attached to
them, and moving the models here (migration audit 0001) changed Django's state only.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kansrijk.web.care.vocabulary import category_label


class AuditAction(models.TextChoices):
    CREATE = "create", _("Create")
    READ = "read", _("Read")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    SEARCH = "search", _("Search")
    EXPORT = "export", _("Export")
    EMERGENCY = "emergency", _("Emergency access")


class AuditPurpose(models.TextChoices):
    CARE = "care", _("Care coordination")
    ACCOUNTABILITY = "accountability", _("Account to the client")
    SUPERVISION = "supervision", _("Supervision of the audit log")
    EMERGENCY = "emergency", _("Emergency")
    RETENTION = "retention", _("Retention period expired")
    STATISTICS = "statistics", _("Aggregated statistics")
    RESEARCH = "research", _("Research (the experiences study)")


class AppendOnlyError(Exception):
    """An audit event was about to be changed or deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log is append-only")


class AuditEvent(models.Model):
    """One logged access to client data. Users, organisations and clients are recorded by id
    and name (not foreign keys), so nothing elsewhere can change or remove an entry.

    Written only by ``audit.log.record``; never updated or deleted (refused in Python here,
    and by triggers on PostgreSQL and SQLite: migrations care 0002, 0006, 0010)."""

    sequence = models.BigIntegerField(_("sequence"), unique=True)
    event_id = models.UUIDField(_("event id"), unique=True, default=uuid.uuid4, editable=False)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    occurred_at = models.DateTimeField(_("time (UTC)"))
    user_id = models.BigIntegerField(_("user id"), null=True)
    username = models.CharField(_("user"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    responsible_user_id = models.BigIntegerField(_("responsible user id"), null=True)
    responsible_username = models.CharField(_("responsible user"), max_length=150, blank=True)
    client_id = models.BigIntegerField(_("client id"), null=True)
    categories = models.CharField(_("data categories"), max_length=300, blank=True)
    purpose = models.CharField(_("purpose"), max_length=32, choices=AuditPurpose.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    authorised = models.BooleanField(_("authorised"))
    treatment_relationship = models.BooleanField(_("treatment relationship"))
    consent_present = models.BooleanField(_("consent present"))
    emergency_access = models.BooleanField(_("emergency access"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEventQuerySet.as_manager()
    #: Fields in the hash, in this order (the canonical JSON sorts keys anyway).
    HASHED: ClassVar[tuple[str, ...]] = (
        "sequence",
        "event_id",
        "action",
        "occurred_at",
        "user_id",
        "username",
        "role",
        "organisation_id",
        "organisation_name",
        "responsible_user_id",
        "responsible_username",
        "client_id",
        "categories",
        "purpose",
        "detail",
        "authorised",
        "treatment_relationship",
        "consent_present",
        "emergency_access",
        "prev_hash",
    )

    class Meta:
        db_table = "care_auditevent"
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["client_id", "occurred_at"]),
            models.Index(fields=["user_id", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"audit event {self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log is append-only")

    @property
    def category_values(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]

    @property
    def category_labels(self) -> list[str]:
        return [category_label(c) for c in self.category_values]


class AuditChainHead(models.Model):
    """The chain's last sequence number and hash (one row). Appends lock it, so concurrent
    writers cannot fork the chain, and ``verify`` compares it with the last entry, so removing
    entries at the end is detected too. Triggers refuse moving it back (migration care 0010);
    moving it back with them off shows against the signed checkpoints outside the database
    (``audit.checkpoints``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        db_table = "care_auditchainhead"
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="care_audit_head_single")]

    def __str__(self) -> str:
        return f"audit chain at {self.sequence}"

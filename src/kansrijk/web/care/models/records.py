"""Client (family) records and everything that governs who may see them.

- ``Client`` is a family: the pregnant woman, her partner and, after birth, the child
  (``ClientMember``), owned by the organisation that registered it, with its care team.
- A member's BSN is never stored: ``bsn_hash`` is its keyed HMAC-SHA-256 (``care.bsn``), unique
  across the platform so a family is registered once.
- ``Consent`` says which organisation and/or role may receive which data categories, for what
  purpose and period, with its evidence (who recorded it and how it was given) and withdrawal.
- ``ContactPerson`` (regievoerder): at most one open assignment per client (a partial unique
  constraint); the services keep exactly one after the first, with the hand-over history.
- ``Referral`` has an owner in every state and a ``version`` for optimistic locking; its
  history is ``ReferralEvent``.
- ``EmergencyAccess`` (break the glass) needs a reason, expires and is reviewed afterwards.
- ``AuditEvent`` is the NEN 7513 log: append-only and hash-chained (``care.audit``).

Category and state values come from ``kansrijk.coordination``; the fields carry validators
rather than ``choices`` so that a new category in the core needs no migration.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.web.accounts.models import Organisation, municipality_code_validator
from kansrijk.web.accounts.roles import Role
from kansrijk.web.care.vocabulary import DataCategory, ReferralState, category_label
from kansrijk.web.periods import period_constraint


def validate_category(value: str) -> None:
    if value not in {c.value for c in DataCategory}:
        raise ValidationError(_("Unknown data category."))


def validate_state(value: str) -> None:
    if value not in {s.value for s in ReferralState}:
        raise ValidationError(_("Unknown referral state."))


# --- Clients ----------------------------------------------------------------------------------


class Client(models.Model):
    """A family record: who it is about (members), who owns it, its care team."""

    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="care_clients",
    )
    municipality_code = models.CharField(
        _("municipality code"), max_length=6, validators=[municipality_code_validator]
    )
    family_situation = models.TextField(_("family situation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["owner_organisation"]),
            models.Index(fields=["municipality_code"]),
        ]

    def __str__(self) -> str:  # never a name: str() may end up in logs
        return f"client {self.pk}"


class MemberRole(models.TextChoices):
    PREGNANT = "pregnant", _("Pregnant woman")
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")


class ClientMember(models.Model):
    """A person of the family. Minimal identity: name, date of birth, due date, BSN hash."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(_("role in the family"), max_length=16, choices=MemberRole.choices)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    due_date = models.DateField(_("expected due date"), null=True, blank=True)
    bsn_hash = models.CharField(_("BSN (keyed hash)"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["client", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bsn_hash"], condition=~Q(bsn_hash=""), name="care_unique_member_bsn"
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(role="pregnant"),
                name="care_one_pregnant_woman_per_client",
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(role="pregnant"),
                name="care_due_date_only_for_pregnant_woman",
            ),
        ]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of client {self.client_id}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class CareTeamMember(models.Model):
    """An organisation in the client's care team (treatment relationship) for a period."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="care_team"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="care_team_memberships",
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("care team member")
        verbose_name_plural = _("care team members")
        ordering = ["client", "since", "pk"]
        constraints = [
            period_constraint("care_team", start="since", end="until"),
            models.UniqueConstraint(
                fields=["client", "organisation"],
                condition=Q(until__isnull=True),
                name="care_team_one_open_membership",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "since"])]

    def __str__(self) -> str:
        return f"{self.organisation} in the care team of client {self.client_id}"


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note")
    CONTACT = "contact", _("Contact with the family")


class Note(models.Model):
    """A professional's note on a client, in one data category (what consent is about); a
    ``contact`` note records a contact with the family (a visit, a call, a consultation)."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=NoteKind.choices, default=NoteKind.NOTE
    )
    category = models.CharField(_("data category"), max_length=32, validators=[validate_category])
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["client", "-created_at", "-pk"]
        indexes = [models.Index(fields=["client", "category"])]

    def __str__(self) -> str:
        return f"{self.category} note on client {self.client_id}"


# --- Consent ----------------------------------------------------------------------------------


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Verbally")
    WRITTEN = "written", _("In writing")
    DIGITAL = "digital", _("Digitally")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def valid_at(self, now: datetime) -> ConsentQuerySet:
        """Consents in force at ``now``: started, not expired, not withdrawn (at once)."""
        today = timezone.localdate(now)
        return self.filter(
            Q(valid_from__lte=today),
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=now),
        )

    def for_recipient(self, organisation_id: int | None, role: str) -> ConsentQuerySet:
        """Consents naming this organisation and/or this role (both must match when both are
        given: a role within an organisation)."""
        org = Q(recipient_organisation__isnull=True)
        if organisation_id is not None:
            org |= Q(recipient_organisation_id=organisation_id)
        return self.filter(org, Q(recipient_role="") | Q(recipient_role=role))


class Consent(models.Model):
    """A client's permission to share data categories with a recipient for a purpose."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="consents"
    )
    recipient_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recipient organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_consents",
    )
    recipient_role = models.CharField(
        _("recipient role"), max_length=32, choices=Role.choices, blank=True
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    method = models.CharField(_("given"), max_length=16, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["client", "-valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_organisation__isnull=False) | ~Q(recipient_role=""),
                name="care_consent_has_recipient",
            ),
            period_constraint("care_consent", start="valid_from", end="valid_until"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="care_consent_withdrawal_has_evidence",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "recipient_organisation"]),
            models.Index(fields=["recipient_organisation", "recipient_role"]),
        ]

    def __str__(self) -> str:
        return f"consent {self.pk} of client {self.client_id}"

    @property
    def category_values(self) -> list[str]:
        return sorted(row.category for row in self.categories.all())

    @property
    def category_labels(self) -> list[str]:
        return [category_label(c) for c in self.category_values]

    def valid_at(self, now: datetime) -> bool:
        today = timezone.localdate(now)
        return (
            self.valid_from <= today
            and (self.valid_until is None or today <= self.valid_until)
            and (self.withdrawn_at is None or self.withdrawn_at > now)
        )


class ConsentCategory(models.Model):
    """One data category a consent covers (a table, so the access check runs in the query)."""

    consent = models.ForeignKey(
        Consent, verbose_name=_("consent"), on_delete=models.CASCADE, related_name="categories"
    )
    category = models.CharField(_("data category"), max_length=32, validators=[validate_category])

    class Meta:
        verbose_name = _("consent category")
        verbose_name_plural = _("consent categories")
        ordering = ["consent", "category"]
        constraints = [
            models.UniqueConstraint(fields=["consent", "category"], name="care_consent_category")
        ]
        indexes = [models.Index(fields=["category", "consent"])]

    def __str__(self) -> str:
        return self.category


# --- Contact person (regievoerder) -------------------------------------------------------------


class ContactPerson(models.Model):
    """One assignment of the client's contact person; the open one has no ``ended_at``."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="contact_persons"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        on_delete=models.PROTECT,
        related_name="care_contact_for",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("from"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("hand-over note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["client", "started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(ended_at__isnull=True),
                name="care_one_open_contact_person",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="care_contact_person_period",
            ),
        ]

    def __str__(self) -> str:
        return f"contact person of client {self.client_id}"


# --- Referrals --------------------------------------------------------------------------------


class Referral(models.Model):
    """A referral and its fulfilment task: one step of a client route (``route_code``,
    ``route_step``) sent to an organisation. Updated only through ``care.services`` with
    ``UPDATE ... WHERE version = expected`` so concurrent changes cannot overwrite each other."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="referrals"
    )
    from_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("from organisation"),
        on_delete=models.PROTECT,
        related_name="care_referrals_sent",
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("to organisation"),
        on_delete=models.PROTECT,
        related_name="care_referrals_received",
    )
    route_code = models.CharField(_("route"), max_length=64)
    route_step = models.CharField(_("route step"), max_length=64, blank=True)
    category = models.CharField(
        _("data category of the reason"), max_length=32, validators=[validate_category]
    )
    reason = models.TextField(_("reason for referral"))
    state = models.CharField(
        _("state"),
        max_length=16,
        default=ReferralState.REQUESTED.value,
        validators=[validate_state],
    )
    sender_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner on the sending side"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiver_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner on the receiving side"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The current owner (organisation and person), kept with every change so lists can
    #: filter on it; which side owns it follows from the state (kansrijk.coordination).
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    route_variant = models.ForeignKey(
        "care.LocalRoute",
        verbose_name=_("local route variant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    deadline = models.DateField(_("first contact by"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for rejection or cancellation"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["to_organisation", "state"]),
            models.Index(fields=["from_organisation", "state"]),
            models.Index(fields=["client", "state"]),
            models.Index(fields=["state", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} of client {self.client_id}"


class ReferralEvent(models.Model):
    """One step in a referral's history."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=16)
    from_state = models.CharField(_("from state"), max_length=16, blank=True)
    to_state = models.CharField(_("to state"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(_("version"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["referral", "version"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "version"], name="care_referral_event")
        ]

    def __str__(self) -> str:
        return f"{self.action} of referral {self.referral_id}"


# --- Signals (screening) ---------------------------------------------------------------------


class Signal(models.Model):
    """One screening of a client with an instrument (``kansrijk.coordination.instruments``):
    the answers, the scores, the flags and the client routes the screening proposed.

    ``categories`` are the data categories of the answered domains (``answer_categories``): a
    viewer sees the signal only when their grant for the client covers all of them."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="signals"
    )
    instrument_code = models.CharField(_("instrument"), max_length=64)
    instrument_version = models.PositiveIntegerField(_("instrument version"))
    answers = models.JSONField(_("answers"), default=dict)
    total_score = models.PositiveIntegerField(_("total score"))
    domain_scores = models.JSONField(_("scores per domain"), default=dict)
    flags = models.JSONField(_("flags"), default=list)
    above_threshold = models.BooleanField(_("above the threshold"))
    proposed_routes = models.JSONField(_("proposed client routes"), default=list)
    categories = models.JSONField(_("data categories"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["client", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["client", "recorded_at"])]

    def __str__(self) -> str:
        return f"signal {self.pk} of client {self.client_id}"

    @property
    def category_values(self) -> list[str]:
        return sorted(str(c) for c in self.categories)


# --- Emergency access -------------------------------------------------------------------------


class EmergencyReason(models.TextChoices):
    """Why the glass was broken: the category a reviewer judges first (with the free text)."""

    ACUTE_MEDICAL = "acute_medical", _("Acute medical situation")
    CHILD_SAFETY = "child_safety", _("Safety of the (unborn) child")
    TEAM_UNREACHABLE = "team_unreachable", _("Client's own care team unreachable")
    OTHER = "other", _("Other urgent reason")


class RegionBasis(models.TextChoices):
    """Why the organisation was close enough to the family to break the glass."""

    MUNICIPALITY = "municipality", _("Same municipality")
    COALITION = "coalition", _("Same coalition")
    COROP = "corop", _("Same COROP region")


class EmergencyAccess(models.Model):
    """Break the glass: access to one client with every category, for a limited time, with a
    reason category and text, reviewed afterwards by an administrator or the municipality's
    coordinator. Only an organisation in the family's municipality or region may open one;
    ``basis`` records which."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="care_emergency_accesses",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="emergencies"
    )
    reason_category = models.CharField(
        _("reason category"),
        max_length=32,
        choices=EmergencyReason.choices,
        default=EmergencyReason.OTHER,
    )
    reason = models.TextField(_("reason"))
    basis = models.CharField(
        _("regional basis"), max_length=16, choices=RegionBasis.choices, blank=True
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("started_at")),
                name="care_emergency_expires_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "expires_at"]),
            models.Index(fields=["reviewed_at"]),
        ]

    def __str__(self) -> str:
        return f"emergency access {self.pk} to client {self.client_id}"

    def active_at(self, now: datetime) -> bool:
        return self.started_at <= now < self.expires_at


# --- Audit log (NEN 7513) ---------------------------------------------------------------------


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

    Written only by ``care.audit.record``; never updated or deleted (refused in Python here,
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
    (``care.audit_checkpoints``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="care_audit_head_single")]

    def __str__(self) -> str:
        return f"audit chain at {self.sequence}"


# --- Retention --------------------------------------------------------------------------------


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
        verbose_name = _("deletion register entry")
        verbose_name_plural = _("deletion register")
        ordering = ["-performed_at", "-pk"]
        indexes = [models.Index(fields=["record_kind", "record_id"])]

    def __str__(self) -> str:
        return f"{self.record_kind} {self.record_id} {self.action}"

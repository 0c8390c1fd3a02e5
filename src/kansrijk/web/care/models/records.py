"""Client (family) records and everything that governs who may see them.

- ``Client`` is a family: the pregnant woman, her partner and, after birth, the child
  (``ClientMember``), owned by the organisation that registered it, with its care team.
- A member's BSN is never stored: ``bsn_hash`` is its keyed HMAC-SHA-256 (``care.bsn``), unique
  across the platform so a family is registered once.
- ``Consent`` says which organisation and/or role may receive which data categories, for what
  purpose and period, with its evidence (who recorded it and how it was given) and withdrawal.
- ``ContactPerson`` (regievoerder): at most one open assignment per client (a partial unique
  constraint); the services keep exactly one after the first, with the hand-over history.
- ``EmergencyAccess`` (break the glass) needs a reason, expires and is reviewed afterwards.

Category and state values come from ``kansrijk.coordination``; the fields carry validators
rather than ``choices`` so that a new category in the core needs no migration.
"""

from __future__ import annotations

from datetime import datetime

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

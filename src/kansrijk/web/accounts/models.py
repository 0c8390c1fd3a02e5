"""Organisations and users. A user belongs to one organisation and has one role."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractUser, Group
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kansrijk.web.accounts.access import role_groups
from kansrijk.web.accounts.roles import (
    PROGRAMME_ROLES,
    QUESTIONNAIRE_ROLES,
    SECOND_FACTOR_ROLES,
    OrganisationType,
    Role,
)
from kansrijk.web.periods import in_period, period_constraint

agb_validator = RegexValidator(r"^\d{8}$", _("An AGB code has 8 digits."))
kvk_validator = RegexValidator(r"^\d{8}$", _("A KvK number has 8 digits."))
municipality_code_validator = RegexValidator(
    r"^GM\d{4}$", _("A municipality code looks like GM0363.")
)


class Organisation(models.Model):
    """A partner organisation: a municipality, a practice, a provider, a team."""

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    agb_code = models.CharField(_("AGB code"), max_length=8, blank=True, validators=[agb_validator])
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[kvk_validator]
    )
    municipality_code = models.CharField(
        _("municipality code"),
        max_length=6,
        blank=True,
        validators=[municipality_code_validator],
        help_text=_("For a municipality: its CBS code. Otherwise the main location."),
    )
    valid_from = models.DateField(_("valid from"), default=date(2015, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agb_code"], condition=~Q(agb_code=""), name="unique_agb_code"
            ),
            period_constraint("organisation"),
        ]
        indexes = [models.Index(fields=["type", "municipality_code"])]

    def __str__(self) -> str:
        return self.name

    def active_on(self, day: date) -> bool:
        return in_period(day, self.valid_from, self.valid_to)


class User(AbstractUser):
    """A person with an account: one organisation, one role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            (
                "manage_accounts",
                _("Can manage other users' accounts, roles and second factors"),
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Admin access and permission groups follow the role (see accounts.access): the
        role-managed groups a user should not have are removed, the missing ones added."""
        self.is_staff = self.role in PROGRAMME_ROLES or self.is_superuser
        super().save(*args, **kwargs)
        wanted, managed = role_groups(self.role)
        current = set(self.groups.filter(name__in=managed).values_list("name", flat=True))
        if current - wanted:
            self.groups.remove(*Group.objects.filter(name__in=current - wanted))
        if wanted - current:
            self.groups.add(*Group.objects.filter(name__in=wanted - current))

    def is_verified(self) -> bool:
        """Whether the second factor was verified in this session.

        django-otp's OTPMiddleware replaces this per request on the user object; this default
        (never verified) applies wherever the middleware did not run.
        """
        return False

    @property
    def needs_two_factor(self) -> bool:
        """Roles whose permissions need a second factor (client data, research transcripts,
        admin), and anyone with admin access, must use TOTP."""
        return self.role in SECOND_FACTOR_ROLES or self.is_staff or self.is_superuser

    @property
    def is_programme_staff(self) -> bool:
        return self.role in PROGRAMME_ROLES or self.is_superuser

    @property
    def municipality_code(self) -> str:
        """The municipality this user answers for ('' unless their organisation is one)."""
        org = self.organisation
        if org is None or org.type != OrganisationType.MUNICIPALITY:
            return ""
        return org.municipality_code

    @property
    def can_fill_questionnaire(self) -> bool:
        return self.role in QUESTIONNAIRE_ROLES and bool(self.municipality_code)


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved and applied")
    REJECTED = "rejected", _("Rejected")


class AccountChangeRequest(models.Model):
    """A change of role, organisation or e-mail address that gives client data access (or
    moves it): stored here by one account manager, applied only when a second, different one
    approves it (four eyes). Requests and decisions are never deleted."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="change_requests"
    )
    role_before = models.CharField(_("role before"), max_length=32, blank=True)
    role_after = models.CharField(_("role after"), max_length=32, choices=Role.choices)
    organisation_before = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation before"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation_after = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation after"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    email_before = models.EmailField(_("e-mail before"), blank=True)
    email_after = models.EmailField(_("e-mail after"), blank=True)
    activates = models.BooleanField(
        _("activates a new account"),
        default=False,
        help_text=_("A new account stays inactive until the request is approved."),
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("account change request")
        verbose_name_plural = _("account change requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="one_pending_account_change_per_user",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("requested_by")),
                name="account_change_decided_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.role_before or '-'} -> {self.role_after}"


class SecondFactorRevocation(models.Model):
    """An account manager revoked a user's second factor (lost phone): who, when, why and
    which devices. The user enrols a new one themselves at their next sign-in."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="revocations"
    )
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300)
    devices = models.CharField(_("devices"), max_length=300)

    class Meta:
        verbose_name = _("second factor revocation")
        verbose_name_plural = _("second factor revocations")
        ordering = ["-revoked_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(revoked_by=models.F("user")), name="revocation_by_another"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.revoked_at:%Y-%m-%d})"

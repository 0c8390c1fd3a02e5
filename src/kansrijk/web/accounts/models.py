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

from kansrijk.web.accounts.access import PROGRAMME_GROUP
from kansrijk.web.accounts.roles import (
    CLIENT_DATA_ROLES,
    PROGRAMME_ROLES,
    QUESTIONNAIRE_ROLES,
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Admin access follows the role (see accounts.access)."""
        self.is_staff = self.role in PROGRAMME_ROLES or self.is_superuser
        super().save(*args, **kwargs)
        if self.role in PROGRAMME_ROLES:
            group = Group.objects.filter(name=PROGRAMME_GROUP).first()
            if group is not None:
                self.groups.add(group)

    def is_verified(self) -> bool:
        """Whether the second factor was verified in this session.

        django-otp's OTPMiddleware replaces this per request on the user object; this default
        (never verified) applies wherever the middleware did not run.
        """
        return False

    @property
    def needs_two_factor(self) -> bool:
        """Roles that can see client data, and anyone with admin access, must use TOTP."""
        return self.role in CLIENT_DATA_ROLES or self.is_staff or self.is_superuser

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

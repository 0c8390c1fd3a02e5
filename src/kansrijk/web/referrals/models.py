"""The referrals context's tables: referrals between organisations with their history, the
signals (screenings) that propose a route, and a coalition's local variants of the routes.

- ``Referral`` has an owner in every state and a ``version`` for optimistic locking; its
  history is ``ReferralEvent``.
- ``Signal`` is one screening with an instrument: answers, scores and the routes it proposes.
- ``LocalRoute`` stores what a coalition changed of a shipped client route
  (``kansrijk.coordination.routes``) and the base route it came from (``code`` and
  ``based_on_version``); `route()` turns it back into the core's ``Route`` through
  ``routes.local_variant``, so every core rule applies.

The tables keep the names they had in the care app (``care_referral``, ``care_referralevent``,
``care_signal``, ``care_localroute``): moving the models here (migration referrals 0001)
changed Django's state only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.coordination import routes as core
from kansrijk.web.accounts.models import Organisation
from kansrijk.web.care.models import Client, validate_category, validate_state
from kansrijk.web.care.vocabulary import ReferralState
from kansrijk.web.coalitions.models import Coalition

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
        "referrals.LocalRoute",
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
        db_table = "care_referral"
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
        db_table = "care_referralevent"
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
        db_table = "care_signal"
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["client", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["client", "recorded_at"])]

    def __str__(self) -> str:
        return f"signal {self.pk} of client {self.client_id}"

    @property
    def category_values(self) -> list[str]:
        return sorted(str(c) for c in self.categories)


class LocalRoute(models.Model):
    """Version ``version`` of coalition ``coalition``'s variant of route ``code``."""

    coalition = models.ForeignKey(
        Coalition,
        verbose_name=_("coalition"),
        on_delete=models.PROTECT,
        related_name="route_variants",
    )
    code = models.SlugField(_("route"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    based_on_version = models.PositiveIntegerField(_("based on version"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    #: The steps as the core's `Step` fields: order, title_nl, title_en, partner_type,
    #: response_days, shares.
    steps = models.JSONField(_("steps"))
    #: The variant's own entry criteria in the shape of ``routes.toml`` (``{"flag": "debts"}``,
    #: see ``routes.criterion_from_dict``); null keeps the base version's criteria.
    entry = models.JSONField(_("entry criteria"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        db_table = "care_localroute"
        verbose_name = _("local route variant")
        verbose_name_plural = _("local route variants")
        ordering = ["coalition", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "code", "version"], name="unique_local_route_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} of coalition {self.coalition_id}"

    @staticmethod
    def key_of(coalition_id: int) -> str:
        """The coalition code of the core's ``Route`` for a coalition."""
        return f"coalition-{coalition_id}"

    @property
    def coalition_key(self) -> str:
        return self.key_of(self.coalition_id)

    def base(self) -> core.Route:
        return core.route(self.code, self.based_on_version)

    def route(self) -> core.Route:
        """The variant as a core ``Route`` (raises ``RouteError`` when it breaks a rule)."""
        steps = tuple(core.Step(**_step_fields(s)) for s in self.steps)
        entry = None if self.entry is None else core.criteria_from_dicts(self.entry)
        return core.local_variant(
            self.base(),
            self.coalition_key,
            version=self.version,
            steps=steps,
            entry=entry,
            title_nl=self.title_nl,
            title_en=self.title_en,
        )


def _step_fields(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "order": int(raw["order"]),
        "title_nl": str(raw["title_nl"]),
        "title_en": str(raw["title_en"]),
        "partner_type": raw["partner_type"],
        "response_days": int(raw["response_days"]),
        "shares": raw["shares"],
    }


def step_dicts(route: core.Route) -> list[dict[str, Any]]:
    """A core route's steps in the stored form."""
    return [
        {
            "order": s.order,
            "title_nl": s.title_nl,
            "title_en": s.title_en,
            "partner_type": s.partner_type.value,
            "response_days": s.response_days,
            "shares": s.shares.value,
        }
        for s in route.steps
    ]

"""A coalition's local variants of the shipped client routes (``kansrijk.coordination.routes``).

A ``LocalRoute`` stores what the coalition changed (titles, the steps, the entry criteria) and
the base route it came from (``code`` and ``based_on_version``); `route()` turns it back into
the core's ``Route`` through ``routes.local_variant``, so the link to the base version is kept
and every core rule (numbered steps, known partner types, response days >= 1) applies.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.coordination import routes as core
from kansrijk.web.coalitions.models import Coalition


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

"""One stored object of every model registered in the admin, built from the model's fields
(the admin matrix needs an object behind every object URL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import Role
from tests.web import factories as f

_serial = iter(range(10_000, 10**9))


def _other(label: str, field: str) -> Any:
    """A value for ``field`` that is a second, fresh object (constraints like old != new)."""

    def value(made: dict[type[models.Model], models.Model]) -> dict[str, Any]:
        related = apps.get_model(label)._meta.get_field(field).related_model
        return {field: build(related, {})}  # type: ignore[arg-type]

    return value


#: Values for fields whose generic value would break a constraint.
OVERRIDES: dict[str, Any] = {
    "coalitions.MunicipalityMerger": _other("coalitions.MunicipalityMerger", "new"),
    "coalitions.Intervention": lambda made: {"phase_before": True},
    "coalitions.InterventionOffer": lambda made: {
        "municipality": build(apps.get_model("coalitions.Municipality"), made)
    },
}


def _value(field: models.Field[Any, Any], made: dict[type[models.Model], models.Model]) -> Any:
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, (models.ForeignKey, models.OneToOneField)):
        if field.related_model is User:  # a user per reference: requester != decider
            return f.user(role=Role.POLICY_ADVISOR)
        return build(field.related_model, made)  # type: ignore[arg-type]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return dt.date(2020, 1, 1)
    if isinstance(field, models.DecimalField):
        return Decimal("0.5")
    if isinstance(field, models.FloatField):
        return 0.5
    if isinstance(field, (models.IntegerField, models.PositiveIntegerField)):
        return 1
    if isinstance(field, models.EmailField):
        return f"x{next(_serial)}@example.org"
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, (models.CharField, models.TextField, models.SlugField)):
        text = f"{next(_serial)}"
        return text[-field.max_length :] if field.max_length else text
    if isinstance(field, models.GenericIPAddressField):
        return "127.0.0.1"
    raise TypeError(f"no value for {field!r}")


def build(model: type[models.Model], made: dict[type[models.Model], models.Model]) -> models.Model:
    """The one object of ``model`` (created on first use, with its required relations)."""
    if model in made:
        return made[model]
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.AutoField) or field.auto_created:
            continue
        if field.null or field.has_default() or getattr(field, "auto_now", False):
            continue
        if getattr(field, "auto_now_add", False):
            continue
        values[field.name] = _value(field, made)
    if model._meta.label in OVERRIDES:
        values.update(OVERRIDES[model._meta.label](made))
    obj = model.objects.create(**values)
    made[model] = obj
    return obj

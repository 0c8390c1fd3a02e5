"""Placing and lifting legal holds on a family's records (``RetentionHold``); the retention
command keeps a family with an active hold whatever the age of its records."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from kansrijk.web.accounts.models import User
from kansrijk.web.care.models import Client
from kansrijk.web.retention.models import HoldReason, RetentionHold


def active_holds() -> QuerySet[RetentionHold]:
    """Holds not lifted yet (the retention command's query)."""
    return RetentionHold.objects.filter(lifted_at__isnull=True)


def place_hold(
    client: Client, user: User, reason: str, now: datetime | None = None
) -> RetentionHold:
    """Hold the family's records for ``reason``, on behalf of the user's organisation."""
    if user.organisation is None:
        raise ValueError("a hold is placed by a user of an organisation")
    return RetentionHold.objects.create(
        client=client,
        reason=HoldReason(reason).value,
        organisation=user.organisation,
        placed_by=user,
        placed_at=now or timezone.now(),
    )


def lift_hold(hold: RetentionHold, user: User, now: datetime | None = None) -> bool:
    """Lift an active hold; False when it was lifted already (by someone else, meanwhile)."""
    lifted = RetentionHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
        lifted_at=now or timezone.now(), lifted_by=user
    )
    return bool(lifted)

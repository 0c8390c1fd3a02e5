"""Validity periods (valid_from .. valid_to, inclusive; an empty end is open) shared by the
apps' models: the database constraint, the query filters and the in-Python check."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q


def period_constraint(
    prefix: str, start: str = "valid_from", end: str = "valid_to"
) -> models.CheckConstraint:
    """``end`` is empty or not before ``start``."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=f"{prefix}_valid_period",
    )


def valid_on(day: date, start: str = "valid_from", end: str = "valid_to") -> Q:
    """Rows whose inclusive period ``[start, end]`` contains ``day``."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def overlapping(first: date, last: date, start: str = "valid_from", end: str = "valid_to") -> Q:
    """Rows whose inclusive period overlaps ``[first, last]``."""
    return Q(**{f"{start}__lte": last}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


def in_period(day: date, start: date, end: date | None) -> bool:
    """The in-Python twin of ``valid_on`` for one row."""
    return start <= day and (end is None or day <= end)

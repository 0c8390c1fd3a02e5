"""The care vocabulary: data categories and referral states come from the Django-free core
(``kansrijk.coordination``); this module adds what the web app needs around them (labels in the
active language, choices for forms)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kansrijk.coordination.categories import DataCategory
from kansrijk.coordination.referrals import ReferralState

__all__ = [
    "DataCategory",
    "ReferralState",
    "category_choices",
    "category_label",
    "english",
    "state_label",
]

STATE_LABELS: dict[str, Promise] = {
    "requested": _("Requested"),
    "accepted": _("Accepted"),
    "rejected": _("Rejected"),
    "in_progress": _("In progress"),
    "completed": _("Completed"),
    "cancelled": _("Cancelled"),
}


def english() -> bool:
    """Whether the active language is English (else the pages are in Dutch)."""
    return (get_language() or "nl").startswith("en")


def category_label(value: str) -> str:
    """The category's label in the active language (the core holds both)."""
    try:
        return DataCategory(value).label("en" if english() else "nl")
    except ValueError:
        return value


def category_choices() -> list[tuple[str, str]]:
    return [(c.value, category_label(c.value)) for c in DataCategory]


def state_label(value: str) -> str:
    return str(STATE_LABELS.get(value, value))


#: The flags a screening raises, as a professional reads them.
FLAG_LABELS: dict[str, Promise] = {
    "debts": _("Debts or money worries"),
    "psychological": _("Psychological problems"),
    "teenage": _("Teenage pregnancy"),
    "status_holder": _("Status holder"),
    "substance_use": _("Substance use"),
    "no_kraamzorg": _("No kraamzorg arranged"),
}


def flag_label(flag: str) -> str:
    """A screening flag's label in the active language (the code itself when unknown)."""
    return str(FLAG_LABELS.get(flag, flag))

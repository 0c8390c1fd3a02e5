"""Labels of the care vocabulary in templates."""

from __future__ import annotations

from django import template

from kansrijk.web.care.vocabulary import category_label, state_label
from kansrijk.web.referrals.workflow import route_label

register = template.Library()


@register.filter(name="category")
def category(value: str) -> str:
    """A data category's label in the active language."""
    return category_label(value)


@register.filter(name="state")
def state(value: str) -> str:
    """A referral state's label in the active language."""
    return state_label(value)


@register.simple_tag
def route(code: str, step: str) -> str:
    """A route step's title in the active language."""
    return route_label(code, step)

"""Shared steps of the account tests: account managers and admin form data."""

from __future__ import annotations

from typing import Any

from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType, Role
from tests.web import factories as f


def manager(**fields: Any) -> User:
    """An administrator: holds the account-management permission through their role."""
    return f.user(
        role=Role.ADMINISTRATOR, org=f.organisation(type=OrganisationType.NATIONAL), **fields
    )


def change_data(user: User, **changes: Any) -> dict[str, Any]:
    """The POST of the admin's user change form with ``changes`` applied (and extra keys a
    hostile user might add, if given)."""
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organisation": user.organisation_id or "",
        "role": user.role,
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def midwifery() -> Organisation:
    return f.organisation(type=OrganisationType.MIDWIFERY, name="Verloskundigenpraktijk Test")

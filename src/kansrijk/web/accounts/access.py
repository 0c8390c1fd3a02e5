"""Admin access follows the role, through two groups kept up to date after each migration.

- "Programme staff" (programme staff and administrators): the master data of the platform's
  own apps (organisations, coalitions, questionnaires, programme), but not the accounts.
- "Account managers" (administrators only): users, their roles and second factors, the
  four-eyes change requests and the login lockouts. Changing someone's role or organisation
  needs ``accounts.manage_accounts``; nobody gets it from programme staff membership.

Nobody edits groups or per-user permissions in the admin: they follow from the role
(``User.save``), so the permissions can be read off this file and ``accounts.roles``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from kansrijk.web.accounts.roles import Role

PROGRAMME_GROUP = "Programme staff"
ACCOUNT_GROUP = "Account managers"
#: Apps whose master data programme staff correct in the admin.
MANAGED_APPS = ("accounts", "coalitions", "survey", "programme")
#: Models of MANAGED_APPS that are account management, not master data.
ACCOUNT_MODELS = (
    "user",
    "historicaluser",
    "accountchangerequest",
    "secondfactorrevocation",
)
#: Permissions of the account managers: (app label, codename).
ACCOUNT_PERMISSIONS = (
    ("accounts", "manage_accounts"),
    ("accounts", "view_user"),
    ("accounts", "add_user"),
    ("accounts", "change_user"),
    ("accounts", "view_historicaluser"),
    ("accounts", "view_accountchangerequest"),
    ("accounts", "view_secondfactorrevocation"),
    ("otp_totp", "view_totpdevice"),
    ("otp_totp", "delete_totpdevice"),
    ("otp_static", "view_staticdevice"),
    ("otp_static", "delete_staticdevice"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accesslog"),
    ("axes", "view_accessfailurelog"),
)
#: Which role-managed groups each role is in.
ROLE_GROUPS: dict[str, frozenset[str]] = {
    Role.PROGRAMME_STAFF: frozenset({PROGRAMME_GROUP}),
    Role.ADMINISTRATOR: frozenset({PROGRAMME_GROUP, ACCOUNT_GROUP}),
}
MANAGED_GROUPS = frozenset({PROGRAMME_GROUP, ACCOUNT_GROUP})


def role_groups(role: str) -> tuple[frozenset[str], frozenset[str]]:
    """The groups a user with ``role`` belongs in, and all groups that follow the role."""
    return ROLE_GROUPS.get(role, frozenset()), MANAGED_GROUPS


def _account_permissions() -> Q:
    query = Q(pk__in=[])
    for app_label, codename in ACCOUNT_PERMISSIONS:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return query


def sync_programme_group(**_kwargs: Any) -> Group:
    """Create or refresh both groups (connected to post_migrate); returns the programme group."""
    group, _created = Group.objects.get_or_create(name=PROGRAMME_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=MANAGED_APPS).exclude(
            content_type__app_label="accounts", content_type__model__in=ACCOUNT_MODELS
        )
    )
    accounts, _created = Group.objects.get_or_create(name=ACCOUNT_GROUP)
    accounts.permissions.set(Permission.objects.filter(_account_permissions()))
    return group

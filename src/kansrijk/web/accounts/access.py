"""Admin access follows the role: programme staff and administrators are staff, and the
"Programme staff" group holds every permission on the platform's own apps (kept up to date
after each migration)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

PROGRAMME_GROUP = "Programme staff"
#: Apps whose master data programme staff correct in the admin.
MANAGED_APPS = ("accounts", "coalitions", "survey", "programme")


def sync_programme_group(**_kwargs: Any) -> Group:
    """Create or refresh the group (connected to post_migrate)."""
    group, _created = Group.objects.get_or_create(name=PROGRAMME_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=MANAGED_APPS))
    return group

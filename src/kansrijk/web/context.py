"""Template context shared by every page: the navigation for the signed-in user's role."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kansrijk.web import policy
from kansrijk.web.accounts.roles import Role
from kansrijk.web.care.access import CARE_ROLES


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated or (not user.is_verified() and user.needs_two_factor):
        return {"nav_items": []}
    staff = bool(getattr(user, "is_programme_staff", False))
    items = [
        (reverse("home"), _("Overview")),
        (reverse("coalitions:index"), _("Coalitions")),
        (reverse("coalitions:menu"), _("Intervention menu")),
    ]
    if staff or getattr(user, "can_fill_questionnaire", False):
        items.append((reverse("survey:index"), _("Questionnaire")))
    items.append((reverse("programme:indicators"), _("Programme indicators")))
    items.append((reverse("monitor:index"), _("Monitor")))
    role = getattr(user, "role", "")
    # Learning between coalitions (issue 19): the practice library for every role, the study
    # rounds of the experiences study for researchers.
    if policy.role_may(role, policy.VIEW_PRACTICES):
        items.append((reverse("practices:index"), _("Practice library")))
    if policy.role_may(role, policy.RESEARCH):
        items.append((reverse("experiences:rounds"), _("Experiences")))
    # Care coordination: the caseload for roles that hold client data, the audit log for
    # administrators (who see no client content themselves).
    if getattr(user, "role", "") in CARE_ROLES and getattr(user, "organisation_id", None):
        items.append((reverse("care:caseload"), _("Clients")))
    elif getattr(user, "role", "") == Role.ADMINISTRATOR:
        items.append((reverse("care:audit_log"), _("Audit log")))
    if staff:
        items.append((reverse("admin:index"), _("Administration")))
    path = request.path
    return {
        "nav_items": [
            {
                "url": url,
                "label": label,
                "current": (url != "/" and path.startswith(url)) or path == url,
            }
            for url, label in items
        ]
    }

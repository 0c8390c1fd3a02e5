"""The policy as data (``kansrijk.web.policy``): complete, consistent with the role sets the
rest of the code uses, within the invariants of least privilege, enforced deny-by-default by
its middleware, and documented in docs/authorisation.md exactly as generated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from kansrijk.web import policy
from kansrijk.web.accounts.roles import (
    CLIENT_DATA_ROLES,
    PROGRAMME_ROLES,
    QUESTIONNAIRE_ROLES,
    Role,
)
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.management.commands.authorisation_docs import document
from tests.web import factories as f

ROOT = Path(__file__).resolve().parents[2]
MIDDLEWARE = "kansrijk.web.policy.PolicyMiddleware"
TWO_FACTOR = "kansrijk.web.accounts.middleware.RequireTwoFactorMiddleware"
C, P, PA, MA, PS, AD = policy.ROLES  # in the order of accounts.roles.Role

#: The only pages anyone may open without signing in.
PUBLIC_ROUTES = {
    "healthz",
    "set_language",
    "kansrijk.web.views.admin_login",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "monitor:bundle",
}
#: Permissions that open client content (not only its audit trail or a review).
CLIENT_CONTENT = {
    "care.read_client",
    "care.record_care",
    "care.register_client",
    "care.break_glass",
    "care.present_family",
}


# --- Complete and consistent -------------------------------------------------------------------


def test_every_route_is_declared() -> None:
    """A new URL must be declared in policy.ROUTES (or fall under a namespace rule)."""
    undeclared = [
        f"{name} ({url})" for name, url in policy.url_names() if policy.rule_for(name) is None
    ]
    assert not undeclared, "declare these in kansrijk/web/policy.py ROUTES: " + ", ".join(
        undeclared
    )


def test_every_declared_route_exists() -> None:
    names = {name for name, _url in policy.url_names()}
    assert not sorted(set(policy.ROUTES) - names), "policy.ROUTES names URLs that do not exist"


def test_rules_name_known_permissions_roles_and_scopes() -> None:
    known = set(policy.PERMISSIONS) | {policy.PUBLIC, policy.SIGNED_IN}
    for name, rule in [*policy.ROUTES.items(), *policy.NAMESPACES.items()]:
        for need in (rule.read, rule.write):
            assert set(policy.alternatives(need)) <= known, name
    assert set(policy.ROLES) == set(Role.values)
    for permission in policy.PERMISSIONS.values():
        assert permission.roles <= set(Role.values), permission.name
        assert permission.scope in policy.SCOPES, permission.name
    used = {p for r in policy.ROUTES.values() for p in policy.alternatives(r.read)}
    used |= {p for r in policy.ROUTES.values() for p in policy.alternatives(r.write)}
    used |= {p for r in policy.NAMESPACES.values() for p in policy.alternatives(r.read)}
    # Account management is exercised inside the admin (accounts/admin.py), not by a URL.
    assert set(policy.PERMISSIONS) - used <= {"accounts.manage_accounts"}


def test_role_sets_elsewhere_agree_with_the_policy() -> None:
    """Until they read it from the policy, the role sets of the other modules must equal the
    policy's; a change to one without the other fails here."""
    from kansrijk.web.care import access
    from kansrijk.web.conferences import services as conferences
    from kansrijk.web.monitor import views as monitor_views
    from kansrijk.web.referrals.views import routes

    assert set(CLIENT_DATA_ROLES) == policy.CLIENT_DATA_ROLES
    assert set(PROGRAMME_ROLES) == policy.PROGRAMME_ROLES
    assert set(QUESTIONNAIRE_ROLES) == policy.QUESTIONNAIRE_ROLES
    assert set(access.CARE_ROLES) == policy.CARE_ROLES
    assert set(monitor_views.NATIONAL_ROLES) == policy.NATIONAL_ROLES
    assert set(conferences.CONFERENCE_ROLES) == policy.roles_with(policy.CONFERENCES)
    assert set(routes.ROUTE_ROLES) == policy.roles_with(policy.READ_ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("role", policy.ROLES)
def test_second_factor_follows_the_policy(role: str) -> None:
    user = f.user(role)
    assert user.needs_two_factor == (role in policy.SECOND_FACTOR_ROLES)


# --- Least privilege ---------------------------------------------------------------------------


def test_no_client_data_outside_care_roles() -> None:
    for name in CLIENT_CONTENT:
        assert policy.PERMISSIONS[name].roles <= {P, C}, name
    for role in (PA, MA, PS):
        assert not {p for p in policy.permissions_of(role) if p.startswith("care.")}, role
    # The administrator reviews and audits, but never sees client content.
    assert not policy.permissions_of(AD) & CLIENT_CONTENT


def test_sensitive_permissions_need_a_second_factor() -> None:
    for permission in policy.PERMISSIONS.values():
        if permission.name.startswith(("care.", "admin.", "accounts.")):
            assert permission.second_factor, permission.name


def test_public_pages_are_few() -> None:
    public = {
        name
        for name, rule in policy.ROUTES.items()
        if policy.PUBLIC in policy.alternatives(rule.read)
        or policy.PUBLIC in policy.alternatives(rule.write)
    }
    assert public <= PUBLIC_ROUTES


@pytest.mark.parametrize(
    ("view_name", "method", "role", "verified", "expected"),
    [
        ("no:such_route", "GET", AD, True, policy.DENY),
        ("no:such_route", "GET", None, False, policy.DENY),
        ("care:client", "TRACE", P, True, policy.NOT_ALLOWED),
        ("care:client", "POST", P, True, policy.NOT_ALLOWED),  # nobody posts to a read page
        ("care:client", "POST", None, False, policy.NOT_ALLOWED),
        ("care:client", "GET", P, True, policy.ALLOW),
        ("care:client", "HEAD", C, True, policy.ALLOW),
        ("care:client", "GET", AD, True, policy.DENY),
        ("care:client", "GET", P, False, policy.SECOND_FACTOR),
        ("care:client", "GET", None, False, policy.LOGIN),
        ("care:add_note", "POST", C, True, policy.DENY),
        ("care:audit_log", "GET", AD, True, policy.ALLOW),
        ("care:audit_log", "GET", P, True, policy.DENY),
        ("survey:index", "GET", PA, True, policy.ALLOW),
        ("survey:index", "GET", MA, True, policy.DENY),
        ("admin:accounts_user_changelist", "GET", PS, True, policy.ALLOW),
        ("admin:accounts_user_changelist", "GET", C, True, policy.DENY),
        ("healthz", "GET", None, False, policy.ALLOW),
        ("accounts:verify", "POST", P, False, policy.ALLOW),
    ],
)
def test_decisions(
    view_name: str, method: str, role: str | None, verified: bool, expected: str
) -> None:
    assert policy.decide(view_name, method, role, verified=verified) == expected


# --- Enforced ----------------------------------------------------------------------------------


def _open(request: HttpRequest) -> HttpResponse:
    """A view without any check of its own: only the policy stands in front of it."""
    return HttpResponse("open")


urlpatterns = [
    path("undeclared/", _open, name="undeclared_in_policy"),
    path("", include("kansrijk.web.urls")),
]


def _enforced() -> list[str]:
    middleware = list(settings.MIDDLEWARE)
    if MIDDLEWARE not in middleware:
        middleware.insert(middleware.index(TWO_FACTOR) + 1, MIDDLEWARE)
    return middleware


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *policy.ROLES])
def test_an_undeclared_url_is_refused(role: str | None) -> None:
    """Deny by default: a route nobody declared answers 403 to everyone, even without checks
    in its view."""
    with override_settings(ROOT_URLCONF=__name__, MIDDLEWARE=_enforced()):
        client = f.signed_in(f.user(role)) if role else Client()
        assert client.get("/undeclared/").status_code == 403
        assert client.post("/undeclared/").status_code == 403


@pytest.mark.django_db
def test_middleware_is_after_the_two_factor_middleware() -> None:
    middleware = list(settings.MIDDLEWARE)
    if MIDDLEWARE in middleware:  # enabled in settings.py
        assert middleware.index(MIDDLEWARE) == middleware.index(TWO_FACTOR) + 1


@pytest.mark.django_db
def test_refusals_of_care_pages_are_audited(settings: Any) -> None:
    settings.MIDDLEWARE = _enforced()
    advisor = f.user(Role.POLICY_ADVISOR)
    client = f.signed_in(advisor)
    assert client.get("/care/clients/12/").status_code == 403
    assert client.get("/care/clients/12/record/").status_code == 403
    events = AuditEvent.objects.order_by("sequence")
    # Logged as the page itself logs (a read, a record export), never authorised.
    assert [(e.user_id, e.client_id, e.authorised, e.action) for e in events] == [
        (advisor.pk, 12, False, "read"),
        (advisor.pk, 12, False, "export"),
    ]


# --- Documented --------------------------------------------------------------------------------


def test_docs_are_generated_from_the_policy() -> None:
    committed = (ROOT / "docs" / "authorisation.md").read_text(encoding="utf-8")
    assert committed == document(), (
        "docs/authorisation.md is out of date: run "
        "`kansrijk manage authorisation_docs --out docs/authorisation.md` (make docs)"
    )


def test_docs_list_every_route_and_permission() -> None:
    text = document()
    for name in policy.ROUTES:
        assert f"`{name}`" in text
    for name in policy.PERMISSIONS:
        assert f"`{name}`" in text
    assert "**undeclared**" not in text


def test_the_policy_imports_without_django_set_up() -> None:
    """accounts.roles (imported by the models) can derive its role sets from the policy: the
    policy module must import before the app registry, without settings."""
    import subprocess
    import sys

    code = "import kansrijk.web.policy as p; assert p.CLIENT_DATA_ROLES"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()

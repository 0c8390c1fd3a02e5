"""Every admin URL and action x every kind of user x GET and POST, against a written table.

For every ModelAdmin registered in ``django.contrib.admin.site`` the test walks the admin's
own URL patterns (``get_urls``: changelist, add, change, delete, history, simple-history's
version pages and the catch-all redirect), requests each with GET and with POST (inside a
rolled-back savepoint, so a permitted delete or action leaves the data as it was), and
compares the outcome with ``EXPECTED``: allowed (200 or a redirect that is not a login) or
refused (403, 404, or a redirect to a login or second-factor page). A 200 page with a save
button is only allowed where the table grants adding or changing. Then every action of every
changelist is offered (``get_actions``) and POSTed, and must match ``ACTIONS``.

A new model admin, URL or action that the tables do not know fails the test until the table
says who may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import models, transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, reverse

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from tests.web import factories as f
from tests.web.accounts.objects import build

pytestmark = pytest.mark.django_db

# --- The expected table ------------------------------------------------------------------------

#: Letters: v view, a add, c change, d delete.
MASTER_DATA = (
    "accounts.Organisation",
    "coalitions.Municipality",
    "coalitions.MunicipalityMerger",
    "coalitions.ImpulsApplication",
    "coalitions.CentreMunicipality",
    "coalitions.Coalition",
    "coalitions.CoalitionMunicipality",
    "coalitions.CoalitionPartner",
    "coalitions.Agreement",
    "coalitions.PlanOfAction",
    "coalitions.PlanItem",
    "coalitions.Intervention",
    "coalitions.InterventionOffer",
    "coalitions.CenteringTraining",
    "survey.QuestionSet",
    "survey.Question",
    "survey.Option",
    "survey.Response",
    "survey.Reminder",
)
ACCOUNT_ADMIN = {
    "accounts.User": "vac",  # never deleted (deactivated); no password view at all
    "accounts.AccountChangeRequest": "v",  # decided by actions only
    "accounts.SecondFactorRevocation": "v",
    "otp_totp.TOTPDevice": "v",  # revoked by an action with a reason, never edited
    "otp_static.StaticDevice": "v",
    "axes.AccessAttempt": "vd",  # deleting an attempt lifts a lockout
    "axes.AccessLog": "v",
    "axes.AccessFailureLog": "v",
}
_PROGRAMME = dict.fromkeys(MASTER_DATA, "vacd")
_ADMINISTRATOR = {**_PROGRAMME, **ACCOUNT_ADMIN}
#: Actor -> model label -> permission letters; a missing label means no access at all.
EXPECTED: dict[str, dict[str, str]] = {
    "anonymous": {},
    "unverified": {},  # an administrator who has not verified the second factor
    Role.COORDINATOR: {},
    Role.PROFESSIONAL: {},
    Role.POLICY_ADVISOR: {},
    Role.MONITOR_ANALYST: {},
    Role.PROGRAMME_STAFF: _PROGRAMME,
    Role.ADMINISTRATOR: _ADMINISTRATOR,
    # Groups are shown but follow the role; the superuser flag opens no account form field.
    "superuser": {**_ADMINISTRATOR, "auth.Group": "v"},
}
_MASTER_ACTIONS = {label: {"delete_selected"} for label in MASTER_DATA}
_ACCOUNT_ACTIONS = {
    **_MASTER_ACTIONS,
    "accounts.User": {"send_password_link", "revoke_second_factor"},
    "accounts.AccountChangeRequest": {"approve", "reject"},
    "otp_totp.TOTPDevice": {"revoke"},
    "otp_static.StaticDevice": {"revoke"},
    "axes.AccessAttempt": {"delete_selected", "cleanup_expired_attempts"},
}
#: Actor -> model label -> the changelist actions offered (and accepted when POSTed).
ACTIONS: dict[str, dict[str, set[str]]] = {
    Role.PROGRAMME_STAFF: _MASTER_ACTIONS,
    Role.ADMINISTRATOR: _ACCOUNT_ACTIONS,
    "superuser": _ACCOUNT_ACTIONS,
}
ACTORS = list(EXPECTED)

#: Admin URL names (suffix after ``<app>_<model>_``) -> letter needed for (GET, POST).
URL_NEEDS: dict[str, tuple[str, str]] = {
    "changelist": ("v", "v"),  # a POST without an action re-renders the list
    "add": ("a", "a"),
    "change": ("v", "c"),  # view-only: a read-only page without a save button
    "delete": ("d", "d"),
    "history": ("v", "v"),
    "simple_history": ("v", "c"),  # a version page; POST reverts it
    "": ("v", "v"),  # the catch-all <id>/ redirects to the change page
}


# --- Actors and objects -------------------------------------------------------------------------


@dataclass
class Actor:
    name: str
    client: Client
    user: User | None


def _actor(name: str) -> Actor:
    if name == "anonymous":
        return Actor(name, Client(HTTP_ACCEPT_LANGUAGE="en"), None)
    national = f.organisation(type=OrganisationType.NATIONAL)
    if name == "unverified":
        user = f.user(role=Role.ADMINISTRATOR, org=national)
        f.totp_device(user)
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return Actor(name, client, user)
    if name == "superuser":
        user = f.user(role=Role.ADMINISTRATOR, org=national, is_superuser=True)
    else:
        user = f.user(role=name, org=national)
    return Actor(name, f.signed_in(user, Client(HTTP_ACCEPT_LANGUAGE="en")), user)


@pytest.fixture
def objects() -> dict[type[models.Model], models.Model]:
    made: dict[type[models.Model], models.Model] = {}
    for model in admin.site._registry:
        build(model, made)
    return made


# --- Outcomes -----------------------------------------------------------------------------------

LOGIN_PAGES = ("/accounts/login/", "/admin/login/", "/accounts/verify/", "/accounts/two-factor/")


def refused(response: Any) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)


def _rolled_back(send: Any) -> Any:
    """Send a request in a savepoint that is rolled back (a permitted POST changes nothing)."""
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


def _urls(model_admin: admin.ModelAdmin, obj: models.Model) -> Iterator[tuple[str, str]]:  # type: ignore[type-arg]
    """(kind, concrete URL) for every URL pattern of ``model_admin``."""
    opts = model_admin.model._meta
    prefix = f"{opts.app_label}_{opts.model_name}_"
    version = None
    history = getattr(obj, "history", None)
    if history is not None:
        latest = history.first()
        version = latest.history_id if latest is not None else None
    for pattern in model_admin.get_urls():
        assert isinstance(pattern, URLPattern)
        name = pattern.name or ""
        kind = name.removeprefix(prefix)
        assert kind in URL_NEEDS, f"{opts.label}: URL {pattern.pattern} is not in URL_NEEDS"
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        route = str(pattern.pattern)
        concrete = route.replace("<path:object_id>", str(obj.pk))
        concrete = concrete.replace("<str:version_id>", str(version))
        if route.startswith("^"):  # simple-history's regex: ^([^/]+)/history/([^/]+)/$
            concrete = route.strip("^$").replace("([^/]+)", str(obj.pk), 1)
            concrete = concrete.replace("([^/]+)", str(version), 1)
        assert "<" not in concrete, route
        yield kind, base + concrete


# --- The tests ----------------------------------------------------------------------------------


def test_the_table_covers_every_registered_admin() -> None:
    labels = {model._meta.label for model in admin.site._registry}
    known = {label for table in EXPECTED.values() for label in table}
    assert known <= labels, known - labels
    # Every registered admin is named somewhere (an unknown one is refused to everyone, which
    # the walk below checks; this keeps the table honest about who reaches what).
    assert labels - known == set(), labels - known


@pytest.mark.parametrize("actor_name", ACTORS)
def test_every_admin_url_and_method(actor_name: str, objects: dict[Any, Any]) -> None:
    actor = _actor(actor_name)
    table = EXPECTED[actor_name]
    checked = 0
    for model, model_admin in admin.site._registry.items():
        letters = table.get(model._meta.label, "")
        for kind, url in _urls(model_admin, objects[model]):
            for method, need in zip(("GET", "POST"), URL_NEEDS[kind], strict=True):
                if method == "GET":
                    response = actor.client.get(url)
                else:
                    response = _rolled_back(lambda u=url: actor.client.post(u, {}))
                allowed = need in letters
                where = f"{actor_name} {method} {url} ({kind}, table {letters!r})"
                if kind == "" and response.status_code == 302:
                    # The catch-all only redirects to the change page, checked on its own.
                    change = f"/{objects[model].pk}/change/"
                    assert refused(response) or response["Location"].endswith(change), where
                elif allowed:
                    assert not refused(response), f"refused: {where} -> {response.status_code}"
                    assert response.status_code in (200, 302), where
                else:
                    assert refused(response), f"allowed: {where} -> {response.status_code}"
                if response.status_code == 200 and method == "GET":
                    saves = 'name="_save"' in response.content.decode()
                    may_save = ("a" if kind == "add" else "c") in letters
                    assert not saves or may_save, f"a form that saves: {where}"
                checked += 1
    assert checked >= len(admin.site._registry) * 12


@pytest.mark.parametrize("actor_name", ACTORS)
def test_every_changelist_action(actor_name: str, objects: dict[Any, Any]) -> None:
    actor = _actor(actor_name)
    expected = ACTIONS.get(actor_name, {})
    every_action: dict[str, set[str]] = {}
    for table in ACTIONS.values():
        for label, names in table.items():
            every_action.setdefault(label, set()).update(names)
    factory = RequestFactory()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if actor.user is not None and actor_name != "unverified":
            request = factory.get("/admin/")
            request.user = actor.user
            offered = set(model_admin.get_actions(request))
            assert offered == expected.get(label, set()), (actor_name, label, offered)
        for action in sorted(every_action.get(label, set()) | set(model_admin.actions or ())):
            if not isinstance(action, str):
                continue
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            data = {"action": action, "_selected_action": [objects[model].pk], "index": 0}
            response = _rolled_back(lambda u=url, d=data: actor.client.post(u, d))
            where = f"{actor_name} action {action} on {label}"
            if action in expected.get(label, set()):
                assert response.status_code in (200, 302) and not refused(response), where
            else:
                texts = [str(m) for m in get_messages(response.wsgi_request)]
                assert refused(response) or (
                    response.status_code == 302 and "No action selected." in texts
                ), f"{where} -> {response.status_code} {texts}"


@pytest.mark.parametrize("actor_name", ACTORS)
def test_admin_site_pages(actor_name: str) -> None:
    actor = _actor(actor_name)
    table = EXPECTED[actor_name]
    index = actor.client.get(reverse("admin:index"))
    assert refused(index) is (not table), actor_name
    apps = {model._meta.app_label for model in admin.site._registry}
    for app_label in sorted(apps):
        response = actor.client.get(reverse("admin:app_list", args=[app_label]))
        visible = any(label.startswith(f"{app_label}.") for label in table)
        assert refused(response) is (not visible), (actor_name, app_label, response.status_code)

"""The error pages (400, 403, CSRF 403, 404, 500): Dutch first, English on request, in the
site's layout, and never a word about DEBUG, settings or the failure's internals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client
from django.urls import get_resolver, path

from kansrijk.web import policy, views
from kansrijk.web import urls as site_urls
from kansrijk.web.accounts.roles import Role
from tests.web import factories

pytestmark = pytest.mark.django_db


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: database password hunter2")


def _denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("internal reason")


# This module doubles as a URLconf: the site's routes and handlers plus two failing views.
urlpatterns = [
    *site_urls.urlpatterns,
    path("test-boom/", _boom, name="test_boom"),
    path("test-denied/", _denied, name="test_denied"),
]


@pytest.fixture(autouse=True)
def _declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """The policy refuses undeclared URLs (403): declare this module's test routes."""
    for name in ("test_boom", "test_denied"):
        monkeypatch.setitem(policy.ROUTES, name, policy.Rule(read=policy.PUBLIC))


handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500

LEAKS = ("DEBUG", "settings", "Traceback", "hunter2", "internal reason", "CSRF cookie", "Referer")

# (page, Dutch, English) headings.
HEADINGS = {
    400: ("Verzoek niet begrepen", "Request not understood"),
    403: ("Geen toegang", "No access"),
    "csrf": ("Formulier verlopen", "Form expired"),
    404: ("Pagina niet gevonden", "Page not found"),
    500: ("Er ging iets mis", "Something went wrong"),
}


def _request(page: int | str, lang: str) -> HttpResponseBase:
    headers = {"accept-language": lang}
    if page == 400:
        return Client().get("/", headers=headers | {"host": "evil.example"})
    if page == 403:
        return Client().get("/test-denied/", headers=headers)
    if page == "csrf":
        client = Client(enforce_csrf_checks=True)
        return client.post("/accounts/login/", {"username": "x", "password": "y"}, headers=headers)
    if page == 404:
        return Client().get("/no/such/page/", headers=headers)
    return Client(raise_request_exception=False).get("/test-boom/", headers=headers)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("page", [400, 403, "csrf", 404, 500])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_error_page_in_the_site_layout_and_language(page: int | str, lang: str) -> None:
    response = _request(page, lang)
    status = 403 if page == "csrf" else page
    assert response.status_code == status
    html = response.content.decode()
    dutch, english = HEADINGS[page]
    heading = dutch if lang == "nl" else english
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in html
    assert f'<html lang="{lang}"' in html
    assert "kansrijk/app.css" in html and 'class="utrecht-page-header ks-header"' in html
    other = english if lang == "nl" else dutch
    assert other not in html
    for leak in LEAKS:
        assert leak not in html, leak


def test_a_role_without_access_gets_the_403_page() -> None:
    """A real PermissionDenied: a signed-in user sent to the admin login."""
    account = factories.user(role=Role.POLICY_ADVISOR)
    response = factories.signed_in(account).get("/admin/login/", headers={"accept-language": "nl"})
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


@pytest.mark.urls(__name__)
def test_500_page_falls_back_to_plain_html_when_the_layout_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object) -> HttpResponse:
        raise RuntimeError("layout broken")

    monkeypatch.setattr(views, "_error_page", broken)
    response = Client(raise_request_exception=False).get("/test-boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Er ging iets mis</h1>" in html and "hunter2" not in html


def test_handlers_are_wired() -> None:
    from django.conf import settings

    resolver = get_resolver()
    assert resolver.resolve_error_handler(400) is views.bad_request
    assert resolver.resolve_error_handler(403) is views.permission_denied
    assert resolver.resolve_error_handler(404) is views.page_not_found
    assert resolver.resolve_error_handler(500) is views.server_error
    assert settings.CSRF_FAILURE_VIEW == "kansrijk.web.views.csrf_failure"

"""Ids out of range: a path id of more than 18 digits matches no route (404, not a 500 from an
integer overflow in the lookup), and on a care path the refusal is in the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.care import urls as care_urls
from kansrijk.web.converters import IdConverter
from tests.web import factories as f

pytestmark = pytest.mark.django_db

OVERSIZED = "9" * 23  # beyond 2**64: int() of it overflows a 64-bit column
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _path(pattern: URLPattern, oversized: str) -> str:
    """The pattern's route under /care/ with ``oversized`` as the id named so, 1 elsewhere."""

    def value(match: re.Match[str]) -> str:
        if match["converter"] == "id":
            return OVERSIZED if match["name"] == oversized else "1"
        return "x"

    return "/care/" + PARAMETER.sub(value, str(pattern.pattern))


def _cases() -> Iterator[tuple[str, str]]:
    for pattern in care_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        for name, converter in pattern.pattern.converters.items():  # type: ignore[attr-defined]
            if isinstance(converter, IdConverter):
                yield str(pattern.name), name


CASES = list(_cases())


def test_every_numeric_care_route_uses_the_id_converter() -> None:
    """No care route takes an unbounded <int:...> any more (and the table below is not empty)."""
    assert len(CASES) >= 40
    for pattern in care_urls.urlpatterns:
        assert "<int:" not in str(pattern.pattern), pattern


@pytest.mark.parametrize(("route", "parameter"), CASES)
def test_oversized_care_id_is_a_logged_404(route: str, parameter: str) -> None:
    professional = f.user(Role.PROFESSIONAL, f.organisation(type="district_team"))
    browser = f.signed_in(professional)
    [pattern] = [p for p in care_urls.urlpatterns if p.name == route]
    path = _path(pattern, parameter)
    before = AuditEvent.objects.count()
    for method in (browser.get, browser.post):
        response = method(path)
        assert response.status_code == 404, (method, path)
    refusals = list(AuditEvent.objects.order_by("sequence")[before:])
    assert len(refusals) == 2
    for event, action in zip(refusals, ("read", "update"), strict=True):
        assert not event.authorised
        assert event.user_id == professional.pk
        assert event.action == action
        assert event.client_id is None
        assert event.detail.startswith("no route: ")
        assert OVERSIZED[:20] in event.detail


def test_eighteen_digits_still_reach_the_view() -> None:
    """The largest accepted id is looked up (and refused by the view, logged with the id)."""
    professional = f.user(Role.PROFESSIONAL, f.organisation(type="district_team"))
    largest = int("9" * 18)
    path = reverse("care:client", kwargs={"pk": largest})
    assert path == f"/care/clients/{largest}/"
    response = f.signed_in(professional).get(path)
    assert response.status_code == 404
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and not event.authorised
    assert event.client_id == largest
    assert event.detail == "care:client"


def test_unknown_care_path_is_logged_once_and_other_404s_are_not() -> None:
    professional = f.user(Role.PROFESSIONAL, f.organisation(type="district_team"))
    browser = f.signed_in(professional)
    assert browser.get("/care/nothing-here/").status_code == 404
    assert AuditEvent.objects.filter(authorised=False, detail__startswith="no route").count() == 1
    # Outside /care/ nothing is logged; a care view's own 404 is logged by the view only.
    assert browser.get(f"/coalitions/{OVERSIZED}/").status_code == 404
    assert browser.get(reverse("care:client", args=[123456])).status_code == 404
    assert AuditEvent.objects.filter(detail__startswith="no route").count() == 1
    assert AuditEvent.objects.filter(detail="care:client", client_id=123456).count() == 1


def test_anonymous_oversized_id_is_not_logged() -> None:
    """Nobody signed in: nothing to attribute, so no entry (and still no 500)."""
    assert Client().get(f"/care/clients/{OVERSIZED}/").status_code == 404
    assert not AuditEvent.objects.filter(detail__startswith="no route").exists()


@pytest.mark.parametrize(
    "path",
    [
        f"/coalitions/{OVERSIZED}/",
        f"/questionnaire/{OVERSIZED}/",
        f"/questionnaire/{OVERSIZED}/status/",
        f"/monitor/grenzen/{OVERSIZED}.json",
    ],
)
def test_oversized_ids_elsewhere_are_404(path: str) -> None:
    browser = f.signed_in(f.user(Role.ADMINISTRATOR, f.organisation(type="national")))
    assert browser.get(path).status_code == 404

"""The sliding idle time-out: a session is saved (its expiry moved on) at most once per refresh
interval while the user is active, not on every request, and it still expires when idle."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from kansrijk.web import sessions
from kansrijk.web.accounts.roles import Role
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def _expiry(browser: object) -> datetime:
    key = browser.session.session_key  # type: ignore[attr-defined]
    return Session.objects.get(session_key=key).expire_date


def test_the_expiry_slides_at_most_once_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(sessions.time, "time", lambda: clock[0])
    browser = f.signed_in(f.user(role=Role.POLICY_ADVISOR, org=f.organisation()))
    home = reverse("home")
    assert browser.get(home).status_code == 200  # no refresh yet: saved, moment noted
    first = _expiry(browser)
    clock[0] += 30
    assert browser.get(home).status_code == 200
    assert _expiry(browser) == first  # within the minute: no write
    clock[0] += 31
    assert browser.get(home).status_code == 200
    assert _expiry(browser) > first  # a minute on: saved, the time-out runs from now


def test_an_idle_session_expires() -> None:
    browser = f.signed_in(f.user(role=Role.POLICY_ADVISOR, org=f.organisation()))
    key = browser.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=datetime(2000, 1, 1, tzinfo=UTC))
    response = browser.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_logging_out_leaves_no_session_behind() -> None:
    browser = f.signed_in(f.user(role=Role.POLICY_ADVISOR, org=f.organisation()))
    assert browser.get(reverse("home")).status_code == 200
    assert Session.objects.count() == 1
    browser.post(reverse("accounts:logout"))
    assert Session.objects.count() == 0

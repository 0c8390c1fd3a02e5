"""Security headers on the app's own responses (in-process; the proxy test checks them over
TLS): the strict Content-Security-Policy with its nonce, the other OWASP headers, and no
caching of rendered pages while views with their own caching rule keep it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from kansrijk.web.accounts.roles import Role
from kansrijk.web.monitor import specs
from tests.web import factories as f
from tests.web.care.builders import world

pytestmark = pytest.mark.django_db


def _policy(header: str) -> dict[str, str]:
    return {k: v for k, _, v in (part.partition(" ") for part in header.split("; "))}


def test_anonymous_page_headers() -> None:
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    csp = _policy(response["Content-Security-Policy"])
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"  # no nonce asked for
    assert csp["object-src"] == "'none'" and csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'" and csp["form-action"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "upgrade-insecure-requests" not in csp  # production only
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Permitted-Cross-Domain-Policies"] == "none"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_signed_in_pages_are_not_cached_but_versioned_files_keep_their_rule() -> None:
    client = f.signed_in(f.user(role=Role.POLICY_ADVISOR))
    home = client.get(reverse("home"))
    assert home.status_code == 200 and home["Cache-Control"] == "no-store"
    bundle = client.get(reverse("monitor:bundle", args=[specs.bundle_version()]))
    assert bundle.status_code == 200
    assert bundle["Cache-Control"] == "private, max-age=31536000, immutable"
    assert bundle["Permissions-Policy"]  # every response gets the static headers


def test_the_record_page_style_carries_the_request_nonce() -> None:
    """The care record's print stylesheet is the one inline <style>: allowed by its nonce."""
    care = world()
    url = reverse("care:record_export", args=[care.referred_consent.pk]) + "?format=html"
    response = f.signed_in(care.other_professional).get(url)
    assert response.status_code == 200
    csp = _policy(response["Content-Security-Policy"])
    nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]+)'", csp["style-src"])
    assert nonce is not None, csp["style-src"]
    assert f'<style nonce="{nonce.group(1)}">' in response.content.decode()
    again = f.signed_in(care.other_professional).get(url)
    assert nonce.group(1) not in again["Content-Security-Policy"]  # one nonce per response

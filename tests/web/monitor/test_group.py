"""The local dashboard shows the similar municipalities: the same group and figures as the local
monitor's HTML and PDF (`kansrijk.report.dashboard.local`), in the report's words."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from kansrijk.publication import Publication
from kansrijk.report import dashboard
from kansrijk.report.charts import format_value
from kansrijk.web.accounts.roles import Role
from tests.web import factories as f
from tests.web.monitor.pages import figures

pytestmark = pytest.mark.django_db


def _client() -> Client:
    org = f.organisation(municipality_code="GM0363")
    return f.signed_in(f.user(role=Role.POLICY_ADVISOR, org=org))


def test_the_local_page_shows_the_group_and_its_figures(results: Path) -> None:
    html = _client().get("/monitor/gemeente/GM0363/").content.decode()
    local = dashboard.local(Publication.open(results), "GM0363")
    assert local.group is not None
    assert 'id="group-heading">Vergelijkbare gemeenten</h2>' in html
    assert f"De {len(local.group.members)} gemeenten in de groep" in html
    assert "Amsterdam wordt ook vergeleken met" in html
    assert 'href="#group"' in html
    shown = figures(html)
    for c in local.comparisons:
        g = c.group
        assert g is not None
        text = shown[(c.indicator.id, "group")]
        published = f"{g.published} van {g.members} gemeenten gepubliceerd"
        assert published in text, c.indicator.id
        if g.shown:
            assert text.startswith(format_value(g.value, str(c.indicator.unit), "nl"))
        else:
            assert text.startswith("–")


def test_an_empty_phase_says_which_indicator_comes_later(results: Path) -> None:
    html = _client().get("/monitor/gemeente/GM0363/").content.decode()
    before = html[html.index('id="phase-before"') : html.index('id="phase-during"')]
    assert "Indicator 2024-06 (Preconceptieconsult) komt met de indicatorenset 2024" in before

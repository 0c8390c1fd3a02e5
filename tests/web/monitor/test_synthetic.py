"""Every monitor page of a run of synthetic data shows the banner (Dutch, or English when
chosen); pages of another run do not. The session's run (``monitor_run``) is computed from
``kansrijk synth`` data, so its manifest says ``"synthetic": true``."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings

from kansrijk.publication import Publication
from kansrijk.web.accounts.roles import OrganisationType, Role
from tests.web import factories as f

pytestmark = pytest.mark.django_db

AMSTERDAM = "GM0363"
PAGES = (
    "/monitor/?kies=1",
    f"/monitor/gemeente/{AMSTERDAM}/",  # the municipal dashboard and its downloads
    f"/monitor/gemeente/{AMSTERDAM}/vergelijk/2019-07/",  # funnel plot, map, table
    "/monitor/nationaal/",
)
BANNER_NL = (
    "Synthetische gegevens: deze cijfers komen uit een gegenereerde, fictieve populatie en "
    "zeggen niets over echte gemeenten of personen."
)
BANNER_EN = (
    "Synthetic data: these figures come from a generated, fictitious population and say "
    "nothing about real municipalities or people."
)


@pytest.fixture
def real_results(results: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the session's run whose manifest says it is not synthetic."""
    copy = tmp_path / "monitor"
    shutil.copytree(results, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    (copy / "manifest.json").write_text(
        json.dumps({**manifest, "synthetic": False}), encoding="utf-8"
    )
    with override_settings(KANSRIJK_MONITOR_DIR=copy):
        yield copy


def _client() -> Client:
    org = f.organisation(type=OrganisationType.NATIONAL, municipality_code="")
    return f.signed_in(f.user(role=Role.PROGRAMME_STAFF, org=org))


def _banners(html: str) -> list[str]:
    """The text of every banner on the page."""
    found = re.findall(r"<div [^>]*data-synthetic[^>]*>(.*?)</div>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", b).split()) for b in found]


def test_the_session_run_is_synthetic(results: Path) -> None:
    assert Publication.open(results).manifest["synthetic"] is True


@pytest.mark.parametrize("url", PAGES)
def test_every_page_of_a_synthetic_run_shows_the_banner(results: Path, url: str) -> None:
    response = _client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert _banners(html) == [BANNER_NL]
    assert 'class="utrecht-alert utrecht-alert--warning ks-synthetic" role="note"' in html
    # near the top: before the page's second-level headings
    assert html.index("data-synthetic") < html.index('class="utrecht-heading-2"')


def test_the_banner_in_english(results: Path) -> None:
    client = _client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in PAGES:
        assert _banners(client.get(url).content.decode()) == [BANNER_EN], url


@pytest.mark.parametrize("url", PAGES)
def test_pages_of_another_run_show_no_banner(real_results: Path, url: str) -> None:
    response = _client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-synthetic" not in html
    assert "Synthetische gegevens" not in html


def test_a_demo_run_from_before_the_flag_still_shows_the_banner(real_results: Path) -> None:
    (real_results / "demo.json").write_text('{"synthetic": true}\n', encoding="utf-8")
    html = _client().get(f"/monitor/gemeente/{AMSTERDAM}/").content.decode()
    assert _banners(html) == [BANNER_NL]

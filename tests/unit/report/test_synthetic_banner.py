"""Runs of synthetic data say so: a banner at the top of the national factsheet and the local
monitor (HTML and the PDF's source), in the report's language; no banner otherwise."""

from __future__ import annotations

import re

import pytest

from kansrijk.publication import Publication
from kansrijk.report.build import local_html, national_html
from kansrijk.report.dashboard import synthetic_run
from kansrijk.report.labels import Lang, synthetic_banner

from .fixtures import MANIFEST, published

BANNER_NL = (
    "Synthetische gegevens: deze cijfers komen uit een gegenereerde, fictieve populatie en "
    "zeggen niets over echte gemeenten of personen."
)
BANNER_EN = (
    "Synthetic data: these figures come from a generated, fictitious population and say "
    "nothing about real municipalities or people."
)


def _run(**manifest: object) -> Publication:
    base = published()
    return Publication.from_table(base.results, {**MANIFEST, **manifest}, base.funnel)


def _text(html: str) -> str:
    """The page's text: tags dropped, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" :", ":")


def test_banner_texts() -> None:
    assert synthetic_banner("nl") == BANNER_NL
    assert synthetic_banner("en") == BANNER_EN
    assert synthetic_banner() == BANNER_NL


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ({"synthetic": True}, True),
        ({"synthetic": False}, False),
        ({}, False),  # runs from before the flag
        ({"synthetic": "true"}, False),
    ],
)
def test_the_flag_is_read_from_the_manifest(manifest: dict[str, object], expected: bool) -> None:
    assert synthetic_run(_run(**manifest)) is expected


@pytest.mark.parametrize(
    ("lang", "banner", "interactive"),
    [("nl", BANNER_NL, True), ("en", BANNER_EN, True), ("nl", BANNER_NL, False)],  # False: PDF
)
def test_synthetic_reports_start_with_the_banner(
    lang: Lang, banner: str, interactive: bool
) -> None:
    run = _run(synthetic=True)
    pages = {
        "national": national_html(run, lang, interactive=interactive),
        "local": local_html(run, "GM0363", lang, interactive=interactive),
    }
    for name, html in pages.items():
        assert banner in _text(html), name
        # at the top of the first page: right at the start of the content, before any section
        main = html.index('<main id="content">')
        assert main < html.index('class="synthetic-banner" role="note"') < html.index("<h2"), name


@pytest.mark.parametrize("manifest", [{"synthetic": False}, {}])
def test_other_reports_have_no_banner(manifest: dict[str, object]) -> None:
    run = _run(**manifest)
    for lang in ("nl", "en"):
        for html in (national_html(run, lang), local_html(run, "GM0363", lang)):
            assert 'class="synthetic-banner"' not in html
            assert "Synthetische gegevens" not in html
            assert "Synthetic data" not in html

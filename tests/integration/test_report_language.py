"""No English in the Dutch reports: the factsheet and a local monitor of a synthetic run, scanned
for common English words (`tests/unit/report/english.py`) in everything a reader sees or hears.

Scanned: the page text, the image descriptions and tooltips (alt, title, aria-label), and the
reader-facing strings of every chart spec (titles, descriptions, axis and legend labels, the
values of tooltips). Not scanned: scripts' code, styles, <code> and the names of
municipalities (proper names).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from kansrijk.publication import Publication
from kansrijk.report.build import local_html, national_html
from kansrijk.report.labels import Lang

from ..conftest import MonitorRun
from ..unit.report.english import english_words, visible_text

pytestmark = [pytest.mark.slow, pytest.mark.integration]

#: Keys of a Vega-Lite spec whose string values a reader sees (titles, labels, tooltips).
READ_KEYS = {
    "title",
    "subtitle",
    "description",
    "text",
    "domain",
    "group",
    "series",
    "value_text",
    "ci_text",
    "counts_text",
    "label_text",
    "class",
    "label",
}
_SPEC = re.compile(r'<script type="application/json" id="[^"]*-spec">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def published(monitor_run: MonitorRun) -> Publication:
    return Publication.open(monitor_run.out)


@pytest.fixture(scope="module")
def pages(published: Publication) -> dict[tuple[str, Lang], str]:
    return {
        (name, lang): page
        for lang in ("nl", "en")
        for name, page in (
            ("national", national_html(published, lang)),
            ("local", local_html(published, "GM0363", lang)),
        )
    }


def _spec_strings(node: object, key: str | None = None) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _spec_strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _spec_strings(v, key)
    elif isinstance(node, str) and key in READ_KEYS:
        yield node


def read_text(html: str) -> str:
    """What a reader of ``html`` sees or hears, chart texts included."""
    charts = [s for spec in _SPEC.findall(html) for s in _spec_strings(json.loads(spec))]
    return visible_text(html) + " " + " ".join(charts)


@pytest.mark.parametrize("name", ["national", "local"])
def test_the_dutch_report_has_no_english(pages: dict[tuple[str, Lang], str], name: str) -> None:
    html = pages[(name, "nl")]
    assert len(_SPEC.findall(html)) >= 3  # the charts are scanned too
    hits = english_words(read_text(html))
    assert not hits, f"English in the Dutch {name} report: {hits[:10]}"


def test_the_dutch_factsheet_has_its_deviations_in_dutch(
    pages: dict[tuple[str, Lang], str], published: Publication
) -> None:
    text = visible_text(pages[("national", "nl")])
    with_deviations = sum(bool(d.deviations) for d in published.indicators)
    assert with_deviations >= 10
    assert text.count("Keuzes en afwijkingen van RIVM's code") >= 2 * with_deviations  # + note
    assert "toelichting in het Engels" not in text
    assert "de code van rivm" in text.lower()


@pytest.mark.parametrize("name", ["national", "local"])
def test_the_scan_finds_english(pages: dict[tuple[str, Lang], str], name: str) -> None:
    """The English report is full of hits: the word list and the text extraction work."""
    assert len(english_words(read_text(pages[(name, "en")]))) > 50

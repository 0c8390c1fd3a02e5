"""Every page of the national factsheet and the local monitor (PDF) is laid out for a reader.

Each page is rendered with pdftoppm (tests/pdfpages.py) and must hold a fair share of content
(no page with a single bullet, a one-row table or a lone heading, the last page excepted) and
keep its ink inside the margins (no chart or table running into the footer or past the column);
no heading may end a page with what it introduces on the next one. Built from the small
synthetic run the other report tests use.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kansrijk.publication import Publication
from kansrijk.report.build import build_local, build_national

from ..conftest import MonitorRun
from ..pdfpages import analyse_pages, html_headings, orphan_headings, page_lines, render_pages

pytestmark = [
    pytest.mark.slow,
    pytest.mark.integration,
    pytest.mark.skipif(
        shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
        reason="poppler-utils (pdftoppm, pdftotext) not installed: make test-prereqs",
    ),
]

#: The source line under a section heading belongs with it (see `orphan_headings`).
SOURCE_LINE = re.compile(r"^(Bron|Source): ")


@pytest.fixture(scope="module")
def reports(monitor_run: MonitorRun, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The national factsheet and the Amsterdam monitor, HTML and PDF."""
    published = Publication.open(monitor_run.out)
    out = tmp_path_factory.mktemp("pdf-pages")
    paths = [*build_national(published, out, "nl"), *build_local(published, "GM0363", out, "nl")]
    return {p.name: p for p in paths}


@pytest.mark.parametrize("name", ["factsheet-nl", "GM0363-nl"])
def test_no_nearly_empty_page_and_nothing_crosses_the_margin(
    reports: dict[str, Path], name: str
) -> None:
    images = render_pages(reports[f"{name}.pdf"])
    assert len(images) >= 3, name
    pages = analyse_pages(images)
    bad = [p.describe() for p in pages if p.bad]
    assert not bad, f"{name}.pdf ({len(pages)} pages): " + "; ".join(bad)
    # the detector sees the content: a typical page is well filled
    filled = sorted(p.filled for p in pages)
    assert filled[len(filled) // 2] > 0.5, (name, filled)


@pytest.mark.parametrize("name", ["factsheet-nl", "GM0363-nl"])
def test_no_heading_ends_a_page(reports: dict[str, Path], name: str) -> None:
    headings = html_headings(reports[f"{name}.html"].read_text(encoding="utf-8"))
    pages = page_lines(reports[f"{name}.pdf"])
    # the check reads the page text: headings are found as lines of it
    assert sum(line in headings for page in pages for line in page) >= 5, name
    assert not orphan_headings(pages, headings, intro=SOURCE_LINE), name

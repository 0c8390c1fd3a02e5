"""The PDF page detector (tests/pdfpages.py) on synthetic page images."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from kansrijk.report import build
from kansrijk.report.pdf import Engine, html_to_pdf

from ..pdfpages import (
    DPI,
    PAGE,
    PageGeometry,
    analyse_page,
    analyse_pages,
    html_headings,
    orphan_headings,
    read_pgm,
)

WHITE = 255


def blank(geometry: PageGeometry = PAGE, dpi: int = DPI) -> np.ndarray:
    """A white page of the report's size."""
    return np.full(
        (geometry.px(geometry.height, dpi), geometry.px(geometry.width, dpi)), WHITE, np.uint8
    )


def mm(value: float) -> int:
    return PAGE.px(value, DPI)


def text_lines(page: np.ndarray, start_mm: float, end_mm: float, grey: int = 40) -> np.ndarray:
    """Lines of 'text' (3 px of ink every 6 px) across the content width between two heights."""
    _, _, left, right = PAGE.content_box(page.shape, DPI)
    for row in range(mm(start_mm), mm(end_mm), 6):
        page[row : row + 3, left + 2 : right - 20] = grey
    return page


def with_footer(page: np.ndarray) -> np.ndarray:
    """Running header and footer text where the @page margin boxes draw them."""
    rows = page.shape[0]
    _, _, left, right = PAGE.content_box(page.shape, DPI)
    page[mm(8) : mm(10), left + 60 : right - 60] = 30  # synthetic-data warning (top centre)
    page[rows - mm(11) : rows - mm(9), left : left + 120] = 30  # title (bottom left)
    page[rows - mm(11) : rows - mm(9), right - 25 : right] = 30  # "3 / 12" (bottom right)
    return page


def test_page_geometry_matches_the_stylesheet() -> None:
    css = build._css()
    rule = re.search(r"@page\s*\{[^@]*?size:\s*A4;\s*margin:\s*([^;]+);", css)
    assert rule is not None
    top, right, bottom = (float(v.removesuffix("mm")) for v in rule.group(1).split())
    assert (top, right, bottom, right) == (PAGE.top, PAGE.right, PAGE.bottom, PAGE.left)
    assert (PAGE.width, PAGE.height) == (210.0, 297.0)


def test_full_page_with_header_and_footer_is_fine() -> None:
    page = with_footer(text_lines(blank(), 20, 270))
    report = analyse_page(page)
    assert not report.bad, report.describe()
    assert report.filled > 0.4
    assert report.margin_ink == 0


def test_one_bullet_is_nearly_empty() -> None:
    page = with_footer(text_lines(blank(), 20, 26))
    report = analyse_page(page, 7)
    assert report.nearly_empty and not report.overflow
    assert report.bad
    assert "page 7: nearly empty" in report.describe()


def test_blank_page_is_nearly_empty_but_the_last_page_may_be_short() -> None:
    assert analyse_page(blank()).nearly_empty
    assert not analyse_page(with_footer(text_lines(blank(), 20, 26)), last=True).bad


def test_threshold_sits_between_short_and_half_pages() -> None:
    quarter = with_footer(text_lines(blank(), 20, 20 + 259 * 0.2))
    half = with_footer(text_lines(blank(), 20, 20 + 259 * 0.5))
    assert analyse_page(quarter).nearly_empty
    assert not analyse_page(half).nearly_empty
    assert analyse_page(quarter, min_filled=0.1).nearly_empty is False


def test_chart_through_the_footer_is_an_overflow() -> None:
    page = with_footer(text_lines(blank(), 20, 200))
    _, _, left, _ = PAGE.content_box(page.shape, DPI)
    rows = page.shape[0]
    page[mm(205) : rows, left + 10 : left + 150] = 90  # bars drawn to the page edge
    report = analyse_page(page, 65)
    assert report.overflow and not report.nearly_empty
    assert report.margin_rows is not None
    assert report.margin_rows[1] == rows - 1
    assert "ink pixels in the margin" in report.describe()


def test_content_just_below_the_content_box_is_an_overflow() -> None:
    page = text_lines(blank(), 20, 200)
    _, bottom, left, _ = PAGE.content_box(page.shape, DPI)
    page[bottom + 2 : bottom + 5, left + 10 : left + 100] = 0  # a few mm into the margin
    assert analyse_page(page).overflow


def test_content_wider_than_the_column_is_an_overflow() -> None:
    page = text_lines(blank(), 20, 200)
    _, _, _, right = PAGE.content_box(page.shape, DPI)
    page[mm(100) : mm(140), right - 50 : right + 8] = 60  # a table running into the right margin
    report = analyse_page(page)
    assert report.overflow


def test_light_fills_and_edge_antialiasing_are_not_ink() -> None:
    page = text_lines(blank(), 20, 200)
    top, bottom, left, right = PAGE.content_box(page.shape, DPI)
    page[top:bottom, left:right][page[top:bottom, left:right] == WHITE] = 240  # caveat fill
    page[mm(100), right] = 100  # one anti-aliased pixel on the edge (slack)
    page[mm(120), right + 3] = 100  # one stray pixel (tolerated)
    report = analyse_page(page)
    assert not report.bad, report.describe()


def test_analyse_pages_numbers_pages_and_spares_only_the_last() -> None:
    full = with_footer(text_lines(blank(), 20, 270))
    short = with_footer(text_lines(blank(), 20, 26))
    reports = analyse_pages([full, short, full, short])
    assert [r.number for r in reports] == [1, 2, 3, 4]
    assert [r.nearly_empty for r in reports] == [False, True, False, False]


def test_grayscale_only() -> None:
    with pytest.raises(ValueError, match="grayscale"):
        analyse_page(np.zeros((10, 10, 3), np.uint8))


def test_read_pgm(tmp_path: Path) -> None:
    pixels = np.arange(12, dtype=np.uint8).reshape(3, 4)
    path = tmp_path / "page-1.pgm"
    path.write_bytes(b"P5\n4 3\n255\n" + pixels.tobytes())
    assert np.array_equal(read_pgm(path), pixels)
    (tmp_path / "bad.pgm").write_bytes(b"P6\n4 3\n255\n")
    with pytest.raises(ValueError, match="PGM"):
        read_pgm(tmp_path / "bad.pgm")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("engine", ["chromium", "weasyprint"])
def test_pdftoppm_page_has_the_expected_size(tmp_path: Path, engine: Engine) -> None:
    """A blank page from either engine is A4 and renders to the size the geometry assumes."""
    pdf = tmp_path / "blank.pdf"
    pdf.write_bytes(html_to_pdf("<html><body><p>x</p></body></html>", engine))
    subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), str(pdf), str(tmp_path / "p")], check=True)
    (image,) = [read_pgm(p) for p in tmp_path.glob("p-*.pgm")]
    assert image.shape == blank().shape


# -- orphan headings -------------------------------------------------------------------------------
HEADINGS = {
    "Uitsplitsingen (2020)",
    "8. Vrouwen met problematische schulden in het jaar van bevalling",
}
SOURCE = re.compile(r"^Bron: ")


def test_heading_that_ends_a_page_is_an_orphan() -> None:
    pages = [
        ["Verloop in de tijd", "Nederland 13,7 13,5", "Uitsplitsingen (2020)"],
        ["Zwangerschapsbegeleiding ...", "Uitsplitsing Groep Waarde"],
    ]
    assert orphan_headings(pages, HEADINGS) == [(1, "Uitsplitsingen (2020)")]


def test_wrapped_heading_and_its_source_line_are_an_orphan() -> None:
    page = [
        "getoond. Bij kleine gemeenten staat daarom vaak alleen het 5-jaarscijfer",
        "8. Vrouwen met problematische schulden in het jaar van",
        "bevalling",
        "Bron: Perined, CBS · Gewenste richting: lager is beter · Trend Amsterdam: ▬ geen",
        "verandering sinds 2016",
    ]
    pages = [page, ["Vrouwen met problematische schulden ..."]]
    assert orphan_headings(pages, HEADINGS) == []  # without knowing the source line
    assert orphan_headings(pages, HEADINGS, intro=SOURCE) == [
        (1, "8. Vrouwen met problematische schulden in het jaar van bevalling")
    ]


def test_heading_followed_by_its_text_or_on_the_last_page_is_fine() -> None:
    pages = [
        ["Uitsplitsingen (2020)", "Zwangerschapsbegeleiding gestart na week 10", "ja 28,9"],
        ["8. Vrouwen met problematische schulden in het jaar van bevalling"],
    ]
    assert orphan_headings(pages, HEADINGS, intro=SOURCE) == []


def test_html_headings() -> None:
    document = (
        '<h1>Monitor</h1><h2 id="x">7. Zwangerschaps&shy;begeleiding\n gestart</h2>'
        '<h3><a href="#y">Definitie</a></h3><h4></h4><p>Bron</p><h5>klein</h5>'
    )
    assert html_headings(document) == {
        "Monitor",
        "7. Zwangerschaps\xadbegeleiding gestart",
        "Definitie",
    }

"""Page checks for the PDF reports: nearly empty pages and content that crosses the margin.

Each page is rendered by poppler's ``pdftoppm`` to a small grayscale image (36 dpi: an A4 page
is 298 x 421 pixels, so rendering and analysis take a fraction of a second per page) and analysed as
a numpy array. The geometry follows the ``@page`` rule of ``report.css``: the content box inside
the margins, a running header centred in the top margin (the synthetic-data warning) and a
running footer centred in the bottom margin (title and page number). Ink is allowed in the
content box and in the header and footer bands; anywhere else in the margins it is content that
ran past the page (a chart cut through the footer, a table wider than the column).

A page is *nearly empty* when the rows of its content box that hold any ink cover less than
``min_filled`` of the content height (a single bullet, an orphan heading, a one-row table).
The last page may be short. An *orphan heading* is a heading that ends a page
(`orphan_headings`, on the text lines that ``pdftotext -bbox`` finds in each content box).
The analysis is separate from the rendering, so the detectors are tested on synthetic arrays
and line lists (tests/unit/test_pdfpages.py).
"""

from __future__ import annotations

import html as html_lib
import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = [
    "DPI",
    "INK_LEVEL",
    "PAGE",
    "PageGeometry",
    "PageReport",
    "analyse_page",
    "analyse_pages",
    "bad_pages",
    "html_headings",
    "orphan_headings",
    "page_lines",
    "read_pgm",
    "render_pages",
]

#: Rendering resolution: enough for a text line to be 3-4 pixels high.
DPI = 36
#: A pixel darker than this (0 black, 255 white) is ink. The report's light fills (table
#: heads #e8eef5, caveat boxes #fff8e1, banner #fdecea) stay above it; text, rules, bars and
#: the masthead fall below.
INK_LEVEL = 225

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class PageGeometry:
    """Page size, margins and the bands of the running header and footer, in millimetres.

    ``header`` and ``footer`` are (from, to) distances from the top and from the bottom edge
    of the page where the margin boxes draw their text; ink there is allowed."""

    width: float = 210.0
    height: float = 297.0
    top: float = 18.0
    right: float = 15.0
    bottom: float = 20.0
    left: float = 15.0
    header: tuple[float, float] = (4.0, 14.0)
    footer: tuple[float, float] = (4.0, 16.0)

    def px(self, mm: float, dpi: int) -> int:
        """Millimetres to whole pixels at ``dpi``."""
        return round(mm / 25.4 * dpi)

    def content_box(self, shape: tuple[int, ...], dpi: int) -> tuple[int, int, int, int]:
        """(top, bottom, left, right) pixel bounds of the content box of an image."""
        rows, cols = shape[:2]
        return (
            self.px(self.top, dpi),
            rows - self.px(self.bottom, dpi),
            self.px(self.left, dpi),
            cols - self.px(self.right, dpi),
        )

    def margin_mask(
        self, shape: tuple[int, ...], dpi: int, slack: int = 1
    ) -> npt.NDArray[np.bool_]:
        """True for the pixels of the margins where no ink belongs: everything outside the
        content box (grown by ``slack`` pixels for anti-aliased edges) except the header and
        footer bands."""
        rows, cols = shape[:2]
        top, bottom, left, right = self.content_box(shape, dpi)
        mask = np.ones((rows, cols), dtype=bool)
        mask[
            max(top - slack, 0) : min(bottom + slack, rows),
            max(left - slack, 0) : min(right + slack, cols),
        ] = False
        h0, h1 = (self.px(v, dpi) for v in self.header)
        mask[h0:h1, :] = False
        f0, f1 = (self.px(v, dpi) for v in self.footer)
        mask[rows - f1 : rows - f0, :] = False
        return mask


#: The reports' page (report.css: ``size: A4; margin: 18mm 15mm 20mm``).
PAGE = PageGeometry()


@dataclass(frozen=True)
class PageReport:
    """What one page holds: the share of content rows with ink, the share of inked pixels of
    the content box, and the inked pixels in the margins (with the rows where they are)."""

    number: int
    filled: float
    ink: float
    margin_ink: int
    margin_rows: tuple[int, int] | None
    nearly_empty: bool
    overflow: bool

    @property
    def bad(self) -> bool:
        """Nearly empty or crossing the margin."""
        return self.nearly_empty or self.overflow

    def describe(self) -> str:
        """One line for an assertion message."""
        problems = []
        if self.nearly_empty:
            problems.append(f"nearly empty ({self.filled:.0%} of the content height inked)")
        if self.overflow:
            problems.append(f"{self.margin_ink} ink pixels in the margin, rows {self.margin_rows}")
        return f"page {self.number}: " + "; ".join(problems or ["ok"])


def analyse_page(
    image: Image,
    number: int = 1,
    *,
    last: bool = False,
    dpi: int = DPI,
    geometry: PageGeometry = PAGE,
    min_filled: float = 0.25,
    max_margin_ink: int = 2,
) -> PageReport:
    """Measure one grayscale page image (rows x columns, 0-255) and judge it.

    ``min_filled``: the share of the content box's rows that must hold ink (not for the last
    page). ``max_margin_ink``: inked margin pixels tolerated (stray anti-aliasing)."""
    if image.ndim != 2:
        raise ValueError(f"expected a grayscale image, got shape {image.shape}")
    ink = image < INK_LEVEL
    top, bottom, left, right = geometry.content_box(image.shape, dpi)
    content = ink[top:bottom, left:right]
    filled = float(content.any(axis=1).mean()) if content.size else 0.0
    share = float(content.mean()) if content.size else 0.0
    stray = ink & geometry.margin_mask(image.shape, dpi)
    count = int(stray.sum())
    rows = np.flatnonzero(stray.any(axis=1))
    margin_rows = (int(rows[0]), int(rows[-1])) if rows.size else None
    return PageReport(
        number=number,
        filled=filled,
        ink=share,
        margin_ink=count,
        margin_rows=margin_rows,
        nearly_empty=not last and filled < min_filled,
        overflow=count > max_margin_ink,
    )


def analyse_pages(
    images: Sequence[Image],
    *,
    dpi: int = DPI,
    geometry: PageGeometry = PAGE,
    min_filled: float = 0.25,
    max_margin_ink: int = 2,
) -> list[PageReport]:
    """`analyse_page` for every page of a document; the last one may be short."""
    last = len(images) - 1
    return [
        analyse_page(
            image,
            i + 1,
            last=i == last,
            dpi=dpi,
            geometry=geometry,
            min_filled=min_filled,
            max_margin_ink=max_margin_ink,
        )
        for i, image in enumerate(images)
    ]


def read_pgm(path: Path) -> Image:
    """A binary PGM (P5, 8 bit) as written by ``pdftoppm -gray``."""
    data = path.read_bytes()
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if match is None or int(match.group(3)) != 255:
        raise ValueError(f"{path}: not an 8-bit binary PGM")
    width, height = int(match.group(1)), int(match.group(2))
    pixels = np.frombuffer(data, dtype=np.uint8, count=width * height, offset=match.end())
    return pixels.reshape(height, width)


def render_pages(pdf: Path, dpi: int = DPI) -> list[Image]:
    """Every page of ``pdf`` as a grayscale image (pdftoppm from poppler-utils)."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "page"
        subprocess.run(
            ["pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(prefix)],
            check=True,
            capture_output=True,
        )
        # pdftoppm pads the page number to the width of the page count: sort numerically
        files = sorted(Path(tmp).glob("page-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [read_pgm(p) for p in files]


def bad_pages(
    pdf: Path, *, dpi: int = DPI, min_filled: float = 0.25, max_margin_ink: int = 2
) -> list[PageReport]:
    """The pages of ``pdf`` that are nearly empty or where content crosses the margin."""
    reports = analyse_pages(
        render_pages(pdf, dpi), dpi=dpi, min_filled=min_filled, max_margin_ink=max_margin_ink
    )
    return [r for r in reports if r.bad]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', re.S
)
_POINTS_PER_MM = 72 / 25.4


def page_lines(pdf: Path, geometry: PageGeometry = PAGE) -> list[list[str]]:
    """The text lines of each page's content box, top to bottom (words on one baseline joined
    left to right), without the running header and footer (``pdftotext -bbox``)."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages: list[list[str]] = []
    for match in _PAGE.finditer(xhtml):
        height = float(match.group(2))
        top = geometry.top * _POINTS_PER_MM
        bottom = height - geometry.bottom * _POINTS_PER_MM
        words = [
            (float(y1), float(x0), html_lib.unescape(text))
            for x0, y0, y1, text in _WORD.findall(match.group(3))
            if float(y0) >= top - 1 and float(y1) <= bottom + 1
        ]
        lines: list[list[tuple[float, float, str]]] = []
        for word in sorted(words):
            if lines and abs(lines[-1][0][0] - word[0]) <= 2.0:  # same baseline (2 pt)
                lines[-1].append(word)
            else:
                lines.append([word])
        pages.append([" ".join(w[2] for w in sorted(line, key=lambda w: w[1])) for line in lines])
    return pages


def _normal(text: str) -> str:
    return " ".join(text.split())


def html_headings(document: str) -> set[str]:
    """The texts of the h1-h4 headings of an HTML document, whitespace normalised."""
    found = re.findall(r"<h([1-4])\b[^>]*>(.*?)</h\1>", document, re.S)
    return {_normal(html_lib.unescape(re.sub(r"<[^>]+>", " ", body))) for _, body in found} - {""}


def orphan_headings(
    pages: Sequence[Sequence[str]],
    headings: set[str],
    *,
    intro: re.Pattern[str] | None = None,
    max_lines: int = 3,
) -> list[tuple[int, str]]:
    """(page number, heading) for each page but the last whose last text lines (one to
    ``max_lines``, for a heading that wraps) spell a heading: the heading was left behind
    while what it introduces went to the next page.

    ``intro`` matches the first line of a paragraph that belongs with the heading above it
    (e.g. a section's "Bron: ..." line): when one of the page's last ``max_lines`` lines
    matches, it and the lines after it (its wrapped rest) are set aside first."""
    wanted = {_normal(h) for h in headings}
    orphans: list[tuple[int, str]] = []
    for number, page in enumerate(pages[:-1], start=1):
        lines = list(page)
        if intro is not None:
            starts = [
                i
                for i in range(max(len(lines) - max_lines, 0), len(lines))
                if intro.search(lines[i])
            ]
            if starts:
                lines = lines[: starts[-1]]
        for k in range(1, min(max_lines, len(lines)) + 1):
            tail = _normal(" ".join(lines[-k:]))
            if tail in wanted:
                orphans.append((number, tail))
                break
    return orphans

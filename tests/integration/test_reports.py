"""The national factsheet and the local monitor built from a synthetic monitor run.

Checks the structure (a tile and a section per indicator), that printed figures equal the results
table, that no hidden figure reaches the HTML, the chart specs or the PDF text, that the HTML
needs no network, and that the PDF renders (pdftoppm) with pages and coloured charts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kansrijk.publication import CELL_KEYS, Publication
from kansrijk.report.build import build_local, build_national
from kansrijk.report.labels import number, synthetic_banner

from ..conftest import MonitorRun

pytestmark = [pytest.mark.slow, pytest.mark.integration]
POPPLER = shutil.which("pdftoppm") is not None and shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def published(monitor_run: MonitorRun) -> Publication:
    return Publication.open(monitor_run.out)


@pytest.fixture(scope="module")
def national(published: Publication, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("national")
    paths = build_national(published, out, "nl")
    return {p.suffix: p for p in paths}


@pytest.fixture(scope="module")
def local(published: Publication, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("local")
    paths = build_local(published, "GM0363", out, "nl")
    return {p.suffix: p for p in paths}


def hidden_true_values(monitor_run: MonitorRun, published: Publication) -> pa.Table:
    """The true counts and values of the cells the published table hides."""
    hidden = published.results.filter(published.results["suppressed"]).select(list(CELL_KEYS))
    truth = monitor_run.unpublished.select([*CELL_KEYS, "numerator", "value", "ci_low", "ci_high"])
    return hidden.join(truth, list(CELL_KEYS), join_type="inner")


def test_national_has_a_tile_and_a_section_per_indicator(
    published: Publication, national: dict[str, Path]
) -> None:
    html = national[".html"].read_text(encoding="utf-8")
    for d in published.indicators:
        assert f'<li class="tile" data-indicator="{d.id}">' in html
        assert f'id="ind-{d.id}"' in html
        assert d.title_nl in html
    for heading in ("Definitie", "Teller", "Noemer", "Verloop in de tijd", "Uitsplitsingen"):
        assert heading in html
    assert "Kaart per gemeente" in html
    assert "Let op bij de cijfers" in html  # caveats (corona years are in 2016-2020)


def test_national_tiles_equal_the_results_table(
    published: Publication, national: dict[str, Path]
) -> None:
    html = national[".html"].read_text(encoding="utf-8")
    t = published.results
    for d in published.indicators:
        rows = t.filter(
            pc.and_(
                pc.and_(pc.equal(t["indicator_id"], d.id), pc.equal(t["region_code"], "NL01")),
                pc.and_(
                    pc.equal(t["breakdown"], "total"),
                    pc.equal(t["period_start"], t["period_end"]),
                ),
            )
        )
        shown = [r for r in rows.to_pylist() if not r["suppressed"]]
        latest = max(shown, key=lambda r: r["period_start"])
        tile = re.search(
            rf'<li class="tile" data-indicator="{re.escape(d.id)}">.*?'
            r'<p class="value">(.*?) <small>',
            html,
            re.S,
        )
        assert tile is not None
        assert tile.group(1) == number(latest["value"], "nl"), d.id


def test_local_figures_equal_the_results_table(
    published: Publication, local: dict[str, Path]
) -> None:
    html = local[".html"].read_text(encoding="utf-8")
    t = published.results.to_pylist()
    year = published.latest_year
    for d in published.indicators:
        row = re.search(rf'<tr data-indicator="{re.escape(d.id)}">(.*?)</tr>', html, re.S)
        assert row is not None, d.id
        cells = dict(re.findall(r'data-cell="(\w+)">(.*?)</td>', row.group(1), re.S))
        for key, code in (("latest", "GM0363"), ("nl", "NL01")):
            (cell,) = [
                r
                for r in t
                if r["indicator_id"] == d.id
                and r["region_code"] == code
                and r["breakdown"] == "total"
                and r["period_start"] == r["period_end"] == year
            ]
            expected = "verborgen" if cell["suppressed"] else number(cell["value"], "nl")
            # The value, then (the municipality's) its 95% interval in a span of its own.
            shown, _, interval = cells[key].partition('<span class="meta" data-cell="latest-ci">')
            assert re.sub(r"<[^>]+>", "", shown).strip() == expected, (d.id, key)
            if interval:
                low, high = (number(cell[c], "nl") for c in ("ci_low", "ci_high"))
                assert re.sub(r"<[^>]+>", "", interval).strip() == f"({low}–{high})", d.id
            else:
                assert cell["suppressed"] or key == "nl", d.id
    assert "Amsterdam" in html and "Noord-Holland" in html
    # Every phase has its section, even one without a registry indicator in edition 2021.
    for phase in ("Voor de zwangerschap", "Tijdens de zwangerschap", "Na de geboorte"):
        assert phase in html


def test_no_hidden_value_in_html_or_chart_data(
    monitor_run: MonitorRun,
    published: Publication,
    national: dict[str, Path],
    local: dict[str, Path],
) -> None:
    truth = hidden_true_values(monitor_run, published)
    assert len(truth) > 100  # the fixture hides plenty

    def reprs(table: pa.Table) -> set[str]:
        return {
            repr(float(v))
            for col in ("value", "ci_low", "ci_high")
            for v in table[col].to_pylist()
            if v is not None
        }

    # distinctive full-precision numbers that no published cell shares (9/53 = 18/106)
    raw = {r for r in reprs(truth) - reprs(published.results) if len(r) > 8}
    assert raw
    for path in (national[".html"], local[".html"]):
        numbers = set(re.findall(r"\d+\.\d+(?:e-?\d+)?", path.read_text(encoding="utf-8")))
        leaked = sorted(raw & numbers)
        assert not leaked, f"{path.name} shows hidden values {leaked[:5]}"


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftoppm, pdftotext) not installed")
def test_pdfs_render_with_pages_and_charts(
    published: Publication, national: dict[str, Path], local: dict[str, Path], tmp_path: Path
) -> None:
    for name, pdf, min_pages in (
        ("national", national[".pdf"], len(published.indicators) + 1),
        ("local", local[".pdf"], 3),
    ):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
        assert pages >= min_pages, name
        prefix = tmp_path / name
        subprocess.run(["pdftoppm", "-r", "30", str(pdf), str(prefix)], check=True)
        images = sorted(tmp_path.glob(f"{name}-*.ppm"))
        assert len(images) == pages
        coloured = [_coloured_pixels(p) for p in images]
        # charts and maps draw in colour; text pages are black on white
        assert sum(c > 400 for c in coloured) >= (
            len(published.indicators) if name == "national" else 2
        ), (name, coloured)


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftoppm, pdftotext) not installed")
def test_no_hidden_value_in_pdf_text(
    monitor_run: MonitorRun, published: Publication, local: dict[str, Path]
) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(local[".pdf"]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "verborgen" in text
    truth = hidden_true_values(monitor_run, published)
    mine = truth.filter(pc.equal(truth["region_code"], "GM0363"))
    shown = {number(v, "nl") for v in published.results["value"].to_pylist() if v is not None}
    shown |= {
        number(v, "nl")
        for col in ("ci_low", "ci_high")
        for v in published.results[col].to_pylist()
        if v is not None
    }
    secret = {number(v, "nl") for v in mine["value"].to_pylist() if v is not None} - shown
    leaked = [s for s in secret if re.search(rf"(?<![\d,.]){re.escape(s)}(?![\d,])", text)]
    assert not leaked


def test_html_needs_no_network(national: dict[str, Path], local: dict[str, Path]) -> None:
    for path in (national[".html"], local[".html"]):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', html), path.name
        assert "window.vegaEmbed" in html  # the runtime is inside the file


def test_english_option(published: Publication, tmp_path: Path) -> None:
    (html,) = build_national(published, tmp_path, "en", formats=("html",))
    text = html.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Definition" in text and "Numerator" in text


def test_synthetic_run_shows_the_banner(
    published: Publication, national: dict[str, Path], local: dict[str, Path]
) -> None:
    assert published.manifest["synthetic"] is True  # the run's data come from kansrijk synth
    banner = synthetic_banner("nl")
    for paths in (national, local):
        html = paths[".html"].read_text(encoding="utf-8")
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" :", ":")
        assert banner in text
        assert html.index('class="synthetic-banner"') < html.index("<h2")
        if POPPLER:
            pdf = subprocess.run(
                ["pdftotext", str(paths[".pdf"]), "-"], capture_output=True, text=True, check=True
            ).stdout
            pages = [" ".join(p.split()) for p in pdf.split("\f") if p.strip()]
            assert banner in pages[0]  # the first page carries the banner
            assert all("Synthetische gegevens" in p for p in pages)  # every page its title


def test_other_runs_show_no_banner(published: Publication, tmp_path: Path) -> None:
    real = Publication.from_table(
        published.results, {**published.manifest, "synthetic": False}, published.funnel
    )
    paths = [
        *build_national(real, tmp_path / "n", "nl", formats=("html",)),
        *build_local(real, "GM0363", tmp_path / "l", "en", formats=("html",)),
    ]
    for path in paths:
        html = path.read_text(encoding="utf-8")
        assert 'class="synthetic-banner"' not in html
        assert "Synthetische gegevens" not in html and "Synthetic data" not in html


def _coloured_pixels(path: Path) -> int:
    data = path.read_bytes()
    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    assert header is not None
    width, height = int(header.group(1)), int(header.group(2))
    pixels = np.frombuffer(data[header.end() :], dtype=np.uint8).reshape(height, width, 3)
    spread = pixels.max(axis=2).astype(int) - pixels.min(axis=2).astype(int)
    return int(np.count_nonzero(spread > 60))


@pytest.mark.parametrize("code", ["GM0344", "GM0014"])
def test_municipality_named_like_its_province_keeps_its_own_line(
    published: Publication, code: str
) -> None:
    """Utrecht and Groningen share their province's name (issue 14, item 8): the trend chart
    draws three lines, the province's labelled "(provincie)", not one merged series."""
    from kansrijk.report.build import local_page

    if code not in {m.code for m in published.municipalities()}:
        pytest.skip(f"{code} not in the synthetic run")
    page = local_page(published, code, "nl")
    spec = next(s["trend"] for s in page.charts.values() if s.get("trend") is not None)
    assert spec is not None
    text_spec = str(spec.spec)
    assert "(provincie)" in text_spec

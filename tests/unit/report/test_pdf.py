"""HTML to PDF (kansrijk.report.pdf): the engines, the margin boxes, and chromium's isolation."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from kansrijk.report import pdf
from kansrijk.report.build import css_string
from kansrijk.report.pdf import (
    ChartError,
    PdfEngineError,
    Printer,
    chromium_executable,
    html_to_pdf,
)

POPPLER = shutil.which("pdftotext") is not None


def _text(document: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "page.pdf"
    path.write_bytes(document)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


def _page(title: str, body: str, pages: int = 1) -> str:
    head = (
        "<style>@page { size: A4; margin: 18mm 15mm 20mm;"
        " @bottom-right { content: counter(page) ' / ' counter(pages); } }</style>"
        f"<style>@page {{ @bottom-left {{ content: {css_string(title)}; }} }}</style>"
    )
    breaks = "".join('<p style="break-before: page">more</p>' for _ in range(pages - 1))
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}{breaks}</body></html>"


def test_chromium_executable_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KANSRIJK_CHROMIUM", str(tmp_path / "none"))
    assert chromium_executable() is None
    monkeypatch.setenv("KANSRIJK_CHROMIUM", "/bin/sh")
    assert chromium_executable() == Path("/bin/sh")


def test_engine_choice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(PdfEngineError, match="unknown PDF engine"):
        Printer("prince")  # type: ignore[arg-type]
    monkeypatch.setenv("KANSRIJK_CHROMIUM", str(tmp_path / "none"))
    assert Printer("auto").engine == "weasyprint"  # no browser: WeasyPrint
    with pytest.raises(PdfEngineError, match="make report-prereqs"):
        Printer("chromium")
    assert Printer("weasyprint").engine == "weasyprint"


def test_auto_prefers_chromium() -> None:
    """On machines set up by `make report-prereqs` (and in CI) chromium prints the reports."""
    assert chromium_executable() is not None, "chromium missing: run `make report-prereqs`"
    assert Printer().engine == "chromium"


def test_printer_outside_its_block() -> None:
    with pytest.raises(RuntimeError, match="outside"):
        Printer("chromium").pdf("<p>x</p>")


def test_css_string_cannot_close_the_style_element() -> None:
    title = 'Monitor "A" </style><script>alert(1)</script> \\ &\nregel 2'
    quoted = css_string(title)
    assert quoted.startswith('"') and quoted.endswith('"')
    inner = quoted[1:-1]
    assert "<" not in inner and ">" not in inner and "\n" not in inner
    assert '\\"A\\"' in inner and "\\\\" in inner


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
@pytest.mark.parametrize("engine", ["chromium", "weasyprint"])
def test_margin_boxes_carry_title_and_page_numbers(tmp_path: Path, engine: pdf.Engine) -> None:
    title = 'Lokale monitor "Súdwest-Fryslân" </style>'
    pages = _text(html_to_pdf(_page(title, "<p>inhoud</p>", pages=3), engine), tmp_path)
    assert len(pages) == 3
    for number, page in enumerate(pages, start=1):
        assert title in page, (engine, page)
        assert re.search(rf"\b{number} ?/ ?3\b", page), (engine, page)


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_one_browser_prints_several_pages(tmp_path: Path) -> None:
    with Printer("chromium") as printer:
        first = _text(printer.pdf(_page("een", "<p>eerste</p>")), tmp_path)
        second = _text(printer.pdf(_page("twee", "<p>tweede</p>", pages=2)), tmp_path)
    assert "eerste" in first[0] and len(second) == 2 and "tweede" in second[0]


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
@pytest.mark.parametrize("scripts", [False, True])
def test_chromium_reaches_no_network(tmp_path: Path, scripts: bool) -> None:
    """A page that links an image, a stylesheet and a frame on a local server and carries a
    script that fetches from it: the server sees no connection, and the script changes the
    text only when scripts are on."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    port = server.getsockname()[1]
    connections: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(connection.getpeername())
            connection.close()

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        body = (
            f'<img src="http://127.0.0.1:{port}/a.png">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">'
            f'<iframe src="http://127.0.0.1:{port}/f"></iframe>'
            '<p id="x">statisch</p>'
            "<script>document.getElementById('x').textContent = 'gescript';"
            f"fetch('http://127.0.0.1:{port}/data.json').finally("
            "() => { document.documentElement.dataset.charts = 'ready'; });</script>"
        )
        with Printer("chromium") as printer:
            pages = _text(printer.pdf(_page("t", body), scripts=scripts), tmp_path)
    finally:
        stop.set()
        thread.join()
        server.close()
    assert not connections
    assert ("gescript" in pages[0]) is scripts and ("statisch" in pages[0]) is not scripts


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_scripts_run_when_asked_and_the_page_marks_its_charts(tmp_path: Path) -> None:
    ready = (
        '<p id="x">statisch</p><script>document.getElementById("x").textContent = "gescript";'
        'document.documentElement.dataset.charts = "ready";</script>'
    )
    with Printer("chromium") as printer:
        pages = _text(printer.pdf(_page("t", ready), scripts=True), tmp_path)
        assert "gescript" in pages[0]
        failed = (
            "<script>document.documentElement.dataset.chartError = 'Error: no data';"
            'document.documentElement.dataset.charts = "failed";</script>'
        )
        with pytest.raises(ChartError, match="no data"):
            printer.pdf(_page("t", failed), scripts=True)

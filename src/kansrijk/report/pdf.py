"""HTML to PDF: Debian's chromium (driven by Playwright) when it is installed, else WeasyPrint.

Both print the same static page with the same print stylesheet (``report.css``: A4, margin
boxes with the title, page numbers and the synthetic-data warning as literal text, since
chromium has no ``string-set``; keep-together rules). Chromium lays out and draws the reports
about three times as fast (scale 1.0: the national factsheet 2.9 s against 10.2 s, the Amsterdam
report 2.8 s against 9.3 s; docs/reports.md), so it is the default; WeasyPrint needs no browser
and remains for machines without one (``engine="weasyprint"``, or chromium absent) and for the
web app's small record pages.

Chromium gets no network: the pages hold everything inline (the stylesheet, the charts' specs
and the Vega runtime, or the charts as SVG data URIs), every request a page would make is
aborted and every connection goes to a proxy that is not there. Scripts run only when asked
(the report pages draw their charts with their own Vega runtime, which saves drawing each one
to SVG beforehand). It runs headless; as root (containers, CI) without its sandbox, which needs
user namespaces there.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, get_args

__all__ = [
    "ENGINES",
    "ChartError",
    "Engine",
    "PdfEngineError",
    "Printer",
    "chromium_executable",
    "html_to_pdf",
]

Engine = Literal["auto", "chromium", "weasyprint"]
#: The engines a user can choose (``kansrijk report ... --pdf-engine``).
ENGINES: tuple[str, ...] = get_args(Engine)

#: Chromium's switches: no GPU, no first-run or background network chatter (the closed network
#: refuses it and it costs time).
_CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--metrics-recording-only",
    # Every connection goes to a proxy that is not there, loopback included: with the request
    # interception below, no request leaves, not even a pre-connect.
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]
#: Where a report document is served from (from memory, by the page's request handler; the
#: reserved .invalid domain resolves nowhere).
_REPORT_URL = "https://report.kansrijk.invalid/"
#: Milliseconds one page may take to load and print (the national factsheet at scale 1.0 takes
#: about 3 s).
_TIMEOUT_MS = 300_000


class PdfEngineError(RuntimeError):
    """The PDF engine asked for cannot run on this machine."""


class ChartError(RuntimeError):
    """A chart of the page could not be drawn, so the page is not printed."""


def chromium_executable() -> Path | None:
    """Chromium's executable: ``$KANSRIJK_CHROMIUM`` when set, else ``chromium`` (Debian's
    package) or ``chromium-browser`` on the PATH; None when there is none."""
    configured = os.environ.get("KANSRIJK_CHROMIUM")
    if configured:
        path = Path(configured)
        return path if path.is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found is not None:
            return Path(found)
    return None


def _playwright_installed() -> bool:
    try:
        import playwright.sync_api  # noqa: F401, PLC0415  (only to see that it is there)
    except ImportError:
        return False
    return True


def _resolve(engine: Engine) -> Literal["chromium", "weasyprint"]:
    if engine not in ENGINES:
        raise PdfEngineError(f"unknown PDF engine {engine!r}; choose from {', '.join(ENGINES)}")
    if engine == "weasyprint":
        return "weasyprint"
    usable = chromium_executable() is not None and _playwright_installed()
    if engine == "chromium" and not usable:
        raise PdfEngineError(
            "chromium is not installed (or Playwright is missing): run `make report-prereqs`, "
            "set KANSRIJK_CHROMIUM to its executable, or choose --pdf-engine weasyprint"
        )
    return "chromium" if usable else "weasyprint"


class Printer:
    """Prints HTML pages to PDF, one browser for all pages of a command (``report local -m
    all`` prints hundreds). A context manager: chromium starts on entry, on a thread of its own
    (every Playwright call is made there), so that the half second it takes to start overlaps
    with opening the run and building the page; it stops on exit.

    >>> with Printer() as printer:  # doctest: +SKIP
    ...     pdf = printer.pdf("<html><body><p>x</p></body></html>")
    """

    def __init__(self, engine: Engine = "auto") -> None:
        self.engine = _resolve(engine)
        self._worker: ThreadPoolExecutor | None = None
        self._started: Future[None] | None = None
        self._playwright: Any = None
        self._browser: Any = None
        #: The page that prints scripted documents, kept for the whole command: a document
        #: loaded into the same page finds the Vega runtime already compiled (0.5 s a report).
        self._page: Any = None
        #: The document the page is loading, served at `_REPORT_URL`.
        self._document = ""

    def __enter__(self) -> Printer:
        if self.engine == "chromium":
            self._worker = ThreadPoolExecutor(1, thread_name_prefix="kansrijk-pdf")
            self._started = self._worker.submit(self._launch)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._worker is not None:
            try:
                self._worker.submit(self._close).result()
            finally:
                self._worker.shutdown()
                self._worker = self._started = None

    def _launch(self) -> None:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415  (heavy, on demand)

        from kansrijk.report.render import javascript_bundle  # noqa: PLC0415  (vl-convert)

        executable = chromium_executable()
        assert executable is not None  # _resolve checked
        args = [*_CHROMIUM_ARGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=args
        )
        context = self._context(scripts=True)
        self._page = context.new_page()
        # Compile the report pages' Vega runtime once, while the caller builds its page: the
        # same script text in the same page is compiled from V8's cache afterwards.
        self._load(
            self._page, f'<!DOCTYPE html><script type="module">{javascript_bundle()}</script>'
        )

    def _context(self, scripts: bool) -> Any:
        """A browser context that reaches nothing: the report document is served from memory
        at `_REPORT_URL` and every other request is aborted."""
        context = self._browser.new_context(java_script_enabled=scripts, offline=True)
        context.set_default_timeout(_TIMEOUT_MS)
        context.route("**/*", self._serve)
        return context

    def _serve(self, route: Any) -> None:
        if route.request.url == _REPORT_URL:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self._document)
        else:
            route.abort()

    def _load(self, page: Any, html: str) -> None:
        """Navigate ``page`` to ``html`` (a new document and window each time, unlike
        ``set_content``, which keeps the window and its scripts' globals)."""
        self._document = html
        try:
            page.goto(_REPORT_URL, wait_until="load")
        finally:
            self._document = ""

    def _close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None

    def pdf(self, html: str, scripts: bool = False) -> bytes:
        """The PDF of one complete, self-contained HTML page. ``scripts``: chromium runs the
        page's own scripts and prints once the page marks its charts drawn
        (``<html data-charts="ready">``; "failed" raises `ChartError`). WeasyPrint runs none."""
        if self.engine == "weasyprint":
            import weasyprint  # noqa: PLC0415  (heavy import, only when a PDF is asked for)

            # No base URL: a relative link cannot make WeasyPrint read a file or a URL.
            drawn: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf()
            return drawn
        if self._worker is None or self._started is None:
            raise RuntimeError("Printer.pdf outside its `with` block")
        self._started.result()  # chromium's start failed: say why here
        return self._worker.submit(self._print, html, scripts).result()

    def _print(self, html: str, scripts: bool) -> bytes:
        page = self._page if scripts else self._context(scripts=False).new_page()
        try:
            self._load(page, html)
            if scripts:
                state = page.wait_for_function("document.documentElement.dataset.charts")
                if state.json_value() != "ready":
                    failure = page.evaluate("document.documentElement.dataset.chartError")
                    raise ChartError(f"a chart could not be drawn: {failure}")
            printed: bytes = page.pdf(
                width="210mm",  # A4 as WeasyPrint, when the page declares no size (Playwright's
                height="297mm",  # format="A4" is 8.27 x 11.7 inches, a point taller)
                prefer_css_page_size=True,
                print_background=True,
                outline=True,  # bookmarks from the headings
            )
        finally:
            if not scripts:
                page.context.close()
        return printed


def html_to_pdf(html: str, engine: Engine = "auto") -> bytes:
    """The PDF of one self-contained HTML page (one browser started and stopped for it; print
    several pages through one `Printer`)."""
    with Printer(engine) as printer:
        return printer.pdf(html)

"""`kansrijk report`: the national factsheet, the local monitor and the exports of a run."""

from __future__ import annotations

import os
import time
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:
    from kansrijk.publication import Publication
    from kansrijk.report.dashboard import Programme, ProgrammeStatus
    from kansrijk.report.experiences import Experiences, Quote
    from kansrijk.report.pdf import Printer

app = typer.Typer(
    help="Reports of a published monitor run: factsheet, local monitor, exports.",
    no_args_is_help=True,
)
console = Console(stderr=True, soft_wrap=True)


class Language(StrEnum):
    nl = "nl"
    en = "en"


RESULTS = typer.Option(
    Path("out/monitor"), "--results", "-r", help="A monitor run's output directory."
)
LANG = typer.Option(Language.nl, "--lang", help="Language of the report (Dutch by default).")
FORMATS = typer.Option("html,pdf", help="Formats, comma-separated: html, pdf.")


class PdfEngine(StrEnum):
    auto = "auto"
    chromium = "chromium"
    weasyprint = "weasyprint"


PDF_ENGINE = typer.Option(
    PdfEngine.auto,
    "--pdf-engine",
    help="What prints the PDF: Debian's chromium (about 3x faster; `make report-prereqs` "
    "installs it, KANSRIJK_CHROMIUM names another executable) or WeasyPrint (no browser "
    "needed); auto: chromium when installed.",
)
EXPERIENCES = typer.Option(
    None,
    "--experiences",
    "-e",
    help="The approved quotes of the experiences study (the coalition platform publishes "
    "them with `kansrijk manage experiences_publish` to $KANSRIJK_DATA_DIR/results/"
    'experiences): adds the section "Ervaringen met Kansrijke Start"; in a local report '
    "only the quotes of sessions of the municipality's coalition.",
)
LOCAL_FORMATS = typer.Option(
    "html,pdf,csv",
    help="Formats, comma-separated: html, pdf, csv (the municipality's published cells, "
    "linked from the HTML).",
)


def _open(results: Path, basename: str = "results") -> Publication:
    from kansrijk.publication import DisclosureError, Publication, ResultsError

    try:
        return Publication.open(results, basename=basename)
    except (ResultsError, DisclosureError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


def _formats(formats: str, allowed: tuple[str, ...] = ("html", "pdf")) -> tuple[str, ...]:
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = sorted(set(chosen) - set(allowed))
    if unknown or not chosen:
        raise typer.BadParameter(
            f"unknown format(s) {unknown}; choose from {', '.join(allowed)}",
            param_hint="--formats",
        )
    return chosen


def _printer(engine: PdfEngine, formats: tuple[str, ...]) -> AbstractContextManager[Printer | None]:
    """One PDF printer (one browser) for the whole command, or none when no PDF is asked for."""
    if "pdf" not in formats:
        return nullcontext(None)
    from kansrijk.report.pdf import PdfEngineError, Printer

    try:
        return Printer(engine.value)
    except PdfEngineError as exc:
        raise typer.BadParameter(str(exc), param_hint="--pdf-engine") from None


def _done(paths: list[Path], started: float) -> None:
    for path in paths:
        typer.echo(f"wrote {path}")
    console.print(f"in {time.perf_counter() - started:.1f} s")


@app.command("national")
def national(
    results: Path = RESULTS,
    out: Path = typer.Option(Path("out/report"), "--out", "-o", help="Output directory."),
    lang: Language = LANG,
    formats: str = FORMATS,
    programme: Path | None = typer.Option(
        None,
        "--programme",
        "-p",
        help="The programme indicators' publication (1-6 and 9; the coalition platform "
        "publishes it to $KANSRIJK_DATA_DIR/results/programme). Without it, and when the run "
        "holds none, the factsheet says they are absent.",
    ),
    experiences: Path | None = EXPERIENCES,
    pdf_engine: PdfEngine = PDF_ENGINE,
) -> None:
    """The national factsheet: a dashboard tile per indicator, the programme indicators, then
    a section per indicator."""
    from kansrijk.report.build import build_national

    started = time.perf_counter()
    wanted = _formats(formats)
    # The printer first: chromium starts while the run is opened and the page built.
    with _printer(pdf_engine, wanted) as printer:
        published = _open(results)
        chosen = _programme(published, programme)
        section = None
        if experiences is not None:
            quotes, when = _quotes(experiences)
            section = _experiences(quotes, when, lang.value)
        with console.status("building the national factsheet"):
            paths = build_national(
                published, out, lang.value, wanted, chosen, printer, experiences=section
            )
    _done(paths, started)


def _programme(published: Publication, directory: Path | None) -> Programme | None:
    """The programme indicators: from the run when it holds them, else from the publication
    in ``directory`` (opened and checked by the gate's reader, as the web app does)."""
    from kansrijk.programme import BASENAME, PROGRAMME_INDICATORS
    from kansrijk.report.dashboard import programme

    found = programme(published, PROGRAMME_INDICATORS)
    if found is not None or directory is None:
        return found
    found = programme(_open(directory, BASENAME), PROGRAMME_INDICATORS)
    if found is None:
        raise typer.BadParameter(
            f"{directory} holds no programme indicators", param_hint="--programme"
        )
    return found


def _quotes(directory: Path) -> tuple[list[Quote], str]:
    """The published quotes in ``directory``, read by the gate's reader of texts."""
    from kansrijk.publication import DisclosureError, TextsError
    from kansrijk.report.experiences import read

    try:
        return read(directory)
    except (TextsError, DisclosureError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


def _experiences(
    quotes: list[Quote], published: str, lang: str, municipality: str | None = None
) -> Experiences:
    """The "Ervaringen" section, every quote checked again for identifying details (the
    experiences app's detector: names, places, BSN, e-mail, telephone, postcode, address); a
    quote it flags is left out with a warning."""
    from kansrijk.report.experiences import section
    from kansrijk.web.experiences.pseudonymise import is_identifying

    found = section(
        quotes,
        is_identifying,
        "en" if lang == "en" else "nl",
        municipality=municipality,
        published=published,
    )
    if found.dropped:
        where = f" of {municipality}" if municipality else ""
        console.print(
            f"[yellow]left {found.dropped} quote(s) out of the report{where}: the identifying "
            "check found a detail in them"
        )
    return found


@app.command("local")
def local(
    municipality: list[str] = typer.Option(
        ...,
        "--municipality",
        "-m",
        help="CBS code, e.g. GM0363; repeat for several (one opened run), or 'all'.",
    ),
    results: Path = RESULTS,
    out: Path = typer.Option(Path("out/report"), "--out", "-o", help="Output directory."),
    lang: Language = LANG,
    formats: str = LOCAL_FORMATS,
    platform: bool = typer.Option(
        True,
        "--platform/--no-platform",
        help="Add the programme status from the coalition platform's database "
        "(KANSRIJK_DATA_DIR / DATABASE_URL), when it has one.",
    ),
    experiences: Path | None = EXPERIENCES,
    pdf_engine: PdfEngine = PDF_ENGINE,
) -> None:
    """The local monitor of a municipality against its province and the Netherlands, and a
    CSV of its published cells (hidden ones without numbers) that the HTML links to. Several
    municipalities share one opened (and checked) run."""
    from kansrijk.report.build import LOCAL_FORMATS as LOCAL
    from kansrijk.report.build import build_local

    started = time.perf_counter()
    chosen = _formats(formats, LOCAL)
    paths: list[Path] = []
    with _printer(pdf_engine, chosen) as printer:  # chromium starts while the run is opened
        published = _open(results)
        codes = _municipalities(published, municipality)
        quotes = _quotes(experiences) if experiences is not None else None
        for code in codes:
            year = published.latest_year
            status = _programme_status(code, year, lang.value) if platform else None
            section = (
                _experiences(quotes[0], quotes[1], lang.value, code) if quotes is not None else None
            )
            with console.status(f"building the local monitor of {code}"):
                paths += build_local(
                    published, code, out, lang.value, status, chosen, printer, experiences=section
                )
    _done(paths, started)


def _municipalities(published: Publication, asked: list[str]) -> list[str]:
    """The CBS codes asked for (``all``: every municipality of the run), checked and in order."""
    wanted = [code.strip().upper() for code in asked if code.strip()]
    if "ALL" in wanted:
        return [r.code for r in published.municipalities()]
    for code in wanted:
        try:
            region = published.region(code)
        except KeyError as exc:
            raise typer.BadParameter(str(exc.args[0]), param_hint="--municipality") from None
        if region.type != "gemeente":
            raise typer.BadParameter(f"{code} is not a municipality", param_hint="--municipality")
    return list(dict.fromkeys(wanted))


@app.command("export")
def export(
    results: Path = RESULTS,
    out: Path = typer.Option(Path("out/export"), "--out", "-o", help="Output directory."),
    lang: Language = LANG,
    municipality: str | None = typer.Option(
        None, "--municipality", "-m", help="Only this municipality (with its province and NL)."
    ),
) -> None:
    """Excel workbook (a sheet per indicator), CSV, Parquet and FHIR MeasureReports."""
    from kansrijk.export import export_all

    started = time.perf_counter()
    published = _open(results)
    paths = export_all(published, out, lang=lang.value, municipality=municipality)
    _done(paths, started)


def _programme_status(code: str, year: int, lang: str) -> ProgrammeStatus | None:
    """The municipality's status from the platform database, or None when there is none."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansrijk.web.settings")
    import django
    from django.db import DatabaseError
    from django.utils import translation

    django.setup()
    from kansrijk.web.monitor.status import programme_status

    try:
        with translation.override(lang):
            return programme_status(code, year)
    except DatabaseError as exc:
        console.print(f"[yellow]no programme status: the platform database is not ready ({exc})")
        return None

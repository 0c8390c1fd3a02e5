"""`kansrijk monitor ...`: compute the national indicators and list the catalogue."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from kansrijk.cli.synth import parse_years

app = typer.Typer(
    help="The registry-based monitor: run it, list its indicators.", no_args_is_help=True
)
console = Console(stderr=True)


@app.command("run")
def run(
    data: Path = typer.Option(..., "--data", help="Dataset directory (contract tables)."),
    edition: list[int] = typer.Option(
        [2021], help="Monitor edition (2019-2025): which definitions; repeat for several."
    ),
    years: str = typer.Option("2016-2020", help="Data years, e.g. 2016-2020."),
    classification: int = typer.Option(2023, help="Municipal boundaries of this year."),
    out: Path = typer.Option(..., "--out", "-o", help="Directory for results and manifest."),
    indicator: list[str] = typer.Option(
        None, "--indicator", "-i", help="Only these indicator ids (repeatable)."
    ),
    threshold: int = typer.Option(10, help="Disclosure threshold (minimum count)."),
    formats: str = typer.Option("parquet,csv,xlsx", help="Output formats, comma-separated."),
    memory_limit: str = typer.Option("3GB", help="DuckDB memory limit; joins spill beyond it."),
) -> None:
    """Compute the indicators, apply disclosure control and write the results table."""
    from kansrijk.engine import MissingTablesError, RunConfig, run_monitor

    first, last = parse_years(years)
    if not data.is_dir():
        console.print(f"[red]no dataset directory {data}[/red]")
        raise typer.Exit(2)
    config = RunConfig(
        data=data,
        edition=edition[0],
        extra_editions=tuple(edition[1:]),
        years=range(first, last + 1),
        classification_year=classification,
        out=out,
        indicators=tuple(indicator) if indicator else None,
        threshold=threshold,
        formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
        memory_limit=memory_limit,
    )
    started = time.perf_counter()
    try:
        with console.status("computing") as status:
            result = run_monitor(config, step=status.update)
    except MissingTablesError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    except (KeyError, ValueError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    rows = result.manifest.get("rows", {})
    console.print(
        f"{rows} written to {out} in {time.perf_counter() - started:.1f} s "
        f"(run {result.manifest['run_id']})"
    )


@app.command("list")
def list_indicators(
    edition: int = typer.Option(None, help="Only the definitions of this edition."),
    details: bool = typer.Option(False, "--details", help="Show full definitions."),
) -> None:
    """The indicator catalogue with its definitions."""
    from kansrijk.indicators import catalogue

    try:
        defs = catalogue(edition)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    out = Console()
    if details:
        for d in defs:
            out.rule(f"{d.id}  {d.title_en}")
            out.print(
                f"[bold]{d.title_nl}[/bold]\nEditions {', '.join(map(str, d.editions))}; "
                f"version {d.version}; unit {d.unit}; {d.direction} is better"
            )
            out.print(
                f"Population: {d.population}\nNumerator: {d.numerator}\n"
                f"Denominator: {d.denominator}\nTime: {d.time_reference}\n"
                f"Region: {d.region_rule}\nPooling: {d.pooling_years or 'none'}\n"
                f"Breakdowns: {', '.join(d.breakdowns)}\nSources: {', '.join(d.sources)}"
            )
            for note in d.deviations:
                out.print(f"  - {note}")
        return
    table = Table(title="Kansrijke Start registry indicators")
    for col in ("id", "editions", "title", "unit", "pooling", "family"):
        table.add_column(col)
    for d in defs:
        table.add_row(
            d.id,
            f"{min(d.editions)}-{max(d.editions)}",
            d.title_en,
            str(d.unit),
            str(d.pooling_years or ""),
            d.family,
        )
    out.print(table)


@app.command("docs")
def docs(
    out: Path = typer.Option(Path("docs/indicators.md"), help="Where to write ('-': stdout)."),
) -> None:
    """Write the catalogue as Markdown (docs/indicators.md)."""
    from kansrijk.indicators.document import render_markdown

    text = render_markdown()
    if str(out) == "-":
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {out}")

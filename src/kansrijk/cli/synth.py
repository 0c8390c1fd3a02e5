"""`kansrijk synth`: generate a synthetic Netherlands and report its calibration."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console(stderr=True, soft_wrap=True)


def parse_years(text: str) -> tuple[int, int]:
    """'2016-2020' -> (2016, 2020); '2019' -> (2019, 2019)."""
    try:
        if "-" in text:
            first, last = (int(p) for p in text.split("-", 1))
        else:
            first = last = int(text)
    except ValueError:
        raise typer.BadParameter(f"years must look like 2016-2020, got {text!r}") from None
    if first > last:
        raise typer.BadParameter(f"first year {first} is after last year {last}")
    return first, last


def print_report(data: Path, scale: float) -> bool:
    """Print measured figures next to targets; True if every published one is within."""
    from kansrijk.synth.report import measure, trend_ok

    figures = measure(data)
    table = Table(title=f"Calibration of {data} (scale {scale})")
    for column in ("indicator", "year", "measured", "target", "diff", "n", "status"):
        table.add_column(column, justify="right" if column not in ("indicator",) else "left")
    all_ok = True
    for f in sorted(figures, key=lambda f: (f.key, f.year)):
        ok = f.within(scale)
        if f.published:
            all_ok &= bool(ok)
        status = ("ok" if ok else "OFF") if f.published else ("" if f.target is None else "shape")
        table.add_row(
            f.key,
            str(f.year),
            f"{f.value:.2f}",
            "" if f.target is None else f"{f.target:.2f}",
            "" if f.target is None else f"{f.value - f.target:+.2f}",
            f"{f.denominator:,}",
            status,
        )
    Console().print(table)
    for key in (
        "debts",
        "no_kraamzorg",
        "preterm",
        "sga",
        "placements_per_1000",
        "risk_factors_3plus",
    ):
        ok = trend_ok(figures, key, 2016, 2020 if key != "risk_factors_3plus" else 2019)
        if ok is None:
            Console().print(f"trend {key}: too small to check at this scale")
        else:
            all_ok &= ok
            Console().print(f"trend {key}: {'as published' if ok else 'WRONG DIRECTION'}")
    return all_ok


def synth(
    out: Path = typer.Option(..., "--out", "-o", help="Directory to write the dataset to."),
    years: str = typer.Option("2015-2024", help="Birth years, e.g. 2016-2020 (within 2015-2025)."),
    scale: float = typer.Option(1.0, help="1.0 = about 170,000 births a year; 0.01 for tests."),
    seed: int = typer.Option(20190101, help="Random seed; the same seed gives the same data."),
    population: str = typer.Option(
        "parents", help="'parents' (default) or 'full': also ~17 million other persons."
    ),
    report: bool = typer.Option(
        False,
        "--report",
        help="Print measured figures next to the published targets after writing.",
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace OUT if it exists."),
) -> None:
    """Generate a synthetic Netherlands (births, parents, registries) as contract files."""
    from kansrijk.synth.generate import SynthConfig, generate

    first, last = parse_years(years)
    try:
        config = SynthConfig(
            first_year=first, last_year=last, scale=scale, seed=seed, population=population
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if out.exists() and not overwrite:
        console.print(f"[red]{out} exists[/red]; pass --overwrite to replace it")
        raise typer.Exit(2)
    started = time.perf_counter()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:

        @contextmanager
        def step(name: str) -> Iterator[None]:
            task = progress.add_task(name, total=1)
            yield
            progress.update(task, completed=1)

        rows = generate(config, out, overwrite=overwrite, step=step)
    console.print(
        f"wrote {sum(rows.values()):,} rows in {len(rows)} tables to {out} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    if report and not print_report(out, scale):
        console.print("[red]calibration outside tolerance[/red]")
        raise typer.Exit(1)

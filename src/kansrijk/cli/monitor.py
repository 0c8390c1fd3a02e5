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
console = Console(stderr=True, soft_wrap=True)


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
    memory_limit: str = typer.Option(
        "3GB",
        help="DuckDB memory limit; joins spill beyond it (with --engine spark on a local "
        "master: the JVM's heap).",
    ),
    engine: str = typer.Option(
        "duckdb",
        help="Query engine: 'duckdb' (embedded) or 'spark' (Apache Spark through Ibis; "
        "docs/scale-out.md). The results are the same.",
    ),
    spark_master: str = typer.Option(
        None,
        "--spark-master",
        help="Spark master URL with --engine spark: local[2] (default), spark://host:7077, "
        "yarn, k8s://... (under spark-submit, the master spark-submit was given).",
    ),
    spark_data: str = typer.Option(
        None,
        "--spark-data",
        help="With --engine spark: the URI where the executors read the dataset "
        "(hdfs://..., s3a://..., abfss://...); --data is then the driver's copy or mount of "
        "the same files (listed and hashed for the manifest).",
    ),
    audit_work: float = typer.Option(
        30000.0,
        help="Work the disclosure audit may do (programme units, ~7 ms each; 0: no limit); "
        "what it cannot settle within it is reported unresolved (`kansrijk monitor audit`).",
    ),
    internal: bool = typer.Option(
        False,
        "--internal",
        help="Also write the unsuppressed table (true counts, every cell, why it is hidden) "
        "to OUT.internal/cells.internal.parquet: for checks inside the secure environment "
        "only, never exported (docs/secure-environment.md).",
    ),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="A missing input table is an error (exit 1). Without it the run skips the "
        "indicators that need a missing table, names them and computes every other one.",
    ),
    breakdowns: str = typer.Option(
        "all",
        help="Breakdowns to compute, comma-separated (e.g. income_p10,debts), each for the "
        "indicators that have it; 'all': every indicator's own; 'none': totals only "
        "(quicker: fewer parents' attributes are read).",
    ),
) -> None:
    """Compute the indicators, apply disclosure control and write the results table."""
    from kansrijk.engine import MissingTablesError, RunConfig, run_monitor
    from kansrijk.engine.backends import ENGINES

    first, last = parse_years(years)
    if engine not in ENGINES:
        console.print(f"[red]unknown engine {engine!r}: choose one of {', '.join(ENGINES)}[/red]")
        raise typer.Exit(2)
    if (spark_master or spark_data) and engine != "spark":
        console.print("[red]--spark-master and --spark-data need --engine spark[/red]")
        raise typer.Exit(2)
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
        audit_work=audit_work or None,
        internal=internal,
        strict=strict,
        engine=engine,
        spark_master=spark_master,
        spark_data=spark_data,
        breakdowns=parse_breakdowns(breakdowns),
    )
    started = time.perf_counter()
    try:
        with console.status("computing") as status:
            result = run_monitor(config, step=status.update)
    except MissingTablesError as exc:
        console.print(f"[red]{exc}[/red]")
        if strict:
            console.print("without --strict the run skips the indicators that need them")
        raise typer.Exit(1) from None
    except (KeyError, ValueError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    rows = result.manifest.get("rows", {})
    console.print(
        f"{rows} written to {out} in {time.perf_counter() - started:.1f} s "
        f"(run {result.manifest['run_id']})"
    )
    if result.protected is not None:
        audit = result.protected.audit
        console.print(
            f"disclosure audit: {audit['sensitive_counts']} sensitive counts, "
            f"{audit['protected']} protected, {audit['exposed']} exposed, "
            f"{audit['unresolved']} unresolved within the work budget"
        )
    for note in result.notes.values():  # true counts: the analyst's summary, not published
        per_year = note["per_year"]
        assert isinstance(per_year, dict)
        years_text = ", ".join(f"{y}: {n}" for y, n in per_year.items())
        console.print(f"{note['text']}: {sum(per_year.values())} ({years_text})")
    _print_inputs(result.manifest)
    _print_unknown_share(result.unknown_region_share)
    if internal:
        from kansrijk.publication import CELLS, internal_dir

        console.print(
            f"[yellow]internal, true counts: {internal_dir(out) / CELLS} "
            "(stays inside the secure environment; export only the files in "
            f"{out})[/yellow]"
        )


def parse_breakdowns(text: str) -> tuple[str, ...] | None:
    """``--breakdowns``: None for 'all', () for 'none', else the names (checked by the run)."""
    value = text.strip().lower()
    if value == "all":
        return None
    if value == "none":
        return ()
    return tuple(dict.fromkeys(b.strip() for b in text.split(",") if b.strip()))


def _print_inputs(manifest: dict[str, object]) -> None:
    """The indicators skipped for a missing input table, and the optional tables absent."""
    skipped = manifest.get("skipped") or {}
    absent = manifest.get("inputs_not_delivered") or {}
    assert isinstance(skipped, dict) and isinstance(absent, dict)
    if skipped:
        console.print(
            f"[yellow]skipped {len(skipped)} indicator(s), not computed (a missing input "
            "table; --strict makes this an error):[/yellow]"
        )
        for key, entry in skipped.items():
            edition, indicator_id = key.split("/", 1)
            tables = ", ".join(entry["missing_tables"])
            console.print(f"  {indicator_id} (edition {edition}): missing {tables}")
    optional = sorted(t for t, e in absent.items() if not e["required_by"])
    if optional:
        console.print(f"optional table(s) not delivered, read when present: {', '.join(optional)}")


def _print_unknown_share(shares: dict[str, dict[str, float | None]]) -> None:
    """Units in the unknown remainder NL00 (no address, or a municipality code that does not
    map) as a share of all units, per indicator and year: true counts, for the analyst (the
    manifest holds the shares of the published cells)."""
    if not shares:
        return
    years = sorted({y for per_year in shares.values() for y in per_year})
    editions = {key.split("/", 1)[0] for key in shares}
    console.print(
        "units in the unknown remainder NL00 (no municipality on the reference date), share "
        "of all units (true counts; the manifest's unknown_region_share is read from the "
        "published cells):"
    )
    table = Table()
    table.add_column("indicator")
    for year in years:
        table.add_column(year, justify="right")
    for key, per_year in shares.items():
        label = key if len(editions) > 1 else key.split("/", 1)[1]
        table.add_row(label, *(_percent(per_year.get(y)) for y in years))
    console.print(table)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.2f}%"


@app.command("audit")
def audit(
    out: Path = typer.Argument(..., help="A monitor run's output directory."),
    work: float = typer.Option(
        10000.0, help="Work for the linear programmes at most (units of ~7 ms; 0: no limit)."
    ),
    exact: bool = typer.Option(False, help="The exact interval of every sensitive count."),
) -> None:
    """The attacker's audit: what linear programming derives about every hidden count.

    Reads the run's public results and the true counts in its internal directory
    (``OUT.internal``), writes ``attack.parquet`` and ``attack.json`` there (never published)
    and exits 1 when any sensitive count is exposed or unresolved.
    """
    import json
    from functools import partial

    from kansrijk.engine.structure import results_structure
    from kansrijk.publication import DisclosureError, policy_of
    from kansrijk.publication.audit import audit_directory, write_report

    manifest_path = out / "manifest.json"
    if not manifest_path.is_file():
        console.print(f"[red]{out}: no manifest.json (not a monitor run)[/red]")
        raise typer.Exit(2)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    params = manifest.get("parameters") or {}
    year = int(params.get("classification_year", 2023))
    started = time.perf_counter()
    try:
        report = audit_directory(
            out,
            partial(results_structure, classification_year=year),
            policy_of(manifest),
            budget=work or None,
            exact=exact,
        )
    except DisclosureError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    written = write_report(report, out, time.perf_counter() - started)
    s = report.summary
    colour = "green" if report.failures == 0 else "red"
    console.print(
        f"[{colour}]{s['sensitive_counts']} sensitive counts in {s['hidden_cells']} hidden "
        f"cells: {s['protected']} protected, {s['exposed']} exposed, {s['unresolved']} "
        f"unresolved[/{colour}] (level {s['policy']['protection_level']}; "  # type: ignore[index]
        f"per count: {written})"
    )
    if report.failures:
        raise typer.Exit(1)


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

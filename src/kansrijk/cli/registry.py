"""`kansrijk registry ...`: validate extracts, pseudonymise, document the contract."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:  # heavy (pyarrow, DuckDB): imported by the commands that need them
    from kansrijk.registry.validate import Scope

app = typer.Typer(
    help="The registry data contract: validate, pseudonymise, document.", no_args_is_help=True
)

DEFAULT_CONTRACT_DOC = Path("docs/data-contract.md")

#: Exit code for a missing or unusable input path (1 is reserved for "data has errors").
EXIT_USAGE = 2


@app.command()
def validate(
    data_dir: Annotated[
        Path, typer.Argument(help="Dataset directory: one CSV/Parquet file per table.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    max_examples: Annotated[
        int, typer.Option("--max-examples", min=0, help="Example rows shown per failed check.")
    ] = 5,
    table: Annotated[
        list[str] | None,
        typer.Option("--table", help="Validate only this table (repeat for several)."),
    ] = None,
    edition: Annotated[
        list[int] | None,
        typer.Option(
            "--edition",
            help="Validate for the indicators of this monitor edition (repeatable; default: "
            "every edition): a missing table is an error only when one of them needs it.",
        ),
    ] = None,
    indicator: Annotated[
        list[str] | None,
        typer.Option("--indicator", "-i", help="Only these indicator ids (repeatable)."),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="A missing optional table a requested indicator needs is an error too "
            "(as `kansrijk monitor run --strict`).",
        ),
    ] = False,
) -> None:
    """Check a dataset against the data contract; exit 1 when there are errors.

    A table is required when a requested indicator (``--edition``, ``--indicator``) cannot
    be computed without it; an optional table (JGZ contacts) that is missing is a warning
    naming the indicators `kansrijk monitor run` will skip. Every address spell's
    municipality code must be in force on the spell's dates.
    """
    if not data_dir.is_dir():
        typer.echo(f"error: {data_dir} is not a directory (or does not exist)", err=True)
        raise typer.Exit(EXIT_USAGE)
    from kansrijk.registry.contract import TABLES_BY_NAME
    from kansrijk.registry.validate import validate as run_validation

    unknown = [t for t in table or [] if t not in TABLES_BY_NAME]
    if unknown:
        typer.echo(f"error: not in the data contract: {', '.join(unknown)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        scope = requested_scope(edition or [], indicator or [], strict=strict)
    except (KeyError, ValueError) as exc:
        typer.echo(f"error: {exc.args[0]}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    from kansrijk.geo.municipalities import periods

    report = run_validation(
        data_dir,
        max_examples=max_examples,
        tables=table or None,
        scope=scope,
        municipalities=periods(),
    )
    if as_json:
        typer.echo(report.to_json())
    else:
        _print_report(report.to_text(), ok=report.ok)
    raise typer.Exit(0 if report.ok else 1)


def requested_scope(editions: list[int], indicators: list[str], *, strict: bool) -> Scope:
    """The tables the requested indicators read (every edition's when none is named)."""
    from kansrijk.engine.inputs import optional_reads, requirements
    from kansrijk.indicators import catalogue
    from kansrijk.registry.validate import Scope

    defs = [d for e in editions for d in catalogue(e)] if editions else list(catalogue())
    if indicators:
        unknown = sorted(set(indicators) - {d.id for d in defs})
        if unknown:
            raise KeyError(f"unknown indicator(s) for the edition(s): {', '.join(unknown)}")
        defs = [d for d in defs if d.id in indicators]
    label = (f"edition {', '.join(map(str, editions))}" if editions else "every edition") + (
        f", indicator {', '.join(indicators)}" if indicators else ""
    )
    return Scope(
        label=label,
        required=requirements(defs),
        optional=optional_reads(defs),
        strict=strict,
    )


def _print_report(text: str, *, ok: bool) -> None:
    console = Console(highlight=False, soft_wrap=True)
    lines = text.splitlines()
    for line in lines[:-1]:
        style = "red" if line.lstrip().startswith("ERROR") else None
        style = "yellow" if line.lstrip().startswith("WARNING") else style
        console.print(line, style=style, markup=False)
    console.print(lines[-1], style="bold green" if ok else "bold red", markup=False)


@app.command()
def contract(
    out: Annotated[
        Path, typer.Option("--out", help="Where to write the Markdown page ('-' for stdout).")
    ] = DEFAULT_CONTRACT_DOC,
) -> None:
    """Write the data-contract documentation page generated from the contract."""
    from kansrijk.engine.inputs import optional_reads, requirements
    from kansrijk.indicators import catalogue
    from kansrijk.registry.contract_doc import render_contract_markdown

    text = render_contract_markdown(requirements(catalogue()), optional_reads(catalogue()))
    if str(out) == "-":
        typer.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {out}")


@app.command()
def pseudonymise(
    input_dir: Annotated[
        Path, typer.Argument(help="Extract with raw identifiers (CSV/Parquet per table).")
    ],
    out_dir: Annotated[
        Path, typer.Argument(help="New directory for the pseudonymised Parquet files.")
    ],
    key_file: Annotated[
        Path, typer.Option("--key-file", help="Secret key: >= 32 raw bytes or >= 64 hex digits.")
    ],
) -> None:
    """Replace identifiers by keyed pseudonyms and write contract Parquet files atomically."""
    if not input_dir.is_dir():
        typer.echo(f"error: {input_dir} is not a directory (or does not exist)", err=True)
        raise typer.Exit(EXIT_USAGE)
    from kansrijk.pseudonym import KeyFileError, load_key
    from kansrijk.registry.pseudonymise import PseudonymiseError, pseudonymise_dataset

    try:
        key = load_key(key_file)
    except KeyFileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    try:
        results = pseudonymise_dataset(input_dir, out_dir, key, progress=typer.echo)
    except PseudonymiseError as exc:
        typer.echo(f"error: {exc}; nothing written to {out_dir}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {len(results)} table(s) to {out_dir}")

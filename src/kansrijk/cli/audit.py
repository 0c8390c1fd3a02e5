"""`kansrijk audit`: check the care audit log (NEN 7513) for changed, removed or inserted
entries."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="The care audit log: verify its hash chain.", no_args_is_help=True)


@app.command("verify")
def verify(
    data_dir: Path | None = typer.Option(
        None, help="Data directory of the web app (default ./data/web; DATABASE_URL wins)."
    ),
) -> None:
    """Walk the audit log's hash chain; exit 1 with the first break found.

    Prints the number of entries and the chain head (sequence and hash) when intact: keep the
    head somewhere else now and then, so that even a rewrite of the whole chain shows.
    """
    from kansrijk.cli.serve import _setup

    _setup(data_dir)
    from kansrijk.web.care.audit import verify as verify_chain

    result = verify_chain()
    if result.ok:
        typer.echo(result.summary())
        return
    typer.echo(result.summary(), err=True)
    for problem in result.problems:
        typer.echo(f"  {problem.kind}: {problem.message}", err=True)
    raise typer.Exit(1)

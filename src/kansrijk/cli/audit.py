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
    expect_head: str | None = typer.Option(
        None,
        help="A head recorded earlier (SEQUENCE:HASH, as printed): it must still be in the chain.",
    ),
) -> None:
    """Walk the audit log's hash chain; exit 1 with the first break found.

    Prints the number of entries and the chain head (SEQUENCE:HASH) when intact: keep the head
    somewhere else now and then and pass it back with --expect-head, so that even a rewrite of
    the whole chain by someone holding the audit key shows.
    """
    from kansrijk.cli.serve import _setup

    _setup(data_dir)
    from kansrijk.web.care.audit import parse_anchor
    from kansrijk.web.care.audit import verify as verify_chain

    try:
        anchor = parse_anchor(expect_head) if expect_head else None
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--expect-head") from None
    result = verify_chain(expect_head=anchor)
    if result.ok:
        typer.echo(result.summary())
        return
    typer.echo(result.summary(), err=True)
    for problem in result.problems:
        typer.echo(f"  {problem.kind}: {problem.message}", err=True)
    raise typer.Exit(1)

"""`kansrijk synth`: generate a synthetic Netherlands."""

from __future__ import annotations

import typer


def synth() -> None:
    """Generate a synthetic Netherlands (births, parents, registries)."""
    typer.echo("not implemented yet")
    raise typer.Exit(1)

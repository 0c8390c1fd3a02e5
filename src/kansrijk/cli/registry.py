"""`kansrijk registry ...`: validate extracts, pseudonymise, document the contract."""

from __future__ import annotations

import typer

app = typer.Typer(help="The registry data contract: validate, pseudonymise, document.",
                  no_args_is_help=True)

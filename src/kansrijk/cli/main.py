"""The `kansrijk` command: one Typer app with a sub-app per concern."""

from __future__ import annotations

import typer

from kansrijk import __version__
from kansrijk.cli import audit as audit_cli
from kansrijk.cli import monitor as monitor_cli
from kansrijk.cli import programme as programme_cli
from kansrijk.cli import registry as registry_cli
from kansrijk.cli import report as report_cli
from kansrijk.cli import serve as serve_cli
from kansrijk.cli import synth as synth_cli
from kansrijk.cli import vulnerability as vulnerability_cli

app = typer.Typer(
    name="kansrijk",
    help="Kansrijk: the Kansrijke Start monitor and coalition platform.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(registry_cli.app, name="registry")
app.add_typer(monitor_cli.app, name="monitor")
app.add_typer(programme_cli.app, name="programme")
app.add_typer(report_cli.app, name="report")
app.add_typer(audit_cli.app, name="audit")
app.add_typer(vulnerability_cli.app, name="vulnerability")
app.command(name="synth")(synth_cli.synth)
app.command(name="serve")(serve_cli.serve)
app.command(
    name="manage",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)(serve_cli.manage)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kansrijk {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Kansrijk: the Kansrijke Start monitor and coalition platform."""

"""`kansrijk audit`: check the care audit log (NEN 7513) and checkpoint its head. Each command
forwards to the Django management command of the same job in the audit app
(``kansrijk.web.audit``: ``audit_verify``, ``audit_checkpoint``), so the CLI and `kansrijk
manage` behave alike; nothing here knows the log's models."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

app = typer.Typer(
    help="The care audit log: verify its hash chain, checkpoint its head.", no_args_is_help=True
)
DATA_DIR_HELP = "Data directory of the web app (default ./data/web; DATABASE_URL wins)."


def _run(command: str, data_dir: Path | None, **options: Any) -> None:
    """Set up Django for ``data_dir`` and run management command ``command``; its
    CommandError becomes the exit code (1, or 2 for a bad argument)."""
    if data_dir is not None:
        os.environ["KANSRIJK_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansrijk.web.settings")
    import django
    from django.core.management import call_command
    from django.core.management.base import CommandError

    django.setup()
    try:
        call_command(command, **options)
    except CommandError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(error.returncode) from None


@app.command("verify")
def verify(
    data_dir: Path | None = typer.Option(None, help=DATA_DIR_HELP),
    expect_head: str | None = typer.Option(
        None,
        help="A head recorded earlier (SEQUENCE:HASH, as printed): it must still be in the chain.",
    ),
    checkpoints: bool = typer.Option(
        True,
        "--checkpoints/--no-checkpoints",
        help="Compare with the signed checkpoints (KANSRIJK_AUDIT_CHECKPOINT_DIR).",
    ),
    strict: bool = typer.Option(False, help="Exit 1 on warnings too (e.g. no checkpoint)."),
) -> None:
    """Walk the audit log's hash chain and compare it with the last signed checkpoint; exit 1
    with what was changed, removed or inserted.

    Prints the number of entries and the chain head (SEQUENCE:HASH) when intact. Without a
    checkpoint to compare with it warns: removing the newest entries would not show.
    """
    _run(
        "audit_verify",
        data_dir,
        expect_head=expect_head or "",
        no_checkpoints=not checkpoints,
        strict=strict,
    )


@app.command("checkpoint")
def checkpoint(data_dir: Path | None = typer.Option(None, help=DATA_DIR_HELP)) -> None:
    """Append a signed checkpoint of the chain head to KANSRIJK_AUDIT_CHECKPOINT_DIR (for cron
    or a systemd timer); exit 1 when the chain no longer holds the last checkpoint."""
    _run("audit_checkpoint", data_dir)

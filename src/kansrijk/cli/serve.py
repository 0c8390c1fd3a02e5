"""`kansrijk serve` and `kansrijk manage`: the coalition platform from the command line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

SETTINGS = "kansrijk.web.settings"


def _setup(data_dir: Path | None) -> None:
    if data_dir is not None:
        os.environ["KANSRIJK_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8000, help="TCP port."),
    data_dir: Path | None = typer.Option(
        None, help="Data directory (SQLite file, secret key, results); default ./data/web."
    ),
    demo: bool = typer.Option(
        True, "--demo/--no-demo", help="Load the demo data when the database has no users."
    ),
    threads: int = typer.Option(8, min=1, help="Worker threads (per process)."),
    workers: int = typer.Option(
        1,
        min=1,
        help="Worker processes: 1 serves with waitress in this process; more with gunicorn "
        "(one per CPU core uses them all: Python runs one thread at a time per process).",
    ),
) -> None:
    """Migrate the database, load demo data on first start, and serve the web app."""
    _setup(data_dir)
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    from kansrijk.web.accounts.models import User

    call_command("migrate", interactive=False, verbosity=0)
    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    if demo and not User.objects.exists():
        if settings.PRODUCTION:
            raise typer.BadParameter("refusing to load demo accounts with KANSRIJK_ENV=production")
        typer.echo("First start: loading the demo data ...")
        call_command("load_demo")
    from kansrijk.web.wsgi import application

    proxy: str | None = settings.KANSRIJK_TRUSTED_PROXY
    if settings.PRODUCTION and proxy is None:
        typer.echo(
            "Note: KANSRIJK_TRUSTED_PROXY is not set, so no X-Forwarded-Proto counts: behind a "
            "TLS proxy every request looks like plain HTTP (see docs/web.md, Production)."
        )
    typer.echo(f"Kansrijk is running at http://{host}:{port}/ (Ctrl+C stops)")
    if workers == 1:
        waitress_serve(
            application,
            host=host,
            port=port,
            threads=threads,
            ident="kansrijk",
            **waitress_proxy_options(proxy),
        )
        return
    from django.db import connections

    from kansrijk.web.security import client_address_from_proxy

    connections.close_all()  # no connection may cross the fork into the workers
    _gunicorn(
        client_address_from_proxy(application, proxy), f"{host}:{port}", workers, threads, proxy
    )


def waitress_proxy_options(proxy: str | None) -> dict[str, Any]:
    """Waitress's proxy settings: behind ``proxy`` the scheme and client address come from its
    X-Forwarded-Proto and X-Forwarded-For; proxy headers from any other peer are dropped."""
    options: dict[str, Any] = {"clear_untrusted_proxy_headers": True}
    if proxy is not None:
        options |= {
            "trusted_proxy": proxy,
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
        }
    return options


def _gunicorn(application: Any, bind: str, workers: int, threads: int, proxy: str | None) -> None:
    """Serve ``application`` with gunicorn: ``workers`` processes of ``threads`` threads; the
    scheme from X-Forwarded-Proto only when the peer is ``proxy`` (none trusted by default)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": bind,
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "accesslog": None,
                "graceful_timeout": 10,
                "keepalive": 75,  # seconds an idle keep-alive connection stays open
                "forwarded_allow_ips": proxy or "",  # gunicorn trusts loopback by default
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()


def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `kansrijk manage createsuperuser`."""
    _setup(None)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kansrijk manage", *ctx.args])

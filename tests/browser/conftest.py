"""Browser tests: Playwright drives Debian's chromium against `kansrijk serve`.

The server is the real thing, started once per session in a subprocess on a free loopback
port with a fresh data directory: it migrates, loads the demo data and serves through
waitress. With DATABASE_URL pointing at PostgreSQL it gets a throw-away database of its own.
Its monitor pages show the session's small published run (``monitor_run``), so the demo
loader does not build demo monitor results.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import MonitorRun

CHROMIUM = Path(os.environ.get("KANSRIJK_CHROMIUM", "/usr/bin/chromium"))
#: Without these, chromium tries to reach Google's services and the closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
STARTUP_SECONDS = 300


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    data_dir: Path
    #: The published monitor run the server's monitor pages show.
    monitor_dir: Path
    #: TOTP secrets (base32) of accounts enrolled during this session, by username.
    totp_secrets: dict[str, str] = field(default_factory=dict)
    #: The last TOTP time step used per username (each code is accepted once).
    totp_steps: dict[str, int] = field(default_factory=dict)


def _postgres_database(base_url: str) -> tuple[str, str]:
    """Create a throw-away database next to the one in ``base_url``; return (url, name)."""
    import psycopg

    head, _sep, _db = base_url.rpartition("/")
    name = f"kansrijk_browser_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{head}/postgres", autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return f"{head}/{name}", name


def _drop_postgres_database(base_url: str, name: str) -> None:
    import psycopg

    head, _sep, _db = base_url.rpartition("/")
    with psycopg.connect(f"{head}/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, monitor_run: MonitorRun) -> Iterator[Server]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test-prereqs` (installs Debian's chromium)")
    data_dir = tmp_path_factory.mktemp("web")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SETTINGS")}
    env["KANSRIJK_DATA_DIR"] = str(data_dir)
    env["KANSRIJK_ENV"] = "development"
    env["KANSRIJK_MONITOR_DIR"] = str(monitor_run.out)
    base_db = os.environ.get("DATABASE_URL", "")
    pg_name = None
    if base_db.startswith("postgres"):
        env["DATABASE_URL"], pg_name = _postgres_database(base_db)
    log = (data_dir / "server.log").open("w")
    cli = [sys.executable, "-m", "kansrijk.cli", "serve", "--port", str(port), "--threads", "8"]
    process = subprocess.Popen(cli, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"kansrijk serve exited: {(data_dir / 'server.log').read_text()[-3000:]}"
                )
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("kansrijk serve did not answer within the start-up time")
            time.sleep(0.5)
        yield Server(url=url, data_dir=data_dir, monitor_dir=monitor_run.out)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        if pg_name is not None:
            _drop_postgres_database(base_db, pg_name)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object, server: Server) -> Iterator[object]:
    context = browser.new_context(base_url=server.url, locale="nl-NL")  # type: ignore[attr-defined]
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()

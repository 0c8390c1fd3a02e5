"""The production recipe of docs/web.md, run: `kansrijk serve` (waitress, and gunicorn with
--workers 2) in production mode behind nginx terminating TLS with a self-signed certificate,
with the nginx configuration taken from the doc. Over HTTPS: no redirect loop, HSTS, the CSP
and the other security headers, a login whose POST carries the https Origin; plain HTTP is
sent to HTTPS; proxy headers from any other peer count for nothing.

The server runs on its own SQLite file in a temporary data directory (whatever DATABASE_URL
says): what is tested is the HTTP layer, not the database."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.integration,
    # The servers use their own SQLite file whatever DATABASE_URL says, so the PostgreSQL pass
    # of `make test` would repeat the same run: it is left to the SQLite pass.
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")), reason="HTTP layer only; runs in the SQLite pass"
    ),
]

DOC = Path(__file__).resolve().parents[2] / "docs" / "web.md"
KANSRIJK = Path(sys.executable).with_name("kansrijk")
HOST = "localhost"
PASSWORD = "correct horse battery staple"
CREATE_USER = f"""
import django
django.setup()
from django.core.management import call_command
from kansrijk.web.accounts.models import Organisation, User
call_command("migrate", interactive=False, verbosity=0)
org = Organisation.objects.create(name="Gemeente Test", type="municipality",
                                  municipality_code="GM0363")
User.objects.create_user(username="beleid", password={PASSWORD!r}, role="policy_advisor",
                         organisation=org)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _nginx_site(app_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """The doc's nginx configuration with local ports, host name and certificate."""
    blocks = re.findall(r"```nginx\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1, "docs/web.md should show exactly one nginx configuration"
    site = str(blocks[0])
    swaps = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "kansrijk.example.nl": HOST,
        "/etc/ssl/kansrijk/fullchain.pem": str(cert),
        "/etc/ssl/kansrijk/privkey.pem": str(key),
        "http://127.0.0.1:8000": f"http://127.0.0.1:{app_port}",
    }
    for old, new in swaps.items():
        assert old in site, f"the doc's nginx configuration no longer has {old!r}"
        site = site.replace(old, new)
    return site


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nothing listens on port {port} after {seconds} s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the process group we started (the server and its gunicorn workers)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass
class Stack:
    app_port: int
    http_port: int
    https_port: int
    tls: ssl.SSLContext
    app_redirects: bool
    cookies: dict[str, str] = field(default_factory=dict)

    def https(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        """A request through nginx over verified TLS, carrying the cookies seen so far."""
        conn = http.client.HTTPSConnection(HOST, self.https_port, context=self.tls, timeout=30)
        sent = {"Host": HOST} | (headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        reply = Reply(response.status, response.headers, response.read())
        conn.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return reply


def _plain(port: int, path: str, headers: dict[str, str], source: str = "127.0.0.1") -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    conn.request("GET", path, headers={"Host": HOST} | headers)
    response = conn.getresponse()
    reply = Reply(response.status, response.headers, response.read())
    conn.close()
    return reply


@dataclass
class Prepared:
    """What both servers share: a migrated data directory with one user, the certificate."""

    tmp: Path
    env: dict[str, str]
    cert: Path
    key: Path


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    tmp = tmp_path_factory.mktemp("production")
    data = tmp / "data"
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KANSRIJK_"))}
    env.pop("DATABASE_URL", None)
    env |= {
        "KANSRIJK_ENV": "production",
        "KANSRIJK_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "kansrijk.web.settings",
        "DJANGO_SECRET_KEY": "production-proxy-test-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "KANSRIJK_TRUSTED_PROXY": "127.0.0.1",
        "KANSRIJK_DEMO_MONITOR": "0",
    }
    subprocess.run([sys.executable, "-c", CREATE_USER], env=env, check=True, capture_output=True)
    return Prepared(tmp, env, cert, key)


@pytest.fixture(scope="module", params=["waitress", "gunicorn", "waitress-proxy-redirects"])
def stack(request: pytest.FixtureRequest, prepared: Prepared) -> Iterator[Stack]:
    """The app behind nginx: waitress, gunicorn with two workers, and waitress with
    KANSRIJK_SSL_REDIRECT=0 (nginx redirects HTTP; the issue's second reproduction)."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.fail("nginx is missing: run `make test-prereqs` (installs Debian's nginx)")
    tmp = prepared.tmp / request.param
    tmp.mkdir()
    cert, key = prepared.cert, prepared.key
    redirects = request.param != "waitress-proxy-redirects"
    env = prepared.env | {"KANSRIJK_SSL_REDIRECT": "1" if redirects else "0"}
    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    command = [str(KANSRIJK), "serve", "--port", str(app_port), "--no-demo", "--threads", "4"]
    if request.param == "gunicorn":
        command += ["--workers", "2"]
    app_log = tmp / "app.log"
    with app_log.open("wb") as out:
        app = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    (tmp / "kansrijk.conf").write_text(_nginx_site(app_port, http_port, https_port, cert, key))
    (tmp / "nginx.conf").write_text(
        f"""worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    proxy_max_temp_file_size 0;
    include {tmp}/kansrijk.conf;
}}
"""
    )
    nginx_log = tmp / "nginx.out"
    with nginx_log.open("wb") as out:
        proxy = subprocess.Popen(
            [nginx, "-p", str(tmp), "-e", str(tmp / "nginx-error.log"),
             "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        _wait_for_port(https_port, proxy, nginx_log, 20)
        _wait_for_port(app_port, app, app_log, 120)
        tls = ssl.create_default_context(cafile=cert)
        yield Stack(app_port, http_port, https_port, tls, app_redirects=redirects)
    finally:
        _stop(proxy)
        _stop(app)


def test_https_through_the_proxy_is_served_not_redirected(stack: Stack) -> None:
    """The reproduction: waitress used to ignore X-Forwarded-Proto and redirect for ever."""
    response = stack.https("GET", "/accounts/login/")
    assert response.status == 200, (response.status, response.header("Location"))


def test_security_headers_over_https(stack: Stack) -> None:
    response = stack.https("GET", "/accounts/login/")
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    csp = dict(
        (*part.partition(" ")[::2],) for part in headers["Content-Security-Policy"].split("; ")
    )
    assert csp["default-src"] == "'self'"
    assert csp["script-src"].startswith("'self'") and "unsafe" not in csp["script-src"]
    assert "unsafe" not in csp["style-src"]
    assert csp["frame-ancestors"] == "'none'" and csp["form-action"] == "'self'"
    assert csp["base-uri"] == "'none'" and csp["object-src"] == "'none'"
    assert "upgrade-insecure-requests" in csp
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "no-store" in headers["Cache-Control"]
    assert len(headers.get_all("Strict-Transport-Security") or []) == 1


def test_login_over_https_passes_csrf_with_the_https_origin(stack: Stack) -> None:
    stack.cookies.clear()
    page = stack.https("GET", "/accounts/login/")
    token = re.search(
        rb'name="csrfmiddlewaretoken" value="([^"]+)"',
        page.body,
    )
    assert token is not None
    set_cookies = " ".join(page.headers.get_all("Set-Cookie") or [])
    assert "__Host-csrftoken=" in set_cookies and "Secure" in set_cookies
    form = f"csrfmiddlewaretoken={token.group(1).decode()}&username=beleid&password={PASSWORD}"
    form_headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"https://{HOST}",
        "Referer": f"https://{HOST}/accounts/login/",
    }
    login = stack.https("POST", "/accounts/login/", form.replace(" ", "+"), form_headers)
    assert login.status == 302, login.body
    assert login.header("Location") == "/"
    assert "__Host-sessionid" in stack.cookies
    home = stack.https("GET", "/")
    assert home.status == 200
    assert home.header("Cache-Control") == "no-store"  # set by SecureHeadersMiddleware
    # A page posted from another origin is refused, with the translated CSRF page.
    stack.cookies.clear()
    page = stack.https("GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    assert token is not None
    form = f"csrfmiddlewaretoken={token.group(1).decode()}&username=beleid&password=x"
    evil = form_headers | {"Origin": "https://evil.example"}
    refused = stack.https("POST", "/accounts/login/", form, evil)
    assert refused.status == 403
    assert b"Formulier verlopen" in refused.body


def test_plain_http_is_sent_to_https(stack: Stack) -> None:
    via_proxy = _plain(stack.http_port, "/accounts/login/?x=1", {})
    assert via_proxy.status == 301
    assert via_proxy.header("Location") == f"https://{HOST}/accounts/login/?x=1"
    # Straight to the app from the proxy's address, without the proxy's header: redirected
    # by the app, unless KANSRIJK_SSL_REDIRECT=0 leaves that to the proxy.
    direct = _plain(stack.app_port, "/accounts/login/", {})
    if stack.app_redirects:
        assert direct.status == 301
        assert direct.header("Location") == f"https://{HOST}/accounts/login/"
    else:
        assert direct.status == 200
    assert direct.header("Strict-Transport-Security") is None  # HSTS over HTTPS only


def test_proxy_headers_from_another_peer_count_for_nothing(stack: Stack) -> None:
    """Only KANSRIJK_TRUSTED_PROXY (127.0.0.1) may say a request came in over HTTPS: a client
    on 127.0.0.2 that reaches the app's port directly and claims it gets plain HTTP treatment
    (redirected, or served without HSTS when the app does not redirect)."""
    claim = {"X-Forwarded-Proto": "https"}
    spoofed = _plain(stack.app_port, "/accounts/login/", claim, "127.0.0.2")
    assert spoofed.status == (301 if stack.app_redirects else 200)
    assert spoofed.header("Strict-Transport-Security") is None
    trusted = _plain(stack.app_port, "/accounts/login/", claim)
    assert trusted.status == 200
    assert trusted.header("Strict-Transport-Security") is not None

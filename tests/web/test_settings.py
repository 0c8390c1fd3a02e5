"""Production settings refuse to start half-configured and harden cookies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
    "s.SECURE_SSL_REDIRECT, s.DEBUG)"
)


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KANSRIJK_"))}
    base |= {"DJANGO_SETTINGS_MODULE": "kansrijk.web.settings", "KANSRIJK_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-c", PRINT], env=base | env, capture_output=True, text=True, check=False
    )


def test_production_needs_a_secret_key(tmp_path: Path) -> None:
    result = _run(tmp_path, KANSRIJK_ENV="production", DJANGO_ALLOWED_HOSTS="example.nl")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_production_needs_allowed_hosts(tmp_path: Path) -> None:
    result = _run(tmp_path, KANSRIJK_ENV="production", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_hardens_cookies_and_transport(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        KANSRIJK_ENV="production",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="example.nl",
        DJANGO_DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "31536000", "True", "False"]


def test_development_generates_and_keeps_a_secret_key(tmp_path: Path) -> None:
    first = _run(tmp_path)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50 and oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert _run(tmp_path).returncode == 0 and (tmp_path / "secret_key").read_text() == key


PRODUCTION = {
    "KANSRIJK_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "kansrijk.example.nl,.example.org",
}


def _print(tmp_path: Path, expression: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KANSRIJK_"))}
    base |= {"DJANGO_SETTINGS_MODULE": "kansrijk.web.settings", "KANSRIJK_DATA_DIR": str(tmp_path)}
    code = (
        f"import django; django.setup(); from django.conf import settings as s; print({expression})"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=base | env, capture_output=True, text=True, check=False
    )


def test_proxy_hsts_and_csrf_origins_in_production(tmp_path: Path) -> None:
    """HSTS stays on with KANSRIJK_SSL_REDIRECT=0 (the proxy redirects: it used to be read as
    "no HTTPS at all"); CSRF trusts the allowed hosts over HTTPS; no proxy header counts
    unless KANSRIJK_TRUSTED_PROXY names the proxy."""
    shown = "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.KANSRIJK_TRUSTED_PROXY, "
    shown += "s.SECURE_PROXY_SSL_HEADER, *s.CSRF_TRUSTED_ORIGINS"
    result = _print(tmp_path, shown, **PRODUCTION, KANSRIJK_SSL_REDIRECT="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False", "31536000", "None", "None", "https://kansrijk.example.nl", "https://*.example.org"
    ]  # fmt: skip
    told = _print(
        tmp_path, "s.KANSRIJK_TRUSTED_PROXY, *s.CSRF_TRUSTED_ORIGINS", **PRODUCTION,
        KANSRIJK_TRUSTED_PROXY="::1", DJANGO_CSRF_TRUSTED_ORIGINS="https://a.example.nl",
    )  # fmt: skip
    assert told.stdout.split() == ["::1", "https://a.example.nl"], told.stderr
    wrong = _print(tmp_path, "1", **PRODUCTION, KANSRIJK_TRUSTED_PROXY="10.0.0.1,10.0.0.2")
    assert wrong.returncode != 0 and "KANSRIJK_TRUSTED_PROXY" in wrong.stderr


def test_https_origins_and_trusted_proxy_parsing() -> None:
    from kansrijk.web.security import https_origins, trusted_proxy

    assert https_origins(["a.nl", ".b.nl", "*"]) == ["https://a.nl", "https://*.b.nl"]
    assert trusted_proxy("") is None and trusted_proxy(" * ") == "*"
    assert trusted_proxy("127.0.0.1") == "127.0.0.1"
    with pytest.raises(RuntimeError, match="one IP address"):
        trusted_proxy("proxy.example.nl")


def test_servers_get_the_trusted_proxy() -> None:
    from kansrijk.cli.serve import waitress_proxy_options
    from kansrijk.web.security import client_address_from_proxy

    assert waitress_proxy_options(None) == {"clear_untrusted_proxy_headers": True}
    assert waitress_proxy_options("127.0.0.1") == {
        "clear_untrusted_proxy_headers": True,
        "trusted_proxy": "127.0.0.1",
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
    }
    seen: list[dict[str, str]] = []

    def app(environ: dict[str, str], start_response: object) -> list[bytes]:
        seen.append(dict(environ))
        return [b""]

    wrapped = client_address_from_proxy(app, "127.0.0.1")
    forwarded = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.7", "HTTP_X_FORWARDED_PROTO": "https"}
    wrapped({"REMOTE_ADDR": "127.0.0.1", **forwarded}, None)
    wrapped({"REMOTE_ADDR": "198.51.100.1", **forwarded}, None)
    assert seen[0]["REMOTE_ADDR"] == "192.0.2.7"  # the hop the proxy added, not the client's
    assert seen[1]["REMOTE_ADDR"] == "198.51.100.1"
    assert "HTTP_X_FORWARDED_PROTO" not in seen[1] and "HTTP_X_FORWARDED_FOR" not in seen[1]

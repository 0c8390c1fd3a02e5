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

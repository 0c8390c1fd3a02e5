"""Account tests hash passwords with a fast hasher (Argon2 is tested in test_accounts.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_hasher() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield

"""The demo registry loaded once per test module that asks for it, rolled back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def demo_registry(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Load ``coalitions.demo`` in an outer transaction; each test runs in a savepoint inside
    it, and the whole load is rolled back when the module is done."""
    from kansrijk.web.coalitions import demo

    with django_db_blocker.unblock(), transaction.atomic():
        demo.load()
        yield
        transaction.set_rollback(True)

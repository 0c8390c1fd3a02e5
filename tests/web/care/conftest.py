"""The care world is built once per module (in an outer transaction, rolled back at the end);
each test runs in a savepoint inside it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from tests.web.care.builders import World, world


@pytest.fixture(scope="module")
def care_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def care(care_world: World, db: None) -> World:
    """The module's world; refreshed objects are not needed (tests change it in savepoints)."""
    return care_world

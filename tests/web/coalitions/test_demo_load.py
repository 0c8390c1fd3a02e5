"""Loading the demo: fast and deterministic."""

from __future__ import annotations

import hashlib
import time

import pytest
from django.db import transaction

from kansrijk.web.accounts.models import Organisation
from kansrijk.web.coalitions.models import (
    Agreement,
    Coalition,
    CoalitionMunicipality,
    CoalitionPartner,
    InterventionOffer,
    PlanItem,
)

pytestmark = pytest.mark.django_db


class _RollbackError(Exception):
    pass


def _digest() -> str:
    """A fingerprint of the loaded rows by natural values (primary keys differ per load)."""
    parts = [
        list(
            Organisation.objects.order_by("name").values_list(
                "name", "agb_code", "municipality_code"
            )
        ),
        list(
            Coalition.objects.order_by("name").values_list(
                "name", "scope", "status", "preparing_since", "formed_on"
            )
        ),
        list(
            CoalitionMunicipality.objects.order_by("coalition__name", "municipality").values_list(
                "coalition__name", "municipality", "valid_from"
            )
        ),
        list(
            CoalitionPartner.objects.order_by("coalition__name", "organisation__name").values_list(
                "coalition__name", "organisation__name", "domain", "valid_from", "valid_to"
            )
        ),
        list(
            Agreement.objects.order_by("coalition__name", "kind").values_list(
                "coalition__name", "kind", "level", "agreed_on"
            )
        ),
        list(
            PlanItem.objects.order_by("plan__coalition__name", "kind", "order").values_list(
                "plan__coalition__name", "kind", "order", "text", "intervention__code"
            )
        ),
        list(
            InterventionOffer.objects.order_by(
                "intervention__code", "municipality", "organisation__name", "start"
            ).values_list(
                "intervention__code", "municipality", "organisation__name", "role", "start"
            )
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _load() -> tuple[float, str]:
    from kansrijk.web.coalitions import demo

    started = time.perf_counter()
    demo.load()
    return time.perf_counter() - started, _digest()


def test_demo_loads_fast_and_the_same_every_time() -> None:
    digests = []
    for _ in range(2):
        try:
            with transaction.atomic():
                elapsed, digest = _load()
                digests.append(digest)
                raise _RollbackError
        except _RollbackError:
            pass
        assert elapsed < 15
    assert digests[0] == digests[1]
    assert not Coalition.objects.exists()

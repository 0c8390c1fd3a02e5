"""The municipality and merger tables filled from kansrijk.geo: counts, periods, idempotence."""

from __future__ import annotations

import time
from datetime import date

import pytest

from kansrijk import geo
from kansrijk.web.coalitions import services
from kansrijk.web.coalitions.geo_sync import sync_from_geo
from kansrijk.web.coalitions.models import Municipality, MunicipalityMerger

pytestmark = pytest.mark.django_db


def test_sync_reproduces_the_yearly_lists() -> None:
    started = time.perf_counter()
    counts = sync_from_geo()
    assert time.perf_counter() - started < 2
    assert counts == (Municipality.objects.count(), MunicipalityMerger.objects.count())
    assert len(services.municipality_codes(2021)) == 352
    assert len(services.municipality_codes(2023)) == 342
    for year in range(2015, 2026):
        assert services.municipality_codes(year) == {m.code for m in geo.municipalities(year)}


def test_periods_follow_the_mergers() -> None:
    sync_from_geo()
    weesp = Municipality.objects.get(code="GM0457")
    assert (weesp.valid_from, weesp.valid_to) == (date(2015, 1, 1), date(2022, 3, 23))
    eemsdelta = Municipality.objects.get(code="GM1979")
    assert (eemsdelta.valid_from, eemsdelta.valid_to) == (date(2021, 1, 1), None)
    delfzijl = Municipality.objects.get(code="GM0010")
    assert delfzijl.valid_to == date(2020, 12, 31)
    merger = MunicipalityMerger.objects.get(old="GM0010")
    assert (merger.new_id, merger.effective_date, merger.share) == (
        "GM1979",
        date(2021, 1, 1),
        "whole",
    )
    assert MunicipalityMerger.objects.filter(old="GM0788", share="partial").count() == 4  # Haaren
    assert Municipality.objects.existing_on(date(2022, 6, 1)).filter(code="GM0457").count() == 0


def test_sync_is_idempotent_and_refreshes() -> None:
    first = sync_from_geo()
    Municipality.objects.filter(code="GM0363").update(name="Wrong")
    assert sync_from_geo() == first
    assert Municipality.objects.count() == first[0]
    assert MunicipalityMerger.objects.count() == first[1]
    assert Municipality.objects.get(code="GM0363").name == "Amsterdam"

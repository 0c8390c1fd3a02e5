"""Boundary GeoJSON against the municipality lists."""

from __future__ import annotations

import pytest

from kansrijk.geo import boundaries, municipalities


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_boundary_codes_equal_municipalities(year: int) -> None:
    data = boundaries(year)
    assert data["type"] == "FeatureCollection"
    codes = [f["properties"]["statcode"] for f in data["features"]]
    assert len(codes) == len(set(codes)) == 342
    assert set(codes) == {m.code for m in municipalities(year)}
    assert set(codes) == {m.code for m in municipalities(2023)}


def test_boundaries_are_fresh_copies() -> None:
    boundaries(2023)["features"].clear()
    assert len(boundaries(2023)["features"]) == 342


@pytest.mark.parametrize("year", [2018, 2022, 2026])
def test_other_years_raise(year: int) -> None:
    with pytest.raises(ValueError, match="available years"):
        boundaries(year)

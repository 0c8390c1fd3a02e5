"""Simplified municipal boundaries (CBS/PDOK, WGS84) as parsed GeoJSON.

Shipped files cover 2023 and 2025. 2024 had the same 342 municipality codes as 2023 and 2025 (no
mergers on 1 January 2024 or 2025), so 2024 is served from the 2025 file; `boundaries` checks at
run time that the file's codes equal the municipalities of the requested year.
Each feature has the property `statcode` = 'GM####' (plus `statnaam`, `jrstatcode`).
"""

from __future__ import annotations

import json
from typing import Any

from kansrijk.geo._data import read_text
from kansrijk.geo.municipalities import municipalities

_FILES = {
    2023: "cbs_gemeente_2023_gegeneraliseerd_wgs84.geojson",
    2024: "cbs_gemeente_2025_gegeneraliseerd_wgs84.geojson",
    2025: "cbs_gemeente_2025_gegeneraliseerd_wgs84.geojson",
}

BOUNDARY_YEARS = tuple(sorted(_FILES))


def boundaries(year: int) -> dict[str, Any]:
    """Return the municipal boundaries of 1 January `year` (2023-2025) as a GeoJSON dict.

    A fresh dict is parsed on every call so callers may modify it.
    """
    if year not in _FILES:
        raise ValueError(f"no boundaries for {year}; available years are {BOUNDARY_YEARS}")
    data: dict[str, Any] = json.loads(read_text(_FILES[year]))
    codes = {f["properties"]["statcode"] for f in data["features"]}
    expected = {m.code for m in municipalities(year)}
    if codes != expected:
        raise ValueError(f"boundary file for {year} does not match its municipalities")
    return data

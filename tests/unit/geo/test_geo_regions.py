"""Region membership tables per classification year."""

from __future__ import annotations

from collections import Counter

import pytest

from kansrijk.geo import municipalities, regions
from kansrijk.geo.regions import corop


@pytest.mark.parametrize("year", range(2015, 2026))
def test_every_municipality_in_one_region_of_each_type(year: int) -> None:
    table = regions(year)
    assert table.schema.names == ["region_type", "region_code", "region_name", "municipality_code"]
    rows = table.to_pylist()
    codes = {m.code for m in municipalities(year)}
    per_type = Counter((r["region_type"], r["municipality_code"]) for r in rows)
    for kind in ("gemeente", "province", "nl", "corop"):
        assert {c for (k, c) in per_type if k == kind} == codes, kind
    assert set(per_type.values()) == {1}
    assert {r["region_code"] for r in rows if r["region_type"] == "nl"} == {"NL01"}
    assert len({r["region_code"] for r in rows if r["region_type"] == "province"}) == 12
    assert len({r["region_code"] for r in rows if r["region_type"] == "corop"}) == 40


def test_known_memberships() -> None:
    rows = {(r["region_type"], r["municipality_code"]): r for r in regions(2023).to_pylist()}
    assert rows[("province", "GM0363")]["region_code"] == "PV27"
    assert rows[("province", "GM0363")]["region_name"] == "Noord-Holland"
    assert rows[("gemeente", "GM0363")]["region_name"] == "Amsterdam"
    assert rows[("corop", "GM0363")]["region_code"] == "CR23"  # kept after absorbing Weesp (CR24)
    assert rows[("corop", "GM1992")]["region_code"] == "CR29"  # Voorne aan Zee, from 2021 parts


def test_corop_after_2021_follows_2021_predecessors() -> None:
    base = corop(2021)
    later = corop(2022)
    assert later["GM0457"] == base["GM0457"]  # Weesp still exists on 1 January 2022
    assert later["GM1982"] == base["GM0756"]  # Land van Cuijk from Boxmeer's area
    assert {k: v for k, v in later.items() if k in base} == {k: base[k] for k in later if k in base}

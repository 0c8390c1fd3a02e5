"""Region levels above the municipality: province, the Netherlands and COROP areas.

Every municipality of the classification year belongs to one region of each type. Provinces come
from the municipality list. COROP membership for 2015-2021 comes from the COROP columns of the CBS
table. For 2022 and later (beyond the table) a municipality gets the COROP area its 2021
predecessors belonged to; when they belonged to different areas it takes the area of the
predecessor whose code it continues (Amsterdam keeps Amsterdam's area after absorbing Weesp), and
gets no COROP row when there is no such predecessor. The CBS table has no COROP names, so a COROP
area is named "COROP CR##".
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache

import pyarrow as pa
import pyarrow.compute as pc

from kansrijk.geo._data import CBS_FILE, CBS_LAST_YEAR, check_year, read_rows, statcode
from kansrijk.geo.classification import to_classification
from kansrijk.geo.municipalities import municipalities
from kansrijk.geo.splits import splits

NL_CODE = "NL01"
NL_NAME = "Nederland"
#: Where units with no known municipality are counted (part of NL, in no province).
UNKNOWN_REGION = "NL00"

_SCHEMA = pa.schema(
    [
        ("region_type", pa.string()),
        ("region_code", pa.string()),
        ("region_name", pa.string()),
        ("municipality_code", pa.string()),
    ]
)


def _cbs_corop(year: int) -> dict[str, str]:
    """Municipality -> COROP area in the CBS table for one year up to 2021."""
    out: dict[str, str] = {}
    for row in read_rows(CBS_FILE):
        code, corop = statcode(row[f"GM{year}"]), f"CR{row[f'COROP{year}']}"
        if out.setdefault(code, corop) != corop:
            raise ValueError(f"{code} is in two COROP areas in {year}")
    return out


@cache
def corop(classification_year: int) -> dict[str, str]:
    """Return municipality -> COROP code ('CR##') for one year; see the module docstring."""
    check_year(classification_year)
    if classification_year <= CBS_LAST_YEAR:
        return _cbs_corop(classification_year)
    base = _cbs_corop(CBS_LAST_YEAR)
    postcodes: list[int | None] = [None, *(p4 for s in splits() for p4 in s.by_postcode)]
    predecessors: dict[str, set[str]] = defaultdict(set)
    for code in base:
        for p4 in postcodes:
            target = to_classification(code, date(CBS_LAST_YEAR, 1, 1), p4, classification_year)
            predecessors[target].add(code)
    out: dict[str, str] = {}
    for m in municipalities(classification_year):
        areas = {base[p] for p in predecessors[m.code]}
        if len(areas) == 1:
            out[m.code] = areas.pop()
        elif m.code in base:
            out[m.code] = base[m.code]
    return out


def regions(classification_year: int) -> pa.Table:
    """Return one row per (region, member municipality) for the municipalities of that year."""
    rows: list[tuple[str, str, str, str]] = []
    members = municipalities(classification_year)
    areas = corop(classification_year)
    for m in members:
        rows.append(("gemeente", m.code, m.name, m.code))
        rows.append(("province", m.province_code, m.province_name, m.code))
        rows.append(("nl", NL_CODE, NL_NAME, m.code))
        if m.code in areas:
            rows.append(("corop", areas[m.code], f"COROP {areas[m.code]}", m.code))
    rows.sort()
    columns = list(zip(*rows, strict=True))
    return pa.table(
        {name: list(col) for name, col in zip(_SCHEMA.names, columns, strict=True)}, schema=_SCHEMA
    )


def region_hierarchy(classification_year: int) -> pa.Table:
    """child -> parent region pairs: municipalities in provinces, provinces and the unknown
    remainder in the Netherlands (the additive groups that disclosure control checks)."""
    table = regions(classification_year)
    prov = table.filter(pc.equal(table["region_type"], "province"))
    codes = prov["region_code"].to_pylist()
    members = prov["municipality_code"].to_pylist()
    provinces = sorted(set(codes))
    child_type = ["gemeente"] * len(members) + ["province"] * len(provinces) + ["unknown"]
    child_code = members + provinces + [UNKNOWN_REGION]
    parent_type = ["province"] * len(members) + ["nl"] * (len(provinces) + 1)
    parent_code = codes + [NL_CODE] * (len(provinces) + 1)
    return pa.table(
        {
            "child_type": child_type,
            "child_code": child_code,
            "parent_type": parent_type,
            "parent_code": parent_code,
        }
    )

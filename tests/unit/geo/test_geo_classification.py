"""to_classification on known cases, and its agreement with classification_map."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kansrijk.geo import classification_map, municipalities, to_classification
from kansrijk.geo.municipalities import periods
from kansrijk.geo.splits import splits

YEARS = range(2015, 2026)
SPLIT_POSTCODES = sorted({pc for s in splits() for pc in s.by_postcode})
UNLISTED = 1011  # an Amsterdam postcode, listed in no split


def test_weesp_follows_the_first_of_january_rule() -> None:
    before = date(2021, 6, 30)
    assert to_classification("GM0457", before, None, 2022) == "GM0457"
    assert to_classification("GM0457", before, None, 2023) == "GM0363"
    assert to_classification("GM0457", date(2022, 3, 23), None, 2023) == "GM0363"
    with pytest.raises(ValueError, match=r"GM0457 did not exist on 2022-03-24"):
        to_classification("GM0457", date(2022, 3, 24), None, 2023)


@pytest.mark.parametrize(
    ("code", "postcode", "expected"),
    [
        ("GM0140", 8635, "GM1900"),
        ("GM0140", 8734, "GM1900"),
        ("GM0140", 8841, "GM1949"),
        ("GM0140", 8832, "GM0080"),
        ("GM0140", 9025, "GM0080"),
        ("GM0140", None, "GM1900"),
        ("GM0140", 9999, "GM1900"),
        ("GM0053", 9951, "GM1966"),
        ("GM0053", 9892, "GM1969"),
        ("GM0053", None, "GM1966"),
        ("GM0788", 5076, "GM0824"),
        ("GM0788", 5074, "GM0855"),
        ("GM0788", 5296, "GM0757"),
        ("GM0788", 5268, "GM0865"),
        ("GM0788", 5262, "GM0824"),  # in RIVM's list for Vught; not a Haaren village postcode
        ("GM0788", None, "GM0824"),
    ],
)
def test_split_municipalities_by_postcode(code: str, postcode: int | None, expected: str) -> None:
    assert to_classification(code, date(2017, 6, 30), postcode, 2023) == expected


def test_chains_and_identity() -> None:
    assert to_classification("GM0381", date(2015, 6, 30), None, 2025) == "GM1942"  # Bussum
    assert to_classification("GM0005", date(2018, 12, 31), None, 2019) == "GM1966"  # Bedum
    assert to_classification("GM0005", date(2018, 12, 31), None, 2018) == "GM0005"
    assert to_classification("GM0003", date(2020, 6, 30), None, 2021) == "GM1979"
    assert to_classification("GM1979", date(2021, 1, 1), None, 2021) == "GM1979"


def test_errors_name_code_and_date() -> None:
    with pytest.raises(
        ValueError, match=r"unknown municipality code 'GM9999' \(residence date 2020-06-30\)"
    ):
        to_classification("GM9999", date(2020, 6, 30), None, 2023)
    with pytest.raises(ValueError, match="GM1966 did not exist on 2018-06-30"):
        to_classification("GM1966", date(2018, 6, 30), None, 2023)
    with pytest.raises(ValueError, match="no counterpart"):
        to_classification("GM1966", date(2019, 6, 30), None, 2018)
    with pytest.raises(ValueError, match="2015-2025"):
        to_classification("GM0363", date(2020, 6, 30), None, 2026)
    with pytest.raises(ValueError, match="before 2015-01-01"):
        to_classification("GM0363", date(2014, 12, 31), None, 2020)


def _expected(code: str, day: date, postcode: int | None, year: int) -> str | None:
    try:
        return to_classification(code, day, postcode, year)
    except ValueError:
        return None


def _joined(residences: list[tuple[str, date, int | None]], year: int) -> list[str | None]:
    """Run the documented join in DuckDB; None where no row matches."""
    residence_table = pa.table(
        {
            "id": list(range(len(residences))),
            "code": [r[0] for r in residences],
            "day": pa.array([r[1] for r in residences], pa.date32()),
            "pc4": pa.array([r[2] for r in residences], pa.int32()),
        }
    )
    with duckdb.connect() as con:
        con.register("res", residence_table)
        con.register("mapping", classification_map(year))
        rows = con.execute(
            """
            SELECT res.id, m.class_code
            FROM res LEFT JOIN mapping m
              ON res.code = m.municipality_code AND m.valid_from <= res.day
             AND (m.valid_to IS NULL OR res.day < m.valid_to)
             AND (m.postcode4 IS NULL OR m.postcode4 = res.pc4)
            QUALIFY row_number() OVER (PARTITION BY res.id ORDER BY m.postcode4 NULLS LAST) = 1
            ORDER BY res.id
            """
        ).fetchall()
    return [r[1] for r in rows]


def _residences() -> list[tuple[str, date, int | None]]:
    out: list[tuple[str, date, int | None]] = []
    split_codes = {s.old_code for s in splits()}
    for year in YEARS:
        days = [date(year, 1, 1), date(year, 6, 30), date(year, 12, 31)]
        if year == 2022:
            days += [date(2022, 3, 23), date(2022, 3, 24)]
        for m in municipalities(year):
            postcodes: list[int | None] = [None, UNLISTED]
            if m.code in split_codes:
                postcodes += SPLIT_POSTCODES
            out.extend((m.code, day, pc) for day in days for pc in postcodes)
    out.append(("GM9999", date(2020, 1, 1), None))  # unknown: no row
    out.append(("GM1966", date(2018, 1, 1), None))  # not yet in force: no row
    return out


@pytest.mark.parametrize("year", YEARS)
def test_map_agrees_with_function_everywhere(year: int) -> None:
    residences = _residences()
    expected = [_expected(*r, year) for r in residences]
    assert _joined(residences, year) == expected
    assert any(e is None for e in expected)
    assert sum(e is not None for e in expected) > 1000


def test_map_schema_and_postcode_rows() -> None:
    mapping = classification_map(2023)
    assert mapping.schema.names == [
        "municipality_code",
        "valid_from",
        "valid_to",
        "postcode4",
        "class_code",
    ]
    assert mapping.schema.field("postcode4").type == pa.int32()
    specific = {
        (r["municipality_code"], r["postcode4"], r["class_code"])
        for r in mapping.to_pylist()
        if r["postcode4"] is not None
    }
    assert ("GM0788", 5074, "GM0855") in specific
    assert ("GM0140", 8841, "GM1949") in specific
    assert all(code in {"GM0140", "GM0053", "GM0788"} for code, _, _ in specific)


_known = sorted(periods())


_residence = st.tuples(
    st.sampled_from(_known),
    st.integers(0, (date(2025, 12, 31) - date(2015, 1, 1)).days),
    st.one_of(st.none(), st.sampled_from(SPLIT_POSTCODES), st.integers(1000, 9999)),
)


@settings(max_examples=60, deadline=None)
@given(residences=st.lists(_residence, min_size=1, max_size=40), year=st.integers(2015, 2025))
def test_map_agrees_on_random_dates(
    residences: list[tuple[str, int, int | None]], year: int
) -> None:
    batch = [(code, date(2015, 1, 1) + timedelta(days=d), pc) for code, d, pc in residences]
    assert _joined(batch, year) == [_expected(*r, year) for r in batch]

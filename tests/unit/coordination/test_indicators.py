"""Process indicators per municipality and month on hand-counted signals, and their protection."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pyarrow as pa
import pytest

from kansrijk.coordination import (
    INDICATOR_SCHEMA,
    PROTECTED_SCHEMA,
    SignalFacts,
    hide_small,
    month_range,
    process_indicators,
)

Key = tuple[str, str, str]


def by_key(table: pa.Table) -> dict[Key, tuple[object, ...]]:
    return {
        (r["municipality"], r["month"], r["indicator"]): (
            r["numerator"],
            r["denominator"],
            r["value"],
        )
        for r in table.to_pylist()
    }


ROWS: list[SignalFacts | Mapping[str, object]] = [
    # GM0001, January: 3 signals, 2 with an accepted referral; contacts after 2, 5 and none days;
    # referrals: 2 + 1 + 0, one of them overdue.
    SignalFacts("GM0001", date(2026, 1, 5), date(2026, 1, 7), True, (False, True)),
    SignalFacts("GM0001", date(2026, 1, 20), date(2026, 1, 25), True, (False,)),
    SignalFacts("GM0001", date(2026, 1, 31), None, False, ()),
    # GM0001, March (February empty): 1 signal, contact the same day.
    {
        "municipality": "GM0001",
        "month": "2026-03",
        "signal_date": date(2026, 3, 1),
        "first_contact": date(2026, 3, 1),
        "accepted_referral": False,
        "referrals_overdue": [False],
    },
    # GM0002, January: 2 signals; the median of 4 and 9 days is 6.5.
    SignalFacts("GM0002", date(2026, 1, 2), date(2026, 1, 6), True, (True,)),
    SignalFacts("GM0002", date(2026, 1, 3), date(2026, 1, 12), False, ()),
]


def test_hand_counted_indicators() -> None:
    table = process_indicators(ROWS)
    assert table.schema.equals(INDICATOR_SCHEMA)
    got = by_key(table)
    assert got["GM0001", "2026-01", "signals"] == (3, None, 3.0)
    assert got["GM0001", "2026-01", "accepted_referral_share"] == (2, 3, pytest.approx(200 / 3))
    assert got["GM0001", "2026-01", "days_to_first_contact"] == (None, 2, 3.5)
    assert got["GM0001", "2026-01", "overdue_referral_share"] == (1, 3, pytest.approx(100 / 3))
    assert got["GM0001", "2026-03", "days_to_first_contact"] == (None, 1, 0.0)
    assert got["GM0002", "2026-01", "days_to_first_contact"] == (None, 2, 6.5)
    assert got["GM0002", "2026-01", "overdue_referral_share"] == (1, 1, 100.0)


def test_empty_months_are_rows_without_values() -> None:
    got = by_key(process_indicators(ROWS))
    # Every municipality gets every month from the first to the last signal.
    assert {(g, m) for g, m, _ in got} == {
        (g, m) for g in ("GM0001", "GM0002") for m in ("2026-01", "2026-02", "2026-03")
    }
    assert got["GM0001", "2026-02", "signals"] == (0, None, 0.0)
    assert got["GM0001", "2026-02", "accepted_referral_share"] == (0, 0, None)
    assert got["GM0001", "2026-02", "days_to_first_contact"] == (None, 0, None)
    assert got["GM0002", "2026-03", "overdue_referral_share"] == (0, 0, None)


def test_a_fixed_grid() -> None:
    table = process_indicators(
        ROWS[:1], months=["2025-12", "2026-01"], municipalities=["GM0001", "GM0003"]
    )
    assert table.num_rows == 2 * 2 * 4
    assert by_key(table)["GM0003", "2025-12", "signals"] == (0, None, 0.0)
    with pytest.raises(ValueError, match="signal row 0: municipality or month outside"):
        process_indicators(ROWS[:1], months=["2026-02"])


def test_no_rows() -> None:
    assert process_indicators([]).num_rows == 0
    assert process_indicators([]).schema.equals(INDICATOR_SCHEMA)


def row(**fields: object) -> dict[str, object]:
    return {"municipality": "GM1", "signal_date": date(2026, 1, 5), **fields}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (row(signal_date="2026-01-01"), "signal_date: expected a date"),
        (row(first_contact=date(2026, 1, 4)), "first_contact: before the signal"),
        (row(bsn="x"), "unknown field"),
        (row(month="2026-02"), "month: does not match signal_date"),
        (row(accepted_referral=1), "accepted_referral: expected true or false"),
        (row(referrals_overdue="yes"), "referrals_overdue: expected a list"),
    ],
)
def test_invalid_rows_are_named_by_position(bad: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=f"signal row 1: .*{message}"):
        process_indicators([ROWS[0], bad])


def test_month_range() -> None:
    assert month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_range("2026-02", "2026-01") == []
    with pytest.raises(ValueError, match="not a month"):
        month_range("2026-13", "2027-01")


def many(n: int, accepted: int, contacts: int, overdue: int, referrals: int) -> list[SignalFacts]:
    """``n`` signals in GM0009, January 2026, with the given counts (the first signal carries
    every referral; the i-th contact comes after i days)."""
    rows = []
    for i in range(n):
        flags = tuple(k < overdue for k in range(referrals)) if i == 0 else ()
        rows.append(
            SignalFacts(
                "GM0009",
                date(2026, 1, 1),
                date(2026, 1, 1 + i) if i < contacts else None,
                i < accepted,
                flags,
            )
        )
    return rows


def protected(rows: list[SignalFacts], threshold: int = 10) -> dict[str, tuple[object, ...]]:
    table = hide_small(process_indicators(rows), threshold)
    assert table.schema.equals(PROTECTED_SCHEMA)
    return {
        r["indicator"]: (r["numerator"], r["denominator"], r["value"], r["suppression_reason"])
        for r in table.to_pylist()
    }


def test_small_numbers_are_hidden() -> None:
    # 12 signals, 9 accepted (< 10), 10 contacts, 25 referrals of which 12 overdue.
    got = protected(many(12, accepted=9, contacts=10, overdue=12, referrals=25))
    assert got["signals"] == (12, None, 12.0, None)
    assert got["accepted_referral_share"] == (None, None, None, "primary: numerator < 10")
    assert got["days_to_first_contact"] == (None, None, 4.5, None)  # median of 0..9; n not shown
    assert got["overdue_referral_share"] == (12, 25, 48.0, None)


def test_complement_and_denominator_rules() -> None:
    got = protected(many(9, accepted=9, contacts=9, overdue=11, referrals=20))
    assert got["signals"] == (None, None, None, "primary: count < 10")
    assert got["accepted_referral_share"][3] == "primary: denominator < 10"
    assert got["days_to_first_contact"] == (None, None, None, "primary: denominator < 10")
    assert got["overdue_referral_share"][3] == "primary: complement < 10"  # 9 not overdue


def test_threshold_one_and_bad_input() -> None:
    got = protected(many(2, accepted=1, contacts=2, overdue=1, referrals=2), threshold=1)
    assert got["accepted_referral_share"] == (1, 2, 50.0, None)
    with pytest.raises(ValueError, match="at least 1"):
        hide_small(process_indicators(ROWS), 0)
    with pytest.raises(ValueError, match="takes the table process_indicators returns"):
        hide_small(pa.table({"x": [1]}), 10)

"""Process indicators per municipality and month on hand-counted signals, and what they declare
for the publication gate (the gate's protection is tested in tests/web/care)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pyarrow as pa
import pytest

from kansrijk.coordination import (
    INDICATOR_SCHEMA,
    PUBLIC_SCHEMA,
    QUANTITIES,
    SignalFacts,
    month_range,
    process_indicators,
)
from kansrijk.coordination.indicators import UNITS

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
    assert got["GM0001", "2026-01", "days_to_first_contact"] == (2, 3, 3.5)
    assert got["GM0001", "2026-01", "overdue_referral_share"] == (1, 3, pytest.approx(100 / 3))
    assert got["GM0001", "2026-03", "days_to_first_contact"] == (1, 1, 0.0)
    assert got["GM0002", "2026-01", "days_to_first_contact"] == (2, 2, 6.5)
    assert got["GM0002", "2026-01", "overdue_referral_share"] == (1, 1, 100.0)


def test_empty_months_are_rows_without_values() -> None:
    got = by_key(process_indicators(ROWS))
    # Every municipality gets every month from the first to the last signal.
    assert {(g, m) for g, m, _ in got} == {
        (g, m) for g in ("GM0001", "GM0002") for m in ("2026-01", "2026-02", "2026-03")
    }
    assert got["GM0001", "2026-02", "signals"] == (0, None, 0.0)
    assert got["GM0001", "2026-02", "accepted_referral_share"] == (0, 0, None)
    assert got["GM0001", "2026-02", "days_to_first_contact"] == (0, 0, None)
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


def test_declared_quantities() -> None:
    # Every indicator declares its counts; the three figures over a month's signals name the
    # same quantity, so the gate hides or publishes that count consistently.
    assert set(QUANTITIES) == set(UNITS)
    over_signals = [i for i, (num, den) in QUANTITIES.items() if "signals" in (num, den)]
    assert sorted(over_signals) == [
        "accepted_referral_share",
        "days_to_first_contact",
        "signals",
    ]
    # The public table has no reason column: a hidden row says only that it is hidden.
    assert PUBLIC_SCHEMA.names == [*INDICATOR_SCHEMA.names, "suppressed"]


def test_a_median_counts_the_signals_behind_it() -> None:
    # 4 signals, 3 with a first contact: numerator 3 of denominator 4, value the median.
    rows = [SignalFacts("GM0009", date(2026, 1, 1), date(2026, 1, 1 + i)) for i in range(3)]
    rows.append(SignalFacts("GM0009", date(2026, 1, 2)))
    got = by_key(process_indicators(rows))
    assert got["GM0009", "2026-01", "days_to_first_contact"] == (3, 4, 1.0)

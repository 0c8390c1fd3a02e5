"""Working days: Dutch public holidays computed per year, and counting across them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kansrijk.coordination import DUTCH_CALENDAR, Holiday, WorkCalendar, dutch_holidays
from kansrijk.coordination.workdays import easter_sunday, kings_day


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2000, date(2000, 4, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2038, date(2038, 4, 25)),  # the latest possible date
        (2285, date(2285, 3, 22)),  # the earliest possible date
    ],
)
def test_easter(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_kings_day_moves_to_saturday_when_on_sunday() -> None:
    assert kings_day(2025) == date(2025, 4, 26)
    assert kings_day(2026) == date(2026, 4, 27)
    assert kings_day(2013) == date(2013, 4, 30)  # Koninginnedag before 2014


def test_holidays_2026() -> None:
    days = {d: sorted(h) for d, h in dutch_holidays(2026).items()}
    assert days == {
        date(2026, 1, 1): [Holiday.NEW_YEAR],
        date(2026, 4, 3): [Holiday.GOOD_FRIDAY],
        date(2026, 4, 6): [Holiday.EASTER_MONDAY],
        date(2026, 4, 27): [Holiday.KINGS_DAY],
        date(2026, 5, 5): [Holiday.LIBERATION_DAY],
        date(2026, 5, 14): [Holiday.ASCENSION],
        date(2026, 5, 25): [Holiday.WHIT_MONDAY],
        date(2026, 12, 25): [Holiday.CHRISTMAS],
        date(2026, 12, 26): [Holiday.BOXING_DAY],
    }


def test_ascension_on_liberation_day() -> None:
    assert dutch_holidays(2016)[date(2016, 5, 5)] == {Holiday.ASCENSION, Holiday.LIBERATION_DAY}
    # Dropping one of the two keeps the day closed.
    assert not WorkCalendar(frozenset(Holiday) - {Holiday.LIBERATION_DAY}).is_working_day(
        date(2016, 5, 5)
    )


def test_a_coalition_adapts_its_calendar() -> None:
    open_on_good_friday = WorkCalendar(frozenset(Holiday) - {Holiday.GOOD_FRIDAY})
    assert open_on_good_friday.is_working_day(date(2026, 4, 3))
    assert not DUTCH_CALENDAR.is_working_day(date(2026, 4, 3))
    bridging = WorkCalendar(extra_closed=frozenset({date(2026, 1, 2)}))
    assert bridging.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)
    assert DUTCH_CALENDAR.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


def test_zero_and_negative_days() -> None:
    assert DUTCH_CALENDAR.add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)
    with pytest.raises(ValueError, match="must not be negative"):
        DUTCH_CALENDAR.add_working_days(date(2026, 3, 7), -1)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    st.integers(min_value=1, max_value=40),
)
def test_add_and_count_agree(start: date, days: int) -> None:
    due = DUTCH_CALENDAR.add_working_days(start, days)
    assert DUTCH_CALENDAR.is_working_day(due)
    assert DUTCH_CALENDAR.working_days_between(start, due) == days
    assert due.weekday() < 5

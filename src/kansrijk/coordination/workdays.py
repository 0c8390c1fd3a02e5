"""Working days: Monday to Friday minus the Dutch public holidays, computed per year.

The holidays are those the Algemene termijnenwet (art. 3) recognises for statutory deadlines:
Nieuwjaarsdag, Goede Vrijdag, Tweede Paasdag, Koningsdag, Bevrijdingsdag (5 May, every year),
Hemelvaartsdag, Tweede Pinksterdag and both Christmas days. They are computed from the year
(Easter by the Gregorian computus), never listed per year. The bridging days the government
declares every few years, and days a partner is closed locally, are not computable: a
coalition adds them as ``extra_closed`` dates, or drops holidays it works on (many care
providers work on Good Friday and on 5 May outside lustrum years).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from types import MappingProxyType
from typing import Final

SATURDAY: Final = 5
SUNDAY: Final = 6
#: Koningsdag (27 April) replaced Koninginnedag (30 April) in 2014.
KINGS_DAY_FROM: Final = 2014


class Holiday(StrEnum):
    NEW_YEAR = "nieuwjaarsdag"
    GOOD_FRIDAY = "goede_vrijdag"
    EASTER_MONDAY = "tweede_paasdag"
    KINGS_DAY = "koningsdag"
    LIBERATION_DAY = "bevrijdingsdag"
    ASCENSION = "hemelvaartsdag"
    WHIT_MONDAY = "tweede_pinksterdag"
    CHRISTMAS = "eerste_kerstdag"
    BOXING_DAY = "tweede_kerstdag"


def easter_sunday(year: int) -> date:
    """Easter Sunday of ``year`` (Gregorian calendar; anonymous computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def kings_day(year: int) -> date:
    """The day the monarch's birthday is celebrated: moved to Saturday when it falls on Sunday."""
    day = date(year, 4, 27) if year >= KINGS_DAY_FROM else date(year, 4, 30)
    return day - timedelta(days=1) if day.weekday() == SUNDAY else day


@cache
def dutch_holidays(year: int) -> Mapping[date, frozenset[Holiday]]:
    """The public holidays of ``year`` (the Algemene termijnenwet's list) by date.

    A date can carry two holidays: Ascension falls on 5 May in some years (2016).
    """
    easter = easter_sunday(year)
    pairs = [
        (date(year, 1, 1), Holiday.NEW_YEAR),
        (easter - timedelta(days=2), Holiday.GOOD_FRIDAY),
        (easter + timedelta(days=1), Holiday.EASTER_MONDAY),
        (kings_day(year), Holiday.KINGS_DAY),
        (date(year, 5, 5), Holiday.LIBERATION_DAY),
        (easter + timedelta(days=39), Holiday.ASCENSION),
        (easter + timedelta(days=50), Holiday.WHIT_MONDAY),
        (date(year, 12, 25), Holiday.CHRISTMAS),
        (date(year, 12, 26), Holiday.BOXING_DAY),
    ]
    days: dict[date, frozenset[Holiday]] = {}
    for day, holiday in pairs:
        days[day] = days.get(day, frozenset()) | {holiday}
    return MappingProxyType(days)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days count as working days: Monday-Friday minus ``holidays`` and ``extra_closed``."""

    holidays: frozenset[Holiday] = frozenset(Holiday)
    extra_closed: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= SATURDAY or day in self.extra_closed:
            return False
        return not dutch_holidays(day.year).get(day, frozenset()) & self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself never counts).

        A referral sent on Friday with 5 working days is due the next Friday; one sent on
        Saturday is due the Friday after, as counting starts on Monday.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        current, left = start, days
        while left:
            current += timedelta(days=1)
            if self.is_working_day(current):
                left -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after ``start`` up to and including ``end`` (0 if none)."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            count += self.is_working_day(current)
        return count


#: Monday-Friday minus every public holiday of the Algemene termijnenwet.
DUTCH_CALENDAR: Final = WorkCalendar()

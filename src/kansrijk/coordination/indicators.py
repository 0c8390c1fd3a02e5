"""Process indicators of care coordination per municipality and month, from per-signal rows.

The platform hands over one row per signal (`SignalFacts`): municipality, signal date, the date
of the first contact with the family (or None), whether the signal led to an accepted referral,
and per referral of the signal whether it was overdue. Referrals count in the month of their
signal. Four indicators come out, one row each per municipality and month:

========================  =====  ===================================  ==========================
indicator                 unit   numerator                            denominator
========================  =====  ===================================  ==========================
signals                   count  signals                              (none)
accepted_referral_share   %      signals with an accepted referral    signals
days_to_first_contact     days   signals with a first contact         signals
                                 (value: median calendar days from
                                 signal to first contact over them)
overdue_referral_share    %      referrals overdue                    referrals
========================  =====  ===================================  ==========================

Months without signals get rows too (counts 0, value null), so a series has no gaps.

*Protection.* The table holds exact small numbers and is not publishable as it is: it leaves
only through the publication gate (`kansrijk.publication.protect`, then `publish`; the
platform does this in `kansrijk.web.referrals.indicators`). `QUANTITIES` declares what each
indicator's numerator and denominator count, so the gate knows that the three figures over
a month's signals share that count (too few signals hide every figure over them) and its
audit proves that no hidden count can be recomputed from what is published beside it.
A count, numerator, denominator or complement below the threshold is hidden. The median is
a figure over the signals with a first contact: it is shown only when at least the threshold
of them lie behind it and, because its count is published with the signals beside it, only
when the families still without a first contact (the complement) are not fewer than the
threshold either. No totals over months or municipalities are produced.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

import pyarrow as pa

SIGNALS: Final = "signals"
ACCEPTED_SHARE: Final = "accepted_referral_share"
DAYS_TO_FIRST_CONTACT: Final = "days_to_first_contact"
OVERDUE_SHARE: Final = "overdue_referral_share"
#: Indicator code -> unit, in the order rows appear.
UNITS: Final[Mapping[str, str]] = {
    SIGNALS: "count",
    ACCEPTED_SHARE: "%",
    DAYS_TO_FIRST_CONTACT: "days",
    OVERDUE_SHARE: "%",
}

INDICATOR_SCHEMA: Final = pa.schema(
    [
        ("municipality", pa.string()),
        ("month", pa.string()),  # "YYYY-MM", the month of the signal
        ("indicator", pa.string()),
        ("numerator", pa.int64()),
        ("denominator", pa.int64()),
        ("value", pa.float64()),
        ("unit", pa.string()),
    ]
)
#: The public table the publication gate makes of it: hidden rows have no numbers.
PUBLIC_SCHEMA: Final = INDICATOR_SCHEMA.append(pa.field("suppressed", pa.bool_()))
#: The columns that identify a row, and the one among them that says what is counted.
KEYS: Final = ("municipality", "month", "indicator")
MEASURE_KEY: Final = "indicator"
#: Indicator -> (numerator, denominator) quantity: equal names count the same signals or
#: referrals of one municipality and month; None: the row has no such count.
QUANTITIES: Final[Mapping[str, tuple[str | None, str | None]]] = {
    SIGNALS: ("signals", None),
    ACCEPTED_SHARE: ("signals with an accepted referral", "signals"),
    DAYS_TO_FIRST_CONTACT: ("signals with a first contact", "signals"),
    OVERDUE_SHARE: ("referrals overdue", "referrals"),
}


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` ("YYYY-MM"), both included."""
    y, m = _parse_month(first)
    end = _parse_month(last)
    out: list[str] = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _parse_month(text: str) -> tuple[int, int]:
    try:
        y, m = (int(p) for p in text.split("-"))
        date(y, m, 1)
    except ValueError:
        raise ValueError(f"not a month (YYYY-MM): {text!r}") from None
    return y, m


@dataclass(frozen=True)
class SignalFacts:
    """One signal as the indicators need it (no client data)."""

    municipality: str
    signal_date: date
    first_contact: date | None = None
    accepted_referral: bool = False
    referrals_overdue: tuple[bool, ...] = ()

    @property
    def month(self) -> str:
        return month_of(self.signal_date)

    @property
    def days_to_first_contact(self) -> int | None:
        if self.first_contact is None:
            return None
        return (self.first_contact - self.signal_date).days

    def problems(self) -> list[str]:
        out: list[str] = []
        if not isinstance(self.municipality, str) or not self.municipality:
            out.append("municipality: expected a code")
        for name in ("signal_date", "first_contact"):
            value = getattr(self, name)
            if (value is not None or name == "signal_date") and (
                not isinstance(value, date) or isinstance(value, datetime)
            ):
                out.append(f"{name}: expected a date")
        if not isinstance(self.accepted_referral, bool):
            out.append("accepted_referral: expected true or false")
        if not all(isinstance(f, bool) for f in self.referrals_overdue):
            out.append("referrals_overdue: expected a list of true/false")
        if not out and (self.days_to_first_contact or 0) < 0:
            out.append("first_contact: before the signal")
        return out

    @classmethod
    def from_mapping(cls, row: Mapping[str, object]) -> SignalFacts:
        """From a dict with the field names (and optionally ``month``, checked against the date)."""
        unknown = sorted(set(row) - {*cls.__dataclass_fields__, "month"})
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}")
        overdue = row.get("referrals_overdue", ())
        if not isinstance(overdue, list | tuple):
            raise ValueError("referrals_overdue: expected a list of true/false")
        facts = cls(
            municipality=row.get("municipality"),  # type: ignore[arg-type]  # checked below
            signal_date=row.get("signal_date"),  # type: ignore[arg-type]
            first_contact=row.get("first_contact"),  # type: ignore[arg-type]
            accepted_referral=row.get("accepted_referral", False),  # type: ignore[arg-type]
            referrals_overdue=tuple(overdue),
        )
        problems = facts.problems()
        if not problems and "month" in row and row["month"] != facts.month:
            problems.append("month: does not match signal_date")
        if problems:
            raise ValueError("; ".join(problems))
        return facts


def _facts(rows: Iterable[SignalFacts | Mapping[str, object]]) -> list[SignalFacts]:
    out: list[SignalFacts] = []
    for n, row in enumerate(rows):
        try:
            facts = row if isinstance(row, SignalFacts) else SignalFacts.from_mapping(row)
            problems = facts.problems()
            if problems:
                raise ValueError("; ".join(problems))
        except ValueError as exc:  # name the row by position only: rows hold care data
            raise ValueError(f"signal row {n}: {exc}") from None
        out.append(facts)
    return out


def process_indicators(
    rows: Iterable[SignalFacts | Mapping[str, object]],
    *,
    months: Sequence[str] | None = None,
    municipalities: Sequence[str] | None = None,
) -> pa.Table:
    """The four process indicators per municipality and month (`INDICATOR_SCHEMA`, unprotected).

    ``months`` and ``municipalities`` fix the grid (rows outside it are an error); by default
    every municipality in ``rows`` and every month from the first to the last signal.
    """
    facts = _facts(rows)
    if months is None:
        seen = sorted({f.month for f in facts})
        months = month_range(seen[0], seen[-1]) if seen else []
    else:
        for m in months:
            _parse_month(m)
    if municipalities is None:
        municipalities = sorted({f.municipality for f in facts})
    cells: dict[tuple[str, str], list[SignalFacts]] = {
        (g, m): [] for g in municipalities for m in months
    }
    for n, f in enumerate(facts):
        if (f.municipality, f.month) not in cells:
            raise ValueError(f"signal row {n}: municipality or month outside the requested grid")
        cells[f.municipality, f.month].append(f)

    columns: dict[str, list[object]] = {name: [] for name in INDICATOR_SCHEMA.names}

    def add(
        g: str, m: str, code: str, num: int | None, den: int | None, value: float | None
    ) -> None:
        for name, v in zip(
            INDICATOR_SCHEMA.names, (g, m, code, num, den, value, UNITS[code]), strict=True
        ):
            columns[name].append(v)

    def share(num: int, den: int) -> float | None:
        return 100.0 * num / den if den else None

    for (g, m), group in cells.items():
        signals = len(group)
        accepted = sum(f.accepted_referral for f in group)
        days = [d for f in group if (d := f.days_to_first_contact) is not None]
        referrals = sum(len(f.referrals_overdue) for f in group)
        overdue = sum(sum(f.referrals_overdue) for f in group)
        add(g, m, SIGNALS, signals, None, float(signals))
        add(g, m, ACCEPTED_SHARE, accepted, signals, share(accepted, signals))
        median = float(statistics.median(days)) if days else None
        add(g, m, DAYS_TO_FIRST_CONTACT, len(days), signals, median)
        add(g, m, OVERDUE_SHARE, overdue, referrals, share(overdue, referrals))
    return pa.table(columns, schema=INDICATOR_SCHEMA)

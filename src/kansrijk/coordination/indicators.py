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
days_to_first_contact     days   (none; value = median calendar days  signals with a first
                                 from signal to first contact)        contact
overdue_referral_share    %      referrals overdue                    referrals
========================  =====  ===================================  ==========================

Months without signals get rows too (counts 0, value null), so a series has no gaps.

*Protection.* The table holds exact small numbers and is not publishable as it is:
`hide_small` applies the rule of `kansrijk.disclosure` (pass its ``THRESHOLD``): a count below
the threshold is hidden; a share is hidden when its numerator, complement or denominator is
below it. A median is not a count: it is shown only when at least ``threshold`` first contacts
lie behind it, and its number of values is never shown (with the signal count beside it, it
would reveal how many families had no contact yet, a count that may be small). No totals over
months or municipalities are produced, so no hidden cell can be recovered by subtraction; a
caller who adds totals must take them through `kansrijk.disclosure` instead.
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
PROTECTED_SCHEMA: Final = INDICATOR_SCHEMA.append(pa.field("suppressed", pa.bool_())).append(
    pa.field("suppression_reason", pa.string())
)


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
        add(g, m, DAYS_TO_FIRST_CONTACT, None, len(days), median)
        add(g, m, OVERDUE_SHARE, overdue, referrals, share(overdue, referrals))
    return pa.table(columns, schema=INDICATOR_SCHEMA)


def _reason(unit: str, num: int | None, den: int | None, threshold: int) -> str | None:
    """Why a row is hidden (None when it may be shown); see the module docstring."""
    if unit == "count":
        return f"primary: count < {threshold}" if (num or 0) < threshold else None
    if (den or 0) < threshold:
        return f"primary: denominator < {threshold}"
    if unit == "days":
        return None
    if (num or 0) < threshold:
        return f"primary: numerator < {threshold}"
    if (den or 0) - (num or 0) < threshold:
        return f"primary: complement < {threshold}"
    return None


def hide_small(table: pa.Table, threshold: int) -> pa.Table:
    """``table`` (from `process_indicators`) with small figures hidden (`PROTECTED_SCHEMA`).

    Hidden rows keep their keys and get ``suppressed`` and a reason; their numerator,
    denominator and value are null. A shown median keeps its value only.
    """
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    if not table.schema.equals(INDICATOR_SCHEMA):
        raise ValueError("hide_small takes the table process_indicators returns")
    columns: dict[str, list[object]] = {name: [] for name in PROTECTED_SCHEMA.names}
    for row in table.to_pylist():
        reason = _reason(row["unit"], row["numerator"], row["denominator"], threshold)
        if reason is not None:
            row.update(numerator=None, denominator=None, value=None)
        elif row["unit"] == "days":
            row["denominator"] = None
        row.update(suppressed=reason is not None, suppression_reason=reason)
        for name in PROTECTED_SCHEMA.names:
            columns[name].append(row[name])
    return pa.table(columns, schema=PROTECTED_SCHEMA)

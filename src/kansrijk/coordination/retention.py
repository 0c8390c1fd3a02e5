"""Retention: how long each data category is kept, and what happens to a record after that.

The periods below are configurable *defaults*, chosen and documented here; they are not legal
advice. Each coalition checks them against its own agreements (its privacy statement, the
processing agreement, its municipalities' record schedules) and sets its own with
`RetentionPolicy.with_periods`.

Default periods, in whole years after the record's last activity (its last change):

* medical, lifestyle, psychosocial, parenting: **20 years**. The WGBO (Burgerlijk Wetboek
  7:454 lid 3) keeps a medical record 20 years from its last change. What a midwife, GP,
  POH-GGZ, hospital or JGZ professional records about pregnancy, substance use, mental health
  or attachment and parenting is part of that record, so the platform keeps its copy at least
  as long.
* family, financial, education: **7 years**. Social-domain data held for the municipality,
  its district team or debt counselling; the Wmo 2015 and the Wet gemeentelijke
  schuldhulpverlening set no fixed period. Seven years covers a next pregnancy and that child's
  first 1000 days; municipal record schedules (selectielijst) may set other periods.
* identity, care coordination: **2 years**. Who the client is and who coordinates serve a running
  trajectory; two years without any activity means the family has left the first 1000 days.
  A record is never removed before the longest period of the categories it carries (see
  `RetentionPolicy.record_end`), so these short periods only decide records without content.

At expiry, records that feed the process indicators are *anonymised* (signals, referrals: the
client link, answers, reasons, owners and free text go; instrument, route, step, municipality,
month, dates and states stay), free-text records are *deleted* (contact notes, conference
decisions, care-plan goals, tasks), since free text cannot be anonymised reliably. Two kinds
are anonymised because other records hang on them: an agenda item (its conference's agenda
holds it; its texts and its client link go, the item stays as an anonymous case) and the client
itself (the family record: names, BSN hash, dates, family situation and free texts go; the row
stays for the anonymised signals and referrals). The retention command records every removal
in a deletion register (`Expiry` holds what an entry needs: no personal data, only the record's
kind and key).

Legal hold: a record with ``on_hold`` is kept whatever its age (`RetentionPolicy.decide`). The
platform holds a client and every one of its records while care is going on: an open referral
(requested, accepted, in progress), an open task or care-plan goal, or an emergency access not
yet reviewed. When that ends, the periods run from the records' last activity as usual (a
completed referral's last activity is its completion). A complaint, a request for access or a
legal claim would hold records the same way (the platform does not record those yet).

Counting: a period of N years from last activity ``d`` ends on the same calendar day N years
later (29 February -> 1 March: never shorter than N full years); a record is expired from that
day on. A last activity after ``today`` (clock skew, data errors) is never expired.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final

from kansrijk.coordination.categories import DataCategory, RecordKind


class ExpiryAction(StrEnum):
    ANONYMISE = "anonymise"
    DELETE = "delete"


#: Default retention in years per category (see the module docstring); `BASIS` says why.
DEFAULT_PERIODS: Final[Mapping[DataCategory, int]] = {
    DataCategory.MEDICAL: 20,
    DataCategory.LIFESTYLE: 20,
    DataCategory.PSYCHOSOCIAL: 20,
    DataCategory.PARENTING: 20,
    DataCategory.FAMILY: 7,
    DataCategory.FINANCIAL: 7,
    DataCategory.EDUCATION: 7,
    DataCategory.IDENTITY: 2,
    DataCategory.CARE_COORDINATION: 2,
}
_COORDINATION = "coordination of a running trajectory: Kansrijk default 2 years"
BASIS: Final[Mapping[DataCategory, str]] = {
    DataCategory.MEDICAL: "WGBO (BW 7:454 lid 3): 20 years from the last change",
    DataCategory.LIFESTYLE: "part of the medical record (WGBO): 20 years",
    DataCategory.PSYCHOSOCIAL: "part of the GP, POH-GGZ or JGZ record (WGBO): 20 years",
    DataCategory.PARENTING: "part of the JGZ record (WGBO): 20 years",
    DataCategory.FAMILY: "social domain, no statutory period: Kansrijk default 7 years",
    DataCategory.FINANCIAL: "social domain, no statutory period: Kansrijk default 7 years",
    DataCategory.EDUCATION: "social domain, no statutory period: Kansrijk default 7 years",
    DataCategory.IDENTITY: _COORDINATION,
    DataCategory.CARE_COORDINATION: _COORDINATION,
}
#: What happens to each kind of record at expiry (see the module docstring).
DEFAULT_ACTIONS: Final[Mapping[RecordKind, ExpiryAction]] = {
    RecordKind.SIGNAL: ExpiryAction.ANONYMISE,
    RecordKind.REFERRAL: ExpiryAction.ANONYMISE,
    RecordKind.CONTACT_NOTE: ExpiryAction.DELETE,
    RecordKind.CONFERENCE_DECISION: ExpiryAction.DELETE,
    RecordKind.CARE_PLAN_GOAL: ExpiryAction.DELETE,
    RecordKind.TASK: ExpiryAction.DELETE,
    RecordKind.AGENDA_ITEM: ExpiryAction.ANONYMISE,
    RecordKind.CLIENT: ExpiryAction.ANONYMISE,
}


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> a year without one
        return date(day.year + years, 3, 1)


@dataclass(frozen=True)
class RecordRef:
    """A stored record as the retention command sees it: kind, key, categories, last activity.

    ``key`` is the database key (never a client identifier); ``on_hold`` marks a record that
    must be kept regardless (see "Legal hold" in the module docstring: care still going on, a
    complaint, a request for access, a legal claim).
    """

    kind: RecordKind
    key: str
    categories: frozenset[DataCategory]
    last_activity: date
    on_hold: bool = False


@dataclass(frozen=True)
class Expiry:
    """One record due for removal: what to do and why (a deletion register entry's content)."""

    kind: RecordKind
    key: str
    action: ExpiryAction
    categories: frozenset[DataCategory]
    last_activity: date
    retention_end: date


@dataclass(frozen=True)
class RetentionPolicy:
    """Retention years per category and the action at expiry per record kind."""

    periods: Mapping[DataCategory, int] = field(default_factory=lambda: dict(DEFAULT_PERIODS))
    actions: Mapping[RecordKind, ExpiryAction] = field(
        default_factory=lambda: dict(DEFAULT_ACTIONS)
    )

    def __post_init__(self) -> None:
        missing = sorted(set(DataCategory) - set(self.periods))
        if missing:
            raise ValueError(f"retention: no period for {', '.join(missing)}")
        if any(years < 1 for years in self.periods.values()):
            raise ValueError("retention: every period is at least one year")
        unhandled = sorted(set(RecordKind) - set(self.actions))
        if unhandled:
            raise ValueError(f"retention: no expiry action for {', '.join(unhandled)}")

    def with_periods(self, changes: Mapping[DataCategory, int]) -> RetentionPolicy:
        """A copy with some periods changed (a coalition's own policy)."""
        return RetentionPolicy({**self.periods, **changes}, self.actions)

    def retention_end(self, category: DataCategory, last_activity: date) -> date:
        """The first day on which data of ``category`` last active on ``last_activity`` expire."""
        return add_years(last_activity, self.periods[category])

    def expired(self, category: DataCategory, last_activity: date, today: date) -> bool:
        """Whether data of ``category`` with this last activity are past retention on ``today``."""
        return today >= self.retention_end(category, last_activity)

    def record_end(self, categories: Iterable[DataCategory], last_activity: date) -> date:
        """When a record carrying ``categories`` expires: at the end of the longest period."""
        cats = frozenset(categories) | {DataCategory.IDENTITY}
        return max(self.retention_end(c, last_activity) for c in cats)

    def decide(self, record: RecordRef, today: date) -> Expiry | None:
        """The expiry of ``record`` on ``today``, or None while it is kept (or on hold)."""
        end = self.record_end(record.categories, record.last_activity)
        if record.on_hold or today < end:
            return None
        return Expiry(
            kind=record.kind,
            key=record.key,
            action=self.actions[record.kind],
            categories=record.categories,
            last_activity=record.last_activity,
            retention_end=end,
        )


DEFAULT_RETENTION: Final = RetentionPolicy()


def expired(
    category: DataCategory,
    last_activity: date,
    today: date,
    policy: RetentionPolicy = DEFAULT_RETENTION,
) -> bool:
    """Whether data of ``category`` last active on ``last_activity`` are past retention."""
    return policy.expired(category, last_activity, today)


def plan_expiry(
    records: Iterable[RecordRef], today: date, policy: RetentionPolicy = DEFAULT_RETENTION
) -> list[Expiry]:
    """The records to anonymise or delete on ``today``, in the order given."""
    return [e for r in records if (e := policy.decide(r, today)) is not None]

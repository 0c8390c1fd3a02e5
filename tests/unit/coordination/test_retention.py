"""Retention: periods per category, the day a record expires, and the expiry plan."""

from __future__ import annotations

from datetime import date

import pytest

from kansrijk.coordination import (
    DEFAULT_PERIODS,
    DEFAULT_RETENTION,
    DataCategory,
    ExpiryAction,
    RecordKind,
    RecordRef,
    RetentionPolicy,
    expired,
    plan_expiry,
)
from kansrijk.coordination.retention import BASIS, add_years

C = DataCategory


def test_default_periods() -> None:
    assert set(DEFAULT_PERIODS) == set(DataCategory) == set(BASIS)
    assert DEFAULT_PERIODS[C.MEDICAL] == 20 and "WGBO" in BASIS[C.MEDICAL]
    assert {c for c, y in DEFAULT_PERIODS.items() if y == 20} == {
        C.MEDICAL,
        C.LIFESTYLE,
        C.PSYCHOSOCIAL,
        C.PARENTING,
    }
    assert DEFAULT_PERIODS[C.FINANCIAL] == 7 and DEFAULT_PERIODS[C.IDENTITY] == 2


@pytest.mark.parametrize(
    ("category", "last", "today", "is_expired"),
    [
        (C.MEDICAL, date(2026, 3, 10), date(2046, 3, 9), False),  # the day before 20 years
        (C.MEDICAL, date(2026, 3, 10), date(2046, 3, 10), True),  # 20 full years
        (C.FINANCIAL, date(2024, 2, 29), date(2031, 2, 28), False),  # no 29 Feb in 2031
        (C.FINANCIAL, date(2024, 2, 29), date(2031, 3, 1), True),
        (C.MEDICAL, date(2024, 2, 29), date(2044, 2, 29), True),  # 2044 is a leap year
        (C.IDENTITY, date(2025, 12, 31), date(2027, 12, 31), True),
        (C.IDENTITY, date(2025, 12, 31), date(2027, 12, 30), False),
        (C.FAMILY, date(2030, 1, 1), date(2026, 1, 1), False),  # last activity in the future
    ],
)
def test_expired_edges(category: DataCategory, last: date, today: date, is_expired: bool) -> None:
    assert expired(category, last, today) is is_expired


def test_add_years() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2023, 12, 31), 7) == date(2030, 12, 31)


def test_a_record_lasts_as_long_as_its_longest_category() -> None:
    last = date(2026, 1, 15)
    assert DEFAULT_RETENTION.record_end([], last) == date(2028, 1, 15)  # identity only
    assert DEFAULT_RETENTION.record_end([C.FINANCIAL], last) == date(2033, 1, 15)
    assert DEFAULT_RETENTION.record_end([C.FINANCIAL, C.MEDICAL], last) == date(2046, 1, 15)


def test_plan_expiry() -> None:
    last = date(2019, 5, 1)
    records = [
        RecordRef(RecordKind.SIGNAL, "s1", frozenset({C.IDENTITY, C.FINANCIAL}), last),
        RecordRef(RecordKind.REFERRAL, "r1", frozenset({C.IDENTITY, C.MEDICAL}), last),
        RecordRef(RecordKind.CONTACT_NOTE, "n1", frozenset({C.IDENTITY, C.FAMILY}), last),
        RecordRef(RecordKind.CONTACT_NOTE, "n2", frozenset({C.FAMILY}), last, on_hold=True),
        RecordRef(RecordKind.CARE_PLAN_GOAL, "g1", frozenset({C.FAMILY}), date(2019, 5, 2)),
    ]
    plan = plan_expiry(records, date(2026, 5, 1))
    assert [(e.key, e.action, e.retention_end) for e in plan] == [
        ("s1", ExpiryAction.ANONYMISE, date(2026, 5, 1)),
        ("n1", ExpiryAction.DELETE, date(2026, 5, 1)),
    ]
    assert plan[0].categories == {C.IDENTITY, C.FINANCIAL} and plan[0].last_activity == last


def test_a_coalition_sets_its_own_periods() -> None:
    policy = DEFAULT_RETENTION.with_periods({C.FINANCIAL: 5})
    assert policy.expired(C.FINANCIAL, date(2020, 1, 1), date(2025, 1, 1))
    assert not DEFAULT_RETENTION.expired(C.FINANCIAL, date(2020, 1, 1), date(2025, 1, 1))
    assert policy.actions == DEFAULT_RETENTION.actions
    assert expired(C.FINANCIAL, date(2020, 1, 1), date(2025, 1, 1), policy)


def test_policy_must_be_complete_and_positive() -> None:
    with pytest.raises(ValueError, match="no period for"):
        RetentionPolicy(periods={C.MEDICAL: 20})
    with pytest.raises(ValueError, match="at least one year"):
        DEFAULT_RETENTION.with_periods({C.IDENTITY: 0})
    with pytest.raises(ValueError, match="no expiry action for"):
        RetentionPolicy(actions={RecordKind.SIGNAL: ExpiryAction.DELETE})


def test_default_actions_per_kind() -> None:
    """Free text is deleted; what other records hang on or the indicators count is anonymised."""
    assert set(DEFAULT_RETENTION.actions) == set(RecordKind)
    deleted = {k for k, a in DEFAULT_RETENTION.actions.items() if a is ExpiryAction.DELETE}
    assert deleted == {
        RecordKind.CONTACT_NOTE,
        RecordKind.CONFERENCE_DECISION,
        RecordKind.CARE_PLAN_GOAL,
        RecordKind.TASK,
    }
    assert set(RecordKind) - deleted == {
        RecordKind.SIGNAL,
        RecordKind.REFERRAL,
        RecordKind.AGENDA_ITEM,
        RecordKind.CLIENT,
    }


def test_a_record_on_hold_is_kept_however_old() -> None:
    """The legal hold: care still going on keeps a client and every record of it."""
    family = frozenset({C.FAMILY})
    last = date(2000, 1, 1)
    held = [
        RecordRef(kind, "1", family, last, on_hold=True)
        for kind in (RecordKind.TASK, RecordKind.AGENDA_ITEM, RecordKind.CLIENT)
    ]
    assert plan_expiry(held, date(2090, 1, 1)) == []
    # The hold lifted: the period runs from the last activity (7 years for family).
    task = RecordRef(RecordKind.TASK, "1", family, date(2035, 6, 15))
    assert DEFAULT_RETENTION.decide(task, date(2042, 6, 14)) is None
    expiry = DEFAULT_RETENTION.decide(task, date(2042, 6, 15))
    assert expiry is not None
    assert (expiry.action, expiry.retention_end) == (ExpiryAction.DELETE, date(2042, 6, 15))
    client = RecordRef(RecordKind.CLIENT, "7", frozenset({C.IDENTITY}), date(2035, 6, 15))
    anonymised = DEFAULT_RETENTION.decide(client, date(2037, 6, 15))
    assert anonymised is not None and anonymised.action is ExpiryAction.ANONYMISE

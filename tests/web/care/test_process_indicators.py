"""Process indicators (issue 6 item 11): facts per signal from the database, counts per
municipality and month, small numbers hidden, no client identifier in the published files; the
run writes one audit entry for what it read."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.test import override_settings

from kansrijk.coordination.indicators import PROTECTED_SCHEMA
from kansrijk.web.accounts.roles import Role
from kansrijk.web.care import services
from kansrijk.web.care.audit import verify
from kansrijk.web.care.indicators import protected_table, publish_process_indicators, signal_facts
from kansrijk.web.care.models import AuditEvent, Client, Referral, ReferralEvent, Signal
from tests.web.care.builders import World, family, refer, signal

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)


def signalled(care: World, name: str, municipality: str, day: str) -> Client:
    client = family(care.users[Role.PROFESSIONAL], name, municipality)
    sig = signal(client, care.users[Role.PROFESSIONAL])
    Signal.objects.filter(pk=sig.pk).update(recorded_at=at(day))
    return client


def referred(care: World, client: Client, day: str, *steps: tuple[str, str]) -> Referral:
    referral = refer(client, care.users[Role.PROFESSIONAL], care.other_org)
    Referral.objects.filter(pk=referral.pk).update(created_at=at(day), deadline=date(2026, 2, 1))
    referral.refresh_from_db()
    for action, when in steps:
        referral = services.transition(
            referral, action, care.other_professional, referral.version, now=at(when)
        )
    return referral


@pytest.fixture
def scenario(care: World) -> World:
    """Four signals: A, B (GM0363, January), C (GM0363, March), D (GM0599, January)."""
    a = signalled(care, "Anouk", "GM0363", "2026-01-05")
    referred(care, a, "2026-01-06", ("accept", "2026-01-06"), ("start", "2026-01-09"))
    b = signalled(care, "Bente", "GM0363", "2026-01-20")
    referred(care, b, "2026-01-21")  # still requested after its deadline: overdue
    signalled(care, "Carla", "GM0363", "2026-03-02")
    d = signalled(care, "Dana", "GM0599", "2026-01-10")
    referred(care, d, "2026-01-11", ("accept", "2026-01-11"))  # accepted, no contact: overdue
    return care


def test_facts_per_signal(scenario: World) -> None:
    facts = {(f.municipality, f.signal_date): f for f in signal_facts(TODAY)}
    a = facts["GM0363", date(2026, 1, 5)]
    assert (a.first_contact, a.accepted_referral, a.referrals_overdue) == (
        date(2026, 1, 9),
        True,
        (False,),
    )
    b = facts["GM0363", date(2026, 1, 20)]
    assert (b.first_contact, b.accepted_referral, b.referrals_overdue) == (None, False, (True,))
    c = facts["GM0363", date(2026, 3, 2)]
    assert (c.first_contact, c.accepted_referral, c.referrals_overdue) == (None, False, ())
    d = facts["GM0599", date(2026, 1, 10)]
    assert (d.first_contact, d.accepted_referral, d.referrals_overdue) == (None, True, (True,))


def test_counts_per_municipality_and_month(scenario: World) -> None:
    rows = {
        (r["municipality"], r["month"], r["indicator"]): r
        for r in protected_table(TODAY, threshold=1).to_pylist()
    }
    signals = {(g, m): r["numerator"] for (g, m, i), r in rows.items() if i == "signals"}
    assert signals == {  # a month without signals is a 0, below even threshold 1: hidden
        ("GM0363", "2026-01"): 2,
        ("GM0363", "2026-02"): None,
        ("GM0363", "2026-03"): 1,
        ("GM0599", "2026-01"): 1,
        ("GM0599", "2026-02"): None,
        ("GM0599", "2026-03"): None,
    }
    accepted = rows["GM0363", "2026-01", "accepted_referral_share"]
    assert (accepted["numerator"], accepted["denominator"], accepted["value"]) == (1, 2, 50.0)
    assert rows["GM0363", "2026-01", "days_to_first_contact"]["value"] == 4.0
    overdue = rows["GM0363", "2026-01", "overdue_referral_share"]
    assert (overdue["numerator"], overdue["denominator"]) == (1, 2)


def test_small_numbers_hidden_and_no_identifiers(scenario: World, tmp_path: Path) -> None:
    table = protected_table(TODAY, threshold=2)
    rows = {(r["municipality"], r["month"], r["indicator"]): r for r in table.to_pylist()}
    assert rows["GM0363", "2026-01", "signals"]["numerator"] == 2
    hidden = rows["GM0599", "2026-01", "signals"]
    assert hidden["suppressed"] and hidden["numerator"] is None and hidden["value"] is None

    with override_settings(KANSRIJK_RESULTS_DIR=tmp_path):
        call_command("care_indicators", today=TODAY.isoformat())
    out = tmp_path / "care"
    assert sorted(p.name for p in out.iterdir()) == [
        "process_indicators.csv",
        "process_indicators.parquet",
    ]
    published = pq.read_table(out / "process_indicators.parquet")
    assert published.schema.names == PROTECTED_SCHEMA.names
    # The default threshold (10) hides every figure of this small scenario.
    assert all(published.column("suppressed").to_pylist())
    text = (out / "process_indicators.csv").read_text(encoding="utf-8")
    for name in ("Anouk", "Bente", "Carla", "Dana", "Jansen", "client"):
        assert name not in text
    assert text.splitlines()[0] == ",".join(PROTECTED_SCHEMA.names)


def test_publish_writes_atomically_into_results_dir(scenario: World, tmp_path: Path) -> None:
    paths = publish_process_indicators(TODAY, out_dir=tmp_path, threshold=1)
    assert [p.name for p in paths] == ["process_indicators.parquet", "process_indicators.csv"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_run_writes_one_statistics_audit_entry(scenario: World, tmp_path: Path) -> None:
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    # Read: the 4 signals, the 3 referrals of signalled families (the world's other families
    # have referrals but no signals) and the 3 events reaching accepted or in progress (A
    # accepted and started, D accepted).
    assert Referral.objects.count() > 3
    assert ReferralEvent.objects.filter(to_state__in=["accepted", "in_progress"]).count() == 3
    with override_settings(KANSRIJK_RESULTS_DIR=tmp_path):
        call_command("care_indicators", today=TODAY.isoformat())
    [entry] = AuditEvent.objects.filter(sequence__gt=last or 0)
    assert (entry.action, entry.purpose, entry.user_id, entry.client_id) == (
        "read",
        "statistics",
        None,
        None,
    )
    assert entry.categories == "care_coordination,identity"
    assert entry.detail == "process indicators: read 4 signals, 3 referrals, 3 referral events"
    assert entry.authorised and not entry.emergency_access
    assert verify().ok

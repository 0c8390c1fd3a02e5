"""Process indicators (issue 6 item 11): facts per signal from the database, counts per
municipality and month, small numbers hidden by the publication gate, no client identifier in
the published files; the run writes one audit entry for what it read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.test import override_settings

from kansrijk.coordination.indicators import PUBLIC_SCHEMA, SignalFacts, process_indicators
from kansrijk.publication import (
    DisclosureError,
    DisclosurePolicy,
    Protected,
    Publication,
    internal_dir,
    protect,
)
from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit.log import verify
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.care.models import Client
from kansrijk.web.referrals import services as referral_services
from kansrijk.web.referrals.indicators import (
    BASENAME,
    PROCESS_STRUCTURE,
    protected_table,
    publish_process_indicators,
    signal_facts,
)
from kansrijk.web.referrals.models import Referral, ReferralEvent, Signal
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
        referral = referral_services.transition(
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
        for r in protected_table(TODAY, threshold=1).public.to_pylist()
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
    table = protected_table(TODAY, threshold=2).public
    rows = {(r["municipality"], r["month"], r["indicator"]): r for r in table.to_pylist()}
    assert rows["GM0363", "2026-01", "signals"]["numerator"] == 2
    hidden = rows["GM0599", "2026-01", "signals"]
    assert hidden["suppressed"] and hidden["numerator"] is None and hidden["value"] is None

    with override_settings(KANSRIJK_RESULTS_DIR=tmp_path):
        call_command("care_indicators", today=TODAY.isoformat())
    out = tmp_path / "care"
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.json",
        "process_indicators.csv",
        "process_indicators.parquet",
    ]
    published = pq.read_table(out / "process_indicators.parquet")
    assert published.schema.names == PUBLIC_SCHEMA.names  # no reason column
    # The default threshold (10) hides every figure of this small scenario.
    assert all(published.column("suppressed").to_pylist())
    text = (out / "process_indicators.csv").read_text(encoding="utf-8")
    for name in ("Anouk", "Bente", "Carla", "Dana", "Jansen", "client", "primary"):
        assert name not in text
    assert text.splitlines()[0] == ",".join(PUBLIC_SCHEMA.names)
    # Read back through the gate's one reader (hashes and rules checked again).
    publication = Publication.open(out, basename=BASENAME)
    assert publication.results.equals(published)
    assert publication.threshold == 10
    # Why each cell is hidden stays in the internal audit directory, beside the publication.
    assert (internal_dir(out) / "protection.parquet").is_file()


def test_publish_writes_atomically_into_results_dir(scenario: World, tmp_path: Path) -> None:
    paths = publish_process_indicators(TODAY, out_dir=tmp_path, threshold=1)
    assert [p.name for p in paths] == [
        "process_indicators.parquet",
        "process_indicators.csv",
        "manifest.json",
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    # A published file changed afterwards is refused by the reader.
    (tmp_path / "process_indicators.parquet").write_bytes(b"changed")
    with pytest.raises(DisclosureError, match="changed since it was published"):
        Publication.open(tmp_path, basename=BASENAME)


def many(
    n: int, accepted: int, contacts: int, overdue: int, referrals: int, where: str = "GM0009"
) -> list[SignalFacts]:
    """``n`` signals in ``where``, January 2026, with the given counts (the first signal carries
    every referral; the i-th contact comes after i days)."""
    rows = []
    for i in range(n):
        flags = tuple(k < overdue for k in range(referrals)) if i == 0 else ()
        rows.append(
            SignalFacts(
                where,
                date(2026, 1, 1),
                date(2026, 1, 1) + timedelta(days=i) if i < contacts else None,
                i < accepted,
                flags,
            )
        )
    return rows


def gate(rows: list[SignalFacts], threshold: int = 10) -> Protected:
    return protect(process_indicators(rows), PROCESS_STRUCTURE, DisclosurePolicy(threshold))


def public(protected: Protected) -> dict[str, tuple[object, ...]]:
    assert protected.public.schema.names == PUBLIC_SCHEMA.names
    return {
        r["indicator"]: (r["numerator"], r["denominator"], r["value"], r["suppressed"])
        for r in protected.public.to_pylist()
    }


def reasons(protected: Protected) -> dict[str, str]:
    """Why each cell is hidden: in the internal table only."""
    return {r["indicator"]: r["reason"] for r in protected.internal.to_pylist()}


def test_the_gate_hides_small_numbers() -> None:
    # 25 signals, 9 accepted (< 10), 12 contacts (13 without), 25 referrals of which 12 overdue.
    protected = gate(many(25, accepted=9, contacts=12, overdue=12, referrals=25))
    got = public(protected)
    assert got["signals"] == (25, None, 25.0, False)
    assert got["accepted_referral_share"] == (None, None, None, True)
    assert got["days_to_first_contact"] == (12, 25, 5.5, False)  # median of 0..11 days
    assert got["overdue_referral_share"] == (12, 25, 48.0, False)
    assert reasons(protected) == {
        "accepted_referral_share": "primary: numerator below the threshold"
    }


def test_complement_and_denominator_rules() -> None:
    # 20 signals: 15 accepted and 15 contacts leave 5 without (complements below 10);
    # 8 referrals (a denominator below 10).
    protected = gate(many(20, accepted=15, contacts=15, overdue=4, referrals=8))
    got = public(protected)
    assert got["signals"] == (20, None, 20.0, False)
    for hidden in ("accepted_referral_share", "days_to_first_contact", "overdue_referral_share"):
        assert got[hidden] == (None, None, None, True), hidden
    assert reasons(protected) == {
        "accepted_referral_share": "primary: complement below the threshold",
        "days_to_first_contact": "primary: complement below the threshold",
        "overdue_referral_share": "primary: denominator below the threshold",
    }


def test_few_signals_hide_every_figure_over_them() -> None:
    # 9 signals: the count is small, so each share over those signals is hidden too (its
    # denominator would give the count away); the referrals are counted apart and stay.
    protected = gate(many(9, accepted=5, contacts=5, overdue=12, referrals=25))
    got = public(protected)
    for hidden in ("signals", "accepted_referral_share", "days_to_first_contact"):
        assert got[hidden] == (None, None, None, True), hidden
    assert got["overdue_referral_share"] == (12, 25, 48.0, False)
    shown = [v for row in got.values() for v in row[:2] if v is not None]
    assert 9 not in shown and 5 not in shown and 4 not in shown


def test_no_hidden_count_can_be_recomputed() -> None:
    # Many municipalities and months with counts on both sides of the threshold: the gate's
    # audit finds no hidden count an attacker could narrow below the threshold from what is
    # published (no hidden cell alone among published ones that give it away), and no hidden
    # row keeps a number.
    rows: list[SignalFacts] = []
    for k, (n, accepted, contacts) in enumerate(
        [(25, 9, 12), (12, 11, 12), (30, 15, 28), (9, 3, 5), (40, 31, 35), (10, 0, 10)]
    ):
        rows += many(n, accepted, contacts, overdue=k, referrals=3 * k + 10, where=f"GM{k:04d}")
    protected = gate(rows)
    audit = protected.audit
    assert audit["sensitive_counts"] and audit["exposed"] == audit["unresolved"] == 0
    assert audit["protected"] == audit["sensitive_counts"]
    # Per hidden small count, the interval the attacker can derive is at least 10 wide.
    for row in protected.internal.to_pylist():
        for side in ("n", "c"):
            if row[f"{side}_audit"] is not None:
                assert row[f"{side}_high"] - row[f"{side}_low"] >= 10, row
    table = protected.public
    for row in table.to_pylist():
        if row["suppressed"]:
            assert row["numerator"] is row["denominator"] is row["value"] is None
        else:
            for count in (row["numerator"], row["denominator"]):
                assert count is None or count >= 10
            if row["numerator"] is not None and row["denominator"] is not None:
                assert row["denominator"] - row["numerator"] >= 10
    assert "suppression_reason" not in table.column_names


def test_only_the_gate_makes_a_protected_table() -> None:
    # `publish` takes a Protected only, and only `protect` makes one: no table skips the gate.
    with pytest.raises(TypeError, match=r"kansrijk\.publication\.protect only"):
        Protected(
            public=process_indicators(many(3, 1, 1, 0, 0)),
            internal=process_indicators([]),
            policy=DisclosurePolicy(),
            audit={},
            loss=process_indicators([]),
            keys=("municipality", "month", "indicator"),
        )


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

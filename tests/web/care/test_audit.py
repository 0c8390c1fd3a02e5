"""The audit log: each request writes exactly the expected entries, the chain detects any
changed, removed or inserted entry, and the log cannot be changed through the application (nor,
on PostgreSQL, through SQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from typer.testing import CliRunner

from kansrijk.cli.main import app
from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit import log as audit
from kansrijk.web.audit.log import Flags
from kansrijk.web.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from tests.web import factories as f
from tests.web.care.builders import World

pytestmark = pytest.mark.django_db
ALL = (
    "care_coordination,education,family,financial,identity,lifestyle,medical,parenting,psychosocial"
)


def _new(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=before).order_by("sequence"))


def _head() -> int:
    head = AuditChainHead.objects.filter(pk=1).first()  # a flushed database has none yet
    return head.sequence if head else 0


def test_reading_a_client_writes_one_entry_with_every_field(care: World) -> None:
    user = care.users[Role.PROFESSIONAL]
    before = _head()
    started = timezone.now().replace(microsecond=0)
    response = f.signed_in(user).get(reverse("care:client", args=[care.own.pk]))
    assert response.status_code == 200
    [event] = _new(before)
    assert event.action == "read" and event.purpose == "care"
    assert event.client_id == care.own.pk
    assert event.categories == "care_coordination,family,identity"
    assert (event.user_id, event.username, event.role) == (user.pk, user.username, user.role)
    assert (event.organisation_id, event.organisation_name) == (care.own_org.pk, "Wijkteam Oost")
    assert (event.responsible_user_id, event.responsible_username) == (user.pk, user.username)
    assert event.authorised and event.treatment_relationship
    assert not event.consent_present and not event.emergency_access
    assert event.occurred_at.microsecond == 0 and event.occurred_at >= started
    assert event.occurred_at.utcoffset() == UTC.utcoffset(None)
    assert event.event_id and event.sequence == before + 1
    assert event.hash == audit.compute_hash(event) and len(event.hash) == 64


def test_referred_client_entry_shows_consent_and_only_consented_categories(care: World) -> None:
    before = _head()
    f.signed_in(care.users[Role.PROFESSIONAL]).get(
        reverse("care:client", args=[care.referred_consent.pk])
    )
    [event] = _new(before)
    assert event.categories == "care_coordination,family,identity"
    # The referral is still requested: the receiver does not treat the family yet (issue 14).
    assert event.consent_present and event.authorised and not event.treatment_relationship


def test_caseload_logs_the_list_and_every_client_shown(care: World) -> None:
    before = _head()
    f.signed_in(care.users[Role.PROFESSIONAL]).get(reverse("care:caseload"))
    events = _new(before)
    assert [(e.action, e.client_id) for e in events] == [
        ("read", None),
        ("read", care.referred_consent.pk),  # newest first, as the page lists them
        ("read", care.own.pk),
    ]
    assert events[0].detail == "caseload: 2 clients"
    assert all(e.categories == "identity" for e in events[1:])
    assert [e.treatment_relationship for e in events[1:]] == [False, True]
    assert [e.consent_present for e in events[1:]] == [True, False]


def test_a_search_is_logged_as_a_search_without_the_search_terms(care: World) -> None:
    before = _head()
    response = f.signed_in(care.users[Role.PROFESSIONAL]).get(
        reverse("care:caseload"), {"q": "Rosa"}
    )
    assert "Rosa" in response.content.decode() and "Olga" not in response.content.decode()
    events = _new(before)
    assert [(e.action, e.client_id) for e in events] == [
        ("search", None),
        ("read", care.referred_consent.pk),
    ]
    assert all("Rosa" not in (e.detail + e.categories) for e in events)


def test_a_refusal_is_logged_as_not_authorised(care: World) -> None:
    user = care.users[Role.PROFESSIONAL]
    before = _head()
    assert f.signed_in(user).get(reverse("care:client", args=[care.other.pk])).status_code == 404
    [event] = _new(before)
    assert (event.action, event.client_id, event.authorised) == ("read", care.other.pk, False)
    assert event.categories == "" and event.detail == "care:client"


def test_changes_are_logged_once_each(care: World) -> None:
    user = care.users[Role.PROFESSIONAL]
    client = f.signed_in(user)
    before = _head()
    response = client.post(
        reverse("care:consent_new", args=[care.own.pk]),
        {
            "recipient_organisation": care.other_org.pk,
            "categories": ["identity", "medical"],
            "purpose": "Afstemming zorg",
            "valid_from": "2020-01-01",
            "method": "verbal",
        },
    )
    assert response.status_code == 302
    [created] = _new(before)
    assert (created.action, created.client_id, created.categories) == (
        "create",
        care.own.pk,
        "care_coordination",
    )
    consent = care.own.consents.get()
    before = _head()
    client.post(reverse("care:consent_withdraw", args=[care.own.pk, consent.pk]))
    [withdrawn] = _new(before)
    assert (withdrawn.action, withdrawn.detail) == ("update", f"consent {consent.pk} withdrawn")


def test_reading_the_audit_log_is_logged(care: World) -> None:
    admin = care.users[Role.ADMINISTRATOR]
    before = _head()
    response = f.signed_in(admin).get(reverse("care:audit_log"))
    assert response.status_code == 200
    [event] = _new(before)
    assert (event.action, event.purpose, event.client_id, event.detail) == (
        "read",
        "supervision",
        None,
        "audit log",
    )
    assert event.user_id == admin.pk


def test_emergency_access_is_logged_with_every_category(care: World) -> None:
    from tests.web.care.builders import family

    user = care.users[Role.PROFESSIONAL]
    bsn = "111222333"
    target = family(care.other_professional, "Eva")
    target.members.filter(role="pregnant").update(bsn_hash=audit_bsn(bsn))
    before = _head()
    response = f.signed_in(user).post(
        reverse("care:emergency"),
        {
            "bsn": bsn,
            "category": "acute_medical",
            "reason": "Bewusteloos binnengebracht op de spoedeisende hulp, geen contact",
            "hours": 1,
        },
    )
    assert response.status_code == 302
    [event] = _new(before)
    assert (event.action, event.purpose, event.client_id) == ("emergency", "emergency", target.pk)
    assert event.emergency_access and event.authorised and event.categories == ALL


def audit_bsn(bsn: str) -> str:
    from kansrijk.web.care.bsn import bsn_hash

    return bsn_hash(bsn)


# --- The chain --------------------------------------------------------------------------------


def _chain(n: int = 5) -> list[AuditEvent]:
    user = f.user(Role.PROFESSIONAL)
    return [
        audit.record(
            action="read",
            user=user,
            purpose="care",
            flags=Flags(True),
            client_id=i,
            categories=["identity"],
        )
        for i in range(1, n + 1)
    ]


def test_an_intact_chain_verifies() -> None:
    events = _chain()
    result = audit.verify()
    assert result.ok, result.problems
    assert result.entries == 5 and result.head_hash == events[-1].hash
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert events[0].prev_hash == audit.GENESIS


def disarm() -> None:
    """Switch off the database's protection of the log, as only its owner could (PostgreSQL:
    disable the triggers; SQLite: drop them). Undone with the test's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("care_auditevent", "care_auditchainhead"):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in cursor.fetchall():
                if name.startswith("care_audit_"):
                    cursor.execute(f"DROP TRIGGER {name}")


def _raw(sql: str, params: list[object]) -> None:
    """Change the table behind the application's back, with its triggers switched off."""
    disarm()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_changed_entry_is_reported() -> None:
    events = _chain()
    _raw(
        "UPDATE care_auditevent SET categories = %s WHERE sequence = %s",
        ["medical", events[2].sequence],
    )
    result = audit.verify()
    assert not result.ok
    assert (result.first.kind, result.first.sequence) == ("changed", events[2].sequence)  # type: ignore[union-attr]


def test_a_removed_entry_is_reported() -> None:
    events = _chain()
    _raw("DELETE FROM care_auditevent WHERE sequence = %s", [events[1].sequence])
    result = audit.verify()
    assert (result.first.kind, result.first.sequence) == ("removed", events[1].sequence)  # type: ignore[union-attr]


def test_a_removed_last_entry_is_reported() -> None:
    events = _chain()
    _raw("DELETE FROM care_auditevent WHERE sequence = %s", [events[-1].sequence])
    result = audit.verify()
    assert (result.first.kind, result.first.sequence) == ("removed", events[-1].sequence)  # type: ignore[union-attr]


def test_an_inserted_entry_is_reported() -> None:
    events = _chain()
    last = events[-1]
    _raw(
        "INSERT INTO care_auditevent (sequence, event_id, action, occurred_at, user_id, username,"
        " role, organisation_id, organisation_name, responsible_user_id, responsible_username,"
        " client_id, categories, purpose, detail, authorised, treatment_relationship,"
        " consent_present, emergency_access, prev_hash, hash) VALUES (%s, %s, 'read', %s, NULL,"
        " 'x', '', NULL, '', NULL, '', 7, 'medical', 'care', '', %s, %s, %s, %s, %s, %s)",
        [
            last.sequence + 1,
            "0f0e0d0c-0b0a-4908-8706-050403020100",
            datetime(2026, 1, 1, tzinfo=UTC),
            True,
            True,
            True,
            False,
            last.hash,
            "f" * 64,
        ],
    )
    result = audit.verify()
    assert (result.first.kind, result.first.sequence) == ("inserted", last.sequence + 1)  # type: ignore[union-attr]


def test_a_rewritten_link_is_reported() -> None:
    """An entry whose own hash fits but whose link does not: inserted or replaced."""
    events = _chain()
    target = events[3]
    target.prev_hash = "a" * 64
    new_hash = audit.compute_hash(target)
    _raw(
        "UPDATE care_auditevent SET prev_hash = %s, hash = %s WHERE sequence = %s",
        ["a" * 64, new_hash, target.sequence],
    )
    result = audit.verify()
    assert (result.first.kind, result.first.sequence) == ("inserted", target.sequence)  # type: ignore[union-attr]


def test_the_cli_exits_1_on_a_broken_chain_and_0_on_an_intact_one() -> None:
    events = _chain(3)
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "intact as far as the chain shows: 3 entries" in ok.output
    assert events[-1].hash in ok.output and "no checkpoint" in ok.output
    _raw("DELETE FROM care_auditevent WHERE sequence = %s", [events[0].sequence])
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert f"entries {events[0].sequence} were removed" in broken.output


def test_the_model_refuses_changes_and_deletes() -> None:
    [event] = _chain(1)
    event.detail = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert audit.verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_update_and_delete_in_sql() -> None:
    from django.db import DatabaseError

    [event] = _chain(1)
    for sql in (
        "UPDATE care_auditevent SET detail = 'x' WHERE id = %s",
        "DELETE FROM care_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert audit.verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_truncate() -> None:
    from django.db import DatabaseError

    _chain(2)
    with (
        pytest.raises(DatabaseError, match="TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL kansrijk.audit_truncate = 'deny'")
        cursor.execute("TRUNCATE care_auditevent")
    assert AuditEvent.objects.count() == 2 and audit.verify().ok


def test_the_chain_is_keyed() -> None:
    """Whoever lacks the key cannot make a consistent chain: hashes made with plain SHA-256 (or
    another key) do not verify."""
    import hashlib

    from django.test import override_settings

    events = _chain(3)
    with override_settings(KANSRIJK_AUDIT_KEY="ab" * 32):
        assert [p.kind for p in audit.verify().problems][:1] == ["changed"]
    forged = events[-1]
    plain = hashlib.sha256(audit.canonical(forged)).hexdigest()
    assert plain != forged.hash
    assert audit.compute_hash(forged) == forged.hash


def test_an_anchored_head_catches_a_chain_cut_back() -> None:
    events = _chain(4)
    anchor = (events[-1].sequence, events[-1].hash)
    assert audit.verify(expect_head=anchor).ok
    assert audit.parse_anchor(f"{anchor[0]}:{anchor[1]}") == anchor
    # A head recorded earlier that the chain no longer holds: missing, or another hash.
    beyond = (events[-1].sequence + 10, events[-1].hash)
    assert audit.verify(expect_head=beyond).problems[0].message == (
        f"The audit log ends at entry {events[-1].sequence} but --expect-head names entry "
        f"{beyond[0]}: 10 entries at the end have been removed."
    )
    other = (events[0].sequence, events[1].hash)
    assert (
        audit.verify(expect_head=other)
        .problems[0]
        .message.startswith(
            f"Entry {events[0].sequence} is not the entry --expect-head names (its hash differs)"
        )
    )
    with pytest.raises(ValueError, match="SEQUENCE:HASH"):
        audit.parse_anchor("12")


def test_the_cli_checks_an_anchor(tmp_path: object) -> None:
    events = _chain(2)
    runner = CliRunner()
    good = f"{events[-1].sequence}:{events[-1].hash}"
    result = runner.invoke(app, ["audit", "verify", "--expect-head", good])
    assert result.exit_code == 0, result.output
    assert good in result.output
    bad = f"{events[-1].sequence}:{'0' * 64}"
    assert runner.invoke(app, ["audit", "verify", "--expect-head", bad]).exit_code == 1
    assert runner.invoke(app, ["audit", "verify", "--expect-head", "x"]).exit_code == 2

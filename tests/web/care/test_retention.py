"""Retention (issue 6 item 10): expired care records are deleted or anonymised, registered in
the deletion register and audited; nothing expires early; a dry run changes nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kansrijk.coordination.retention import add_years
from kansrijk.web.accounts.roles import Role
from kansrijk.web.care import services
from kansrijk.web.care.audit import verify
from kansrijk.web.care.models import (
    AuditEvent,
    Client,
    ClientMember,
    DeletionRecord,
    Note,
    Referral,
    Signal,
)
from kansrijk.web.care.retention import ANONYMOUS, apply_retention
from tests.web.care.builders import World, family, refer, signal

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def age(client: Client, years: int, days: int = 0) -> None:
    """Move the client and all its records back in time (to noon, ``years`` and ``days`` ago)."""
    day = add_years(TODAY, -years) - timedelta(days=days)
    moment = timezone.make_aware(datetime.combine(day, time(12)))
    Client.objects.filter(pk=client.pk).update(updated_at=moment)
    Note.objects.filter(client=client).update(created_at=moment)
    Signal.objects.filter(client=client).update(recorded_at=moment)
    Referral.objects.filter(client=client).update(updated_at=moment)
    client.consents.update(recorded_at=moment)


def test_nothing_expires_before_its_period(care: World) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Vera")
    services.add_note(client, prof, "family", "Verhuisd naar een grotere woning.")
    services.add_note(client, prof, "medical", "Zwangerschapsdiabetes.")
    age(client, 7, days=-1)  # family: 7 years minus a day
    assert apply_retention(TODAY).entries == []
    age(client, 19, days=360)  # the medical note keeps the client (20 years)
    result = apply_retention(TODAY)
    assert [(e.record_kind, e.action) for e in result.entries] == [("contact_note", "deleted")]
    assert ClientMember.objects.filter(client=client, given_name="Vera").exists()


def test_expired_note_is_deleted_and_registered(care: World) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Wendy")
    note = services.add_note(client, prof, "family", "Schulden bij de woningcorporatie.")
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=8 * 366))
    apply_retention(TODAY)
    assert not Note.objects.filter(pk=note.pk).exists()
    entry = DeletionRecord.objects.get(record_kind="contact_note", record_id=note.pk)
    assert (entry.action, entry.client_id, entry.reason) == (
        "deleted",
        client.pk,
        "retention period expired",
    )
    assert entry.categories == "family"
    assert Client.objects.filter(pk=client.pk).exists()  # the client is recent
    event = AuditEvent.objects.filter(client_id=client.pk, purpose="retention").get()
    assert event.action == "delete"


def test_expired_client_is_anonymised(care: World) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Xenia")
    note = services.add_note(client, prof, "family", "Woont bij haar moeder.")
    sig = signal(client, prof)
    referral = refer(client, prof, care.other_org)
    age(client, 21)
    call_command("care_retention", today=TODAY.isoformat())

    members = ClientMember.objects.filter(client=client)
    assert members.count() == 2
    for member in members:
        assert (member.given_name, member.family_name, member.bsn_hash) == (
            ANONYMOUS,
            ANONYMOUS,
            "",
        )
        assert member.date_of_birth is None
    client.refresh_from_db()
    assert client.family_situation == ""
    assert not Note.objects.filter(pk=note.pk).exists()
    sig.refresh_from_db()
    assert sig.answers == {} and sig.instrument_code == "kansrijk_basis"
    referral.refresh_from_db()
    assert referral.reason == "" and referral.route_code == "pregnant_debts"

    register = set(
        DeletionRecord.objects.filter(client_id=client.pk).values_list("record_kind", "action")
    )
    assert register == {
        ("client", "anonymised"),
        ("client_member", "anonymised"),
        ("contact_note", "deleted"),
        ("signal", "anonymised"),
        ("referral", "anonymised"),
    }
    [event] = AuditEvent.objects.filter(client_id=client.pk, purpose="retention")
    assert event.action == "delete" and event.user_id is None
    assert verify().ok
    # A second run finds nothing new.
    assert apply_retention(TODAY).entries == []


def test_dry_run_writes_nothing(care: World) -> None:
    prof = care.users[Role.PROFESSIONAL]
    client = family(prof, "Yara")
    services.add_note(client, prof, "family", "Weinig netwerk.")
    age(client, 21)
    audit_before = AuditEvent.objects.count()
    call_command("care_retention", "--dry-run", today=TODAY.isoformat())
    assert DeletionRecord.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before
    assert Note.objects.filter(client=client).count() == 1
    assert ClientMember.objects.filter(client=client, given_name="Yara").exists()
    assert apply_retention(TODAY, dry_run=True).entries  # it would act

"""Bulk care data for the care load test: 300 organisations, 100,000 families.

Run as a script in its own process (it sets Django up for the database of ``DATABASE_URL``, or
SQLite in ``--data-dir``)::

    python bench/care_data.py --data-dir DIR [--clients 100000] [--organisations 300]

It migrates, then writes with ``bulk_create`` in large batches (explicit primary keys, no
per-row ``save()``, the sequences reset afterwards):

- 300 organisations: 30 municipalities (2-3 coalition coordinators each) and 270 care
  organisations of the route kinds (midwifery, kraamzorg, JGZ, GGD, district team, debt
  counselling, GP, hospital; 2-5 professionals each), sizes skewed (a few large ones);
- every user with a confirmed TOTP device (key written to ``accounts.json``) and one Argon2
  password hash computed once;
- 100,000 clients with members (the pregnant woman, 60 % a partner, 30 % a child; BSN hashes
  through ``care.bsn.bsn_hash``), the owner in the care team, 20 % a second care-team
  organisation (some ended), a contact person each;
- referrals for about a third of the families along the base routes, in every state (the core
  state machine decides owners and versions, one ``ReferralEvent`` per step), deadlines from the
  route step, sent over the last 120 days (so some are overdue); consents for the receiver on
  most (a few withdrawn or expired), coordinator-role consents for 10 %;
- notes, two emergency accesses and 100,000 audit events forming a valid hash chain.

``accounts.json`` (written last, so its presence means the build finished) lists every user
with organisation, role and TOTP key, and the build time.
"""

# ruff: noqa: PLC0415 - Django is set up in main() before the models can be imported

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
PASSWORD = "kansrijk-bench-2026"
MUNICIPALITIES = 30
CARE_KINDS = (
    "midwifery",
    "kraamzorg",
    "jgz",
    "ggd",
    "district_team",
    "debt_counselling",
    "gp",
    "hospital",
)
GIVEN = (
    "Amira", "Bo", "Chantal", "Demi", "Esra", "Fatima", "Gwen", "Hiba", "Iris", "Jamila",
    "Kim", "Lina", "Mila", "Naima", "Olga", "Priya", "Romy", "Sanne", "Tess", "Yara",
    "Anouk", "Britt", "Eva", "Femke", "Julia", "Lotte", "Noor", "Sara", "Zoë", "Mirte",
)  # fmt: skip
PARTNERS = ("Ahmed", "Bas", "Daan", "Emre", "Jesse", "Luuk", "Mo", "Ruben", "Thijs", "Koen")
FAMILY = (
    "de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Yilmaz", "El Amrani", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "Kaya", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Berg", "Bouali", "Öztürk", "Nguyen",
)  # fmt: skip
BATCH = 5000


def _setup(data_dir: Path) -> None:
    os.environ["KANSRIJK_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansrijk.web.settings")
    os.environ.setdefault("KANSRIJK_ENV", "development")
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    import django

    django.setup()


def _bulk(model: Any, rows: Iterable[Any]) -> int:
    rows = list(rows)
    for i in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[i : i + BATCH], batch_size=BATCH)
    return len(rows)


def _bsns(rng: random.Random) -> Iterator[str]:
    """Distinct random numbers that pass the elfproef."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    seen: set[str] = set()
    while True:
        digits = f"{rng.randrange(100_000_000, 999_999_999)}"
        if digits in seen:
            continue
        if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0:
            seen.add(digits)
            yield digits


def build(clients: int = 100_000, organisations: int = 300, seed: int = 2026) -> dict[str, Any]:
    """Write the data set into the (migrated, care-empty) database; returns the accounts."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kansrijk.coordination import referrals as core
    from kansrijk.coordination import routes
    from kansrijk.web.accounts.models import Organisation, User
    from kansrijk.web.audit import log as audit
    from kansrijk.web.audit.models import AuditChainHead, AuditEvent
    from kansrijk.web.care.bsn import bsn_hash
    from kansrijk.web.care.models import (
        CareTeamMember,
        Client,
        ClientMember,
        Consent,
        ConsentCategory,
        ContactPerson,
        EmergencyAccess,
        Note,
    )
    from kansrijk.web.referrals import workflow
    from kansrijk.web.referrals.models import Referral, ReferralEvent

    if Client.objects.exists():
        raise RuntimeError("the care bench data loads into a database without clients")
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    started = time.perf_counter()

    # --- Organisations and users ------------------------------------------------------------
    codes = [f"GM{1000 + 37 * i:04d}" for i in range(MUNICIPALITIES)]
    org_base = (Organisation.objects.order_by("-pk").values_list("pk", flat=True).first()) or 0
    user_base = (User.objects.order_by("-pk").values_list("pk", flat=True).first()) or 0
    orgs: list[Any] = []
    kinds: dict[int, str] = {}
    for i in range(organisations):
        pk = org_base + 1 + i
        if i < MUNICIPALITIES:
            kind, code, name = "municipality", codes[i], f"Gemeente Bench {codes[i]}"
        else:
            kind = CARE_KINDS[(i - MUNICIPALITIES) % len(CARE_KINDS)]
            code = codes[rng.randrange(MUNICIPALITIES)]
            name = f"Bench {kind.replace('_', ' ')} {i:03d}"
        kinds[pk] = kind
        orgs.append(
            Organisation(
                pk=pk, name=name, type=kind, municipality_code=code, valid_from=date(2015, 1, 1)
            )
        )
    _bulk(Organisation, orgs)
    org_code = {o.pk: o.municipality_code for o in orgs}
    care_orgs = [o.pk for o in orgs if o.type != "municipality"]
    by_kind: dict[str, list[int]] = {}
    for pk in care_orgs:
        by_kind.setdefault(kinds[pk], []).append(pk)

    password = make_password(PASSWORD)
    users: list[Any] = []
    devices: list[Any] = []
    accounts: list[dict[str, Any]] = []
    staff: dict[int, list[int]] = {}
    for o in orgs:
        municipality = o.type == "municipality"
        for n in range(rng.randint(2, 3) if municipality else rng.randint(2, 5)):
            pk = user_base + 1 + len(users)
            role = "coordinator" if municipality else "professional"
            username = f"bench-{o.pk}-{n}"
            key = rng.randbytes(20).hex()
            users.append(
                User(
                    pk=pk,
                    username=username,
                    password=password,
                    first_name=GIVEN[pk % len(GIVEN)],
                    last_name=FAMILY[pk % len(FAMILY)],
                    email=f"{username}@example.org",
                    role=role,
                    organisation_id=o.pk,
                )
            )
            devices.append(TOTPDevice(user_id=pk, name="authenticator", confirmed=True, key=key))
            accounts.append(
                {"username": username, "role": role, "organisation_id": o.pk, "key": key}
            )
            staff.setdefault(o.pk, []).append(pk)
    _bulk(User, users)  # bulk_create skips User.save(): no groups needed for these roles
    _bulk(TOTPDevice, devices)

    # --- Clients, members, care team, contact persons ---------------------------------------
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(care_orgs))]
    owners = rng.choices(care_orgs, weights=weights, k=clients)
    bsns = _bsns(rng)
    client_rows: list[Any] = []
    members: list[Any] = []
    team: list[Any] = []
    contacts: list[Any] = []
    registered: list[datetime] = []
    municipality_of: list[str] = []
    member_pk = 0
    for i in range(clients):
        pk = i + 1
        owner = owners[i]
        creator = rng.choice(staff[owner])
        at = now - timedelta(days=rng.randint(1, 720), seconds=rng.randint(0, 86_399))
        code = org_code[owner] if rng.random() < 0.9 else rng.choice(codes)
        registered.append(at)
        municipality_of.append(code)
        client_rows.append(
            Client(
                pk=pk,
                owner_organisation_id=owner,
                municipality_code=code,
                family_situation="Samenwonend; weinig netwerk in de buurt.",
                created_by_id=creator,
                created_at=at,
                updated_at=at,
            )
        )
        family = FAMILY[rng.randrange(len(FAMILY))]
        due = at.date() + timedelta(days=rng.randint(30, 260))
        born = due - timedelta(days=365 * rng.randint(17, 42) + rng.randint(0, 364))
        member_pk += 1
        members.append(
            ClientMember(
                pk=member_pk,
                client_id=pk,
                role="pregnant",
                given_name=GIVEN[rng.randrange(len(GIVEN))],
                family_name=family,
                date_of_birth=born,
                due_date=due,
                bsn_hash=bsn_hash(next(bsns)),
            )
        )
        if rng.random() < 0.6:
            member_pk += 1
            members.append(
                ClientMember(
                    pk=member_pk,
                    client_id=pk,
                    role="partner",
                    given_name=PARTNERS[rng.randrange(len(PARTNERS))],
                    family_name=family,
                    date_of_birth=born - timedelta(days=rng.randint(-900, 2000)),
                    bsn_hash=bsn_hash(next(bsns)),
                )
            )
        if due < today and rng.random() < 0.6:
            member_pk += 1
            members.append(
                ClientMember(
                    pk=member_pk,
                    client_id=pk,
                    role="child",
                    given_name=GIVEN[rng.randrange(len(GIVEN))],
                    family_name=family,
                    date_of_birth=due,
                    bsn_hash=bsn_hash(next(bsns)),
                )
            )
        team.append(
            CareTeamMember(pk=len(team) + 1, client_id=pk, organisation_id=owner, since=at.date())
        )
        if rng.random() < 0.2:
            other = rng.choice(care_orgs)
            if other != owner:
                since = at.date() + timedelta(days=rng.randint(0, 30))
                ended = rng.random() < 0.3
                until = since + timedelta(days=rng.randint(1, 90)) if ended else None
                team.append(
                    CareTeamMember(
                        pk=len(team) + 1,
                        client_id=pk,
                        organisation_id=other,
                        since=since,
                        until=until,
                    )
                )
        contacts.append(
            ContactPerson(
                pk=pk,
                client_id=pk,
                user_id=creator,
                organisation_id=owner,
                started_at=at,
                assigned_by_id=creator,
            )
        )
    created_at = Client._meta.get_field("created_at")
    updated_at = Client._meta.get_field("updated_at")
    with transaction.atomic():
        created_at.auto_now_add, updated_at.auto_now = False, False
        try:
            _bulk(Client, client_rows)
        finally:
            created_at.auto_now_add, updated_at.auto_now = True, True
        _bulk(ClientMember, members)
        _bulk(CareTeamMember, team)
        _bulk(ContactPerson, contacts)

    # --- Referrals, their events and consents -----------------------------------------------
    steps = [(r.code, s) for r in routes.BASE_ROUTES for s in r.steps]
    outcomes = (
        ((), 20),
        (("accept",), 20),
        (("accept", "start"), 20),
        (("accept", "start", "complete"), 20),
        (("reject",), 10),
        (("cancel",), 10),
    )
    outcome_list = [o for o, _w in outcomes]
    outcome_weights = [w for _o, w in outcomes]

    @cache
    def deadline(code: str, step: str, sent: date) -> date | None:
        found = workflow.step_of(code, step)
        return None if found is None else routes.deadline(sent, found)

    referral_rows: list[Any] = []
    events: list[Any] = []
    consents: list[Any] = []
    categories: list[Any] = []
    for i in range(clients):
        pk = i + 1
        roll = rng.random()
        if roll < 0.10:  # a consent for the municipality's coordinator (case conference)
            consent_pk = len(consents) + 1
            consents.append(
                Consent(
                    pk=consent_pk,
                    client_id=pk,
                    recipient_role="coordinator",
                    purpose="Casuïstiekbespreking met de coalitiecoördinator",
                    valid_from=registered[i].date(),
                    method="written",
                    recorded_by_id=client_rows[i].created_by_id,
                    recorded_at=registered[i],
                )
            )
            for cat in ("identity", "care_coordination", "family"):
                categories.append(
                    ConsentCategory(pk=len(categories) + 1, consent_id=consent_pk, category=cat)
                )
        if roll > 0.33:
            continue
        owner = owners[i]
        sender = client_rows[i].created_by_id
        for _n in range(1 if rng.random() < 0.75 else 2):
            code, step = rng.choice(steps)
            candidates = [o for o in by_kind.get(step.partner_type.value, []) if o != owner]
            if not candidates:
                continue
            to = rng.choice(candidates)
            receiver = rng.choice(staff[to])
            sent = max(registered[i], now - timedelta(days=rng.randint(0, 120)))
            outcome = rng.choices(outcome_list, weights=outcome_weights)[0]
            ref_pk = len(referral_rows) + 1
            state = core.Referral(
                state=core.ReferralState.REQUESTED,
                sender_owner=workflow.party(sender),
                receiver_owner=None,
                version=1,
                reason=None,
            )
            events.append(
                ReferralEvent(
                    pk=len(events) + 1,
                    referral_id=ref_pk,
                    action="request",
                    from_state="",
                    to_state="requested",
                    actor_id=sender,
                    organisation_id=owner,
                    version=1,
                    at=sent,
                )
            )
            moment = sent
            for action in outcome:
                moment += timedelta(hours=rng.randint(2, 60))
                actor, side, org = (
                    (sender, workflow.SENDER, owner)
                    if action == "cancel"
                    else (receiver, workflow.RECEIVER, to)
                )
                reason = "Geen plek binnen de termijn." if action in ("reject", "cancel") else None
                after = core.apply(
                    state,
                    core.Action(action),
                    core.Actor(workflow.party(actor), side),
                    expected_version=state.version,
                    reason=reason,
                )
                events.append(
                    ReferralEvent(
                        pk=len(events) + 1,
                        referral_id=ref_pk,
                        action=action,
                        from_state=state.state.value,
                        to_state=after.state.value,
                        actor_id=actor,
                        organisation_id=org,
                        reason=reason or "",
                        version=after.version,
                        at=moment,
                    )
                )
                state = after
            owner_side = core.owner_side(state.state)
            referral_rows.append(
                Referral(
                    pk=ref_pk,
                    client_id=pk,
                    from_organisation_id=owner,
                    from_user_id=sender,
                    to_organisation_id=to,
                    route_code=code,
                    route_step=str(step.order),
                    category=step.shares.value,
                    reason="Verwezen langs de klantroute; zie het gesprek van vorige week.",
                    state=state.state.value,
                    sender_owner_id=workflow.user_id_of(state.sender_owner) or sender,
                    receiver_owner_id=workflow.user_id_of(state.receiver_owner),
                    owner_organisation_id=to if owner_side == workflow.RECEIVER else owner,
                    owner_user_id=workflow.user_id_of(state.owner) or sender,
                    deadline=deadline(code, str(step.order), sent.date()),
                    decision_reason=state.reason or "",
                    version=state.version,
                    created_at=sent,
                    updated_at=moment,
                )
            )
            if rng.random() < 0.85:  # with the client's consent for the receiver
                consent_pk = len(consents) + 1
                expired = rng.random() < 0.05
                withdrawn = not expired and rng.random() < 0.04
                consents.append(
                    Consent(
                        pk=consent_pk,
                        client_id=pk,
                        recipient_organisation_id=to,
                        purpose="Hulp na verwijzing (klantroute)",
                        valid_from=sent.date() - timedelta(days=1),
                        valid_until=(today - timedelta(days=1))
                        if expired
                        else sent.date() + timedelta(days=365),
                        method=rng.choice(["verbal", "written", "digital"]),
                        recorded_by_id=sender,
                        recorded_at=sent,
                        withdrawn_at=sent + timedelta(days=2) if withdrawn else None,
                        withdrawn_by_id=sender if withdrawn else None,
                    )
                )
                for cat in sorted({"identity", "care_coordination", step.shares.value}):
                    categories.append(
                        ConsentCategory(pk=len(categories) + 1, consent_id=consent_pk, category=cat)
                    )
    notes = [
        Note(
            pk=n + 1,
            client_id=(cid := rng.randrange(clients) + 1),
            category=rng.choice(["medical", "financial", "psychosocial", "family"]),
            text="Huisbezoek gehad; afspraken gemaakt over de volgende stap.",
            author_id=client_rows[cid - 1].created_by_id,
            organisation_id=owners[cid - 1],
            created_at=registered[cid - 1] + timedelta(days=1),
        )
        for n in range(clients // 5)
    ]
    with transaction.atomic():
        _bulk(Referral, referral_rows)
        _bulk(ReferralEvent, events)
        _bulk(Consent, consents)
        _bulk(ConsentCategory, categories)
        _bulk(Note, notes)
        for n, cid in enumerate((1, 2)):
            _bulk(
                EmergencyAccess,
                [
                    EmergencyAccess(
                        pk=n + 1,
                        user_id=staff[care_orgs[-1 - n]][0],
                        organisation_id=care_orgs[-1 - n],
                        client_id=cid,
                        reason="Zwangere met hevige buikpijn; verloskundige niet bereikbaar.",
                        started_at=now - timedelta(days=3),
                        expires_at=now - timedelta(days=3) + timedelta(hours=4),
                    )
                ],
            )

    # --- Audit events (a valid chain, continuing the existing one) --------------------------
    user_by_pk = {u.pk: u for u in users}
    org_name = {o.pk: o.name for o in orgs}
    with transaction.atomic():
        head = audit._head()
        sequence, previous = head.sequence, head.hash
        rows: list[Any] = []
        moment = now - timedelta(days=30)
        for _n in range(clients):
            moment += timedelta(seconds=25)
            cid = rng.randrange(clients) + 1
            user = user_by_pk[client_rows[cid - 1].created_by_id]
            sequence += 1
            event = AuditEvent(
                sequence=sequence,
                event_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                action="read",
                occurred_at=moment.astimezone(UTC).replace(microsecond=0),
                user_id=user.pk,
                username=user.username,
                role=user.role,
                organisation_id=user.organisation_id,
                organisation_name=org_name[user.organisation_id],
                responsible_user_id=user.pk,
                responsible_username=user.username,
                client_id=cid,
                categories="identity",
                purpose="care",
                detail="care:client",
                authorised=True,
                treatment_relationship=True,
                consent_present=False,
                emergency_access=False,
                prev_hash=previous,
            )
            event.hash = audit.compute_hash(event)
            previous = event.hash
            rows.append(event)
        _bulk(AuditEvent, rows)
        AuditChainHead.objects.filter(pk=1).update(sequence=sequence, hash=previous)

    from django.core.management.color import no_style

    models = [Organisation, User, TOTPDevice, Client, ClientMember, CareTeamMember]
    models += [ContactPerson, Referral, ReferralEvent, Consent, ConsentCategory, Note]
    models += [EmergencyAccess, AuditEvent]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    if connection.vendor == "postgresql":  # as autovacuum would have left it
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    counts = {
        "organisations": len(orgs),
        "users": len(users),
        "clients": clients,
        "members": len(members),
        "care_team": len(team),
        "referrals": len(referral_rows),
        "referral_events": len(events),
        "consents": len(consents),
        "consent_categories": len(categories),
        "notes": len(notes),
        "audit_events": len(rows),
    }
    return {
        "password": PASSWORD,
        "accounts": accounts,
        "counts": counts,
        "build_seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=300)
    args = parser.parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    _setup(args.data_dir)
    from django.core.management import call_command

    began = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter() - began
    result = build(args.clients, args.organisations)
    result["migrate_seconds"] = round(migrated, 1)
    result["total_seconds"] = round(time.perf_counter() - began, 1)
    (args.data_dir / "accounts.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "accounts"}, indent=1))


if __name__ == "__main__":
    main()

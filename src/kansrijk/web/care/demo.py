"""Demo care data for the Amsterdam coalition: a professional account for six of its partner
organisations, about twenty fictitious families, consents, referrals in every state (some
overdue), contact persons with hand-overs, notes, an emergency access to review and the audit
entries of all that. Demo data only: every name is invented and every BSN is a random number
that passes the elfproef (never printed, only hashed).

Dates are relative to the day the demo is loaded, so the referrals' deadlines stay current.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from django.db import transaction
from django.utils import timezone

from kansrijk.coordination import routes
from kansrijk.web.accounts.demo import DEMO_PASSWORD
from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType as OT  # noqa: N817 (short, used throughout)
from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit import log as audit
from kansrijk.web.audit.log import Entry, Flags
from kansrijk.web.audit.models import AuditAction, AuditPurpose
from kansrijk.web.care import careplan, services
from kansrijk.web.care.access import Access
from kansrijk.web.care.models import Client
from kansrijk.web.care.services import MemberInput
from kansrijk.web.care.vocabulary import DataCategory
from kansrijk.web.coalitions.models import CoalitionPartner
from kansrijk.web.conferences import services as conferences
from kansrijk.web.referrals import coalition
from kansrijk.web.referrals import services as referral_services
from kansrijk.web.referrals.models import step_dicts

AMSTERDAM: Final = "GM0363"
SEED: Final = 2026
FAMILIES: Final = 20
#: One demo professional per partner kind: username, given name, family name.
ACCOUNTS: Final = {
    OT.MIDWIFERY: ("verloskundige.amsterdam", "Vera", "Visser"),
    OT.JGZ: ("jgz.amsterdam", "Joost", "de Graaf"),
    OT.DISTRICT_TEAM: ("wijkteam.amsterdam", "Wendy", "Kramer"),
    OT.DEBT_COUNSELLING: ("schuldhulp.amsterdam", "Sem", "Hoekstra"),
    OT.KRAAMZORG: ("kraamzorg.amsterdam", "Karin", "Mulder"),
    OT.GP: ("huisarts.amsterdam", "Hanna", "Bos"),
}
#: A second midwife, so that the contact person can be handed over in the demo.
SECOND_MIDWIFE: Final = ("verloskundige2.amsterdam", "Maud", "Smits")
GIVEN: Final = (
    "Amira", "Bo", "Chantal", "Demi", "Esra", "Fatima", "Gwen", "Hiba", "Iris", "Jamila",
    "Kim", "Lina", "Mila", "Naima", "Olga", "Priya", "Romy", "Sanne", "Tess", "Yara",
)  # fmt: skip
PARTNERS: Final = ("Ahmed", "Bas", "Daan", "Emre", "Jesse", "Luuk", "Mo", "Ruben", "Thijs")
FAMILY_NAMES: Final = (
    "de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Yilmaz", "El Amrani", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "Kaya", "Bos", "Vos", "Peters", "Hendriks",
)  # fmt: skip
SITUATIONS: Final = (
    "Woont met partner in een kleine huurwoning; weinig netwerk in de buurt.",
    "Alleenstaand; moeder woont in de buurt en helpt.",
    "Net verhuisd naar Amsterdam, nog geen huisarts.",
    "Samenwonend; partner werkt in ploegendienst.",
    "Woont tijdelijk bij familie in; zoekt eigen woonruimte.",
)
NOTES: Final = {
    DataCategory.MEDICAL: "Bloeddruk licht verhoogd; controle over twee weken.",
    DataCategory.FINANCIAL: "Huurachterstand van twee maanden; wil hulp bij het ordenen van post.",
    DataCategory.PSYCHOSOCIAL: "Voelt zich vaak somber en moe; slaapt slecht.",
    DataCategory.FAMILY: "Partner is betrokken; broer kan helpen met de verhuizing.",
    DataCategory.LIFESTYLE: "Rookt nog vijf sigaretten per dag; wil stoppen.",
    DataCategory.PARENTING: "Maakt zich zorgen over de verzorging van de baby na de bevalling.",
}
REASONS: Final = {
    "pregnant_debts": "Schulden en betalingsachterstanden; vraagt om hulp.",
    "psychological_problems": "Somberheidsklachten in de zwangerschap.",
    "teenage_pregnancy": "Jonge zwangere, wil ondersteuning bij de voorbereiding.",
    "status_holder": "Statushouder, nog geen vaste zorgverleners.",
    "substance_use": "Gebruikt nog middelen; wil stoppen.",
    "no_kraamzorg": "Kraamzorg nog niet geregeld bij 35 weken.",
}


@dataclass(frozen=True)
class CareAccount:
    username: str
    name: str
    organisation: str


def _partners() -> dict[str, Organisation]:
    """The Amsterdam coalition's current partner organisation of each kind (the coalition
    demo picks one per kind)."""
    partners = (
        CoalitionPartner.objects.filter(
            coalition__memberships__municipality_id=AMSTERDAM, valid_to__isnull=True
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )
    found: dict[str, Organisation] = {}
    for partner in partners:
        found.setdefault(partner.organisation.type, partner.organisation)
    return found


def _account(username: str, first: str, last: str, org: Organisation) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        role=Role.PROFESSIONAL,
        organisation=org,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _bsn(rng: random.Random) -> str:
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    while True:
        digits = f"{rng.randrange(100_000_000, 999_999_999)}"
        if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0:
            return digits


#: The demo's audit entries, written in time order once everything is loaded.
_pending: list[tuple[datetime, int, User, Entry]] = []


def _log(user: User, action: str, client: Client, categories: list[str], at: datetime) -> None:
    flags = Flags(authorised=True, treatment_relationship=True)
    entry = Entry(action, AuditPurpose.CARE, flags, client.pk, categories, "demo")
    _pending.append((at, len(_pending), user, entry))


def _write_log() -> None:
    for at, _n, user, entry in sorted(_pending, key=lambda p: (p[0], p[1])):
        audit.record_many([entry], user=user, now=at)
    _pending.clear()


@transaction.atomic
def load(today: date | None = None) -> list[CareAccount]:
    """Load the care demo (after the coalition demo); returns the accounts for printing."""
    if Client.objects.exists():
        raise RuntimeError("the care demo loads into a database without clients")
    _pending.clear()
    partners = _partners()
    missing = [kind for kind in ACCOUNTS if kind not in partners]
    if missing:
        raise RuntimeError(f"the Amsterdam coalition has no partner of kind {missing}")
    rng = random.Random(SEED)
    now = timezone.now()
    today = today or timezone.localdate(now)
    users: dict[OT, User] = {kind: _account(*ACCOUNTS[kind], partners[kind]) for kind in ACCOUNTS}
    second = _account(*SECOND_MIDWIFE, partners[OT.MIDWIFERY])
    owners = [OT.MIDWIFERY] * 10 + [OT.JGZ] * 3 + [OT.GP] * 3 + [OT.DISTRICT_TEAM] * 2
    owners += [OT.KRAAMZORG] * 2
    steps = [
        (r.code, s)
        for r in routes.BASE_ROUTES
        for s in r.steps
        if OT(s.partner_type.value) in users
    ]
    for i in range(FAMILIES):
        owner = users[owners[i]]
        registered = now - timedelta(days=rng.randint(5, 120))
        due = today + timedelta(days=rng.randint(10, 200))
        woman = MemberInput(
            "pregnant",
            GIVEN[i],
            FAMILY_NAMES[i % len(FAMILY_NAMES)],
            due - timedelta(days=365 * rng.randint(18, 41) + rng.randint(0, 364)),
            due,
            _bsn(rng),
        )
        members = [woman]
        if rng.random() < 0.6:
            members.append(
                MemberInput(
                    "partner",
                    PARTNERS[i % len(PARTNERS)],
                    woman.family_name,
                    woman.date_of_birth - timedelta(days=rng.randint(-900, 2000))
                    if woman.date_of_birth
                    else None,
                    None,
                    _bsn(rng),
                )
            )
        client = services.register_client(
            owner,
            municipality_code=AMSTERDAM,
            members=members,
            family_situation=SITUATIONS[i % len(SITUATIONS)],
            now=registered,
        )
        _log(
            owner,
            AuditAction.CREATE,
            client,
            ["identity", "family", "care_coordination"],
            registered,
        )
        for category in rng.sample(sorted(NOTES), 2):
            note = services.add_note(client, owner, category, NOTES[DataCategory(category)])
            note.created_at = registered + timedelta(days=1)
            note.save(update_fields=["created_at"])
        _referrals(client, owner, users, partners, steps, rng, registered, i)
        if i % 5 == 0:  # to be discussed in a casuïstiekbespreking led by the coordinator
            services.record_consent(
                client,
                owner,
                categories=["identity", "care_coordination", "family"],
                purpose="Casuïstiekbespreking met de coalitiecoördinator",
                valid_from=registered.date(),
                method="written",
                recipient_role=Role.COORDINATOR,
                now=registered,
            )
    # Contact-person hand-overs (a midwife goes on leave) and an emergency access to review.
    midwife_clients = list(Client.objects.filter(owner_organisation=partners[OT.MIDWIFERY]))
    for client in midwife_clients[:3]:
        services.hand_over(
            client,
            second,
            users[OT.MIDWIFERY],
            "Verlof; collega neemt over.",
            now - timedelta(days=3),
        )
    services.start_emergency(
        users[OT.GP],
        midwife_clients[-1],
        "Zwangere met hevige buikpijn op het spreekuur; verloskundige niet bereikbaar.",
        4,
        now - timedelta(hours=6),
        category="acute_medical",
    )
    _log(
        users[OT.GP],
        AuditAction.EMERGENCY,
        midwife_clients[-1],
        sorted(c.value for c in DataCategory),
        now - timedelta(hours=6),
    )
    _care_plans(users, rng, now)
    _local_route(today)
    _conferences(users, now)
    _write_log()
    accounts = [*users.values(), second]
    return [
        CareAccount(u.username, u.get_full_name(), u.organisation.name if u.organisation else "")
        for u in accounts
    ]


GOALS: Final = (
    (DataCategory.FINANCIAL, "Vaste lasten worden op tijd betaald", "Aanmelding bij schuldhulp"),
    (DataCategory.MEDICAL, "Bevalling en kraamtijd zijn voorbereid", "Kraamzorg aanvragen"),
    (DataCategory.PARENTING, "Ouders voelen zich zeker in de verzorging", "Huisbezoek JGZ plannen"),
)


def _care_plans(users: dict[OT, User], rng: random.Random, now: datetime) -> None:
    """A goal, a task and a contact note for the first families of each owner (so the care
    plan and the timeline have something to show)."""

    for n, client in enumerate(Client.objects.order_by("pk")[:8]):
        owner = next(u for u in users.values() if u.organisation_id == client.owner_organisation_id)
        category, goal, task = GOALS[n % len(GOALS)]
        moment = now - timedelta(days=rng.randint(1, 4))
        careplan.set_goal(
            client, owner, category, goal, now.date() + timedelta(days=60), now=moment
        )
        assert owner.organisation is not None
        careplan.create_task(
            client,
            owner,
            category,
            task,
            owner.organisation,
            now.date() + timedelta(days=7),
            assignee=owner,
            now=moment,
        )
        note = services.add_note(
            client, owner, DataCategory.FAMILY, "Huisbezoek: gezin maakt het goed.", kind="contact"
        )
        note.created_at = moment
        note.save(update_fields=["created_at"])
        _log(owner, AuditAction.CREATE, client, [category.value, DataCategory.FAMILY.value], moment)


def _conferences(users: dict[OT, User], now: datetime) -> None:
    """Last week's case conference of the coordinator with the midwife, JGZ and the district
    team (two families of the midwife's on the agenda: by name where every participant may see
    them, anonymously otherwise; minutes final), and next week's, still planned."""
    coordinator = User.objects.filter(username="coordinator.amsterdam").first()
    if coordinator is None:
        return
    held = conferences.create_conference(
        coordinator,
        title="Casuïstiekoverleg Kansrijke Start",
        starts_at=now - timedelta(days=7),
        location="Stadsdeelkantoor Zuidoost",
        now=now - timedelta(days=10),
    )
    midwife = users[OT.MIDWIFERY]
    for kind in (OT.MIDWIFERY, OT.JGZ, OT.DISTRICT_TEAM):
        conferences.add_participant(held, users[kind], now=now - timedelta(days=10))
    families = Client.objects.filter(owner_organisation=midwife.organisation).order_by("pk")[:2]
    for client in families:
        item = conferences.add_item(
            held,
            midwife,
            summary="Zwangere met geldzorgen en weinig netwerk; kraamzorg nog niet geregeld.",
            question="Wie ondersteunt bij de aanvraag van kraamzorg en toeslagen?",
            client=client,
            now=now - timedelta(days=8),
        )
        conferences.record_item_minutes(item, "Besproken; wijkteam neemt contact op.")
        grant = Access.for_user(midwife, now - timedelta(days=7)).grant(client)
        decided = "task" if "task" in conferences.allowed_kinds(item, midwife, grant) else "advice"
        conferences.record_decision(
            item,
            midwife,
            conferences.DecisionInput(
                kind=decided,
                text="Kraamzorg samen met de cliënt aanvragen.",
                category=DataCategory.FAMILY.value,
                responsible_organisation=midwife.organisation,
                due=(now + timedelta(days=7)).date(),
            ),
            now=now - timedelta(days=7),
        )
    conferences.record_minutes(held, "Volgende keer ook de kraamzorg uitnodigen.")
    conferences.finalise(held, now=now - timedelta(days=6))
    planned = conferences.create_conference(
        coordinator,
        title="Casuïstiekoverleg Kansrijke Start",
        starts_at=now + timedelta(days=7),
        location="Stadsdeelkantoor Zuidoost",
        now=now,
    )
    conferences.add_participant(planned, midwife, now=now)


def _local_route(today: date) -> None:
    """Amsterdam's own variant of "no kraamzorg arranged": the kraamzorg provider answers
    and the midwife within 4 working days instead of the national 5 (a local agreement)."""

    found = coalition.coalitions_of(AMSTERDAM, today).order_by("pk").first()
    coordinator = User.objects.filter(username="coordinator.amsterdam").first()
    if found is None or coordinator is None:
        return
    base = routes.route("no_kraamzorg")
    steps = [
        step | {"response_days": max(1, int(step["response_days"]) - 1)}
        for step in step_dicts(base)
    ]
    coalition.save_variant(
        found,
        base,
        coordinator,
        base.title_nl + " (Amsterdam)",
        base.title_en + " (Amsterdam)",
        steps,
    )


RECEIVERS: Final = (
    OT.DEBT_COUNSELLING,
    OT.MIDWIFERY,
    OT.DISTRICT_TEAM,
    OT.GP,
    OT.JGZ,
    OT.KRAAMZORG,
)
#: The states the demo's referrals end in, in turn (the first few per family).
OUTCOMES: Final = (
    ("requested",),
    ("accepted",),
    ("accepted", "start"),
    ("accepted", "start", "complete"),
    ("rejected",),
    ("cancelled",),
)


def _referrals(
    client: Client,
    owner: User,
    users: dict[OT, User],
    partners: dict[str, Organisation],
    steps: list[tuple[str, routes.Step]],
    rng: random.Random,
    registered: datetime,
    index: int,
) -> None:
    """One or two referrals to other partners, with or without consent, in varied states."""
    options = [(code, s) for code, s in steps if partners[s.partner_type] != owner.organisation]
    # The first referral goes to each kind of receiver in turn (two families each), so every
    # demo professional has families referred to them; a second one to any other step.
    kind = RECEIVERS[(index // 2) % len(RECEIVERS)]
    first = next((o for o in options if o[1].partner_type.value == kind.value), options[0])
    chosen = [first, options[(3 * index + 5) % len(options)]][: 1 + index % 2]
    for n, (code, step) in enumerate(chosen):
        to = partners[step.partner_type]
        sent = registered + timedelta(days=rng.randint(1, 4))
        outcome = OUTCOMES[(index + n) % len(OUTCOMES)]
        # Some requests wait for consent: the receiver sees their status, not the family.
        with_consent = outcome != ("requested",) or index % 2 == 1
        if with_consent:
            consent = services.record_consent(
                client,
                owner,
                categories=["identity", "care_coordination", step.shares.value],
                purpose="Hulp na verwijzing (klantroute)",
                valid_from=sent.date(),
                valid_until=sent.date() + timedelta(days=365),
                method=rng.choice(["verbal", "written", "digital"]),
                recipient_organisation=to,
                now=sent,
            )
            if index == 7:  # the client changed her mind
                services.withdraw_consent(consent, owner, now=sent + timedelta(days=2))
        referral = referral_services.create_referral(
            client,
            owner,
            to_organisation=to,
            route_code=code,
            route_step=str(step.order),
            reason=REASONS[code],
            now=sent,
        )
        _log(
            owner,
            AuditAction.CREATE,
            client,
            ["identity", "care_coordination", step.shares.value],
            sent,
        )
        receiver = users[OT(step.partner_type.value)]
        moment = sent
        for action in outcome:
            moment += timedelta(days=1)
            if action == "requested":
                break
            if action == "rejected":
                referral_services.transition(
                    referral,
                    "reject",
                    receiver,
                    referral.version,
                    "Geen plek binnen de termijn.",
                    moment,
                )
            elif action == "cancelled":
                referral_services.transition(
                    referral, "cancel", owner, referral.version, "Cliënt is verhuisd.", moment
                )
            else:
                verb = "accept" if action == "accepted" else action
                referral_services.transition(referral, verb, receiver, referral.version, "", moment)
            if with_consent:
                _log(receiver, AuditAction.UPDATE, client, ["care_coordination"], moment)

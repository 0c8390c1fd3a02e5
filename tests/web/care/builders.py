"""A small care world for tests: organisations, users per role, and four clients whose
relation to the professional's organisation differs (own, other, referred with and without
consent)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from kansrijk.coordination.instruments import Answer, AnswerKind, instrument
from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.care import services
from kansrijk.web.care.models import Client, Consent
from kansrijk.web.care.services import MemberInput
from kansrijk.web.conferences.models import AgendaItem, CaseConference, ConferenceDecision
from kansrijk.web.referrals import services as referral_services
from kansrijk.web.referrals.models import Referral, Signal
from tests.web import factories as f

_bsn_serial = itertools.count(10_000_000)
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def valid_bsn() -> str:
    """A fresh 9-digit number that passes the elfproef (synthetic, never a real person's)."""
    while True:
        digits = f"{next(_bsn_serial) * 7 % 900_000_000 + 100_000_000:09d}"
        if sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11 == 0:
            return digits


def family(
    owner: User, name: str = "Anna", municipality: str = "GM0363", **kwargs: object
) -> Client:
    members = [
        MemberInput(
            "pregnant",
            name,
            "Jansen",
            date(1995, 3, 1),
            timezone.localdate() + timedelta(days=90),
            valid_bsn(),
        ),
        MemberInput("partner", "Bram", "Jansen", date(1993, 7, 9), None, valid_bsn()),
    ]
    return services.register_client(
        owner,
        municipality_code=municipality,
        members=members,
        family_situation=str(kwargs.get("situation", "Twee kamers, geen netwerk.")),
    )


def consent(
    client: Client,
    by: User,
    categories: list[str],
    to: Organisation | None = None,
    role: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Consent:
    return services.record_consent(
        client,
        by,
        categories=categories,
        purpose="Hulp na verwijzing",
        valid_from=valid_from or timezone.localdate() - timedelta(days=1),
        valid_until=valid_until,
        method="written",
        recipient_organisation=to,
        recipient_role=role,
    )


def refer(client: Client, by: User, to: Organisation, step: str = "2") -> Referral:
    """Step 2 of "pregnant with debts": to the district team, sharing the family category."""
    return referral_services.create_referral(
        client,
        by,
        to_organisation=to,
        route_code="pregnant_debts",
        route_step=step,
        reason="Betalingsachterstanden, vraagt hulp bij schulden.",
    )


@dataclass
class World:
    own_org: Organisation  # the professional's organisation (district team)
    other_org: Organisation  # another care organisation (midwifery)
    municipality: Organisation  # Amsterdam's municipality (the coordinator's)
    national: Organisation
    users: dict[str, User]  # by role: the actors of the matrix
    other_professional: User
    own: Client
    other: Client
    referred_consent: Client
    referred_no_consent: Client
    elsewhere: Referral  # other -> debt counselling: the professional is not involved

    def client(self, relation: str) -> Client:
        return getattr(self, relation)  # type: ignore[no-any-return]


def world() -> World:
    own_org = f.organisation("Wijkteam Oost", type=OrganisationType.DISTRICT_TEAM)
    other_org = f.organisation("Verloskundigenpraktijk West", type=OrganisationType.MIDWIFERY)
    municipality = f.organisation("Gemeente Amsterdam", municipality_code="GM0363")
    national = f.organisation("Landelijk programma", type=OrganisationType.NATIONAL)
    users = {
        Role.PROFESSIONAL: f.user(Role.PROFESSIONAL, own_org, first_name="Pia", last_name="Prof"),
        Role.COORDINATOR: f.user(Role.COORDINATOR, municipality),
        Role.POLICY_ADVISOR: f.user(Role.POLICY_ADVISOR, municipality),
        Role.MONITOR_ANALYST: f.user(Role.MONITOR_ANALYST, national),
        Role.PROGRAMME_STAFF: f.user(Role.PROGRAMME_STAFF, national),
        Role.ADMINISTRATOR: f.user(Role.ADMINISTRATOR, national),
    }
    midwife = f.user(Role.PROFESSIONAL, other_org, first_name="Mila", last_name="Vroed")
    own = family(users[Role.PROFESSIONAL], "Olga")
    other = family(midwife, "Olivia")
    referred_consent = family(midwife, "Rosa")
    consent(referred_consent, midwife, ["identity", "family", "care_coordination"], to=own_org)
    refer(referred_consent, midwife, own_org)
    # The coordinator may see this family too: consent for the coordinator role.
    consent(referred_consent, midwife, ["identity", "care_coordination"], role=Role.COORDINATOR)
    referred_no_consent = family(midwife, "Nora")
    refer(referred_no_consent, midwife, own_org)
    # A referral between two other organisations, in the coordinator's municipality.
    debt = f.organisation("Schuldhulp Noord", type=OrganisationType.DEBT_COUNSELLING)
    elsewhere = refer(other, midwife, debt, step="1")
    return World(
        own_org,
        other_org,
        municipality,
        national,
        users,
        midwife,
        own,
        other,
        referred_consent,
        referred_no_consent,
        elsewhere,
    )


#: Answers to the Kansrijk basisinstrument as the form posts them: nothing that calls for
#: attention (total 0).
CALM = {
    **dict.fromkeys(
        [
            "fam_teenage",
            "fam_status_holder",
            "fam_support",
            "fam_housing",
            "fam_safety",
            "inc_debts",
            "inc_no_income",
            "inc_insurance",
            "edu_language",
            "edu_reading",
            "edu_diploma",
            "life_smoking",
            "life_alcohol",
            "life_drugs",
            "life_food",
            "prev_complications",
            "prev_loss",
            "prev_interval",
            "cur_unplanned",
            "cur_no_kraamzorg",
            "cur_condition",
            "men_history",
            "men_self_harm",
            "par_feelings",
            "par_childhood",
            "par_child_protection",
        ],
        "no",
    ),
    **dict.fromkeys(("inc_shortage", "edu_information", "men_low", "men_worry"), "0"),
    "par_confidence": "0",
    "prev_children": "none",
    "cur_first_visit": "before_10",
}
#: Debts: 3 + 3 + 2 = 8 points, above the threshold (6); proposes "pregnant with debts".
DEBTS = {**CALM, "inc_debts": "yes", "inc_shortage": "3", "inc_insurance": "yes"}


def signal(client: Client, by: User, posted: dict[str, str] | None = None) -> Signal:
    """A signal recorded through the service, from answers as the form posts them."""
    chosen = instrument("kansrijk_basis")
    answers: dict[str, Answer | None] = {}
    for item in chosen.items:
        value = (posted or DEBTS)[item.code]
        if item.kind is AnswerKind.YES_NO:
            answers[item.code] = value == "yes"
        elif item.kind is AnswerKind.SCALE:
            answers[item.code] = int(value)
        else:
            answers[item.code] = value
    return referral_services.record_signal(client, by, chosen, answers)


def named_and_anonymous_items(client: Client, presenter: User) -> CaseConference:
    """A conference an hour ago with the family on the agenda twice, named (item 1) and
    anonymous (item 2), each with one advice ("Advies 1", "Advies 2")."""
    assert presenter.organisation is not None
    conference = CaseConference.objects.create(
        title="Overleg Oost",
        municipality_code="GM0363",
        starts_at=timezone.now() - timedelta(hours=1),
        organiser=presenter,
        organisation=presenter.organisation,
    )
    for position, anonymous in ((1, False), (2, True)):
        item = AgendaItem.objects.create(
            conference=conference,
            position=position,
            client=client,
            presenter=presenter,
            presenter_organisation=presenter.organisation,
            anonymous=anonymous,
            summary=f"Casus {position}",
        )
        ConferenceDecision.objects.create(
            item=item, kind="advice", text=f"Advies {position}", created_by=presenter
        )
    return conference

"""Demo data for the coalition registry, built from the demo plan (``kansrijk.web.demo_plan``).

The plan fixes which municipality had the Impuls, Nu Niet Zwanger, VoorZorg, which midwifery
practice was trained in Centering and so on, so that the programme indicators computed from the
registry equal RIVM's published figures. This module turns the plan into rows, adds coalitions
consistent with the 2021 questionnaire answers, and the organisations they work with.

All organisations are fictitious ("Verloskundigenpraktijk 17", "JGZ-organisatie Utrecht Zuid",
8-digit AGB codes starting with 99 that the Vektis register does not use for these kinds);
only the municipalities and their names are real. Runs on an empty database, in bulk, and is
deterministic: the same plan gives the same rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count
from typing import Final

from django.db import transaction

from kansrijk.geo.regions import corop
from kansrijk.web.accounts.models import Organisation
from kansrijk.web.accounts.roles import OrganisationType as OT  # noqa: N817 (short: used throughout)
from kansrijk.web.coalitions import menu
from kansrijk.web.coalitions.geo_sync import sync_from_geo
from kansrijk.web.coalitions.models import (
    Agreement,
    AgreementKind,
    AgreementLevel,
    CenteringTraining,
    CentreMunicipality,
    Coalition,
    CoalitionMunicipality,
    CoalitionPartner,
    CoalitionStatus,
    ImpulsApplication,
    Intervention,
    InterventionOffer,
    ItemKind,
    Municipality,
    OfferRole,
    PartnerDomain,
    PlanItem,
    PlanOfAction,
    PlanStatus,
    Scope,
    TargetEnd,
    TargetStart,
)
from kansrijk.web.demo_plan import SURVEY_DATES, DemoPlan, demo_plan

SEED: Final = 2021
AMSTERDAM: Final = "GM0363"
ROTTERDAM: Final = "GM0599"
#: The day the demo's registry is "as of" for partners and agreements.
AS_OF: Final = SURVEY_DATES[2021]
#: Kinds of fictitious organisations besides municipalities, practices and JGZ: name, how many.
OTHER_ORGANISATIONS: Final = {
    OT.GGD: ("GGD Regio", 6),
    OT.KRAAMZORG: ("Kraamzorgorganisatie", 6),
    OT.DISTRICT_TEAM: ("Wijkteam", 12),
    OT.DEBT_COUNSELLING: ("Schuldhulpverlening", 6),
    OT.GP: ("Huisartsenpraktijk", 8),
    OT.HOSPITAL: ("Verloskundig samenwerkingsverband (VSV)", 4),
    OT.WELFARE: ("Welzijnsorganisatie", 6),
    OT.COMMUNITY: ("Buurtnetwerk", 6),
    OT.LIVED_EXPERIENCE: ("Ervaringsdeskundigen", 3),
}
AGB_TYPES: Final = {OT.MIDWIFERY, OT.JGZ, OT.GGD, OT.KRAAMZORG, OT.GP, OT.HOSPITAL}
DOMAIN_OF: Final = {
    OT.MUNICIPALITY: PartnerDomain.MUNICIPAL_DEPARTMENT,
    OT.MIDWIFERY: PartnerDomain.MEDICAL,
    OT.JGZ: PartnerDomain.MEDICAL,
    OT.GGD: PartnerDomain.MEDICAL,
    OT.KRAAMZORG: PartnerDomain.MEDICAL,
    OT.GP: PartnerDomain.MEDICAL,
    OT.HOSPITAL: PartnerDomain.MEDICAL,
    OT.DISTRICT_TEAM: PartnerDomain.SOCIAL,
    OT.DEBT_COUNSELLING: PartnerDomain.SOCIAL,
    OT.WELFARE: PartnerDomain.SOCIAL,
    OT.COMMUNITY: PartnerDomain.COMMUNITY,
    OT.LIVED_EXPERIENCE: PartnerDomain.COMMUNITY,
}
#: Interventions a finished plan's activities put on offer in its municipalities. Those the
#: programme indicators count (NNZ, VoorZorg, CenteringOuderschap, PHB) come from the plan only.
PLAN_OFFERED: Final = frozenset(
    {
        menu.PRECONCEPTION_CARE,
        "healthy-pregnancy-4-all",
        "kraamzorg-op-maat",
        "rookvrije-start",
        "stevig-ouderschap",
        "samen-starten",
    }
)

GOALS: Final = (
    "Meer kinderen krijgen een kansrijke start in de eerste 1000 dagen.",
    "Minder kinderen worden te vroeg of te klein geboren.",
    "Aanstaande ouders in een kwetsbare situatie worden vroeg gezien en geholpen.",
    "Zwangeren en jonge ouders met schulden krijgen tijdig hulp.",
    "Minder onbedoelde zwangerschappen bij mensen in een kwetsbare situatie.",
)
AMBITIONS: Final = (
    "Elke zwangere krijgt een prenataal huisbezoek aangeboden.",
    "Geboortezorg en sociaal domein werken met één verwijsroute.",
    "Professionals kennen elkaar en weten elkaar te vinden.",
    "Ouders denken mee over het aanbod (ervaringsdeskundigheid).",
)
AGREEMENTS: Final = {
    AgreementKind.SIGNALLING: (
        "Signaleren van kwetsbaarheid in de zwangerschap",
        "Verloskundigen en kraamzorg gebruiken dezelfde signaleringslijst en bespreken zorgen "
        "met de zwangere.",
    ),
    AgreementKind.REFERRAL: (
        "Warme overdracht naar het wijkteam",
        "Bij zorgen over geld, wonen of veiligheid verwijzen partners met toestemming van de "
        "ouder door naar het wijkteam, dat binnen vijf werkdagen contact opneemt.",
    ),
    AgreementKind.DATA_SHARING: (
        "Gegevensdeling bij verwijzing",
        "Welke gegevens partners met toestemming delen bij een verwijzing, met wie en hoe lang "
        "ze worden bewaard.",
    ),
}


@dataclass
class _Orgs:
    """The demo's organisations, looked up the way coalitions and offers need them."""

    municipality: dict[str, Organisation] = field(default_factory=dict)
    practices: dict[int, Organisation] = field(default_factory=dict)
    practices_in: dict[str, list[Organisation]] = field(default_factory=dict)
    jgz: dict[int, Organisation] = field(default_factory=dict)
    jgz_of: dict[str, Organisation] = field(default_factory=dict)  # municipality -> JGZ
    other: dict[str, list[Organisation]] = field(default_factory=dict)  # type -> orgs


def _province_codes(municipalities: list[Municipality]) -> dict[str, list[str]]:
    """Province name -> sorted codes of its municipalities (2021 classification)."""
    out: dict[str, list[str]] = defaultdict(list)
    for m in sorted(municipalities, key=lambda m: m.code):
        out[m.province_name].append(m.code)
    return dict(sorted(out.items()))


def _organisations(plan: DemoPlan, municipalities: dict[str, Municipality]) -> _Orgs:
    """Create the fictitious organisations in one bulk insert."""
    agb = (f"99{n:06d}" for n in count(1))  # fictitious, unique
    in_2021 = [m for m in municipalities.values() if m.exists_on(date(2021, 1, 1))]
    provinces = _province_codes(in_2021)
    codes_2021 = sorted(m.code for m in in_2021)
    rows: list[Organisation] = []
    orgs = _Orgs()

    for m in sorted(municipalities.values(), key=lambda m: m.code):
        if m.valid_to is None or m.valid_to >= date(2021, 1, 1):
            org = Organisation(
                name=f"Gemeente {m.name}",
                type=OT.MUNICIPALITY,
                municipality_code=m.code,
                valid_from=m.valid_from,
                valid_to=m.valid_to,
            )
            orgs.municipality[m.code] = org
            rows.append(org)
    # Midwifery practices: fictitious names and AGB codes, spread over the municipalities.
    for practice in plan.practices:
        org = Organisation(
            name=f"Verloskundigenpraktijk {practice.number}",
            type=OT.MIDWIFERY,
            agb_code=next(agb),
            municipality_code=codes_2021[(practice.number * 37) % len(codes_2021)],
            valid_from=practice.valid_from,
            valid_to=practice.valid_to,
        )
        orgs.practices[practice.number] = org
        rows.append(org)
    # 36 JGZ organisations, three per province ("Noord", "Midden", "Zuid" by code order).
    number = 0
    for province, codes in provinces.items():
        for part, label in enumerate(("Noord", "Midden", "Zuid")):
            number += 1
            share = codes[part * len(codes) // 3 : (part + 1) * len(codes) // 3]
            org = Organisation(
                name=f"JGZ-organisatie {province} {label}",
                type=OT.JGZ,
                agb_code=next(agb),
                municipality_code=share[0],
            )
            orgs.jgz[number] = org
            orgs.jgz_of.update(dict.fromkeys(share, org))
            rows.append(org)
    if number != 36:
        raise AssertionError(f"{number} JGZ organisations, the plan has 36")
    province_list = list(provinces.values())
    for kind, (prefix, how_many) in OTHER_ORGANISATIONS.items():
        for n in range(1, how_many + 1):
            home = province_list[(n - 1) % len(province_list)]
            org = Organisation(
                name=f"{prefix} {n}",
                type=kind,
                agb_code=next(agb) if kind in AGB_TYPES else "",
                municipality_code=home[n % len(home)],
            )
            orgs.other.setdefault(kind, []).append(org)
            rows.append(org)
    Organisation.objects.bulk_create(rows)
    # Coalitions pick partners among the practices open throughout (the plan's 1-575).
    for practice in plan.practices:
        if practice.valid_from == date(2015, 1, 1) and practice.valid_to is None:
            org = orgs.practices[practice.number]
            orgs.practices_in.setdefault(org.municipality_code, []).append(org)
    return orgs


def _province_index(code: str, municipalities: dict[str, Municipality]) -> int:
    return sum(map(ord, municipalities[code].province_code))


def _pick(
    orgs: _Orgs, kind: str, code: str, municipalities: dict[str, Municipality]
) -> Organisation:
    """The organisation of ``kind`` serving municipality ``code`` (stable, by province)."""
    if kind == OT.JGZ:
        return orgs.jgz_of[code]
    if kind == OT.MIDWIFERY:
        local = orgs.practices_in.get(code)
        return local[0] if local else orgs.practices[1 + int(code[2:]) % 575]
    if kind == OT.MUNICIPALITY:
        return orgs.municipality[code]
    pool = orgs.other[kind]
    return pool[(_province_index(code, municipalities) + int(code[2:])) % len(pool)]


def _registries(plan: DemoPlan, interventions: dict[str, Intervention], orgs: _Orgs) -> None:
    """Impuls, centre municipalities, NNZ, VoorZorg, Centering and PHB offers from the plan."""
    ImpulsApplication.objects.bulk_create(
        ImpulsApplication(municipality_id=code, tranche=tranche, granted_on=granted)
        for code, (tranche, granted) in sorted(plan.impuls.items())
    )
    CentreMunicipality.objects.bulk_create(
        CentreMunicipality(municipality_id=code, valid_from=date(2015, 1, 1))
        for code in plan.centres
    )
    offers: list[InterventionOffer] = []
    nnz = interventions[menu.NU_NIET_ZWANGER]
    for code, (role, start) in sorted(plan.nnz.items()):
        offers.append(
            InterventionOffer(
                intervention=nnz,
                municipality_id=code,
                role=OfferRole.CENTRE if role == "centre" else OfferRole.JOINED,
                start=start,
                source="GGD GHOR Nederland (demo)",
            )
        )
    for code, start in sorted(plan.voorzorg.items()):
        offers.append(
            InterventionOffer(
                intervention=interventions[menu.VOORZORG],
                municipality_id=code,
                organisation=orgs.jgz_of.get(code),
                start=start,
                source="NCJ (demo)",
            )
        )
    for number, start in sorted(plan.centering_ouderschap.items()):
        offers.append(
            InterventionOffer(
                intervention=interventions[menu.CENTERING_PARENTING],
                organisation=orgs.jgz[number],
                start=start,
                source="Stichting Centering Nederland (demo)",
            )
        )
    trainings = []
    rng = random.Random(SEED)
    for practice in plan.practices:
        if practice.centering_trained_on is None:
            continue
        org = orgs.practices[practice.number]
        trainings.append(
            CenteringTraining(
                organisation=org,
                trained_on=practice.centering_trained_on,
                midwives=rng.randint(1, 3),
            )
        )
        offers.append(
            InterventionOffer(
                intervention=interventions[menu.CENTERING_PREGNANCY],
                municipality_id=org.municipality_code,
                organisation=org,
                start=practice.centering_trained_on,
                end=practice.valid_to + timedelta(days=1) if practice.valid_to else None,
                source="Stichting Centering Nederland (demo)",
            )
        )
    CenteringTraining.objects.bulk_create(trainings)
    # PHB-JGZ where the 2021 questionnaire says it is offered, since the first year it said so.
    answers = plan.answers
    for code, answer in sorted(answers[2021].items()):
        if answer["phb_offered"] != "yes":
            continue
        since = next(
            y for y in (2019, 2020, 2021) if answers[y].get(code, {}).get("phb_offered") == "yes"
        )
        offers.append(
            InterventionOffer(
                intervention=interventions[menu.PHB_JGZ],
                municipality_id=code,
                organisation=orgs.jgz_of.get(code),
                start=date(since, 1, 1),
                source="Vragenlijst gemeenten (demo)",
            )
        )
    offers.append(
        InterventionOffer(
            intervention=interventions["mothers-of-rotterdam"],
            municipality_id=ROTTERDAM,
            start=date(2016, 1, 1),
            source="Demo",
        )
    )
    for vsv in orgs.other[OT.HOSPITAL]:
        offers.append(
            InterventionOffer(
                intervention=interventions["pop-poli"],
                municipality_id=vsv.municipality_code,
                organisation=vsv,
                start=date(2017, 1, 1),
                source="Demo",
            )
        )
    InterventionOffer.objects.bulk_create(offers)


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _coalition_dates(
    plan: DemoPlan, code: str, status: str, rng: random.Random
) -> tuple[date, date | None]:
    """(preparing_since, formed_on) consistent with the lead municipality's answers."""
    answers = plan.answers
    said = {y: answers[y].get(code, {}).get("coalition_status") for y in (2019, 2020)}
    windows = {
        2019: (date(2018, 10, 1), SURVEY_DATES[2019] - timedelta(days=1)),
        2020: (SURVEY_DATES[2019] + timedelta(days=1), SURVEY_DATES[2020] - timedelta(days=1)),
        2021: (SURVEY_DATES[2020] + timedelta(days=1), SURVEY_DATES[2021] - timedelta(days=1)),
    }
    formed_on: date | None = None
    if status == CoalitionStatus.FORMED:
        year = next((y for y in (2019, 2020) if said[y] == "formed"), 2021)
        formed_on = _day_between(rng, *windows[year])
        year = next((y for y in (2019, 2020) if said[y] in ("formed", "preparing")), year)
        preparing = min(_day_between(rng, *windows[year]), formed_on - timedelta(days=60))
        return preparing, formed_on
    year = next((y for y in (2019, 2020) if said[y] in ("formed", "preparing")), 2021)
    return _day_between(rng, *windows[year]), None


@dataclass
class _Bulk:
    """Rows collected for one bulk insert per table."""

    memberships: list[CoalitionMunicipality] = field(default_factory=list)
    partners: list[CoalitionPartner] = field(default_factory=list)
    agreements: list[tuple[Agreement, list[Organisation]]] = field(default_factory=list)
    plans: list[tuple[PlanOfAction, list[PlanItem]]] = field(default_factory=list)
    offers: list[InterventionOffer] = field(default_factory=list)
    offered: set[tuple[str, str]] = field(default_factory=set)


def _groups(plan: DemoPlan, municipalities: dict[str, Municipality]) -> list[tuple[str, list[str]]]:
    """(status, member codes) per coalition: where four or more municipalities of a COROP area
    share coalition and plan status, three of them form a regional coalition; the rest are
    local."""
    answers = plan.answers[2021]
    status = {
        code: a["coalition_status"]
        for code, a in answers.items()
        if a["coalition_status"] in ("formed", "preparing") and code in municipalities
    }
    status[AMSTERDAM] = "formed"  # the rich example (see _amsterdam)
    areas = corop(2021)
    by_key: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for code in sorted(status):
        plan_status = answers.get(code, {}).get("plan_status") or "none"
        by_key[(areas.get(code, ""), status[code], plan_status)].append(code)
    out: list[tuple[str, list[str]]] = []
    for (_, state, _), codes in sorted(by_key.items()):
        rest = [c for c in codes if c != AMSTERDAM]
        if len(rest) >= 4:
            out.append((state, rest[:3]))
            rest = rest[3:]
        out.extend((state, [c]) for c in rest)
        if AMSTERDAM in codes:
            out.append((state, [AMSTERDAM]))
    return out


def _coalitions(
    plan: DemoPlan,
    interventions: dict[str, Intervention],
    orgs: _Orgs,
    municipalities: dict[str, Municipality],
) -> None:
    rng = random.Random(SEED)
    answers = plan.answers[2021]
    bulk = _Bulk()
    specs = []
    for state, members in _groups(plan, municipalities):
        lead = municipalities[members[0]]
        preparing, formed = _coalition_dates(plan, lead.code, state, rng)
        regional = len(members) > 1
        coalition = Coalition(
            name=f"Kansrijke Start {'regio ' if regional else ''}{lead.name}",
            scope=Scope.REGIONAL if regional else Scope.LOCAL,
            status=state,
            preparing_since=preparing,
            formed_on=formed,
        )
        specs.append((coalition, members))
    Coalition.objects.bulk_create([c for c, _ in specs])
    for coalition, members in specs:
        if members == [AMSTERDAM]:
            _amsterdam(coalition, interventions, orgs, municipalities, bulk)
            continue
        start = coalition.preparing_since or AS_OF
        for i, code in enumerate(members):
            joined = start + timedelta(days=90 * i) if i < 2 else start + timedelta(days=200)
            bulk.memberships.append(
                CoalitionMunicipality(
                    coalition=coalition, municipality_id=code, valid_from=min(joined, AS_OF)
                )
            )
        partners = _partners(coalition, members, start, orgs, municipalities, rng, bulk)
        _agreements(coalition, partners, rng, bulk)
        plan_status = answers.get(members[0], {}).get("plan_status")
        if plan_status in (PlanStatus.FINISHED, PlanStatus.IN_DEVELOPMENT):
            _plan(coalition, members, str(plan_status), interventions, rng, bulk)
    _flush(bulk)


def _partners(
    coalition: Coalition,
    members: list[str],
    start: date,
    orgs: _Orgs,
    municipalities: dict[str, Municipality],
    rng: random.Random,
    bulk: _Bulk,
) -> list[Organisation]:
    """4-8 current partners across the domains, sometimes with a former partner."""
    lead = members[0]
    chosen = [_pick(orgs, OT.MUNICIPALITY, code, municipalities) for code in members]
    chosen += [_pick(orgs, kind, lead, municipalities) for kind in (OT.MIDWIFERY, OT.JGZ)]
    chosen.append(_pick(orgs, OT.DISTRICT_TEAM, lead, municipalities))
    extras = [k for k in OTHER_ORGANISATIONS if k != OT.DISTRICT_TEAM]
    target = rng.randint(max(4, len(chosen)), 8)
    for kind in rng.sample(extras, target - len(chosen)):
        chosen.append(_pick(orgs, kind, lead, municipalities))
    for org in chosen:
        bulk.partners.append(
            CoalitionPartner(
                coalition=coalition,
                organisation=org,
                domain=DOMAIN_OF[OT(org.type)],
                valid_from=min(_day_between(rng, start, start + timedelta(days=120)), AS_OF),
            )
        )
    if rng.random() < 0.2:  # a partner that left again: history kept through its period
        former = _pick(orgs, rng.choice(extras), members[-1], municipalities)
        if former not in chosen:
            until = start + timedelta(days=rng.randint(120, 400))
            if until < AS_OF:
                bulk.partners.append(
                    CoalitionPartner(
                        coalition=coalition,
                        organisation=former,
                        domain=DOMAIN_OF[OT(former.type)],
                        valid_from=start,
                        valid_to=until,
                        note="Gestopt na reorganisatie (demo).",
                    )
                )
    return chosen


def _agreements(
    coalition: Coalition, partners: list[Organisation], rng: random.Random, bulk: _Bulk
) -> None:
    how_many = rng.randint(1, 3) if coalition.status == CoalitionStatus.FORMED else 1
    since = coalition.formed_on or coalition.preparing_since or AS_OF
    for kind in rng.sample(list(AgreementKind), how_many):
        title, description = AGREEMENTS[kind]
        agreement = Agreement(
            coalition=coalition,
            kind=kind,
            level=rng.choice(list(AgreementLevel)),
            title=title,
            description=description,
            agreed_on=min(_day_between(rng, since, since + timedelta(days=200)), AS_OF),
        )
        bulk.agreements.append((agreement, rng.sample(partners, min(3, len(partners)))))


def _plan(
    coalition: Coalition,
    members: list[str],
    status: str,
    interventions: dict[str, Intervention],
    rng: random.Random,
    bulk: _Bulk,
    adopted_on: date | None = None,
) -> None:
    """A plan of action with goals, ambitions and activities linked to interventions."""
    since = coalition.formed_on or coalition.preparing_since or AS_OF
    if status == PlanStatus.FINISHED and adopted_on is None:
        adopted_on = _day_between(rng, since, AS_OF - timedelta(days=1))
    plan = PlanOfAction(
        coalition=coalition,
        status=status,
        adopted_on=adopted_on if status == PlanStatus.FINISHED else None,
        target_age_from=rng.choice([TargetStart.PRECONCEPTION, TargetStart.PREGNANCY]),
        target_age_to=rng.choice([TargetEnd.TWO_YEARS, TargetEnd.TWO_YEARS, TargetEnd.FOUR_YEARS]),
    )
    items = [
        PlanItem(plan=plan, kind=ItemKind.GOAL, text=text, order=i)
        for i, text in enumerate(rng.sample(GOALS, 2), start=1)
    ]
    items += [
        PlanItem(plan=plan, kind=ItemKind.AMBITION, text=text, order=i)
        for i, text in enumerate(rng.sample(AMBITIONS, rng.randint(1, 2)), start=1)
    ]
    chosen = rng.sample(sorted(interventions), rng.randint(3, 5))
    for i, code in enumerate(chosen, start=1):
        intervention = interventions[code]
        items.append(
            PlanItem(
                plan=plan,
                kind=ItemKind.ACTIVITY,
                text=f"{intervention.name} invoeren of uitbreiden.",
                phase=intervention.phases[0],
                intervention=intervention,
                order=i,
            )
        )
        if adopted_on is not None and code in PLAN_OFFERED:
            for member in members:
                if (code, member) not in bulk.offered:
                    bulk.offered.add((code, member))
                    bulk.offers.append(
                        InterventionOffer(
                            intervention=intervention,
                            municipality_id=member,
                            start=adopted_on + timedelta(days=rng.randint(30, 180)),
                            source="Plan van aanpak (demo)",
                        )
                    )
    bulk.plans.append((plan, items))


def _amsterdam(
    coalition: Coalition,
    interventions: dict[str, Intervention],
    orgs: _Orgs,
    municipalities: dict[str, Municipality],
    bulk: _Bulk,
) -> None:
    """The rich example: partners in all four domains, every kind of agreement, a finished plan
    (adopted after the 2021 questionnaire, which still reported it in development)."""
    rng = random.Random(AMSTERDAM)
    coalition.notes = "Voorbeeldcoalitie met de volledige demo-inhoud."
    coalition.save(update_fields=["notes"])
    start = coalition.preparing_since or date(2019, 1, 1)
    bulk.memberships.append(
        CoalitionMunicipality(coalition=coalition, municipality_id=AMSTERDAM, valid_from=start)
    )
    kinds = [OT.MUNICIPALITY, OT.MIDWIFERY, OT.JGZ, OT.KRAAMZORG, OT.GGD, OT.HOSPITAL, OT.GP]
    kinds += [OT.DISTRICT_TEAM, OT.DEBT_COUNSELLING, OT.WELFARE, OT.COMMUNITY, OT.LIVED_EXPERIENCE]
    partners = [_pick(orgs, kind, AMSTERDAM, municipalities) for kind in kinds]
    for i, org in enumerate(partners):
        bulk.partners.append(
            CoalitionPartner(
                coalition=coalition,
                organisation=org,
                domain=DOMAIN_OF[OT(org.type)],
                valid_from=start + timedelta(days=30 * (i % 4)),
            )
        )
    former = orgs.practices[576]  # closed mid-2020 (see the demo plan)
    bulk.partners.append(
        CoalitionPartner(
            coalition=coalition,
            organisation=former,
            domain=PartnerDomain.MEDICAL,
            valid_from=start,
            valid_to=date(2020, 6, 30),
            note="Praktijk gesloten.",
        )
    )
    by_type = {org.type: org for org in partners}
    parties = {
        AgreementKind.SIGNALLING: [OT.MIDWIFERY, OT.KRAAMZORG, OT.JGZ, OT.HOSPITAL],
        AgreementKind.REFERRAL: [OT.MIDWIFERY, OT.DISTRICT_TEAM, OT.DEBT_COUNSELLING],
        AgreementKind.DATA_SHARING: [OT.MUNICIPALITY, OT.JGZ, OT.DISTRICT_TEAM],
    }
    levels = {
        AgreementKind.SIGNALLING: AgreementLevel.PRACTICE,
        AgreementKind.REFERRAL: AgreementLevel.POLICY,
        AgreementKind.DATA_SHARING: AgreementLevel.GOVERNANCE,
    }
    agreed = coalition.formed_on or start
    for i, kind in enumerate(AgreementKind):
        title, description = AGREEMENTS[kind]
        bulk.agreements.append(
            (
                Agreement(
                    coalition=coalition,
                    kind=kind,
                    level=levels[kind],
                    title=title,
                    description=description,
                    agreed_on=min(agreed + timedelta(days=45 * i), AS_OF),
                ),
                [by_type[t] for t in parties[kind]],
            )
        )
    _plan(coalition, [AMSTERDAM], PlanStatus.FINISHED, interventions, rng, bulk, date(2021, 11, 15))
    plan, items = bulk.plans[-1]
    plan.target_age_from, plan.target_age_to = TargetStart.PRECONCEPTION, TargetEnd.TWO_YEARS
    items.append(
        PlanItem(
            plan=plan,
            kind=ItemKind.GOAL,
            text="Elk kind in Amsterdam krijgt een kansrijke start, ongeacht waar het opgroeit.",
            order=0,
        )
    )
    for code, phase in ((menu.NU_NIET_ZWANGER, "before"), (menu.PHB_JGZ, "during")):
        if not any(item.intervention_id == interventions[code].pk for item in items):
            items.append(
                PlanItem(
                    plan=plan,
                    kind=ItemKind.ACTIVITY,
                    text=f"{interventions[code].name} samen met de partners uitvoeren.",
                    phase=phase,
                    intervention=interventions[code],
                    order=len(items) + 1,
                )
            )


def _flush(bulk: _Bulk) -> None:
    CoalitionMunicipality.objects.bulk_create(bulk.memberships)
    CoalitionPartner.objects.bulk_create(bulk.partners)
    Agreement.objects.bulk_create([a for a, _ in bulk.agreements])
    through = Agreement.parties.through
    through.objects.bulk_create(
        through(agreement_id=agreement.pk, organisation_id=org.pk)
        for agreement, parties in bulk.agreements
        for org in dict.fromkeys(parties)
    )
    PlanOfAction.objects.bulk_create([p for p, _ in bulk.plans])
    PlanItem.objects.bulk_create([item for _, items in bulk.plans for item in items])
    InterventionOffer.objects.bulk_create(bulk.offers)


@transaction.atomic
def load(plan: DemoPlan | None = None) -> None:
    """Fill an empty registry with the demo (see the module docstring)."""
    if Coalition.objects.exists() or Organisation.objects.exists():
        raise RuntimeError("the coalition demo loads into an empty database only")
    plan = plan or demo_plan()
    sync_from_geo()
    interventions = menu.load_menu()
    municipalities = {m.code: m for m in Municipality.objects.all()}
    orgs = _organisations(plan, municipalities)
    _registries(plan, interventions, orgs)
    _coalitions(plan, interventions, orgs, municipalities)

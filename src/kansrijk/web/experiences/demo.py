"""A small demo study round (after the coalition and account demos): a second monitor analyst
("onderzoeker", so that two researchers can code and approve), one round with a group
interview of the Amsterdam coalition and an interview with an expert by experience, coded by
both researchers, with a consensus and three approved quotes, so that ``make demo``'s
factsheet and Amsterdam's local report show the "Ervaringen" section. Fictitious texts,
already pseudonymised; no names."""

from __future__ import annotations

from datetime import date

from kansrijk.web.accounts.demo import DEMO_PASSWORD
from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import Role
from kansrijk.web.coalitions.models import Coalition
from kansrijk.web.experiences import services
from kansrijk.web.experiences.models import Session, SessionKind, SessionMode, StudyRound

ROUND = "Monitor 2021 (demo)"
SECOND_RESEARCHER = "onderzoeker"

GROUP = (
    "Interviewer: Wat heeft de coalitie veranderd?\n"
    "[P01 Projectleider Lokale Coalitie]: Sinds we elke maand met de verloskundigen en het "
    "wijkteam overleggen, weten we elkaar veel sneller te vinden.\n"
    "[P02 Zorgverlener]: Na de impulsgelden is onduidelijk wie de coördinatie betaalt.\n"
    "Interviewer: Dank jullie wel."
)
INTERVIEW = (
    "Interviewer: Hoe was het voor u?\n"
    "[P03 Ervaringsdeskundige]: Ze vroegen eindelijk wat wij als moeders nodig hadden, en daar "
    "deden ze ook echt iets mee.\n"
    "Interviewer: Dank u wel."
)
#: (transcript, fragment, theme, quote)
QUOTES = (
    (
        0,
        "Sinds we elke maand met de verloskundigen en het wijkteam overleggen, weten we elkaar "
        "veel sneller te vinden.",
        "Samenwerking",
        "Sinds we elke maand met de verloskundigen en het wijkteam overleggen, weten we elkaar "
        "veel sneller te vinden.",
    ),
    (
        0,
        "Na de impulsgelden is onduidelijk wie de coördinatie betaalt.",
        "Bekostiging & financiering",
        "Na de impulsgelden is onduidelijk wie de coördinatie betaalt.",
    ),
    (
        1,
        "Ze vroegen eindelijk wat wij als moeders nodig hadden, en daar deden ze ook echt iets "
        "mee.",
        "Betrokkenheid (aanstaande) ouders",
        "Ze vroegen eindelijk wat wij als moeders nodig hadden, en daar deden ze ook echt iets "
        "mee.",
    ),
)


def _researcher() -> User:
    existing = User.objects.filter(username=SECOND_RESEARCHER).first()
    if existing is not None:
        return existing
    user = User(
        username=SECOND_RESEARCHER,
        first_name="Onno",
        last_name="Derzoek",
        email=f"{SECOND_RESEARCHER}@example.org",
        role=Role.MONITOR_ANALYST,
        organisation=Organisation.objects.get(name="RIVM"),
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def load() -> str | None:
    """Create the demo round (idempotent); returns the second researcher's username, or None
    when the accounts demo has no monitor analyst."""
    first = User.objects.filter(username="analist").first()
    if first is None:
        return None
    second = _researcher()
    if StudyRound.objects.filter(name=ROUND).exists():
        return second.username
    round_ = services.create_round(first, ROUND, date(2031, 12, 31), "Demo: fictieve gesprekken.")
    services.add_researcher(round_, second, first)
    amsterdam = Coalition.objects.filter(municipalities__code="GM0363").first()
    group = Session.objects.create(
        round=round_,
        label="Groepsgesprek coalitie",
        kind=SessionKind.GROUP,
        held_on=date(2021, 10, 12),
        mode=SessionMode.ONLINE,
    )
    interview = Session.objects.create(
        round=round_,
        label="Interview ervaringsdeskundige",
        kind=SessionKind.INDIVIDUAL,
        held_on=date(2021, 11, 2),
        mode=SessionMode.ONLINE,
    )
    for session, kind in (
        (group, "project_leader"),
        (group, "care_provider"),
        (interview, "expert_by_experience"),
    ):
        services.add_respondent(
            session,
            first,
            stakeholder_type=kind,
            organisation=None,
            coalition=amsterdam if session == group else None,
            recording=True,
            anonymous_use=True,
            quoting=True,
        )
    transcripts = [
        services.store(s, first, title=s.label, source_format="text", raw=raw, replacements={})
        for s, raw in ((group, GROUP), (interview, INTERVIEW))
    ]
    codes = {c.name: c for c in services.codes_of(round_)}
    fragments = [
        (services.add_fragment(transcripts[t], first, fragment), codes[theme], quote)
        for t, fragment, theme, quote in QUOTES
    ]
    for transcript in transcripts:
        for coder in (first, second):
            for fragment, code, _ in fragments:
                if fragment.transcript_id == transcript.pk:
                    services.set_codes(fragment, coder, [code])
            services.mark_done(transcript, coder)
        services.record_consensus(
            transcript,
            second,
            {f.pk: [code] for f, code, _ in fragments if f.transcript_id == transcript.pk},
        )
    for fragment, code, quote in fragments:
        fragment.refresh_from_db()
        services.approve_quote(services.propose_quote(fragment, first, code, quote), second)
    return second.username

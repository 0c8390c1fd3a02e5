"""The question sets of the editions 2019-2022 as data, and ``install_question_set``.

RIVM publishes what it concluded from its questionnaire (see the 2021 monitor) but not the
questionnaire itself, so most wording here is ours and marked ``assumed``. What is published and
therefore not assumed: the coalition categories (formed / in preparation or in talks / none),
the plan of action categories (finished / in development), the PHB-JGZ timing bands (<15, 15-20,
20-25, >25 weeks) and the partners named in the monitor. Editions differ as the monitor
describes: the corona questions only in 2020 and 2021, community partners from 2021, agreements
with birth care about the PHB-JGZ from 2021, the Integraal Zorgakkoord and GALA from 2022.

The codes ``coalition_status``, ``plan_status`` and ``phb_offered`` (and their option codes)
are the same in every edition: the programme indicators depend on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from kansrijk.web.survey.models import (
    Option,
    Question,
    QuestionKind,
    QuestionSet,
    QuestionSetStatus,
    Section,
)

EDITIONS: Final = (2019, 2020, 2021, 2022)
ALL: Final = frozenset(EDITIONS)
#: The questionnaire's reference date (peildatum). 2021 is published; the others ASSUMED
#: (2019-2021 equal ``kansrijk.web.demo_plan.SURVEY_DATES``).
REFERENCE_DATES: Final = {
    2019: date(2019, 9, 15),
    2020: date(2020, 9, 15),
    2021: date(2021, 9, 20),
    2022: date(2022, 9, 19),
}


def since(first: int) -> frozenset[int]:
    return frozenset(e for e in EDITIONS if e >= first)


@dataclass(frozen=True)
class Opt:
    """An answer option: code, Dutch and English label."""

    code: str
    nl: str
    en: str
    assumed: bool = True
    editions: frozenset[int] = ALL


@dataclass(frozen=True)
class Ask:
    """A question as data; see ``kansrijk.web.survey.models.Question`` for the fields."""

    code: str
    kind: str
    nl: str
    en: str
    options: tuple[Opt, ...] = ()
    help_nl: str = ""
    help_en: str = ""
    required: bool = False
    impuls_only: bool = False
    assumed: bool = True
    show_if: tuple[str, tuple[str, ...]] | None = None
    min_value: int | None = None
    max_value: int | None = None
    editions: frozenset[int] = ALL


@dataclass(frozen=True)
class Part:
    code: str
    nl: str
    en: str
    questions: tuple[Ask, ...]
    editions: frozenset[int] = ALL


YES_NO: Final = (Opt("yes", "Ja", "Yes", assumed=False), Opt("no", "Nee", "No", assumed=False))


def _scale(low_nl: str, low_en: str, high_nl: str, high_en: str) -> tuple[Opt, ...]:
    """Options 1-5 of a scale question; only the ends carry words."""
    labels = {1: (f"1 - {low_nl}", f"1 - {low_en}"), 5: (f"5 - {high_nl}", f"5 - {high_en}")}
    return tuple(Opt(str(n), *labels.get(n, (str(n), str(n)))) for n in range(1, 6))


APPRECIATION: Final = _scale(
    "zeer ontevreden", "very dissatisfied", "zeer tevreden", "very satisfied"
)

MEDICAL: Final = (
    Opt("midwives", "Verloskundigen", "Midwives", assumed=False),
    Opt("kraamzorg", "Kraamzorg", "Maternity care (kraamzorg)", assumed=False),
    Opt(
        "gynaecologists",
        "Ziekenhuis / gynaecologen (VSV)",
        "Hospital / gynaecologists (obstetric partnership)",
        assumed=False,
    ),
    Opt("gps", "Huisartsen", "General practitioners", assumed=False),
    Opt("ggz", "GGZ (geestelijke gezondheidszorg)", "Mental health care (GGZ)", assumed=False),
    Opt("health_insurer", "Zorgverzekeraar", "Health insurer", assumed=False),
)
SOCIAL: Final = (
    Opt("jgz", "Jeugdgezondheidszorg (JGZ)", "Youth health care (JGZ)", assumed=False),
    Opt("ggd", "GGD", "Municipal public health service (GGD)", assumed=False),
    Opt("district_teams", "Wijkteams / sociale teams", "District or social teams", assumed=False),
    Opt("debt_counselling", "Schuldhulpverlening", "Debt counselling", assumed=False),
    Opt("welfare", "Welzijn", "Welfare organisations", assumed=False),
    Opt("housing", "Huisvesting / woningcorporaties", "Housing", assumed=False),
    Opt("work_income", "Werk en inkomen", "Work and income", assumed=False),
    Opt("youth_care", "Jeugdhulp", "Youth care"),
)
COMMUNITY_EDITIONS: Final = since(2021)
COMMUNITY: Final = (
    Opt(
        "lived_experience",
        "Ervaringsdeskundigen",
        "Lived-experience experts",
        assumed=False,
        editions=COMMUNITY_EDITIONS,
    ),
    Opt(
        "self_help",
        "Zelfhulporganisaties",
        "Self-help organisations",
        assumed=False,
        editions=COMMUNITY_EDITIONS,
    ),
    Opt(
        "volunteers",
        "Vrijwilligersorganisaties",
        "Volunteer organisations",
        assumed=False,
        editions=COMMUNITY_EDITIONS,
    ),
    Opt(
        "faith_migrant",
        "Migranten- of levensbeschouwelijke organisaties",
        "Migrant or faith organisations",
        editions=COMMUNITY_EDITIONS,
    ),
)
MUNICIPAL: Final = (
    Opt("dept_public_health", "Afdeling publieke gezondheid", "Public health department"),
    Opt("dept_youth", "Afdeling jeugd", "Youth department"),
    Opt("dept_social_support", "Afdeling Wmo / maatschappelijke ondersteuning", "Social support"),
    Opt("dept_income", "Afdeling werk, inkomen en schulden", "Work, income and debts department"),
)
PARTNER_HELP_NL: Final = "Kruis alle partijen aan waarmee u in overleg bent over Kansrijke Start."
PARTNER_HELP_EN: Final = "Tick every party you are in consultation with about Kansrijke Start."

INTERVENTIONS: Final = (
    Opt("nu_niet_zwanger", "Nu Niet Zwanger", "Nu Niet Zwanger (Not Pregnant Now)", assumed=False),
    Opt("preconception_care", "Preconceptiezorg", "Preconception care"),
    Opt("centering_zwangerschap", "CenteringZwangerschap", "CenteringPregnancy", assumed=False),
    Opt(
        "phb_jgz",
        "Prenataal huisbezoek door de JGZ",
        "Prenatal home visit by JGZ",
        assumed=False,
    ),
    Opt("voorzorg", "VoorZorg", "VoorZorg (nurse home visiting)", assumed=False),
    Opt("stevig_ouderschap", "Stevig Ouderschap", "Stevig Ouderschap", assumed=False),
    Opt("centering_ouderschap", "CenteringOuderschap", "CenteringParenting", assumed=False),
    Opt("pop_poli", "POP-poli", "POP clinic (psychiatry, obstetrics, paediatrics)"),
    Opt("other", "Anders", "Other"),
)

SECTIONS: Final[tuple[Part, ...]] = (
    Part(
        "coalition",
        "Lokale of regionale coalitie",
        "Local or regional coalition",
        (
            Ask(
                "coalition_status",
                QuestionKind.SINGLE,
                "Heeft uw gemeente een lokale of regionale coalitie Kansrijke Start gevormd?",
                "Has your municipality formed a local or regional Kansrijke Start coalition?",
                (
                    Opt("none", "Nee, geen coalitie", "No coalition", assumed=False),
                    Opt(
                        "preparing",
                        "Coalitie in voorbereiding of hierover in gesprek",
                        "Coalition in preparation or in talks",
                        assumed=False,
                    ),
                    Opt("formed", "Ja, coalitie gevormd", "Yes, coalition formed", assumed=False),
                ),
                help_nl=(
                    "In een coalitie maken gemeente en professionals uit het medische en sociale"
                    " domein afspraken over de eerste 1000 dagen."
                ),
                help_en=(
                    "In a coalition the municipality and professionals from the medical and"
                    " social domain make agreements about the first 1000 days."
                ),
                required=True,
                impuls_only=True,
            ),
            Ask(
                "coalition_scope",
                QuestionKind.SINGLE,
                "Is de coalitie lokaal of regionaal?",
                "Is the coalition local or regional?",
                (
                    Opt("local", "Lokaal (alleen onze gemeente)", "Local (our municipality only)"),
                    Opt(
                        "regional",
                        "Regionaal (samen met andere gemeenten)",
                        "Regional (with other municipalities)",
                    ),
                ),
                show_if=("coalition_status", ("preparing", "formed")),
            ),
            Ask(
                "coalition_formed_on",
                QuestionKind.DATE,
                "Sinds wanneer bestaat de coalitie?",
                "Since when has the coalition existed?",
                help_nl="Bij benadering is goed, bijvoorbeeld de eerste dag van de maand.",
                help_en="An approximate date is fine, e.g. the first day of the month.",
                show_if=("coalition_status", ("formed",)),
            ),
        ),
    ),
    Part(
        "partners",
        "Samenwerkingspartners",
        "Partners",
        (
            Ask(
                "partners_medical",
                QuestionKind.MULTIPLE,
                "Met welke partijen uit het medische domein bent u in overleg?",
                "Which parties from the medical domain are you in consultation with?",
                MEDICAL,
                help_nl=PARTNER_HELP_NL,
                help_en=PARTNER_HELP_EN,
            ),
            Ask(
                "partners_social",
                QuestionKind.MULTIPLE,
                "Met welke partijen uit het sociale domein bent u in overleg?",
                "Which parties from the social domain are you in consultation with?",
                SOCIAL,
                help_nl=PARTNER_HELP_NL,
                help_en=PARTNER_HELP_EN,
            ),
            Ask(
                "partners_community",
                QuestionKind.MULTIPLE,
                "Met welke partijen uit de community bent u in overleg?",
                "Which community parties are you in consultation with?",
                COMMUNITY,
                help_nl=PARTNER_HELP_NL,
                help_en=PARTNER_HELP_EN,
                editions=COMMUNITY_EDITIONS,
            ),
            Ask(
                "partners_municipal",
                QuestionKind.MULTIPLE,
                "Welke afdelingen binnen de gemeente zijn betrokken?",
                "Which departments of the municipality are involved?",
                MUNICIPAL,
            ),
            Ask(
                "partners_wished",
                QuestionKind.MULTIPLE,
                "Met welke partijen die nu nog niet betrokken zijn, wilt u graag in overleg?",
                "Which parties that are not yet involved would you like to consult?",
                MEDICAL + SOCIAL + COMMUNITY,
            ),
        ),
    ),
    Part(
        "plan",
        "Plan van aanpak en beleid",
        "Plan of action and policy",
        (
            Ask(
                "plan_status",
                QuestionKind.SINGLE,
                "Heeft uw gemeente met samenwerkingspartners een gezamenlijk plan van aanpak"
                " Kansrijke Start?",
                "Does your municipality have a joint Kansrijke Start plan of action with its"
                " partners?",
                (
                    Opt("none", "Nee", "No", assumed=False),
                    Opt(
                        "in_development",
                        "Ja, in ontwikkeling",
                        "Yes, in development",
                        assumed=False,
                    ),
                    Opt("finished", "Ja, afgerond", "Yes, finished", assumed=False),
                ),
                required=True,
                impuls_only=True,
            ),
            Ask(
                "goals",
                QuestionKind.TEXT,
                "Wat zijn de belangrijkste doelen en ambities van uw aanpak?",
                "What are the main goals and ambitions of your approach?",
            ),
            Ask(
                "target_age_range",
                QuestionKind.SINGLE,
                "Op welke periode richt uw aanpak zich?",
                "Which period does your approach cover?",
                (
                    Opt(
                        "preconception_to_2",
                        "Van voor de zwangerschap tot 2 jaar (eerste 1000 dagen)",
                        "From before pregnancy to age 2 (first 1000 days)",
                    ),
                    Opt(
                        "pregnancy_to_2",
                        "Van de zwangerschap tot 2 jaar",
                        "From pregnancy to age 2",
                    ),
                    Opt(
                        "preconception_to_4",
                        "Van voor de zwangerschap tot 4 jaar",
                        "From before pregnancy to age 4",
                    ),
                    Opt("longer", "Tot 4 jaar of langer", "To age 4 or beyond"),
                    Opt("other", "Anders", "Other"),
                ),
            ),
            Ask(
                "policy_framework",
                QuestionKind.MULTIPLE,
                "Van welk breder beleidskader maakt de aanpak Kansrijke Start deel uit?",
                "Which broader policy framework is the Kansrijke Start approach part of?",
                (
                    Opt("local_health_policy", "Lokale gezondheidsnota", "Local health policy"),
                    Opt("youth_policy", "Jeugdbeleid", "Youth policy"),
                    Opt("social_domain", "Beleid sociaal domein", "Social domain policy"),
                    Opt("poverty_debt", "Armoede- en schuldenbeleid", "Poverty and debt policy"),
                    Opt(
                        "prevention_agreement",
                        "Lokaal of regionaal preventieakkoord",
                        "Local or regional prevention agreement",
                    ),
                    Opt(
                        "iza",
                        "Integraal Zorgakkoord (regioplan)",
                        "Integrated Care Agreement (IZA, regional plan)",
                        editions=since(2022),
                    ),
                    Opt(
                        "gala",
                        "Gezond en Actief Leven Akkoord (GALA)",
                        "Healthy and Active Living Agreement (GALA)",
                        editions=since(2022),
                    ),
                    Opt(
                        "standalone", "Geen: een zelfstandige aanpak", "None: a standalone approach"
                    ),
                    Opt("other", "Anders", "Other"),
                ),
            ),
        ),
    ),
    Part(
        "phb",
        "Prenataal huisbezoek door de jeugdgezondheidszorg",
        "Prenatal home visit by youth health care (PHB-JGZ)",
        (
            Ask(
                "phb_offered",
                QuestionKind.YES_NO,
                "Voert de jeugdgezondheidszorg in uw gemeente prenatale huisbezoeken uit?",
                "Does youth health care (JGZ) carry out prenatal home visits in your municipality?",
                YES_NO,
            ),
            Ask(
                "phb_timing",
                QuestionKind.MULTIPLE,
                "In welke week van de zwangerschap vindt het prenataal huisbezoek plaats?",
                "In which week of pregnancy does the prenatal home visit take place?",
                (
                    Opt("lt15", "Voor de 15e week", "Before week 15", assumed=False),
                    Opt("w15_20", "Week 15 tot 20", "Weeks 15 to 20", assumed=False),
                    Opt("w20_25", "Week 20 tot 25", "Weeks 20 to 25", assumed=False),
                    Opt("gt25", "Na de 25e week", "After week 25", assumed=False),
                ),
                help_nl="Meerdere antwoorden mogelijk.",
                help_en="More than one answer is possible.",
                required=True,
                show_if=("phb_offered", ("yes",)),
            ),
            Ask(
                "phb_tailored",
                QuestionKind.SINGLE,
                "Aan wie wordt het prenataal huisbezoek aangeboden?",
                "To whom is the prenatal home visit offered?",
                (
                    Opt(
                        "tailored",
                        "Als maatwerk aan gezinnen in een kwetsbare situatie",
                        "Tailored, to families in a vulnerable situation",
                        assumed=False,
                    ),
                    Opt(
                        "standard",
                        "Standaard aan alle zwangeren",
                        "As standard, to all pregnant women",
                        assumed=False,
                    ),
                ),
                show_if=("phb_offered", ("yes",)),
            ),
            Ask(
                "phb_agreements",
                QuestionKind.YES_NO,
                "Zijn er afspraken met professionals in de geboortezorg over het prenataal"
                " huisbezoek?",
                "Are there agreements with birth care professionals about the prenatal home visit?",
                YES_NO,
                help_nl=(
                    "Bijvoorbeeld over het signaleren door verloskundigen of een gezamenlijk"
                    " huisbezoek met de kraamzorg."
                ),
                help_en=(
                    "For example about referrals by midwives or a joint visit with maternity care."
                ),
                show_if=("phb_offered", ("yes",)),
                editions=since(2021),
            ),
            Ask(
                "phb_count",
                QuestionKind.NUMBER,
                "Hoeveel prenatale huisbezoeken heeft de JGZ het afgelopen jaar ongeveer"
                " uitgevoerd?",
                "About how many prenatal home visits did JGZ carry out in the past year?",
                help_nl="Laat leeg als u het niet weet.",
                help_en="Leave empty if you do not know.",
                show_if=("phb_offered", ("yes",)),
                min_value=0,
                max_value=100_000,
            ),
        ),
    ),
    Part(
        "monitoring",
        "Startfoto en monitoring",
        "Start photo and monitoring",
        (
            Ask(
                "start_photo",
                QuestionKind.SINGLE,
                "Heeft uw gemeente een startfoto gemaakt van de situatie rond de eerste 1000"
                " dagen?",
                "Has your municipality made a start photo of the first 1000 days?",
                (
                    Opt("yes", "Ja", "Yes"),
                    Opt("in_progress", "Hier wordt aan gewerkt", "In progress"),
                    Opt("no", "Nee", "No"),
                ),
            ),
            Ask(
                "progress_monitoring",
                QuestionKind.SINGLE,
                "Volgt u de voortgang van de aanpak (monitoring)?",
                "Do you monitor the progress of the approach?",
                (
                    Opt("yes", "Ja", "Yes"),
                    Opt("planned", "Dat is gepland", "Planned"),
                    Opt("no", "Nee", "No"),
                ),
            ),
        ),
    ),
    Part(
        "corona",
        "Invloed van corona",
        "Influence of corona",
        (
            Ask(
                "corona_influence",
                QuestionKind.SCALE,
                "In hoeverre heeft de coronapandemie de uitvoering van Kansrijke Start beïnvloed?",
                "To what extent has the corona pandemic affected the implementation of"
                " Kansrijke Start?",
                _scale("helemaal niet", "not at all", "heel sterk", "very much"),
                min_value=1,
                max_value=5,
            ),
            Ask(
                "corona_explanation",
                QuestionKind.TEXT,
                "Kunt u dit toelichten?",
                "Can you explain?",
            ),
        ),
        editions=frozenset({2020, 2021}),
    ),
    Part(
        "interventions",
        "Interventies",
        "Interventions",
        (
            Ask(
                "interventions",
                QuestionKind.MULTIPLE,
                "Welke interventies worden in uw gemeente aangeboden?",
                "Which interventions are offered in your municipality?",
                INTERVENTIONS,
            ),
            Ask(
                "interventions_other",
                QuestionKind.TEXT,
                "Welke andere interventies?",
                "Which other interventions?",
                show_if=("interventions", ("other",)),
            ),
        ),
    ),
    Part(
        "support",
        "Ondersteuning door het programma",
        "Support from the programme",
        (
            Ask(
                "support_website_used",
                QuestionKind.YES_NO,
                "Heeft u de programmawebsite kansrijkestartnl.nl gebruikt?",
                "Have you used the programme website kansrijkestartnl.nl?",
                YES_NO,
            ),
            Ask(
                "support_website_rating",
                QuestionKind.SCALE,
                "Hoe tevreden bent u over de website?",
                "How satisfied are you with the website?",
                APPRECIATION,
                show_if=("support_website_used", ("yes",)),
                min_value=1,
                max_value=5,
            ),
            Ask(
                "support_pharos_used",
                QuestionKind.YES_NO,
                "Heeft u ondersteuning gehad van een adviseur van Pharos?",
                "Have you had support from a Pharos adviser?",
                YES_NO,
            ),
            Ask(
                "support_pharos_rating",
                QuestionKind.SCALE,
                "Hoe tevreden bent u over de ondersteuning door Pharos?",
                "How satisfied are you with the support from Pharos?",
                APPRECIATION,
                show_if=("support_pharos_used", ("yes",)),
                min_value=1,
                max_value=5,
            ),
            Ask(
                "support_wishes",
                QuestionKind.TEXT,
                "Welke ondersteuning zou u (nog) willen?",
                "What (further) support would you like?",
            ),
        ),
    ),
)


def sections(edition: int) -> list[tuple[Part, list[tuple[Ask, list[Opt]]]]]:
    """The sections, questions and options asked in ``edition``."""
    if edition not in EDITIONS:
        raise ValueError(f"no question set for edition {edition}; known: {EDITIONS}")
    out = []
    for section in SECTIONS:
        if edition not in section.editions:
            continue
        questions = [
            (q, [o for o in q.options if edition in o.editions])
            for q in section.questions
            if edition in q.editions
        ]
        out.append((section, questions))
    return out


def codes(edition: int) -> list[str]:
    """Question codes of ``edition`` in questionnaire order."""
    return [q.code for _s, qs in sections(edition) for q, _o in qs]


def _check(edition: int) -> None:
    """Conditions point at an earlier choice question of the same edition, with real options."""
    seen: dict[str, set[str]] = {}
    for _section, questions in sections(edition):
        for q, options in questions:
            if q.code in seen:
                raise ValueError(f"{edition}: duplicate question code {q.code}")
            if q.show_if is not None:
                parent, values = q.show_if
                if parent not in seen or not set(values) <= seen[parent]:
                    raise ValueError(f"{edition}: {q.code} depends on unknown {q.show_if}")
            seen[q.code] = {o.code for o in options}


def install_question_set(edition: int, status: str = QuestionSetStatus.DRAFT) -> QuestionSet:
    """Create the question set of ``edition`` from the data above.

    An edition that is installed already is returned unchanged (its wording is edited in the
    admin, with history): answers must keep meaning what they meant when they were given.
    Questions and options get a first history record, so later edits show as differences.
    """
    existing = QuestionSet.objects.filter(edition=edition).first()
    if existing is not None:
        return existing
    _check(edition)
    reference = REFERENCE_DATES[edition]
    with transaction.atomic():
        question_set = QuestionSet.objects.create(
            edition=edition,
            title_nl=f"Vragenlijst gemeenten Kansrijke Start {edition}",
            title_en=f"Kansrijke Start municipal questionnaire {edition}",
            reference_date=reference,
            opens_on=reference - timedelta(days=21),  # ASSUMED: three weeks before
            closes_on=reference + timedelta(days=42),  # ASSUMED: six weeks after
            status=status,
        )
        if status == QuestionSetStatus.OPEN:
            # Opened after its assumed closing date (a late install, the demo): six more weeks.
            question_set.keep_open_for()
            question_set.save(update_fields=["closes_on"])
        data = sections(edition)
        section_rows = Section.objects.bulk_create(
            Section(
                question_set=question_set,
                code=s.code,
                order=i,
                title_nl=s.nl,
                title_en=s.en,
            )
            for i, (s, _qs) in enumerate(data, start=1)
        )
        question_rows: list[Question] = []
        for section_row, (_s, questions) in zip(section_rows, data, strict=True):
            for i, (q, _options) in enumerate(questions, start=1):
                question_rows.append(
                    Question(
                        question_set=question_set,
                        section=section_row,
                        code=q.code,
                        order=i,
                        kind=q.kind,
                        text_nl=q.nl,
                        text_en=q.en,
                        help_nl=q.help_nl,
                        help_en=q.help_en,
                        required=q.required,
                        impuls_only=q.impuls_only,
                        assumed=q.assumed,
                        show_if_question=q.show_if[0] if q.show_if else "",
                        show_if_values=list(q.show_if[1]) if q.show_if else [],
                        min_value=q.min_value,
                        max_value=q.max_value,
                    )
                )
        question_rows = bulk_create_with_history(question_rows, Question)
        options = [o for _s, qs in data for _q, o in qs]
        option_rows = [
            Option(
                question=row,
                code=o.code,
                order=i,
                label_nl=o.nl,
                label_en=o.en,
                assumed=o.assumed,
            )
            for row, opts in zip(question_rows, options, strict=True)
            for i, o in enumerate(opts, start=1)
        ]
        bulk_create_with_history(option_rows, Option)
    return question_set


def install_all(open_edition: int | None = None, editions: Iterable[int] = EDITIONS) -> None:
    """Install every edition; ``open_edition`` open, earlier ones closed, later ones draft."""
    for edition in editions:
        if open_edition is None or edition > open_edition:
            status = QuestionSetStatus.DRAFT
        elif edition == open_edition:
            status = QuestionSetStatus.OPEN
        else:
            status = QuestionSetStatus.CLOSED
        question_set = install_question_set(edition, status)
        if question_set.status != status:
            question_set.status = status
            if status == QuestionSetStatus.OPEN:
                question_set.keep_open_for()
            question_set.save(update_fields=["status", "closes_on"])

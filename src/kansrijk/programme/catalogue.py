"""The programme indicators 1-6 and 9 of the 2019 set (editions 2019-2023), as frozen data.

Texts follow RIVM's "Monitor Kansrijke Start 2021" ("Berekening indicator"). Where the text is
open to more than one reading, the choice made here is written into the definition's ``notes``
(and so into its hash).
"""

from __future__ import annotations

from typing import Final

from kansrijk.indicators import Phase
from kansrijk.indicators.catalogue import SET_2019_EDITIONS
from kansrijk.programme.model import (
    STATUS,
    UNKNOWN,
    CoalitionStatus,
    Figure,
    PlanStatus,
    ProgrammeIndicator,
    ReferenceDate,
    Source,
    Subject,
)

_IMPULS = "Municipalities receiving the Impuls Kansrijke Start on the reference date."
_IMPULS_NL = "t.o.v. gemeenten met Impuls Kansrijke Start"
_RESPONDING_NL = "t.o.v. responderende gemeenten"
_UNKNOWNS = (
    "Unknown: an Impuls municipality without a submitted answer to the question (no submitted "
    "questionnaire, or the question left open). It counts in the Impuls denominator and not in "
    "the numerator, so the headline percentage is a lower bound (as RIVM notes); the number of "
    "unknowns is published as its own figure."
)
_IMPULS_ONLY = (
    "Only Impuls municipalities count in the numerator: the question is put to them, and an "
    "answer from a municipality without the Impuls is not counted."
)
_IMPULS_DATE = (
    "A municipality counts as an Impuls municipality when its Impuls was granted on or before "
    "the questionnaire's reference date (in 2019 only the GIDS municipalities, tranches 1 and "
    "2, could apply)."
)
_REGISTRY_DATE = "State on 1 October of the year, as the national organisation registers it."


def _survey_figures(
    prefix: str, what_en: str, what_nl: str, question: str, categories: tuple[str, ...]
) -> tuple[Figure, ...]:
    responding = f"Impuls municipalities that submitted an answer to the {question} question."
    return (
        Figure(
            id=prefix,
            label_en="of municipalities with the Impuls",
            label_nl=_IMPULS_NL,
            numerator=what_en,
            denominator=_IMPULS,
            variant="impuls",
        ),
        Figure(
            id=f"{prefix}r",
            label_en="of responding municipalities",
            label_nl=_RESPONDING_NL,
            numerator=what_en,
            denominator=responding,
            variant="responding",
        ),
        Figure(
            id=f"{prefix}u",
            label_en="unknown (no answer)",
            label_nl="onbekend (geen antwoord)",
            numerator=f"Impuls municipalities without a submitted answer to the {question} "
            "question.",
            denominator=_IMPULS,
        ),
        Figure(
            id=f"{prefix}s",
            label_en="by answer, of municipalities with the Impuls",
            label_nl=f"naar antwoord ({what_nl}), {_IMPULS_NL}",
            numerator=f"Impuls municipalities giving each answer to the {question} question, "
            "and those without an answer (unknown).",
            denominator=_IMPULS,
            breakdown=STATUS,
            categories=(*categories, UNKNOWN),
        ),
        Figure(
            id=f"{prefix}rs",
            label_en="by answer, of responding municipalities",
            label_nl=f"naar antwoord ({what_nl}), {_RESPONDING_NL}",
            numerator=f"Impuls municipalities giving each answer to the {question} question.",
            denominator=responding,
            breakdown=STATUS,
            categories=categories,
        ),
    )


PROGRAMME_INDICATORS: Final[tuple[ProgrammeIndicator, ...]] = (
    ProgrammeIndicator(
        id="2019-01",
        number="1",
        title_nl="Gemeenten met een lokale of regionale coalitie rondom de eerste 1000 levensdagen",
        title_en="Municipalities with a local or regional coalition for the first 1000 days",
        numerator="Impuls municipalities reporting in the questionnaire that they have formed a "
        "local or regional coalition.",
        denominator=_IMPULS,
        numerator_nl="Aantal gemeenten dat een lokale of regionale coalitie heeft gevormd.",
        denominator_nl="Aantal gemeenten dat de Impuls Kansrijke Start ontvangt.",
        subject=Subject.MUNICIPALITIES,
        source=Source.QUESTIONNAIRE,
        reference_date=ReferenceDate.QUESTIONNAIRE,
        phase=None,
        figures=_survey_figures(
            "2019-01",
            "Impuls municipalities reporting a formed local or regional coalition.",
            "coalitie",
            "coalition",
            tuple(CoalitionStatus),
        ),
        notes=(
            _IMPULS_ONLY,
            _UNKNOWNS,
            _IMPULS_DATE,
            "The distribution (RIVM's Table 1) has the categories formed, in preparation or in "
            "talks ('preparing'), no coalition ('none') and unknown, over the Impuls "
            "municipalities, and without 'unknown' over the responding ones.",
        ),
        version="1",
        editions=SET_2019_EDITIONS,
    ),
    ProgrammeIndicator(
        id="2019-02",
        number="2",
        title_nl="Gemeenten met een gezamenlijk plan van aanpak Kansrijke Start",
        title_en="Municipalities with a joint plan of action for Kansrijke Start",
        numerator="Impuls municipalities with a joint plan of action with their partners, "
        "finished or in development.",
        denominator=_IMPULS,
        numerator_nl="Aantal gemeenten met een gezamenlijk plan van aanpak Kansrijke Start "
        "(afgerond of in ontwikkeling).",
        denominator_nl="Aantal gemeenten dat de Impuls Kansrijke Start ontvangt.",
        subject=Subject.MUNICIPALITIES,
        source=Source.QUESTIONNAIRE,
        reference_date=ReferenceDate.QUESTIONNAIRE,
        phase=None,
        figures=_survey_figures(
            "2019-02",
            "Impuls municipalities with a joint plan of action, finished or in development.",
            "plan van aanpak",
            "plan-of-action",
            tuple(PlanStatus),
        ),
        notes=(
            "The numerator counts plans that are finished and plans in development together, "
            "as RIVM's text does ('afgerond of in ontwikkeling': 72 + 81 = 153 in 2021); the "
            "distribution gives both apart.",
            _IMPULS_ONLY,
            _UNKNOWNS,
            _IMPULS_DATE,
        ),
        version="1",
        editions=SET_2019_EDITIONS,
    ),
    ProgrammeIndicator(
        id="2019-03",
        number="3",
        title_nl="Centrumgemeenten waar Nu Niet Zwanger is gestart",
        title_en="Centre municipalities where Nu Niet Zwanger has started",
        numerator="Centre municipalities (for shelter and protected housing) where the Nu Niet "
        "Zwanger programme has started.",
        denominator="All centre municipalities (50).",
        numerator_nl="Aantal centrumgemeenten waar het programma Nu Niet Zwanger is gestart.",
        denominator_nl="Aantal centrumgemeenten (50).",
        subject=Subject.MUNICIPALITIES,
        source=Source.GGD_GHOR,
        reference_date=ReferenceDate.OCTOBER_1,
        phase=Phase.BEFORE,
        figures=(
            Figure(
                id="2019-03",
                label_en="of centre municipalities",
                label_nl="t.o.v. centrumgemeenten",
                numerator="Centre municipalities where Nu Niet Zwanger has started.",
                denominator="All centre municipalities.",
            ),
            Figure(
                id="2019-03j",
                label_en="surrounding municipalities that joined, of all other municipalities",
                label_nl="aangesloten omringende gemeenten, t.o.v. alle overige gemeenten",
                numerator="Municipalities that are not a centre municipality and have joined "
                "a centre municipality's Nu Niet Zwanger programme.",
                denominator="All municipalities of the year that are not a centre municipality.",
            ),
            Figure(
                id="2019-03a",
                label_en="municipalities where the programme is active, of all municipalities",
                label_nl="gemeenten waar het programma actief is, t.o.v. alle gemeenten",
                numerator="Centre municipalities where Nu Niet Zwanger has started plus the "
                "surrounding municipalities that joined.",
                denominator="All municipalities of the year.",
            ),
        ),
        notes=(
            _REGISTRY_DATE,
            "RIVM also reports the surrounding municipalities that joined (138 in 2021) and the "
            "municipalities where the programme is active (176 of 352): published here as "
            "2019-03j and 2019-03a.",
        ),
        version="1",
        editions=SET_2019_EDITIONS,
    ),
    ProgrammeIndicator(
        id="2019-04",
        number="4",
        title_nl="Gemeenten waar prenatale huisbezoeken worden uitgevoerd door de "
        "jeugdgezondheidszorg",
        title_en="Municipalities where youth health care (JGZ) makes prenatal home visits",
        numerator="Municipalities reporting that JGZ makes prenatal home visits (PHB-JGZ).",
        denominator="Municipalities that answered the question, with or without the Impuls.",
        numerator_nl="Aantal gemeenten waar prenatale huisbezoeken uitgevoerd worden door de "
        "jeugdgezondheidszorg.",
        denominator_nl="Aantal gemeenten die de vragen hierover hebben beantwoord.",
        subject=Subject.MUNICIPALITIES,
        source=Source.QUESTIONNAIRE,
        reference_date=ReferenceDate.QUESTIONNAIRE,
        phase=Phase.DURING,
        figures=(
            Figure(
                id="2019-04",
                label_en="of municipalities that answered",
                label_nl="t.o.v. gemeenten die de vraag beantwoordden",
                numerator="Municipalities answering 'yes'.",
                denominator="Municipalities with a submitted answer to the question "
                "(Impuls or not).",
            ),
        ),
        notes=(
            "Unlike indicators 1 and 2, the denominator is every municipality that answered "
            "the question (224 in 2021), with or without the Impuls, because the question is "
            "put to all municipalities; municipalities without an answer are left out, so no "
            "unknowns are counted.",
        ),
        version="1",
        editions=SET_2019_EDITIONS,
    ),
    ProgrammeIndicator(
        id="2019-05",
        number="5",
        title_nl="Gemeenten waarin VoorZorg wordt aangeboden",
        title_en="Municipalities where VoorZorg is offered",
        numerator="Municipalities where a JGZ organisation offers VoorZorg.",
        denominator="All municipalities of the year (352 in 2021).",
        numerator_nl="Aantal gemeenten waarin het programma VoorZorg aangeboden wordt.",
        denominator_nl="Aantal gemeenten.",
        subject=Subject.MUNICIPALITIES,
        source=Source.NCJ,
        reference_date=ReferenceDate.OCTOBER_1,
        phase=Phase.DURING,
        figures=(
            Figure(
                id="2019-05",
                label_en="of all municipalities",
                label_nl="t.o.v. alle gemeenten",
                numerator="Municipalities where VoorZorg is offered.",
                denominator="All municipalities of the year.",
            ),
        ),
        notes=(_REGISTRY_DATE, "Municipalities on the boundaries of 1 January of the year."),
        version="1",
        editions=SET_2019_EDITIONS,
    ),
    ProgrammeIndicator(
        id="2019-06",
        number="6",
        title_nl="Verloskundigenpraktijken getraind in CenteringZwangerschap",
        title_en="Midwifery practices trained in CenteringZwangerschap",
        numerator="Midwifery practices with at least one midwife trained in CenteringZwangerschap.",
        denominator="All midwifery practices (590 on 1 October 2021, from KNOV data).",
        numerator_nl="Aantal verloskundigenpraktijken waarvan minimaal één verloskundige een "
        "training CenteringZwangerschap heeft gevolgd.",
        denominator_nl="Aantal verloskundigenpraktijken (op basis van gegevens van de KNOV).",
        subject=Subject.ORGANISATIONS,
        source=Source.CENTERING,
        reference_date=ReferenceDate.OCTOBER_1,
        phase=Phase.DURING,
        figures=(
            Figure(
                id="2019-06",
                label_en="of all midwifery practices",
                label_nl="t.o.v. alle verloskundigenpraktijken",
                numerator="Active practices with at least one trained midwife.",
                denominator="Midwifery practices active on the reference date.",
            ),
        ),
        notes=(
            _REGISTRY_DATE,
            "A practice counts when it is active on the reference date; a trained practice "
            "that has closed by then counts in neither numerator nor denominator.",
            "Training is not provision: how many practices offer CenteringZwangerschap is not "
            "registered (RIVM).",
        ),
        version="1",
        editions=SET_2019_EDITIONS,
    ),
    ProgrammeIndicator(
        id="2019-09",
        number="9",
        title_nl="JGZ-organisaties die CenteringOuderschap aanbieden",
        title_en="JGZ organisations offering CenteringOuderschap",
        numerator="JGZ organisations offering CenteringOuderschap.",
        denominator="JGZ organisations providing care and support to parents and children in "
        "the first 1000 days (36).",
        numerator_nl="Aantal JGZ-organisaties dat CenteringOuderschap aanbiedt.",
        denominator_nl="Aantal JGZ-organisaties die zorg en ondersteuning bieden aan ouders en "
        "kinderen in de eerste 1000 dagen (36).",
        subject=Subject.ORGANISATIONS,
        source=Source.CENTERING,
        reference_date=ReferenceDate.OCTOBER_1,
        phase=Phase.AFTER,
        figures=(
            Figure(
                id="2019-09",
                label_en="of all JGZ organisations",
                label_nl="t.o.v. alle JGZ-organisaties",
                numerator="Active JGZ organisations offering CenteringOuderschap.",
                denominator="JGZ organisations active on the reference date.",
            ),
        ),
        notes=(
            _REGISTRY_DATE,
            "RIVM's text gives no reference date for this indicator ('in 2019 and early 2020'); "
            "1 October is used, as for the other registry-based programme indicators.",
        ),
        version="1",
        editions=SET_2019_EDITIONS,
    ),
)


def programme_indicators(edition: int | None = None) -> tuple[ProgrammeIndicator, ...]:
    """The definitions valid in ``edition`` (all of them when None)."""
    if edition is None:
        return PROGRAMME_INDICATORS
    found = tuple(d for d in PROGRAMME_INDICATORS if edition in d.editions)
    if not found:
        raise ValueError(f"no programme indicators in edition {edition}; editions 2019-2023")
    return found


def programme_indicator(indicator_id: str) -> ProgrammeIndicator:
    """The definition with this headline id, or the one that publishes this figure id."""
    for d in PROGRAMME_INDICATORS:
        if any(f.id == indicator_id for f in d.figures):
            return d
    raise KeyError(indicator_id)

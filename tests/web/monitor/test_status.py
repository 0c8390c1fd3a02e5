"""The programme status beside the monitor: coalition registry and questionnaire."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import timezone, translation

from kansrijk.report.dashboard import ProgrammeStatus
from kansrijk.web.accounts.roles import Role
from kansrijk.web.coalitions.models import (
    CoalitionMunicipality,
    CoalitionStatus,
    ImpulsApplication,
    PlanOfAction,
    PlanStatus,
)
from kansrijk.web.monitor import status
from kansrijk.web.monitor.status import cached_programme_status, programme_status
from kansrijk.web.survey.models import QuestionSetStatus, Response, ResponseStatus
from kansrijk.web.survey.questions import install_question_set
from tests.web import factories as f
from tests.web.coalitions import builders as b

pytestmark = pytest.mark.django_db


def _registry() -> None:
    amsterdam = b.municipality("GM0363", "Amsterdam", province="Noord-Holland")
    ImpulsApplication.objects.create(municipality=amsterdam, tranche=1, granted_on=date(2019, 3, 2))
    coalition = b.coalition(
        "Kansrijke Start Amsterdam",
        status=CoalitionStatus.FORMED,
        preparing_since=date(2018, 9, 1),
        formed_on=date(2019, 6, 1),
    )
    CoalitionMunicipality.objects.create(
        coalition=coalition, municipality=amsterdam, valid_from=date(2018, 9, 1)
    )
    PlanOfAction.objects.create(coalition=coalition, status=PlanStatus.FINISHED)
    b.offer(b.intervention("voorzorg", name="VoorZorg"), date(2018, 1, 1), municipality=amsterdam)


def _facts(s: ProgrammeStatus) -> dict[str, str]:
    return {fact.label: fact.value for fact in s.facts}


def test_status_in_dutch() -> None:
    _registry()
    question_set = install_question_set(2020, QuestionSetStatus.CLOSED)
    Response.objects.create(
        question_set=question_set,
        municipality_code="GM0363",
        status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.make_aware(datetime(2020, 11, 3, 10, 0)),
    )
    with translation.override("nl"):
        s = programme_status("GM0363", 2020)
    assert s.year == 2020
    facts = _facts(s)
    assert facts["Impuls Kansrijke Start"] == "Toegekend in tranche 1 op 2 maart 2019"
    assert facts["Coalitie"] == "Kansrijke Start Amsterdam (lokaal): Gevormd"
    assert facts["Plan van aanpak"] == "Afgerond"
    assert facts["Aangeboden interventies"] == "VoorZorg"
    assert facts["Vragenlijst 2020"] == "Verstuurd op 3 november 2020"
    assert s.source


def test_status_in_english_and_without_data() -> None:
    b.municipality("GM0344", "Utrecht")
    with translation.override("en"):
        s = programme_status("GM0344", 2021)
    facts = _facts(s)
    assert facts["Impuls Kansrijke Start"] == "Not granted by 31 December 2021"
    assert facts["Coalition"] == "No coalition recorded"
    assert facts["Questionnaire 2021"] == "No questionnaire for this year"


def test_unknown_municipality_has_no_facts() -> None:
    s = programme_status("GM9999", 2020)
    assert s.facts == ()


def test_draft_and_not_started() -> None:
    b.municipality("GM0344", "Utrecht")
    question_set = install_question_set(2021, QuestionSetStatus.OPEN)
    with translation.override("nl"):
        assert _facts(programme_status("GM0344", 2021))["Vragenlijst 2021"] == "Niet begonnen"
        Response.objects.create(question_set=question_set, municipality_code="GM0344")
        assert _facts(programme_status("GM0344", 2021))["Vragenlijst 2021"].startswith(
            "Concept, laatst opgeslagen op"
        )


def test_cache_is_dropped_when_the_registry_changes() -> None:
    _registry()
    with translation.override("nl"):
        first = cached_programme_status("GM0363", 2020)
        assert cached_programme_status("GM0363", 2020) is first
        ImpulsApplication.objects.all().delete()
        second = cached_programme_status("GM0363", 2020)
    assert second is not first
    assert _facts(second)["Impuls Kansrijke Start"].startswith("Niet toegekend")


def test_the_page_shows_the_status(results: Path) -> None:
    _registry()
    client = f.signed_in(f.user(role=Role.POLICY_ADVISOR, org=f.organisation()))
    html = client.get("/monitor/gemeente/GM0363/").content.decode()
    assert "Kansrijke Start in 2020" in html
    assert "Toegekend in tranche 1 op 2 maart 2019" in html
    # Served from the cache afterwards: no queries for the status on the next page load.
    assert status._cache

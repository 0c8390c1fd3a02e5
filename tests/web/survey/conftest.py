"""Fixtures for the questionnaire tests: an open question set, users in every role, and a
controllable answer to "which municipalities receive the Impuls?"."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import translation

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.survey.models import QuestionSet, QuestionSetStatus
from kansrijk.web.survey.questions import install_question_set
from tests.web import factories as f


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Assertions read the English msgids, whatever translations exist."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def impuls(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The Impuls municipalities the questionnaire sees (add or remove codes in a test)."""
    codes: set[str] = {"GM0363", "GM0344"}

    def impuls_municipalities(year: int, on: date) -> set[str]:
        return set(codes)

    try:
        import kansrijk.web.coalitions.services as module
    except ImportError:  # the coalition registry is not there (yet): stand in for it
        module = types.ModuleType("kansrijk.web.coalitions.services")
        monkeypatch.setitem(sys.modules, "kansrijk.web.coalitions.services", module)
    monkeypatch.setattr(module, "impuls_municipalities", impuls_municipalities, raising=False)
    return codes


@pytest.fixture
def open_set(db: None) -> QuestionSet:
    return install_question_set(2022, QuestionSetStatus.OPEN)


@pytest.fixture
def coordinator(db: None) -> User:
    org = f.organisation(
        name="Gemeente Amsterdam", type=OrganisationType.MUNICIPALITY, municipality_code="GM0363"
    )
    return f.user(role=Role.COORDINATOR, org=org, email="coordinator@amsterdam.example")


@pytest.fixture
def utrecht_advisor(db: None) -> User:
    org = f.organisation(
        name="Gemeente Utrecht", type=OrganisationType.MUNICIPALITY, municipality_code="GM0344"
    )
    return f.user(role=Role.POLICY_ADVISOR, org=org, email="advisor@utrecht.example")


@pytest.fixture
def staff(db: None) -> User:
    org = f.organisation(name="Programma", type=OrganisationType.NATIONAL, municipality_code="")
    return f.user(role=Role.PROGRAMME_STAFF, org=org, email="staff@programme.example")


@pytest.fixture
def professional(db: None) -> User:
    org = f.organisation(
        name="Verloskundigen", type=OrganisationType.MIDWIFERY, municipality_code="GM0363"
    )
    return f.user(role=Role.PROFESSIONAL, org=org)

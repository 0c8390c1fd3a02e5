"""The programme status tags the interventions offered with the phases they serve, so the local
monitor lists them under each phase (also under a phase without a registry indicator)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from kansrijk.indicators import Phase
from kansrijk.web.monitor.status import programme_status
from tests.web.coalitions import builders as b

pytestmark = pytest.mark.django_db


def test_interventions_are_listed_per_phase() -> None:
    amsterdam = b.municipality("GM0363", "Amsterdam", province="Noord-Holland")
    nnz = b.intervention(
        "nu-niet-zwanger", name="Nu Niet Zwanger", phase_before=True, phase_during=False
    )
    voorzorg = b.intervention("voorzorg", name="VoorZorg", phase_after=True)
    b.offer(nnz, date(2019, 1, 1), municipality=amsterdam)
    b.offer(voorzorg, date(2018, 1, 1), municipality=amsterdam)
    with translation.override("nl"):
        s = programme_status("GM0363", 2020)
    before = s.of_phase(Phase.BEFORE)
    assert [(f.label, f.value) for f in before] == [
        ("Aangeboden interventies (Voor de zwangerschap)", "Nu Niet Zwanger")
    ]
    assert [f.value for f in s.of_phase(Phase.DURING)] == ["VoorZorg"]
    assert [f.value for f in s.of_phase(Phase.AFTER)] == ["VoorZorg"]
    # the general list stays, without a phase
    general = [f for f in s.facts if f.phase is None and f.label == "Aangeboden interventies"]
    assert len(general) == 1 and set(general[0].value.split(", ")) == {
        "Nu Niet Zwanger",
        "VoorZorg",
    }


def test_no_interventions_no_phase_facts() -> None:
    b.municipality("GM0363", "Amsterdam", province="Noord-Holland")
    with translation.override("en"):
        s = programme_status("GM0363", 2020)
    assert all(f.phase is None for f in s.facts)

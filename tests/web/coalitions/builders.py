"""Small hand-made registry rows for the coalition tests (on top of tests/web/factories.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kansrijk.web.coalitions.models import (
    Coalition,
    Intervention,
    InterventionOffer,
    Municipality,
)


def municipality(
    code: str,
    name: str | None = None,
    valid_from: date = date(2015, 1, 1),
    valid_to: date | None = None,
    province: str = "Utrecht",
) -> Municipality:
    return Municipality.objects.create(
        code=code,
        name=name or f"Gemeente {code}",
        province_code="PV26",
        province_name=province,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def intervention(code: str, **fields: Any) -> Intervention:
    defaults: dict[str, Any] = {
        "name": code.replace("-", " ").title(),
        "domain": Intervention.Domain.BOTH,
        "phase_during": True,
    }
    return Intervention.objects.create(code=code, **(defaults | fields))


def offer(
    what: Intervention,
    start: date,
    end: date | None = None,
    municipality: Municipality | None = None,
    **fields: Any,
) -> InterventionOffer:
    return InterventionOffer.objects.create(
        intervention=what, municipality=municipality, start=start, end=end, **fields
    )


def coalition(name: str = "Kansrijke Start Test", **fields: Any) -> Coalition:
    return Coalition.objects.create(name=name, **fields)

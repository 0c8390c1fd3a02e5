"""Emergency access (break the glass) with guardrails.

Who may open one: a professional whose organisation is located in the family's municipality or
region: the same municipality, a municipality in the same coalition Kansrijke Start (on the day),
or in the same COROP area (``kansrijk.geo``). Why: a reason category plus a free text of real
length. For how long: ``settings.KANSRIJK_EMERGENCY_HOURS`` by default (4), at most
``MAX_EMERGENCY_HOURS`` (8).

Whether a BSN is registered is never revealed: an unknown BSN, a family outside the user's
region and a user who refused too often today all get the same refusal (``Outcome.granted`` is
None); the audit log records the real reason. Reviewers see every audit entry made under an
access (``entries_under``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from kansrijk.geo._data import FIRST_YEAR, LAST_YEAR
from kansrijk.geo.regions import corop
from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit.models import AuditAction, AuditEvent
from kansrijk.web.care import services
from kansrijk.web.care.models import Client, EmergencyAccess
from kansrijk.web.care.models.records import RegionBasis
from kansrijk.web.care.services import MAX_EMERGENCY_HOURS
from kansrijk.web.coalitions.models import CoalitionMunicipality
from kansrijk.web.periods import valid_on

#: The free text must say something: this many characters at least ...
MIN_REASON_LENGTH = 30
#: ... in at least this many different words of two or more letters ...
MIN_REASON_WORDS = 4
#: ... using at least this many different letters (not "aaaa ..." or "nood nood nood ...").
MIN_REASON_LETTERS = 8
#: Refused attempts in 24 hours after which every attempt of the user is refused (the same
#: answer as for an unknown BSN), so the page cannot be used to test BSNs one after another.
MAX_REFUSALS_PER_DAY = 5
_WORD = re.compile(r"[^\W\d_]{2,}")


def default_hours() -> int:
    """The configured default length, kept within 1 to ``MAX_EMERGENCY_HOURS``."""
    configured = int(getattr(settings, "KANSRIJK_EMERGENCY_HOURS", 4))
    return min(max(configured, 1), MAX_EMERGENCY_HOURS)


def hour_choices() -> list[int]:
    """The lengths the form offers: short ones, the default and the maximum."""
    return sorted({1, 2, default_hours(), MAX_EMERGENCY_HOURS})


def reason_problem(text: str) -> str:
    """Why ``text`` is not a reason of real length ('' when it is one): too short, too few
    words, or repeated characters or words."""
    cleaned = " ".join(text.split())
    if len(cleaned) < MIN_REASON_LENGTH:
        return "short"
    words = [w.casefold() for w in _WORD.findall(cleaned)]
    if len(set(words)) < MIN_REASON_WORDS:
        return "words"
    if len({c.casefold() for c in cleaned if c.isalpha()}) < MIN_REASON_LETTERS:
        return "letters"
    return ""


def _coalitions(code: str, day: date) -> set[int]:
    return set(
        CoalitionMunicipality.objects.filter(valid_on(day), municipality_id=code).values_list(
            "coalition_id", flat=True
        )
    )


def _corop_area(code: str, day: date) -> str:
    year = min(max(day.year, FIRST_YEAR), LAST_YEAR)
    return corop(year).get(code, "")


def region_basis(organisation_code: str, family_code: str, day: date) -> str:
    """How an organisation located in ``organisation_code`` is close to a family living in
    ``family_code`` (a ``RegionBasis`` value), or '' when it is not. Every check runs whatever
    the first answers, so a refusal takes as long as a grant."""
    shared = _coalitions(organisation_code, day) & _coalitions(family_code, day)
    area = _corop_area(organisation_code, day)
    if not organisation_code or not family_code:
        return ""
    if organisation_code == family_code:
        return RegionBasis.MUNICIPALITY.value
    if shared:
        return RegionBasis.COALITION.value
    if area and area == _corop_area(family_code, day):
        return RegionBasis.COROP.value
    return ""


def refusals_today(user: User, now: datetime) -> int:
    """The user's refused emergency attempts in the last 24 hours (from the audit log)."""
    return AuditEvent.objects.filter(
        user_id=user.pk,
        action=AuditAction.EMERGENCY,
        authorised=False,
        occurred_at__gt=now - timedelta(days=1),
    ).count()


@dataclass(frozen=True)
class Outcome:
    """The result of an attempt. ``granted`` is None for every refusal; ``why`` and
    ``client_id`` are for the audit log only, never for the response."""

    granted: EmergencyAccess | None
    client_id: int | None
    why: str


def break_glass(
    user: User, bsn: str, category: str, reason: str, hours: int, now: datetime
) -> Outcome:
    """Open an emergency access to the family with this BSN, if the user may (see the module
    docstring)."""
    organisation = user.organisation
    if user.role != Role.PROFESSIONAL or organisation is None:
        raise ValueError("only a professional of an organisation breaks the glass")
    if not 1 <= hours <= MAX_EMERGENCY_HOURS or reason_problem(reason):
        raise ValueError("the form checks the reason and the length first")
    throttled = refusals_today(user, now) >= MAX_REFUSALS_PER_DAY
    member = services.find_member_by_bsn(bsn)
    client = Client.objects.filter(pk=member.client_id).first() if member else None
    family_code = client.municipality_code if client else ""
    basis = region_basis(organisation.municipality_code, family_code, now.date())
    if throttled:
        return Outcome(None, client.pk if client else None, "too many refused attempts today")
    if client is None:
        return Outcome(None, None, "no client with this BSN")
    if not basis:
        return Outcome(None, client.pk, "family outside the organisation's region")
    granted = services.start_emergency(
        user, client, reason, hours, now, category=category, basis=basis
    )
    return Outcome(granted, client.pk, "")


# --- Review --------------------------------------------------------------------------------


def _window(emergency: EmergencyAccess) -> Q:
    """Entries by the user about the client while the access ran (audit times are whole
    seconds, so the start is rounded down)."""
    return Q(
        user_id=emergency.user_id,
        client_id=emergency.client_id,
        occurred_at__gte=emergency.started_at.replace(microsecond=0),
        occurred_at__lte=emergency.expires_at,
    )


def entries_under(emergency: EmergencyAccess) -> QuerySet[AuditEvent]:
    """Every audit entry the user made about the client during the access, in order."""
    return AuditEvent.objects.filter(_window(emergency)).order_by("sequence")


def entries_by_emergency(
    emergencies: Iterable[EmergencyAccess], limit: int = 500
) -> dict[int, list[AuditEvent]]:
    """``entries_under`` for several accesses in one query (for the review list)."""
    emergencies = list(emergencies)
    out: dict[int, list[AuditEvent]] = {e.pk: [] for e in emergencies}
    if not emergencies:
        return out
    condition = Q()
    for e in emergencies:
        condition |= _window(e)
    for event in AuditEvent.objects.filter(condition).order_by("sequence")[:limit]:
        for e in emergencies:
            if (
                event.user_id == e.user_id
                and event.client_id == e.client_id
                and e.started_at.replace(microsecond=0) <= event.occurred_at <= e.expires_at
            ):
                out[e.pk].append(event)
    return out


def in_review_scope(reviewer: User, municipality_code: str) -> QuerySet[EmergencyAccess]:
    """Accesses a reviewer may look at, reviewed or not: all for an administrator, the
    municipality's families for a coordinator."""
    accesses = EmergencyAccess.objects.select_related("user", "organisation", "reviewed_by")
    if reviewer.role != Role.ADMINISTRATOR:
        accesses = accesses.filter(client__municipality_code=municipality_code)
    return accesses

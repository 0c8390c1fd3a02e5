"""A municipality's programme status for the monitor: coalition registry and questionnaire.

`programme_status(code, year)` turns the registry's `municipality_status` and the
questionnaire's response for the year's edition into the report's `ProgrammeStatus`, with
labels in the active language (the CLI's factsheets call it too). The pages use
`cached_programme_status`: the same, kept for a few minutes per (municipality, year, language)
and dropped whenever the registry or a questionnaire changes in this process, so a page load
normally runs no query for it.
"""

from __future__ import annotations

import threading
import time
from datetime import date, datetime
from typing import Any, Final

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kansrijk.indicators import Phase
from kansrijk.report.dashboard import ProgrammeFact, ProgrammeStatus
from kansrijk.report.labels import Lang, phase_label
from kansrijk.web.coalitions.models import (
    CoalitionStatus,
    Intervention,
    Municipality,
    OfferRole,
    PartnerDomain,
    PlanStatus,
    Scope,
)
from kansrijk.web.coalitions.services import municipality_status
from kansrijk.web.survey.models import QuestionSet, Response, ResponseStatus

#: How long a cached status is kept at most (changes in another process show after this).
STATUS_SECONDS: Final = 300
#: Apps whose changes invalidate the cached statuses.
SOURCE_APPS: Final = frozenset({"coalitions", "survey"})


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return str(date_format(value, "j F Y"))


def _coalitions(status: dict[str, Any]) -> list[ProgrammeFact]:
    coalitions: list[dict[str, Any]] = status["coalitions"]
    if not coalitions:
        return [
            ProgrammeFact(_("Coalition"), _("No coalition recorded")),
            ProgrammeFact(_("Plan of action"), str(PlanStatus.NONE.label)),
        ]
    names = []
    plans = []
    domains: list[str] = []
    for c in coalitions:
        state = str(CoalitionStatus(c["status_in_year"]).label)
        scope = _("regional") if c["scope"] == Scope.REGIONAL else _("local")
        names.append(f"{c['name']} ({scope}): {state}")
        plans.append(str(PlanStatus(c["plan_status"] or PlanStatus.NONE).label))
        domains += [d for d in c["partners"] if d not in domains]
    facts = [
        ProgrammeFact(_("Coalition"), "; ".join(names)),
        ProgrammeFact(_("Plan of action"), "; ".join(dict.fromkeys(plans))),
    ]
    if domains:
        labels = [str(PartnerDomain(d).label) for d in PartnerDomain.values if d in domains]
        facts.append(ProgrammeFact(_("Partners from"), ", ".join(labels)))
    return facts


def _interventions(status: dict[str, Any]) -> ProgrammeFact:
    names = []
    for offer in status["interventions"]:
        name = str(offer["name"])
        if offer["role"] == OfferRole.CENTRE:
            name += f" ({_('centre municipality')})"
        elif offer["role"] == OfferRole.JOINED:
            name += f" ({_('joined')})"
        if name not in names:
            names.append(name)
    return ProgrammeFact(
        _("Interventions offered"), ", ".join(names) if names else _("None recorded")
    )


#: The phases of the first 1000 days and the intervention flag that marks each.
_PHASE_FLAGS: Final = (
    (Phase.BEFORE, "phase_before"),
    (Phase.DURING, "phase_during"),
    (Phase.AFTER, "phase_after"),
)


def _phase_interventions(status: dict[str, Any]) -> list[ProgrammeFact]:
    """The interventions offered, once per phase of the first 1000 days they serve (the
    local monitor lists them under the phase, e.g. under a phase without a registry
    indicator); labelled "Aangeboden interventies (Voor de zwangerschap)"."""
    offers = status["interventions"]
    if not offers:
        return []
    codes = {str(o["code"]) for o in offers}
    flags = {
        row["code"]: row
        for row in Intervention.objects.filter(code__in=codes).values(
            "code", *(flag for _, flag in _PHASE_FLAGS)
        )
    }
    lang: Lang = "en" if (translation.get_language() or "nl").startswith("en") else "nl"
    facts = []
    for phase, flag in _PHASE_FLAGS:
        names = [str(o["name"]) for o in offers if flags.get(o["code"], {}).get(flag)]
        if names:
            label = f"{_('Interventions offered')} ({phase_label(phase, lang)})"
            facts.append(ProgrammeFact(label, ", ".join(dict.fromkeys(names)), phase))
    return facts


def _questionnaire(code: str, year: int) -> ProgrammeFact:
    label = _("Questionnaire %(year)s") % {"year": year}
    if not QuestionSet.objects.filter(edition=year).exists():
        return ProgrammeFact(label, _("No questionnaire for this year"))
    response = (
        Response.objects.filter(question_set__edition=year, municipality_code=code)
        .only("status", "submitted_at", "updated_at")
        .first()
    )
    if response is None:
        return ProgrammeFact(label, _("Not started"))
    if response.status == ResponseStatus.SUBMITTED:
        when = _day(response.submitted_at)
        return ProgrammeFact(
            label, _("Submitted on %(day)s") % {"day": when} if when else _("Submitted")
        )
    return ProgrammeFact(
        label, _("Draft, last saved on %(day)s") % {"day": _day(response.updated_at)}
    )


def programme_status(code: str, year: int) -> ProgrammeStatus:
    """What the coalition registry and the questionnaire say about ``code`` in ``year``.

    Labels are in the active language. A municipality the registry does not know gets a status
    without facts (the pages and reports then say there is no information).
    """
    source = _("Coalition registry and municipal questionnaire in Kansrijk")
    try:
        status = municipality_status(code, year)
    except Municipality.DoesNotExist:
        return ProgrammeStatus(year=year, facts=(), source=source)
    impuls = status["impuls"]
    facts = [
        ProgrammeFact(
            _("Impuls Kansrijke Start"),
            _("Granted in tranche %(tranche)s on %(day)s")
            % {"tranche": impuls["tranche"], "day": _day(impuls["granted_on"])}
            if impuls
            else _("Not granted by 31 December %(year)s") % {"year": year},
        ),
        *_coalitions(status),
        _interventions(status),
        _questionnaire(code, year),
        *_phase_interventions(status),
    ]
    return ProgrammeStatus(year=year, facts=tuple(facts), source=source)


# -- the pages' cache ----------------------------------------------------------------------------
_cache: dict[tuple[str, int, str], tuple[float, ProgrammeStatus]] = {}
_cache_lock = threading.Lock()


def cached_programme_status(code: str, year: int) -> ProgrammeStatus:
    """`programme_status`, cached per (municipality, year, language) for STATUS_SECONDS."""
    key = (code, year, translation.get_language() or "nl")
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < STATUS_SECONDS:
        return hit[1]
    value = programme_status(code, year)
    with _cache_lock:
        _cache[key] = (now, value)
    return value


def clear_cache(**_kwargs: Any) -> None:
    with _cache_lock:
        _cache.clear()


def _changed(sender: type[Model], **_kwargs: Any) -> None:
    if sender._meta.app_label in SOURCE_APPS:
        clear_cache()


def connect_invalidation() -> None:
    """Drop the cached statuses when anything in the registry or the questionnaire changes."""
    post_save.connect(_changed, dispatch_uid="monitor-status-save")
    post_delete.connect(_changed, dispatch_uid="monitor-status-delete")

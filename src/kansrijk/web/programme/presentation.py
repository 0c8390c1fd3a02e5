"""From published rows and the manifest to what the page shows, per indicator.

Each indicator gets a table laid out like RIVM's Table 1: one column per year, one row per
measure (counts, denominators, percentages, unknowns, answer distributions). The rows to show
are listed here, per indicator, as (label, figure id, breakdown value, field).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kansrijk.programme import PROGRAMME_INDICATORS, ProgrammeIndicator, ReferenceDate, Source
from kansrijk.web.programme.charts import trend_chart, whole_percent

N, D, V = "numerator", "denominator", "value"
T = "total"

#: Per indicator: (row label, figure id suffix, breakdown value, field).
ROWS: Final[dict[str, tuple[tuple[Promise, str, str, str], ...]]] = {
    "2019-01": (
        (gettext_lazy("Municipalities with the Impuls (N)"), "", T, D),
        (gettext_lazy("Municipalities that answered (N)"), "r", T, D),
        (gettext_lazy("Coalition formed (n)"), "", T, N),
        (gettext_lazy("Percentage of municipalities with the Impuls"), "", T, V),
        (gettext_lazy("Percentage of municipalities that answered"), "r", T, V),
        (gettext_lazy("Coalition in preparation or in talks (n)"), "s", "preparing", N),
        (
            gettext_lazy("In preparation: percentage of municipalities with the Impuls"),
            "s",
            "preparing",
            V,
        ),
        (
            gettext_lazy("In preparation: percentage of municipalities that answered"),
            "rs",
            "preparing",
            V,
        ),
        (gettext_lazy("No coalition (n)"), "s", "none", N),
        (gettext_lazy("Unknown: no answer (n)"), "u", T, N),
    ),
    "2019-02": (
        (gettext_lazy("Municipalities with the Impuls (N)"), "", T, D),
        (gettext_lazy("Municipalities that answered (N)"), "r", T, D),
        (gettext_lazy("Plan of action finished or in development (n)"), "", T, N),
        (gettext_lazy("of which finished (n)"), "s", "finished", N),
        (gettext_lazy("of which in development (n)"), "s", "in_development", N),
        (gettext_lazy("Percentage of municipalities with the Impuls"), "", T, V),
        (gettext_lazy("Percentage of municipalities that answered"), "r", T, V),
        (gettext_lazy("No plan of action (n)"), "s", "none", N),
        (gettext_lazy("Unknown: no answer (n)"), "u", T, N),
    ),
    "2019-03": (
        (gettext_lazy("Centre municipalities (N)"), "", T, D),
        (gettext_lazy("Centre municipalities where Nu Niet Zwanger has started (n)"), "", T, N),
        (gettext_lazy("Percentage of centre municipalities"), "", T, V),
        (gettext_lazy("Surrounding municipalities that joined (n)"), "j", T, N),
        (gettext_lazy("Municipalities where the programme is active (n)"), "a", T, N),
        (gettext_lazy("All municipalities (N)"), "a", T, D),
        (gettext_lazy("Percentage of all municipalities where it is active"), "a", T, V),
    ),
    "2019-04": (
        (gettext_lazy("Municipalities that answered the question (N)"), "", T, D),
        (gettext_lazy("Municipalities where JGZ makes prenatal home visits (n)"), "", T, N),
        (gettext_lazy("Percentage"), "", T, V),
    ),
    "2019-05": (
        (gettext_lazy("Municipalities (N)"), "", T, D),
        (gettext_lazy("Municipalities where VoorZorg is offered (n)"), "", T, N),
        (gettext_lazy("Percentage"), "", T, V),
    ),
    "2019-06": (
        (gettext_lazy("Midwifery practices (N)"), "", T, D),
        (gettext_lazy("Practices with at least one trained midwife (n)"), "", T, N),
        (gettext_lazy("Percentage"), "", T, V),
    ),
    "2019-09": (
        (gettext_lazy("JGZ organisations (N)"), "", T, D),
        (gettext_lazy("JGZ organisations offering CenteringOuderschap (n)"), "", T, N),
        (gettext_lazy("Percentage"), "", T, V),
    ),
}
SOURCES: Final[dict[Source, Promise]] = {
    Source.QUESTIONNAIRE: gettext_lazy("Questionnaire among municipalities"),
    Source.GGD_GHOR: gettext_lazy("GGD GHOR Nederland"),
    Source.NCJ: gettext_lazy("Nederlands Centrum Jeugdgezondheid (NCJ)"),
    Source.CENTERING: gettext_lazy("Stichting Centering Nederland"),
}
DASH: Final = "–"

Key = tuple[str, int, str]


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...]
    percent: bool


@dataclass(frozen=True)
class Section:
    """One indicator on the page."""

    anchor: str
    number: str
    title: str
    numerator: str
    denominator: str
    source: str
    reference: str
    years: tuple[int, ...]
    rows: tuple[Row, ...]
    chart: SafeString
    notes: tuple[str, ...]


def _index(rows: Iterable[Mapping[str, Any]]) -> dict[Key, Mapping[str, Any]]:
    return {(str(r["indicator_id"]), int(r["edition"]), str(r["breakdown_value"])): r for r in rows}


def _cell(row: Mapping[str, Any] | None, field: str) -> str:
    if row is None or row["suppressed"] or row[field] is None:
        return DASH
    if field == V:
        return whole_percent(float(row[field]))
    return str(number_format(int(row[field]), force_grouping=True))


def _reference(d: ProgrammeIndicator, years: Sequence[int], manifest: Mapping[str, Any]) -> str:
    dates: Mapping[str, Mapping[str, str]] = manifest.get("reference_dates", {})
    key = "questionnaire" if d.reference_date is ReferenceDate.QUESTIONNAIRE else "registries"
    days = [
        date_format(date.fromisoformat(dates[str(y)][key]), "DATE_FORMAT")
        for y in years
        if str(y) in dates
    ]
    if d.reference_date is ReferenceDate.QUESTIONNAIRE:
        return _("The questionnaire's reference date: %(dates)s") % {"dates": "; ".join(days)}
    return _("1 October of each year: %(dates)s") % {"dates": "; ".join(days)}


def sections(
    published: Sequence[Mapping[str, Any]], manifest: Mapping[str, Any], language: str
) -> list[Section]:
    """The page's sections, one per indicator, from the published rows."""
    index = _index(published)
    years = tuple(sorted({int(r["edition"]) for r in published} | set(manifest.get("years", []))))
    out = []
    for d in PROGRAMME_INDICATORS:
        title = d.title(language)
        rows = tuple(
            Row(
                label=str(label),
                cells=tuple(_cell(index.get((d.id + suffix, y, value)), field) for y in years),
                percent=field == V,
            )
            for label, suffix, value, field in ROWS[d.id]
        )
        headline = [index.get((d.id, y, T)) for y in years]
        points = [
            (y, None if r is None or r["value"] is None else float(r["value"]))
            for y, r in zip(years, headline, strict=True)
        ]
        description = "; ".join(
            f"{y}: {DASH if v is None else whole_percent(v)}" for y, v in points
        )
        chart = trend_chart(
            f"chart-{d.id}",
            _("%(title)s, percentage per year") % {"title": title},
            f"{capfirst(d.headline.label(language))}. {description}",
            points,
        )
        out.append(
            Section(
                anchor=f"indicator-{d.number}",
                number=d.number,
                title=title,
                numerator=d.numerator_text(language),
                denominator=d.denominator_text(language),
                source=str(SOURCES[d.source]),
                reference=_reference(d, years, manifest),
                years=years,
                rows=rows,
                chart=chart,
                notes=d.notes + d.deviations,
            )
        )
    return out

"""Data caveats: what a reader must know before comparing a figure across years or places.

Declared once here and attached to an indicator when its sources and the years shown make the
caveat apply; the reports print them under the indicator, the web monitor beside it.

An indicator whose figure RIVM withholds while its source is revised is *under review*
(`REVIEWS`): the factsheet shows it on a neutral tile after the others, with no trend
judgement, and says why at the top of its section.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kansrijk.indicators import Indicator

Lang = str


@dataclass(frozen=True)
class Caveat:
    key: str
    nl: str
    en: str
    applies: Callable[[Indicator, Sequence[int]], bool]

    def text(self, lang: Lang) -> str:
        return self.nl if lang == "nl" else self.en


def _perined(d: Indicator) -> bool:
    return "births" in d.sources


def _jgz(d: Indicator) -> bool:
    return "jgz_contacts" in d.sources


CAVEATS: tuple[Caveat, ...] = (
    Caveat(
        "perined_incomplete_2022",
        "Perined 2022 is onvolledig: vooral thuisbevallingen ontbreken. Cijfers over 2022 "
        "en later zijn daardoor niet goed vergelijkbaar met eerdere jaren.",
        "Perined 2022 is incomplete, mainly missing home births; figures for 2022 and later "
        "do not compare well with earlier years.",
        lambda d, years: _perined(d) and any(y >= 2022 for y in years),
    ),
    Caveat(
        "first_visit_timing",
        "Perined beoordeelt de registratie van het eerste consult als onbetrouwbaar: het "
        "aandeel late starters wordt overschat (herstel door Perined gepland).",
        "Perined judges the recorded timing of the first antenatal visit unreliable: late "
        "starts are overestimated (a fix is planned by Perined).",
        lambda d, years: d.outcome.startswith("care_after_week"),
    ),
    Caveat(
        "corona",
        "In 2020 en 2021 (coronapandemie) waren zorg en contactmomenten anders georganiseerd; "
        "veranderingen in die jaren kunnen daardoor komen.",
        "In 2020 and 2021 (the corona pandemic) care and contacts were organised differently; "
        "changes in those years may be due to that.",
        lambda d, years: any(y in (2020, 2021) for y in years),
    ),
    Caveat(
        "jgz_coverage",
        "Niet alle JGZ-organisaties leveren gegevens aan; de cijfers gaan over de kinderen "
        "van organisaties die dat wel doen en zijn niet per se representatief voor heel "
        "Nederland. In 2020 zagen JGZ-organisaties door corona minder kinderen op 2 jaar.",
        "Not all JGZ organisations deliver data; figures cover the children of those that do "
        "and need not represent the whole country. In 2020 JGZ saw fewer two-year-olds "
        "because of corona.",
        lambda d, years: _jgz(d),
    ),
    Caveat(
        "small_numbers",
        "Aantallen onder de drempel (en cellen waaruit die terug te rekenen zijn) worden niet "
        "getoond. Bij kleine gemeenten staat daarom vaak alleen het 5-jaarscijfer.",
        "Counts below the threshold (and cells they could be derived from) are not shown; "
        "for small municipalities often only the 5-year pooled figure is.",
        lambda d, years: d.pooling_years is not None,
    ),
)


def caveats_for(indicator: Indicator, years: Sequence[int], lang: Lang = "nl") -> list[str]:
    """The caveat texts that apply to ``indicator`` shown over ``years``."""
    return [c.text(lang) for c in CAVEATS if c.applies(indicator, years)]


@dataclass(frozen=True)
class Review:
    """Why an indicator is under review (RIVM: "wordt herzien"), in Dutch and English."""

    key: str
    nl: str
    en: str
    applies: Callable[[Indicator], bool]

    def text(self, lang: Lang) -> str:
        return self.nl if lang == "nl" else self.en


REVIEWS: tuple[Review, ...] = (
    Review(
        "first_visit_timing",
        "Dit cijfer wordt herzien. RIVM publiceert het voorlopig niet, omdat Perined de "
        "registratie van het moment van het eerste consult onbetrouwbaar vindt: het aandeel "
        "late starters wordt overschat. Het staat hier ter informatie, zonder oordeel over de "
        "trend.",
        "This figure is under review. RIVM withholds it for now, because Perined judges the "
        "recorded timing of the first antenatal visit unreliable: late starts are "
        "overestimated. It is shown here for information, without a judgement of its trend.",
        lambda d: d.outcome.startswith("care_after_week"),
    ),
)


def review_note(indicator: Indicator, lang: Lang = "nl") -> str | None:
    """Why ``indicator`` is under review, or None when it is not."""
    return next((r.text(lang) for r in REVIEWS if r.applies(indicator)), None)

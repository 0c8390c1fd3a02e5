"""The "Ervaringen met Kansrijke Start" section: approved quotes of the experiences study.

The coalition platform publishes the approved quotes of its study rounds through the gate's
writer of texts (``kansrijk manage experiences_publish``, `kansrijk.publication.publish_texts`:
a table of text columns, `COLUMNS`); the report reads them with `kansrijk.publication.Texts`
(``kansrijk report national|local --experiences DIR``). The national factsheet shows every
quote, a municipality's local report only the quotes of sessions of its coalition (the
``municipalities`` column: the CBS codes of the session's coalition).

Grouped as RIVM's monitor reports them: per theme (the order of the publication, which is the
codebook's), each quote attributed by role only; experts by experience and clients apart.
The report layer cannot import the platform, so the caller passes the identifying check
(``check``: True when a text holds an identifying detail); every quote is checked again when
rendered and one that fails is left out (and counted, and logged).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kansrijk.publication import Texts, TextsError
from kansrijk.report.labels import Lang

log = logging.getLogger(__name__)

#: The publication's basename (``quotes.parquet``) and its columns, all text.
BASENAME: Final = "quotes"
COLUMNS: Final = (
    "round",
    "theme",
    "stakeholder_type",
    "role_label",
    "text",
    "coalition",
    "municipalities",
)
#: Stakeholder types reported apart, as RIVM does (its experts by experience and clients).
EXPERIENCE_SIDE: Final = frozenset({"expert_by_experience", "client"})

#: English names of the default themes (the codebook's names are Dutch content).
THEMES_EN: Final = {
    "Samenwerking": "Collaboration",
    "Leren van elkaar": "Learning from each other",
    "Bekostiging & financiering": "Funding and financing",
    "Betrokkenheid (aanstaande) ouders": "Involvement of (expectant) parents",
}
#: English role labels by stakeholder type (the Dutch label comes with the quote).
ROLES_EN: Final = {
    "care_provider": "Care provider",
    "national_organisation": "National organisation",
    "project_leader": "Local coalition project leader",
    "expert_by_experience": "Expert by experience",
    "client": "Client",
}

#: True when a text holds an identifying detail.
Check = Callable[[str], bool]


@dataclass(frozen=True)
class Quote:
    """One approved quote as published: the words and the role, nothing about the person."""

    round: str
    theme: str
    stakeholder_type: str
    role_label: str
    text: str
    coalition: str = ""
    #: The CBS codes of the municipalities of the session's coalition (empty: no coalition).
    municipalities: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeQuotes:
    theme: str
    #: The theme's name in the report's language.
    label: str
    quotes: tuple[tuple[str, Quote], ...]  # (role in the report's language, quote)


@dataclass(frozen=True)
class Experiences:
    """The section's content: quotes per theme, professionals and experts by experience
    apart, the rounds they come from, and how many quotes the check on render left out."""

    rounds: tuple[str, ...]
    professionals: tuple[ThemeQuotes, ...]
    experts_by_experience: tuple[ThemeQuotes, ...]
    dropped: int = 0
    published: str = ""

    @property
    def empty(self) -> bool:
        return not self.professionals and not self.experts_by_experience


def read(directory: Path) -> tuple[list[Quote], str]:
    """The quotes of a publication (checked by the gate's reader) and when it was published.

    Raises TextsError or DisclosureError when the directory is not such a publication."""
    texts = Texts.open(directory, BASENAME)
    missing = sorted(set(COLUMNS) - set(texts.table.column_names))
    if missing:
        raise TextsError(f"{directory}: the quotes lack the column(s) {missing}")
    quotes = [
        Quote(
            round=row["round"] or "",
            theme=row["theme"] or "",
            stakeholder_type=row["stakeholder_type"] or "",
            role_label=row["role_label"] or "",
            text=row["text"] or "",
            coalition=row["coalition"] or "",
            municipalities=tuple(code for code in (row["municipalities"] or "").split(",") if code),
        )
        for row in texts.rows
    ]
    return quotes, str(texts.manifest.get("published", ""))


def _role(quote: Quote, lang: Lang) -> str:
    if lang == "nl":
        return quote.role_label
    return ROLES_EN.get(quote.stakeholder_type, quote.role_label)


def _grouped(quotes: Sequence[Quote], lang: Lang) -> tuple[ThemeQuotes, ...]:
    themes: dict[str, list[Quote]] = {}
    for quote in quotes:
        themes.setdefault(quote.theme, []).append(quote)
    return tuple(
        ThemeQuotes(
            theme,
            theme if lang == "nl" else THEMES_EN.get(theme, theme),
            tuple((_role(q, lang), q) for q in found),
        )
        for theme, found in themes.items()
    )


def section(
    quotes: Sequence[Quote],
    check: Check,
    lang: Lang = "nl",
    *,
    municipality: str | None = None,
    published: str = "",
) -> Experiences:
    """The section of the national factsheet, or with ``municipality`` of that
    municipality's local report (only quotes of sessions of a coalition it belongs to).

    Every quote goes through ``check`` again; a quote it flags is left out and logged (its
    round and theme, never its text)."""
    chosen = [q for q in quotes if municipality is None or municipality in q.municipalities]
    kept: list[Quote] = []
    dropped = 0
    for quote in chosen:
        if check(quote.text):
            dropped += 1
            log.warning(
                "left a quote out of the report (round %r, theme %r): the identifying check "
                "found a detail in it",
                quote.round,
                quote.theme,
            )
            continue
        kept.append(quote)
    professionals = [q for q in kept if q.stakeholder_type not in EXPERIENCE_SIDE]
    experts = [q for q in kept if q.stakeholder_type in EXPERIENCE_SIDE]
    return Experiences(
        rounds=tuple(dict.fromkeys(q.round for q in kept)),
        professionals=_grouped(professionals, lang),
        experts_by_experience=_grouped(experts, lang),
        dropped=dropped,
        published=published,
    )

"""Pseudonymising a transcript on import: find names, places, organisations and other
identifying details, propose a role label for each, apply what the researcher accepted.

Framework-free (no Django): the view hands in the lists, the researcher reviews the proposals.
Two detectors together:

1. ``kansrijk.coordination.identifying`` (the check of case-conference texts): BSNs (elfproef),
   e-mail addresses, Dutch telephone numbers, postcodes and street addresses, and the names
   the researcher typed at import (the participants' names from the consent forms, used for the
   search and never stored) plus the speakers a WebVTT file names, found case- and
   accent-insensitively as whole words.
2. A list-based detector for Dutch text, documented in docs/experiences.md:

   * **person names**: a given name from ``data/voornamen.txt`` (with the name that follows
     it, "Anna Kwakman"), a family name from ``data/achternamen.txt`` after a name prefix
     ("de Vries", "van den Berg") or standing alone, and any capitalised name after a form of
     address ("mevrouw Kwakman", "dhr. Öztürk", "dokter Jansen", "juf Mila");
   * **places**: the names of every Dutch municipality of 2015-2025 (``kansrijk.geo``) and a
     few everyday names of places that are not municipality names ("Den Haag", "Den Bosch");
   * **organisations**: the names of the organisations and coalitions in the platform's
     database (coalition partners included), case-insensitively, and a kind of organisation
     followed by a capitalised name ("Kraamzorg De Wieg", "GGD Hollands Noorden",
     "Verloskundigenpraktijk Zuid").

   Names and places are matched with their capital only. Words that are also ordinary Dutch
   words ("Bos", "Roos", "Best", "Goes") are taken for a name or place only after a prefix
   or given name, or inside a sentence (not as its first word).

A spaCy Dutch model (``nl_core_news_sm``) is not on the package registry (spaCy distributes
its models from GitHub releases), and spaCy with its dependencies would be large for this;
the list-based detector plus the researcher's review is the documented alternative.
Nothing here is complete: the review step exists because every detector misses things.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from kansrijk.coordination.identifying import DetailKind, identifying_details
from kansrijk.geo import municipalities

DATA = Path(__file__).resolve().parent / "data"


class Kind(StrEnum):
    NAME = "name"
    PLACE = "place"
    ORGANISATION = "organisation"
    DATE = "date"
    BSN = "bsn"
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    ADDRESS = "address"
    ADDED = "added"  # added by the researcher in the review


#: The label a detected detail is replaced by (Dutch: the texts are Dutch).
LABELS: dict[Kind, str] = {
    Kind.NAME: "[Naam]",
    Kind.PLACE: "[Plaats]",
    Kind.ORGANISATION: "[Organisatie]",
    Kind.DATE: "[Datum]",
    Kind.BSN: "[BSN]",
    Kind.EMAIL: "[E-mailadres]",
    Kind.PHONE: "[Telefoonnummer]",
    Kind.POSTCODE: "[Postcode]",
    Kind.ADDRESS: "[Adres]",
    Kind.ADDED: "[Naam]",
}
_FROM_IDENTIFYING = {
    DetailKind.NAME: Kind.NAME,
    DetailKind.DATE: Kind.DATE,
    DetailKind.BSN: Kind.BSN,
    DetailKind.EMAIL: Kind.EMAIL,
    DetailKind.PHONE: Kind.PHONE,
    DetailKind.POSTCODE: Kind.POSTCODE,
    DetailKind.ADDRESS: Kind.ADDRESS,
}

#: Names and places that are ordinary Dutch words too: only inside a sentence.
AMBIGUOUS = frozenset(
    [
        "Bos",
        "Boer",
        "Vos",
        "Prins",
        "Kok",
        "Wit",
        "Groot",
        "Graaf",
        "Meer",
        "Dijk",
        "Berg",
        "Beek",
        "Jong",
        "Linden",
        "Bosch",
        "Wijk",
        "Roos",
        "Floor",
        "Mark",
        "Frank",
        "Els",
        "Iris",
        "Kim",
        "Noor",
        "Vera",
        "Sem",
        "Bas",
        "Tim",
        "Finn",
        "Rik",
        "Best",
        "Goes",
        "Putten",
        "Laren",
        "Bergen",
        "Horst",
        "Sluis",
        "Stein",
        "Ede",
        "Epe",
        "Urk",
        "Mook",
        "Hof",
        "Son",
    ]
)
#: Forms of address after which a capitalised word is a name.
TITLES = r"(?:[Mm]evrouw|[Mm]eneer|[Mm]evr\.|[Mm]w\.|[Dd]hr\.|[Dd]okter|[Dd]r\.|[Jj]uf|[Mm]eester)"
#: Kinds of organisation that, followed by a capitalised name, name one organisation.
ORGANISATION_KINDS = (
    "Verloskundigenpraktijk|Verloskundigen|Kraamzorg|Kraamzorgorganisatie|GGD|JGZ|"
    "Huisartsenpraktijk|Stichting|Wijkteam|Buurtteam|Consultatiebureau|Ziekenhuis|Zorggroep|"
    "Welzijn|Schuldhulp|Gemeente"
)
#: Everyday names of places that are not (or no longer) a municipality's name.
EXTRA_PLACES = ("Den Haag", "Den Bosch", "Scheveningen", "Amsterdam-Noord", "Amsterdam-Zuidoost")
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
_PREFIX = r"(?:(?:van|de|der|den|het|te|ter|ten|in|op|'t|d'|Van|De|Der|Den|Ter|Ten)\s+)"


def _words(path: Path) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(s for line in lines if (s := line.strip()) and not s.startswith("#"))


@cache
def given_names() -> frozenset[str]:
    return frozenset(_words(DATA / "voornamen.txt"))


@cache
def family_names() -> frozenset[str]:
    return frozenset(_words(DATA / "achternamen.txt"))


@dataclass(frozen=True)
class Lexicon:
    """What the list-based detector looks for besides the fixed name lists."""

    places: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    #: Names known for this text (typed at import, WebVTT speakers): never stored.
    names: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    kind: Kind = field(compare=False)


@dataclass(frozen=True)
class Proposal:
    """One distinct detected text and its proposed label; ``count`` occurrences, the first
    shown in ``context``."""

    text: str
    kind: Kind
    label: str
    count: int
    context: str


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n)))


def _names(text: str) -> list[Span]:
    spans: list[Span] = []
    given = _alternation(given_names())
    family = _alternation(family_names())
    full = re.compile(
        rf"(?<![\w-])(?P<given>{given})(?:\s+{_PREFIX}*{_CAP})?(?![\w-])" if given else r"(?!x)x"
    )
    for m in full.finditer(text):
        only_given = m.end() == m.end("given")
        if only_given and m.group("given") in AMBIGUOUS and _sentence_start(text, m.start()):
            continue
        spans.append(Span(m.start(), m.end(), Kind.NAME))
    prefixed = re.compile(rf"(?<![\w-]){_PREFIX}+(?:{family})(?![\w-])")
    spans.extend(Span(m.start(), m.end(), Kind.NAME) for m in prefixed.finditer(text))
    alone = re.compile(rf"(?<![\w-])(?:{family})(?![\w-])")
    for m in alone.finditer(text):
        if m.group() in AMBIGUOUS or _sentence_start(text, m.start()):
            continue
        spans.append(Span(m.start(), m.end(), Kind.NAME))
    titled = re.compile(rf"(?<![\w-]){TITLES}\s+(?P<name>{_PREFIX}*{_CAP}(?:-{_CAP})?)")
    spans.extend(Span(m.start("name"), m.end("name"), Kind.NAME) for m in titled.finditer(text))
    return spans


def _places(text: str, places: Iterable[str]) -> list[Span]:
    names = {p for p in (*places, *EXTRA_PLACES) if len(p) >= 3}
    if not names:
        return []
    pattern = re.compile(rf"(?<![\w-])(?:{_alternation(names)})(?![\w-])")
    return [
        Span(m.start(), m.end(), Kind.PLACE)
        for m in pattern.finditer(text)
        if not (m.group() in AMBIGUOUS and _sentence_start(text, m.start()))
    ]


def _organisations(text: str, organisations: Iterable[str]) -> list[Span]:
    spans: list[Span] = []
    names = {o.strip() for o in organisations if len(o.strip()) >= 3}
    if names:
        listed = re.compile(rf"(?<![\w-])(?:{_alternation(names)})(?![\w-])", re.IGNORECASE)
        spans.extend(Span(m.start(), m.end(), Kind.ORGANISATION) for m in listed.finditer(text))
    kind = re.compile(
        rf"(?<![\w-])(?:{ORGANISATION_KINDS})(?:\s+(?:(?:de|het|van|der|den)\s+)*{_CAP})+"
    )
    spans.extend(Span(m.start(), m.end(), Kind.ORGANISATION) for m in kind.finditer(text))
    return spans


def _known(text: str, names: Iterable[str]) -> list[Span]:
    """The names typed at import and the WebVTT speakers: whole names and their parts."""
    names = [n for n in names if n.strip()]
    found = [
        Span(f.start, f.end, _FROM_IDENTIFYING[f.kind])
        for f in identifying_details(text, names=names)
    ]
    whole = [n.strip() for n in names if len(n.strip()) >= 3]
    if whole:
        pattern = re.compile(rf"(?<![\w-])(?:{_alternation(whole)})(?![\w-])", re.IGNORECASE)
        found.extend(Span(m.start(), m.end(), Kind.NAME) for m in pattern.finditer(text))
    return found


def detect(text: str, lexicon: Lexicon) -> list[Span]:
    """Every detected detail, without overlaps (the longest of overlapping spans wins; then
    the earliest), in order of place."""
    candidates = [
        *_known(text, lexicon.names),
        *_organisations(text, lexicon.organisations),
        *_names(text),
        *_places(text, lexicon.places),
    ]
    chosen: list[Span] = []
    taken: list[tuple[int, int]] = []
    for span in sorted(candidates, key=lambda s: (-(s.end - s.start), s.start)):
        if any(span.start < end and start < span.end for start, end in taken):
            continue
        chosen.append(span)
        taken.append((span.start, span.end))
    return sorted(chosen)


def _context(text: str, span: Span, width: int = 40) -> str:
    """The words around a detected detail, with the detail itself marked."""
    before = text[max(0, span.start - width) : span.start].rsplit("\n", maxsplit=1)[-1]
    after = text[span.end : span.end + width].split("\n", maxsplit=1)[0]
    return f"…{before}⟦{text[span.start : span.end]}⟧{after}…"


def proposals(text: str, spans: Iterable[Span]) -> list[Proposal]:
    """One proposal per distinct detected text (first kind found), in order of first place."""
    found: dict[str, tuple[Span, int]] = {}
    for span in spans:
        surface = text[span.start : span.end]
        first, count = found.get(surface, (span, 0))
        found[surface] = (first, count + 1)
    return [
        Proposal(surface, first.kind, LABELS[first.kind], count, _context(text, first))
        for surface, (first, count) in found.items()
    ]


def apply(text: str, replacements: Mapping[str, str]) -> tuple[str, int]:
    """``text`` with every whole-word occurrence of each key replaced by its label (longest
    keys first, exact case), and how many replacements were made."""
    keys = [k for k in replacements if k]
    if not keys:
        return text, 0
    pattern = re.compile(rf"(?<![\w-])(?:{_alternation(keys)})(?![\w-])")
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return replacements[match.group()]

    return pattern.sub(swap, text), count


@cache
def place_names() -> tuple[str, ...]:
    """Every municipality name of 2015-2025 (placeholders of old codes left out)."""
    names = {
        m.name
        for year in range(2015, 2026)
        for m in municipalities(year)
        if not m.name.startswith("Gemeente GM")
    }
    return tuple(sorted(names))


def is_identifying(text: str, organisations: Iterable[str] = ()) -> bool:
    """Whether the detector finds anything in ``text`` with the places and the given
    organisation names: the check a report runs again on every quote it renders (without a
    database, so with the organisations it is given only; the platform checked them with
    every organisation and coalition of its registry when the quote was approved and
    published)."""
    return bool(detect(text, Lexicon(places=place_names(), organisations=tuple(organisations))))

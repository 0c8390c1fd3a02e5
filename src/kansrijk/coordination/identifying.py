"""Details that identify a person in free text: what a shared text must not hold.

Texts that several organisations read without consent for the family (the case description,
question, minutes and decisions of a case conference) must not identify the family. This module
finds such details so a form can refuse the text before it is stored:

* always: a BSN (nine digits passing the elfproef, also written with dots or spaces), an e-mail
  address, a Dutch telephone number, a postcode (``1234 AB``) and a street address (a street
  name ending in a common suffix followed by a house number);
* given the family (only when the writer may see who it is, so the check can never tell
  someone a family's name): the given and family names of its members (whole words, ignoring
  case and accents; short words and the Dutch name prefixes such as "van der" are left out)
  and their dates of birth and due dates in the usual Dutch notations.

It cannot find every identifying detail (a rare occupation, a nickname): the forms still ask
the writer for care. Findings say what kind of detail was found and where, never the detail
itself, so an error message repeats nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)

#: Name parts that are not names on their own ("van der Berg" matches on "Berg").
_PREFIXES = "van de der den het te ter ten in op aan bij uit voor onder over 't 's d' la le du da"
NAME_PREFIXES = frozenset([*_PREFIXES.split(), "del", "dos", "di", "von", "zu"])
#: Shorter name parts are ignored: too many ordinary words and abbreviations match them.
MIN_NAME_LENGTH = 3

_MONTHS = (
    ("januari", "jan"),
    ("februari", "feb"),
    ("maart", "mrt"),
    ("april", "apr"),
    ("mei", "mei"),
    ("juni", "jun"),
    ("juli", "jul"),
    ("augustus", "aug"),
    ("september", "sep"),
    ("oktober", "okt"),
    ("november", "nov"),
    ("december", "dec"),
)


class DetailKind(StrEnum):
    """The kind of identifying detail a text holds."""

    NAME = "name"
    DATE = "date"
    BSN = "bsn"
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    ADDRESS = "address"


@dataclass(frozen=True)
class Finding:
    """One identifying detail: its kind and its place in the text (``text[start:end]``)."""

    kind: DetailKind
    start: int
    end: int


def normalise_bsn(value: str) -> str:
    """Digits only (spaces, dots and dashes dropped); 8 digits get their leading zero back."""
    digits = "".join(ch for ch in value if ch not in " .-\t")
    return "0" + digits if len(digits) == 8 and digits.isdigit() else digits


def is_valid_bsn(value: str) -> bool:
    """The elfproef: 9 digits, not all zero, weighted sum (9..2, -1) divisible by 11."""
    digits = normalise_bsn(value)
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit() or int(digits) == 0:
        return False
    return sum(int(d) * w for d, w in zip(digits, _BSN_WEIGHTS, strict=True)) % 11 == 0


_BSN = re.compile(r"(?<![\d.])(\d{9}|\d{4}[. ]\d{2}[. ]\d{3}|\d{3}[. ]\d{3}[. ]\d{3})(?![\d])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\d+])(?:\+31|0031|0)[\s-]?(?:\(0\)[\s-]?)?\d(?:[\s-]?\d){8}(?!\d)")
#: Postcodes never use SA, SD or SS; written apart, a year or count followed by a capitalised
#: two-letter word ("2026 EN 2027") is not taken for one.
_POSTCODE = re.compile(
    r"(?<!\d)[1-9]\d{3}(?:(?!SA|SD|SS)[A-Z]{2}|\s(?!SA|SD|SS|EN|OF|IN|OP|DE|TE|AL|NU|ZO|JA|OM|AF)"
    r"[A-Z]{2})(?![A-Za-z])"
)
_ADDRESS = re.compile(
    r"\b[A-Z][\w'-]*(?:straat|weg|laan|plein|gracht|kade|singel|dijk|pad|hof|dreef|park|"
    r"steeg|markt|baan|veld|hout|erf|ring)\s+\d{1,5}\s?[a-zA-Z]?\b"
)


def _fold(text: str) -> str:
    """Lower case without accents, one character for one character (positions are kept)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)
        kept = "".join(c for c in base if not unicodedata.combining(c))
        out.append(kept[:1].casefold()[:1] if kept else ch)
    return "".join(out)


def name_parts(names: Iterable[str]) -> list[str]:
    """The words of the names worth looking for, folded, longest first."""
    parts = {
        word
        for name in names
        for word in re.split(r"[\s-]+", _fold(name or ""))
        if len(word) >= MIN_NAME_LENGTH and word not in NAME_PREFIXES
    }
    return sorted(parts, key=lambda w: (-len(w), w))


def date_notations(day: date) -> list[str]:
    """The ways a date is usually written in Dutch (folded): 3-7-1995, 03-07-1995, 3/7/1995,
    03.07.95, 1995-07-03, 3 juli 1995, 3 jul 1995."""
    d, m, y = day.day, day.month, day.year
    numeric = {
        f"{dd}{sep}{mm}{sep}{yy}"
        for dd in (str(d), f"{d:02d}")
        for mm in (str(m), f"{m:02d}")
        for yy in (str(y), f"{y % 100:02d}")
        for sep in "-/."
    }
    numeric.add(f"{y}-{m:02d}-{d:02d}")
    long, short = _MONTHS[m - 1]
    words = {f"{dd} {month} {y}" for dd in (str(d), f"{d:02d}") for month in {long, short}}
    return sorted(numeric | words)


def identifying_details(
    text: str, names: Iterable[str] = (), dates: Iterable[date | None] = ()
) -> list[Finding]:
    """Every identifying detail in ``text``, in order of place. ``names`` and ``dates`` are
    those of the family the text is about (pass them only to a writer who may see them)."""
    findings: list[Finding] = []
    for match in _BSN.finditer(text):
        if is_valid_bsn(match.group(1)):
            findings.append(Finding(DetailKind.BSN, match.start(1), match.end(1)))
    generic = (
        (DetailKind.EMAIL, _EMAIL),
        (DetailKind.PHONE, _PHONE),
        (DetailKind.POSTCODE, _POSTCODE),
        (DetailKind.ADDRESS, _ADDRESS),
    )
    for kind, pattern in generic:
        findings.extend(Finding(kind, m.start(), m.end()) for m in pattern.finditer(text))
    folded = _fold(text)
    for part in name_parts(names):
        pattern = re.compile(rf"(?<!\w){re.escape(part)}(?!\w)")
        findings.extend(
            Finding(DetailKind.NAME, m.start(), m.end()) for m in pattern.finditer(folded)
        )
    for day in {d for d in dates if d is not None}:
        for notation in date_notations(day):
            pattern = re.compile(rf"(?<![\w/.-]){re.escape(notation)}(?![\w/-]|\.\d)")
            findings.extend(
                Finding(DetailKind.DATE, m.start(), m.end()) for m in pattern.finditer(folded)
            )
    return sorted(set(findings), key=lambda f: (f.start, f.end, f.kind))


def detail_kinds(findings: Iterable[Finding]) -> list[DetailKind]:
    """The kinds among the findings, each once, in the order of ``DetailKind``."""
    found = {f.kind for f in findings}
    return [kind for kind in DetailKind if kind in found]

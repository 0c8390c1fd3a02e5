"""Find English in Dutch text: common English words that never occur in Dutch.

Used on the Dutch report texts (labels, definitions, deviations, caveats) and on the rendered
Dutch HTML (`tests/integration/test_report_language.py`). A word is listed only when it is not
also a Dutch word or part of a Dutch term the reports use: "of" (Dutch "or"), "is", "in", "per",
"data" and "model" are left out; words are matched whole and case-insensitively.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: English words and phrases no Dutch sentence of the reports contains.
ENGLISH = (
    "the",
    "and",
    "of the",
    "with",
    "which",
    "from",
    "when",
    "where",
    "than",
    "are",
    "not",
    "this",
    "that",
    "children",
    "child",
    "births",
    "mother",
    "mothers",
    "pregnancy",
    "municipality",
    "municipalities",
    "hidden",
    "deviation",
    "deviations",
    "unknown",
    "figure",
    "figures",
    "yes",
    "no",
    "low",
    "high",
    "quintile",
    "percentile",
    "organisation",
    "breakdown",
)
_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])", re.I
)

#: Names that contain an English word but are proper names or identifiers, not English text.
ALLOWED = ("Solid Start",)


def english_words(text: str) -> list[str]:
    """The listed English words in ``text`` with a little context, proper names removed."""
    for name in ALLOWED:
        text = text.replace(name, " ")
    return [
        text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ")
        for m in _PATTERN.finditer(text)
    ]


#: Elements whose content is not read as text: code, scripts, styles, and the inline SVG.
SKIPPED = {"script", "style", "code", "svg"}
#: Attributes a reader meets as text (tooltips, image descriptions, screen readers).
READ_ATTRIBUTES = ("alt", "title", "aria-label", "data-label")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self._skipping.append(tag)
        if not self._skipping:
            self.parts += [v for k, v in attrs if k in READ_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader of ``html`` sees or hears: text nodes and the read attributes, without
    scripts, styles, code and SVG; one space between parts."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())

"""Reading the monitor pages back: the figures of the summary tables, by indicator."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


class Figures(HTMLParser):
    """Text of every element with ``data-indicator`` and ``data-figure``, by (id, figure)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[tuple[str, str], str] = {}
        self._open: tuple[str, str] | None = None
        self._depth = 0
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self._open is not None:
            self._depth += 1
        elif a.get("data-indicator") and a.get("data-figure"):
            self._open = (str(a["data-indicator"]), str(a["data-figure"]))
            self._depth = 0
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._open is None:
            return
        if self._depth == 0:
            self.found[self._open] = " ".join("".join(self._text).split())
            self._open = None
        else:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)


def figures(html: str) -> dict[tuple[str, str], str]:
    parser = Figures()
    parser.feed(html)
    return parser.found


def municipal_totals(results: Path, code: str) -> pa.Table:
    """The municipality's total cells straight from results.parquet."""
    t = pq.read_table(results / "results.parquet")
    mask = pc.and_(
        pc.and_(pc.equal(t["region_type"], "gemeente"), pc.equal(t["region_code"], code)),
        pc.equal(t["breakdown"], "total"),
    )
    return t.filter(mask)


def expected_value(row: dict[str, object], lang: str = "nl") -> str:
    """How a published cell must read: the value with one decimal and its unit, or hidden."""
    if row["suppressed"]:
        return "verborgen" if lang == "nl" else "hidden"
    text = f"{float(row['value']):,.1f}"  # type: ignore[arg-type]
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text + ("%" if row["unit"] == "%" else (" per 1.000" if lang == "nl" else " per 1,000"))


def expected_interval(row: dict[str, object], lang: str = "nl") -> str:
    if row["suppressed"]:
        return ""

    def n(v: object) -> str:
        text = f"{float(v):,.1f}"  # type: ignore[arg-type]
        return text.replace(".", ",") if lang == "nl" else text

    return f"{n(row['ci_low'])} – {n(row['ci_high'])}"

"""Snapshot files for tests: readable text stored under ``tests/snapshots/``, compared as text.

A snapshot test turns an output (a Vega-Lite spec, the text of a report page) into stable,
readable text and compares it with the stored file, so a change of layout or wording shows up
in review as a diff of that file. On a mismatch the test fails with a unified diff and says
how to accept the change: run the tests again with ``--snapshot-update`` (registered in
``tests/conftest.py``) or with ``KANSRIJK_UPDATE_SNAPSHOTS=1``, which rewrite the files.

What varies between machines or runs is normalised before comparing: floats are rounded to
`FLOAT_DIGITS` significant digits (the last bits of an interval or a funnel limit may differ
with the platform's maths library) and GeoJSON geometry is replaced by a digest (feature
count and SHA-256 of the coordinates), which keeps a map snapshot small. Altair's
``$schema`` URL is kept: altair is pinned in ``requirements.lock``, and a new Vega-Lite
version is a change worth seeing.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

#: Where the snapshot files live.
SNAPSHOT_DIR = Path(__file__).parent / "snapshots"
#: Environment variable that, set to 1, rewrites the snapshots instead of comparing them.
UPDATE_ENV = "KANSRIJK_UPDATE_SNAPSHOTS"
#: Command-line option that does the same (`pytest_addoption` in tests/conftest.py).
UPDATE_OPTION = "--snapshot-update"
#: Significant digits a float keeps in a snapshot.
FLOAT_DIGITS = 9
#: Name of the inline GeoJSON dataset of a map spec (`kansrijk.report.render`).
BOUNDARIES = "boundaries"

HOW_TO_UPDATE = (
    f"If the change is intended, rewrite the snapshot with `pytest {UPDATE_OPTION} <tests>` "
    f"(or `{UPDATE_ENV}=1 pytest <tests>`) and commit the changed file under tests/snapshots/."
)


# -- comparing and updating -----------------------------------------------------------------------
def compare(expected: str | None, actual: str, name: str) -> str | None:
    """None when ``actual`` equals the stored ``expected`` text; else the failure message: a
    unified diff (stored -> actual) and how to update, or, without a stored file, how to
    create one."""
    if expected == actual:
        return None
    if expected is None:
        return f"No snapshot {name} yet.\n{HOW_TO_UPDATE}"
    diff = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=f"{name} (stored)",
        tofile=f"{name} (actual)",
    )
    return f"Snapshot {name} differs:\n{''.join(diff)}\n{HOW_TO_UPDATE}"


@dataclass(frozen=True)
class Snapshots:
    """The snapshot files of one directory; ``update`` writes instead of comparing."""

    directory: Path = SNAPSHOT_DIR
    update: bool = False

    def path(self, name: str) -> Path:
        return self.directory / name

    def assert_match(self, actual: str, name: str) -> None:
        """Fail with a diff when ``actual`` differs from the snapshot ``name``, or rewrite the
        file in update mode (only when it changed, so its timestamp says what moved)."""
        if not actual.endswith("\n"):
            actual += "\n"
        path = self.path(name)
        expected = path.read_text("utf-8") if path.exists() else None
        if self.update:
            if expected != actual:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(actual, "utf-8")
            return
        message = compare(expected, actual, name)
        if message is not None:
            raise AssertionError(message)


def update_requested(option: bool) -> bool:
    """True when ``--snapshot-update`` was given (``option``) or `UPDATE_ENV` is 1."""
    return option or os.environ.get(UPDATE_ENV, "") in {"1", "true", "yes"}


# -- specs -----------------------------------------------------------------------------------------
def geometry_digest(features: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """What a snapshot keeps of GeoJSON features: their count, their codes' digest and a
    SHA-256 of every coordinate (in feature order, rounded like every other float)."""
    features = list(features)
    coordinates = hashlib.sha256()
    codes = hashlib.sha256()
    for feature in features:
        geometry = feature.get("geometry") or {}
        coordinates.update(
            json.dumps(normalise(geometry.get("coordinates")), separators=(",", ":")).encode()
        )
        coordinates.update(b"\n")
        codes.update(str((feature.get("properties") or {}).get("statcode", "")).encode() + b"\n")
    return {
        "features": len(features),
        "coordinates_sha256": coordinates.hexdigest(),
        "statcodes_sha256": codes.hexdigest(),
    }


def normalise(value: Any) -> Any:
    """``value`` with floats rounded to `FLOAT_DIGITS` significant digits (integral floats
    stay floats: 2.0 and 2 differ in a spec), recursively through dicts and lists."""
    if isinstance(value, float):
        if not math.isfinite(value) or value == 0:
            return value
        return float(f"{value:.{FLOAT_DIGITS}g}")
    if isinstance(value, Mapping):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    return value


def spec_snapshot(spec: Mapping[str, Any]) -> str:
    """The snapshot text of a Vega-Lite spec: normalised, the inline boundaries (if any)
    replaced by `geometry_digest`, as `readable_json`."""
    copy = dict(spec)
    datasets = dict(copy.get("datasets") or {})
    if BOUNDARIES in datasets:
        datasets[BOUNDARIES] = {"geometry_digest": geometry_digest(datasets[BOUNDARIES])}
        copy["datasets"] = datasets
    return readable_json(normalise(copy)) + "\n"


def readable_json(value: Any, indent: str = "") -> str:
    """JSON with sorted keys, indented by two spaces, but a list or object holding only
    scalars on one line: a data row is one line, so a diff shows the rows that changed."""
    if _flat(value):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    inner = indent + "  "
    if isinstance(value, Mapping):
        items = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {readable_json(v, inner)}"
            for k, v in sorted(value.items())
        ]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    items = [inner + readable_json(v, inner) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + indent + "]"


def _flat(value: Any) -> bool:
    if isinstance(value, Mapping):
        return not value or all(not isinstance(v, Mapping | list) for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(v, Mapping | list) for v in value)
    return True


# -- page text -------------------------------------------------------------------------------------
#: Elements that end a line of text: each becomes one block (one line) of the snapshot.
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div",
    "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "noscript", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
})  # fmt: skip
#: Elements whose content is not text a reader sees.
SKIPPED = frozenset({"script", "style", "template"})
#: Void elements: they have no end tag, so they never enter the open-element stack.
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
})  # fmt: skip


class _TextParser(HTMLParser):
    """Collects the text of the elements with the wanted ids, one block per line.

    Headings get Markdown's ``#`` marks, list items ``- ``, table rows their cells between
    ``|``, and a chart its accessible label as ``[figuur: ...]``: the wording a reader (or a
    screen reader) meets, without the layout."""

    def __init__(self, ids: Iterable[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = set(ids)
        self.stack: list[str] = []
        #: Depth in `stack` of the wanted element being read, and its id.
        self.capture: tuple[int, str] | None = None
        self.skip = 0
        self.blocks: dict[str, list[str]] = {}
        self.line: list[str] = []
        self.row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag not in VOID:
            self.stack.append(tag)
        if self.capture is None:
            element_id = attributes.get("id")
            if element_id in self.wanted and tag not in VOID:
                self.capture = (len(self.stack), element_id)
                self.blocks[element_id] = []
            return
        if tag in SKIPPED:
            self.skip += 1
            return
        label = attributes.get("aria-label") if attributes.get("role") == "img" else None
        if tag == "img":
            label = attributes.get("alt")
        if tag == "tr":
            self._flush()
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.line = []
        elif tag in BLOCKS or tag == "br":
            self._flush()
        if re.fullmatch(r"h[1-6]", tag):
            self.line.append("#" * int(tag[1]) + " ")
        elif tag == "li":
            self.line.append("- ")
        if label:
            self._flush()
            self.line.append(f"[figuur: {label}]")
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:  # close what the end tag closes, as a browser would
            open_tag = self.stack.pop()
            self._close(open_tag)
            if open_tag == tag:
                break

    def _close(self, tag: str) -> None:
        if self.capture is None:
            return
        if tag in SKIPPED:
            self.skip -= 1
            return
        if tag in ("td", "th") and self.row is not None:
            self.row.append(_clean("".join(self.line)))
            self.line = []
        elif tag == "tr" and self.row is not None:
            self._emit("| " + " | ".join(self.row) + " |")
            self.row = None
        elif tag in BLOCKS:
            self._flush()
        if len(self.stack) < self.capture[0]:
            self._flush()
            self.capture = None

    def handle_data(self, data: str) -> None:
        if self.capture is not None and not self.skip:
            self.line.append(data)

    def _flush(self) -> None:
        if self.row is not None:
            return  # inside a table row: the cell collects the text
        self._emit(_clean("".join(self.line)))
        self.line = []

    def _emit(self, text: str) -> None:
        if self.capture is not None and text.strip(" #-") != "":
            self.blocks[self.capture[1]].append(text)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_text(html: str, ids: Iterable[str]) -> str:
    """The text of the elements with ``ids`` (in that order), one block per line, whitespace
    normalised; each element starts with a ``=== #id ===`` line. Fails when an id is absent."""
    ids = list(ids)
    parser = _TextParser(ids)
    parser.feed(html)
    parser.close()
    missing = [i for i in ids if i not in parser.blocks]
    if missing:
        raise AssertionError(f"no element with id {missing} in the page")
    parts = []
    for element_id in ids:
        parts.append(f"=== #{element_id} ===")
        parts.extend(parser.blocks[element_id])
    return "\n".join(parts) + "\n"

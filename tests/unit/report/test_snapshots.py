"""Snapshots of the chart specs and of one factsheet page's text, so review sees layout and
wording changes as a diff of a file under tests/snapshots/.

Everything is built from the hand-made publication of `fixtures.published` (indicator 2019-10,
2016-2020: the Netherlands with a single-parent breakdown, Noord-Holland, Amsterdam and two
small municipalities hidden in single years). When a change is intended, rewrite the files
with ``pytest --snapshot-update tests/unit/report/test_snapshots.py`` and commit them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from kansrijk.indicators import indicator
from kansrijk.publication import NL, FunnelPoint, Publication
from kansrijk.report import charts, maps
from kansrijk.report.build import NationalPage, national_html, national_page
from kansrijk.report.labels import Lang

from ...snapshot import (
    SNAPSHOT_DIR,
    UPDATE_ENV,
    UPDATE_OPTION,
    Snapshots,
    compare,
    geometry_digest,
    page_text,
    readable_json,
    spec_snapshot,
)
from .fixtures import published

INDICATOR = "2019-10"
POOLED = (2016, 2020)
CLASSIFICATION = 2023

#: Every snapshot file this module owns (a file not listed here is an orphan).
LANGS: tuple[Lang, ...] = ("nl", "en")
SPEC_FILES: dict[str, tuple[str, Lang]] = {
    f"report/spec-national-{kind}-{lang}.json": (kind, lang)
    for lang in LANGS
    for kind in ("trend", "breakdown", "map")
}
EXTRA_FILES = (
    "report/spec-map-inline-geometry-nl.json",
    "report/spec-funnel-nl.json",
    "report/factsheet-nl.txt",
)


@pytest.fixture(scope="module")
def publication() -> Publication:
    return published()


@pytest.fixture(scope="module")
def pages(publication: Publication) -> dict[Lang, NationalPage]:
    """The national factsheet's content in both languages: its specs are the ones snapshot."""
    return {lang: national_page(publication, lang) for lang in LANGS}


# -- the snapshots ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(SPEC_FILES))
def test_national_chart_specs(
    name: str, pages: dict[Lang, NationalPage], snapshots: Snapshots
) -> None:
    """The trend, breakdown and map specs the national factsheet places (the map without its
    geometry, which the HTML page supplies once for all maps)."""
    kind, lang = SPEC_FILES[name]
    chart = pages[lang].charts[INDICATOR][kind]
    assert chart is not None
    snapshots.assert_match(spec_snapshot(chart.spec), name)


def test_map_with_inline_geometry(publication: Publication, snapshots: Snapshots) -> None:
    """The map as the PDF draws it (geometry inside, replaced by its digest in the snapshot):
    2020, where Amstelveen and Aalsmeer are hidden, with Amsterdam highlighted."""
    cells = publication.municipal(INDICATOR, (2020, 2020))
    assert [c.suppressed for c in cells] == [False, True, True]
    spec = maps.choropleth(
        cells,
        indicator(INDICATOR, 2021),
        CLASSIFICATION,
        "nl",
        highlight="GM0363",
        national=publication.period_cell(INDICATOR, NL, (2020, 2020)),
    )
    digest = geometry_digest(spec["datasets"]["boundaries"])
    assert digest["features"] == 342  # the municipalities of 1 January 2023
    snapshots.assert_match(spec_snapshot(spec), "report/spec-map-inline-geometry-nl.json")


def test_funnel_spec(publication: Publication, snapshots: Snapshots) -> None:
    """A funnel plot of the pooled municipal cells around the national value, Amsterdam
    highlighted. The hand-made publication has no funnel table, so the points are built from
    its published cells; all three lie below the 99.8% limit around 7.8% (e.g. Aalsmeer, 2.0%
    of 750: the limit is 7.8 - 3.09 * sqrt(7.8 * 92.2 / 750) = 4.8)."""
    target = publication.period_cell(INDICATOR, NL, POOLED)
    assert target is not None and target.value == pytest.approx(7.8125)
    points = [
        FunnelPoint(
            c.region_code, c.value, c.denominator, target.value, None, None, None, None, "below"
        )
        for c in publication.municipal(INDICATOR, POOLED)
    ]
    names = {m.code: m.name for m in publication.municipalities()}
    spec = charts.funnel_chart(
        points, indicator(INDICATOR, 2021), "GM0363", names, "nl", period="2016-2020"
    )
    snapshots.assert_match(spec_snapshot(spec), "report/spec-funnel-nl.json")


def test_factsheet_text(
    publication: Publication, pages: dict[Lang, NationalPage], snapshots: Snapshots
) -> None:
    """The reading guide and the first indicator section of the Dutch factsheet (the HTML
    file the report writes), as text: one block per line, charts by their accessible label."""
    html = national_html(publication, "nl", page=pages["nl"])
    text = page_text(html, ["reading-guide", f"ind-{INDICATOR}"])
    assert "\n## 10. Gezinnen die geen gebruik maken van kraamzorg\n" in text
    snapshots.assert_match(text, "report/factsheet-nl.txt")


def test_no_orphan_snapshots() -> None:
    """Every file under tests/snapshots/report/ belongs to a test here (a renamed test must
    not leave its old snapshot behind)."""
    stored = {str(p.relative_to(SNAPSHOT_DIR)) for p in (SNAPSHOT_DIR / "report").iterdir()}
    assert stored == {*SPEC_FILES, *EXTRA_FILES}


# -- the mechanism can fail ---------------------------------------------------------------------
def stored_spec(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SNAPSHOT_DIR / name).read_text("utf-8"))
    return data


def test_changed_label_is_reported() -> None:
    """A trend spec whose axis title changed differs from the stored snapshot: the failure
    shows the changed line (old and new) and how to update."""
    name = "report/spec-national-trend-nl.json"
    spec = stored_spec(name)
    changed = copy.deepcopy(spec)
    changed["layer"][1]["encoding"]["x"]["title"] = "Jaartal"
    expected = (SNAPSHOT_DIR / name).read_text("utf-8")
    assert compare(expected, spec_snapshot(spec), name) is None
    message = compare(expected, spec_snapshot(changed), name)
    assert message is not None
    changed_lines = [line for line in message.splitlines() if line[:1] in "-+" and '"' in line]
    assert [line.replace(" ", "") for line in changed_lines] == [
        '-"title":"Jaar",',
        '+"title":"Jaartal",',
    ]
    assert f"--- {name} (stored)" in message
    assert UPDATE_OPTION in message and UPDATE_ENV in message


def test_changed_encoding_is_reported() -> None:
    """Changing the type of one encoding (quantitative -> ordinal) is a one-line diff."""
    name = "report/spec-national-breakdown-nl.json"
    spec = stored_spec(name)
    changed = copy.deepcopy(spec)
    bars = changed["vconcat"][0]["layer"][0]
    assert bars["encoding"]["x"]["type"] == "quantitative"
    bars["encoding"]["x"]["type"] = "ordinal"
    message = compare(spec_snapshot(spec), spec_snapshot(changed), name)
    assert message is not None
    removed = [line for line in message.splitlines() if line.startswith("-") and '"' in line]
    added = [line for line in message.splitlines() if line.startswith("+") and '"' in line]
    assert [line.strip("-+ ") for line in removed] == ['"type": "quantitative"']
    assert [line.strip("-+ ") for line in added] == ['"type": "ordinal"']


def test_assert_match_fails_then_updates(tmp_path: Path) -> None:
    """A missing or different file fails; update mode writes it, after which it matches."""
    name = "x/spec.json"
    with pytest.raises(AssertionError, match=r"No snapshot x/spec\.json yet"):
        Snapshots(tmp_path).assert_match("a\n", name)
    Snapshots(tmp_path, update=True).assert_match("a", name)
    assert (tmp_path / name).read_text("utf-8") == "a\n"
    Snapshots(tmp_path).assert_match("a", name)
    with pytest.raises(AssertionError, match=r"(?s)-a\n\+b\n.*--snapshot-update"):
        Snapshots(tmp_path).assert_match("b", name)


def test_geometry_digest_sees_a_moved_point() -> None:
    """The digest changes when one coordinate moves (beyond rounding), not otherwise."""
    square = [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]
    features: list[dict[str, Any]] = [
        {"type": "Feature", "properties": {"statcode": "GM0001"}, "geometry": {
            "type": "Polygon", "coordinates": square}},
    ]  # fmt: skip
    moved = copy.deepcopy(features)
    moved[0]["geometry"]["coordinates"][0][2][1] = 1.001
    noise = copy.deepcopy(features)
    noise[0]["geometry"]["coordinates"][0][2][1] = 1.0 + 1e-12
    digest = geometry_digest(features)
    assert digest["features"] == 1
    assert geometry_digest(noise) == digest
    assert geometry_digest(moved)["coordinates_sha256"] != digest["coordinates_sha256"]
    spec = {"datasets": {"boundaries": features, "rows": [{"code": "GM0001", "v": 0.1 + 0.2}]}}
    assert json.loads(spec_snapshot(spec)) == {
        "datasets": {
            "boundaries": {"geometry_digest": digest},
            "rows": [{"code": "GM0001", "v": 0.3}],
        }
    }


def test_readable_json_puts_a_row_on_one_line() -> None:
    assert readable_json({"b": [{"x": 1, "y": "a"}, {"x": 2}], "a": [1, 2]}) == (
        '{\n  "a": [1, 2],\n  "b": [\n    {"x": 1, "y": "a"},\n    {"x": 2}\n  ]\n}'
    )


def test_page_text() -> None:
    """Headings, list items, table rows, definition terms and a chart's label, one per line;
    scripts and elements outside the wanted ids are left out."""
    html = """<body><p>outside</p>
    <section id="a"><h2>Title <em>here</em></h2>
      <p>One   sentence,
         two lines.</p>
      <ul><li>first</li><li>second</li></ul>
      <dl><dt>Term</dt><dd>Meaning</dd></dl>
      <table><caption>Cap</caption><tr><th scope="row">NL</th><td>7,8</td><td></td></tr></table>
      <div role="img" aria-label="Line chart"></div><script>var x = "no";</script>
      <img src="x.svg" alt="A map">
    </section><p>after</p><section id="b"><p>B</p></section></body>"""
    assert page_text(html, ["a", "b"]) == (
        "=== #a ===\n## Title here\nOne sentence, two lines.\n- first\n- second\nTerm\n"
        "Meaning\nCap\n| NL | 7,8 |  |\n[figuur: Line chart]\n[figuur: A map]\n=== #b ===\nB\n"
    )
    with pytest.raises(AssertionError, match="no element with id"):
        page_text(html, ["c"])

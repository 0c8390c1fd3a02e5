"""What the rendered reports say: contents numbered once, the reading guide once at the front,
deviations in the reader's language, breakdown rows in the vocabulary's order, JGZ names."""

from __future__ import annotations

import re

import pytest

from kansrijk.report.build import local_html, national_html
from kansrijk.report.labels import Lang, text

from .english import visible_text
from .fixtures import Row, kraamzorg_rows, published


def _jgz_rows() -> list[Row]:
    """Kraamzorg (2019-10) plus 2019-13 (speech-language, JGZ) with a JGZ breakdown in 2020."""
    rows = kraamzorg_rows()
    for year in range(2016, 2021):
        rows.append(("2019-13", year, year, "nl", "NL01", "total", "total", 900, 10_000))
    for code, num, den in (("JGZ10", 300, 3_000), ("JGZ02", 400, 4_000), ("JGZ05", 200, 3_000)):
        rows.append(("2019-13", 2020, 2020, "nl", "NL01", "jgz_organisation", code, num, den))
    for value, num, den in (("yes", 200, 2_000), ("no", 650, 7_500), ("unknown", 50, 500)):
        rows.append(("2019-13", 2020, 2020, "nl", "NL01", "single_parent", value, num, den))
    return rows


@pytest.fixture(scope="module")
def pages() -> dict[Lang, str]:
    p = published(_jgz_rows())
    return {lang: national_html(p, lang, interactive=False) for lang in ("nl", "en")}


def _toc(html: str) -> list[str]:
    nav = re.search(r'<nav class="toc".*?</nav>', html, re.S)
    assert nav is not None
    return [visible_text(item) for item in re.findall(r"<li>(.*?)</li>", nav.group(0), re.S)]


def test_contents_number_each_heading_once(pages: dict[Lang, str]) -> None:
    html = pages["nl"]
    items = _toc(html)
    assert "10. Gezinnen die geen gebruik maken van kraamzorg" in items
    assert not any(re.match(r"\d+[a-z]?\. \d+[a-z]?\. ", item) for item in items), items
    nav = re.search(r'<nav class="toc".*?</nav>', html, re.S)
    assert nav is not None and "<ol" not in nav.group(0)  # the list adds no numbers of its own


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_reading_guide_is_once_at_the_front(pages: dict[Lang, str], lang: Lang) -> None:
    html = pages[lang]
    assert html.count('id="reading-guide"') == 1
    guide = html.index('id="reading-guide"')
    assert guide < html.index('id="dashboard"') < html.index('id="ind-2019-10"')
    body = visible_text(html[guide : html.index('id="dashboard"')])
    assert text("guide_title", lang) in body
    assert ("99,8%" if lang == "nl" else "99.8%") in body


def test_local_monitor_has_the_reading_guide_too() -> None:
    html = local_html(published(), "GM0363", "nl", interactive=False)
    assert html.count('id="reading-guide"') == 1
    assert html.index('id="reading-guide"') < html.index('id="phase-1"')


def test_deviations_are_in_the_readers_language(pages: dict[Lang, str]) -> None:
    nl, en = pages["nl"], pages["en"]
    assert "toelichting in het Engels" not in nl
    assert 'lang="en"' not in nl.split("<body>", 1)[1]  # no English passage left in the page
    assert "Alleen JGZ-organisaties die gegevens aanleveren" in nl  # 2019-13's deviation
    assert "Only JGZ organisations that deliver data are covered" in en
    assert "Negatieve percentielcodes in INHATAB" in nl  # 2019-10's income deviation


def _breakdown_rows(html: str, indicator: str, label: str) -> list[str]:
    section = html.split(f'id="ind-{indicator}"', 1)[1]
    end = r'(?:<th scope="rowgroup"|</tbody>)'
    group = re.search(rf'rowspan="\d+">{re.escape(label)}</th>(.*?){end}', section, re.S)
    assert group is not None, label
    return re.findall(r"<td>([^<]*)</td>", group.group(1))


def test_breakdown_rows_follow_the_vocabulary(pages: dict[Lang, str]) -> None:
    assert _breakdown_rows(pages["nl"], "2019-13", "Eenoudergezin") == ["ja", "nee", "onbekend"]
    assert _breakdown_rows(pages["en"], "2019-13", "Single-parent household") == [
        "yes",
        "no",
        "unknown",
    ]


def test_jgz_organisations_are_named_in_natural_order(pages: dict[Lang, str]) -> None:
    rows = _breakdown_rows(pages["nl"], "2019-13", "JGZ-organisatie")
    assert rows == ["JGZ-organisatie 2", "JGZ-organisatie 5", "JGZ-organisatie 10"]
    assert not re.search(r">JGZ\d+<", pages["nl"])  # no bare code in a cell


def test_charts_and_tables_share_the_order() -> None:
    """The breakdown chart (charts.VALUE_ORDER) and the table (labels.value_order) agree."""
    from kansrijk.report.build import national_page

    page = national_page(published(_jgz_rows()), "nl")
    html = national_html(published(_jgz_rows()), "nl", interactive=False, page=page)
    spec = page.charts["2019-13"]["breakdown"]
    assert spec is not None
    groups = [[row["group"] for row in rows] for rows in spec.spec["datasets"].values()]
    assert ["ja", "nee", "onbekend"] in groups
    assert _breakdown_rows(html, "2019-13", "JGZ-organisatie") in groups

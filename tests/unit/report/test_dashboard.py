"""Dashboard models on a hand-built run: tiles, trends, the local comparison, hidden cells."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kansrijk.indicators.model import Direction, Phase
from kansrijk.publication import DisclosureError, Publication
from kansrijk.report import dashboard
from kansrijk.report.labels import Lang
from kansrijk.stats import Change

from .fixtures import MANIFEST, Row, kraamzorg_rows, published


def test_national_tile_has_latest_value_and_undesired_rise() -> None:
    report = dashboard.national(published())
    (section,) = report.sections
    tile = section.tile
    assert tile.latest is not None
    assert tile.latest.period_start == 2020
    assert tile.latest.value == pytest.approx(7.5)
    assert tile.trend is not None
    # 10,000/160,000 -> 12,000/160,000: a rise; lower is better for kraamzorg non-use
    assert tile.trend.change is Change.UP
    assert (tile.trend.since, tile.trend.until) == (2016, 2020)
    assert tile.trend.desired is False
    assert section.breakdown_year == 2020
    # ja before nee (the vocabulary's order), not the English codes' alphabet (no, yes)
    assert [c.breakdown_value for c in section.breakdowns["single_parent"]] == ["yes", "no"]
    assert tile.review is None
    assert section.map_period == (2016, 2020)
    assert {c.region_code for c in section.map_cells} == {"GM0358", "GM0362", "GM0363"}


def test_trend_needs_two_published_years_and_knows_direction() -> None:
    p = published()
    assert dashboard.trend(p.series("2019-10", "GM0362"), Direction.LOWER_IS_BETTER) is None
    rise = dashboard.trend(p.series("2019-10"), Direction.HIGHER_IS_BETTER)
    assert rise is not None and rise.desired is True
    flat = dashboard.trend(p.series("2019-10", "GM0363"), Direction.LOWER_IS_BETTER)
    assert flat is not None and flat.change is Change.STABLE and flat.desired is None


def test_local_compares_with_province_and_nl_and_counts_hidden() -> None:
    local = dashboard.local(published(), "GM0362")
    assert local.region.name == "Amstelveen"
    assert local.province.code == "PV27"
    assert [p for p, _ in local.phases] == list(Phase)  # every phase, empty ones too
    ((phase, (comparison,)),) = [(p, cs) for p, cs in local.phases if cs]
    assert phase is Phase.AFTER
    assert comparison.latest is not None and comparison.latest.suppressed
    assert comparison.latest.value is None
    assert comparison.latest_province is not None
    assert comparison.latest_province.value == pytest.approx(100 * 2_000 / 30_000)
    assert comparison.pooled is not None and comparison.pooled.value == pytest.approx(
        100 * 20 / 1500
    )
    assert comparison.pooled_nl is not None
    assert comparison.pooled_nl.value == pytest.approx(100 * 62_500 / 800_000)
    assert local.hidden_cells == 5  # five hidden single years; the pooled figure is shown


def test_local_rejects_non_municipalities() -> None:
    with pytest.raises(KeyError):
        dashboard.local(published(), "PV27")
    with pytest.raises(KeyError):
        dashboard.local(published(), "GM9999")


def test_a_table_that_leaks_a_hidden_value_is_refused() -> None:
    table = published().results
    hidden = pc.fill_null(table["suppressed"], False)
    leaked = table.set_column(
        table.schema.get_field_index("value"),
        "value",
        pc.if_else(hidden, pa.scalar(1.0), table["value"]),
    )
    with pytest.raises(DisclosureError):
        Publication.from_table(leaked, MANIFEST)


#: What disclosure control knows of a hidden cell and no report may say.
REASON_WORDS = ("suppression_reason", "primary", "secondary", "primair", "secundair")


def test_reports_say_hidden_never_why() -> None:
    """A hidden cell is "verborgen (privacy)" / "hidden (privacy)"; no report says why."""
    from kansrijk.report.build import local_html, national_html

    p = published()
    langs: tuple[Lang, ...] = ("nl", "en")
    for lang in langs:
        for interactive in (True, False):
            pages = {
                "national": national_html(p, lang, interactive=interactive),
                "local": local_html(p, "GM0362", lang, interactive=interactive),
            }
            for name, html in pages.items():
                # the page and its chart specs; the vega-embed bundle is library code
                text = re.sub(r'<script type="module">.*?</script>', "", html, flags=re.S)
                for word in REASON_WORDS:
                    assert word not in text.lower(), (lang, interactive, name, word)
            hidden = "verborgen (privacy)" if lang == "nl" else "hidden (privacy)"
            assert hidden in pages["local"], (lang, interactive)


def _late_care_rows() -> list[Row]:
    """Indicator 2019-07 (late first antenatal visit, under review) beside 2019-10, 2016-2020,
    with a single-parent breakdown whose codes sort "no, unknown, yes" alphabetically."""
    rows = kraamzorg_rows()
    for i, year in enumerate(range(2016, 2021)):
        late = 9_000 + 500 * i  # rising: a red "undesired" trend if it were judged
        rows.append(("2019-07", year, year, "nl", "NL01", "total", "total", late, 100_000))
        for value, num, den in (("yes", 2_000, 15_000), ("no", 6_500, 80_000)):
            rows.append(("2019-07", year, year, "nl", "NL01", "single_parent", value, num, den))
        rows.append(("2019-07", year, year, "nl", "NL01", "single_parent", "unknown", 500, 5_000))
    return rows


def test_breakdowns_follow_the_vocabulary_with_unknown_last() -> None:
    report = dashboard.national(published(_late_care_rows()))
    (late,) = [s for s in report.sections if s.indicator.id == "2019-07"]
    assert [c.breakdown_value for c in late.breakdowns["single_parent"]] == [
        "yes",
        "no",
        "unknown",
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_indicator_7_is_under_review_and_does_not_lead_the_dashboard(lang: Lang) -> None:
    report = dashboard.national(published(_late_care_rows()), lang)
    assert [s.indicator.id for s in report.sections] == ["2019-07", "2019-10"]  # catalogue
    assert [s.indicator.id for s in report.dashboard] == ["2019-10", "2019-07"]  # review last
    tile = report.dashboard[-1].tile
    assert tile.review is not None
    assert ("wordt herzien" if lang == "nl" else "under review") in tile.review
    assert tile.trend is not None and tile.trend.desired is False  # computed, never shown


def test_the_review_tile_is_neutral_and_says_why() -> None:
    from kansrijk.report.build import national_html

    html = national_html(published(_late_care_rows()), "nl", interactive=False)
    tile = re.search(r'<li class="tile" data-indicator="2019-07">(.*?)</li>', html, re.S)
    assert tile is not None
    assert "Wordt herzien" in tile.group(1)
    assert "trend-undesired" not in tile.group(1) and "trend-desired" not in tile.group(1)
    assert "niet beoordeeld" in tile.group(1)
    assert html.index('data-indicator="2019-10"') < html.index('data-indicator="2019-07"')
    assert 'data-review="2019-07"' in html.split('id="ind-2019-07"', 1)[1]  # in its section


def test_the_review_section_has_a_key_message_without_judgement() -> None:
    from kansrijk.report.build import national_html

    html = national_html(published(_late_care_rows()), "nl", interactive=False)
    late = re.search(r'data-key-message="2019-07">(.*?)</p>', html, re.S)
    kraamzorg = re.search(r'data-key-message="2019-10">(.*?)</p>', html, re.S)
    assert late is not None and kraamzorg is not None
    assert "het cijfer wordt herzien" in late.group(1)
    assert "ongewenste" not in late.group(1)
    assert "de ongewenste kant op" in kraamzorg.group(1)
    assert "Waarom deze indicator" in html.split('id="ind-2019-10"', 1)[1]


def _programme_publication(tmp_path: Path) -> Publication:
    """The programme indicators of two hand-counted years, published and opened as the web
    app does (`Publication.open(dir, basename=BASENAME)`)."""
    from kansrijk.programme import BASENAME, compute_programme, publish_programme

    from ..programme.fixtures import year_facts

    results = compute_programme([year_facts(2020), year_facts(2021, centering_ouderschap={2, 3})])
    publish_programme(results, tmp_path / "programme")
    return Publication.open(tmp_path / "programme", basename=BASENAME)


def test_programme_indicators_come_from_their_publication(tmp_path: Path) -> None:
    from kansrijk.programme import PROGRAMME_INDICATORS

    assert dashboard.programme(published(), PROGRAMME_INDICATORS) is None  # not in the run
    found = dashboard.programme(_programme_publication(tmp_path), PROGRAMME_INDICATORS)
    assert found is not None
    assert found.years == (2020, 2021)
    assert [s.indicator.number for s in found.sections] == ["1", "2", "3", "4", "5", "6", "9"]
    coalitions, *_, ouderschap = found.sections
    assert [c.indicator_id for c in coalitions.responding] == ["2019-01r", "2019-01r"]
    assert [c.numerator for c in coalitions.unknown] == [2, 2]  # GM0005 and GM0006
    assert coalitions.latest is not None
    assert (coalitions.latest.numerator, coalitions.latest.denominator) == (2, 6)
    assert ouderschap.responding == [] and ouderschap.unknown == []
    assert ouderschap.latest is not None and ouderschap.latest.numerator == 2
    assert ouderschap.trend is not None and ouderschap.trend.change is Change.STABLE


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_factsheet_has_a_programme_section_or_says_it_is_absent(
    tmp_path: Path, lang: Lang
) -> None:
    from kansrijk.programme import PROGRAMME_INDICATORS
    from kansrijk.report.build import national_html

    from .english import english_words, visible_text

    found = dashboard.programme(_programme_publication(tmp_path), PROGRAMME_INDICATORS)
    html = national_html(published(), lang, interactive=False, programme=found)
    section = html.split('id="programme"', 1)[1].split('class="indicator"', 1)[0]
    assert section.count('class="programme-indicator"') == 7
    assert 'href="#programme"' in html
    text = visible_text(section)
    if lang == "nl":
        assert "Laatste gepubliceerde jaar 2021: 33% (2 van 6; 95%-BI 10–70)." in text
        assert "Vragenlijst onder gemeenten" in text and "Stichting Centering Nederland" in text
        assert "Waarom deze indicator" in text
        assert not english_words(text), english_words(text)
    else:
        assert "Latest published year 2021: 33% (2 of 6; 95% CI 10–70)." in text
    absent = national_html(published(), lang, interactive=False)
    note = absent.split('id="programme"', 1)[1].split("</section>", 1)[0]
    assert 'data-programme="absent"' in note and "--programme" in note
    assert 'class="programme-indicator"' not in note

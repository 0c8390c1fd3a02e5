"""Key messages from hand-made cells: level, trend with its test, groups, and what they never
say (a hidden number, a judgement of an indicator under review)."""

from __future__ import annotations

import pytest

from kansrijk.indicators.model import Direction
from kansrijk.programme import PROGRAMME_INDICATORS
from kansrijk.publication import Cell
from kansrijk.report import dashboard
from kansrijk.report.key_messages import (
    for_programme,
    for_section,
    group_differences,
    key_message,
)
from kansrijk.report.labels import Lang
from kansrijk.stats import Change, interval_for_unit

from .english import english_words
from .fixtures import published

LOWER = Direction.LOWER_IS_BETTER


def cell(
    year: int,
    numerator: int | None,
    denominator: int | None,
    *,
    breakdown: str = "total",
    value: str = "total",
    unit: str = "%",
    hidden: bool = False,
) -> Cell:
    """A published cell with its Wilson interval, or a hidden one (no numbers at all)."""
    if hidden:
        return Cell("x", year, year, "nl", "NL01", breakdown, value, None, None, None, None, None,
                    unit, True)  # fmt: skip
    assert numerator is not None and denominator is not None
    scale = 1000.0 if unit == "per 1,000" else 100.0
    low, high = interval_for_unit(unit, [numerator], [denominator])
    shown = scale * numerator / denominator
    return Cell("x", year, year, "nl", "NL01", breakdown, value, numerator, denominator,
                shown, float(low[0]), float(high[0]), unit, False)  # fmt: skip


SERIES = [cell(2016, 1_000, 20_000), cell(2017, 1_100, 20_000), cell(2018, 1_200, 20_000)]
BREAKDOWNS = {
    "single_parent": [
        cell(2018, 300, 2_000, breakdown="single_parent", value="yes"),  # 15%: clearly higher
        cell(2018, 900, 18_000, breakdown="single_parent", value="no"),  # 5%: clearly lower
        cell(2018, 4, 5, breakdown="single_parent", value="unknown"),  # 80%: left out
    ],
    "income_p10": [
        cell(2018, 61, 1_000, breakdown="income_p10", value="<P10"),  # 6.1%: within the noise
        cell(2018, 0, 0, breakdown="income_p10", value=">=P10", hidden=True),
    ],
}


def message(
    series: list[Cell] = SERIES,
    breakdowns: dict[str, list[Cell]] = BREAKDOWNS,
    lang: Lang = "nl",
    review: str | None = None,
) -> str:
    latest = next((c for c in reversed(series) if not c.suppressed), series[-1] if series else None)
    trend = dashboard.trend(series, LOWER)
    return key_message(latest, series, trend, breakdowns, lang, review=review).text


def test_level_trend_and_the_groups_that_differ_most() -> None:
    text = message()
    assert text.startswith("Laatste gepubliceerde jaar 2018: 6,0% (95%-BI 5,7–6,3).")
    assert "Sinds 2016 gestegen van 5,0% naar 6,0% (p < 0,001), de ongewenste kant op." in text
    assert "Grootste verschillen met het totaal (6,0%) in 2018:" in text
    assert "hoger bij ‘Eenoudergezin: ja’: 15,0%" in text
    assert "lager bij ‘Eenoudergezin: nee’: 5,0%" in text
    assert "onbekend" not in text and "80,0" not in text  # "unknown" is no group
    assert "6,1" not in text  # its interval holds the total's value
    assert not english_words(text)


def test_english_via_the_labels() -> None:
    text = message(lang="en")
    assert "Latest published year 2018: 6.0% (95% CI 5.7–6.3)." in text
    assert "Since 2016 risen from 5.0% to 6.0% (p < 0.001), in the undesired direction." in text
    assert "higher for ‘Single-parent household: yes’: 15.0%" in text


def test_a_stable_trend_gives_its_p_value_and_no_direction() -> None:
    series = [cell(2016, 100, 2_000), cell(2018, 104, 2_000)]
    text = message(series, {})
    assert (
        "Sinds 2016 geen significante verandering (5,0% in 2016, 5,2% in 2018; p = 0,77)." in text
    )
    assert "gewenste" not in text


def test_hidden_cells_never_give_a_number() -> None:
    # The latest year is hidden: the level, the trend and the groups use published cells only.
    series = [cell(2016, 1_000, 20_000), cell(2017, 1_100, 20_000), cell(2018, 0, 0, hidden=True)]
    text = message(series)
    assert text.startswith("Laatste gepubliceerde jaar 2017: 5,5%")
    assert "Sinds 2016 gestegen van 5,0% naar 5,5%" in text
    only_hidden = [cell(2018, 0, 0, hidden=True)]
    text = message(only_hidden, BREAKDOWNS)
    assert text == (
        "Het laatste cijfer (2018) is verborgen (privacy). Te weinig gepubliceerde jaren voor "
        "een trend."
    )  # no groups against a hidden total
    hidden_groups = {"debts": [cell(2018, 0, 0, breakdown="debts", value="yes", hidden=True)]}
    assert "geen duidelijke verschillen" in message(SERIES, hidden_groups)


def test_a_single_year_has_no_trend() -> None:
    text = message([cell(2018, 1_200, 20_000)], {})
    assert text == (
        "Laatste gepubliceerde jaar 2018: 6,0% (95%-BI 5,7–6,3). Te weinig gepubliceerde jaren "
        "voor een trend."
    )


def test_no_breakdowns_no_group_sentence_and_no_clear_differences() -> None:
    assert len(key_message(SERIES[-1], SERIES, None, {}).sentences) == 2
    noisy = {"income_p10": BREAKDOWNS["income_p10"]}
    text = message(SERIES, noisy)
    assert text.endswith("Uitsplitsingen in 2018: geen duidelijke verschillen met het totaal.")


def test_organisations_are_not_groups() -> None:
    jgz = {
        "jgz_organisation": [cell(2018, 500, 1_000, breakdown="jgz_organisation", value="JGZ02")]
    }
    assert group_differences(SERIES[-1], jgz) == ()
    assert "geen duidelijke verschillen" in message(SERIES, jgz)


def test_an_indicator_under_review_is_not_judged() -> None:
    km = key_message(
        SERIES[-1], SERIES, dashboard.trend(SERIES, LOWER), BREAKDOWNS, review="wordt herzien"
    )
    assert not km.judged and km.trend is None and km.groups == ()
    assert km.text == (
        "Laatste gepubliceerde jaar 2018: 6,0% (95%-BI 5,7–6,3). Geen oordeel over de trend of "
        "over verschillen tussen groepen: het cijfer wordt herzien."
    )
    assert "gestegen" not in km.text and "Eenoudergezin" not in km.text


def test_rates_per_thousand() -> None:
    series = [cell(2016, 40, 20_000, unit="per 1,000"), cell(2018, 36, 20_000, unit="per 1,000")]
    text = message(series, {})
    assert text.startswith("Laatste gepubliceerde jaar 2018: 1,8 per 1.000 (95%-BI 1,3–2,5).")
    assert "(2,0 per 1.000 in 2016, 1,8 per 1.000 in 2018; p = 0,65)" in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_for_section_uses_the_published_run(lang: Lang) -> None:
    (section,) = dashboard.national(published(), lang).sections
    km = for_section(section, lang)
    assert km.level is section.tile.latest
    assert km.trend is not None and km.trend.change is Change.UP
    assert [g.cell.breakdown_value for g in km.groups] == ["yes", "no"]
    assert ("7,5%" if lang == "nl" else "7.5%") in km.text


def test_for_programme_gives_counts_and_whole_percentages() -> None:
    series = [cell(2020, 59, 275), cell(2021, 140, 273)]
    section = dashboard.ProgrammeSection(
        indicator=PROGRAMME_INDICATORS[0],
        series=series,
        responding=[],
        unknown=[],
        trend=dashboard.trend(series, Direction.HIGHER_IS_BETTER),
    )
    text = for_programme(section).text
    assert text.startswith("Laatste gepubliceerde jaar 2021: 51% (140 van 273; 95%-BI 45–57).")
    assert "Sinds 2020 gestegen van 21% naar 51% (p < 0,001), de gewenste kant op." in text

"""The key message of an indicator, generated from its published figures.

Three statements, each built only from published cells (a hidden cell carries no numbers, so
none can leak into a message):

1. **Level**: the latest published year's value with its 95% interval (a programme indicator
   adds its count, "140 van 273").
2. **Trend**: the change from the first to the latest published year with its test
   (`kansrijk.report.dashboard.trend`, `kansrijk.stats.proportion_change`), and whether it goes
   the desired way. Fewer than two published years: "too few years".
3. **Groups**: in the breakdowns of the latest year, the group furthest *above* and the group
   furthest *below* the total among the groups whose 95% interval excludes the total's value;
   none such: "geen duidelijke verschillen". A group is compared only when it is published,
   with an interval, and is a group of people: "onbekend" (no information) and the JGZ
   organisations (a difference between organisations says more about registration than about
   families) are left out. An indicator without breakdowns gets no third statement.

An indicator *under review* (`kansrijk.report.caveats.REVIEWS`) gets its level for
information and, instead of a trend or groups, the statement that it is not judged.

Pure functions over the dashboard models; the words come from `kansrijk.report.labels`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kansrijk.publication import Cell
from kansrijk.report.dashboard import NationalSection, ProgrammeSection, Trend
from kansrijk.report.labels import (
    UNKNOWN,
    Lang,
    breakdown_label,
    count,
    number,
    text,
    unit_label,
    value_label,
)

__all__ = [
    "NOT_GROUPS",
    "GroupDifference",
    "KeyMessage",
    "for_programme",
    "for_section",
    "group_differences",
    "key_message",
]

#: Breakdowns whose values are not groups of people (left out of the "groups" statement).
NOT_GROUPS: frozenset[str] = frozenset({"jgz_organisation"})


@dataclass(frozen=True)
class GroupDifference:
    """A breakdown group whose published interval lies wholly above or below the total."""

    breakdown: str
    cell: Cell
    #: "higher" or "lower" than the total.
    side: str
    difference: float


@dataclass(frozen=True)
class KeyMessage:
    """The key message of one indicator: its statements in the reader's language, and what
    they were built from (for tests and other renderings)."""

    sentences: tuple[str, ...]
    level: Cell | None = None
    trend: Trend | None = None
    groups: tuple[GroupDifference, ...] = field(default=())
    judged: bool = True

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def _shown(cell: Cell | None) -> bool:
    return cell is not None and not cell.suppressed and cell.value is not None


def _value(value: float, unit: str, lang: Lang, digits: int) -> str:
    formatted = number(value, lang, digits)
    return f"{formatted}%" if unit == "%" else f"{formatted} {unit_label(unit, lang)}"


def _p(p: float, lang: Lang) -> str:
    """ "< 0,001", "= 0,004", "= 0,47" (two decimals from 0.01 on, as RIVM writes them)."""
    if p < 0.001:
        return f"< {number(0.001, lang, 3)}"
    return f"= {number(p, lang, 3 if p < 0.01 else 2)}"


def group_differences(
    total: Cell | None, breakdowns: Mapping[str, Sequence[Cell]]
) -> tuple[GroupDifference, ...]:
    """The group furthest above and the group furthest below ``total`` among the published
    groups whose 95% interval excludes the total's value (at most two; above first)."""
    if not _shown(total):
        return ()
    assert total is not None and total.value is not None
    level = total.value
    above: GroupDifference | None = None
    below: GroupDifference | None = None
    for name, cells in breakdowns.items():
        if name in NOT_GROUPS:
            continue
        for c in cells:
            if not _shown(c) or c.breakdown_value == UNKNOWN:
                continue
            if c.ci_low is None or c.ci_high is None or c.value is None:
                continue
            difference = c.value - level
            if c.ci_low > level and (above is None or difference > above.difference):
                above = GroupDifference(name, c, "higher", difference)
            elif c.ci_high < level and (below is None or difference < below.difference):
                below = GroupDifference(name, c, "lower", difference)
    return tuple(g for g in (above, below) if g is not None)


def _level(latest: Cell | None, lang: Lang, digits: int, counts: bool) -> str:
    if latest is None:
        return text("km_level_none", lang)
    if not _shown(latest):
        return text("km_level_hidden", lang, year=latest.period)
    assert latest.value is not None
    values = {
        "year": latest.period,
        "value": _value(latest.value, latest.unit, lang, digits),
        "low": number(latest.ci_low, lang, digits),
        "high": number(latest.ci_high, lang, digits),
    }
    if counts and latest.numerator is not None and latest.denominator is not None:
        return text(
            "km_level_counts",
            lang,
            numerator=count(latest.numerator, lang),
            denominator=count(latest.denominator, lang),
            **values,
        )
    return text("km_level", lang, **values)


def _trend(trend: Trend | None, series: Sequence[Cell], lang: Lang, digits: int) -> str:
    if trend is None:
        return text("km_trend_none", lang)
    by_year = {c.period_start: c.value for c in series if _shown(c)}

    def at(year: int) -> str:
        value = by_year.get(year)
        return "–" if value is None else _value(value, series[0].unit, lang, digits)

    values = {
        "since": trend.since,
        "until": trend.until,
        "first": at(trend.since),
        "last": at(trend.until),
        "p": _p(trend.p_value, lang),
    }
    if trend.desired is None:
        return text("km_trend_stable", lang, **values)
    direction = text("desired" if trend.desired else "undesired", lang)
    return text(
        "km_trend_change", lang, change=text(str(trend.change), lang), direction=direction, **values
    )


def _groups(
    total: Cell | None,
    breakdowns: Mapping[str, Sequence[Cell]],
    lang: Lang,
    digits: int,
) -> tuple[str | None, tuple[GroupDifference, ...]]:
    if not breakdowns or not _shown(total):
        return None, ()
    assert total is not None and total.value is not None
    found = group_differences(total, breakdowns)
    if not found:
        return text("km_no_groups", lang, year=total.period), ()
    parts = []
    for g in found:
        c = g.cell
        assert c.value is not None
        group = f"{breakdown_label(g.breakdown, lang)}: {value_label(c.breakdown_value, lang)}"
        parts.append(
            text(
                f"km_group_{g.side}",
                lang,
                group=group,
                value=_value(c.value, c.unit, lang, digits),
                low=number(c.ci_low, lang, digits),
                high=number(c.ci_high, lang, digits),
            )
        )
    sentence = text(
        "km_groups",
        lang,
        total=_value(total.value, total.unit, lang, digits),
        year=total.period,
        groups="; ".join(parts),
    )
    return sentence, found


def key_message(
    latest: Cell | None,
    series: Sequence[Cell],
    trend: Trend | None,
    breakdowns: Mapping[str, Sequence[Cell]],
    lang: Lang = "nl",
    *,
    review: str | None = None,
    digits: int = 1,
    counts: bool = False,
) -> KeyMessage:
    """The key message from an indicator's latest total cell, its yearly series, its trend
    (`kansrijk.report.dashboard.trend` of that series) and the breakdowns of the latest year.

    ``review``: the reason an indicator is under review (then no trend or group judgement);
    ``digits``: decimals of the values; ``counts``: add "n van N" to the level."""
    sentences = [_level(latest, lang, digits, counts)]
    if review is not None:
        sentences.append(text("km_review", lang))
        return KeyMessage(tuple(sentences), latest, None, (), judged=False)
    sentences.append(_trend(trend, series, lang, digits))
    groups_text, groups = _groups(latest, breakdowns, lang, digits)
    if groups_text:
        sentences.append(groups_text)
    return KeyMessage(tuple(sentences), latest, trend, groups)


def for_section(section: NationalSection, lang: Lang = "nl") -> KeyMessage:
    """The key message of one indicator of the national factsheet."""
    tile = section.tile
    # The breakdowns are those of the latest published year, the year of ``tile.latest``.
    return key_message(
        tile.latest, section.series, tile.trend, section.breakdowns, lang, review=tile.review
    )


def for_programme(section: ProgrammeSection, lang: Lang = "nl") -> KeyMessage:
    """The key message of a programme indicator: whole percentages and "n van N", as RIVM's
    table of the programme indicators shows them; no breakdowns."""
    return key_message(
        section.latest, section.series, section.trend, {}, lang, digits=0, counts=True
    )

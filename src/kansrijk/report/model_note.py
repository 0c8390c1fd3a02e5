"""The explanation box of a model-based indicator: what the model is, what it is not, how a
child counts and what the interval holds.

Indicators 2023-11 and 2024-14 are not counted from a registry fact but predicted by the
vulnerability model (``kansrijk.vulnerability``). Beside their figures the reports print this
box, with the latest published figure and its interval (imputation and sampling, as the
engine computes it) beside the interval the figure would have with sampling alone, so a reader
sees how much the imputation adds. Only published cells are read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kansrijk import __version__
from kansrijk.indicators import Indicator, catalogue
from kansrijk.indicators.catalogue import VULNERABILITY_INTERVAL
from kansrijk.publication import Cell
from kansrijk.report.definitions_nl import VULNERABILITY_INTERVAL_NL
from kansrijk.report.labels import Lang, number, text
from kansrijk.stats import Change, interval_for_unit
from kansrijk.stats.quantiles import norm_ppf, norm_sf

#: Outcomes predicted by the vulnerability model (the engine's ``vulnerability.OUTCOME``).
MODEL_OUTCOMES = frozenset({"multidim_vulnerable"})
#: The ids of the indicators with those outcomes (2023-11, 2024-14).
MODEL_BASED_IDS = frozenset(d.id for d in catalogue() if d.outcome in MODEL_OUTCOMES)


@dataclass(frozen=True)
class ModelNote:
    """The box, in the reader's language: (heading, text) paragraphs, the latest figure with
    both intervals (None when no published cell), the interval method in detail."""

    title: str
    paragraphs: tuple[tuple[str, str], ...]
    latest: str | None
    interval_details: str
    card: str


def is_model_based(indicator: Indicator) -> bool:
    """Whether ``indicator`` is predicted by the vulnerability model."""
    return indicator.outcome in MODEL_OUTCOMES


def interval_change(
    before: Cell, after: Cell, confidence: float = 0.95
) -> tuple[Change, float] | None:
    """Is the change from ``before`` to ``after`` more than their published intervals allow?
    A z-test with each cell's standard error read from its 95% interval (width / 3.92), for
    the trend arrow of a model-based figure: a test on the counts alone
    (``kansrijk.stats.proportion_change``) would ignore the imputation uncertainty. The two
    years count as independent, which is conservative when the same model's imputation errors
    go the same way in both. None when a cell has no value or interval."""
    cells = (before, after)
    if any(c.value is None or c.ci_low is None or c.ci_high is None for c in cells):
        return None
    assert before.value is not None and after.value is not None
    z95 = norm_ppf(0.975)
    se = math.sqrt(sum(((c.ci_high or 0.0) - (c.ci_low or 0.0)) ** 2 for c in cells)) / (2 * z95)
    if se == 0:
        return Change.STABLE, 1.0
    z = (after.value - before.value) / se
    p_value = 2 * norm_sf(abs(z))
    if p_value >= 1 - confidence:
        return Change.STABLE, p_value
    return (Change.UP if z > 0 else Change.DOWN), p_value


def latest_text(cell: Cell | None, region: str, lang: Lang = "nl") -> str | None:
    """ "{region} {period}: value (95%-BI low–high); met alleen de steekproefonzekerheid ..."
    for a published cell; None for a missing or hidden one."""
    if cell is None or cell.suppressed or cell.value is None or cell.ci_low is None:
        return None
    if cell.numerator is None or cell.denominator is None or cell.ci_high is None:
        return None
    low, high = interval_for_unit(cell.unit, cell.numerator, cell.denominator)
    return text(
        "model_latest",
        lang,
        region=region,
        period=cell.period,
        value=number(cell.value, lang),
        low=number(cell.ci_low, lang),
        high=number(cell.ci_high, lang),
        sampling_low=number(float(low), lang),
        sampling_high=number(float(high), lang),
    )


def model_note(
    indicator: Indicator, cell: Cell | None, region: str, lang: Lang = "nl"
) -> ModelNote | None:
    """The box of ``indicator`` (None when it is not model-based), with ``cell`` (the latest
    figure of ``region``, e.g. "Nederland") and its intervals."""
    if not is_model_based(indicator):
        return None
    paragraphs = tuple(
        (text(f"{key}_label", lang), text(key, lang))
        for key in ("model_is", "model_is_not", "model_count", "model_uncertainty")
    )
    return ModelNote(
        title=text("model_title", lang),
        paragraphs=paragraphs,
        latest=latest_text(cell, region, lang),
        interval_details=VULNERABILITY_INTERVAL_NL if lang == "nl" else VULNERABILITY_INTERVAL,
        card=text("model_card", lang, version=__version__),
    )


__all__ = [
    "MODEL_BASED_IDS",
    "MODEL_OUTCOMES",
    "ModelNote",
    "interval_change",
    "is_model_based",
    "latest_text",
    "model_note",
]

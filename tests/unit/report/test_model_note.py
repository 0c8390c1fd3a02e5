"""The vulnerability indicator in the reports: a hand-made published run of edition 2024 with
indicator 2024-14 (and 2024-13 beside it), its interval from the engine's Rubin rule, through
`protect` and `publish`; the national factsheet and Amsterdam's local monitor must show the
figure, its interval and the explanation box, in Dutch and in English."""

from __future__ import annotations

import tempfile
from functools import cache
from html import unescape
from pathlib import Path

import numpy as np
import pyarrow as pa

from kansrijk.engine.structure import results_structure
from kansrijk.engine.vulnerability import FIXED_POINT, rubin_interval
from kansrijk.indicators import indicator
from kansrijk.indicators.model import Direction
from kansrijk.publication import RESULTS_SCHEMA, DisclosurePolicy, Publication, protect, publish
from kansrijk.report.build import local_html, national_html
from kansrijk.report.dashboard import trend
from kansrijk.report.labels import number, text
from kansrijk.report.model_note import is_model_based, model_note
from kansrijk.stats import Change, interval_for_unit, proportion_change

#: (indicator, start, end, region_type, region, numerator, denominator, imputation shares)
ROWS = [
    *[
        ("2024-14", y, y, "nl", "NL01", 9_000 + 100 * i, 150_000, (0.058, 0.062, 0.060))
        for i, y in enumerate(range(2020, 2025))
    ],
    *[
        ("2024-14", y, y, "province", "PV27", 1_500, 25_000, (0.059, 0.061, 0.060))
        for y in range(2020, 2025)
    ],
    *[
        ("2024-14", y, y, "gemeente", "GM0363", 500, 8_000, (0.060, 0.066, 0.063))
        for y in range(2020, 2025)
    ],
    ("2024-14", 2020, 2024, "nl", "NL01", 47_000, 750_000, (0.060, 0.064, 0.062)),
    ("2024-14", 2020, 2024, "gemeente", "GM0363", 2_500, 40_000, (0.060, 0.066, 0.063)),
    *[
        ("2024-13", y, y, kind, code, num, den, None)
        for y in range(2020, 2025)
        for kind, code, num, den in (
            ("nl", "NL01", 6_000, 150_000),
            ("province", "PV27", 1_000, 25_000),
            ("gemeente", "GM0363", 300, 8_000),
        )
    ],
]
MANIFEST: dict[str, object] = {
    "run_id": "vulnerability-run",
    "parameters": {"classification_year": 2023, "threshold": 10, "editions": [2024]},
}


def _interval(num: int, den: int, shares: tuple[float, ...] | None) -> tuple[float, float]:
    if shares is None:
        low, high = interval_for_unit("%", num, den)
        return float(low), float(high)
    sums = [np.array([round(s * den * FIXED_POINT)]) for s in shares]
    counts = [np.array([den])] * len(shares)
    low, high = rubin_interval(np.array([num]), np.array([den]), sums, counts)
    return 100 * float(low[0]), 100 * float(high[0])


@cache
def published() -> Publication:
    n = len(ROWS)
    intervals = [_interval(r[5], r[6], r[7]) for r in ROWS]
    table = pa.table(
        {
            "indicator_id": [r[0] for r in ROWS],
            "edition": [2024] * n,
            "period_start": [r[1] for r in ROWS],
            "period_end": [r[2] for r in ROWS],
            "region_type": [r[3] for r in ROWS],
            "region_code": [r[4] for r in ROWS],
            "classification_year": [2023] * n,
            "breakdown": ["total"] * n,
            "breakdown_value": ["total"] * n,
            "numerator": [r[5] for r in ROWS],
            "denominator": [r[6] for r in ROWS],
            "value": [100 * r[5] / r[6] for r in ROWS],
            "unit": ["%"] * n,
            "ci_low": [i[0] for i in intervals],
            "ci_high": [i[1] for i in intervals],
            "suppressed": [False] * n,
            "definition_hash": ["h"] * n,
            "data_hash": ["d"] * n,
            "run_id": ["vulnerability-run"] * n,
        },
        schema=RESULTS_SCHEMA,
    )
    structure = results_structure(table, classification_year=2023, related=False)
    protected = protect(table, structure, DisclosurePolicy(threshold=10))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "monitor"
        publish(protected, out, manifest=MANIFEST, formats=("parquet",))
        return Publication.open(out)


def _between(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i : html.index(end, i)]


def test_only_the_vulnerability_indicators_are_model_based() -> None:
    assert is_model_based(indicator("2024-14", 2024))
    assert is_model_based(indicator("2023-11", 2023))
    assert not is_model_based(indicator("2024-13", 2024))
    assert model_note(indicator("2024-13", 2024), None, "Nederland") is None


def test_the_national_factsheet_shows_the_figure_its_interval_and_the_box() -> None:
    pub = published()
    html = unescape(national_html(pub, "nl", interactive=True))
    section = _between(html, 'id="ind-2024-14"', "</section>")
    latest = pub.latest("2024-14")
    assert latest is not None and latest.ci_low is not None and latest.ci_high is not None
    assert latest.period == "2024"
    interval = f"{number(latest.ci_low)}–{number(latest.ci_high)}"
    sampling = interval_for_unit("%", 9_400, 150_000)
    assert f"Nederland 2024: {number(latest.value)}% (95%-BI {interval})" in section
    assert f"{number(float(sampling[0]))}–{number(float(sampling[1]))} zijn" in section
    # Imputation widens the national interval beyond sampling alone.
    assert latest.ci_high - latest.ci_low > 2 * float(sampling[1] - sampling[0])
    for key in ("model_title", "model_is", "model_is_not", "model_uncertainty"):
        assert text(key) in section
    assert "docs/vulnerability-model.md" in section
    assert "regels van Rubin" in section
    # The tile carries the interval too; the other indicator has no box.
    tile = _between(html, 'data-indicator="2024-14">', "</li>")
    assert interval in tile
    other = _between(html, 'id="ind-2024-13"', "</section>")
    assert 'class="model-note"' not in other


def test_the_local_monitor_shows_the_box_with_the_municipal_figure() -> None:
    pub = published()
    html = unescape(local_html(pub, "GM0363", "nl", interactive=True))
    section = _between(html, 'id="ind-2024-14"', "</section>")
    cell = next(c for c in pub.series("2024-14", "GM0363") if c.period_start == 2024)
    assert cell.ci_low is not None and cell.ci_high is not None
    assert f"Amsterdam 2024: {number(cell.value)}% (95%-BI {number(cell.ci_low)}–" in section
    assert text("model_is_not") in section
    assert 'class="model-note"' not in _between(html, 'id="ind-2024-13"', "</section>")


def test_the_english_factsheet_has_the_english_box() -> None:
    html = unescape(national_html(published(), "en", interactive=True))
    section = _between(html, 'id="ind-2024-14"', "</section>")
    assert text("model_title", "en") in section
    assert text("model_is_not", "en") in section
    assert "Rubin's rules" in section
    assert "regels van Rubin" not in section


def test_the_trend_of_a_model_based_figure_is_tested_with_its_intervals() -> None:
    # NL 6.0% (2020) -> 6.27% (2024) of 150,000 births: significant on the counts alone, not
    # with the imputation uncertainty in the intervals (about 1.9 points wide).
    assert proportion_change(9_000, 150_000, 9_400, 150_000)[0] is Change.UP
    series = published().series("2024-14")
    found = trend(series, Direction.LOWER_IS_BETTER)
    assert found is not None and found.change is Change.STABLE
    assert found.p_value > 0.05
    # The other indicator keeps the count test.
    other = trend(published().series("2024-13"), Direction.LOWER_IS_BETTER)
    assert (
        other is not None and other.p_value == proportion_change(6_000, 150_000, 6_000, 150_000)[1]
    )

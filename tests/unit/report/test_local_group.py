"""The local monitor's similar municipalities, pooled breakdowns and its three phases, on a small
published run with comparison classes (counts by hand, `protect` and `publish`)."""

from __future__ import annotations

import re
import tempfile
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kansrijk.engine.structure import results_structure
from kansrijk.indicators.model import Phase
from kansrijk.publication import DisclosureError, DisclosurePolicy, Publication, protect, publish
from kansrijk.report import dashboard
from kansrijk.report.build import local_html

from .english import visible_text
from .fixtures import MANIFEST, Row, published, results_table

ID = "2019-10"
#: code -> (yearly numerator, yearly denominator) in 2019 and 2020; pooled 2019-2020 is double.
COUNTS = {
    "GM0363": (600, 9000),  # Amsterdam
    "GM0362": (6, 300),  # Amstelveen: hidden each year, its pooled 12/600 is published
    "GM0599": (300, 5000),  # Rotterdam
    "GM0518": (200, 4000),  # 's-Gravenhage
    "GM0344": (100, 2500),  # Utrecht
    "GM0772": (50, 1000),  # Eindhoven
    "GM0855": (4, 300),  # Tilburg: hidden each year and pooled (8/600)
    "GM0014": (70, 1000),  # Groningen: other classes, never in the group
}
#: code -> (urbanisation class, size class)
CLASSES = {
    "GM0363": (1, 5),
    "GM0362": (1, 5),
    "GM0599": (1, 5),
    "GM0518": (1, 5),
    "GM0344": (1, 5),
    "GM0772": (1, 4),
    "GM0855": (1, 4),
    "GM0014": (2, 4),
}


def _rows() -> list[Row]:
    rows: list[Row] = []
    for year in (2019, 2020):
        rows.append((ID, year, year, "nl", "NL01", "total", "total", 10_000, 160_000))
        rows.append((ID, year, year, "province", "PV27", "total", "total", 2_000, 30_000))
        for code, (num, den) in COUNTS.items():
            rows.append((ID, year, year, "gemeente", code, "total", "total", num, den))
    rows.append((ID, 2019, 2020, "nl", "NL01", "total", "total", 20_000, 320_000))
    rows.append((ID, 2019, 2020, "province", "PV27", "total", "total", 4_000, 60_000))
    for code, (num, den) in COUNTS.items():
        rows.append((ID, 2019, 2020, "gemeente", code, "total", "total", 2 * num, 2 * den))
    # Pooled breakdowns of Amsterdam (one hidden value), Noord-Holland and NL.
    for region_type, code, parts in (
        ("gemeente", "GM0363", {"yes": (150, 2_000), "no": (1_050, 16_000)}),
        ("province", "PV27", {"yes": (600, 8_000), "no": (3_400, 52_000)}),
        ("nl", "NL01", {"yes": (3_000, 40_000), "no": (17_000, 280_000)}),
    ):
        for value, (num, den) in parts.items():
            rows.append((ID, 2019, 2020, region_type, code, "single_parent", value, num, den))
    # Amstelveen's breakdown: every value too small, all hidden.
    rows.append((ID, 2019, 2020, "gemeente", "GM0362", "single_parent", "yes", 2, 100))
    rows.append((ID, 2019, 2020, "gemeente", "GM0362", "single_parent", "no", 4, 200))
    rows.append((ID, 2019, 2020, "gemeente", "GM0363", "income_p10", "<P10", 5, 100))
    rows.append((ID, 2019, 2020, "gemeente", "GM0363", "income_p10", ">=P10", 1_195, 17_900))
    rows.append((ID, 2019, 2020, "nl", "NL01", "income_p10", "<P10", 4_000, 40_000))
    return rows


def _classes_table() -> pa.Table:
    codes = sorted(CLASSES)
    return pa.table(
        {
            "region_code": codes,
            "urbanisation_class": pa.array([CLASSES[c][0] for c in codes], pa.int8()),
            "size_class": pa.array([CLASSES[c][1] for c in codes], pa.int8()),
        }
    )


@cache
def _grouped() -> Publication:
    cells = results_table(_rows())
    structure = results_structure(cells, classification_year=2023, related=False)
    protected = protect(cells, structure, DisclosurePolicy(threshold=10))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "monitor"
        publish(
            protected,
            out,
            manifest=MANIFEST,
            formats=("parquet",),
            reference={"comparison_classes": _classes_table()},
        )
        return Publication.open(out)


def _comparison(code: str) -> dashboard.Comparison:
    local = dashboard.local(_grouped(), code)
    return next(c for c in local.comparisons if c.indicator.id == ID)


def test_the_publication_carries_the_classes_and_groups() -> None:
    p = _grouped()
    assert p.classes()["GM0363"].urbanisation == 1
    group = p.comparison_group("GM0363")
    assert group is not None
    # Four others in (1, 5): widened to size 4-5, which adds Eindhoven and Tilburg.
    assert group.members == ("GM0344", "GM0362", "GM0518", "GM0599", "GM0772", "GM0855")
    assert group.size_range == (4, 5)
    assert p.comparison_group("GM0358") is None  # Aalsmeer has no class


def test_group_figure_sums_published_cells_of_the_latest_year() -> None:
    g = _comparison("GM0363").group
    assert g is not None
    # Published in 2020: Utrecht 100/2500, 's-Gravenhage 200/4000, Rotterdam 300/5000,
    # Eindhoven 50/1000; Amstelveen and Tilburg hidden: 650 / 12,500 = 5.2%.
    assert g.period == (2020, 2020)
    assert (g.numerator, g.denominator, g.published, g.members) == (650, 12_500, 4, 6)
    assert g.value == pytest.approx(5.2)
    assert g.ci_low is not None and g.ci_high is not None
    assert g.ci_low < 5.2 < g.ci_high


def test_a_hidden_yearly_figure_is_compared_over_the_pooled_window() -> None:
    c = _comparison("GM0362")
    assert c.latest is not None and c.latest.suppressed
    g = c.group
    assert g is not None and g.pooled
    # 2019-2020 published: Utrecht 200/5000, Amsterdam 1200/18000, 's-Gravenhage 400/8000,
    # Rotterdam 600/10000, Eindhoven 100/2000 (Tilburg 8/600 hidden): 2500 / 43,000.
    assert g.period == (2019, 2020)
    assert (g.numerator, g.denominator, g.published, g.members) == (2_500, 43_000, 5, 6)
    assert g.value == pytest.approx(100 * 2_500 / 43_000)


def test_no_group_figure_with_fewer_than_three_published() -> None:
    p = _grouped()
    d = p.indicator(ID)
    g = dashboard.group_figure(p, d, ("GM0855", "GM0362", "GM0599", "GM0518"), (2020, 2020))
    assert (g.published, g.members, g.value, g.numerator) == (2, 4, None, None)
    assert not g.shown


def test_pooled_breakdowns_beside_province_and_nl() -> None:
    rows = _comparison("GM0363").breakdowns
    got = {
        (r.breakdown, r.value): (
            None if r.municipality.suppressed else r.municipality.value,
            r.province.value if r.province else None,
            r.nl.value if r.nl else None,
        )
        for r in rows
    }
    assert got[("single_parent", "yes")] == pytest.approx((7.5, 7.5, 7.5))
    assert got[("income_p10", "<P10")][0] is None  # 5 of 100: hidden
    assert got[("income_p10", "<P10")][2] == pytest.approx(10.0)
    assert got[("income_p10", ">=P10")][1] is None  # the province has no such cell
    # ja before nee (the vocabulary's order), not the codes' alphabetical order
    single = [r.value for r in rows if r.breakdown == "single_parent"]
    assert single == ["yes", "no"]


def test_the_dutch_local_page_shows_group_breakdowns_and_all_phases() -> None:
    html = local_html(_grouped(), "GM0363", "nl", interactive=False)
    text = visible_text(html)
    assert "Vergelijkbare gemeenten" in text
    assert "zeer sterk stedelijk, met 100.000 tot 250.000 inwoners of 250.000 inwoners of meer" in (
        text
    )
    assert "met precies dezelfde klassen waren er minder dan 5 andere gemeenten" in text
    assert "De 6 gemeenten in de groep 's-Gravenhage, Amstelveen, Eindhoven, Rotterdam, " in text
    row = re.search(r'<tr data-indicator="2019-10">.*?</tr>', html, re.S)
    assert row is not None
    cell = re.search(r'data-cell="group">(.*?)</td>', row.group(0), re.S)
    assert cell is not None
    assert "5,2" in cell.group(1) and "4 van 6 gemeenten gepubliceerd" in visible_text(
        cell.group(1)
    )
    assert "Vergelijkbare gemeenten (2020): 5,2" in text
    # the pooled breakdowns: the hidden value says so and shows no number
    table = re.search(r'<table class="pooled-breakdowns".*?</table>', html, re.S)
    assert table is not None
    words = visible_text(table.group(0))
    assert "2019-2020 samen: Amsterdam, Noord-Holland en Nederland" in words
    assert "onder 10e percentiel verborgen (privacy) – 10,0" in words
    assert "Eenoudergezin ja 7,5" in words
    assert words.index("Huishoudinkomen") < words.index("Eenoudergezin")
    for phase in ("Voor de zwangerschap", "Tijdens de zwangerschap", "Na de geboorte"):
        assert re.search(rf"<h2 id=\"phase-\d\">{phase}</h2>", html), phase


def test_without_classes_the_report_says_there_is_no_group() -> None:
    local = dashboard.local(published(), "GM0363")
    assert local.group is None and local.group_missing == "no_classes"
    assert all(c.group is None for c in local.comparisons)
    html = local_html(published(), "GM0363", "nl", interactive=False)
    assert "er is geen groep vergelijkbare gemeenten" in visible_text(html)
    assert 'data-cell="group"' in html


def test_an_unclassified_municipality_has_no_group() -> None:
    local = dashboard.local(_grouped(), "GM0358")
    assert local.group is None and local.group_missing == "unclassified"
    english = local_html(_grouped(), "GM0358", "en", interactive=False)
    assert "has no urbanisation and size class" in visible_text(english)


def test_every_phase_is_shown_and_an_empty_one_says_why() -> None:
    status = dashboard.ProgrammeStatus(
        year=2020,
        facts=(
            dashboard.ProgrammeFact("Coalitie", "actief"),
            dashboard.ProgrammeFact("Nu Niet Zwanger", "aangesloten", Phase.BEFORE),
            dashboard.ProgrammeFact("Interventies na de geboorte", "VoorZorg", Phase.AFTER),
        ),
    )
    local = dashboard.local(_grouped(), "GM0363", status=status)
    assert [p for p, _ in local.phases] == list(Phase)
    before = local.phase_notes[Phase.BEFORE]
    assert [d.id for d, _ in before.later] == ["2024-06"]
    assert before.later[0][1] == (2024, 2025)
    assert [f.label for f in before.programme] == ["Nu Niet Zwanger"]
    assert Phase.AFTER not in local.phase_notes  # 2019-10 is there
    html = local_html(_grouped(), "GM0363", "nl", status, interactive=False)
    section = re.search(r'<section class="phase phase-empty".*?</section>', html, re.S)
    assert section is not None
    words = visible_text(section.group(0))
    assert "Voor de zwangerschap" in words
    assert "geen registerindicator" in words
    assert "Indicator 2024-06 (Preconceptieconsult) komt met de indicatorenset 2024" in words
    assert "Nu Niet Zwanger aangesloten" in words
    # a phase's facts are under the phase, not repeated in the status section
    status_section = re.search(r'<section class="status".*?</section>', html, re.S)
    assert status_section is not None
    assert "Coalitie" in status_section.group(0)
    assert "Nu Niet Zwanger" not in status_section.group(0)
    after = html[html.index(">Na de geboorte</h2>") :]
    assert (
        '<dl class="phase-programme"><dt>Interventies na de geboorte</dt><dd>VoorZorg</dd>'
        in (after[: after.index('<table class="overview">')])
    )
    english = visible_text(local_html(_grouped(), "GM0363", "en", status, interactive=False))
    assert "Before pregnancy" in english or "before pregnancy" in english.lower()
    assert "comes with the 2024 indicator set" in english


def test_old_publications_without_classes_still_open(tmp_path: Path) -> None:
    cells = results_table(_rows())
    structure = results_structure(cells, classification_year=2023, related=False)
    protected = protect(cells, structure, DisclosurePolicy(threshold=10))
    publish(protected, tmp_path / "old", manifest=MANIFEST, formats=("parquet",))
    old = Publication.open(tmp_path / "old")
    assert old.comparison_classes is None and old.classes() == {}


def test_a_reference_table_with_counts_is_refused(tmp_path: Path) -> None:
    cells = results_table(_rows())
    structure = results_structure(cells, classification_year=2023, related=False)
    protected = protect(cells, structure, DisclosurePolicy(threshold=10))
    with_counts = _classes_table().append_column("inhabitants", pa.array([931_298] * 8))
    with pytest.raises(DisclosureError, match="inhabitants"):
        publish(
            protected,
            tmp_path / "bad",
            manifest=MANIFEST,
            formats=("parquet",),
            reference={"comparison_classes": with_counts},
        )
    numbers = _classes_table().append_column("denominator", pa.array([1] * 8))
    with pytest.raises(DisclosureError, match="denominator"):
        publish(
            protected,
            tmp_path / "bad2",
            manifest=MANIFEST,
            formats=("parquet",),
            reference={"comparison_classes": numbers},
        )


def test_a_changed_classes_file_is_refused(tmp_path: Path) -> None:
    cells = results_table(_rows())
    structure = results_structure(cells, classification_year=2023, related=False)
    protected = protect(cells, structure, DisclosurePolicy(threshold=10))
    out = tmp_path / "run"
    publish(
        protected,
        out,
        manifest=MANIFEST,
        formats=("parquet",),
        reference={"comparison_classes": _classes_table()},
    )
    pq.write_table(_classes_table().slice(0, 3), out / "comparison_classes.parquet")
    with pytest.raises(DisclosureError, match="changed since it was published"):
        Publication.open(out)


def test_a_breakdown_with_every_value_hidden_is_one_sentence() -> None:
    c = _comparison("GM0362")
    assert [r.value for r in c.breakdowns] == ["yes", "no"]
    assert all(r.municipality.suppressed for r in c.breakdowns)
    html = local_html(_grouped(), "GM0362", "nl", interactive=False)
    assert '<table class="pooled-breakdowns"' not in html
    assert "Uitsplitsingen van Amstelveen, 2019-2020 samen: alle verborgen (privacy)." in (
        visible_text(html)
    )

"""The generator end to end: contract-valid, calibrated, deterministic, with gradients."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from kansrijk.synth import SynthConfig, generate
from kansrijk.synth.report import connect, measure, trend_ok

pytestmark = [pytest.mark.slow, pytest.mark.integration]

SCALE = 0.03
CONFIG = SynthConfig(first_year=2015, last_year=2021, scale=SCALE, seed=11)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "nl"
    generate(CONFIG, out)
    return out


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.parquet"))
    }


def test_dataset_satisfies_the_contract(dataset: Path) -> None:
    from kansrijk.registry.validate import validate

    report = validate(dataset)
    assert report.ok, report.to_text()
    assert not report.errors


def test_published_figures_are_reproduced_within_sampling_tolerance(dataset: Path) -> None:
    figures = measure(dataset)
    published = [f for f in figures if f.published]
    assert len(published) >= 25
    off = [
        f"{f.key} {f.year}: {f.value:.2f} vs {f.target}" for f in published if not f.within(SCALE)
    ]
    assert not off, off


def test_trends_move_as_published(dataset: Path) -> None:
    figures = measure(dataset)
    # Only the trends large enough to be seen at this sample size.
    for key in ("debts", "no_kraamzorg"):
        assert trend_ok(figures, key) is True, key


def test_same_seed_gives_byte_identical_files(dataset: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(CONFIG, again)
    assert _digest(again) == _digest(dataset)


def test_edge_cases_are_present(dataset: Path) -> None:
    con = connect(dataset)
    row = con.execute("""
        SELECT count_if(NOT live_born), count_if(multiplicity = 2), count_if(mother_id IS NULL),
               count_if(child_id IS NULL AND live_born), count_if(gestational_age_days < 168),
               count_if(gestational_age_days > 294)
        FROM births""").fetchone()
    assert row is not None and all(v > 0 for v in row), row
    (no_father,) = con.execute("SELECT count_if(father_id IS NULL) FROM parent_links").fetchone()  # type: ignore[misc]
    (moves,) = con.execute("""SELECT count(*) FROM (SELECT person_id FROM addresses GROUP BY 1
                        HAVING count(DISTINCT municipality_code) > 1)""").fetchone()  # type: ignore[misc]
    merged_codes = "('GM0140', 'GM0053', 'GM0788', 'GM0457')"
    (merged,) = con.execute(
        f"SELECT count(*) FROM addresses WHERE municipality_code IN {merged_codes}"
    ).fetchone()  # type: ignore[misc]
    assert no_father > 0 and moves > 0 and merged > 0
    ggz_switch = con.execute("""SELECT bool_and(cost_ggz_zpm IS NULL) FILTER (WHERE year < 2022),
                            bool_and(cost_ggz_basic IS NULL) FILTER (WHERE year >= 2022)
                            FROM healthcare_costs""").fetchone()
    assert ggz_switch == (True, None)  # no 2022 rows in a 2015-2021 dataset


def test_social_gradients_come_from_people(dataset: Path) -> None:
    con = connect(dataset)
    rows = dict(
        con.execute("""
        WITH b AS (
            SELECT l.mother_id, year(p.birth_date) AS year, p.birth_date
            FROM persons p JOIN parent_links l ON l.child_id = p.person_id
            WHERE l.mother_id IS NOT NULL
        )
        SELECT coalesce(i.income_percentile BETWEEN 1 AND 9, false) AS low,
               avg(CASE WHEN EXISTS (SELECT 1 FROM maternity_claims c
                                     JOIN maternity_trajectories t USING (trajectory_id)
                                     WHERE t.mother_id = b.mother_id
                                       AND c.claim_type = 'kraamzorg_per_uur'
                                       AND c.service_month >= t.delivery_month
                                       AND year(t.delivery_month) = b.year)
                        THEN 0 ELSE 1 END)
        FROM b LEFT JOIN household_income i ON i.person_id = b.mother_id AND i.year = b.year
        GROUP BY 1""").fetchall()
    )
    assert rows[True] > 1.5 * rows[False]


def test_cli_generates_and_validates(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kansrijk.cli.main import app

    runner = CliRunner()
    out = tmp_path / "d"
    result = runner.invoke(
        app, ["synth", "--years", "2016-2020", "--scale", "0.01", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["registry", "validate", str(out)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(
        app, ["synth", "--years", "2016-2020", "--scale", "0.01", "--out", str(out)]
    )
    assert again.exit_code == 2  # refuses to overwrite without --overwrite
    bad = runner.invoke(
        app, ["synth", "--years", "2010-2012", "--scale", "0.01", "--out", str(tmp_path / "x")]
    )
    assert bad.exit_code != 0 and "2015-2025" in bad.output


def test_duckdb_reads_partitioned_tables(dataset: Path) -> None:
    n = duckdb.execute(
        f"SELECT count(*) FROM read_parquet('{dataset}/household_income/*.parquet')"
    ).fetchone()
    assert n is not None and n[0] > 0

"""The calibration report: national figures measured back from a written dataset.

Deliberately independent of the monitor engine (the generator must not be
checked with the code it exists to test): each figure is one plain DuckDB
query over the contract files, following the intended definitions in
``shared/spec/indicators.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from kansrijk.reference import iotf_cutoff, p10_table
from kansrijk.registry.contract import TABLES_BY_NAME
from kansrijk.synth import targets

PSYCH = "('N05A','N05B','N05C','N06A','N06B','N06C')"


@dataclass(frozen=True)
class Figure:
    """One measured national figure next to its target."""

    key: str
    year: int
    value: float
    numerator: int
    denominator: int
    unit: str
    target: float | None
    published: bool
    tolerance: float | None

    @property
    def standard_error(self) -> float:
        per = 1000.0 if self.unit == "per 1,000" else 100.0
        p = self.value / per
        return per * math.sqrt(max(p * (1 - p), 1e-12) / max(self.denominator, 1))

    def within(self, scale: float) -> bool | None:
        """Within tolerance; below scale 1.0 the tolerance widens with sampling error."""
        if self.target is None or self.tolerance is None:
            return None
        allowed = self.tolerance if scale >= 1.0 else max(self.tolerance, 3.5 * self.standard_error)
        return abs(self.value - self.target) <= allowed


def _source(data: Path, table: str) -> str:
    file = data / f"{table}.parquet"
    if file.exists():
        return f"read_parquet('{file}')"
    return f"read_parquet('{data / table}/*.parquet')"


def connect(data: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per contract table present in ``data`` (sidecars
    such as the synthetic truth are not tables)."""
    con = duckdb.connect()
    for path in sorted(data.iterdir()):
        name = path.name.removesuffix(".parquet")
        if name in TABLES_BY_NAME and (path.suffix == ".parquet" or path.is_dir()):
            con.sql(f"CREATE VIEW {name} AS SELECT * FROM {_source(data, name)}")
    con.register("p10_chart", p10_table())
    return con


QUERIES: dict[str, str] = {
    # One row per pregnancy >= 24 weeks: first-born child, one per mother and year
    # (rows without a mother id are distinct pregnancies).
    "pregnancies": """
        CREATE TEMP TABLE pregnancies AS
        SELECT year(birth_date) AS year, mother_id, first_visit_gestational_day
        FROM births WHERE gestational_age_days >= 168 AND birth_order = 1
        QUALIFY row_number() OVER (PARTITION BY year(birth_date), coalesce(mother_id, birth_id)
                                   ORDER BY birth_date, birth_id) = 1
    """,
    "care_after_week_10": """
        SELECT year, count_if(first_visit_gestational_day > 70), count(*) FROM pregnancies
        GROUP BY year ORDER BY year
    """,
    "debt_flags": """
        CREATE TEMP TABLE debt_flags AS
        SELECT p.year,
               EXISTS (SELECT 1 FROM premium_arrears a WHERE a.person_id = p.mother_id
                       AND a.year = p.year) AS arrears,
               EXISTS (SELECT 1 FROM debt_restructuring d WHERE d.person_id = p.mother_id
                       AND year(d.start_date) <= p.year
                       AND (d.end_date IS NULL OR year(d.end_date) >= p.year)) AS wsnp
        FROM pregnancies p
    """,
    "debts": """SELECT year, count_if(arrears OR wsnp), count(*) FROM debt_flags
                 GROUP BY 1 ORDER BY 1""",
    "debts_arrears": """SELECT year, count_if(arrears), count(*) FROM debt_flags
                 GROUP BY 1 ORDER BY 1""",
    "debts_wsnp": """SELECT year, count_if(wsnp), count(*) FROM debt_flags
                 GROUP BY 1 ORDER BY 1""",
    "live_births": """
        CREATE TEMP TABLE live_births AS
        SELECT c.person_id AS child_id, c.birth_date, year(c.birth_date) AS year,
               l.mother_id, l.father_id, c.death_date
        FROM persons c JOIN parent_links l ON l.child_id = c.person_id
    """,
    "no_kraamzorg": """
        SELECT b.year,
               count_if(NOT EXISTS (
                   SELECT 1 FROM maternity_trajectories t JOIN maternity_claims c
                     ON c.trajectory_id = t.trajectory_id
                   WHERE t.mother_id = b.mother_id
                     AND t.delivery_month
                         BETWEEN date_trunc('month', b.birth_date) - INTERVAL 1 MONTH
                             AND date_trunc('month', b.birth_date) + INTERVAL 1 MONTH
                     AND c.claim_type = 'kraamzorg_per_uur'
                     AND c.service_month >= t.delivery_month)),
               count(*)
        FROM live_births b WHERE b.mother_id IS NOT NULL
        GROUP BY 1 ORDER BY 1
    """,
    "big2_base": """
        CREATE TEMP TABLE big2_base AS
        SELECT year(b.birth_date) AS year, b.gestational_age_days < 259 AS preterm,
               coalesce(b.birth_weight_g < c.p10_g, false) AS sga
        FROM births b LEFT JOIN p10_chart c
          ON c.sex = b.sex AND c.ga_days = least(greatest(b.gestational_age_days, 161), 294)
        WHERE b.gestational_age_days >= 168
    """,
    "big2": "SELECT year, count_if(preterm OR sga), count(*) FROM big2_base GROUP BY 1 ORDER BY 1",
    "preterm": "SELECT year, count_if(preterm), count(*) FROM big2_base GROUP BY 1 ORDER BY 1",
    "sga": "SELECT year, count_if(sga), count(*) FROM big2_base GROUP BY 1 ORDER BY 1",
    "speech_language": """
        SELECT year(contact_date),
               count_if(NOT says_two_word_sentences AND NOT points_six_body_parts), count(*)
        FROM jgz_contacts
        WHERE says_two_word_sentences IS NOT NULL AND points_six_body_parts IS NOT NULL
        GROUP BY 1 ORDER BY 1
    """,
    "placements_per_1000": """
        WITH kids AS (
            SELECT b.child_id, y.year FROM live_births b,
                   (SELECT DISTINCT year FROM live_births) y
            WHERE b.year IN (y.year - 1, y.year)
              AND (b.mother_id IS NOT NULL OR b.father_id IS NOT NULL)
              AND (b.death_date IS NULL OR b.death_date >= make_date(y.year, 1, 1))
        ), placed AS (
            SELECT DISTINCT k.child_id, k.year FROM kids k
            JOIN youth_protection p ON p.person_id = k.child_id
            JOIN youth_care c ON c.person_id = k.child_id
            WHERE p.measure_code IN (11, 12, 21, 22, 23) AND c.care_form_code IN (11, 12, 13, 14)
              AND greatest(p.start_date, c.start_date, make_date(k.year, 1, 1))
                  <= least(coalesce(p.end_date, DATE '9999-12-31'),
                           coalesce(c.end_date, DATE '9999-12-31'), make_date(k.year, 12, 31))
        )
        SELECT k.year, count(p.child_id), count(*) FROM kids k
        LEFT JOIN placed p USING (child_id, year)
        WHERE k.year > (SELECT min(year) FROM live_births)
        GROUP BY 1 ORDER BY 1
    """,
}

#: The 2019 risk-factor count (indicator 11): every live birth, each factor at the mother,
#: the father or both; high costs in the year before the pregnancy began (birth date minus
#: the linked Perined gestational age, 280 days when none links), top decile per year and
#: parent role; divorce (either partner field) and a partner's death (the other legal parent,
#: both known) in the birth year or the four before.
RISK_FACTORS = f"""
    WITH gestation AS (
        SELECT child_id, min(gestational_age_days) AS ga FROM births
        WHERE child_id IS NOT NULL GROUP BY 1
    ), divorce_sides AS (  -- either partner field
        SELECT person_id, divorce_date FROM divorces
        UNION SELECT partner_id, divorce_date FROM divorces WHERE partner_id IS NOT NULL
    ), parents AS (
        SELECT b.child_id, b.year, b.birth_date, b.mother_id AS person_id, 'M' AS who,
               b.father_id IS NOT NULL AS couple
        FROM live_births b WHERE b.mother_id IS NOT NULL
        UNION ALL
        SELECT b.child_id, b.year, b.birth_date, b.father_id, 'F', b.mother_id IS NOT NULL
        FROM live_births b WHERE b.father_id IS NOT NULL
    ), costs AS (
        SELECT p.child_id, p.who,
               percent_rank() OVER (PARTITION BY p.year, p.who
                                    ORDER BY coalesce(h.cost_total - h.cost_maternity, 0))
                   >= 0.9 AS high
        FROM parents p LEFT JOIN gestation g ON g.child_id = p.child_id
        LEFT JOIN healthcare_costs h
          ON h.person_id = p.person_id
         AND h.year = year(p.birth_date - to_days(coalesce(g.ga, 280)::INT)) - 1
    ), per_parent AS (
        SELECT p.child_id, p.year,
            coalesce((SELECT i.income_percentile BETWEEN 1 AND 9 FROM household_income i
                      WHERE i.person_id = p.person_id AND i.year = p.year), false) AS low_income,
            EXISTS (SELECT 1 FROM healthcare_costs h WHERE h.person_id = p.person_id
                    AND h.year = p.year AND coalesce(h.cost_ggz_basic, 0)
                    + coalesce(h.cost_ggz_specialist, 0) + coalesce(h.cost_ggz_zpm, 0) > 0) AS ggz,
            EXISTS (SELECT 1 FROM medication m WHERE m.person_id = p.person_id
                    AND m.year = p.year AND m.atc4 IN {PSYCH}) AS meds,
            EXISTS (SELECT 1 FROM premium_arrears a WHERE a.person_id = p.person_id
                    AND a.year = p.year)
            OR EXISTS (SELECT 1 FROM debt_restructuring d WHERE d.person_id = p.person_id
                       AND year(d.start_date) <= p.year
                       AND (d.end_date IS NULL OR year(d.end_date) >= p.year)) AS debts,
            EXISTS (SELECT 1 FROM detentions d WHERE d.person_id = p.person_id
                    AND year(d.start_date) <= p.year
                    AND (d.end_date IS NULL OR year(d.end_date) >= p.year - 1)) AS detention,
            EXISTS (SELECT 1 FROM divorce_sides d WHERE d.person_id = p.person_id
                    AND year(d.divorce_date) BETWEEN p.year - 4 AND p.year) AS divorce,
            p.couple AND EXISTS (SELECT 1 FROM deaths d WHERE d.person_id = p.person_id
                    AND year(d.death_date) BETWEEN p.year - 4 AND p.year) AS partner_death,
            c.high AS high_costs
        FROM parents p JOIN costs c ON c.child_id = p.child_id AND c.who = p.who
    ), per_child AS (
        SELECT b.child_id, b.year,
            coalesce(bool_or(pp.low_income), false)::INT
            + coalesce(bool_or(pp.ggz), false)::INT + coalesce(bool_or(pp.meds), false)::INT
            + coalesce(bool_or(pp.debts), false)::INT + coalesce(bool_or(pp.detention), false)::INT
            + coalesce(bool_or(pp.high_costs), false)::INT
            + coalesce(bool_or(pp.partner_death), false)::INT
            + coalesce(bool_or(pp.divorce), false)::INT AS factors
        FROM live_births b LEFT JOIN per_parent pp ON pp.child_id = b.child_id
        GROUP BY b.child_id, b.year
    )
    SELECT year, least(factors, 3) AS k, count(*) FROM per_child
    WHERE year > (SELECT min(year) FROM live_births)
    GROUP BY ALL ORDER BY ALL
"""


def _overweight(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int, int]]:
    rows = con.sql("""
        SELECT year(j.contact_date), p.sex, j.age_days, j.weight_kg / (j.height_cm / 100) ^ 2
        FROM jgz_contacts j JOIN persons p ON p.person_id = j.child_id
        WHERE j.height_cm IS NOT NULL AND j.weight_kg IS NOT NULL
    """).fetchnumpy()
    keys = list(rows)
    year, sex, age, bmi = (np.asarray(rows[k]) for k in keys)
    ages = np.arange(2.0, 18.01, 0.5)
    cut = {s: np.array([iotf_cutoff(s, a) for a in ages]) for s in ("M", "F")}
    cutoff = np.where(
        sex == "F", np.interp(age / 365.25, ages, cut["F"]), np.interp(age / 365.25, ages, cut["M"])
    )
    over = bmi >= cutoff
    return [(int(y), int(over[year == y].sum()), int((year == y).sum())) for y in np.unique(year)]


def measure(data: Path) -> list[Figure]:
    """Every calibration figure per year from the dataset in ``data``."""
    con = connect(data)
    results: dict[str, list[tuple[int, int, int]]] = {}
    for key, sql in QUERIES.items():
        if sql.lstrip().upper().startswith("CREATE"):
            con.sql(sql)
        else:
            results[key] = [(int(y), int(n), int(d)) for y, n, d in con.sql(sql).fetchall()]
    results["overweight_2y"] = _overweight(con)
    dist: dict[int, dict[int, int]] = {}
    for year, k, count in con.sql(RISK_FACTORS).fetchall():
        dist.setdefault(int(year), {})[int(k)] = int(count)
    for k, key in (
        (3, "risk_factors_3plus"),
        (2, "risk_factors_2"),
        (1, "risk_factors_1"),
        (0, "risk_factors_0"),
    ):
        results[key] = [(y, d.get(k, 0), sum(d.values())) for y, d in sorted(dist.items())]
    con.close()

    published = {(t.key, t.year): t for t in targets.targets()}
    figures = []
    for key, rows in results.items():
        unit = targets.UNITS.get(key, "%")
        per = 1000.0 if unit == "per 1,000" else 100.0
        series = targets.series(key, [r[0] for r in rows]) if rows else {}
        for year, num, den in rows:
            t = published.get((key, year))
            figures.append(
                Figure(
                    key=key,
                    year=year,
                    value=per * num / den if den else float("nan"),
                    numerator=num,
                    denominator=den,
                    unit=unit,
                    target=t.value if t else series.get(year),
                    published=t is not None,
                    tolerance=t.tolerance if t else None,
                )
            )
    return figures


def trend_ok(figures: list[Figure], key: str, first: int = 2016, last: int = 2020) -> bool | None:
    """Does the measured series move in the published direction between two years?

    None when either year is missing, or when the published change is smaller than three
    standard errors of the measured difference (too small to see at this sample size).
    """
    by_year = {f.year: f for f in figures if f.key == key}
    pub = targets.PUBLISHED.get(key, {})
    if first not in pub or last not in pub or first not in by_year or last not in by_year:
        return None
    a, b = by_year[first], by_year[last]
    noise = math.hypot(a.standard_error, b.standard_error)
    if abs(pub[last] - pub[first]) < 3 * noise:
        return None
    return (b.value - a.value) * (pub[last] - pub[first]) > 0

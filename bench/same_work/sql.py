"""The six indicators in hand-written DuckDB SQL, straight over the dataset's Parquet files.

A handful of statements, run in order on one in-memory DuckDB connection: views over the
files, the unit tables of the four populations (pregnancies, children born, live births,
children under two), residence on 30 June, the parents' attributes, the risk factors, and
one aggregation into cells. DuckDB gets the settings the engine gives it (a 3 GB buffer,
no insertion order), so the difference in time is the difference in the work done.

    python -m bench.same_work.sql DATA OUT.parquet --years 2017-2022 --classification 2023
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from . import (
    ASSUMED_GESTATIONAL_DAYS,
    CHART_FIRST,
    CHART_LAST,
    DIVORCE_YEARS_BEFORE,
    HIGH_COST_RANK,
    INDICATORS,
    LATE_VISIT_DAY,
    MIN_GESTATIONAL_DAYS,
    NL_CODE,
    PARTNER_DEATH_YEARS_BEFORE,
    PROTECTION_CODES,
    PSYCH_ATC4,
    RESIDENTIAL_CARE_CODES,
    TERM_DAY,
    UNKNOWN_REGION,
    main,
    normalise,
    parquet_files,
    reference,
)

TABLES = (
    "persons",
    "parent_links",
    "births",
    "addresses",
    "household_income",
    "healthcare_costs",
    "medication",
    "premium_arrears",
    "debt_restructuring",
    "detentions",
    "divorces",
    "deaths",
    "maternity_trajectories",
    "maternity_claims",
    "youth_protection",
    "youth_care",
)

#: The statements, in order. ``{name}`` fields are constants of the definitions (see
#: `PARAMETERS`); run_years, classification, municipalities and p10 are registered tables.
STATEMENTS = [
    # -- Populations ------------------------------------------------------------------
    # Pregnancies (7, 8): first-born records of 24+0 weeks or more ending in a run year, one
    # per mother and year (the earliest); a record without a mother id is its own pregnancy.
    """
    CREATE TEMP TABLE pregnancy AS
    SELECT birth_id, mother_id, year(birth_date) AS year, first_visit_gestational_day
    FROM births
    WHERE year(birth_date) IN (SELECT year FROM run_years)
      AND birth_order = 1
      AND gestational_age_days >= {min_days}
    QUALIFY row_number() OVER (
        PARTITION BY year(birth_date), coalesce('m:' || mother_id, 'b:' || birth_id)
        ORDER BY birth_date, birth_id
    ) = 1
    """,
    # Children born (12): every record of 24+0 weeks or more, live or stillborn, each child
    # of a multiple birth. SGA: Perined's percentile when supplied, else the weight against
    # P10 for sex and day (days clamped to the chart; before day 161 or without weight or
    # sex: not SGA).
    """
    CREATE TEMP TABLE child_birth AS
    SELECT
        b.mother_id,
        year(b.birth_date) AS year,
        b.gestational_age_days < {term_day} AS preterm,
        CASE
            WHEN b.birth_weight_percentile IS NOT NULL THEN b.birth_weight_percentile < 10
            ELSE coalesce(b.gestational_age_days >= {chart_first} AND b.birth_weight_g < c.p10_g,
                          false)
        END AS sga
    FROM births AS b
    LEFT JOIN p10 AS c
        ON c.sex = b.sex
       AND c.ga_days = least(greatest(b.gestational_age_days, {chart_first}), {chart_last})
    WHERE year(b.birth_date) IN (SELECT year FROM run_years)
      AND b.gestational_age_days >= {min_days}
    """,
    # Live births (10, 11): CBS persons with a parent-link row born in a run year, mother
    # and father known or not.
    """
    CREATE TEMP TABLE live_birth AS
    SELECT p.person_id AS child_id, l.mother_id, l.father_id, p.birth_date,
           year(p.birth_date) AS year
    FROM persons AS p
    JOIN parent_links AS l ON l.child_id = p.person_id
    WHERE year(p.birth_date) IN (SELECT year FROM run_years)
    """,
    # Children under two (15): born in the data year or the year before, alive on 1 January,
    # with at least one known parent; one row per child and data year.
    """
    CREATE TEMP TABLE young_child AS
    SELECT p.person_id AS child_id, coalesce(l.mother_id, l.father_id) AS parent_id, y.year
    FROM persons AS p
    JOIN parent_links AS l ON l.child_id = p.person_id
    JOIN run_years AS y ON year(p.birth_date) IN (y.year, y.year - 1)
    WHERE coalesce(l.mother_id, l.father_id) IS NOT NULL
      AND (p.death_date IS NULL OR p.death_date >= make_date(y.year, 1, 1))
    """,
    # -- Residence ----------------------------------------------------------------------
    # Where the mother (else the father: live births and children under two) lived on 30
    # June of the data year: the address spell covering that day, its code mapped to the
    # classification year (mergers; a row for the spell's postcode beats the code's default
    # row). No spell or no mapping: no row, so the unit falls in the unknown remainder.
    """
    CREATE TEMP TABLE residence AS
    WITH wanted AS (
        SELECT mother_id AS person_id, year FROM pregnancy WHERE mother_id IS NOT NULL
        UNION
        SELECT mother_id, year FROM child_birth WHERE mother_id IS NOT NULL
        UNION
        SELECT coalesce(mother_id, father_id), year FROM live_birth
        WHERE coalesce(mother_id, father_id) IS NOT NULL
        UNION
        SELECT parent_id, year FROM young_child
    ),
    spell AS (
        SELECT w.person_id, w.year, a.municipality_code, a.postcode4
        FROM wanted AS w
        JOIN addresses AS a
            ON a.person_id = w.person_id
           AND a.valid_from <= make_date(w.year, 6, 30)
           AND (a.valid_to IS NULL OR a.valid_to >= make_date(w.year, 6, 30))
        QUALIFY row_number() OVER (PARTITION BY w.person_id, w.year ORDER BY a.valid_from DESC) = 1
    )
    SELECT s.person_id, s.year, c.class_code AS region
    FROM spell AS s
    JOIN classification AS c
        ON c.municipality_code = s.municipality_code
       AND c.valid_from <= make_date(s.year, 6, 30)
       AND (c.valid_to IS NULL OR make_date(s.year, 6, 30) < c.valid_to)
       AND (c.postcode4 IS NULL OR c.postcode4 = s.postcode4)
    QUALIFY row_number() OVER (
        PARTITION BY s.person_id, s.year ORDER BY c.postcode4 IS NULL
    ) = 1
    """,
    # -- Parents' attributes ---------------------------------------------------------------
    # Health-care costs of the parents of live births, read once: the costs that count for
    # high costs (all but birth and maternity care) and whether any GGZ cost was made. (GGZ
    # is a risk factor of live births only: pregnancies need the mother's debts.)
    """
    CREATE TEMP TABLE parent_costs AS
    SELECT c.person_id, c.year,
           c.cost_total - coalesce(c.cost_maternity, 0) AS cost,
           coalesce(c.cost_ggz_basic, 0) + coalesce(c.cost_ggz_specialist, 0)
               + coalesce(c.cost_ggz_zpm, 0) > 0 AS ggz
    FROM healthcare_costs AS c
    WHERE c.person_id IN (SELECT mother_id FROM live_birth UNION SELECT father_id FROM live_birth)
      AND c.year BETWEEN (SELECT min(year) - 2 FROM run_years) AND (SELECT max(year) FROM run_years)
    """,
    # Per parent and data year (mothers of pregnancies, mothers and fathers of live births):
    # low income (household percentile 1-9), premium arrears, WSNP running in the year, GGZ
    # costs and psychotropic medication in the year.
    """
    CREATE TEMP TABLE attributes AS
    WITH parent_year AS (
        SELECT mother_id AS person_id, year FROM pregnancy WHERE mother_id IS NOT NULL
        UNION
        SELECT mother_id, year FROM live_birth WHERE mother_id IS NOT NULL
        UNION
        SELECT father_id, year FROM live_birth WHERE father_id IS NOT NULL
    )
    SELECT
        k.person_id,
        k.year,
        coalesce(i.income_percentile BETWEEN 1 AND 9, false) AS low_income,
        EXISTS (
            SELECT 1 FROM premium_arrears AS r WHERE r.person_id = k.person_id AND r.year = k.year
        ) AS arrears,
        EXISTS (
            SELECT 1 FROM debt_restructuring AS w
            WHERE w.person_id = k.person_id
              AND year(w.start_date) <= k.year
              AND (w.end_date IS NULL OR year(w.end_date) >= k.year)
        ) AS wsnp,
        EXISTS (
            SELECT 1 FROM parent_costs AS c
            WHERE c.person_id = k.person_id AND c.year = k.year AND c.ggz
        ) AS ggz,
        EXISTS (
            SELECT 1 FROM medication AS m
            WHERE m.person_id = k.person_id AND m.year = k.year AND m.atc4 IN {psych_atc4}
        ) AS psych_med
    FROM parent_year AS k
    LEFT JOIN household_income AS i ON i.person_id = k.person_id AND i.year = k.year
    """,
    # -- Risk factors (11) ---------------------------------------------------------------
    # Per live birth: the eight factors, each once when present at the mother, the father or
    # both. High costs: the parent's costs of the year before the pregnancy began (birth
    # date minus the gestational age of the linked Perined record, the shortest if several;
    # 280 days when none links), ranked (percent rank, no cost row = 0) within the data year
    # over the live births with that parent known.
    """
    CREATE TEMP TABLE risk AS
    WITH parent AS (
        SELECT child_id, year, mother_id AS person_id FROM live_birth WHERE mother_id IS NOT NULL
        UNION ALL
        SELECT child_id, year, father_id FROM live_birth WHERE father_id IS NOT NULL
    ),
    -- a parent detained in the data year or the year before
    detained AS (
        SELECT DISTINCT p.child_id
        FROM parent AS p JOIN detentions AS d ON d.person_id = p.person_id
        WHERE year(d.start_date) <= p.year
          AND (d.end_date IS NULL OR year(d.end_date) >= p.year - 1)
    ),
    -- a parent divorced (either partner field) in the birth year or the 4 years before
    divorced AS (
        SELECT DISTINCT p.child_id
        FROM parent AS p
        JOIN (
            SELECT person_id, divorce_date FROM divorces
            UNION ALL
            SELECT partner_id, divorce_date FROM divorces WHERE partner_id IS NOT NULL
        ) AS v ON v.person_id = p.person_id
        WHERE year(v.divorce_date) BETWEEN p.year - {divorce_years} AND p.year
    ),
    -- death of a partner: both parents known, one of them died in those years
    bereaved AS (
        SELECT DISTINCT p.child_id
        FROM parent AS p
        JOIN live_birth AS b USING (child_id)
        JOIN deaths AS x ON x.person_id = p.person_id
        WHERE b.mother_id IS NOT NULL AND b.father_id IS NOT NULL
          AND year(x.death_date) BETWEEN p.year - {death_years} AND p.year
    ),
    gestation AS (
        SELECT child_id, min(gestational_age_days) AS ga_days
        FROM births WHERE child_id IS NOT NULL GROUP BY child_id
    ),
    costs AS (
        -- the year before the pregnancy began: one or two years before the birth year
        SELECT b.*,
               year(b.birth_date - coalesce(g.ga_days, {assumed_days})::INTEGER) - 1 AS cost_year
        FROM live_birth AS b LEFT JOIN gestation AS g USING (child_id)
    ),
    ranked AS (
        SELECT b.child_id, b.mother_id, b.father_id, b.year,
            b.mother_id IS NOT NULL AND percent_rank() OVER (
                PARTITION BY b.year, b.mother_id IS NOT NULL ORDER BY coalesce(mc.cost, 0)
            ) >= {high_rank} AS m_high_costs,
            b.father_id IS NOT NULL AND percent_rank() OVER (
                PARTITION BY b.year, b.father_id IS NOT NULL ORDER BY coalesce(fc.cost, 0)
            ) >= {high_rank} AS f_high_costs
        FROM costs AS b
        LEFT JOIN parent_costs AS mc
            ON mc.person_id = b.mother_id AND mc.year = b.cost_year AND b.cost_year >= b.year - 2
        LEFT JOIN parent_costs AS fc
            ON fc.person_id = b.father_id AND fc.year = b.cost_year AND b.cost_year >= b.year - 2
    )
    SELECT
        b.child_id,
        (coalesce(m.low_income, false) OR coalesce(f.low_income, false))::INTEGER
        + (coalesce(m.ggz, false) OR coalesce(f.ggz, false))::INTEGER
        + (coalesce(m.psych_med, false) OR coalesce(f.psych_med, false))::INTEGER
        + (coalesce(m.arrears OR m.wsnp, false) OR coalesce(f.arrears OR f.wsnp, false))::INTEGER
        + (b.child_id IN (SELECT child_id FROM detained))::INTEGER
        + (b.child_id IN (SELECT child_id FROM divorced))::INTEGER
        + (b.child_id IN (SELECT child_id FROM bereaved))::INTEGER
        + (b.m_high_costs OR b.f_high_costs)::INTEGER AS factors
    FROM ranked AS b
    LEFT JOIN attributes AS m ON m.person_id = b.mother_id AND m.year = b.year
    LEFT JOIN attributes AS f ON f.person_id = b.father_id AND f.year = b.year
    """,
    # -- Kraamzorg (10) ------------------------------------------------------------------
    # (mother, delivery month) of trajectories with an hourly kraamzorg claim in or after
    # the delivery month; a live birth has kraamzorg when its mother has one within a month
    # of the birth month.
    """
    CREATE TEMP TABLE kraamzorg AS
    SELECT DISTINCT t.mother_id, t.delivery_month
    FROM maternity_trajectories AS t
    JOIN maternity_claims AS c ON c.trajectory_id = t.trajectory_id
    WHERE c.claim_type = 'kraamzorg_per_uur' AND c.service_month >= t.delivery_month
    """,
    # -- Units: one row per unit, one 0/1 column per indicator (NULL: not in its population)
    """
    CREATE TEMP TABLE units AS
    UNPIVOT (
        SELECT p.year, r.region,
               (coalesce(p.first_visit_gestational_day, 0) > {late_visit})::INTEGER AS "2019-07",
               coalesce(a.arrears OR a.wsnp, false)::INTEGER AS "2019-08",
               coalesce(a.arrears, false)::INTEGER AS "2019-08a",
               coalesce(a.wsnp, false)::INTEGER AS "2019-08b"
        FROM pregnancy AS p
        LEFT JOIN residence AS r ON r.person_id = p.mother_id AND r.year = p.year
        LEFT JOIN attributes AS a ON a.person_id = p.mother_id AND a.year = p.year
    ) ON COLUMNS(* EXCLUDE (year, region)) INTO NAME indicator_id VALUE hit
    UNION ALL BY NAME
    UNPIVOT (
        SELECT b.year, r.region,
               (b.preterm OR b.sga)::INTEGER AS "2019-12",
               b.preterm::INTEGER AS "2019-12a",
               b.sga::INTEGER AS "2019-12b"
        FROM child_birth AS b
        LEFT JOIN residence AS r ON r.person_id = b.mother_id AND r.year = b.year
    ) ON COLUMNS(* EXCLUDE (year, region)) INTO NAME indicator_id VALUE hit
    UNION ALL BY NAME
    UNPIVOT (
        SELECT b.year, r.region,
               CASE WHEN b.mother_id IS NOT NULL THEN (NOT EXISTS (
                   SELECT 1 FROM kraamzorg AS k
                   WHERE k.mother_id = b.mother_id
                     AND k.delivery_month BETWEEN date_trunc('month', b.birth_date)
                         - INTERVAL 1 MONTH AND date_trunc('month', b.birth_date) + INTERVAL 1 MONTH
               ))::INTEGER END AS "2019-10",
               (k.factors >= 3)::INTEGER AS "2019-11",
               (k.factors = 0)::INTEGER AS "2019-11-0",
               (k.factors = 1)::INTEGER AS "2019-11-1",
               (k.factors = 2)::INTEGER AS "2019-11-2"
        FROM live_birth AS b
        JOIN risk AS k USING (child_id)
        LEFT JOIN residence AS r
            ON r.person_id = coalesce(b.mother_id, b.father_id) AND r.year = b.year
    ) ON COLUMNS(* EXCLUDE (year, region)) INTO NAME indicator_id VALUE hit
    UNION ALL BY NAME
    SELECT c.year, r.region, '2019-15' AS indicator_id,
           EXISTS (
               -- a day in the data year with a protection measure and residential youth care
               SELECT 1 FROM youth_protection AS p
               JOIN youth_care AS h ON h.person_id = p.person_id
               WHERE p.person_id = c.child_id
                 AND p.measure_code IN {protection_codes}
                 AND h.care_form_code IN {care_codes}
                 AND greatest(p.start_date, h.start_date, make_date(c.year, 1, 1))
                     <= least(coalesce(p.end_date, DATE '9999-12-31'),
                              coalesce(h.end_date, DATE '9999-12-31'), make_date(c.year, 12, 31))
           )::INTEGER AS hit
    FROM young_child AS c
    LEFT JOIN residence AS r ON r.person_id = c.parent_id AND r.year = c.year
    """,
    # -- Cells ---------------------------------------------------------------------------
    # Per indicator, region and year: numerator and denominator, for every municipality of
    # the classification year, the unknown remainder and NL (cells without units: 0 and 0).
    """
    CREATE TEMP TABLE cells AS
    WITH counted AS (
        SELECT indicator_id, coalesce(region, '{unknown}') AS region_code, year,
               sum(hit) AS numerator, count(hit) AS denominator
        FROM units GROUP BY ALL
        UNION ALL
        SELECT indicator_id, '{nl}', year, sum(hit), count(hit)
        FROM units GROUP BY ALL
    ),
    shape AS (
        SELECT i.indicator_id, g.region_code, y.year
        FROM (SELECT unnest({indicators}) AS indicator_id) AS i
        CROSS JOIN (
            SELECT municipality_code AS region_code FROM municipalities
            UNION ALL SELECT '{unknown}' UNION ALL SELECT '{nl}'
        ) AS g
        CROSS JOIN run_years AS y
    )
    SELECT indicator_id, region_code, year,
           coalesce(c.numerator, 0)::BIGINT AS numerator,
           coalesce(c.denominator, 0)::BIGINT AS denominator
    FROM shape FULL JOIN counted AS c USING (indicator_id, region_code, year)
    """,
]

PARAMETERS = {
    "min_days": MIN_GESTATIONAL_DAYS,
    "term_day": TERM_DAY,
    "chart_first": CHART_FIRST,
    "chart_last": CHART_LAST,
    "late_visit": LATE_VISIT_DAY,
    "psych_atc4": str(PSYCH_ATC4),
    "protection_codes": str(PROTECTION_CODES),
    "care_codes": str(RESIDENTIAL_CARE_CODES),
    "high_rank": HIGH_COST_RANK,
    "assumed_days": ASSUMED_GESTATIONAL_DAYS,
    "divorce_years": DIVORCE_YEARS_BEFORE,
    "death_years": PARTNER_DEATH_YEARS_BEFORE,
    "indicators": str(list(INDICATORS)),
    "nl": NL_CODE,
    "unknown": UNKNOWN_REGION,
}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def compute(data_dir: Path, years: range, classification_year: int) -> pa.Table:
    """Cells (indicator_id, region_code, year, numerator, denominator) of the six indicators."""
    con = duckdb.connect(config={"preserve_insertion_order": False, "memory_limit": "3GB"})
    for table in TABLES:
        files = ", ".join(_literal(f.as_posix()) for f in parquet_files(data_dir, table))
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{files}])")
    ref = reference(classification_year)
    run_years = pa.table({"year": pa.array(list(years), pa.int32())})
    for name, table in (
        ("run_years", run_years),
        ("classification", ref.classification),
        ("municipalities", ref.municipalities),
        ("p10", ref.p10),
    ):
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    for statement in STATEMENTS:
        con.execute(statement.format(**PARAMETERS))
    result = con.sql("SELECT * FROM cells").to_arrow_table()
    con.close()
    return normalise(result)


if __name__ == "__main__":
    main(compute, "The six indicators of edition 2021 in hand-written DuckDB SQL.")

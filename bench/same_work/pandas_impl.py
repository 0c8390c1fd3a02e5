"""The six indicators the way an analyst would write them in pandas: read, merge, group by.

No DuckDB. Tables are read with the columns needed; the large registry tables (addresses,
income, costs, medication) file by file, keeping the rows of the persons and years needed, so
the full population fits in memory.

    python -m bench.same_work.pandas_impl DATA OUT.parquet --years 2017-2022 --classification 2023
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
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
    SCHEMA,
    TERM_DAY,
    UNKNOWN_REGION,
    main,
    normalise,
    parquet_files,
    reference,
)

PERSON_YEAR = ["person_id", "year"]


def read(
    data_dir: Path,
    table: str,
    columns: list[str],
    *,
    people: pd.Series | None = None,
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """A contract table with ``columns``, only the rows of ``people`` (person_id) and
    ``years`` (year) when given; date columns as datetime64."""
    wanted = None if people is None else pd.DataFrame({"person_id": people.dropna().unique()})
    filters = None if years is None else [("year", "in", sorted(set(years)))]
    parts = []
    for f in parquet_files(data_dir, table):
        df = pd.read_parquet(f, columns=columns, filters=filters)
        if wanted is not None:
            # A merge, not isin: pandas 3's isin on strings converts the value set value by
            # value on every call (minutes for a million persons and a hundred files).
            df = df.merge(wanted, on="person_id")
        parts.append(df)
    out = pd.concat(parts, ignore_index=True)
    for c in out.columns:
        if c.endswith(("_date", "_from", "_to", "_month")):
            out[c] = pd.to_datetime(out[c])
    return out


def on(year: pd.Series, month: int, day: int) -> pd.Series:
    """The date ``day``-``month`` of each ``year``."""
    return pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}))


def month_start(dates: pd.Series, shift: int = 0) -> pd.Series:
    """The first day of the month of ``dates``, ``shift`` months on."""
    index = dates.dt.year * 12 + dates.dt.month - 1 + shift
    return pd.to_datetime(pd.DataFrame({"year": index // 12, "month": index % 12 + 1, "day": 1}))


def flag(keys: pd.DataFrame, hits: pd.DataFrame, name: str) -> pd.Series:
    """True for the rows of ``keys`` (person_id, year) found in ``hits``."""
    found = hits[PERSON_YEAR].drop_duplicates().assign(**{name: True})
    return keys.merge(found, on=PERSON_YEAR, how="left")[name].notna()


def attribute(attrs: pd.DataFrame, units: pd.DataFrame, person: str, name: str) -> np.ndarray:
    """``name`` of each unit's ``person`` in the unit's year (False: no such person-year)."""
    keyed = units[[person, "year"]].rename(columns={person: "person_id"})
    found = keyed.merge(attrs[[*PERSON_YEAR, name]], on=PERSON_YEAR, how="left")[name]
    return np.asarray(found.notna() & found.astype(bool), dtype=bool)


def residence(data_dir: Path, wanted: pd.DataFrame, classification: pd.DataFrame) -> pd.DataFrame:
    """(person_id, year, region): the municipality of the classification year where the
    person lived on 30 June (the address spell covering that day, its code mapped through
    mergers; a row for the spell's postcode beats the code's default row). Persons without
    such a spell or mapping have no row."""
    wanted = wanted.dropna().drop_duplicates()
    addresses = read(
        data_dir,
        "addresses",
        ["person_id", "municipality_code", "postcode4", "valid_from", "valid_to"],
        people=wanted["person_id"],
    )
    s = wanted.merge(addresses, on="person_id")
    s["ref"] = on(s["year"], 6, 30)
    s = s[(s["valid_from"] <= s["ref"]) & (s["valid_to"].isna() | (s["valid_to"] >= s["ref"]))]
    s = s.sort_values("valid_from").drop_duplicates(PERSON_YEAR, keep="last")
    m = s[["person_id", "year", "ref", "municipality_code", "postcode4"]].merge(
        classification, on="municipality_code", suffixes=("", "_map")
    )
    m = m[
        (m["valid_from"] <= m["ref"])
        & (m["valid_to"].isna() | (m["ref"] < m["valid_to"]))
        & (m["postcode4_map"].isna() | (m["postcode4_map"] == m["postcode4"]))
    ]
    m = m.assign(by_postcode=m["postcode4_map"].notna()).sort_values("by_postcode")
    m = m.drop_duplicates(PERSON_YEAR, keep="last")
    return m[["person_id", "year", "class_code"]].rename(columns={"class_code": "region"})


def with_region(units: pd.DataFrame, person: str, places: pd.DataFrame) -> np.ndarray:
    """The region of each unit: where ``person`` lived (NaN: unknown)."""
    keyed = units[[person, "year"]].rename(columns={person: "person_id"})
    return np.asarray(keyed.merge(places, on=PERSON_YEAR, how="left")["region"])


def compute(data_dir: Path, years: range, classification_year: int) -> pa.Table:
    """Cells (indicator_id, region_code, year, numerator, denominator) of the six indicators."""
    run_years = list(years)
    ref = reference(classification_year)
    classification = ref.classification.to_pandas()
    for c in ("valid_from", "valid_to"):
        classification[c] = pd.to_datetime(classification[c])
    p10 = ref.p10.to_pandas()

    # -- Populations --------------------------------------------------------------------
    births = read(
        data_dir,
        "births",
        ["birth_id", "child_id", "mother_id", "birth_date", "gestational_age_days",
         "birth_weight_g", "sex", "birth_order", "first_visit_gestational_day",
         "birth_weight_percentile"],
    )  # fmt: skip
    births["year"] = births["birth_date"].dt.year
    ga = births["gestational_age_days"]
    in_run = births["year"].isin(run_years) & (ga >= MIN_GESTATIONAL_DAYS)

    # Pregnancies (7, 8): first-born records, one per mother and year (the earliest); a
    # record without a mother id is its own pregnancy.
    preg = births[in_run & (births["birth_order"] == 1)].copy()
    preg["key"] = ("m:" + preg["mother_id"]).fillna("b:" + preg["birth_id"])
    preg = preg.sort_values(["birth_date", "birth_id"]).drop_duplicates(["year", "key"])

    # Children born (12), live or stillborn, every child of a multiple birth.
    kids = births[in_run].copy()
    kids["ga_days"] = kids["gestational_age_days"].clip(CHART_FIRST, CHART_LAST)
    kids = kids.merge(p10, on=["sex", "ga_days"], how="left")
    by_chart = (kids["gestational_age_days"] >= CHART_FIRST) & (
        kids["birth_weight_g"] < kids["p10_g"]
    )
    kids["sga"] = np.where(
        kids["birth_weight_percentile"].notna(), kids["birth_weight_percentile"] < 10, by_chart
    )
    kids["preterm"] = kids["gestational_age_days"] < TERM_DAY

    # Live births (10, 11): persons with a parent-link row born in a run year.
    links = read(data_dir, "parent_links", ["child_id", "mother_id", "father_id"])
    persons = read(
        data_dir,
        "persons",
        ["person_id", "birth_date", "death_date"],
        people=links["child_id"],
    )
    children = persons.merge(links, left_on="person_id", right_on="child_id")
    children["born"] = children["birth_date"].dt.year
    live = children[children["born"].isin(run_years)].copy()
    live["year"] = live["born"]
    live["parent_id"] = live["mother_id"].fillna(live["father_id"])

    # Children under two (15): born in the data year or the year before, alive on 1 January,
    # with a known parent.
    known = children[children["mother_id"].notna() | children["father_id"].notna()]
    young = []
    for year in run_years:
        c = known[known["born"].isin([year, year - 1])].assign(year=year)
        young.append(c[c["death_date"].isna() | (c["death_date"] >= pd.Timestamp(year, 1, 1))])
    under_two = pd.concat(young, ignore_index=True)
    under_two["parent_id"] = under_two["mother_id"].fillna(under_two["father_id"])

    # -- Residence on 30 June: the mother's, else the father's -----------------------------
    wanted = pd.concat(
        [
            d[[person, "year"]].rename(columns={person: "person_id"})
            for d, person in (
                (preg, "mother_id"),
                (kids, "mother_id"),
                (live, "parent_id"),
                (under_two, "parent_id"),
            )
        ]
    )
    places = residence(data_dir, wanted, classification)

    # -- Parents' attributes per person and year ------------------------------------------
    keys = pd.concat(
        [
            d[[person, "year"]].rename(columns={person: "person_id"})
            for d, person in ((preg, "mother_id"), (live, "mother_id"), (live, "father_id"))
        ]
    )
    keys = keys.dropna().drop_duplicates().reset_index(drop=True)
    people = keys["person_id"]
    income = read(
        data_dir,
        "household_income",
        ["person_id", "year", "income_percentile"],
        people=people,
        years=run_years,
    )
    arrears = read(data_dir, "premium_arrears", ["person_id", "year"], people=people)
    wsnp = read(data_dir, "debt_restructuring", ["person_id", "start_date", "end_date"])
    wsnp = keys.merge(wsnp, on="person_id")
    wsnp = wsnp[
        (wsnp["start_date"].dt.year <= wsnp["year"])
        & (wsnp["end_date"].isna() | (wsnp["end_date"].dt.year >= wsnp["year"]))
    ]
    costs = read(
        data_dir,
        "healthcare_costs",
        ["person_id", "year", "cost_total", "cost_maternity", "cost_ggz_basic",
         "cost_ggz_specialist", "cost_ggz_zpm"],
        people=people,
        years=range(run_years[0] - 2, run_years[-1] + 1),
    )  # fmt: skip
    costs["cost"] = costs["cost_total"] - costs["cost_maternity"].fillna(0)
    ggz = (
        costs["cost_ggz_basic"].fillna(0)
        + costs["cost_ggz_specialist"].fillna(0)
        + costs["cost_ggz_zpm"].fillna(0)
    )
    medication = read(
        data_dir, "medication", ["person_id", "year", "atc4"], people=people, years=run_years
    )
    attrs = keys.copy()
    low = income[income["income_percentile"].between(1, 9)]
    attrs["low_income"] = flag(keys, low, "low_income")
    attrs["arrears"] = flag(keys, arrears, "arrears")
    attrs["wsnp"] = flag(keys, wsnp, "wsnp")
    attrs["debts"] = attrs["arrears"] | attrs["wsnp"]
    attrs["ggz"] = flag(keys, costs[ggz > 0], "ggz")
    attrs["psych_med"] = flag(keys, medication[medication["atc4"].isin(PSYCH_ATC4)], "psych_med")

    # -- Units: a 0/1 column per indicator, NaN outside its population ----------------------
    preg["region"] = with_region(preg, "mother_id", places)
    preg["2019-07"] = preg["first_visit_gestational_day"].fillna(0) > LATE_VISIT_DAY
    preg["2019-08a"] = attribute(attrs, preg, "mother_id", "arrears")
    preg["2019-08b"] = attribute(attrs, preg, "mother_id", "wsnp")
    preg["2019-08"] = preg["2019-08a"] | preg["2019-08b"]

    kids["region"] = with_region(kids, "mother_id", places)
    kids["2019-12"] = kids["preterm"] | kids["sga"]
    kids["2019-12a"] = kids["preterm"]
    kids["2019-12b"] = kids["sga"]

    live["region"] = with_region(live, "parent_id", places)
    live["2019-10"] = no_kraamzorg(data_dir, live)
    live = live.merge(risk_factors(data_dir, live, births, costs, attrs), on="child_id")
    live["2019-11"] = live["factors"] >= 3
    live["2019-11-0"] = live["factors"] == 0
    live["2019-11-1"] = live["factors"] == 1
    live["2019-11-2"] = live["factors"] == 2

    under_two["region"] = with_region(under_two, "parent_id", places)
    under_two["2019-15"] = placed(data_dir, under_two)

    # -- Cells -----------------------------------------------------------------------------
    counted = []
    for units, ids in (
        (preg, ["2019-07", "2019-08", "2019-08a", "2019-08b"]),
        (kids, ["2019-12", "2019-12a", "2019-12b"]),
        (live, ["2019-10", "2019-11", "2019-11-0", "2019-11-1", "2019-11-2"]),
        (under_two, ["2019-15"]),
    ):
        u = units.assign(region=units["region"].fillna(UNKNOWN_REGION))
        for i in ids:
            hits = u[u[i].notna()].assign(hit=u[i].astype(float))
            for by in (["region", "year"], ["year"]):
                g = hits.groupby(by)["hit"].agg(["sum", "count"]).reset_index()
                if "region" not in by:
                    g["region"] = NL_CODE
                counted.append(g.assign(indicator_id=i))
    cells = pd.concat(counted, ignore_index=True).rename(
        columns={"region": "region_code", "sum": "numerator", "count": "denominator"}
    )
    shape = pd.MultiIndex.from_product(
        [
            list(INDICATORS),
            [*ref.municipalities["municipality_code"].to_pylist(), UNKNOWN_REGION, NL_CODE],
            run_years,
        ],
        names=["indicator_id", "region_code", "year"],
    )
    cells = cells.set_index(["indicator_id", "region_code", "year"])
    cells = cells.reindex(shape.union(cells.index), fill_value=0).reset_index()
    cells[["numerator", "denominator"]] = cells[["numerator", "denominator"]].astype("int64")
    return normalise(pa.Table.from_pandas(cells, schema=SCHEMA, preserve_index=False))


def no_kraamzorg(data_dir: Path, live: pd.DataFrame) -> pd.Series:
    """Per live birth: 1 when the mother has no trajectory with its delivery month within a
    month of the birth month and an hourly kraamzorg claim in or after that month; NaN
    without a known mother."""
    traj = read(
        data_dir, "maternity_trajectories", ["trajectory_id", "mother_id", "delivery_month"]
    )
    claims = read(data_dir, "maternity_claims", ["trajectory_id", "claim_type", "service_month"])
    hourly = claims[claims["claim_type"] == "kraamzorg_per_uur"].merge(traj, on="trajectory_id")
    hourly = hourly[hourly["service_month"] >= hourly["delivery_month"]]
    used = hourly[["mother_id", "delivery_month"]].drop_duplicates()
    births = live[live["mother_id"].notna()][["child_id", "mother_id", "birth_date"]]
    hit = births.merge(used, on="mother_id")
    hit = hit[
        (hit["delivery_month"] >= month_start(hit["birth_date"], -1))
        & (hit["delivery_month"] <= month_start(hit["birth_date"], 1))
    ]
    with_care = live["child_id"].isin(hit["child_id"])
    return (~with_care).astype(float).where(live["mother_id"].notna())


def risk_factors(
    data_dir: Path,
    live: pd.DataFrame,
    births: pd.DataFrame,
    costs: pd.DataFrame,
    attrs: pd.DataFrame,
) -> pd.DataFrame:
    """(child_id, factors): the number of the eight risk factors of each live birth, each
    counted once when present at the mother, the father or both."""
    b = live[["child_id", "mother_id", "father_id", "year", "birth_date"]].copy()
    factors = np.zeros(len(b), dtype=int)
    for name in ("low_income", "ggz", "psych_med", "debts"):
        factors += attribute(attrs, b, "mother_id", name) | attribute(attrs, b, "father_id", name)

    parents = pd.concat(
        [
            b[b[p].notna()][["child_id", "year", p]].rename(columns={p: "person_id"})
            for p in ("mother_id", "father_id")
        ]
    )
    # Detention of a parent in the birth year or the year before.
    d = parents.merge(
        read(data_dir, "detentions", ["person_id", "start_date", "end_date"]), on="person_id"
    )
    d = d[
        (d["start_date"].dt.year <= d["year"])
        & (d["end_date"].isna() | (d["end_date"].dt.year >= d["year"] - 1))
    ]
    factors += b["child_id"].isin(d["child_id"]).astype(int).to_numpy()
    # Divorce of a parent (either partner field) in the birth year or the years before.
    v = read(data_dir, "divorces", ["person_id", "partner_id", "divorce_date"])
    sides = pd.concat(
        [
            v[["person_id", "divorce_date"]],
            v[v["partner_id"].notna()][["partner_id", "divorce_date"]].rename(
                columns={"partner_id": "person_id"}
            ),
        ]
    )
    v = parents.merge(sides, on="person_id")
    since = v["year"] - v["divorce_date"].dt.year
    v = v[(since >= 0) & (since <= DIVORCE_YEARS_BEFORE)]
    factors += b["child_id"].isin(v["child_id"]).astype(int).to_numpy()
    # Death of a partner: both parents known, one of them died in the birth year or before.
    couples = b[b["mother_id"].notna() & b["father_id"].notna()]["child_id"]
    x = parents[parents["child_id"].isin(couples)].merge(
        read(data_dir, "deaths", ["person_id", "death_date"]), on="person_id"
    )
    since = x["year"] - x["death_date"].dt.year
    x = x[(since >= 0) & (since <= PARTNER_DEATH_YEARS_BEFORE)]
    factors += b["child_id"].isin(x["child_id"]).astype(int).to_numpy()

    # High costs: the costs of the year before the pregnancy began (birth date minus the
    # gestational age of the linked Perined record, the shortest; 280 days when none links),
    # percent rank within the data year over the births with that parent known.
    gestation = births[births["child_id"].notna()].groupby("child_id")["gestational_age_days"]
    b = b.merge(gestation.min().rename("ga").reset_index(), on="child_id", how="left")
    began = b["birth_date"] - pd.to_timedelta(b["ga"].fillna(ASSUMED_GESTATIONAL_DAYS), unit="D")
    b["cost_year"] = began.dt.year - 1
    high = np.zeros(len(b), dtype=bool)
    for parent in ("mother_id", "father_id"):
        cost = b[[parent, "cost_year"]].merge(
            costs[["person_id", "year", "cost"]],
            left_on=[parent, "cost_year"],
            right_on=["person_id", "year"],
            how="left",
        )["cost"]
        cost = cost.where(b["cost_year"] >= b["year"] - 2).fillna(0)
        with_parent = b[parent].notna()
        ranks = cost[with_parent].groupby(b.loc[with_parent, "year"]).rank(method="min")
        n = with_parent.groupby(b["year"]).transform("sum")[with_parent]
        percent = ((ranks - 1) / (n - 1)).where(n > 1, 0.0)
        high[with_parent.to_numpy()] |= (percent >= HIGH_COST_RANK).to_numpy()
    factors += high.astype(int)
    return pd.DataFrame({"child_id": b["child_id"], "factors": factors})


def placed(data_dir: Path, under_two: pd.DataFrame) -> np.ndarray:
    """Per child and year: 1 when a child protection measure and residential youth care ran
    on a same day of the year."""
    ids = under_two["child_id"]
    prot = read(
        data_dir, "youth_protection", ["person_id", "measure_code", "start_date", "end_date"],
        people=ids,
    )  # fmt: skip
    care = read(
        data_dir, "youth_care", ["person_id", "care_form_code", "start_date", "end_date"],
        people=ids,
    )  # fmt: skip
    prot = prot[prot["measure_code"].isin(PROTECTION_CODES)]
    care = care[care["care_form_code"].isin(RESIDENTIAL_CARE_CODES)]
    pairs = prot.merge(care, on="person_id", suffixes=("_p", "_h")).merge(
        under_two[["child_id", "year"]], left_on="person_id", right_on="child_id"
    )
    first, last = on(pairs["year"], 1, 1), on(pairs["year"], 12, 31)
    start = pd.concat([pairs["start_date_p"], pairs["start_date_h"], first], axis=1).max(axis=1)
    end = pd.concat(
        [pairs["end_date_p"].fillna(last), pairs["end_date_h"].fillna(last), last], axis=1
    ).min(axis=1)
    hits = pairs[start <= end][["child_id", "year"]].drop_duplicates().assign(hit=1.0)
    found = under_two[["child_id", "year"]].merge(hits, on=["child_id", "year"], how="left")
    return np.asarray(found["hit"].fillna(0.0), dtype=float)


if __name__ == "__main__":
    main(compute, "The six indicators of edition 2021 in plain pandas.")

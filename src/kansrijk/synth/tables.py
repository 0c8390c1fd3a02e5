"""Turn the simulated people into contract tables (Arrow), one table at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from kansrijk.reference.care_products import LONG_STAY_DBC
from kansrijk.synth.births import CHART_FIRST, CHART_LAST, Children
from kansrijk.synth.care import OTHER_DBC, JgzContacts, Kraamzorg, Placements
from kansrijk.synth.geography import AtomFrame
from kansrijk.synth.ids import make_ids
from kansrijk.synth.panel import MISSING_MOTHER_ID_RATE, Panel
from kansrijk.synth.people import MIGRATION, NEVER, Deliveries, Parents, year_start_day
from kansrijk.synth.rng import stream

IntArray = NDArray[np.int64]
PSYCH_ATC4 = ("N05A", "N05B", "N05C", "N06A", "N06B", "N06C")
PSYCH_WEIGHTS = np.array([0.08, 0.3, 0.1, 0.45, 0.05, 0.02])
OTHER_ATC4 = ("A02B", "J01C", "R03A", "M01A", "H03A", "B03A", "G03A", "R06A", "D07A", "C07A")
EDUCATION = ("low", "middle", "high")


def query(sql: str, **frames: pa.Table) -> pa.Table:
    """Run ``sql`` on in-memory Arrow tables registered under the given names."""
    con = duckdb.connect()
    for name, frame in frames.items():
        con.register(name, frame)
    result = con.sql(sql).to_arrow_table()
    con.close()
    return result


def dates(day: IntArray, *, none_marker: int | None = -1) -> pa.Array:
    """Day numbers to date32; ``none_marker`` (used for "no date" in event arrays,
    which all lie after 1970) and NEVER become NULL."""
    mask = day >= NEVER
    if none_marker is not None:
        mask |= day == none_marker
    return pa.array(np.where(mask, 0, day).astype("int32"), pa.date32(), mask=mask)


def nullable_float(x: NDArray[np.float64]) -> pa.Array:
    return pa.array(x, pa.float64(), from_pandas=True)


@dataclass
class World:
    """Everything simulated, with the identifier spaces of the output."""

    seed: int
    years: range
    panel_years: range
    data_end_day: int
    parents: Parents
    deliveries: Deliveries
    mother: IntArray  # parent index per delivery
    panel: Panel
    children: Children
    kraamzorg: Kraamzorg
    placements: Placements
    jgz: JgzContacts
    atoms: AtomFrame

    @property
    def n_parents(self) -> int:
        return int(self.parents.v.size)

    def parent_ids(self, index: IntArray) -> pa.Array:
        return make_ids("P", index, self.seed)

    def child_ids(self, child: IntArray) -> pa.Array:
        return make_ids("P", np.where(child >= 0, child + self.n_parents, -1), self.seed)


def persons(w: World) -> pa.Table:
    p, c = w.parents, w.children
    live = np.flatnonzero(c.live_born)
    migration = np.asarray(MIGRATION)
    return pa.table(
        {
            "person_id": pa.concat_arrays(
                [w.parent_ids(np.arange(w.n_parents)), w.child_ids(live)]
            ),
            "sex": np.concatenate([p.sex, np.where(c.female[live], "F", "M")]),
            "birth_date": pa.concat_arrays(
                [dates(p.birth_day, none_marker=None), dates(c.day[live])]
            ),
            "death_date": pa.concat_arrays([dates(w.panel.death_day), dates(c.death_day[live])]),
            "migration_background": np.concatenate(
                [migration[p.migration], migration[p.migration[c.mother[live]]]]
            ),
        }
    )


def parent_links(w: World) -> pa.Table:
    c = w.children
    rng = stream(w.seed, "parent-links")
    live = np.flatnonzero(c.live_born)
    mother = np.where(rng.random(live.size) < 0.002, -1, c.mother[live])
    return pa.table(
        {
            "child_id": w.child_ids(live),
            "mother_id": w.parent_ids(mother),
            "father_id": w.parent_ids(c.father[live]),
        }
    )


def births(w: World) -> pa.Table:
    c = w.children
    rng = stream(w.seed, "births-table")
    n = c.year.size
    child = np.where(c.live_born & (rng.random(n) >= 0.005), np.arange(n), -1)
    mother = np.where(rng.random(n) < MISSING_MOTHER_ID_RATE, -1, c.mother)
    in_chart = (c.ga_days >= CHART_FIRST) & (c.ga_days <= CHART_LAST) & ~np.isnan(c.weight_g)
    percentile = np.where(in_chart, np.round(np.clip(c.percentile, 0.1, 99.9), 1), np.nan)
    sex_missing = rng.random(n) < 0.0005
    parity = c.parity.astype(float)
    parity[rng.random(n) < 0.004] = np.nan
    return pa.table(
        {
            "birth_id": make_ids("B", np.arange(n), w.seed),
            "child_id": w.child_ids(child),
            "mother_id": w.parent_ids(mother),
            "birth_date": dates(c.day),
            "gestational_age_days": c.ga_days,
            "birth_weight_g": pa.array(c.weight_g, pa.float64(), from_pandas=True).cast(pa.int32()),
            "sex": pa.array(np.where(c.female, "F", "M"), mask=sex_missing),
            "multiplicity": c.multiplicity,
            "birth_order": c.birth_order,
            "parity": pa.array(parity, from_pandas=True).cast(pa.int32()),
            "live_born": c.live_born,
            "first_visit_gestational_day": pa.array(c.first_visit, from_pandas=True).cast(
                pa.int32()
            ),
            "birth_weight_percentile": nullable_float(percentile),
            "perinatal_mortality": c.mortality,
        }
    )


def _children_by_year(w: World) -> NDArray[np.int64]:
    """Children born so far per parent and panel year, shape (n_parents, n_years)."""
    counts = np.zeros((w.n_parents, len(w.panel_years)), dtype=np.int64)
    col = w.deliveries.year - w.panel_years.start
    np.add.at(counts, (w.mother, col), 1)
    fathers = w.parents.partner[w.mother]
    has = fathers >= 0
    np.add.at(counts, (fathers[has], col[has]), 1)
    cumulative: NDArray[np.int64] = np.cumsum(counts, axis=1)
    return cumulative


def household_income(w: World) -> Iterator[tuple[str, pa.Table]]:
    kids = _children_by_year(w)
    prior = np.zeros(w.n_parents, dtype=np.int64)
    prior[: w.parents.n_mothers] = 0
    for j, year in enumerate(w.panel_years):
        pct = w.panel.income_percentile[:, j]
        keep = pct != 0
        together = w.panel.cohabiting[:, j]
        has_kids = kids[:, j] > 0
        htype = np.where(
            together,
            np.where(has_kids, "couple_with_children", "couple_without_children"),
            np.where(has_kids, "single_parent", "single"),
        )
        htype = np.where(pct == -3, "institutional", htype)
        size = 1 + together + kids[:, j]
        idx = np.flatnonzero(keep)
        yield (
            str(year),
            pa.table(
                {
                    "person_id": w.parent_ids(idx),
                    "year": np.full(idx.size, year, dtype=np.int32),
                    "income_percentile": pct[idx].astype(np.int32),
                    "household_type": htype[idx],
                    "household_size": size[idx].astype(np.int32),
                }
            ),
        )


def education(w: World) -> Iterator[tuple[str, pa.Table]]:
    levels = np.asarray(EDUCATION)[w.parents.education]
    ids = w.parent_ids(np.arange(w.n_parents))
    for year in w.panel_years:
        yield (
            str(year),
            pa.table(
                {
                    "person_id": ids,
                    "year": np.full(w.n_parents, year, dtype=np.int32),
                    "education_level": levels,
                }
            ),
        )


def healthcare_costs(w: World) -> Iterator[tuple[str, pa.Table]]:
    ids = w.parent_ids(np.arange(w.n_parents))
    pn = w.panel
    rng = stream(w.seed, "ggz-split")
    for j, year in enumerate(w.panel_years):
        ggz = pn.ggz_cost[:, j].astype(float)
        basic_share = np.where(rng.random(w.n_parents) < 0.6, 1.0, 0.0)
        empty = pa.nulls(w.n_parents, pa.float64())
        # GGZ costs moved to the zorgprestatiemodel column in 2022.
        if year < 2022:
            basic = pa.array(ggz * basic_share)
            specialist = pa.array(ggz * (1 - basic_share))
            zpm = empty
        else:
            basic = specialist = empty
            zpm = pa.array(ggz)
        yield (
            str(year),
            pa.table(
                {
                    "person_id": ids,
                    "year": np.full(w.n_parents, year, dtype=np.int32),
                    "cost_total": np.round(pn.cost_total[:, j].astype(float), 2),
                    "cost_ggz_basic": basic,
                    "cost_ggz_specialist": specialist,
                    "cost_ggz_zpm": zpm,
                    "cost_gp": np.round(pn.cost_gp[:, j].astype(float), 2),
                    "cost_hospital": np.round(pn.cost_hospital[:, j].astype(float), 2),
                    "cost_maternity": np.round(pn.cost_maternity[:, j].astype(float), 2),
                }
            ),
        )


def medication(w: World) -> Iterator[tuple[str, pa.Table]]:
    rng = stream(w.seed, "medication")
    for j, year in enumerate(w.panel_years):
        psych = np.flatnonzero(w.panel.psych_medication[:, j])
        first = rng.choice(len(PSYCH_ATC4), psych.size, p=PSYCH_WEIGHTS)
        second_has = rng.random(psych.size) < 0.25
        second = rng.choice(len(PSYCH_ATC4), psych.size, p=PSYCH_WEIGHTS)
        other_people = np.flatnonzero(rng.random(w.n_parents) < 0.35)
        other = rng.choice(len(OTHER_ATC4), other_people.size)
        person = np.concatenate([psych, psych[second_has], other_people])
        code = np.concatenate(
            [
                np.asarray(PSYCH_ATC4)[first],
                np.asarray(PSYCH_ATC4)[second[second_has]],
                np.asarray(OTHER_ATC4)[other],
            ]
        )
        unique = query(
            "SELECT DISTINCT person, atc4 FROM frame ORDER BY person, atc4",
            frame=pa.table({"person": person, "atc4": code}),
        )
        yield (
            str(year),
            pa.table(
                {
                    "person_id": w.parent_ids(unique.column("person").to_numpy()),
                    "year": np.full(unique.num_rows, year, dtype=np.int32),
                    "atc4": unique.column("atc4"),
                }
            ),
        )


def premium_arrears(w: World) -> pa.Table:
    person, col = np.nonzero(w.panel.arrears)
    return pa.table(
        {"person_id": w.parent_ids(person), "year": (col + w.panel_years.start).astype(np.int32)}
    )


def _spells(w: World, start: IntArray, end: IntArray) -> pa.Table:
    idx = np.flatnonzero((start >= 0) & (start <= w.data_end_day))
    return pa.table(
        {
            "person_id": w.parent_ids(idx),
            "start_date": dates(start[idx]),
            "end_date": dates(end[idx]),
        }
    )


def debt_restructuring(w: World) -> pa.Table:
    return _spells(w, w.panel.wsnp_start, w.panel.wsnp_end)


def detentions(w: World) -> pa.Table:
    return _spells(w, w.panel.detention_start, w.panel.detention_end)


def divorces(w: World) -> pa.Table:
    p = w.parents
    rng = stream(w.seed, "divorces")
    day = p.separation_day + rng.integers(30, 400, p.v.size)
    idx = np.flatnonzero(
        p.married & (p.partner >= 0) & (day <= w.data_end_day) & (p.separation_day < NEVER)
    )
    partner = p.partner[idx]
    unlinked = rng.random(idx.size) < 0.03
    return pa.table(
        {
            "person_id": w.parent_ids(idx),
            "partner_id": w.parent_ids(np.where(unlinked, -1, partner)),
            "divorce_date": dates(day[idx]),
        }
    )


def deaths(w: World) -> pa.Table:
    parent = np.flatnonzero(w.panel.death_day < NEVER)
    child = np.flatnonzero(w.children.live_born & (w.children.death_day >= 0))
    return pa.table(
        {
            "person_id": pa.concat_arrays([w.parent_ids(parent), w.child_ids(child)]),
            "death_date": pa.concat_arrays(
                [dates(w.panel.death_day[parent]), dates(w.children.death_day[child])]
            ),
        }
    )


def maternity(w: World) -> tuple[pa.Table, pa.Table]:
    """Trajectories (births and miscarriages) and their claim lines."""
    rng = stream(w.seed, "maternity")
    d = w.deliveries
    k = w.kraamzorg
    n_del = d.year.size
    # Miscarriage trajectories for a sample of mothers.
    misc_mother = w.mother[rng.random(n_del) < 0.09]
    misc_day = year_start_day(w.years.start) + rng.integers(
        0, w.data_end_day - year_start_day(w.years.start), misc_mother.size
    )
    traj_mother = np.concatenate([w.mother, misc_mother])
    traj_day = np.concatenate([d.day, misc_day])
    n_traj = traj_mother.size
    month = traj_day.astype("datetime64[D]").astype("datetime64[M]")
    delivery_month = month.astype("datetime64[D]").astype(np.int64)
    used = np.concatenate([k.used, np.zeros(misc_mother.size, dtype=bool)])
    is_birth = np.arange(n_traj) < n_del
    indicated = np.where(
        used & (rng.random(n_traj) < 0.85),
        rng.choice([24.0, 32.0, 42.0, 49.0, 56.0, 64.0, 80.0], n_traj),
        np.nan,
    )
    trajectories = pa.table(
        {
            "trajectory_id": make_ids("T", np.arange(n_traj), w.seed),
            "mother_id": w.parent_ids(traj_mother),
            "delivery_month": dates(delivery_month),
            "indicated_hours": nullable_float(indicated),
        }
    )

    def month_shift(m: NDArray[np.datetime64], k_months: IntArray) -> IntArray:
        out: IntArray = (
            (m + k_months.astype("timedelta64[M]")).astype("datetime64[D]").astype(np.int64)
        )
        return out

    rows: list[tuple[IntArray, IntArray, str, str, NDArray[np.float64]]] = []
    all_t = np.arange(n_traj)
    nan = np.full(n_traj, np.nan)
    zero = np.zeros(n_traj, dtype=np.int64)
    # Every trajectory has midwife care in its delivery month.
    rows.append((all_t, month_shift(month, zero), "verloskundige_zorg", "Verloskundige zorg", nan))
    intake = is_birth & (
        (used & (rng.random(n_traj) < 0.7)) | (~used & (rng.random(n_traj) < 0.45))
    )
    rows.append(
        (
            all_t[intake],
            month_shift(month, -rng.integers(2, 4, n_traj))[intake],
            "kraamzorg_intake",
            "Intake kraamzorg",
            nan[intake],
        )
    )
    partus = is_birth & (rng.random(n_traj) < np.where(used, 0.3, 0.1))
    rows.append(
        (
            all_t[partus],
            month_shift(month, zero)[partus],
            "kraamzorg_partus",
            "Partusassistentie",
            nan[partus],
        )
    )
    hours = np.clip(rng.normal(42, 12, n_traj), 3, 80).round(1)
    split = used & (rng.random(n_traj) < 0.3)
    rows.append(
        (
            all_t[used],
            month_shift(month, zero)[used],
            "kraamzorg_per_uur",
            "Kraamzorg per uur",
            np.where(split, hours * 0.6, hours)[used],
        )
    )
    rows.append(
        (
            all_t[split],
            month_shift(month, zero + 1)[split],
            "kraamzorg_per_uur",
            "Kraamzorg per uur",
            (hours * 0.4).round(1)[split],
        )
    )
    before = is_birth & ~used & (rng.random(n_traj) < 0.04)
    rows.append(
        (
            all_t[before],
            month_shift(month, zero - 1)[before],
            "kraamzorg_per_uur",
            "Kraamzorg per uur",
            np.full(int(before.sum()), 4.0),
        )
    )
    precon = is_birth & (rng.random(n_traj) < 0.035)
    rows.append(
        (
            all_t[precon],
            month_shift(month, -rng.integers(11, 15, n_traj))[precon],
            "preconceptie_consult",
            "Preconceptieconsult",
            nan[precon],
        )
    )
    traj = np.concatenate([r[0] for r in rows])
    service = np.concatenate([r[1] for r in rows])
    claim_type = np.concatenate([np.full(r[0].size, r[2]) for r in rows])
    description = np.concatenate([np.full(r[0].size, r[3]) for r in rows])
    claim_hours = np.concatenate([r[4] for r in rows])
    order = np.lexsort((service, traj))
    claims = pa.table(
        {
            "claim_id": make_ids("C", np.arange(traj.size), w.seed),
            "trajectory_id": make_ids("T", traj[order], w.seed),
            "mother_id": w.parent_ids(traj_mother[traj[order]]),
            "service_month": dates(service[order]),
            "claim_type": claim_type[order],
            "description": description[order],
            "hours": nullable_float(claim_hours[order]),
        }
    )
    return trajectories, claims


def hospital_care_products(w: World) -> pa.Table:
    rng = stream(w.seed, "dbc")
    d, k, c = w.deliveries, w.kraamzorg, w.children
    first_child = np.full(d.year.size, -1, dtype=np.int64)
    firsts = np.flatnonzero(c.birth_order == 1)
    first_child[c.delivery[firsts]] = firsts
    long_idx = np.flatnonzero(k.long_stay)
    on_child = (
        k.long_stay_child[long_idx]
        & (first_child[long_idx] >= 0)
        & (c.live_born[np.maximum(first_child[long_idx], 0)])
    )
    person_ids = pa.concat_arrays(
        [
            w.child_ids(first_child[long_idx][on_child]),
            w.parent_ids(w.mother[long_idx][~on_child]),
        ]
    )
    years = np.concatenate([d.year[long_idx][on_child], d.year[long_idx][~on_child]])
    codes = np.asarray(LONG_STAY_DBC)[rng.integers(0, len(LONG_STAY_DBC), years.size)]
    other = np.flatnonzero(rng.random(d.year.size) < 0.08)
    person_ids = pa.concat_arrays([person_ids, w.parent_ids(w.mother[other])])
    years = np.concatenate([years, d.year[other]])
    codes = np.concatenate(
        [codes, np.asarray(OTHER_DBC)[rng.integers(0, len(OTHER_DBC), other.size)]]
    )
    frame = pa.table(
        {"person_id": person_ids, "year": years.astype(np.int32), "care_product_code": codes}
    )
    return query("SELECT DISTINCT * FROM frame ORDER BY ALL", frame=frame)


def _youth_spells(
    w: World, child: IntArray, code_column: str, code: IntArray, start: IntArray, end: IntArray
) -> pa.Table:
    """A youth-care spell table, one row per (person, code, start)."""
    frame = pa.table(
        {
            "person_id": w.child_ids(child),
            code_column: code.astype(np.int32),
            "start_date": dates(start),
            "end_date": dates(end),
        }
    )
    return query(
        f"SELECT * FROM frame QUALIFY row_number() OVER (PARTITION BY person_id, "
        f"{code_column}, start_date) = 1 ORDER BY ALL",
        frame=frame,
    )


def youth_protection(w: World) -> pa.Table:
    p = w.placements
    return _youth_spells(
        w,
        p.protection_child,
        "measure_code",
        p.protection_code,
        p.protection_start,
        p.protection_end,
    )


def youth_care(w: World) -> pa.Table:
    p = w.placements
    return _youth_spells(w, p.care_child, "care_form_code", p.care_code, p.care_start, p.care_end)


def _jgz_codes(organisation: IntArray) -> pa.Array:
    """JGZ organisation numbers as codes ('JGZ02'); numpy's zfill fails on an empty array
    (a tiny dataset can have no contacts)."""
    if organisation.size == 0:
        return pa.array([], pa.string())
    return pa.array(np.char.add("JGZ", np.char.zfill(organisation.astype(str), 2)))


def jgz_contacts(w: World) -> pa.Table:
    j = w.jgz
    return pa.table(
        {
            "child_id": w.child_ids(j.child),
            "organisation_code": _jgz_codes(j.organisation),
            "contact_date": dates(j.day),
            "age_days": j.age_days.astype(np.int32),
            "says_two_word_sentences": pa.array(j.two_word.tolist(), pa.bool_()),
            "points_six_body_parts": pa.array(j.body_parts.tolist(), pa.bool_()),
            "height_cm": nullable_float(j.height_cm),
            "weight_kg": nullable_float(j.weight_kg),
        }
    )

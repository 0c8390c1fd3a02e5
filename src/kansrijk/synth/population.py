"""The rest of the population (``--population full``): about 17 million persons
who are not parents or children in the simulated births, with a residence and
person-year income and cost rows, so joins in benchmarks meet realistic volumes.
They never become parents, so indicator values do not change."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
from scipy.special import ndtr

from kansrijk.synth.ids import make_ids
from kansrijk.synth.people import MIGRATION, MIGRATION_SHARE, year_start_day
from kansrijk.synth.rng import stream
from kansrijk.synth.tables import dates

if TYPE_CHECKING:
    from kansrijk.synth.generate import SynthConfig
    from kansrijk.synth.tables import World
    from kansrijk.synth.writer import DatasetWriter

NL_POPULATION = 17_500_000
CHUNK = 2_000_000


def write_full_population(writer: DatasetWriter, config: SynthConfig, world: World) -> None:
    """Write persons, addresses, household income and costs for everyone else."""
    already = world.n_parents + int(world.children.live_born.sum())
    total = max(int(NL_POPULATION * config.scale) - already, 0)
    offset = world.n_parents + world.children.year.size  # after every child index
    periods = world.atoms
    # Code of each atom on 1 January of each panel year, for the single spell.
    first_day = int(year_start_day(config.panel_years.start))
    for chunk_no, start in enumerate(range(0, total, CHUNK)):
        size = min(CHUNK, total - start)
        rng = stream(config.seed, "population", chunk_no)
        index = np.arange(offset + start, offset + start + size, dtype=np.int64)
        ids = make_ids("P", index, config.seed)
        age = rng.uniform(0, 95, size)
        birth = first_day - (age * 365.25).astype(np.int64)
        migration = np.asarray(MIGRATION)[
            rng.choice(len(MIGRATION), size, p=MIGRATION_SHARE / MIGRATION_SHARE.sum())
        ]
        writer.write(
            "persons",
            pa.table(
                {
                    "person_id": ids,
                    "sex": np.where(rng.random(size) < 0.5, "F", "M"),
                    "birth_date": dates(birth, none_marker=None),
                    "death_date": pa.nulls(size, pa.date32()),
                    "migration_background": migration,
                }
            ),
            part=f"population-{chunk_no:03d}",
        )
        atom = rng.choice(periods.weights.size, size, p=periods.weights)
        # One open spell from the start of the panel, split where the code changes.
        p_sel = np.searchsorted(periods.period_atom, atom, side="left")
        rows_atom, rows_from, rows_code, rows_person = [], [], [], []
        for k in range(4):  # an atom has at most a few code periods
            pos = p_sel + k
            valid = (pos < periods.period_atom.size) & (
                periods.period_atom[np.minimum(pos, periods.period_atom.size - 1)] == atom
            )
            pos = pos[valid]
            keep = periods.period_end[pos] > first_day
            pos = pos[keep]
            rows_person.append(np.flatnonzero(valid)[keep])
            rows_from.append(np.maximum(periods.period_start[pos], first_day))
            rows_atom.append(pos)
            rows_code.append(np.asarray(periods.period_code)[pos])
        person = np.concatenate(rows_person)
        pos = np.concatenate(rows_atom)
        end = periods.period_end[pos]
        end_day = np.where(end >= world.data_end_day + 1, -1, end - 1)
        order = np.lexsort((np.concatenate(rows_from), person))
        offsets = periods.postcode_offsets[atom[person]]
        counts = periods.postcode_counts[atom[person]]
        postcode = periods.postcode_pool[offsets + (rng.random(person.size) * counts).astype(int)]
        start_day = np.concatenate(rows_from)
        valid_rows = start_day <= world.data_end_day
        order = order[valid_rows[order]]
        writer.write(
            "addresses",
            pa.table(
                {
                    "person_id": ids.take(pa.array(person[order])),
                    "municipality_code": np.concatenate(rows_code)[order],
                    "postcode4": postcode[order].astype(np.int32),
                    "valid_from": dates(start_day[order]),
                    "valid_to": dates(end_day[order]),
                }
            ),
            part=f"population-{chunk_no:03d}",
        )
        latent = rng.standard_normal(size)
        adult = age >= 18
        for year in config.panel_years:
            year_rng = stream(config.seed, "population-year", chunk_no, year)
            sel = np.flatnonzero(adult)
            score = latent[sel] + year_rng.normal(0, 0.4, sel.size)
            percentile = np.ceil(100 * ndtr(score / np.sqrt(1.16))).clip(1, 100).astype(np.int32)
            writer.write(
                "household_income",
                pa.table(
                    {
                        "person_id": ids.take(pa.array(sel)),
                        "year": np.full(sel.size, year, dtype=np.int32),
                        "income_percentile": percentile,
                        "household_type": np.where(
                            year_rng.random(sel.size) < 0.5, "couple_without_children", "single"
                        ),
                        "household_size": year_rng.integers(1, 3, sel.size).astype(np.int32),
                    }
                ),
                part=f"{year}-population-{chunk_no:03d}",
            )
            total_cost = year_rng.lognormal(np.log(900) + 0.02 * age, 1.2)
            ggz = np.where(year_rng.random(size) < 0.07, year_rng.lognormal(7.3, 1.0, size), 0.0)
            gp = year_rng.lognormal(np.log(180), 0.6, size)
            hospital = np.where(
                year_rng.random(size) < 0.3, year_rng.lognormal(np.log(1400), 1.2, size), 0.0
            )
            null = pa.nulls(size, pa.float64())
            writer.write(
                "healthcare_costs",
                pa.table(
                    {
                        "person_id": ids,
                        "year": np.full(size, year, dtype=np.int32),
                        "cost_total": np.round(total_cost + ggz + gp + hospital, 2),
                        "cost_ggz_basic": null if year >= 2022 else pa.array(ggz * 0.6),
                        "cost_ggz_specialist": null if year >= 2022 else pa.array(ggz * 0.4),
                        "cost_ggz_zpm": pa.array(ggz) if year >= 2022 else null,
                        "cost_gp": np.round(gp, 2),
                        "cost_hospital": np.round(hospital, 2),
                        "cost_maternity": np.zeros(size),
                    }
                ),
                part=f"{year}-population-{chunk_no:03d}",
            )

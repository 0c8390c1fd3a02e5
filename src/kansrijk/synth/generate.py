"""Orchestrates the synthetic Netherlands: simulate, then write every table."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa

from kansrijk import __version__
from kansrijk.registry.contract import CONTRACT_VERSION
from kansrijk.registry.synthetic import SYNTH_MANIFEST
from kansrijk.synth import tables
from kansrijk.synth.addresses import OPEN, residence_spells
from kansrijk.synth.births import simulate_births
from kansrijk.synth.care import (
    jgz_organisation_of_atoms,
    simulate_jgz,
    simulate_kraamzorg,
    simulate_placements,
)
from kansrijk.synth.classes import municipality_classes
from kansrijk.synth.geography import atom_frame
from kansrijk.synth.ids import make_ids
from kansrijk.synth.panel import build_panel
from kansrijk.synth.people import (
    draw_deliveries,
    make_parents,
    make_women,
    year_start_day,
)
from kansrijk.synth.population import write_full_population
from kansrijk.synth.programme import programme_tables
from kansrijk.synth.vulnerability import (
    TRUTH_FILE,
    plant_classes,
    planted_shares,
    vulnerability_tables,
)
from kansrijk.synth.writer import DatasetWriter

FIRST_YEAR, LAST_YEAR = 2015, 2025
LOOKBACK_YEARS = 2  # person-year tables start this many years before the first birth year


@dataclass(frozen=True)
class SynthConfig:
    """What to generate: birth years, scale (1.0 = about 170,000 births a year), seed."""

    first_year: int = 2015
    last_year: int = 2024
    scale: float = 0.05
    seed: int = 20190101
    population: str = "parents"  # or "full": also ~17 million other persons

    def __post_init__(self) -> None:
        if not FIRST_YEAR <= self.first_year <= self.last_year <= LAST_YEAR:
            raise ValueError(
                f"years must lie within {FIRST_YEAR}-{LAST_YEAR}, got "
                f"{self.first_year}-{self.last_year}"
            )
        if not 0.001 <= self.scale <= 5.0:
            raise ValueError(f"scale must be between 0.001 and 5.0, got {self.scale}")
        if self.population not in ("parents", "full"):
            raise ValueError(f"population must be 'parents' or 'full', got {self.population!r}")

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    @property
    def panel_years(self) -> range:
        return range(self.first_year - LOOKBACK_YEARS, self.last_year + 1)


Step = Callable[[str], AbstractContextManager[object]]


def _no_progress(_: str) -> AbstractContextManager[object]:
    return nullcontext()


def simulate(config: SynthConfig, step: Step = _no_progress) -> tables.World:
    """Simulate everyone; nothing is written yet."""
    years, panel_years = config.years, config.panel_years
    data_end_day = int(year_start_day(config.last_year + 1)) - 1
    atoms = atom_frame(panel_years.start, config.last_year)
    with step("parents and deliveries"):
        women = make_women(config.seed, years, config.scale, atoms.weights)
        deliveries = draw_deliveries(config.seed, women, years, config.scale)
        parents, mother = make_parents(config.seed, women, deliveries)
    with step("socio-economic histories"):
        panel = build_panel(config.seed, parents, deliveries, mother, panel_years, data_end_day)
    with step("births"):
        children = simulate_births(config.seed, parents, deliveries, mother, panel)
    with step("care"):
        kraamzorg = simulate_kraamzorg(config.seed, parents, deliveries, mother, children, panel)
        placements = simulate_placements(config.seed, parents, children, panel, data_end_day)
        orgs = jgz_organisation_of_atoms(atoms.weights, atoms.province)
        jgz = simulate_jgz(config.seed, parents, children, orgs, years, config.scale)
    return tables.World(
        seed=config.seed,
        years=years,
        panel_years=panel_years,
        data_end_day=data_end_day,
        parents=parents,
        deliveries=deliveries,
        mother=mother,
        panel=panel,
        children=children,
        kraamzorg=kraamzorg,
        placements=placements,
        jgz=jgz,
        atoms=atoms,
    )


def _addresses(world: tables.World) -> pa.Table:
    c, p = world.children, world.parents
    live = np.flatnonzero(c.live_born)
    raw = residence_spells(
        world.seed,
        parents_v=p.v,
        n_mothers=p.n_mothers,
        partner=p.partner,
        separation_day=p.separation_day,
        cohabiting=p.cohabiting,
        birth_day=p.birth_day,
        death_day=world.panel.death_day,
        atom=p.atom,
        child_mother=c.mother[live],
        child_birth=c.day[live],
        child_death=c.death_day[live],
        panel_start_day=int(year_start_day(world.panel_years.start)),
        data_end_day=world.data_end_day,
        atoms=world.atoms,
    )
    person = raw.column("person").to_numpy()
    n = world.n_parents
    # children were numbered by their position among live births: map back.
    person = np.where(person >= n, live[np.maximum(person - n, 0)] + n, person)
    valid_to = raw.column("valid_to").to_numpy()
    return pa.table(
        {
            "person_id": make_ids("P", person, world.seed),
            "municipality_code": raw.column("municipality_code"),
            "postcode4": raw.column("postcode4").cast(pa.int32()),
            "valid_from": tables.dates(raw.column("valid_from").to_numpy()),
            "valid_to": tables.dates(np.where(valid_to >= OPEN, -1, valid_to - 1)),
        }
    )


def _tables(
    world: tables.World, config: SynthConfig
) -> Iterator[tuple[str, pa.Table | Iterator[tuple[str, pa.Table]]]]:
    yield "persons", tables.persons(world)
    yield "parent_links", tables.parent_links(world)
    yield "births", tables.births(world)
    yield "addresses", _addresses(world)
    yield "household_income", tables.household_income(world)
    yield "education", tables.education(world)
    yield "healthcare_costs", tables.healthcare_costs(world)
    yield "medication", tables.medication(world)
    yield "premium_arrears", tables.premium_arrears(world)
    yield "debt_restructuring", tables.debt_restructuring(world)
    yield "detentions", tables.detentions(world)
    yield "divorces", tables.divorces(world)
    yield "deaths", tables.deaths(world)
    trajectories, claims = tables.maternity(world)
    yield "maternity_trajectories", trajectories
    yield "maternity_claims", claims
    yield "hospital_care_products", tables.hospital_care_products(world)
    yield "youth_protection", tables.youth_protection(world)
    yield "youth_care", tables.youth_care(world)
    yield "jgz_contacts", tables.jgz_contacts(world)
    yield from programme_tables(config.seed, config.years).items()
    yield "municipality_classes", municipality_classes(world.atoms)


def generate(
    config: SynthConfig, out: Path, *, overwrite: bool = False, step: Step = _no_progress
) -> dict[str, int]:
    """Simulate and write a complete, contract-valid dataset to ``out`` (atomically).

    Returns the number of rows written per table.
    """
    started = time.perf_counter()
    world = simulate(config, step)
    with DatasetWriter(out, overwrite=overwrite) as writer:
        for name, content in _tables(world, config):
            with step(f"write {name}"):
                if isinstance(content, pa.Table):
                    writer.write(name, content)
                else:
                    for part, table in content:
                        writer.write(name, table, part=part)
        with step("vulnerability predictors"):
            classes = plant_classes(world)
            predictors, truth = vulnerability_tables(world, classes)
            writer.write("vulnerability_predictors", predictors)
            # The planted class goes to a sidecar the monitor never reads, not to a table.
            writer.write_sidecar_table(TRUTH_FILE, truth)
            vulnerability = planted_shares(world, classes, truth)
        if config.population == "full":
            with step("full population"):
                write_full_population(writer, config, world)
        manifest = {
            "generator": "kansrijk.synth",
            "synthetic": True,
            "software_version": __version__,
            "contract_version": CONTRACT_VERSION,
            "config": asdict(config),
            "rows": writer.rows,
            "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "seconds": round(time.perf_counter() - started, 1),
            "vulnerability": vulnerability,
            "note": "Synthetic data: no real person is described. Identifiers are random.",
        }
        writer.write_file(SYNTH_MANIFEST, json.dumps(manifest, indent=2) + "\n")
        rows = dict(writer.rows)
    return rows

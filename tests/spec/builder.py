"""A tiny dataset builder for spec tests: state only what matters, get a contract-valid dataset.

Every method adds rows to one contract table with sensible defaults and returns the key it
made (a person, birth or trajectory id). ``write(dir)`` writes every contract table as CSV
(header-only when empty) and ``rows()`` gives the same data as plain dicts for the reference
implementation. Persons referenced anywhere but never declared are added with defaults
(woman born 1 January 1990), so the dataset has no dangling references.
"""

from __future__ import annotations

import csv
import itertools
from datetime import date
from pathlib import Path
from typing import Any

from kansrijk.registry.contract import TABLES

Row = dict[str, Any]

#: First long-stay DBC care product of RIVM's list (any of the 28 will do).
LONG_STAY_DBC = "990017011"
ORDINARY_DBC = "123456789"
GGZ_MODEL_YEAR = 2022  # zorgprestatiemodel: one GGZ cost column from 2022
#: The model id of predictions made in spec tests (a SHA-256 hex digest, as the contract asks).
MODEL_ID = "ab" * 32


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class DatasetBuilder:
    """Rows of every contract table, built one fact at a time."""

    def __init__(self) -> None:
        self.tables: dict[str, list[Row]] = {t.name: [] for t in TABLES}
        self._ids = itertools.count(1)

    def __repr__(self) -> str:
        """Every non-empty table with its rows (Hypothesis prints this for a failing case)."""
        parts = [
            f"{name}={[{k: v for k, v in r.items() if v is not None} for r in rows]}"
            for name, rows in self.tables.items()
            if rows
        ]
        return "DatasetBuilder(" + ", ".join(parts) + ")"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):05d}"

    def _add(self, table: str, **row: Any) -> Row:
        columns = next(t for t in TABLES if t.name == table).column_names
        unknown = set(row) - set(columns)
        if unknown:
            raise KeyError(f"{table} has no column(s) {sorted(unknown)}")
        full = {c: row.get(c) for c in columns}
        self.tables[table].append(full)
        return full

    def _person_row(self, person_id: str) -> Row | None:
        return next((r for r in self.tables["persons"] if r["person_id"] == person_id), None)

    # -- persons and families --------------------------------------------------------------
    def person(
        self,
        person_id: str | None = None,
        *,
        sex: str = "F",
        birth_date: date = date(1990, 1, 1),
        death_date: date | None = None,
        migration: str = "dutch",
    ) -> str:
        """A person (default: a Dutch woman born 1 January 1990)."""
        pid = person_id or self._new_id("pers")
        if self._person_row(pid) is not None:
            raise ValueError(f"person {pid} declared twice")
        self._add(
            "persons",
            person_id=pid,
            sex=sex,
            birth_date=birth_date,
            death_date=death_date,
            migration_background=migration,
        )
        return pid

    def mother(self, person_id: str | None = None, **kwargs: Any) -> str:
        return self.person(person_id, sex="F", **kwargs)

    def mother_in(
        self, municipality: str, person_id: str | None = None, postcode4: int | None = None
    ) -> str:
        """A mother living in ``municipality`` since 1 January 2015 (an open spell)."""
        pid = self.mother(person_id)
        self.address(pid, municipality, date(2015, 1, 1), postcode4=postcode4)
        return pid

    def father(self, person_id: str | None = None, **kwargs: Any) -> str:
        return self.person(person_id, sex="M", **kwargs)

    def parents(self, child: str, mother: str | None, father: str | None = None) -> None:
        """The legal parents of ``child`` (either may be unknown: None)."""
        self._add("parent_links", child_id=child, mother_id=mother, father_id=father)

    def birth(
        self,
        mother: str | None,
        on: date,
        *,
        child: str | None = None,
        ga_days: int = 280,
        weight: int | None = 3500,
        sex: str | None = "F",
        multiplicity: int = 1,
        order: int = 1,
        parity: int | None = 0,
        live: bool = True,
        first_visit: int | None = 60,
        percentile: float | None = None,
        mortality: int | None = None,
        birth_id: str | None = None,
    ) -> str:
        """A Perined birth record (default: a healthy term girl of 3500 g, care from day 60)."""
        bid = birth_id or self._new_id("birth")
        self._add(
            "births",
            birth_id=bid,
            child_id=child,
            mother_id=mother,
            birth_date=on,
            gestational_age_days=ga_days,
            birth_weight_g=weight,
            sex=sex,
            multiplicity=multiplicity,
            birth_order=order,
            parity=parity,
            live_born=live,
            first_visit_gestational_day=first_visit,
            birth_weight_percentile=percentile,
            perinatal_mortality=mortality if mortality is not None else (0 if live else 1),
        )
        return bid

    def child(
        self,
        mother: str | None,
        born: date,
        father: str | None = None,
        *,
        child_id: str | None = None,
        perined: bool = True,
        sex: str = "F",
        **birth: Any,
    ) -> str:
        """A live-born child: a person, legal parent links and (``perined``) a birth record."""
        cid = self.person(child_id, sex=sex, birth_date=born)
        self.parents(cid, mother, father)
        if perined:
            self.birth(mother, born, child=cid, sex=sex, **birth)
        return cid

    # -- residence, income, debts -------------------------------------------------------------
    def address(
        self,
        person: str,
        municipality: str,
        valid_from: date,
        valid_to: date | None = None,
        postcode4: int | None = None,
    ) -> None:
        self._add(
            "addresses",
            person_id=person,
            municipality_code=municipality,
            postcode4=postcode4,
            valid_from=valid_from,
            valid_to=valid_to,
        )

    def income(
        self,
        person: str,
        year: int,
        percentile: int | None,
        household_type: str | None = "couple_with_children",
        household_size: int | None = 3,
    ) -> None:
        self._add(
            "household_income",
            person_id=person,
            year=year,
            income_percentile=percentile,
            household_type=household_type,
            household_size=household_size,
        )

    def education(self, person: str, year: int, level: str) -> None:
        self._add("education", person_id=person, year=year, education_level=level)

    def arrears(self, person: str, year: int) -> None:
        self._add("premium_arrears", person_id=person, year=year)

    def wsnp(self, person: str, start: date, end: date | None = None) -> None:
        self._add("debt_restructuring", person_id=person, start_date=start, end_date=end)

    def costs(
        self,
        person: str,
        year: int,
        *,
        total: float = 1000.0,
        ggz: float = 0.0,
        maternity: float = 0.0,
        ggz_basic: float | None = None,
        ggz_specialist: float | None = None,
        ggz_zpm: float | None = None,
    ) -> None:
        """Zvw costs; ``ggz`` goes to the basic column before 2022 and the zpm column after,
        unless the three GGZ columns are given explicitly."""
        if ggz_basic is None and ggz_specialist is None and ggz_zpm is None:
            if year < GGZ_MODEL_YEAR:
                ggz_basic, ggz_specialist = ggz, 0.0
            else:
                ggz_zpm = ggz
        self._add(
            "healthcare_costs",
            person_id=person,
            year=year,
            cost_total=total,
            cost_ggz_basic=ggz_basic,
            cost_ggz_specialist=ggz_specialist,
            cost_ggz_zpm=ggz_zpm,
            cost_gp=0.0,
            cost_hospital=0.0,
            cost_maternity=maternity,
        )

    def medication(self, person: str, year: int, atc4: str = "N06A") -> None:
        self._add("medication", person_id=person, year=year, atc4=atc4)

    def detention(self, person: str, start: date, end: date | None = None) -> None:
        self._add("detentions", person_id=person, start_date=start, end_date=end)

    def divorce(self, person: str, on: date, partner: str | None = None) -> None:
        self._add("divorces", person_id=person, partner_id=partner, divorce_date=on)

    def death(self, person: str, on: date) -> None:
        """A registered death (also set as the person's death date when declared)."""
        self._add("deaths", person_id=person, death_date=on)
        row = self._person_row(person)
        if row is not None:
            row["death_date"] = on

    # -- birth care --------------------------------------------------------------------------
    def trajectory(
        self,
        mother: str,
        delivery_month: date,
        *,
        hours: float | None = 49.0,
        trajectory_id: str | None = None,
    ) -> str:
        """A Vektis birth-care trajectory; ``delivery_month`` is moved to the 1st."""
        tid = trajectory_id or self._new_id("traj")
        self._add(
            "maternity_trajectories",
            trajectory_id=tid,
            mother_id=mother,
            delivery_month=delivery_month.replace(day=1),
            indicated_hours=hours,
        )
        return tid

    def claim(
        self,
        trajectory: str,
        service_month: date,
        claim_type: str = "kraamzorg_per_uur",
        *,
        hours: float | None = 24.0,
    ) -> None:
        """A claim line of the trajectory's mother; ``service_month`` is moved to the 1st."""
        traj = next(
            r for r in self.tables["maternity_trajectories"] if r["trajectory_id"] == trajectory
        )
        self._add(
            "maternity_claims",
            claim_id=self._new_id("claim"),
            trajectory_id=trajectory,
            mother_id=traj["mother_id"],
            service_month=service_month.replace(day=1),
            claim_type=claim_type,
            description=None,
            hours=hours,
        )

    def preconception(self, mother: str, service_month: date) -> None:
        """A preconception consult claim (on its own trajectory, as Vektis declares it)."""
        tid = self.trajectory(mother, service_month, hours=None)
        self.claim(tid, service_month, "preconceptie_consult", hours=None)

    def dbc(self, person: str, year: int, code: str = LONG_STAY_DBC) -> None:
        self._add("hospital_care_products", person_id=person, year=year, care_product_code=code)

    # -- vulnerability model -----------------------------------------------------------------
    def prediction(
        self,
        mother: str,
        year: int,
        *probabilities: float,
        label: bool | None = None,
        n_imputed: int = 0,
        model_id: str = MODEL_ID,
    ) -> None:
        """A row of `vulnerability_predictions`: the mother's predicted probability of the
        multidimensional class for births in ``year``, one per imputation (1 to 5; default
        label: imputation 1 at 0.5)."""
        if not 1 <= len(probabilities) <= 5:
            raise ValueError("give 1 to 5 probabilities (one per imputation)")
        padded = list(probabilities) + [None] * (5 - len(probabilities))
        self._add(
            "vulnerability_predictions",
            person_id=mother,
            year=year,
            **{f"probability_{k + 1}": p for k, p in enumerate(padded)},
            label=probabilities[0] >= 0.5 if label is None else label,
            n_imputed=n_imputed,
            model_id=model_id,
        )

    # -- youth ------------------------------------------------------------------------------
    def protection(self, person: str, start: date, end: date | None = None, code: int = 11) -> None:
        self._add(
            "youth_protection", person_id=person, measure_code=code, start_date=start, end_date=end
        )

    def care(self, person: str, start: date, end: date | None = None, code: int = 11) -> None:
        self._add(
            "youth_care", person_id=person, care_form_code=code, start_date=start, end_date=end
        )

    def jgz(
        self,
        child: str,
        on: date,
        *,
        age_days: int = 730,
        organisation: str = "JGZ01",
        says_two_words: bool | None = True,
        points_body_parts: bool | None = True,
        height_cm: float | None = None,
        weight_kg: float | None = None,
    ) -> None:
        self._add(
            "jgz_contacts",
            child_id=child,
            organisation_code=organisation,
            contact_date=on,
            age_days=age_days,
            says_two_word_sentences=says_two_words,
            points_six_body_parts=points_body_parts,
            height_cm=height_cm,
            weight_kg=weight_kg,
        )

    # -- output ------------------------------------------------------------------------------
    def _complete(self) -> None:
        """Declare every referenced but undeclared person with defaults."""
        for t in TABLES:
            for col in t.columns:
                if col.references != "persons.person_id":
                    continue
                for row in list(self.tables[t.name]):
                    pid = row[col.name]
                    if pid is not None and self._person_row(pid) is None:
                        self.person(pid)

    def rows(self) -> dict[str, list[Row]]:
        """Every table as a list of dicts (dates as ``date``, NULL as None)."""
        self._complete()
        return {name: [dict(r) for r in rows] for name, rows in self.tables.items()}

    def write(self, directory: Path) -> Path:
        """Write every contract table as ``<table>.csv`` in ``directory`` and return it."""
        self._complete()
        directory.mkdir(parents=True, exist_ok=True)
        for t in TABLES:
            with (directory / f"{t.name}.csv").open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(t.column_names)
                for row in self.tables[t.name]:
                    writer.writerow([_csv_value(row[c]) for c in t.column_names])
        return directory

"""Shared building blocks of the unit tables: residence on a reference date mapped to a
classification year, and person-year attributes of parents (income, household, debts, mental
health care, medication, education). All Ibis expressions; cached tables are materialised by
the backend once per run."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from kansrijk import geo
from kansrijk.engine.dataset import Dataset
from kansrijk.engine.vulnerability import PREDICTIONS, labels

PSYCH_ATC4 = ("N05A", "N05B", "N05C", "N06A", "N06B", "N06C")
NON_WESTERN = ("morocco", "turkey", "suriname", "antilles_aruba", "other_non_western")
FAR_FUTURE = "9999-12-31"
UNKNOWN = "unknown"

#: The person-year attribute columns ``Context.attributes`` can compute.
ATTRIBUTE_COLUMNS = (
    "income_pct",
    "low_income",
    "household_type",
    "arrears",
    "wsnp",
    "debts",
    "ggz",
    "psych_med",
    "migration",
    "education",
    "vulnerable",
)
#: The attribute columns of the mother (first) and of the father (second) each breakdown of
#: ``breakdown_columns`` is computed from. A run joins only the attributes its breakdowns
#: and its families' outcomes read (``Family.mother_attributes``).
BREAKDOWN_ATTRIBUTES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "income_p10": (("income_pct",), ()),
    "income_quintile": (("income_pct",), ()),
    "single_parent": (("household_type",), ()),
    "debts": (("debts",), ("debts",)),
    "parental_ggz": (("ggz",), ("ggz",)),
    "education": (("education",), ()),
    "migration": (("migration",), ()),
    "vulnerability": (("vulnerable",), ()),
}


def year_date(year: ir.IntegerValue, month: int, day: int) -> ir.DateValue:
    """The date ``year``-``month``-``day`` for an integer column ``year``."""
    return ibis.date(year.cast("int32"), ibis.literal(month), ibis.literal(day))


@dataclass
class Context:
    """A run's dataset, parameters and cached intermediate tables."""

    data: Dataset
    years: range
    classification_year: int
    #: The breakdowns the run computes (``breakdown_columns``): the unit tables get these
    #: columns only, and the parents' attributes they need.
    breakdowns: frozenset[str] = frozenset(BREAKDOWN_ATTRIBUTES)
    _cache: dict[str, ir.Table] = field(default_factory=dict)
    _materialised: list[str] = field(default_factory=list)

    def cached(self, key: str, build: Any) -> ir.Table:
        """Build once, materialise in the backend as a temporary table, and reuse."""
        if key not in self._cache:
            self._cache[key] = self.materialise(key, build())
        return self._cache[key]

    def materialise(self, name: str, expr: ir.Table) -> ir.Table:
        """Run ``expr`` once into a temporary backend table called ``k_<name>``."""
        table = self.data.materialise(f"k_{name}", expr)
        self._materialised.append(f"k_{name}")
        return table

    def mark(self) -> int:
        """A point in the run to ``release`` back to."""
        return len(self._materialised)

    def release(self, mark: int) -> None:
        """Drop the temporary tables materialised since ``mark``, except cached ones.

        Intermediates are only read while a step runs; dropping them afterwards keeps the
        backend's memory for the next step instead of spilling them to disk.
        """
        keep = {f"k_{key}" for key in self._cache}
        for name in dict.fromkeys(self._materialised[mark:]):
            if name not in keep:
                self.data.drop(name)
        self._materialised[mark:] = [n for n in self._materialised[mark:] if n in keep]

    def constant(self, name: str, table: pa.Table) -> ir.Table:
        """A small constant table (reference data) loaded into the backend once."""
        if name not in self._cache:
            self._cache[name] = self.data.constant(f"c_{name}", table)
        return self._cache[name]

    # -- people ------------------------------------------------------------------------
    def children(self) -> ir.Table:
        """Every person with legal parent links: child_id, mother_id, father_id,
        birth_date, born (year), sex, death_date. One scan of persons for the whole run."""

        def build() -> ir.Table:
            p = self.data.table("persons")
            links = self.data.table("parent_links")
            j = p.join(links, p.person_id == links.child_id)
            return j.select(
                "child_id",
                "mother_id",
                "father_id",
                "birth_date",
                born=j.birth_date.year().cast("int32"),
                sex=j.sex,
                death_date=j.death_date,
            )

        return self.cached("children", build)

    def restrict_addresses(self, persons: ir.Table) -> None:
        """Keep only the address spells of ``persons`` (person_id) for the rest of the run:
        every residence lookup then reads a small table instead of the whole population."""
        a = self.data.table("addresses")
        keep = persons.select("person_id").distinct()
        self._cache["addresses"] = self.materialise(
            "addresses", a.filter(a.person_id.isin(keep.person_id))
        )

    def addresses(self) -> ir.Table:
        return self._cache.get("addresses", self.data.table("addresses"))

    # -- geography ---------------------------------------------------------------------
    def classification(self) -> ir.Table:
        if "classification" in self._cache:  # loaded: not built again
            return self._cache["classification"]
        return self.constant(
            "classification",
            geo.classification_map(self.classification_year).rename_columns(
                ["map_code", "map_from", "map_to", "map_pc4", "class_code"]
            ),
        )

    def provinces(self) -> ir.Table:
        if "provinces" in self._cache:  # loaded: not built again
            return self._cache["provinces"]
        regions = geo.regions(self.classification_year)
        prov = regions.filter(pc.equal(regions["region_type"], "province"))
        return self.constant(
            "provinces",
            pa.table({"region": prov["municipality_code"], "province": prov["region_code"]}),
        )

    def residence(self, keys: ir.Table) -> ir.Table:
        """``keys`` (person_id, ref_date) -> (person_id, ref_date, region) on the
        classification year; region is NULL when no address covers the date."""
        a = self.addresses().rename(a_person="person_id")
        k = keys.select("person_id", "ref_date").distinct()
        j = k.join(
            a,
            [
                k.person_id == a.a_person,
                a.valid_from <= k.ref_date,
                a.valid_to.isnull() | (a.valid_to >= k.ref_date),
            ],
        )
        best = j.group_by(["person_id", "ref_date"]).aggregate(
            code=j.municipality_code.argmax(j.valid_from), pc4=j.postcode4.argmax(j.valid_from)
        )
        c = self.classification()
        m = best.join(
            c,
            [
                best.code == c.map_code,
                c.map_from <= best.ref_date,
                c.map_to.isnull() | (best.ref_date < c.map_to),
                c.map_pc4.isnull() | (c.map_pc4 == best.pc4),
            ],
        )
        mapped = m.group_by(["person_id", "ref_date"]).aggregate(
            region=m.class_code.argmax(m.map_pc4.notnull().cast("int8"))
        )
        return k.left_join(mapped, ["person_id", "ref_date"]).select(
            "person_id", "ref_date", "region"
        )

    def parent_costs(self, keys: ir.Table | None = None) -> ir.Table:
        """Health-care cost rows as the engine reads them: c_person, c_year, c_cost (Zvw
        costs excluding birth and maternity care) and c_ggz (any GGZ cost).

        ``attributes`` reads the table once for the run: the rows of its keys' persons
        (every parent of every family of the run) in the run's years and the two before
        (a live birth's risk factors look two years back), materialised, so the GGZ
        attribute and the live births' high costs share one pass over the largest table.
        Without that (``keys`` None and nothing kept): the whole table, not materialised.
        """
        if "parent_costs" in self._cache:
            return self._cache["parent_costs"]
        c = self.data.table("healthcare_costs")
        if keys is not None:
            people = keys.select("person_id").distinct()
            c = c.filter(
                c.person_id.isin(people.person_id),
                c.year.between(self.years.start - 2, self.years.stop - 1),
            )
        ggz_amount = (
            c.cost_ggz_basic.fill_null(0)
            + c.cost_ggz_specialist.fill_null(0)
            + c.cost_ggz_zpm.fill_null(0)
        )
        c = c.select(
            c_person=c.person_id,
            c_year=c.year,
            c_cost=c.cost_total - c.cost_maternity.fill_null(0),
            c_ggz=ggz_amount > 0,
        )
        if keys is None:
            return c
        return self.cached("parent_costs", lambda: c)

    # -- person-year attributes --------------------------------------------------------
    def attributes(self, keys: ir.Table, columns: Collection[str] | None = None) -> ir.Table:
        """Person-year attributes for ``keys`` (person_id, year), one row per key.

        Columns (``ATTRIBUTE_COLUMNS``; ``columns`` names those to compute, None: all):
        income_pct, low_income (percentile 1-9), household_type, arrears, wsnp, debts, ggz,
        psych_med, education, migration, vulnerable. Missing registry rows give NULL
        (income, household, education, vulnerable: no prediction for the person-year) or
        false. A column not asked for is absent, so a unit table that reads it fails loudly.
        """
        wanted = set(ATTRIBUTE_COLUMNS if columns is None else columns)
        unknown = wanted - set(ATTRIBUTE_COLUMNS)
        if unknown:
            raise ValueError(f"unknown attribute column(s): {', '.join(sorted(unknown))}")
        if "debts" in wanted:
            wanted |= {"arrears", "wsnp"}
        k = self.materialise("attribute_keys", keys.select("person_id", "year").distinct())

        def matched(name: str, table: ir.Table, on_year: bool = True) -> ir.Table:
            # Inner join first (the large registry table is only probed), materialised, so
            # the left joins below combine small tables only.
            preds = [k.person_id == table.person_id] + ([k.year == table.year] if on_year else [])
            j = k.join(table, preds)
            return self.materialise(f"attr_{name}", j)

        out = k
        cols: dict[str, Any] = {}

        def join(part: ir.Table, prefix: str, **columns: Any) -> None:
            # Left join of a materialised part on (person_id, year) named ``prefix``_person
            # and ``prefix``_year; ``columns`` maps attribute names to functions of the join.
            nonlocal out
            out = out.left_join(
                part,
                [out.person_id == part[f"{prefix}_person"], out.year == part[f"{prefix}_year"]],
            )
            cols.update(columns)

        if wanted & {"income_pct", "household_type"}:
            inc = self.data.table("household_income")
            income = matched(
                "income",
                inc.select(
                    "person_id",
                    "year",
                    income_pct="income_percentile",
                    household_type="household_type",
                ),
            ).rename(i_person="person_id", i_year="year")
            join(
                income,
                "i",
                income_pct=lambda t: t.income_pct,
                household_type=lambda t: t.household_type,
                low_income=lambda t: _low_income(t.income_pct).fill_null(False),
            )
        elif "low_income" in wanted:
            # Only the flag: the rows with a low percentile are a tenth of the table, so the
            # join probes those only (the filter is pushed into the Parquet scan).
            inc = self.data.table("household_income")
            low_rows = inc.filter(_low_income(inc.income_percentile))
            lj = k.join(low_rows, [k.person_id == low_rows.person_id, k.year == low_rows.year])
            low = self.materialise(
                "attr_low_income",
                lj.select(l_person=lj.person_id, l_year=lj.year).distinct(),
            )
            join(low, "l", low_income=lambda t: t.l_person.notnull())
        if "arrears" in wanted:
            arrears = matched(
                "arrears", self.data.table("premium_arrears").select("person_id", "year").distinct()
            ).rename(r_person="person_id", r_year="year")
            join(arrears, "r", arrears=lambda t: t.r_person.notnull())
        if "wsnp" in wanted:
            w = self.data.table("debt_restructuring")
            wsnp = self.materialise(
                "attr_wsnp",
                k.join(
                    w,
                    [
                        k.person_id == w.person_id,
                        w.start_date.year() <= k.year,
                        w.end_date.isnull() | (w.end_date.year() >= k.year),
                    ],
                )
                .select(w_person=k.person_id, w_year=k.year)
                .distinct(),
            )
            join(wsnp, "w", wsnp=lambda t: t.w_person.notnull())
        if "ggz" in wanted:
            # GGZ use in the year: the distinct person-years with a GGZ cost row, from the
            # rows ``parent_costs`` read once for the keys' persons (the live-birth family
            # reads the same rows for the costs before a pregnancy, indicator 11).
            c = self.parent_costs(k)
            used = c.filter(c.c_ggz)
            ggz = self.materialise(
                "attr_costs", used.select(g_person=used.c_person, g_year=used.c_year).distinct()
            )
            join(ggz, "g", ggz=lambda t: t.g_person.notnull())
        if "psych_med" in wanted:
            med = self.data.table("medication")
            psych = matched(
                "psych",
                med.filter(med.atc4.isin(PSYCH_ATC4)).select("person_id", "year").distinct(),
            ).rename(m_person="person_id", m_year="year")
            join(psych, "m", psych_med=lambda t: t.m_person.notnull())
        if "education" in wanted and self.data.has("education"):
            e = matched(
                "education",
                self.data.table("education").select(
                    "person_id", "year", education="education_level"
                ),
            ).rename(e_person="person_id", e_year="year")
            join(e, "e", education=lambda t: t.education)
        elif "education" in wanted:
            cols["education"] = lambda t: ibis.null("string")
        if "vulnerable" in wanted and self.data.has(PREDICTIONS):
            # Predicted multidimensional vulnerability of the person (a mother) in the year:
            # 1/0, drawn from the predicted probability (kansrijk.engine.vulnerability).
            v = matched("vulnerability", labels(self.data.table(PREDICTIONS))).select(
                v_person="person_id", v_year="year", vulnerable="vulnerable"
            )
            join(v, "v", vulnerable=lambda t: t.vulnerable)
        elif "vulnerable" in wanted:
            cols["vulnerable"] = lambda t: ibis.null("int8")
        if "migration" in wanted:
            people = k.select("person_id").distinct()
            p = self.data.table("persons")
            mg = self.materialise(
                "attr_migration",
                people.join(p, people.person_id == p.person_id).select(
                    mg_person=people.person_id, migration=_migration_group(p.migration_background)
                ),
            )
            out = out.left_join(mg, out.person_id == mg.mg_person)
            cols["migration"] = lambda t: t.migration
        result = out.select("person_id", "year", **{name: fn(out) for name, fn in cols.items()})
        if "debts" in wanted:
            result = result.mutate(debts=result.arrears | result.wsnp)
        return result.select(
            "person_id", "year", *[c for c in ATTRIBUTE_COLUMNS if c in result.columns]
        )


def _low_income(percentile: ir.IntegerValue) -> ir.BooleanValue:
    """Household income below the 10th percentile: 1-9 (0: no valid income; NULL stays NULL,
    so a filter on it is pushed into the Parquet scan as a plain range)."""
    return percentile.between(1, 9)


def _migration_group(background: ir.StringValue) -> ir.StringValue:
    return ibis.cases(
        (background == "dutch", "dutch"),
        (background == "western", "western"),
        (background.isin(NON_WESTERN), "non_western"),
        else_=UNKNOWN,
    )


def breakdown_columns(
    t: ir.Table,
    breakdowns: Collection[str] = tuple(BREAKDOWN_ATTRIBUTES),
    mother: str = "m_",
    father: str = "f_",
) -> dict[str, Any]:
    """The ``breakdowns`` columns, from the mother's (``m_*``) and the father's (``f_*``)
    attribute columns (``BREAKDOWN_ATTRIBUTES`` says which each one reads)."""

    def either(name: str) -> ir.BooleanValue:
        return t[f"{mother}{name}"].fill_null(False) | t[f"{father}{name}"].fill_null(False)

    def income(quintile: bool) -> ir.StringValue:
        pct = t[f"{mother}income_pct"]
        valid = pct.notnull() & (pct >= 1)
        if not quintile:
            return ibis.cases((valid & (pct < 10), "<P10"), (valid, ">=P10"), else_=UNKNOWN)
        return ibis.cases(
            (valid & (pct <= 20), "Q1"),
            (valid & (pct <= 40), "Q2"),
            (valid & (pct <= 60), "Q3"),
            (valid & (pct <= 80), "Q4"),
            (valid, "Q5"),
            else_=UNKNOWN,
        )

    def single_parent() -> ir.StringValue:
        htype = t[f"{mother}household_type"]
        return ibis.cases(
            (htype.isin(("single_parent", "single")), "yes"), (htype.notnull(), "no"), else_=UNKNOWN
        )

    def vulnerability() -> ir.StringValue:
        # The mother's predicted class in the unit's year (NULL: no prediction or no mother).
        vulnerable = t[f"{mother}vulnerable"]
        return ibis.cases((vulnerable == 1, "yes"), (vulnerable == 0, "no"), else_=UNKNOWN)

    build: dict[str, Any] = {
        "income_p10": lambda: income(quintile=False),
        "income_quintile": lambda: income(quintile=True),
        "single_parent": single_parent,
        "debts": lambda: ibis.ifelse(either("debts"), "yes", "no"),
        "parental_ggz": lambda: ibis.ifelse(either("ggz"), "yes", "no"),
        "education": lambda: t[f"{mother}education"].fill_null(UNKNOWN),
        "migration": lambda: t[f"{mother}migration"].fill_null(UNKNOWN),
        "vulnerability": vulnerability,
    }
    return {name: build[name]() for name in BREAKDOWN_ATTRIBUTES if name in breakdowns}


def prefixed(attrs: ir.Table, prefix: str) -> ir.Table:
    """Attribute table with every column prefixed (for joining mother and father)."""
    return attrs.rename({f"{prefix}{c}": c for c in attrs.columns})

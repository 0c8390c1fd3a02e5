"""A deliberately simple reference implementation of every registry indicator.

Plain Python over the rows of ``DatasetBuilder.rows()`` (lists of dicts): no DuckDB, no
pandas, no Ibis. Written from the catalogue's definitions (``kansrijk.indicators.catalogue``)
and the family rules, independently of the engine's queries; it shares with the engine only
reference data (geography, Hoftiezer P10, IOTF cut-offs, the list of long-stay DBC codes) and
the definitions themselves (which indicator has which family, outcome, breakdowns, pooling
and gestational-age threshold).

``compute(rows, edition, years, classification_year)`` returns
``{(indicator_id, period_start, period_end, region_type, region_code, breakdown,
breakdown_value): (numerator, denominator)}`` for every cell of the complete table, the same
cells as ``compute_unpublished``'s results table: totals of every region of the
classification year (municipalities, provinces, the unknown remainder NL00, NL) per year and
per pooled window; every breakdown yearly for NL only and, for a pooled definition, over the
run's latest window for NL, the provinces and NL00 (municipalities: the municipal pooled
breakdowns); every declared breakdown value (an open breakdown: the values of the
definition's units); (0, 0) where no unit falls. A definition without any unit has no cells.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from kansrijk import geo
from kansrijk.indicators import (
    BREAKDOWN_VALUES,
    MUNICIPAL_POOLED_BREAKDOWNS,
    Indicator,
    catalogue,
)
from kansrijk.reference import below_p10, iotf_cutoff
from kansrijk.reference.care_products import LONG_STAY_DBC

Row = dict[str, Any]
Key = tuple[str, int, int, str, str, str, str]
Cells = dict[Key, tuple[int, int]]

UNKNOWN = "unknown"
NL = ("nl", "NL01")
UNKNOWN_REGION = ("unknown", "NL00")

PSYCHOTROPIC = {"N05A", "N05B", "N05C", "N06A", "N06B", "N06C"}
PROTECTION_MEASURES = {11, 12, 21, 22, 23}  # supervision order (OTS) and guardianship
RESIDENTIAL_CARE = {11, 12, 13, 14}  # youth care with residence
NON_WESTERN = {"morocco", "turkey", "suriname", "antilles_aruba", "other_non_western"}
DAY_32_WEEKS, DAY_37_WEEKS = 224, 259
FAMILY_MIN_DAYS = 154  # child_birth family: 22+0 weeks (edition 2019-2020 threshold)
PREGNANCY_MIN_DAYS = 168
GGZ_MODEL_YEAR = 2022


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_of(day: date) -> date:
    return day.replace(day=1)


@dataclass
class Unit:
    """One unit of analysis: its year, region, breakdown values and 0/1/None outcomes."""

    year: int
    region: str | None
    breakdowns: dict[str, str]
    outcomes: dict[str, int | None]
    ga_days: int | None = None
    long_stay: bool = False


@dataclass
class Attributes:
    """What the registries say about one person in one year."""

    income_pct: int | None = None
    household_type: str | None = None
    arrears: bool = False
    wsnp: bool = False
    ggz: bool = False
    psych_med: bool = False
    education: str | None = None
    vulnerable: int | None = None  # 1/0 drawn from the prediction; None: no prediction

    @property
    def debts(self) -> bool:
        return self.arrears or self.wsnp


@dataclass
class Data:
    """The dataset rows with a few lookups."""

    tables: dict[str, list[Row]]
    years: range
    classification_year: int
    _persons: dict[str, Row] = field(default_factory=dict)
    _links: dict[str, Row] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._persons = {p["person_id"]: p for p in self.tables["persons"]}
        self._links = {link["child_id"]: link for link in self.tables["parent_links"]}

    def rows(self, table: str, **where: object) -> list[Row]:
        return [r for r in self.tables[table] if all(r[k] == v for k, v in where.items())]

    def person(self, pid: str | None) -> Row | None:
        return self._persons.get(pid) if pid is not None else None

    def link(self, child: str | None) -> Row | None:
        return self._links.get(child) if child is not None else None

    # -- geography -------------------------------------------------------------------------
    def residence(self, person: str | None, on: date) -> str | None:
        """Municipality (classification year) of the address covering ``on``, or None."""
        if person is None:
            return None
        spells = [
            a
            for a in self.rows("addresses", person_id=person)
            if a["valid_from"] <= on and (a["valid_to"] is None or a["valid_to"] >= on)
        ]
        if not spells:
            return None
        spell = max(spells, key=lambda a: a["valid_from"])
        try:
            return geo.to_classification(
                spell["municipality_code"], on, spell["postcode4"], self.classification_year
            )
        except ValueError:
            return None

    # -- person-year attributes -------------------------------------------------------------
    def attributes(self, person: str | None, year: int) -> Attributes:
        if person is None:
            return Attributes()
        a = Attributes()
        for r in self.rows("household_income", person_id=person, year=year):
            a.income_pct, a.household_type = r["income_percentile"], r["household_type"]
        a.arrears = bool(self.rows("premium_arrears", person_id=person, year=year))
        a.wsnp = any(
            w["start_date"].year <= year and (w["end_date"] is None or w["end_date"].year >= year)
            for w in self.rows("debt_restructuring", person_id=person)
        )
        for c in self.rows("healthcare_costs", person_id=person, year=year):
            if year < GGZ_MODEL_YEAR:
                amount = (c["cost_ggz_basic"] or 0) + (c["cost_ggz_specialist"] or 0)
            else:
                amount = c["cost_ggz_zpm"] or 0
            a.ggz = amount > 0
        a.psych_med = any(
            m["atc4"] in PSYCHOTROPIC for m in self.rows("medication", person_id=person, year=year)
        )
        for e in self.rows("education", person_id=person, year=year):
            a.education = e["education_level"]
        for v in self.rows("vulnerability_predictions", person_id=person, year=year):
            a.vulnerable = int(_uniform(person, year, v["model_id"]) < _mean_probability(v))
        return a

    def breakdowns(self, mother: str | None, father: str | None, year: int) -> dict[str, str]:
        m, f = self.attributes(mother, year), self.attributes(father, year)
        pct = m.income_pct
        known = pct is not None and pct >= 1  # negative codes: special households, unknown
        if not known:
            p10 = quintile = UNKNOWN
        else:
            assert pct is not None
            p10 = "<P10" if pct < 10 else ">=P10"
            quintile = f"Q{min((pct - 1) // 20 + 1, 5)}"
        if m.household_type is None:
            single = UNKNOWN
        else:
            single = "yes" if m.household_type in ("single", "single_parent") else "no"
        background = (self.person(mother) or {}).get("migration_background")
        if background in ("dutch", "western"):
            migration = background
        elif background in NON_WESTERN:
            migration = "non_western"
        else:
            migration = UNKNOWN
        return {
            "income_p10": p10,
            "income_quintile": quintile,
            "single_parent": single,
            "debts": "yes" if m.debts or f.debts else "no",
            "parental_ggz": "yes" if m.ggz or f.ggz else "no",
            "education": m.education or UNKNOWN,
            "migration": migration,
            "vulnerability": {1: "yes", 0: "no", None: UNKNOWN}[m.vulnerable],
        }

    def father_of(self, child: str | None) -> str | None:
        link = self.link(child)
        return link["father_id"] if link else None


def _uniform(person: str, year: int, model_id: str) -> float:
    """The mother-year's uniform number: the first 32 bits of MD5("person|year|model")."""
    digest = hashlib.md5(f"{person}|{year}|{model_id}".encode()).hexdigest()
    return int(digest[:8], 16) / 2**32


def _mean_probability(row: Row) -> float:
    delivered = [
        row[f"probability_{k}"] for k in range(1, 6) if row[f"probability_{k}"] is not None
    ]
    return float(sum(delivered)) / len(delivered)


# -- families ------------------------------------------------------------------------------


def pregnancy_units(data: Data) -> list[Unit]:
    """One per pregnancy of 24+0 weeks or more: the first-born's record, one per mother and
    year; records without a mother are each their own pregnancy."""
    groups: dict[tuple[int, object], list[Row]] = defaultdict(list)
    for b in data.tables["births"]:
        year = b["birth_date"].year
        if (
            year in data.years
            and b["birth_order"] == 1
            and b["gestational_age_days"] >= PREGNANCY_MIN_DAYS
        ):
            who = b["mother_id"] if b["mother_id"] is not None else ("record", b["birth_id"])
            groups[(year, who)].append(b)
    units = []
    for (year, _), records in groups.items():
        b = min(records, key=lambda r: (r["birth_date"], r["birth_id"]))
        mother, father = b["mother_id"], data.father_of(b["child_id"])
        m = data.attributes(mother, year)
        month = month_of(b["birth_date"])
        consult: int | None = None
        if mother is not None:
            consult = int(
                any(
                    c["claim_type"] == "preconceptie_consult"
                    and add_months(month, -15) <= c["service_month"] < month
                    for c in data.rows("maternity_claims", mother_id=mother)
                )
            )
        units.append(
            Unit(
                year=year,
                region=data.residence(mother, date(year, 6, 30)),
                breakdowns=data.breakdowns(mother, father, year),
                outcomes={
                    "care_after_week_10": int((b["first_visit_gestational_day"] or 0) > 70),
                    "debts_mother": int(m.debts),
                    "debts_mother_arrears": int(m.arrears),
                    "debts_mother_wsnp": int(m.wsnp),
                    "preconception_consult": consult,
                },
                ga_days=b["gestational_age_days"],
            )
        )
    return units


def is_sga(b: Row) -> bool:
    """Supplied percentile < 10, else weight below the Hoftiezer P10 (not assessable: no)."""
    if b["birth_weight_percentile"] is not None:
        return bool(b["birth_weight_percentile"] < 10)
    if b["sex"] not in ("M", "F") or b["birth_weight_g"] is None:
        return False
    return below_p10(b["sex"], b["gestational_age_days"], b["birth_weight_g"]) is True


def child_birth_units(data: Data) -> list[Unit]:
    """One per child born (live or stillborn) at 22+0 weeks or more."""
    units = []
    for b in data.tables["births"]:
        year, ga = b["birth_date"].year, b["gestational_age_days"]
        if year not in data.years or ga < FAMILY_MIN_DAYS:
            continue
        mother, father = b["mother_id"], data.father_of(b["child_id"])
        preterm, sga, code, live = (
            ga < DAY_37_WEEKS,
            is_sga(b),
            b["perinatal_mortality"],
            b["live_born"],
        )
        units.append(
            Unit(
                year=year,
                region=data.residence(mother, date(year, 6, 30)),
                breakdowns=data.breakdowns(mother, father, year),
                outcomes={
                    "preterm": int(preterm),
                    "preterm_32": int(ga < DAY_32_WEEKS),
                    "sga": int(sga),
                    "big2": int(preterm or sga),
                    # Fetal: stillborn (the catalogue's definition), whatever the code;
                    # perinatal: stillborn or died in the first 28 days (codes 3, 4).
                    "perinatal_death": int(not live or code in (3, 4)),
                    "fetal_death": int(not live),
                    "neonatal_death": int(code in (3, 4)) if live else None,
                    "infant_death": int(code in (3, 4, 5)) if live else None,
                },
                ga_days=ga,
            )
        )
    return units


def live_births(data: Data) -> list[tuple[Row, Row]]:
    """(person, parent link) of live-born children of the data years with a known mother."""
    return [(p, link) for p, link in all_live_births(data) if link["mother_id"] is not None]


def all_live_births(data: Data) -> list[tuple[Row, Row]]:
    """(person, parent link) of every live-born child of the data years: a person with a
    parent link row, whether or not the mother or father is known."""
    out = []
    for p in data.tables["persons"]:
        link = data.link(p["person_id"])
        if link and p["birth_date"].year in data.years:
            out.append((p, link))
    return out


def _had_kraamzorg(data: Data, mother: str, born: date) -> bool:
    month = month_of(born)
    for t in data.rows("maternity_trajectories", mother_id=mother):
        delivery = t["delivery_month"]
        if not add_months(month, -1) <= delivery <= add_months(month, 1):
            continue
        if any(
            c["claim_type"] == "kraamzorg_per_uur" and c["service_month"] >= delivery
            for c in data.rows("maternity_claims", trajectory_id=t["trajectory_id"])
        ):
            return True
    return False


def _percent_rank_high(values: list[float], threshold: float) -> list[bool]:
    """percent_rank (rank - 1) / (n - 1), ties sharing the lowest rank, >= ``threshold``
    (a single value has rank 0)."""
    n = len(values)
    if n <= 1:
        return [threshold <= 0] * n
    return [sum(v < x for v in values) / (n - 1) >= threshold for x in values]


def _cost_excluding_birth_care(data: Data, person: str, year: int) -> float:
    rows = data.rows("healthcare_costs", person_id=person, year=year)
    return float(sum(r["cost_total"] - (r["cost_maternity"] or 0) for r in rows))


def _gestational_age(data: Data, child: str) -> int | None:
    """Days, from the Perined records linked to the child (the shortest); None: none."""
    days = [b["gestational_age_days"] for b in data.rows("births", child_id=child)]
    return min(days) if days else None


@dataclass(frozen=True)
class RiskParameters:
    """The definition's parameters of the risk-factor count."""

    high_cost_rank: float
    assumed_days: int
    divorce_years: int
    death_years: int

    @classmethod
    def of(cls, params: dict[str, Any]) -> RiskParameters | None:
        names = (
            "high_cost_min_percent_rank",
            "assumed_gestational_days",
            "divorce_years_before",
            "partner_death_years_before",
        )
        if not all(n in params for n in names):
            return None
        return cls(*(params[n] for n in names))


def _high_costs(
    data: Data, births: list[tuple[Row, Row]], rp: RiskParameters
) -> set[tuple[str, str]]:
    """(child, role) whose parent's costs in the year before the pregnancy began rank at or
    above the threshold among the parents of that role of the year's live births."""
    high: set[tuple[str, str]] = set()
    for role in ("mother_id", "father_id"):
        by_year: dict[int, list[tuple[str, float]]] = defaultdict(list)
        for p, link in births:
            if link[role] is None:
                continue
            born = p["birth_date"]
            days = _gestational_age(data, p["person_id"]) or rp.assumed_days
            began = born - timedelta(days=days)
            cost = _cost_excluding_birth_care(data, link[role], began.year - 1)
            by_year[born.year].append((p["person_id"], cost))
        for entries in by_year.values():
            flags = _percent_rank_high([c for _, c in entries], rp.high_cost_rank)
            high |= {(child, role) for (child, _), flag in zip(entries, flags, strict=True) if flag}
    return high


def _risk_factors(
    data: Data,
    child: str,
    mother: str | None,
    father: str | None,
    year: int,
    rp: RiskParameters,
    high: set[tuple[str, str]],
) -> int:
    """How many of the eight factors are present at the mother, the father or both."""
    parents = [q for q in (mother, father) if q is not None]
    m, f = data.attributes(mother, year), data.attributes(father, year)
    detention = any(
        d["start_date"].year <= year and (d["end_date"] is None or d["end_date"].year >= year - 1)
        for q in parents
        for d in data.rows("detentions", person_id=q)
    )
    divorce = any(
        year - rp.divorce_years <= v["divorce_date"].year <= year
        for v in data.tables["divorces"]
        if v["person_id"] in parents or v["partner_id"] in parents
    )
    # A partner's death: the other legal parent died (both must be known).
    partner_death = len(parents) == 2 and any(
        year - rp.death_years <= d["death_date"].year <= year
        for q in parents
        for d in data.rows("deaths", person_id=q)
    )
    factors = [
        any(a.income_pct is not None and 1 <= a.income_pct < 10 for a in (m, f)),
        m.ggz or f.ggz,
        m.psych_med or f.psych_med,
        m.debts or f.debts,
        detention,
        divorce,
        partner_death,
        (child, "mother_id") in high or (child, "father_id") in high,
    ]
    return sum(factors)


def live_birth_units(data: Data, params: dict[str, Any] | None = None) -> list[Unit]:
    """One per live birth; region: the mother's address on 30 June, else the father's.
    No kraamzorg only for a known mother; the risk factors with the definition's
    ``params`` (without them: not computed)."""
    births = all_live_births(data)
    rp = RiskParameters.of(params or {})
    high = _high_costs(data, births, rp) if rp else set()
    units = []
    for p, link in births:
        child, mother, father = p["person_id"], link["mother_id"], link["father_id"]
        born = p["birth_date"]
        year = born.year
        outcomes: dict[str, int | None] = {
            "no_kraamzorg": None if mother is None else int(not _had_kraamzorg(data, mother, born)),
            # 2023-11 / 2024-14: the mother's drawn label; None without mother or prediction.
            "multidim_vulnerable": data.attributes(mother, year).vulnerable,
        }
        if rp is not None:
            count = _risk_factors(data, child, mother, father, year, rp, high)
            outcomes |= {
                "risk_factors_3plus": int(count >= 3),
                "risk_factors_0": int(count == 0),
                "risk_factors_1": int(count == 1),
                "risk_factors_2": int(count == 2),
            }
        long_stay = any(
            r["care_product_code"] in LONG_STAY_DBC
            for q in (child, mother)
            if q is not None
            for r in data.rows("hospital_care_products", person_id=q, year=year)
        )
        units.append(
            Unit(
                year=year,
                region=data.residence(mother if mother is not None else father, date(year, 6, 30)),
                breakdowns=data.breakdowns(mother, father, year),
                outcomes=outcomes,
                long_stay=long_stay,
            )
        )
    return units


def mother_year_units(data: Data) -> list[Unit]:
    """One per mother and year of a live birth; partner = father of her first child that
    year; region = that child's registration on 31 December."""
    firsts: dict[tuple[str, int], Row] = {}
    for p, link in live_births(data):
        key = (link["mother_id"], p["birth_date"].year)
        if key not in firsts or (p["birth_date"], p["person_id"]) < (
            firsts[key]["birth_date"],
            firsts[key]["person_id"],
        ):
            firsts[key] = p
    units = []
    for (mother, year), child in firsts.items():
        father = data.father_of(child["person_id"])
        m, f = data.attributes(mother, year), data.attributes(father, year)
        units.append(
            Unit(
                year=year,
                region=data.residence(child["person_id"], date(year, 12, 31)),
                breakdowns=data.breakdowns(mother, father, year),
                outcomes={
                    "debts_parents": int(m.debts or f.debts),
                    "psych_parents": int(m.ggz or f.ggz or m.psych_med or f.psych_med),
                },
            )
        )
    return units


def jgz_contact_units(data: Data) -> list[Unit]:
    """First JGZ contact per child and year; region = the child's registration on 31 Dec."""
    firsts: dict[tuple[str, int], Row] = {}
    for c in data.tables["jgz_contacts"]:
        key = (c["child_id"], c["contact_date"].year)
        if key[1] in data.years and (
            key not in firsts or c["contact_date"] < firsts[key]["contact_date"]
        ):
            firsts[key] = c
    units = []
    for (child, year), c in firsts.items():
        link = data.link(child)
        mother = link["mother_id"] if link else None
        father = link["father_id"] if link else None
        sex = (data.person(child) or {}).get("sex")
        overweight: int | None = None
        if c["height_cm"] is not None and c["weight_kg"] is not None and sex in ("M", "F"):
            age = max(c["age_days"] / 365.25, 2.0)  # IOTF starts at 2: younger use age 2
            bmi = c["weight_kg"] / (c["height_cm"] / 100) ** 2
            overweight = int(bmi >= iotf_cutoff(sex, age))
        says, points = c["says_two_word_sentences"], c["points_six_body_parts"]
        speech = None if says is None or points is None else int(not says and not points)
        breakdowns = data.breakdowns(mother, father, year)
        breakdowns["jgz_organisation"] = c["organisation_code"]
        units.append(
            Unit(
                year=year,
                region=data.residence(child, date(year, 12, 31)),
                breakdowns=breakdowns,
                outcomes={"overweight": overweight, "speech_language": speech},
            )
        )
    return units


def _overlap(start: date, end: date | None, lo: date, hi: date) -> tuple[date, date]:
    return max(start, lo), min(end or date.max, hi)


def young_child_units(data: Data) -> list[Unit]:
    """Per data year: live-born children born that year or the year before, alive on 1
    January, with a known parent; placed when a protection measure and residential care
    both ran on one day."""
    units = []
    for p in data.tables["persons"]:
        link = data.link(p["person_id"])
        if link is None or (link["mother_id"] is None and link["father_id"] is None):
            continue
        child = p["person_id"]
        for year in data.years:
            if p["birth_date"].year not in (year, year - 1):
                continue
            if p["death_date"] is not None and p["death_date"] < date(year, 1, 1):
                continue  # died before the year: not a child under two in it
            jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
            placed = False
            for m in data.rows("youth_protection", person_id=child):
                if m["measure_code"] not in PROTECTION_MEASURES:
                    continue
                for c in data.rows("youth_care", person_id=child):
                    if c["care_form_code"] not in RESIDENTIAL_CARE:
                        continue
                    lo = max(m["start_date"], c["start_date"], jan1)
                    hi = min(m["end_date"] or date.max, c["end_date"] or date.max, dec31)
                    placed = placed or lo <= hi
            units.append(
                Unit(
                    year=year,
                    region=data.residence(
                        link["mother_id"] or link["father_id"], date(year, 6, 30)
                    ),
                    breakdowns=data.breakdowns(link["mother_id"], link["father_id"], year),
                    outcomes={"placement": int(placed)},
                )
            )
    return units


FAMILY_UNITS: dict[str, Callable[[Data], list[Unit]]] = {
    "pregnancy": pregnancy_units,
    "child_birth": child_birth_units,
    "live_birth": live_birth_units,
    "mother_year": mother_year_units,
    "jgz_contact": jgz_contact_units,
    "young_child": young_child_units,
}


# -- aggregation -----------------------------------------------------------------------------


def _provinces(classification_year: int) -> dict[str, str]:
    regions = geo.regions(classification_year).to_pylist()
    return {
        r["municipality_code"]: r["region_code"] for r in regions if r["region_type"] == "province"
    }


def _in_population(d: Indicator, u: Unit) -> bool:
    days = d.parameter("min_gestational_days")
    if isinstance(days, int) and u.ga_days is not None and u.ga_days < days:
        return False
    return not (d.parameter("exclude_long_stay", False) and u.long_stay)


def compute(
    tables: dict[str, list[Row]],
    edition: int,
    years: range,
    classification_year: int,
    indicators: Collection[str] | None = None,
) -> Cells:
    data = Data(tables, years, classification_year)
    provinces = _provinces(classification_year)
    definitions = [d for d in catalogue(edition) if indicators is None or d.id in indicators]
    units: dict[tuple[str, tuple[tuple[str, Any], ...]], list[Unit]] = {}
    for d in definitions:
        # The live-birth family's risk factors depend on the definition's parameters.
        params = d.parameters if d.family == "live_birth" else ()
        if (d.family, params) not in units:
            units[(d.family, params)] = (
                live_birth_units(data, dict(params))
                if d.family == "live_birth"
                else FAMILY_UNITS[d.family](data)
            )
    out: Cells = {}
    for d in definitions:
        pool = d.pooling_years or 0
        windows = [(s, s + pool - 1) for s in years if pool and s + pool - 1 < years.stop]
        latest = windows[-1:]  # pooled breakdowns: the run's latest window only
        municipal = [b for b in d.breakdowns if b in MUNICIPAL_POOLED_BREAKDOWNS]
        params = d.parameters if d.family == "live_birth" else ()
        population = [u for u in units[(d.family, params)] if _in_population(d, u)]
        counts: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
        for u in population:
            value = u.outcomes[d.outcome]
            if value is None:
                continue
            if u.region is None:
                levels = [UNKNOWN_REGION, NL]
            else:
                levels = [("gemeente", u.region), ("province", provinces[u.region]), NL]
            for rtype, rcode in levels:
                mine = [(s, e) for s, e in windows if s <= u.year <= e]
                cells = [(u.year, u.year, "total", "total")]
                cells += [(s, e, "total", "total") for s, e in mine]
                if (rtype, rcode) == NL:  # yearly breakdowns: NL only
                    cells += [(u.year, u.year, b, u.breakdowns[b]) for b in d.breakdowns]
                names = municipal if rtype == "gemeente" else d.breakdowns
                cells += [
                    (s, e, b, u.breakdowns[b]) for s, e in mine if (s, e) in latest for b in names
                ]
                for start, end, breakdown, bvalue in cells:
                    count = counts[(d.id, start, end, rtype, rcode, breakdown, bvalue)]
                    count[0] += value
                    count[1] += 1
        if not counts:
            continue  # no unit at all: the definition has no cells
        # The complete table: every cell of the shape, 0 and 0 where no unit falls.
        values = {
            b: BREAKDOWN_VALUES[b]
            or sorted({u.breakdowns[b] for u in population if u.breakdowns[b] is not None})
            for b in d.breakdowns
        }
        regions = [("gemeente", m) for m in provinces]
        regions += [("province", p) for p in set(provinces.values())] + [UNKNOWN_REGION, NL]
        periods = [(y, y) for y in years] + windows
        shape = [(r, s, e, "total", "total") for r in regions for s, e in periods]
        shape += [(NL, y, y, b, v) for y in years for b in d.breakdowns for v in values[b]]
        for s, e in latest:
            for r in regions:
                names = municipal if r[0] == "gemeente" else d.breakdowns
                shape += [(r, s, e, b, v) for b in names for v in values[b]]
        for (rtype, rcode), start, end, breakdown, bvalue in shape:
            counts.setdefault((d.id, start, end, rtype, rcode, breakdown, bvalue), [0, 0])
        out.update({k: (n, den) for k, (n, den) in counts.items()})
    return out

"""The declared structure of the monitor's results table, from the definitions.

Everything the publication gate needs to know about how the cells of a run hang together comes
from here, in one place: which quantity each row counts (from the definition's family, unit
filter and outcome, so one indicator in two editions is one cell), how regions, periods and
breakdown values add up, and how outcomes of one family relate (the 0/1/2/3+ distribution, Big2
as preterm or SGA, ...; declared by the families as `OutcomeRelations`). It also holds the
cost of hiding each cell, which secondary suppression minimises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kansrijk import geo
from kansrijk.engine.aggregate import Variant, windows
from kansrijk.engine.families import FAMILIES
from kansrijk.indicators import Indicator
from kansrijk.publication.schema import CELL_KEYS, TOTAL
from kansrijk.publication.structure import (
    FloatArray,
    Hierarchy,
    Partition,
    Subset,
    TableStructure,
    Union,
)

MEASURE_KEYS: Final = ("indicator_id", "edition")

#: What hiding a cell costs, by kind (see docs/disclosure.md). Within a kind, larger cells
#: cost a little more (they carry more information), by log(1 + denominator).
COST_NL_TOTAL: Final = 1e6
COST_KEY_GROUP_NL: Final = 1e5
COST_PROVINCE_TOTAL: Final = 1e4
COST_NL_BREAKDOWN: Final = 1e3
COST_KEY_GROUP_PROVINCE: Final = 1e3
COST_MUNICIPAL_TOTAL: Final = 100.0
COST_PROVINCE_BREAKDOWN: Final = 30.0
COST_MUNICIPAL_BREAKDOWN: Final = 10.0
COST_POOLED_FACTOR: Final = 0.5
COST_UNKNOWN: Final = 1.0
#: Breakdown values policy reads first: hidden last (RIVM's headline breakdowns).
KEY_GROUPS: Final = (("single_parent", "yes"), ("income_p10", "<P10"))


def quantity_names(edition: int, d: Indicator) -> tuple[str, str]:
    """The numerator and denominator quantity a definition counts (its family's names)."""
    FAMILIES[d.family]
    variant = Variant.of(d)
    scope = f"{d.family}|{variant.min_gestational_days}|{int(variant.exclude_long_stay)}"
    if variant.family_parameters:  # outcomes derived with these values: their own quantities
        scope += "|" + ",".join(f"{k}={v}" for k, v in variant.family_parameters)
    population = family_population(d.family, d.outcome)
    return f"{scope}|{d.outcome}", f"{scope}|{population}"


def family_population(family: str, outcome: str) -> str:
    """The population an outcome is counted over (its denominator), as the family declares."""
    relations = OUTCOME_RELATIONS.get(family)
    if relations is None:
        return "all"
    return relations.populations.get(outcome, "all")


class OutcomeRelations:
    """How the outcomes of one family relate (declared beside the family's rules)."""

    def __init__(
        self,
        *,
        populations: Mapping[str, str] | None = None,
        partitions: Iterable[tuple[tuple[str, ...], str]] = (),
        subsets: Iterable[tuple[str, str]] = (),
        unions: Iterable[tuple[str, tuple[str, ...]]] = (),
    ) -> None:
        self.populations = dict(populations or {})
        self.partitions = tuple(partitions)
        self.subsets = tuple(subsets)
        self.unions = tuple(unions)


OUTCOME_RELATIONS: dict[str, OutcomeRelations] = {
    "live_birth": OutcomeRelations(
        # Kraamzorg: live births with a known mother; the risk factors: every live birth;
        # multidimensional vulnerability: live births with a known mother and a prediction.
        populations={"no_kraamzorg": "mother_known", "multidim_vulnerable": "mother_predicted"},
        partitions=[
            (("risk_factors_0", "risk_factors_1", "risk_factors_2", "risk_factors_3plus"), "all")
        ],
    ),
    "child_birth": OutcomeRelations(
        populations={"neonatal_death": "live", "infant_death": "live"},
        partitions=[
            (("fetal_death", "live"), "all"),
            (("fetal_death", "neonatal_death"), "perinatal_death"),
        ],
        subsets=[("preterm_32", "preterm"), ("neonatal_death", "infant_death")],
        unions=[("big2", ("preterm", "sga"))],
    ),
    "pregnancy": OutcomeRelations(
        populations={"preconception_consult": "mother_known"},
        unions=[("debts_mother", ("debts_mother_arrears", "debts_mother_wsnp"))],
    ),
    "jgz_contact": OutcomeRelations(
        populations={"speech_language": "speech_scored", "overweight": "measured"}
    ),
}


def monitor_cost(table: pa.Table) -> FloatArray:
    """What hiding each row costs (see the COST_* constants)."""
    rtype = np.asarray(table["region_type"].to_numpy(zero_copy_only=False))
    breakdown = np.asarray(table["breakdown"].to_numpy(zero_copy_only=False))
    value = np.asarray(table["breakdown_value"].to_numpy(zero_copy_only=False))
    pooled = table["period_end"].to_numpy() > table["period_start"].to_numpy()
    den = np.asarray(pc.fill_null(table["denominator"], 0).to_numpy(), dtype=float)
    total = breakdown == TOTAL
    key = np.zeros(len(rtype), dtype=bool)
    for b, v in KEY_GROUPS:
        key |= (breakdown == b) & (value == v)
    unknown_value = value == "unknown"
    cost = np.select(
        [
            rtype == "unknown",
            unknown_value,
            (rtype == "nl") & total,
            (rtype == "nl") & key,
            (rtype == "province") & total,
            rtype == "nl",
            (rtype == "province") & key,
            (rtype == "gemeente") & total,
            rtype == "province",
        ],
        [
            COST_UNKNOWN,
            COST_UNKNOWN,
            COST_NL_TOTAL,
            COST_KEY_GROUP_NL,
            COST_PROVINCE_TOTAL,
            COST_NL_BREAKDOWN,
            COST_KEY_GROUP_PROVINCE,
            COST_MUNICIPAL_TOTAL,
            COST_PROVINCE_BREAKDOWN,
        ],
        default=COST_MUNICIPAL_BREAKDOWN,
    )
    cost = np.where(pooled & (rtype != "nl"), cost * COST_POOLED_FACTOR, cost)
    return np.asarray(cost * (1.0 + np.log1p(den) / 20.0), dtype=np.float64)


def _region_hierarchy(classification_year: int) -> Hierarchy:
    h = geo.region_hierarchy(classification_year)
    return Hierarchy(
        name="region",
        columns=("region_type", "region_code"),
        edges=pa.table(
            {
                "child_region_type": h["child_type"],
                "child_region_code": h["child_code"],
                "parent_region_type": h["parent_type"],
                "parent_region_code": h["parent_code"],
            }
        ),
    )


def _period_hierarchy(years: range, sizes: Iterable[int]) -> Hierarchy:
    child: list[int] = []
    start: list[int] = []
    end: list[int] = []
    for size in sorted(set(sizes)):
        for s, e in windows(years, size):
            for y in range(s, e + 1):
                child.append(y)
                start.append(s)
                end.append(e)
    return Hierarchy(
        name="period",
        columns=("period_start", "period_end"),
        windows=True,
        edges=pa.table(
            {
                "child_period_start": pa.array(child, pa.int32()),
                "child_period_end": pa.array(child, pa.int32()),
                "parent_period_start": pa.array(start, pa.int32()),
                "parent_period_end": pa.array(end, pa.int32()),
            }
        ),
    )


def _breakdown_hierarchy(values: Mapping[str, Iterable[str]]) -> Hierarchy:
    pairs = [(b, v) for b, vs in values.items() for v in vs]
    return Hierarchy(
        name="breakdown",
        columns=("breakdown", "breakdown_value"),
        edges=pa.table(
            {
                "child_breakdown": [b for b, _ in pairs],
                "child_breakdown_value": [v for _, v in pairs],
                "parent_breakdown": [TOTAL] * len(pairs),
                "parent_breakdown_value": [TOTAL] * len(pairs),
                "relation": [b for b, _ in pairs],
            }
        ),
    )


def _measures(pairs: list[tuple[int, Indicator]]) -> pa.Table:
    """Per (indicator, edition) the numerator and denominator quantity it counts."""
    names = [quantity_names(e, d) for e, d in pairs]
    return pa.table(
        {
            "indicator_id": [d.id for _, d in pairs],
            "edition": pa.array([e for e, _ in pairs], pa.int32()),
            "numerator": [n for n, _ in names],
            "denominator": [m for _, m in names],
        }
    )


def monitor_structure(
    definitions: Iterable[tuple[int, Indicator]],
    *,
    years: range,
    classification_year: int,
    breakdown_values: Mapping[str, Iterable[str]],
) -> TableStructure:
    """The structure of a run's results: its definitions over its years and regions."""
    pairs = list(definitions)
    names = [quantity_names(e, d) for e, d in pairs]
    measures = _measures(pairs)
    partitions: list[Partition] = []
    subsets: list[Subset] = []
    unions: list[Union] = []
    counted = {q for pair in names for q in pair}
    scopes = sorted({n.rsplit("|", 1)[0] for n, _ in names})
    for scope in scopes:
        rel = OUTCOME_RELATIONS.get(scope.split("|", 1)[0])
        if rel is None:
            continue

        def name(outcome: str, scope: str = scope) -> str:
            return f"{scope}|{outcome}"

        # A relation holds only when the run counts every quantity it names: a quantity the
        # run does not count is not zero, it is unknown.
        partitions += [
            Partition(tuple(map(name, parts)), name(whole))
            for parts, whole in rel.partitions
            if {name(whole), *map(name, parts)} <= counted
        ]
        subsets += [
            Subset(name(a), name(b)) for a, b in rel.subsets if {name(a), name(b)} <= counted
        ]
        unions += [
            Union(name(u), tuple(map(name, parts)))
            for u, parts in rel.unions
            if {name(u), *map(name, parts)} <= counted
        ]
    sizes = {d.pooling_years for _, d in pairs if d.pooling_years}
    return TableStructure(
        keys=CELL_KEYS,
        measure_keys=MEASURE_KEYS,
        measures=measures,
        hierarchies=(
            _region_hierarchy(classification_year),
            _period_hierarchy(years, sizes),
            _breakdown_hierarchy(breakdown_values),
        ),
        partitions=tuple(partitions),
        subsets=tuple(subsets),
        unions=tuple(unions),
        cost=monitor_cost,
        merge_over="region",
    )


def results_structure(
    cells: pa.Table, *, classification_year: int, related: bool = True
) -> TableStructure:
    """The structure of any results table, from the (indicator, edition) pairs it holds.

    For tables not made by a run (tests, imports): the definitions come from the catalogue,
    the years from the periods present and open breakdowns' values from the table. With
    ``related`` false only the measures are declared (no hierarchy, partition or link), for
    hand-made tables whose numbers need not add up.
    """
    from kansrijk.indicators import BREAKDOWN_VALUES, catalogue  # noqa: PLC0415

    pairs_in = cells.group_by(["indicator_id", "edition"]).aggregate([]).to_pylist()
    by_edition: dict[int, dict[str, Indicator]] = {}
    pairs: list[tuple[int, Indicator]] = []
    for p in sorted(pairs_in, key=lambda r: (r["edition"], r["indicator_id"])):
        e = int(p["edition"])
        defs = by_edition.setdefault(e, {d.id: d for d in catalogue(e)})
        if p["indicator_id"] not in defs:
            raise KeyError(f"indicator {p['indicator_id']} is not in edition {e}")
        pairs.append((e, defs[p["indicator_id"]]))
    start = pc.min(cells["period_start"]).as_py()
    end = pc.max(cells["period_end"]).as_py()
    years = range(int(start), int(end) + 1) if start is not None else range(0)
    if not related:
        return TableStructure(
            keys=CELL_KEYS, measure_keys=MEASURE_KEYS, measures=_measures(pairs), cost=monitor_cost
        )
    present = cells.group_by(["breakdown", "breakdown_value"]).aggregate([]).to_pylist()
    values = {
        k: (
            v
            if v is not None
            else tuple(sorted({r["breakdown_value"] for r in present if r["breakdown"] == k}))
        )
        for k, v in BREAKDOWN_VALUES.items()
    }
    return monitor_structure(
        pairs, years=years, classification_year=classification_year, breakdown_values=values
    )

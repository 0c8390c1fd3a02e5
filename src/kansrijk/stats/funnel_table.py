"""The funnel table: every published municipality against the national figure."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kansrijk.stats._arrays import FloatArray
from kansrijk.stats.funnel import FLAG_LEVEL, CountModel, count_model_limits, position
from kansrijk.stats.units import PERCENT, scale_of

#: The keys that identify one comparison (one funnel).
FUNNEL_KEYS = (
    "indicator_id",
    "edition",
    "period_start",
    "period_end",
    "classification_year",
    "breakdown",
    "breakdown_value",
)
LEVELS = (0.95, FLAG_LEVEL)


def _floats(column: pa.ChunkedArray) -> FloatArray:
    """A numeric column as float64 with NaN for null."""
    return np.asarray(
        pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64
    )


def _nullable(values: FloatArray) -> pa.Array:
    return pa.array(values, type=pa.float64(), from_pandas=True)  # NaN -> null


def funnel_table(results: pa.Table) -> pa.Table:
    """Funnel limits (95% and 99.8%) and position for each published gemeente total row.

    Totals only (the funnels the reports show): municipal breakdown cells (pooled, latest
    window) get no funnel row.
    The target is the published NL row with the same funnel keys (its numerator / denominator).
    "%" rows use the binomial funnel, "per 1,000" rows the Poisson analogue; limits are in the
    unit's scale. A row whose NL figure is missing or suppressed keeps null limits and position.
    Rows are sorted by the funnel keys and region code.
    """
    keys = list(FUNNEL_KEYS)
    published = pc.invert(results["suppressed"])
    nl = results.filter(pc.and_(pc.equal(results["region_type"], "nl"), published)).select(
        [*keys, "numerator", "denominator", "value"]
    )
    nl = nl.rename_columns([*keys, "target_numerator", "target_denominator", "target_value"])
    municipal = pc.and_(
        pc.equal(results["region_type"], "gemeente"), pc.equal(results["breakdown"], "total")
    )
    gm = results.filter(pc.and_(municipal, published))
    gm = gm.select([*keys, "region_code", "numerator", "denominator", "value", "unit"])
    joined = gm.join(nl, keys, join_type="left outer")
    joined = joined.sort_by([(k, "ascending") for k in [*keys, "region_code"]])

    k, n = _floats(joined["numerator"]), _floats(joined["denominator"])
    tk, tn = _floats(joined["target_numerator"]), _floats(joined["target_denominator"])
    units = np.asarray(joined["unit"].to_pylist(), dtype=object)
    has_target = np.isfinite(tk) & np.isfinite(tn) & (tn > 0)
    theta = np.where(has_target, tk / np.where(has_target, tn, 1.0), np.nan)
    observed = k / np.where(n > 0, n, np.nan)

    bounds = {level: (np.full(len(k), np.nan), np.full(len(k), np.nan)) for level in LEVELS}
    flag = np.full(len(k), None, dtype=object)
    for unit in np.unique(units):
        # A cell without units (denominator 0) has no value: no limits and no position.
        rows = (units == unit) & has_target & (n > 0)
        model: CountModel = "binomial" if unit == PERCENT else "poisson"
        scale = scale_of(str(unit))
        limits = count_model_limits(n[rows], theta[rows], LEVELS, model)
        for level, (low, high) in limits.items():
            bounds[level][0][rows] = low * scale
            bounds[level][1][rows] = high * scale
        low_f, high_f = limits[FLAG_LEVEL]
        flag[rows] = position(observed[rows], low_f, high_f)

    columns = {
        **{name: joined[name] for name in [*keys, "region_code", "numerator", "denominator"]},
        "value": joined["value"],
        "target_value": joined["target_value"],
        "low_95": _nullable(bounds[0.95][0]),
        "high_95": _nullable(bounds[0.95][1]),
        "low_998": _nullable(bounds[FLAG_LEVEL][0]),
        "high_998": _nullable(bounds[FLAG_LEVEL][1]),
        "position": pa.array(flag.tolist(), type=pa.string()),
    }
    return pa.table(columns)

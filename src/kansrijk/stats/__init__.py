"""Statistics for the monitor: confidence intervals per unit and funnel-plot limits.

Pure functions on numpy arrays (plus one pyarrow helper, `funnel_table`); imports nothing from
the rest of kansrijk.
"""

from kansrijk.stats.change import Change, proportion_change
from kansrijk.stats.funnel import funnel_flags, funnel_limits, poisson_funnel_limits
from kansrijk.stats.funnel_table import funnel_table
from kansrijk.stats.proportion import clopper_pearson_interval, wilson_interval
from kansrijk.stats.rate import poisson_rate_interval
from kansrijk.stats.units import PER_1000, PERCENT, interval_for_unit

__all__ = [
    "PERCENT",
    "PER_1000",
    "Change",
    "clopper_pearson_interval",
    "funnel_flags",
    "funnel_limits",
    "funnel_table",
    "interval_for_unit",
    "poisson_funnel_limits",
    "poisson_rate_interval",
    "proportion_change",
    "wilson_interval",
]

"""Reference tables: Hoftiezer 2019 birth-weight percentiles and IOTF child BMI cut-offs.

Sources and licences of the shipped tables are in `kansrijk/reference/data/SOURCES.md`.
"""

from kansrijk.reference.birthweight import (
    below_p10,
    below_p10_array,
    birthweight_percentile,
    p10_table,
)
from kansrijk.reference.bmi import bmi, iotf_cutoff, iotf_cutoff_lms, is_overweight

__all__ = [
    "below_p10",
    "below_p10_array",
    "birthweight_percentile",
    "bmi",
    "iotf_cutoff",
    "iotf_cutoff_lms",
    "is_overweight",
    "p10_table",
]

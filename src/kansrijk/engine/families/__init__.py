"""Unit tables, one module per family: each builds one row per unit of analysis with the
data year, the region on the classification year, breakdown columns and every outcome of the
family as a nullable 0/1 column (NULL: the unit is outside that outcome's population)."""

from kansrijk.engine.families.base import FAMILIES, Family

__all__ = ["FAMILIES", "Family"]

# Importing the family modules registers them.
from kansrijk.engine.families import (
    child_birth,
    jgz_contact,
    live_birth,
    mother_year,
    pregnancy,
    young_child,
)

__all__ += ["child_birth", "jgz_contact", "live_birth", "mother_year", "pregnancy", "young_child"]

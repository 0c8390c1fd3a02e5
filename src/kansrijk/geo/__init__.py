"""Dutch municipal geography 2015-2025: municipalities, mergers, classification, regions, maps.

All municipality codes are CBS 'GM####' strings. The data files and their licences are described
in `kansrijk/geo/data/SOURCES.md`.
"""

from kansrijk.geo.atoms import Atom, atom_code_on, atoms
from kansrijk.geo.boundaries import boundaries
from kansrijk.geo.classification import classification_map, to_classification
from kansrijk.geo.municipalities import Merger, Municipality, mergers, municipalities
from kansrijk.geo.regions import NL_CODE, UNKNOWN_REGION, region_hierarchy, regions

__all__ = [
    "NL_CODE",
    "UNKNOWN_REGION",
    "Atom",
    "Merger",
    "Municipality",
    "atom_code_on",
    "atoms",
    "boundaries",
    "classification_map",
    "mergers",
    "municipalities",
    "region_hierarchy",
    "regions",
    "to_classification",
]

"""Hospital care products (DBC) that flag a long hospital stay around birth.

The 28 codes RIVM's 2024 code uses for its `langdurig_verblijf_alt` flag (indicator 13, no
kraamzorg corrected for long hospital stay); reference data shared by the monitor and the
synthetic generator.
"""

from __future__ import annotations

LONG_STAY_DBC: tuple[str, ...] = (
    "159899011",
    "159899012",
    "990016382",
    "990016383",
    "990017011",
    "990017012",
    "990017015",
    "990017016",
    "990017021",
    "990017022",
    "990017023",
    "990017024",
    "990017025",
    "990017026",
    "990017029",
    "990017030",
    "990017033",
    "990017034",
    "990017037",
    "990017038",
    "990017040",
    "990017041",
    "990017042",
    "990017043",
    "990017046",
    "990017047",
    "990017048",
    "990017049",
)

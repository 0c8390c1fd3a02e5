"""Partner types: the kinds of organisation a route step or referral names.

The values are those of `kansrijk.web.accounts.roles.OrganisationType` (the platform's
organisation types), repeated here because the core must not import Django; a unit test keeps
the two lists equal.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class PartnerType(StrEnum):
    """An organisation type, as a string the web app stores unchanged."""

    MUNICIPALITY = "municipality"
    MIDWIFERY = "midwifery"
    KRAAMZORG = "kraamzorg"
    JGZ = "jgz"
    GGD = "ggd"
    DISTRICT_TEAM = "district_team"
    DEBT_COUNSELLING = "debt_counselling"
    GP = "gp"
    HOSPITAL = "hospital"
    WELFARE = "welfare"
    COMMUNITY = "community"
    LIVED_EXPERIENCE = "lived_experience"
    NATIONAL = "national"
    OTHER = "other"

    @property
    def label_nl(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_LABELS: Final[dict[PartnerType, tuple[str, str]]] = {
    PartnerType.MUNICIPALITY: ("Gemeente", "Municipality"),
    PartnerType.MIDWIFERY: ("Verloskundigenpraktijk", "Midwifery practice"),
    PartnerType.KRAAMZORG: ("Kraamzorgorganisatie", "Kraamzorg provider"),
    PartnerType.JGZ: ("JGZ-organisatie", "JGZ organisation"),
    PartnerType.GGD: ("GGD", "GGD"),
    PartnerType.DISTRICT_TEAM: ("Wijkteam", "District team"),
    PartnerType.DEBT_COUNSELLING: ("Schuldhulpverlening", "Debt counselling"),
    PartnerType.GP: ("Huisartsenpraktijk (met POH-GGZ)", "GP practice (with POH-GGZ)"),
    PartnerType.HOSPITAL: (
        "Ziekenhuis of verloskundig samenwerkingsverband (VSV)",
        "Hospital or obstetric partnership (VSV)",
    ),
    PartnerType.WELFARE: ("Welzijnsorganisatie", "Welfare organisation"),
    PartnerType.COMMUNITY: ("Maatschappelijke organisatie", "Community organisation"),
    PartnerType.LIVED_EXPERIENCE: ("Ervaringsdeskundigen", "Lived-experience organisation"),
    PartnerType.NATIONAL: ("Landelijke organisatie", "National organisation"),
    PartnerType.OTHER: ("Anders", "Other"),
}

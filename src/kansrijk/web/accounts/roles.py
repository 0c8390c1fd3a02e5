"""Roles and organisation types: the vocabulary of who may do what.

Permissions follow from the role, not from per-user grants; which role may do what is stated
once, in `kansrijk.web.policy` (generated into docs/authorisation.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kansrijk.web import policy


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coalition coordinator")
    PROFESSIONAL = "professional", _("Professional")
    POLICY_ADVISOR = "policy_advisor", _("Policy advisor")
    MONITOR_ANALYST = "monitor_analyst", _("Monitor analyst")
    PROGRAMME_STAFF = "programme_staff", _("National programme staff")
    ADMINISTRATOR = "administrator", _("Administrator")


# The role sets are derived from the authorisation policy (kansrijk.web.policy), the single
# statement of who may do what; they are re-exported here for the models and forms.
#: Roles that can see client data (care coordination): two-factor authentication is required.
CLIENT_DATA_ROLES = policy.CLIENT_DATA_ROLES
#: Roles that must verify a second factor: the client-data roles, the roles with admin
#: access, and the researchers of the experiences study (pseudonymised transcripts).
SECOND_FACTOR_ROLES = policy.SECOND_FACTOR_ROLES
#: Roles that run the national programme: response status, reminders, master data, admin.
PROGRAMME_ROLES = policy.PROGRAMME_ROLES
#: Roles that may fill in their own municipality's yearly questionnaire.
QUESTIONNAIRE_ROLES = policy.QUESTIONNAIRE_ROLES


class OrganisationType(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    MIDWIFERY = "midwifery", _("Midwifery practice")
    KRAAMZORG = "kraamzorg", _("Kraamzorg provider")
    JGZ = "jgz", _("JGZ organisation")
    GGD = "ggd", _("GGD")
    DISTRICT_TEAM = "district_team", _("District team")
    DEBT_COUNSELLING = "debt_counselling", _("Debt counselling")
    GP = "gp", _("GP practice")
    HOSPITAL = "hospital", _("Hospital or obstetric partnership (VSV)")
    WELFARE = "welfare", _("Welfare organisation")
    COMMUNITY = "community", _("Community organisation")
    LIVED_EXPERIENCE = "lived_experience", _("Lived-experience organisation")
    NATIONAL = "national", _("National organisation")
    OTHER = "other", _("Other")


#: Organisation types that are care providers and so have an AGB code (Vektis register).
AGB_TYPES = frozenset(
    {
        OrganisationType.MIDWIFERY,
        OrganisationType.KRAAMZORG,
        OrganisationType.JGZ,
        OrganisationType.GGD,
        OrganisationType.GP,
        OrganisationType.HOSPITAL,
    }
)

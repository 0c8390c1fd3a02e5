"""The intervention menu (menukaart Kansrijke Start) shipped as data.

A selection of the programme's interventions before, during and after pregnancy, with short
English descriptions in our own words. Programme staff extend and correct the menu in the admin;
``load_menu`` only adds missing entries, so it is safe to run again. Entries marked UNSURE need
checking against the current menukaart (https://menukaart.kansrijkestartnl.nl).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kansrijk.web.accounts.roles import OrganisationType
from kansrijk.web.coalitions.models import Intervention

#: Codes the programme indicators and the demo refer to.
NU_NIET_ZWANGER: Final = "nu-niet-zwanger"
PRECONCEPTION_CARE: Final = "preconceptiezorg"
CENTERING_PREGNANCY: Final = "centering-zwangerschap"
PHB_JGZ: Final = "phb-jgz"
VOORZORG: Final = "voorzorg"
CENTERING_PARENTING: Final = "centering-ouderschap"


@dataclass(frozen=True)
class MenuItem:
    code: str
    name: str
    description: str
    phases: frozenset[str]  # "before", "during", "after"
    domain: str  # Intervention.Domain value
    provider_type: str  # OrganisationType value, "" when several kinds provide it
    url: str = ""


MENU: Final[tuple[MenuItem, ...]] = (
    MenuItem(
        NU_NIET_ZWANGER,
        "Nu Niet Zwanger",
        "Helps women and men in vulnerable situations make a conscious choice about when to "
        "have a child, through conversations about wishes, sexuality and contraception. Run by "
        "GGDs from the centre municipalities; surrounding municipalities can join.",
        frozenset({"before"}),
        Intervention.Domain.BOTH,
        OrganisationType.GGD,
        "https://www.nunietzwanger.nl",
    ),
    MenuItem(
        PRECONCEPTION_CARE,
        "Preconceptiezorg",
        "Preconception care: advice and a consultation for people who wish to become pregnant "
        "(folic acid, lifestyle, medication, hereditary risks).",
        frozenset({"before"}),
        Intervention.Domain.MEDICAL,
        OrganisationType.MIDWIFERY,
    ),
    MenuItem(
        "healthy-pregnancy-4-all",
        "Healthy Pregnancy 4 All",
        # UNSURE: listed on the menu as a risk-assessment approach (Rotterdam risk score)
        # linking obstetric and social care; check the current name and scope.
        "Structured assessment of medical and non-medical risks early in pregnancy, with "
        "agreed referral to social care when risks are found.",
        frozenset({"before", "during"}),
        Intervention.Domain.BOTH,
        OrganisationType.MIDWIFERY,
    ),
    MenuItem(
        CENTERING_PREGNANCY,
        "CenteringZwangerschap",
        "Group antenatal care: eight to twelve pregnant women with similar due dates meet with "
        "their midwife, combining check-ups with education and peer support.",
        frozenset({"during"}),
        Intervention.Domain.MEDICAL,
        OrganisationType.MIDWIFERY,
        "https://centeringzorg.nl",
    ),
    MenuItem(
        PHB_JGZ,
        "Prenataal huisbezoek JGZ (PHB-JGZ)",
        "A prenatal home visit by a youth health care nurse to pregnant women and their "
        "families, to get to know them and spot needs for support early.",
        frozenset({"during"}),
        Intervention.Domain.BOTH,
        OrganisationType.JGZ,
    ),
    MenuItem(
        VOORZORG,
        "VoorZorg",
        "Intensive home-visiting programme by JGZ nurses for young, first-time mothers with "
        "few resources, from pregnancy until the child is two.",
        frozenset({"during", "after"}),
        Intervention.Domain.BOTH,
        OrganisationType.JGZ,
        "https://www.ncj.nl/voorzorg/",
    ),
    MenuItem(
        "pop-poli",
        "POP-poli",
        "Outpatient clinic where psychiatry, obstetrics and paediatrics together care for "
        "pregnant women with psychiatric or psychosocial problems, and their babies.",
        frozenset({"during", "after"}),
        Intervention.Domain.MEDICAL,
        OrganisationType.HOSPITAL,
    ),
    MenuItem(
        "mothers-of-rotterdam",
        # UNSURE: the brief called it "Moeders van Rotterdam"; the programme is known as
        # "Mothers of Rotterdam" (Rotterdam only).
        "Mothers of Rotterdam",
        "Intensive support for pregnant women in vulnerable situations by one family "
        "coach who coordinates all help, from pregnancy until the child is about two.",
        frozenset({"during", "after"}),
        Intervention.Domain.SOCIAL,
        OrganisationType.WELFARE,
    ),
    MenuItem(
        "kraamzorg-op-maat",
        # UNSURE: extra maternity care hours for families in vulnerable situations exist under
        # several local names; "Kraamzorg op maat" is used here as a generic name.
        "Kraamzorg op maat",
        "Extra or longer maternity home care for families in vulnerable situations, with a "
        "warm handover to JGZ.",
        frozenset({"after"}),
        Intervention.Domain.BOTH,
        OrganisationType.KRAAMZORG,
    ),
    MenuItem(
        "rookvrije-start",
        # UNSURE: smoking cessation support for (future) parents; check the current name.
        "Rookvrije Start",
        "Support to stop smoking for parents-to-be and their partners, offered by midwives, "
        "GPs and JGZ.",
        frozenset({"before", "during", "after"}),
        Intervention.Domain.MEDICAL,
        "",
    ),
    MenuItem(
        "stevig-ouderschap",
        "Stevig Ouderschap",
        "Home visits by a JGZ nurse for parents with risk factors for parenting problems, "
        "from the first months after birth until about eighteen months.",
        frozenset({"after"}),
        Intervention.Domain.BOTH,
        OrganisationType.JGZ,
        "https://www.ncj.nl/stevigouderschap/",
    ),
    MenuItem(
        "samen-starten",
        "Samen Starten",
        "A structured conversation method in JGZ to discuss the family's strengths and "
        "worries early and agree on support with the parents.",
        frozenset({"after"}),
        Intervention.Domain.BOTH,
        OrganisationType.JGZ,
    ),
    MenuItem(
        CENTERING_PARENTING,
        "CenteringOuderschap",
        "Group care by JGZ: parents with babies of the same age meet for the regular check-ups, "
        "combined with discussion and peer support, during the first year.",
        frozenset({"after"}),
        Intervention.Domain.MEDICAL,
        OrganisationType.JGZ,
        "https://centeringzorg.nl",
    ),
)


def load_menu() -> dict[str, Intervention]:
    """Add the shipped interventions that are missing; returns the menu's interventions by code.

    Existing rows are left alone: programme staff may have corrected them in the admin.
    """
    codes = [item.code for item in MENU]
    existing = set(Intervention.objects.filter(code__in=codes).values_list("code", flat=True))
    Intervention.objects.bulk_create(
        [
            Intervention(
                code=item.code,
                name=item.name,
                description=item.description,
                phase_before="before" in item.phases,
                phase_during="during" in item.phases,
                phase_after="after" in item.phases,
                domain=item.domain,
                provider_type=item.provider_type,
                url=item.url,
            )
            for item in MENU
            if item.code not in existing
        ]
    )
    return {i.code: i for i in Intervention.objects.filter(code__in=codes)}

"""Why each indicator matters: a short text per indicator, in Dutch and English.

The factsheet prints it under an indicator's heading ("Waarom deze indicator"), as RIVM's
monitor opens each indicator with its "Belang indicator". The texts are our own summaries of
the seed documents (``../shared/seeds``), chiefly RIVM's "Monitor Kansrijke Start 2021"
(seed ``002_824f78fbab14ab60``), whose "Belang indicator" paragraphs explain each of the 15
indicators of the 2019 set; the comment above each text names the seed and the passage. The
2024 set's new indicators (preconception consult, psychological problems of parents,
mortality) have no such paragraph in the seeds; their texts rest on the same monitor's
introduction and on the indicator specification (``spec/indicators.md``), as their comments say.

Indicators that measure one thing in parts (debts: arrears and WSNP; Big2: preterm and small
for gestational age; the risk-factor counts 0, 1, 2) share one text. A completeness test
(tests/unit/report/test_relevance.py) fails when an indicator of the catalogue, or a programme
indicator, has none.
"""

from __future__ import annotations

from dataclasses import dataclass

from kansrijk.report.labels import Lang

__all__ = ["RELEVANCE", "Relevance", "relevance"]


@dataclass(frozen=True)
class Relevance:
    """Why an indicator matters, in Dutch and English."""

    nl: str
    en: str

    def text(self, lang: Lang = "nl") -> str:
        return self.nl if lang == "nl" else self.en


# seed 002_824f78fbab14ab60, indicator 1 "Belang indicator" (lokale of regionale coalitie).
_COALITION = Relevance(
    "In een lokale of regionale coalitie maken de gemeente en professionals uit het sociale en "
    "het medische domein samen afspraken over signaleren, doorverwijzen en het bereiken van "
    "gezinnen in een kwetsbare situatie. Het aantal coalities laat zien hoe ver het "
    "actieprogramma is ingevoerd.",
    "In a local or regional coalition the municipality and professionals from the social and "
    "the medical domain agree together on spotting problems, referring and reaching families "
    "in a vulnerable situation. The number of coalitions shows how far the action programme "
    "has been put into practice.",
)
# seed 002_824f78fbab14ab60, indicator 2 "Belang indicator" (gezamenlijk plan van aanpak).
_PLAN = Relevance(
    "Een gezamenlijk plan van aanpak van de gemeente en haar partners is een belangrijke stap "
    "naar een samenhangende aanpak van Kansrijke Start, vóór of nadat een coalitie is gevormd.",
    "A joint plan of action of the municipality and its partners is an important step "
    "towards an integrated Solid Start approach, before or after a coalition is formed.",
)
# seed 002_824f78fbab14ab60, indicator 3 "Belang indicator" (Nu Niet Zwanger).
_NNZ = Relevance(
    "Nu Niet Zwanger helpt mensen in een kwetsbare situatie een bewuste keuze te maken over het "
    "moment van hun kinderwens, zodat zij niet onbedoeld zwanger raken. Het programma start "
    "vanuit de centrumgemeenten; de indicator toont hoe beschikbaar het landelijk is.",
    "Nu Niet Zwanger (Not Pregnant Now) helps people in a vulnerable situation make a "
    "deliberate choice about when to have a child, so that they do not become pregnant "
    "unintentionally. It starts from the centre municipalities; the indicator shows how "
    "widely it is available.",
)
# seed 002_824f78fbab14ab60, indicator 4 "Belang indicator" (prenataal huisbezoek JGZ).
_PHB = Relevance(
    "Met een prenataal huisbezoek biedt de jeugdgezondheidszorg al tijdens de zwangerschap "
    "vroeg passende hulp: aanstaande ouders bespreken vragen en zorgen over het ouderschap. "
    "Sinds 1 juli 2022 moeten alle gemeenten het aanbieden aan gezinnen in een kwetsbare "
    "situatie.",
    "With a prenatal home visit, youth health care offers early, fitting support during "
    "pregnancy: parents-to-be discuss questions and worries about parenthood. Since 1 July "
    "2022 every municipality must offer it to families in a vulnerable situation.",
)
# seed 002_824f78fbab14ab60, indicator 5 "Belang indicator" and Tekstbox 7 (VoorZorg).
_VOORZORG = Relevance(
    "VoorZorg is een intensief programma van de jeugdgezondheidszorg met huisbezoeken vanaf de "
    "zwangerschap tot het kind 2 jaar is, voor jonge moeders met meerdere problemen. Het "
    "vermindert kindermishandeling en huiselijk geweld; de indicator toont waar het wordt "
    "aangeboden.",
    "VoorZorg is an intensive youth health care programme of home visits from pregnancy until "
    "the child is 2, for young mothers facing several problems. It reduces child abuse and "
    "domestic violence; the indicator shows where it is offered.",
)
# seed 002_824f78fbab14ab60, indicator 6 "Belang indicator" and Tekstbox 8.
_CENTERING_PREGNANCY = Relevance(
    "CenteringZwangerschap is groepszorg voor zwangere vrouwen die de lichamelijke en "
    "psychosociale gezondheid van moeder en kind verbetert; vrouwen leren er ook van elkaar. "
    "De indicator toont hoeveel verloskundigenpraktijken erin getraind zijn.",
    "CenteringZwangerschap (group antenatal care) improves the physical and psychosocial "
    "health of mother and child; women also learn from each other. The indicator shows how "
    "many midwifery practices are trained in it.",
)
# seed 002_824f78fbab14ab60, indicator 7 "Belang indicator" (zwangerschapsbegeleiding).
_LATE_CARE = Relevance(
    "Wie vóór de 10e week met zwangerschapsbegeleiding begint, krijgt op tijd kennis, advies "
    "over voeding en leefstijl en zorg op maat, en de gezondheid van moeder en kind wordt "
    "gevolgd. Kansrijke Start richt zich juist op vrouwen die later beginnen.",
    "Starting antenatal care before week 10 gives timely knowledge, advice on diet and "
    "lifestyle and tailored care, and the health of mother and child is monitored. Solid "
    "Start is aimed precisely at women who start later.",
)
# seed 002_824f78fbab14ab60, indicator 8 "Belang indicator" (problematische schulden).
_DEBTS = Relevance(
    "Chronische stress door geldproblemen van ouders is nadelig voor de ontwikkeling van het "
    "kind, tijdens de zwangerschap en na de geboorte. Daarom is het aandeel met problematische "
    "schulden rond de bevalling van belang.",
    "Chronic stress from parents' money problems harms the child's development, during "
    "pregnancy and after birth; hence the share with problematic debts around the delivery.",
)
# seed 002_824f78fbab14ab60, indicator 9 "Belang indicator" and Tekstbox 9.
_CENTERING_PARENTING = Relevance(
    "CenteringOuderschap steunt (kwetsbare) ouders van jonge kinderen laagdrempelig in "
    "groepsbijeenkomsten bij de jeugdgezondheidszorg. De indicator toont hoeveel "
    "JGZ-organisaties het aanbieden.",
    "CenteringOuderschap (group care for parents) gives (vulnerable) parents of young "
    "children easy-to-reach support in group sessions at youth health care. The indicator "
    "shows how many JGZ organisations offer it.",
)
# seed 002_824f78fbab14ab60, indicator 10 "Belang indicator" (kraamzorg).
_KRAAMZORG = Relevance(
    "In de eerste week na de bevalling geeft de kraamzorg lichamelijke en mentale steun en "
    "signaleert zij risico's. Gezinnen met een lagere sociaaleconomische positie gebruiken "
    "minder vaak kraamzorg, soms om de eigen bijdrage; het is gewenst dat zoveel mogelijk "
    "gezinnen kraamzorg krijgen.",
    "In the first week after delivery maternity care (kraamzorg) gives physical and mental "
    "support and spots risks. Families with a lower socioeconomic position use it less "
    "often, sometimes because of the personal contribution; as many families as possible "
    "should receive it.",
)
# seed 002_824f78fbab14ab60, indicator 11 "Belang indicator" (kwetsbaar gezin).
_RISK_FACTORS = Relevance(
    "Goede ondersteuning vraagt inzicht in hoeveel kinderen in een gezin in een kwetsbare "
    "situatie worden geboren. Zolang kwetsbaarheid niet direct te meten is, telt de monitor "
    "risicofactoren bij de ouders, zoals een laag inkomen, schulden en GGZ-gebruik.",
    "Good support needs to know how many children are born into a family in a vulnerable "
    "situation. As long as vulnerability cannot be measured directly, the monitor counts "
    "risk factors of the parents, such as low income, debts and mental health care use.",
)
# seed 002_824f78fbab14ab60, indicator 11 "Belang indicator" and Tekstbox 10 (meervoudige,
# multidimensionale kwetsbaarheid uit latente-klassenanalyse); spec/vulnerability-lca.md.
_VULNERABILITY = Relevance(
    "Kinderen van moeders met risicofactoren op meerdere terreinen tegelijk (meervoudige "
    "kwetsbaarheid) worden vaker te vroeg of te klein geboren. Inzicht in hoeveel kinderen in "
    "zo'n situatie worden geboren helpt de ondersteuning te richten.",
    "Children of mothers with risk factors in several domains at once (multidimensional "
    "vulnerability) are more often born preterm or small. Knowing how many children are born "
    "in such a situation helps to direct support.",
)
# seed 002_824f78fbab14ab60, indicator 12 "Belang indicator" (vroeggeboorte, Big2).
_BIG2 = Relevance(
    "Te vroeg geboren kinderen en kinderen die te klein zijn voor de zwangerschapsduur (samen "
    "de Big2) hebben meer kans om rond de geboorte te overlijden en later vaker "
    "gezondheidsproblemen, zoals een groeiachterstand, hoge bloeddruk en diabetes.",
    "Children born preterm or small for their gestational age (together the Big2) are more "
    "likely to die around birth and more often have health problems later, such as growth "
    "delay, high blood pressure and diabetes.",
)
# seed 002_824f78fbab14ab60, indicator 12 "Belang indicator" (kans op overlijden direct of kort
# na de geboorte); spec/indicators.md, 2024 edition (mortality as extra outputs of 15).
_MORTALITY = Relevance(
    "Sterfte rond de geboorte en in het eerste levensjaar is de ernstigste uitkomst van een "
    "minder goede start; vroeggeboorte en een laag geboortegewicht zijn de belangrijkste "
    "oorzaken.",
    "Death around birth and in the first year of life is the gravest outcome of a poor "
    "start; preterm birth and low birth weight are its main causes.",
)
# seed 002_824f78fbab14ab60, indicator 13 "Belang indicator" (spraak-taalontwikkeling).
_SPEECH = Relevance(
    "Een achterstand in de taalontwikkeling van jonge kinderen kan later gevolgen hebben voor "
    "schoolprestaties, sociale relaties en psychische gezondheid. De JGZ onderzoekt rond 2 jaar "
    "de spraak-taalontwikkeling, zodat problemen op tijd worden gesignaleerd.",
    "A delay in young children's language development can later affect school results, "
    "social relations and mental health. Youth health care checks speech and language at "
    "about 2 years, so that problems are spotted in time.",
)
# seed 002_824f78fbab14ab60, indicator 14 "Belang indicator" (overgewicht).
_OVERWEIGHT = Relevance(
    "Overgewicht en obesitas bij jonge kinderen kunnen later leiden tot lichamelijke en "
    "psychosociale problemen. De JGZ meet lengte en gewicht rond 2 jaar om dit tijdig te "
    "signaleren.",
    "Overweight and obesity in young children can lead to physical and psychosocial problems "
    "later in life. Youth health care measures height and weight at about 2 years to spot "
    "this in time.",
)
# seed 002_824f78fbab14ab60, indicator 15 "Belang indicator" (uithuisplaatsingen).
_PLACEMENT = Relevance(
    "Als de veilige ontwikkeling van een kind bedreigd wordt en vrijwillige hulp niet genoeg "
    "helpt, kan de rechter een kinderbeschermingsmaatregel opleggen. De indicator toont hoe "
    "vaak baby's en jonge kinderen uit huis worden geplaatst.",
    "When a child's safe development is threatened and voluntary help is not enough, a "
    "court can impose a child protection measure. The indicator shows how often babies and "
    "young children are placed out of home.",
)
# seed 002_824f78fbab14ab60, Inleiding (the period before and during pregnancy matters for the
# child's development) and Tekstbox 2 (bewust en gezond zwanger worden); spec/indicators.md,
# 2024 edition, indicator 6 (preconception consult, Vektis).
_PRECONCEPTION = Relevance(
    "De gezondheid van ouders vóór de zwangerschap telt mee voor de ontwikkeling van het kind. "
    "In een preconceptieconsult krijgen aanstaande ouders advies om bewust en gezond zwanger "
    "te worden.",
    "The health of parents before pregnancy matters for the child's development. In a "
    "preconception consultation prospective parents get advice on becoming pregnant "
    "deliberately and healthily.",
)
# seed 002_824f78fbab14ab60, indicator 11 "Berekening indicator" (GGZ-gebruik en medicijnen voor
# psychische klachten as risk factors) and Tekstbox 10; spec/indicators.md, 2024 edition,
# indicator 11 (psychological problems of mother or partner).
_PSYCHOLOGICAL = Relevance(
    "Psychische problemen van een ouder zijn een risicofactor voor een kwetsbare start van het "
    "kind. Het aandeel kinderen van wie moeder of partner psychische zorg of medicijnen krijgt, "
    "laat zien hoeveel gezinnen steun nodig kunnen hebben.",
    "A parent's psychological problems are a risk factor for a vulnerable start of the child. "
    "The share of children whose mother or partner receives mental health care or medication "
    "shows how many families may need support.",
)

#: Indicator id (registry catalogue and programme indicators) -> why it matters.
RELEVANCE: dict[str, Relevance] = {
    # programme indicators (kansrijk.programme)
    "2019-01": _COALITION,
    "2019-02": _PLAN,
    "2019-03": _NNZ,
    "2019-04": _PHB,
    "2019-05": _VOORZORG,
    "2019-06": _CENTERING_PREGNANCY,
    "2019-09": _CENTERING_PARENTING,
    # the 2019 registry set (editions 2019-2023)
    "2019-07": _LATE_CARE,
    "2019-08": _DEBTS,
    "2019-08a": _DEBTS,
    "2019-08b": _DEBTS,
    "2019-10": _KRAAMZORG,
    "2019-11": _RISK_FACTORS,
    "2019-11-0": _RISK_FACTORS,
    "2019-11-1": _RISK_FACTORS,
    "2019-11-2": _RISK_FACTORS,
    "2019-12": _BIG2,
    "2019-12a": _BIG2,
    "2019-12b": _BIG2,
    "2019-13": _SPEECH,
    "2019-14": _OVERWEIGHT,
    "2019-15": _PLACEMENT,
    "2023-11": _VULNERABILITY,
    # the 2024 registry set
    "2024-06": _PRECONCEPTION,
    "2024-09": _LATE_CARE,
    "2024-10": _DEBTS,
    "2024-11": _PSYCHOLOGICAL,
    "2024-13": _KRAAMZORG,
    "2024-14": _VULNERABILITY,
    "2024-15": _BIG2,
    "2024-15a": _BIG2,
    "2024-15b": _BIG2,
    "2024-15c": _BIG2,
    "2024-15-perinatal": _MORTALITY,
    "2024-15-fetal": _MORTALITY,
    "2024-15-neonatal": _MORTALITY,
    "2024-15-infant": _MORTALITY,
}


def relevance(indicator_id: str, lang: Lang = "nl") -> str | None:
    """Why the indicator matters, in ``lang``; None for an id without a text (the
    completeness test keeps that from happening for the catalogue)."""
    found = RELEVANCE.get(indicator_id)
    return None if found is None else found.text(lang)

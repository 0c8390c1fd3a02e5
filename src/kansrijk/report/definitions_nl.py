"""Dutch texts of the indicator definitions, for the (Dutch by default) factsheets.

The catalogue (`kansrijk.indicators.catalogue`) gives every indicator Dutch and English titles,
but its population, numerator, denominator and time reference are English only. This module
holds their Dutch translations, keyed by indicator id, in the terms RIVM uses (levendgeborenen,
zwangerschapsduur, kraamzorg, WSNP, Hoftiezer-curven, ...). Numbers and codes are copied
unchanged from the English text.

`DEFINITIONS_NL` holds the text of the latest version of each indicator. A few indicators changed
their texts between versions (2019-12, 2019-12a and 2019-12b counted births from 22+0 weeks in
version 1, editions 2019-2020, and from 24+0 weeks from version 2 on); those earlier texts are in
`EARLIER_VERSIONS_NL`, keyed by (id, version). Pass the version to `dutch_definition` to get the
text that belongs to a given definition.

"Data year" is translated as *verslagjaar*: the year the events happened.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEFINITIONS_NL",
    "EARLIER_VERSIONS_NL",
    "VULNERABILITY_INTERVAL_NL",
    "DutchDefinition",
    "dutch_definition",
]


@dataclass(frozen=True)
class DutchDefinition:
    """The Dutch population, numerator, denominator and time reference of an indicator."""

    population: str
    numerator: str
    denominator: str
    time_reference: str


# Texts shared by several indicators.
_YEAR_OF_BIRTH = "Geboortejaar."
_YEAR_OF_DELIVERY = "Jaar van de bevalling."
_YEAR_OF_CONTACT = "Jaar van het contact."
_ALL_PREGNANCIES = "Al deze zwangerschappen."
_ALL_WOMEN = "Al deze vrouwen."
_ALL_MOTHERS = "Al deze moeders."
_ALL_CHILDREN = "Al deze kinderen."

_LATE_ANTENATAL_CARE = (
    "Zwangerschappen waarbij het eerste prenatale consult plaatsvond na dag 70 van de "
    "zwangerschapsduur."
)
_DEBTS_WOMEN = (
    "Vrouwen die in het verslagjaar bevielen na een zwangerschapsduur van 24+0 weken of langer, "
    "één per zwangerschap."
)
_LIVE_BIRTHS_KNOWN_MOTHER = "Levendgeborenen van wie de moeder bekend is."
_LIVE_BIRTHS_KNOWN_MOTHER_YEAR = "Levendgeborenen in het verslagjaar van wie de moeder bekend is."
_NO_KRAAMZORG = (
    "Levendgeborenen van wie de moeder geen declaratie van kraamzorg in uren heeft in of na de "
    "maand van de bevalling."
)
_RISK_FACTORS = (
    "risicofactoren, elk één keer geteld als die bij de moeder, de vader of beiden aanwezig is: "
    "een huishoudinkomen onder P10 (van het huishouden van de moeder of dat van de vader; "
    "percentiel 1-9); kosten van geestelijke gezondheidszorg (GGZ); psychofarmaca (ATC4 "
    "N05A-N05C, N06A-N06C); problematische schulden (WSNP of premieachterstand); detentie (in "
    "het verslagjaar of het jaar ervoor); hoge zorgkosten in het jaar vóór het begin van de "
    "zwangerschap (zie de parameters); echtscheiding van een ouder; overlijden van een partner "
    "(de andere juridische ouder, dus alleen als beide ouders bekend zijn). Inkomen, GGZ, "
    "psychofarmaca en schulden: het verslagjaar."
)
_RISK_POPULATION = (
    "Levendgeborenen in het verslagjaar (CBS-personen met een koppeling aan hun juridische "
    "ouders), of de moeder en de vader nu bekend zijn of niet. Bij een geboorte zonder bekende "
    "moeder tellen de factoren van de vader; een geboorte zonder bekende ouders heeft geen "
    "factoren (de run meldt hoeveel dat er zijn)."
)
_RISK_TIME = (
    "Geboortejaar. Hoge zorgkosten: het jaar vóór het jaar waarin de zwangerschap begon "
    "(geboortedatum min zwangerschapsduur), één of twee jaar vóór het geboortejaar. "
    "Echtscheiding en overlijden van een partner: het geboortejaar of het aantal kalenderjaren "
    "ervoor dat de parameters geven."
)
_JGZ_TWO = "Kinderen met een JGZ-contact rond de leeftijd van twee jaar in het verslagjaar"
_MOTHERS_YEAR = "Moeders van levendgeborenen in het verslagjaar (één per moeder per jaar)."
_BIRTHS_24 = (
    "Levend- en doodgeborenen met een zwangerschapsduur van 24+0 weken of langer, geboren in het "
    "verslagjaar."
)
_BIRTHS_22 = (
    "Levend- en doodgeborenen met een zwangerschapsduur van 22+0 weken of langer, geboren in het "
    "verslagjaar."
)
_LIVE_BIRTHS_24 = (
    "Levendgeborenen met een zwangerschapsduur van 24+0 weken of langer, geboren in het "
    "verslagjaar."
)
_BIG2_2019 = (
    "Kinderen geboren vóór 37+0 weken zwangerschapsduur (vroeggeboorte) en/of met een "
    "geboortegewicht onder P10 (te klein voor de zwangerschapsduur, SGA; Hoftiezer-curven 2019)."
)
_PRETERM_2019 = (
    "Kinderen geboren vóór 37+0 weken zwangerschapsduur (vroeggeboorte; Hoftiezer-curven 2019)."
)
_SGA_2019 = (
    "Kinderen met een geboortegewicht onder P10 voor geslacht en zwangerschapsduur (te klein "
    "voor de zwangerschapsduur, SGA; Hoftiezer-curven 2019)."
)


def _debts_2019(what: str) -> DutchDefinition:
    return DutchDefinition(
        population=_DEBTS_WOMEN,
        numerator=f"Vrouwen met {what} in het jaar van de bevalling.",
        denominator=_ALL_WOMEN,
        time_reference=_YEAR_OF_DELIVERY,
    )


def _risk_factors(how_many: str) -> DutchDefinition:
    return DutchDefinition(
        population=_RISK_POPULATION,
        numerator=f"Levendgeborenen met {how_many} van de acht {_RISK_FACTORS}",
        denominator="Alle levendgeborenen van het verslagjaar.",
        time_reference=_RISK_TIME,
    )


def _births(population: str, numerator: str) -> DutchDefinition:
    return DutchDefinition(
        population=population,
        numerator=numerator,
        denominator=_ALL_CHILDREN,
        time_reference=_YEAR_OF_BIRTH,
    )


_ARREARS = "een premieachterstand zorgverzekering van zes maanden of langer (wanbetaler)"
_WSNP = "schuldsanering (WSNP)"

_VULNERABLE = DutchDefinition(
    population="Levendgeborenen in het verslagjaar van wie de moeder bekend is en voor wie "
    "vulnerability_predictions een voorspelling voor het geboortejaar bevat.",
    numerator="Levendgeborenen van wie de moeder als meervoudig kwetsbaar is ingedeeld: de "
    "latente klasse 'multidimensionale kwetsbaarheid' van Molenaar e.a. (2023), voorspeld uit "
    "31 registervariabelen door de classifier van fase 2 (kansrijk vulnerability predict), "
    "geteld zoals beschreven bij de afwijkingen.",
    denominator="Al deze levendgeborenen (met een bekende moeder en een voorspelling).",
    time_reference="Geboortejaar; de voorspellers beschrijven het jaar vóór de geboorte (of "
    "het geboortejaar; zie de vensters van de voorspellers).",
)

#: The Dutch text of the interval choice of 2023-11 and 2024-14 (the English one is the
#: deviation ``kansrijk.indicators.catalogue.VULNERABILITY_INTERVAL``).
VULNERABILITY_INTERVAL_NL = (
    "Het 95%-betrouwbaarheidsinterval bevat naast de steekproefonzekerheid ook de onzekerheid "
    "door de imputatie: per cel wordt de prevalentie p_k van elke imputatie (de som van haar "
    "kansen over de geboorten van de cel, gedeeld door het aantal geboorten n) gecombineerd "
    "met de regels van Rubin, W = gemiddelde van p_k(1 - p_k)/n, B = variantie van de p_k, "
    "T = W + (1 + 1/m)B, met Rubins vrijheidsgraden. Het interval is het gebruikelijke "
    "Wilson-interval van de monitor rond het gepubliceerde cijfer, met n vervangen door het "
    "effectieve aantal nW/T en het normale kwantiel door dat van Student's t: gelijk aan het "
    "gewone interval als de imputaties overeenkomen, breder als ze verschillen, nooit buiten "
    "0-100% (kansrijk.engine.vulnerability). Het gepubliceerde cijfer blijft het getrokken "
    "aantal gedeeld door het aantal geboorten, niet het gemiddelde Q van de p_k: de "
    "privacybescherming en lezers hebben gehele aantallen nodig die van gemeenten optellen "
    "tot provincies en Nederland, en het getrokken aandeel schat de prevalentie met ongeveer "
    "dezelfde variantie T, zodat het cijfer altijd binnen zijn interval ligt. Het verschilt "
    "alleen door de trekking van Q (standaardafwijking hoogstens sqrt(Q(1 - Q)/n))."
)


DEFINITIONS_NL: dict[str, DutchDefinition] = {
    "2023-11": _VULNERABLE,
    "2024-14": _VULNERABLE,
    # --- the 2019 set (editions 2019-2023) ---
    "2019-07": DutchDefinition(
        population="Zwangerschappen van 24+0 weken of langer die in het verslagjaar eindigden, "
        "één per zwangerschap (het record van het eerstgeboren kind).",
        numerator=_LATE_ANTENATAL_CARE,
        denominator=_ALL_PREGNANCIES,
        time_reference=_YEAR_OF_BIRTH,
    ),
    "2019-08": _debts_2019(f"{_WSNP} en/of {_ARREARS}"),
    "2019-08a": _debts_2019(_ARREARS),
    "2019-08b": _debts_2019(_WSNP),
    "2019-10": DutchDefinition(
        population=f"{_LIVE_BIRTHS_KNOWN_MOTHER_YEAR[:-1]} (kraamzorg is zorg voor de moeder: "
        "levendgeborenen zonder bekende moeder tellen niet mee).",
        numerator=_NO_KRAAMZORG,
        denominator=_LIVE_BIRTHS_KNOWN_MOTHER,
        time_reference=_YEAR_OF_BIRTH,
    ),
    "2019-11": _risk_factors("drie of meer"),
    "2019-11-0": _risk_factors("geen van de"),
    "2019-11-1": _risk_factors("precies één"),
    "2019-11-2": _risk_factors("precies twee"),
    "2019-12": _births(_BIRTHS_24, _BIG2_2019),
    "2019-12a": _births(_BIRTHS_24, _PRETERM_2019),
    "2019-12b": _births(_BIRTHS_24, _SGA_2019),
    "2019-13": DutchDefinition(
        population=f"{_JGZ_TWO} bij wie beide Van Wiechen-kenmerken zijn gescoord.",
        numerator="Kinderen die negatief scoren op zowel 'zegt zinnen van twee woorden' als "
        "'wijst zes lichaamsdelen aan'.",
        denominator="Kinderen bij wie beide kenmerken zijn gescoord.",
        time_reference=_YEAR_OF_CONTACT,
    ),
    "2019-14": DutchDefinition(
        population=f"{_JGZ_TWO} bij wie lengte en gewicht zijn gemeten.",
        numerator="Kinderen met een BMI op of boven de IOTF-afkapwaarde voor overgewicht "
        "(Cole 2000) voor geslacht en exacte leeftijd.",
        denominator="Kinderen bij wie lengte en gewicht zijn gemeten.",
        time_reference=_YEAR_OF_CONTACT,
    ),
    "2019-15": DutchDefinition(
        population="Levendgeboren kinderen jonger dan twee jaar in het verslagjaar (geboren in "
        "dat jaar of het jaar ervoor, in leven op 1 januari van het verslagjaar) met ten minste "
        "één bekende juridische ouder.",
        numerator="Kinderen met ten minste één dag in het verslagjaar waarop zowel een "
        "kinderbeschermingsmaatregel (ondertoezichtstelling of voogdij: codes 11, 12, 21-23) als "
        "jeugdhulp met verblijf (codes 11-14) liep.",
        denominator=_ALL_CHILDREN,
        time_reference="Verslagjaar.",
    ),
    # --- the 2024 set (editions 2024-2025) ---
    "2024-06": DutchDefinition(
        population="Zwangerschappen van 24+0 weken of langer die in het verslagjaar eindigden, "
        "waarvan de moeder bekend is.",
        numerator="Zwangerschappen waarvan de moeder een declaratie voor een preconceptieconsult "
        "had in de 15 maanden vóór de maand van de bevalling.",
        denominator=_ALL_PREGNANCIES,
        time_reference=_YEAR_OF_DELIVERY,
    ),
    "2024-09": DutchDefinition(
        population="Zwangerschappen van 24+0 weken of langer die in het verslagjaar eindigden.",
        numerator=_LATE_ANTENATAL_CARE,
        denominator=_ALL_PREGNANCIES,
        time_reference=_YEAR_OF_BIRTH,
    ),
    "2024-10": DutchDefinition(
        population=_MOTHERS_YEAR,
        numerator="Moeders die zelf, of van wie de partner, in het verslagjaar schuldsanering "
        "(WSNP) of een premieachterstand zorgverzekering (wanbetaler) had.",
        denominator=_ALL_MOTHERS,
        time_reference=_YEAR_OF_BIRTH,
    ),
    "2024-11": DutchDefinition(
        population=_MOTHERS_YEAR,
        numerator="Moeders die zelf, of van wie de partner, in het verslagjaar GGZ-kosten "
        "(geestelijke gezondheidszorg) of psychofarmaca (ATC4 N05A, N05B, N05C, N06A, N06B, "
        "N06C) had.",
        denominator=_ALL_MOTHERS,
        time_reference=_YEAR_OF_BIRTH,
    ),
    "2024-13": DutchDefinition(
        population="Levendgeborenen in het verslagjaar van wie de moeder bekend is, met "
        "uitzondering van levendgeborenen van wie moeder of kind dat jaar een zorgproduct voor "
        "een lang ziekenhuisverblijf (28 DBC's) had.",
        numerator=_NO_KRAAMZORG,
        denominator="Al deze levendgeborenen.",
        time_reference=_YEAR_OF_BIRTH,
    ),
    "2024-15": _births(
        _BIRTHS_24,
        "Kinderen geboren vóór 37+0 weken zwangerschapsduur en/of met een geboortegewicht onder "
        "P10 (te klein voor de zwangerschapsduur).",
    ),
    "2024-15a": _births(_BIRTHS_24, "Kinderen geboren vóór 37+0 weken zwangerschapsduur."),
    "2024-15b": _births(_BIRTHS_24, "Kinderen geboren vóór 32+0 weken zwangerschapsduur."),
    "2024-15c": _births(
        _BIRTHS_24,
        "Kinderen met een geboortegewicht onder P10 (te klein voor de zwangerschapsduur).",
    ),
    "2024-15-perinatal": _births(
        _BIRTHS_24,
        "Kinderen die vóór, tijdens of in de eerste 28 dagen na de geboorte overleden "
        "(perinatale sterfte).",
    ),
    "2024-15-fetal": _births(_BIRTHS_24, "Doodgeborenen (foetale sterfte)."),
    "2024-15-neonatal": _births(
        _LIVE_BIRTHS_24, "Kinderen die in de eerste 28 dagen overleden (neonatale sterfte)."
    ),
    "2024-15-infant": _births(
        _LIVE_BIRTHS_24, "Kinderen die in het eerste levensjaar overleden (zuigelingensterfte)."
    ),
}

EARLIER_VERSIONS_NL: dict[tuple[str, str], DutchDefinition] = {
    # Version 1 (editions 2019-2020) counted births from 22+0 weeks.
    ("2019-12", "1"): _births(_BIRTHS_22, _BIG2_2019),
    ("2019-12a", "1"): _births(_BIRTHS_22, _PRETERM_2019),
    ("2019-12b", "1"): _births(_BIRTHS_22, _SGA_2019),
}


def dutch_definition(indicator_id: str, version: str | None = None) -> DutchDefinition:
    """The Dutch definition texts of ``indicator_id``.

    Without ``version`` the texts of the latest version; with it, those of that version (the
    latest texts when that version's English texts are the same).
    """
    if version is not None and (indicator_id, version) in EARLIER_VERSIONS_NL:
        return EARLIER_VERSIONS_NL[(indicator_id, version)]
    try:
        return DEFINITIONS_NL[indicator_id]
    except KeyError:
        known = ", ".join(sorted(DEFINITIONS_NL))
        raise KeyError(
            f"no Dutch definition for indicator {indicator_id!r}; add it to "
            f"kansrijk.report.definitions_nl.DEFINITIONS_NL (known ids: {known})"
        ) from None

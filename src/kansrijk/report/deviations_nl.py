"""Dutch texts of the "choices and deviations from RIVM's code" of the indicator definitions.

The catalogue (`kansrijk.indicators.catalogue`) writes each deviation in English, where the
engineers who check it against RIVM's code read it. The Dutch reports print these translations
instead, so a Dutch reader gets the whole factsheet in Dutch.

A translation is keyed by `deviation_key`, a short SHA-256 of the English text, not by the
indicator: many definitions share a deviation (the income one is on 13), and a key that changes
with the English text makes an edited deviation lose its old translation. The completeness test
(tests/unit/report/test_deviations_nl.py) then fails until the Dutch is brought up to date, the
way the definition texts in `kansrijk.report.definitions_nl` are kept complete. Each entry starts
with a comment holding the beginning of its English text, for the reviewer.

Terms as in `definitions_nl`: *verslagjaar* for data year, *levendgeborenen* for live births;
numbers, codes and parameter names are copied unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kansrijk.indicators import Indicator

__all__ = ["DEVIATIONS_NL", "Deviation", "deviation_key", "deviations", "dutch_deviation"]


def deviation_key(english: str) -> str:
    """The key of a deviation: the first 12 hex digits of the SHA-256 of its English text."""
    return hashlib.sha256(english.encode("utf-8")).hexdigest()[:12]


DEVIATIONS_NL: dict[str, str] = {
    # RIVM's code collapses all records without a mother id into one row per year; ...
    "7914654d9647": (
        "De code van RIVM voegt alle records zonder id van de moeder per jaar samen tot één rij; "
        "hier is elk zo'n record een eigen zwangerschap (de bedoelde regel: ontbrekende id's "
        "zijn niet één persoon)."
    ),
    # A missing first-visit day counts in the denominator but not in the numerator, ...
    "f624a5602a6a": (
        "Een ontbrekende dag van het eerste consult telt mee in de noemer maar niet in de "
        "teller, zoals in de code van RIVM."
    ),
    # Perined judged first-visit timing unreliable (it overestimates late starts).
    "71d9ffe8c3e3": (
        "Perined beoordeelt het geregistreerde moment van het eerste consult als onbetrouwbaar "
        "(het aandeel late starters wordt overschat)."
    ),
    # RIVM's 2023 code counts every child record without the 24-week filter; ...
    "0a8a60e07171": (
        "De code van RIVM uit 2023 telt elk kindrecord, zonder de grens van 24 weken; de "
        "definitietekst telt vrouwen die bevallen na 24 weken of langer, en dat wordt hier "
        "berekend (één per zwangerschap)."
    ),
    # WSNP counts when the year lies between the years of admission and end (as RIVM); ...
    "feb28049e447": (
        "Schuldsanering (WSNP) telt mee als het jaar tussen het jaar van toelating en het jaar "
        "van beëindiging ligt (zoals bij RIVM); een premieachterstand als de persoon in het "
        "CAK-register van dat jaar staat."
    ),
    # RIVM links trajectories by mother and year with an inner join, ...
    "324ecd4d3385": (
        "RIVM koppelt trajecten op moeder en jaar en houdt alleen gekoppelde rijen over (inner "
        "join): levendgeborenen zonder Vektis-traject vallen daardoor weg, en een tweede "
        "traject in hetzelfde jaar (bijvoorbeeld een miskraam) telt geboorten dubbel. Hier is "
        "elke levendgeborene met een bekende moeder één eenheid; die heeft kraamzorg als een "
        "traject van de moeder met een bevallingsmaand binnen één maand van de geboortemaand "
        "een declaratie van kraamzorg in uren heeft in of na de bevallingsmaand. Declaraties "
        "voor alleen de intake of alleen de bevalling, en declaraties in uren vóór de "
        "bevallingsmaand, tellen niet mee."
    ),
    # Negative INHATAB percentile codes (special households) are 'unknown' ...
    "e1cc20325a91": (
        "Negatieve percentielcodes in INHATAB (bijzondere huishoudens) zijn 'onbekend' in de "
        "uitsplitsingen naar inkomen; de code van RIVM deelt ze in bij het laagste kwintiel."
    ),
    # RIVM's exact 2021 risk-factor list is not in its public code; ...
    "5cb234a620b1": (
        "De precieze lijst van risicofactoren die RIVM in 2021 gebruikte, staat niet in zijn "
        "openbare code; hier zijn de factoren uitgewerkt die de monitortekst van 2021 noemt."
    ),
    # High costs: our choice of 'high' is a percent rank of the costs of at least 0.9 ...
    "ca5524f86962": (
        "Hoge zorgkosten: onze keuze voor 'hoog' is een percentielrang van de kosten van ten "
        "minste 0,9 (parameter high_cost_min_percent_rank; 0,9 is het hoogste deciel; gelijke "
        "kosten delen de laagste rang, wie geen kostenregel heeft telt als 0), bepaald per "
        "verslagjaar onder de levendgeborenen met die ouder (moeders en vaders elk apart), voor "
        "de moeder of de vader. De kosten zijn alle Zvw-kosten min die van geboortezorg en "
        "kraamzorg (ZVWKGEBOORTEZORG)."
    ),
    # The year the pregnancy began is that of the birth date minus the gestational age ...
    "6d99b0e4384b": (
        "Het jaar waarin de zwangerschap begon, is het jaar van de geboortedatum min de "
        "zwangerschapsduur uit het Perined-record dat aan het kind gekoppeld is (via het "
        "persoonsnummer van het kind; de kortste als er meer zijn). Is er geen gekoppeld "
        "record, dan wordt uitgegaan van 280 dagen (parameter assumed_gestational_days). "
        "Ontbreekt dat jaar in de kostentabel, dan heeft niemand hoge kosten."
    ),
    # Divorce of either parent (matched on either partner field of the divorce register) ...
    "04adf0c05e6c": (
        "Echtscheiding van een van de ouders (gezocht in beide partnervelden van het "
        "echtscheidingsregister) in het geboortejaar of de 4 kalenderjaren ervoor (parameter "
        "divorce_years_before); overlijden van een partner (de moeder of de vader, als beide "
        "ouders bekend zijn) in het geboortejaar of de 4 kalenderjaren ervoor (parameter "
        "partner_death_years_before). Dit zijn onze eigen, gedocumenteerde keuzes."
    ),
    # Live births without a known mother stay in the population and count the father's ...
    "46cf85d04194": (
        "Levendgeborenen zonder bekende moeder blijven in de populatie en tellen met de "
        "factoren van de vader, op het adres van de vader op 30 juni; geboorten zonder bekende "
        "ouders tellen met 0 factoren in de onbekende rest NL00. Hun aantal staat in de "
        "samenvatting van de berekening en in het interne manifest (nooit gepubliceerd: zo is "
        "er geen tweede regel voor kleine aantallen nodig)."
    ),
    # SGA uses Perined's supplied Hoftiezer percentile (< 10) where present, ...
    "4f7cc2f9a208": (
        "Te klein voor de zwangerschapsduur (SGA): het Hoftiezer-percentiel dat Perined levert "
        "(< 10) als dat er is; anders wordt het gewicht vergeleken met de Hoftiezer-P10 van "
        "2019 voor geslacht en zwangerschapsdag (na dag 294 geldt dag 294; vóór 161 dagen, of "
        "bij onbekend geslacht of gewicht: geen SGA, maar wel in de noemer, zoals in de code "
        "van RIVM)."
    ),
    # Editions 2019-2020 counted births from 22 weeks; from 2021 from 24 weeks, as Perined.
    "8d3af1163d3a": (
        "De edities 2019-2020 telden geboorten vanaf 22 weken; vanaf 2021 vanaf 24 weken, "
        "zoals Perined."
    ),
    # Only JGZ organisations that deliver data are covered (20 of 36 in 2018-2020): ...
    "46a098df8c23": (
        "Alleen JGZ-organisaties die gegevens aanleveren, tellen mee (20 van de 36 in "
        "2018-2020): de landelijke cijfers zijn niet representatief voor heel Nederland."
    ),
    # Cut-offs are interpolated linearly between half-year ages.
    "b403a2522f5a": (
        "De afkapwaarden worden lineair geïnterpoleerd tussen de leeftijden per half jaar."
    ),
    # RIVM's code tests the overlap of the protection measure and youth care with residence ...
    "a4101e46ede5": (
        "De code van RIVM toetst de overlap van de kinderbeschermingsmaatregel en jeugdhulp met "
        "verblijf met OF (bijna altijd waar); hier moeten beide perioden elkaar overlappen (EN), "
        "en moet die overlap in het verslagjaar vallen."
    ),
    # Children who died before 1 January of the data year are not children under two ...
    "39f5b9768a2f": (
        "Kinderen die vóór 1 januari van het verslagjaar overleden zijn, zijn in dat jaar geen "
        "kinderen onder de twee jaar en tellen niet mee in de noemer; de code van RIVM telt ze "
        "wel mee (net als geëmigreerde kinderen). Een kind dat in het verslagjaar overlijdt, "
        "telt in dat jaar mee."
    ),
    # Vulnerability breakdown: the mother's predicted multidimensional vulnerability ...
    "167fbf39a72d": (
        "Uitsplitsing naar kwetsbaarheid: de voorspelde meervoudige (multidimensionale) "
        "kwetsbaarheid van de moeder in het geboortejaar (getrokken zoals bij 2023-11 en "
        "2024-14, niet het label uit imputatie 1 dat RIVM gebruikt); onbekend zonder "
        "voorspelling (geen vulnerability_predictions aangeleverd, geen voorspelling voor die "
        "moeder in dat jaar, of geen bekende moeder)."
    ),
    # RIVM counts a child as vulnerable by the per-child label of imputation 1 ...
    "64107bafc90e": (
        "RIVM telt een kind als kwetsbaar met het label per kind uit imputatie 1 (een kans op of "
        "boven de drempel die de F1-score maximaliseert). Dat label overschat het aandeel (fase "
        "2 op synthetische gegevens: 8,8% gelabeld tegen 6,0% ingebracht). Hier wordt het label "
        "daarom getrokken: een moeder telt in een jaar als kwetsbaar als u < p, met p de "
        "gemiddelde voorspelde kans over de aangeleverde imputaties en u een uniform verdeeld "
        "getal dat vastligt door het pseudoniem van de moeder, het geboortejaar en de model-id "
        "(de eerste 32 bits van MD5; kansrijk.engine.vulnerability). De aantallen zijn gehele "
        "getallen, bij elke berekening gelijk, en hun verwachting is de som van de kansen (de "
        "schatting van de prevalentie volgens het model)."
    ),
    # The 95% interval includes the imputation uncertainty as well as sampling: ...
    "4c53726fb978": (
        "Het 95%-interval bevat naast de steekproefonzekerheid ook de onzekerheid door het "
        "imputeren: per cel wordt de prevalentie p_k van elke imputatie (de som van haar kansen "
        "over de geboorten in de cel, gedeeld door het aantal geboorten n) gecombineerd met de "
        "regels van Rubin: W = het gemiddelde van p_k(1 - p_k)/n, B = de variantie van de p_k, "
        "T = W + (1 + 1/m)B, met de vrijheidsgraden van Rubin. Het interval is het "
        "Wilson-interval van de gepubliceerde waarde, met n vervangen door het effectieve "
        "aantal nW/T en het kwantiel van de normale verdeling door dat van de t-verdeling: het "
        "gewone interval als de imputaties overeenkomen, breder als ze verschillen, en nooit "
        "buiten 0-100% (kansrijk.engine.vulnerability). De gepubliceerde waarde blijft het "
        "getrokken aantal gedeeld door het aantal geboorten, niet het gemiddelde Q van de p_k: "
        "de privacycontrole en de lezer hebben gehele aantallen nodig die optellen van "
        "gemeenten naar provincies en Nederland, en het getrokken aandeel schat de prevalentie "
        "met ongeveer dezelfde variantie T, zodat de waarde altijd binnen haar interval ligt. "
        "Ze verschilt van Q alleen door de trekking (standaardafwijking ten hoogste "
        "sqrt(Q(1 - Q)/n))."
    ),
    # The predictions are per mother and birth year (data contract 1.2): ...
    "a219229ae110": (
        "De voorspellingen zijn per moeder en geboortejaar (datacontract 1.2): elke "
        "levendgeborene van die moeder in dat jaar (een tweeling, twee bevallingen in één jaar) "
        "krijgt haar label. RIVM koppelt ze per kind."
    ),
    # RIVM's 2023 base is the model's population, every Perined record of a known mother ...
    "b0eceec8da44": (
        "De noemer van RIVM in 2023 is de populatie van het model: elk Perined-record van een "
        "bekende moeder (doodgeboorten inbegrepen); in 2024 de geboorten volgens CBS. Hier: de "
        "levendgeborenen volgens CBS, zoals de definitietekst zegt ('levendgeborenen')."
    ),
    # RIVM's code takes as denominator every mother in the Vektis birth-care details file; ...
    "eaed84af4db0": (
        "De code van RIVM neemt als noemer elke moeder in het Vektis-bestand met de details van "
        "de geboortezorg; hier de zwangerschappen van het verslagjaar, zodat het aandeel over "
        "nieuwe moeders gaat."
    ),
    # RIVM groups by mother id only, so all births without a mother id become one row; ...
    "3a09abfdf301": (
        "RIVM groepeert alleen op het id van de moeder, zodat alle geboorten zonder id van de "
        "moeder samen één rij worden; hier tellen ze niet mee (er is geen moeder om te "
        "beschrijven)."
    ),
    # RIVM's 2024 code never computes the partner's value (psych_prob_Pa); ...
    "7b95280cbea6": (
        "De code van RIVM uit 2024 berekent de waarde van de partner nooit (psych_prob_Pa); hier "
        "geldt de bedoelde regel per ouder (bevestigd door de code uit 2025)."
    ),
    # GGZ costs: basic + specialist before 2022, the zorgprestatiemodel column from 2022.
    "899d0b276d6c": (
        "GGZ-kosten: basis-GGZ + specialistische GGZ vóór 2022, de kolom van het "
        "zorgprestatiemodel vanaf 2022."
    ),
    # RIVM's table per outcome shows the distribution of a breakdown within the outcome; ...
    "e4ef04e0616f": (
        "De tabel van RIVM per uitkomst toont de verdeling van een uitsplitsing binnen de "
        "uitkomst; hier wordt per groep van de uitsplitsing het cijfer van de uitkomst berekend."
    ),
    # RIVM's 2024 code keeps one row per mother and year (which child is file order) ...
    "650fa0bf79e5": (
        "De code van RIVM uit 2024 houdt één rij per moeder en jaar (welk kind dat is, hangt af "
        "van de volgorde in het bestand) en houdt een ontbrekende voorspelling als eigen groep; "
        "hier is elke levendgeborene een eenheid en vallen levendgeborenen zonder voorspelling "
        "buiten de noemer."
    ),
}


def dutch_deviation(english: str) -> str:
    """The Dutch translation of one English deviation text; KeyError if there is none."""
    key = deviation_key(english)
    try:
        return DEVIATIONS_NL[key]
    except KeyError:
        raise KeyError(
            f"no Dutch text for deviation {key} ({english[:60]!r}...): add it to "
            "kansrijk.report.deviations_nl.DEVIATIONS_NL"
        ) from None


@dataclass(frozen=True)
class Deviation:
    """One deviation as a report prints it: the text and the language it is in."""

    text: str
    lang: str


def deviations(indicator: Indicator, lang: str = "nl") -> list[Deviation]:
    """The deviations of ``indicator`` in ``lang``. A Dutch report falls back to the English
    text (marked ``lang="en"``) only for a deviation without a translation, which the
    completeness test forbids for every definition in the catalogue."""
    out = []
    for english in indicator.deviations:
        if lang == "nl" and deviation_key(english) in DEVIATIONS_NL:
            out.append(Deviation(DEVIATIONS_NL[deviation_key(english)], "nl"))
        else:
            out.append(Deviation(english, "en"))
    return out

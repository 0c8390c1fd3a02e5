"""The words of the reports, in Dutch and English.

Core code cannot use Django's i18n (the web app has its own catalogue), so the report texts live
here as (Dutch, English) pairs; `text` picks one. Dutch is the default everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from kansrijk.indicators import Indicator
from kansrijk.indicators.model import BREAKDOWNS, Phase
from kansrijk.publication import HIDDEN_EN, HIDDEN_NL, NL, Region

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = ("nl", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "national_title": ("Monitor Kansrijke Start", "Solid Start monitor"),
    "national_subtitle": (
        "Landelijke indicatoren uit registers: de eerste 1000 dagen van kinderen in Nederland",
        "National registry indicators: the first 1000 days of children in the Netherlands",
    ),
    "local_title": ("Lokale monitor Kansrijke Start", "Local Solid Start monitor"),
    "dashboard": ("Dashboard", "Dashboard"),
    "skip": ("Naar de inhoud", "Skip to content"),
    "breakdown": ("Uitsplitsing", "Breakdown"),
    "group": ("Groep", "Group"),
    "position": ("Positie", "Position"),
    "period": ("Periode", "Period"),
    "not_in_run": ("niet berekend", "not computed"),
    "map_caption": (
        "{title}, per gemeente ({period}, gemeentelijke indeling {year}). Grijs gearceerd: "
        "verborgen (privacy).",
        "{title}, by municipality ({period}, municipal boundaries of {year}). Grey: hidden "
        "(privacy).",
    ),
    "trend_caption": ("{title}, {first}-{last}", "{title}, {first}-{last}"),
    "breakdown_caption": (
        "{title}, uitgesplitst ({year}, Nederland)",
        "{title} by group ({year}, the Netherlands)",
    ),
    "funnel_caption": (
        "{title}: gemeenten naar aantal en waarde ({period}) met de 95%- en 99,8%-grenzen rond "
        "het landelijk gemiddelde.",
        "{title}: municipalities by size and value ({period}) with the 95% and 99.8% limits "
        "around the national average.",
    ),
    "local_intro": (
        "{name} vergeleken met {province} en Nederland, per fase van de eerste 1000 dagen. "
        "Cijfers van het laatste jaar ({year}) met 95%-betrouwbaarheidsinterval; waar één jaar "
        "te klein is, staat het cijfer over 5 jaar samen.",
        "{name} compared with {province} and the Netherlands, per phase of the first 1000 "
        "days. Figures of the latest year ({year}) with 95% confidence intervals; where one "
        "year is too small, the figure over 5 years pooled.",
    ),
    "hidden_count": (
        "{n} cijfers van deze gemeente zijn verborgen (privacy).",
        "{n} figures of this municipality are hidden (privacy).",
    ),
    "contents": ("Inhoud", "Contents"),
    "latest": ("Laatste cijfer", "Latest figure"),
    "year": ("Jaar", "Year"),
    "source": ("Bron", "Source"),
    "trend": ("Trend", "Trend"),
    "since": ("sinds", "since"),
    "up": ("gestegen", "risen"),
    "down": ("gedaald", "fallen"),
    "stable": ("geen significante verandering", "no significant change"),
    "desired": ("de gewenste kant op", "in the desired direction"),
    "undesired": ("de ongewenste kant op", "in the undesired direction"),
    "no_trend": ("te weinig jaren voor een trend", "too few years for a trend"),
    "definition": ("Definitie", "Definition"),
    "population": ("Populatie", "Population"),
    "numerator": ("Teller", "Numerator"),
    "denominator": ("Noemer", "Denominator"),
    "time_reference": ("Peilmoment", "Time reference"),
    "region_rule": ("Regio-indeling", "Region rule"),
    "direction": ("Gewenste richting", "Desired direction"),
    "lower": ("lager is beter", "lower is better"),
    "higher": ("hoger is beter", "higher is better"),
    "deviations": (
        "Keuzes en afwijkingen van RIVM's code",
        "Choices and deviations from RIVM's code",
    ),
    "version": ("Versie", "Version"),
    "trend_chart": ("Verloop in de tijd", "Over time"),
    "breakdown_chart": ("Uitsplitsingen", "Breakdowns"),
    "map": ("Kaart per gemeente", "Map by municipality"),
    "caveats": ("Let op bij de cijfers", "Data caveats"),
    "table": ("Tabel", "Table"),
    "region": ("Regio", "Region"),
    "value": ("Waarde", "Value"),
    "interval": ("95%-betrouwbaarheidsinterval", "95% confidence interval"),
    "ci": ("95%-BI", "95% CI"),
    "n": ("Aantal", "Count"),
    "hidden": ("verborgen", "hidden"),
    "hidden_long": (HIDDEN_NL, HIDDEN_EN),  # what a hidden cell says: never why
    "no_data": ("geen gegevens", "no data"),
    "pooled": ("5 jaar samen", "5 years pooled"),
    "pooled_long": (
        "Cijfer over meerdere jaren samen, voor gemeenten waar één jaar te klein is",
        "Figure over several years together, for municipalities where one year is too small",
    ),
    "funnel": ("Positie in de trechter", "Funnel-plot position"),
    "funnel_above": ("boven het landelijk verwachte bereik", "above the expected national range"),
    "funnel_below": ("onder het landelijk verwachte bereik", "below the expected national range"),
    "funnel_within": ("binnen het verwachte bereik", "within the expected range"),
    "funnel_none": ("geen positie (verborgen of te klein)", "no position (hidden or too small)"),
    "funnel_chart": ("Vergelijking met andere gemeenten", "Compared with other municipalities"),
    "programme_status": ("Stand van zaken Kansrijke Start", "Solid Start programme status"),
    "programme_unknown": (
        "Geen gegevens uit het coalitieregister of de gemeentevragenlijst.",
        "No data from the coalition registry or the municipal questionnaire.",
    ),
    # -- the local monitor's group of similar municipalities (issue 17) --
    "group_column": ("Vergelijkbare gemeenten", "Similar municipalities"),
    "group_title": ("Vergelijkbare gemeenten", "Similar municipalities"),
    "group_intro": (
        "{name} wordt ook vergeleken met {n} gemeenten die erop lijken: {urbanisation}, met "
        "{size}. De klassen zijn die van het CBS (stedelijkheid naar de "
        "omgevingsadressendichtheid, gemeentegrootte naar het aantal inwoners), voor de "
        "gemeentelijke indeling {year}.",
        "{name} is also compared with {n} municipalities like it: {urbanisation}, with {size}. "
        "The classes are CBS's (urbanisation by address density, size by number of "
        "inhabitants), for the municipal boundaries of {year}.",
    ),
    "group_widened": (
        "{name} zelf is {own_urbanisation} met {own_size}; met precies dezelfde klassen waren er "
        "minder dan {minimum} andere gemeenten, daarom is de groep verbreed naar de naastliggende "
        "klassen.",
        "{name} itself is {own_urbanisation} with {own_size}; with exactly the same classes there "
        "were fewer than {minimum} other municipalities, so the group was widened to the adjacent "
        "classes.",
    ),
    "group_method": (
        "Het cijfer van de groep is de som van de gepubliceerde tellers gedeeld door de som van "
        "de gepubliceerde noemers van de gemeenten in de groep. Verborgen cijfers tellen niet "
        "mee; met minder dan {minimum} gepubliceerde gemeenten is er geen groepscijfer. Wie de "
        "publicatie heeft, kan het zelf narekenen. Waar het jaarcijfer van {name} verborgen is, "
        "is ook de groep over dezelfde jaren samen genomen.",
        "The group's figure is the sum of the published numerators divided by the sum of the "
        "published denominators of the municipalities in the group. Hidden figures are left "
        "out; with fewer than {minimum} published municipalities there is no group figure. "
        "Anyone with the publication can recompute it. Where the yearly figure of {name} is "
        "hidden, the group is taken over the same years pooled as well.",
    ),
    "group_members": ("De {n} gemeenten in de groep", "The {n} municipalities in the group"),
    "group_no_classes": (
        "Deze publicatie heeft geen indeling van gemeenten naar stedelijkheid en grootte (niet "
        "aangeleverd bij de berekening): er is geen groep vergelijkbare gemeenten.",
        "This publication has no classification of municipalities by urbanisation and size (not "
        "delivered with the run): there is no group of similar municipalities.",
    ),
    "group_unclassified": (
        "{name} heeft in deze publicatie geen klasse voor stedelijkheid en grootte: er is geen "
        "groep vergelijkbare gemeenten.",
        "{name} has no urbanisation and size class in this publication: there is no group of "
        "similar municipalities.",
    ),
    "group_published": (
        "{n} van {m} gemeenten gepubliceerd",
        "{n} of {m} municipalities published",
    ),
    "group_sentence": ("Vergelijkbare gemeenten ({period})", "Similar municipalities ({period})"),
    "group_too_few": (
        "geen groepscijfer: minder dan {minimum} gemeenten gepubliceerd",
        "no group figure: fewer than {minimum} municipalities published",
    ),
    "urbanisation_range": ("stedelijkheid {classes}", "urbanisation {classes}"),
    "size_range": ("gemeentegrootte {classes}", "size {classes}"),
    "urbanisation_1": ("zeer sterk stedelijk", "very strongly urban"),
    "urbanisation_2": ("sterk stedelijk", "strongly urban"),
    "urbanisation_3": ("matig stedelijk", "moderately urban"),
    "urbanisation_4": ("weinig stedelijk", "hardly urban"),
    "urbanisation_5": ("niet stedelijk", "not urban"),
    "size_1": ("minder dan 20.000 inwoners", "fewer than 20,000 inhabitants"),
    "size_2": ("20.000 tot 50.000 inwoners", "20,000 to 50,000 inhabitants"),
    "size_3": ("50.000 tot 100.000 inwoners", "50,000 to 100,000 inhabitants"),
    "size_4": ("100.000 tot 250.000 inwoners", "100,000 to 250,000 inhabitants"),
    "size_5": ("250.000 inwoners of meer", "250,000 inhabitants or more"),
    "class_or": ("of", "or"),
    # -- phases without a registry indicator --
    "phase_empty": (
        "Deze editie van de monitor ({edition}) heeft voor deze fase geen registerindicator.",
        "This edition of the monitor ({edition}) has no registry indicator for this phase.",
    ),
    "phase_later": (
        "Indicator {id} ({title}) komt met de indicatorenset {set} (editie {editions}).",
        "Indicator {id} ({title}) comes with the {set} indicator set (edition {editions}).",
    ),
    "phase_skipped": (
        "Indicator {id} ({title}) hoort bij deze editie, maar is in deze berekening niet "
        "meegenomen (niet gevraagd, of de gegevens ervoor zijn niet aangeleverd).",
        "Indicator {id} ({title}) belongs to this edition, but this run did not compute it (not "
        "requested, or its data were not delivered).",
    ),
    "phase_programme": (
        "Programma-indicatoren voor deze fase",
        "Programme indicators for this phase",
    ),
    "phase_no_programme": (
        "De stand van zaken van het programma heeft voor deze fase geen gegevens.",
        "The programme status holds nothing for this phase.",
    ),
    # -- pooled municipal breakdowns --
    "pooled_breakdowns_hidden": (
        "Uitsplitsingen van {name}, {period} samen: alle verborgen (privacy).",
        "Breakdowns of {name}, {period} pooled: all hidden (privacy).",
    ),
    "pooled_breakdowns_caption": (
        "{title} ({unit}) uitgesplitst, {period} samen: {name}, {province} en Nederland",
        "{title} ({unit}) by group, {period} pooled: {name}, {province} and the Netherlands",
    ),
    "municipality": ("Gemeente", "Municipality"),
    "province": ("Provincie", "Province"),
    "netherlands": ("Nederland", "Netherlands"),
    "phase": ("Fase", "Phase"),
    "run": ("Berekening", "Run"),
    "run_note": (
        "Berekend met Kansrijk {version}, run {run_id}, editie {edition}, gemeentelijke indeling "
        "{classification_year}, drempel {threshold}.",
        "Computed with Kansrijk {version}, run {run_id}, edition {edition}, municipal "
        "classification {classification_year}, threshold {threshold}.",
    ),
    "synthetic_data": ("Synthetische gegevens", "Synthetic data"),
    "synthetic_note": (
        "deze cijfers komen uit een gegenereerde, fictieve populatie en zeggen niets over "
        "echte gemeenten of personen.",
        "these figures come from a generated, fictitious population and say nothing about "
        "real municipalities or people.",
    ),
    "privacy_note": (
        "Cellen met minder dan {threshold} personen in teller, noemer of complement, en cellen "
        "waaruit die terug te rekenen zijn, zijn verborgen.",
        "Cells with fewer than {threshold} persons in numerator, denominator or complement, "
        "and cells they could be derived from, are hidden.",
    ),
    "generated": ("Gemaakt op", "Generated on"),
    "back_to_top": ("Terug naar boven", "Back to top"),
    # The explanation box of a model-based indicator (2023-11, 2024-14: kansrijk.report.model_note).
    "model_title": (
        "Over dit cijfer: een voorspelling, geen diagnose",
        "About this figure: a prediction, not a diagnosis",
    ),
    "model_is_label": ("Wat het is", "What it is"),
    "model_is": (
        "Het aandeel kinderen van wie de moeder volgens een voorspelmodel hoort bij de groep "
        "met meervoudige (multidimensionale) kwetsbaarheid. Die groep is met "
        "latente-klassenanalyse gevonden in de GGD Gezondheidsmonitor (Molenaar e.a., 2023: "
        "ongeveer 6% van de zwangere vrouwen). Een random forest voorspelt wie erbij hoort uit "
        "ongeveer 31 registervariabelen van CBS, zoals inkomen, opleiding, schulden, zorgkosten, "
        "GGZ-gebruik en woonsituatie; ontbrekende gegevens zijn meervoudig geïmputeerd (MICE).",
        "The share of children whose mother, according to a prediction model, belongs to the "
        "group with multidimensional vulnerability. That group was found by latent class "
        "analysis in the GGD Health Monitor survey (Molenaar et al., 2023: about 6% of pregnant "
        "women). A random forest predicts who belongs to it from about 31 CBS registry "
        "variables, such as income, education, debts, care costs, mental health care and "
        "housing; missing data are multiply imputed (MICE).",
    ),
    "model_is_not_label": ("Wat het niet is", "What it is not"),
    "model_is_not": (
        "Geen diagnose en geen oordeel over een gezin. Het model is gemaakt voor cijfers over "
        "groepen; het is niet bedoeld en niet geschikt om gezinnen te selecteren of om "
        "beslissingen over zorg of hulp aan een gezin te nemen. Voor een individu kan een "
        "voorspelling fout zijn.",
        "Not a diagnosis and not a judgement of a family. The model is made for figures about "
        "groups; it is not meant, nor fit, to select families or to make decisions about care "
        "or support for a family. For an individual a prediction can be wrong.",
    ),
    "model_count_label": ("Hoe een kind meetelt", "How a child counts"),
    "model_count": (
        "RIVM telt een kind met een drempel op de voorspelde kans die de F1-score maximaliseert; "
        "die drempel overschat het aandeel. Hier telt een kind mee via een vaste trekking uit "
        "de kans van de moeder (gemiddeld over de imputaties): het aantal is gemiddeld gelijk "
        "aan de som van de kansen, en elke berekening geeft hetzelfde getal.",
        "RIVM counts a child by a threshold on the predicted probability that maximises the F1 "
        "score; that threshold overstates the share. Here a child counts by a fixed draw from "
        "the mother's probability (averaged over the imputations): the count equals the sum of "
        "the probabilities on average, and every run gives the same number.",
    ),
    "model_uncertainty_label": ("Onzekerheid", "Uncertainty"),
    "model_uncertainty": (
        "Het 95%-betrouwbaarheidsinterval bevat de steekproefonzekerheid én de onzekerheid "
        "door het imputeren van ontbrekende gegevens (regels van Rubin). Over het model zelf "
        "(hoe goed de voorspelling is) zegt het interval niets.",
        "The 95% confidence interval holds the sampling uncertainty and the uncertainty from "
        "imputing missing data (Rubin's rules). It says nothing about the model itself (how "
        "good the prediction is).",
    ),
    "model_latest": (
        "{region} {period}: {value}% (95%-BI {low}–{high}); met alleen de "
        "steekproefonzekerheid zou het interval {sampling_low}–{sampling_high} zijn.",
        "{region} {period}: {value}% (95% CI {low}–{high}); with sampling uncertainty only, "
        "the interval would be {sampling_low}–{sampling_high}.",
    ),
    "model_interval_details": ("Hoe het interval is berekend", "How the interval is computed"),
    "model_card": (
        "Meer over de gegevens, de prestaties (AUC, F1), de kalibratie, de eerlijkheid en de "
        "grenzen van het model: de modelkaart, docs/vulnerability-model.md in de broncode "
        "van Kansrijk {version}.",
        "More on the data, the performance (AUC, F1), the calibration, fairness and the "
        "limits of the model: the model card, docs/vulnerability-model.md in the source code "
        "of Kansrijk {version}.",
    ),
    "chart_fallback": (
        "De grafiek staat ook als tabel hieronder.",
        "The chart is also given as a table below.",
    ),
    # An indicator RIVM withholds while its source is revised (kansrijk.report.caveats).
    "under_review": ("Wordt herzien", "Under review"),
    "under_review_trend": (
        "niet beoordeeld (het cijfer wordt herzien)",
        "not assessed (the figure is under review)",
    ),
    # Key messages (`kansrijk.report.key_messages`), generated from the published figures.
    "km_title": ("Kernboodschap", "Key message"),
    "km_level": (
        "Laatste gepubliceerde jaar {year}: {value} (95%-BI {low}–{high}).",
        "Latest published year {year}: {value} (95% CI {low}–{high}).",
    ),
    "km_level_counts": (
        "Laatste gepubliceerde jaar {year}: {value} ({numerator} van {denominator}; 95%-BI "
        "{low}–{high}).",
        "Latest published year {year}: {value} ({numerator} of {denominator}; 95% CI "
        "{low}–{high}).",
    ),
    "km_level_hidden": (
        "Het laatste cijfer ({year}) is verborgen (privacy).",
        "The latest figure ({year}) is hidden (privacy).",
    ),
    "km_level_none": ("Er is geen gepubliceerd cijfer.", "There is no published figure."),
    "km_trend_change": (
        "Sinds {since} {change} van {first} naar {last} (p {p}), {direction}.",
        "Since {since} {change} from {first} to {last} (p {p}), {direction}.",
    ),
    "km_trend_stable": (
        "Sinds {since} geen significante verandering ({first} in {since}, {last} in {until}; "
        "p {p}).",
        "No significant change since {since} ({first} in {since}, {last} in {until}; p {p}).",
    ),
    "km_trend_none": (
        "Te weinig gepubliceerde jaren voor een trend.",
        "Too few published years for a trend.",
    ),
    "km_review": (
        "Geen oordeel over de trend of over verschillen tussen groepen: het cijfer wordt herzien.",
        "No judgement of the trend or of differences between groups: the figure is under review.",
    ),
    "km_groups": (
        "Grootste verschillen met het totaal ({total}) in {year}: {groups}.",
        "Largest differences from the total ({total}) in {year}: {groups}.",
    ),
    "km_group_higher": (
        "hoger bij ‘{group}’: {value} (95%-BI {low}–{high})",
        "higher for ‘{group}’: {value} (95% CI {low}–{high})",
    ),
    "km_group_lower": (
        "lager bij ‘{group}’: {value} (95%-BI {low}–{high})",
        "lower for ‘{group}’: {value} (95% CI {low}–{high})",
    ),
    "km_no_groups": (
        "Uitsplitsingen in {year}: geen duidelijke verschillen met het totaal.",
        "Breakdowns in {year}: no clear differences from the total.",
    ),
    "relevance_title": ("Waarom deze indicator", "Why this indicator matters"),
    # The programme indicators 1-6 and 9 (`kansrijk.report.dashboard.programme`).
    "programme_title": (
        "Uitvoering van het programma (indicatoren 1-6 en 9)",
        "Putting the programme into practice (indicators 1-6 and 9)",
    ),
    "programme_intro": (
        "Deze indicatoren tellen gemeenten en organisaties, geen personen: uit de vragenlijst "
        "onder gemeenten (1, 2 en 4) en uit de registraties van landelijke organisaties (3, 5, 6 "
        "en 9), {first}-{last}. Het zijn volledige tellingen; het 95%-betrouwbaarheidsinterval en "
        "de trendtoets geven de toevalsvariatie van een percentage van die omvang aan, geen "
        "steekproeffout.",
        "These indicators count municipalities and organisations, not persons: from the "
        "questionnaire among municipalities (1, 2 and 4) and from the registries of national "
        "organisations (3, 5, 6 and 9), {first}-{last}. They are complete counts; the 95% "
        "confidence interval and the trend test describe the chance variation of a percentage "
        "of that size, not sampling error.",
    ),
    "programme_absent": (
        "De programma-indicatoren 1-6 en 9 (vragenlijst onder gemeenten en registraties van "
        "landelijke organisaties) staan niet in deze factsheet: bij het maken ervan is geen "
        "publicatie van de programma-indicatoren meegegeven.",
        "The programme indicators 1-6 and 9 (questionnaire among municipalities and registries "
        "of national organisations) are not in this factsheet: no publication of the programme "
        "indicators was given when it was made.",
    ),
    "programme_run": (
        "Publicatie van de programma-indicatoren: run {run_id}.",
        "Publication of the programme indicators: run {run_id}.",
    ),
    # The "Ervaringen" section: approved quotes of the experiences study
    # (`kansrijk.report.experiences`, ``--experiences DIR``).
    "experiences_title": ("Ervaringen met Kansrijke Start", "Experiences with Solid Start"),
    "experiences_intro": (
        "Naast de indicatoren laten betrokkenen zelf zien hoe Kansrijke Start in de praktijk "
        "werkt: citaten uit groepsgesprekken en interviews ({rounds}), door twee onderzoekers "
        "geanalyseerd in thema's. Deelnemers gaven toestemming voor anoniem gebruik en om "
        "geciteerd te worden; een citaat staat alleen bij de rol van wie het zei. "
        "Ervaringsdeskundigen en cliënten staan apart.",
        "Besides the indicators, those involved show how Solid Start works in practice: quotes "
        "from group sessions and interviews ({rounds}), analysed into themes by two "
        "researchers. Participants consented to anonymous use and to being quoted; a quote is "
        "attributed by role only. Experts by experience and clients are reported separately. "
        "The quotes are given in Dutch, as they were spoken.",
    ),
    "experiences_local_intro": (
        "Citaten uit gesprekken en interviews met de lokale coalitie van {name} ({rounds}), "
        "door twee onderzoekers geanalyseerd in thema's. Deelnemers gaven toestemming voor "
        "anoniem gebruik en om geciteerd te worden; een citaat staat alleen bij de rol van wie "
        "het zei.",
        "Quotes from group sessions and interviews with the local coalition of {name} "
        "({rounds}), analysed into themes by two researchers. Participants consented to "
        "anonymous use and to being quoted; a quote is attributed by role only. The quotes are "
        "given in Dutch, as they were spoken.",
    ),
    "experiences_professionals": (
        "Zorgverleners, landelijke organisaties en projectleiders",
        "Care providers, national organisations and project leaders",
    ),
    "experiences_experts": (
        "Ervaringsdeskundigen en cliënten",
        "Experts by experience and clients",
    ),
    "experiences_none": (
        "De gepubliceerde ronden van het ervaringenonderzoek bevatten (nog) geen goedgekeurde "
        "citaten.",
        "The published rounds of the experiences study hold no approved quotes (yet).",
    ),
    "experiences_local_none": (
        "Er zijn geen gepubliceerde citaten uit gesprekken met de coalitie van {name}.",
        "There are no published quotes from sessions with the coalition of {name}.",
    ),
    "experiences_dropped": (
        "Weggelaten: {n} citaat/citaten waarin de controle op herleidbare gegevens bij het "
        "maken van dit rapport iets vond.",
        "Left out: {n} quote(s) in which the check for identifying details found something "
        "when this report was made.",
    ),
    "experiences_source": (
        "Bron: ervaringenonderzoek Kansrijke Start, goedgekeurde citaten "
        "(gepubliceerd {published}).",
        "Source: Solid Start experiences study, approved quotes (published {published}).",
    ),
    "programme_summary": ("Overzicht", "Overview"),
    "programme_count": ("Aantal (n van N)", "Count (n of N)"),
    "programme_responding": ("t.o.v. responderende gemeenten", "of responding municipalities"),
    "programme_unknown_answer": ("onbekend (geen antwoord)", "unknown (no answer)"),
    "of": ("van", "of"),
    "indicator": ("Indicator", "Indicator"),
    # The reading guide at the front of the factsheet (`reading_guide`).
    "guide_title": ("Zo leest u de cijfers", "How to read the figures"),
    "guide_ci_label": ("95%-betrouwbaarheidsinterval (95%-BI)", "95% confidence interval (95% CI)"),
    "guide_ci": (
        "Elk cijfer is een meting waarin toeval meespeelt. Het 95%-betrouwbaarheidsinterval "
        "geeft het bereik waarin het werkelijke cijfer met 95% zekerheid ligt: hoe meer "
        "personen, hoe smaller het interval. Overlappen de intervallen van twee cijfers, dan "
        "kan het verschil toeval zijn.",
        "Every figure is a measurement in which chance plays a part. The 95% confidence "
        "interval gives the range in which the true figure lies with 95% confidence: the more "
        "people, the narrower the interval. When the intervals of two figures overlap, the "
        "difference may be chance.",
    ),
    "guide_trend_label": ("Trend", "Trend"),
    "guide_trend": (
        "De trend vergelijkt het eerste met het laatste gepubliceerde jaar (de jaren ertussen "
        "tellen niet mee), met een tweezijdige toets op het verschil tussen twee proporties "
        "(p < 0,05). “Gestegen” of “gedaald” betekent dat het verschil "
        "waarschijnlijk geen toeval is, met erbij of dat de gewenste of de ongewenste kant op "
        "is; “geen significante verandering” betekent dat het verschil ook toeval kan "
        "zijn. Voor een cijfer uit een voorspelmodel worden de gepubliceerde intervallen van "
        "beide jaren vergeleken.",
        "The trend compares the first with the latest published year (the years in between do "
        "not count), with a two-sided test of the difference between two proportions "
        "(p < 0.05). “Risen” or “fallen” means the difference is "
        "probably not chance, with whether that is the desired or the undesired direction; "
        "“no significant change” means the difference may be chance. For a figure "
        "from a prediction model the published intervals of both years are compared.",
    ),
    "guide_funnel_label": ("Trechtergrenzen (99,8%)", "Funnel limits (99.8%)"),
    "guide_funnel": (
        "In de vergelijking met andere gemeenten (de trechterfiguur van de lokale monitor) "
        "staat elke gemeente met haar aantal en haar cijfer. De lijnen geven het bereik rond het "
        "landelijk gemiddelde dat bij dat aantal door toeval te verwachten is (95% en 99,8%). "
        "Alleen een gemeente buiten de 99,8%-grenzen ligt boven of onder het landelijk "
        "verwachte bereik; bij kleine aantallen is de trechter wijd.",
        "In the comparison with other municipalities (the funnel plot of the local monitor) "
        "each municipality is shown with its count and its figure. The lines give the range "
        "around the national average that chance alone produces at that count (95% and 99.8%). "
        "Only a municipality outside the 99.8% limits lies above or below the expected national "
        "range; at small counts the funnel is wide.",
    ),
    "guide_hidden_label": ("Verborgen (privacy)", "Hidden (privacy)"),
    "guide_hidden": (
        "Een cel met minder dan {threshold} personen in de teller, de noemer of het verschil "
        "daartussen, of een cel waaruit zo'n cel terug te rekenen is, wordt niet getoond. Er "
        "staat dan “verborgen”; op de kaart is de gemeente grijs gearceerd. Dat zegt "
        "niets over de hoogte van het cijfer.",
        "A cell with fewer than {threshold} persons in the numerator, the denominator or their "
        "difference, or a cell such a cell could be derived from, is not shown. It then says "
        "“hidden”; on the map the municipality is hatched grey. That says nothing "
        "about the size of the figure.",
    ),
    "guide_pooled_label": ("Samengevoegde perioden", "Pooled periods"),
    "guide_pooled": (
        "Waar één jaar te klein is, staat ook het cijfer over 5 jaar samen (bijvoorbeeld "
        "2016-2020). Zo'n cijfer is een gemiddelde over die jaren: vergelijk het met de cijfers "
        "van andere regio's over dezelfde periode, niet met het cijfer van één jaar. De kaarten "
        "tonen de laatste samengevoegde periode.",
        "Where one year is too small, the figure over 5 years pooled is given as well (for "
        "example 2016-2020). Such a figure is an average over those years: compare it with the "
        "figures of other regions over the same period, not with the figure of a single year. "
        "The maps show the latest pooled period.",
    ),
    # The maps (`maps`): classes, estimates and the sentence that replaces a map.
    "map_below": ("minder dan {high}", "under {high}"),
    "map_between": ("{low} tot {high}", "{low} to under {high}"),
    "map_above": ("{low} of meer", "{low} or more"),
    "map_national_mark": ("{label} (Nederland: {value})", "{label} (Netherlands: {value})"),
    "map_average_mark": ("{label} (gemiddelde: {value})", "{label} (average: {value})"),
    "map_estimate": ("Geschat (kleur)", "Estimated (colour)"),
    "map_shrunk": (
        "Kleur: schatting die kleine gemeenten naar het gemiddelde van hun provincie trekt\n"
        "(empirisch Bayes, alleen uit gepubliceerde aantallen)",
        "Colour: estimate that draws small municipalities toward their province's average\n"
        "(empirical Bayes, from published counts only)",
    ),
    "map_unshrunk": ("Kleur: gepubliceerde waarde", "Colour: published value"),
    "map_no_map_hidden": (
        "Geen kaart: bij {hidden} van de {total} gemeenten ({share}%) is de waarde verborgen "
        "(privacy). Vanaf {limit}% verborgen gemeenten toont het rapport geen kaart, omdat die "
        "vrijwel alleen grijs zou zijn.",
        "No map: the value is hidden (privacy) for {hidden} of the {total} municipalities "
        "({share}%). From {limit}% hidden municipalities the report shows no map, as it would "
        "be almost all grey.",
    ),
    "map_no_map_empty": (
        "Geen kaart: voor deze periode is er voor geen enkele gemeente een waarde.",
        "No map: no municipality has a value for this period.",
    ),
    # The local monitor's download of its own published cells.
    "download_label": (
        "Download de cijfers van {name} (CSV)",
        "Download the figures of {name} (CSV)",
    ),
    "download_note": (
        "Alle gepubliceerde cellen van {name}: een verborgen cel heeft lege getallen en de "
        "opmerking \u201c{hidden}\u201d.",
        "All published cells of {name}: a hidden cell has empty numbers and the note "
        "\u201c{hidden}\u201d.",
    ),
}

#: The parts of the reading guide, in order: (label key, text key).
READING_GUIDE: tuple[tuple[str, str], ...] = (
    ("guide_ci_label", "guide_ci"),
    ("guide_trend_label", "guide_trend"),
    ("guide_funnel_label", "guide_funnel"),
    ("guide_hidden_label", "guide_hidden"),
    ("guide_pooled_label", "guide_pooled"),
)

PHASES: dict[Phase, tuple[str, str]] = {
    Phase.BEFORE: ("Voor de zwangerschap", "Before pregnancy"),
    Phase.DURING: ("Tijdens de zwangerschap", "During pregnancy"),
    Phase.AFTER: ("Na de geboorte", "After birth"),
}

#: Which organisation delivers each registry table (the "source" of a tile).
SOURCE_OWNERS: dict[str, str] = {
    "births": "Perined",
    "maternity_trajectories": "Vektis",
    "maternity_claims": "Vektis",
    "hospital_care_products": "Vektis",
    "healthcare_costs": "Vektis",
    "jgz_contacts": "JGZ",
}
DEFAULT_OWNER = "CBS"

#: The one vocabulary of breakdown values: their Dutch and English labels, and, by their place
#: in this dict, their display order within a breakdown (ja before nee, laag before hoog,
#: kwintiel 1 to 5). "unknown" is always shown last and values not listed (the JGZ
#: organisation codes of the open breakdown) come in natural order before it: see
#: `value_order`. The breakdown names are in `kansrijk.indicators.model.BREAKDOWNS`.
BREAKDOWN_VALUES: dict[str, tuple[str, str]] = {
    "total": ("totaal", "total"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "<P10": ("onder 10e percentiel", "below 10th percentile"),
    ">=P10": ("10e percentiel of hoger", "10th percentile or above"),
    **{f"Q{i}": (f"kwintiel {i}", f"quintile {i}") for i in range(1, 6)},
    "low": ("laag", "low"),
    "middle": ("middelbaar", "middle"),
    "high": ("hoog", "high"),
    "dutch": ("Nederlands", "Dutch"),
    "western": ("westers", "Western"),
    "non_western": ("niet-westers", "non-Western"),
    "unknown": ("onbekend", "unknown"),
}
UNKNOWN = "unknown"
_VALUE_RANK = {value: rank for rank, value in enumerate(BREAKDOWN_VALUES)}

#: A JGZ organisation code (``JGZ`` + 2-3 digits, the open breakdown ``jgz_organisation``). The
#: published run holds no organisation names (the optional registry table
#: ``jgz_organisations`` is not part of it), so a report calls it "JGZ-organisatie 2".
_JGZ_CODE = re.compile(r"^JGZ(\d{2,3})$")
JGZ_ORGANISATION = ("JGZ-organisatie {n}", "JGZ organisation {n}")

#: Who delivers the figures of a programme indicator (`kansrijk.programme.Source` values).
PROGRAMME_SOURCES: dict[str, tuple[str, str]] = {
    "municipal questionnaire": (
        "Vragenlijst onder gemeenten",
        "Questionnaire among municipalities",
    ),
    "GGD GHOR Nederland": ("GGD GHOR Nederland", "GGD GHOR Nederland"),
    "NCJ (Nederlands Centrum Jeugdgezondheid)": (
        "Nederlands Centrum Jeugdgezondheid (NCJ)",
        "Nederlands Centrum Jeugdgezondheid (NCJ)",
    ),
    "Stichting Centering Nederland": (
        "Stichting Centering Nederland",
        "Stichting Centering Nederland",
    ),
}

#: Where a unit is counted (`kansrijk.indicators.model.RegionRule` values), Dutch and English.
REGION_RULES: dict[str, tuple[str, str]] = {
    "mother's address on 30 June of the data year": (
        "adres van de moeder op 30 juni van het verslagjaar",
        "mother's address on 30 June of the data year",
    ),
    (
        "mother's address on 30 June of the data year; without a known mother the father's; "
        "with neither parent known the unknown remainder (NL00)"
    ): (
        "adres van de moeder op 30 juni van het verslagjaar; zonder bekende moeder dat van de "
        "vader; zonder bekende ouders de onbekende rest (NL00)",
        "mother's address on 30 June of the data year; without a known mother the father's; "
        "with neither parent known the unknown remainder (NL00)",
    ),
    "child's registration on 31 December of the data year": (
        "inschrijving van het kind op 31 december van het verslagjaar",
        "child's registration on 31 December of the data year",
    ),
}

UNITS: dict[str, tuple[str, str]] = {"%": ("%", "%"), "per 1,000": ("per 1.000", "per 1,000")}


def text(key: str, lang: Lang = "nl", **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` placeholders filled."""
    nl, en = TEXTS[key]
    chosen = nl if lang == "nl" else en
    return chosen.format(**values) if values else chosen


def class_range(kind: str, classes: tuple[int, int], lang: Lang = "nl") -> str:
    """A class or a range of classes in words: "zeer sterk stedelijk", or "zeer sterk stedelijk
    of sterk stedelijk" for a widened group (``kind``: "urbanisation" or "size")."""
    low, high = classes
    words = [text(f"{kind}_{c}", lang) for c in range(low, high + 1)]
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {text('class_or', lang)} {words[-1]}"


def synthetic_banner(lang: Lang = "nl") -> str:
    """The banner of outputs built from synthetic data: "Synthetische gegevens: deze cijfers
    komen uit een gegenereerde, fictieve populatie ..." (or its English translation)."""
    return f"{text('synthetic_data', lang)}: {text('synthetic_note', lang)}"


def phase_label(phase: Phase, lang: Lang = "nl") -> str:
    nl, en = PHASES[phase]
    return nl if lang == "nl" else en


def breakdown_label(name: str, lang: Lang = "nl") -> str:
    nl, en = BREAKDOWNS.get(name, (name, name))
    return nl if lang == "nl" else en


def value_label(value: str, lang: Lang = "nl") -> str:
    """The label of a breakdown value: "ja", "kwintiel 1", "JGZ-organisatie 2" (or English)."""
    jgz = _JGZ_CODE.match(value)
    if jgz:
        nl, en = JGZ_ORGANISATION
        return (nl if lang == "nl" else en).format(n=int(jgz.group(1)))
    nl, en = BREAKDOWN_VALUES.get(value, (value, value))
    return nl if lang == "nl" else en


def value_order(value: str) -> tuple[int, int, str]:
    """Sort key of breakdown values within one breakdown: the order of `BREAKDOWN_VALUES`
    (ja, nee; laag, middelbaar, hoog; kwintiel 1-5), then values not listed in natural order
    (JGZ02 before JGZ10), and "unknown" (onbekend) always last. Never the English codes'
    alphabetical order, which put "nee, onbekend, ja"."""
    if value == UNKNOWN:
        return (2, 0, value)
    if value in _VALUE_RANK:
        return (0, _VALUE_RANK[value], value)
    digits = re.search(r"\d+", value)
    return (1, int(digits.group()) if digits else 0, value)


def reading_guide(lang: Lang = "nl", threshold: int = 10) -> list[tuple[str, str]]:
    """The reading guide as (label, text) pairs: intervals, trend test, funnel limits, hidden
    cells and pooled periods, printed once at the front of a report."""
    return [
        (text(label, lang), text(body, lang, threshold=threshold)) for label, body in READING_GUIDE
    ]


def programme_source(source: str, lang: Lang = "nl") -> str:
    """Who delivers a programme indicator's figures ("Vragenlijst onder gemeenten", ...)."""
    nl, en = PROGRAMME_SOURCES.get(source, (source, source))
    return nl if lang == "nl" else en


def region_rule(rule: str, lang: Lang = "nl") -> str:
    """Where a unit is counted, in ``lang`` (the catalogue writes it in English)."""
    nl, en = REGION_RULES.get(rule, (rule, rule))
    return nl if lang == "nl" else en


def title(indicator: Indicator, lang: Lang = "nl") -> str:
    return indicator.title_nl if lang == "nl" else indicator.title_en


def sources(indicator: Indicator) -> str:
    """The organisations behind an indicator's tables, e.g. "Perined, CBS"."""
    owners: Iterable[str] = (SOURCE_OWNERS.get(t, DEFAULT_OWNER) for t in indicator.sources)
    return ", ".join(dict.fromkeys(owners))


def unit_label(unit: str, lang: Lang = "nl") -> str:
    nl, en = UNITS.get(unit, (unit, unit))
    return nl if lang == "nl" else en


def half_up(value: float, digits: int = 1) -> Decimal:
    """``value`` rounded half up (away from zero) to ``digits`` decimals, as Excel's "0.0"
    format and RIVM's tables show it: 13/80 = 16.25% gives 16.3, not Python's half-even 16.2.

    A value is a fraction computed in floating point (16.25 may arrive as 16.249999999999996),
    so it is first taken to 12 significant digits, which recovers the exact fraction of any
    count below a million, and then rounded."""
    exact = Decimal(f"{value:.12g}")
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def number(value: float | None, lang: Lang = "nl", digits: int = 1) -> str:
    """A value as the reports print it: ``digits`` decimals rounded half up (`half_up`), Dutch
    decimal comma and thousands dot in Dutch."""
    if value is None:
        return ""
    formatted = f"{half_up(value, digits):,.{digits}f}"
    if lang == "nl":
        formatted = formatted.replace(",", "_").replace(".", ",").replace("_", ".")
    return formatted


def count(value: int | None, lang: Lang = "nl") -> str:
    if value is None:
        return ""
    formatted = f"{value:,d}"
    return formatted.replace(",", ".") if lang == "nl" else formatted


def series_labels(municipality: Region, province: Region, lang: Lang) -> dict[str, str]:
    """Legend labels of a municipality's trend chart keyed by region code: the municipality,
    its province and the Netherlands. A province named like the municipality (Utrecht,
    Groningen) is labelled "Utrecht (provincie)", so no two series share a label (the chart
    keys its lines by label and would merge them)."""
    province_label = province.name
    if province.name.casefold() == municipality.name.casefold():
        province_label = f"{province.name} ({text('province', lang).lower()})"
    return {
        municipality.code: municipality.name,
        province.code: province_label,
        NL: text("netherlands", lang),
    }

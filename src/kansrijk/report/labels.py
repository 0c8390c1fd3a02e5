"""The words of the reports, in Dutch and English.

Core code cannot use Django's i18n (the web app has its own catalogue), so the report texts live
here as (Dutch, English) pairs; `text` picks one. Dutch is the default everywhere.
"""

from __future__ import annotations

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
    "deviations_english": ("(toelichting in het Engels)", ""),
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
}

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

#: Labels of breakdown values (the breakdown names are in `kansrijk.indicators.model.BREAKDOWNS`).
BREAKDOWN_VALUES: dict[str, tuple[str, str]] = {
    "total": ("totaal", "total"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "unknown": ("onbekend", "unknown"),
    "low": ("laag", "low"),
    "middle": ("middelbaar", "middle"),
    "high": ("hoog", "high"),
    "dutch": ("Nederlands", "Dutch"),
    "western": ("westers", "Western"),
    "non_western": ("niet-westers", "non-Western"),
    "<P10": ("onder 10e percentiel", "below 10th percentile"),
    ">=P10": ("10e percentiel of hoger", "10th percentile or above"),
    **{f"Q{i}": (f"kwintiel {i}", f"quintile {i}") for i in range(1, 6)},
}

UNITS: dict[str, tuple[str, str]] = {"%": ("%", "%"), "per 1,000": ("per 1.000", "per 1,000")}


def text(key: str, lang: Lang = "nl", **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` placeholders filled."""
    nl, en = TEXTS[key]
    chosen = nl if lang == "nl" else en
    return chosen.format(**values) if values else chosen


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
    nl, en = BREAKDOWN_VALUES.get(value, (value, value))
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

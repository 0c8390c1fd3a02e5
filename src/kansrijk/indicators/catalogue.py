"""The registry-based national indicators of the 2019 set (editions 2019-2023) and the 2024
set (editions 2024-2025), as frozen definitions.

Families (units of analysis the engine builds):

- ``pregnancy``: one row per pregnancy of at least ``min_gestational_days`` ending in the data
  year: the first-born child's birth record, one per mother and year (records without a mother
  id are distinct pregnancies, never one person).
- ``child_birth``: one row per child born (live or stillborn) at ``min_gestational_days`` or
  more; ``live_born_only`` restricts to live births.
- ``live_birth``: one row per live-born child of the data year (CBS persons with legal parent
  links; mother and father may be unknown). Kraamzorg counts only those with a known mother;
  the risk factors are derived with the definition's parameters.
- ``mother_year``: one row per mother of a live birth in the data year (partner = the legal
  father of her first child that year).
- ``jgz_contact``: one row per child with a JGZ contact around age two in the data year.
- ``young_child``: one row per live-born child under two in the data year (born that year or
  the year before, alive on 1 January) with at least one known legal parent.
"""

from __future__ import annotations

from dataclasses import replace

from kansrijk.indicators.model import (
    FAMILY_BREAKDOWNS,
    Direction,
    Indicator,
    Phase,
    RegionRule,
    Unit,
)

SET_2019_EDITIONS = (2019, 2020, 2021, 2022, 2023)
SET_2024_EDITIONS = (2024, 2025)
DAY_22_WEEKS = 154
DAY_24_WEEKS = 168

_MOTHER = RegionRule.MOTHER_30_JUNE
_CHILD = RegionRule.CHILD_31_DECEMBER
_LOWER = Direction.LOWER_IS_BETTER

_PERINED_DEFECT_NA = (
    "A missing first-visit day counts in the denominator but not in the numerator, as in "
    "RIVM's code.",
)
_ONE_PER_PREGNANCY = (
    "RIVM's code collapses all records without a mother id into one row per year; here each "
    "such record is its own pregnancy (the intended rule: missing ids are not one person).",
)
_DEBTS_UNIT = (
    "RIVM's 2023 code counts every child record without the 24-week filter; the text counts "
    "women delivering at 24 weeks or more, which is what is computed here (one per pregnancy).",
    "WSNP counts when the year lies between the years of admission and end (as RIVM); "
    "premium arrears when the person is in that year's CAK register.",
)
_KRAAMZORG = (
    "RIVM links trajectories by mother and year with an inner join, so live births without any "
    "Vektis trajectory drop out and a second trajectory (e.g. a miscarriage) in the same year "
    "duplicates births. Here each live birth with a known mother is one unit; it has kraamzorg "
    "when a trajectory of the mother with its delivery month within one month of the birth "
    "month has an hourly kraamzorg claim in or after the delivery month. Intake and "
    "delivery-only claims, and hourly claims before the delivery month, do not count.",
)
_SGA = (
    "SGA uses Perined's supplied Hoftiezer percentile (< 10) where present, otherwise the "
    "weight is compared with the Hoftiezer 2019 P10 for sex and gestational day (days above "
    "294 use day 294; before 161 days, unknown sex or weight: not SGA, but counted in the "
    "denominator as in RIVM's code).",
)
_PLACEMENT = (
    "RIVM's code tests the overlap of the protection measure and youth care with residence "
    "with OR (almost always true); here both spells must overlap each other (AND), and the "
    "overlap must fall in the data year.",
    "Children who died before 1 January of the data year are not children under two in that "
    "year and are left out of the denominator; RIVM's code keeps them (and children who "
    "emigrated). A child who dies during the data year counts in it.",
)
_INCOME = (
    "Negative INHATAB percentile codes (special households) are 'unknown' in income "
    "breakdowns; RIVM's code puts them in the lowest quintile.",
)

#: Parameters of the 2019 risk-factor count (read by the live_birth family's ``derive``).
_RISK_PARAMETERS: tuple[tuple[str, float | int | str | bool], ...] = (
    # High costs: percent rank within the data year's live births with that parent.
    ("high_cost_min_percent_rank", 0.9),
    # Gestational age when no Perined record links to the CBS live birth (40+0 weeks).
    ("assumed_gestational_days", 280),
    # Divorce / partner death: the birth year and this many calendar years before.
    ("divorce_years_before", 4),
    ("partner_death_years_before", 4),
)
_RISK = dict(_RISK_PARAMETERS)
_RISK_FACTORS = (
    "RIVM's exact 2021 risk-factor list is not in its public code; this operationalises "
    "the factors named in the 2021 monitor text.",
    "High costs: our choice of 'high' is a percent rank of the costs of at least "
    f"{_RISK['high_cost_min_percent_rank']} (parameter high_cost_min_percent_rank; 0.9 is "
    "the top decile; ties share the lowest rank, no cost row counts as 0), ranked per data "
    "year over the live births with that parent (mothers and fathers ranked separately), for "
    "the mother or the father. Costs are all Zvw costs minus birth and maternity care "
    "(ZVWKGEBOORTEZORG).",
    "The year the pregnancy began is that of the birth date minus the gestational age of the "
    "Perined record linked to the child (by the child's person id; the shortest if several "
    f"link). When no record links, {_RISK['assumed_gestational_days']} days are assumed "
    "(parameter assumed_gestational_days). Where the cost table lacks that year, nobody has "
    "high costs.",
    "Divorce of either parent (matched on either partner field of the divorce register) in "
    f"the birth year or the {_RISK['divorce_years_before']} calendar years before (parameter "
    "divorce_years_before); death of a partner (the mother or the father, when both parents "
    f"are known) in the birth year or the {_RISK['partner_death_years_before']} calendar "
    "years before (parameter partner_death_years_before). Our documented choices.",
    "Live births without a known mother stay in the population and count the father's "
    "factors, placed at the father's address on 30 June; births with neither parent known "
    "count with 0 factors in the unknown remainder NL00, and their number is reported in the "
    "run summary and the internal manifest (never published: no second small-number rule).",
)
#: The interval of 2023-11 and 2024-14 and why the published value is the drawn share (the
#: Dutch text: kansrijk.report.definitions_nl.VULNERABILITY_INTERVAL_NL).
VULNERABILITY_INTERVAL = (
    "The 95% interval includes the imputation uncertainty as well as sampling: per cell, "
    "each imputation's prevalence p_k (the sum of its probabilities over the cell's births, "
    "over the births n) is combined by Rubin's rules, W = mean of p_k(1 - p_k)/n, B = "
    "variance of the p_k, T = W + (1 + 1/m)B, with Rubin's degrees of freedom. The interval "
    "is the engine's Wilson interval of the published value with n replaced by the effective "
    "number nW/T and the normal quantile by Student's t: the usual interval when the "
    "imputations agree, wider when they do not, never outside 0-100% "
    "(kansrijk.engine.vulnerability). The published value stays the drawn count over the "
    "births, not the mean Q of the p_k: the disclosure gate and readers need integer counts "
    "that add up from municipalities to provinces and NL, and the drawn share estimates the "
    "prevalence with about the same variance T, so the value always lies inside its "
    "interval. It differs from Q by the draw only (standard deviation at most "
    "sqrt(Q(1 - Q)/n))."
)
#: The vulnerability model (issue 16): how a child is counted, shared by 2023-11 and 2024-14.
_VULNERABLE_LABEL = (
    "RIVM counts a child as vulnerable by the per-child label of imputation 1 (probability at "
    "or above the F1-optimal threshold). That label overstates the share (stage 2 on synthetic "
    "data: 8.8% labelled against 6.0% planted), so here the label is drawn: a mother-year "
    "counts as vulnerable when u < p, p the mean predicted probability over the imputations "
    "delivered and u a uniform number fixed by the mother's pseudonym, the birth year and the "
    "model id (first 32 bits of MD5; kansrijk.engine.vulnerability). Counts are integers, "
    "the same on every run, and their expectation is the sum of the probabilities (the "
    "model's prevalence estimate).",
    VULNERABILITY_INTERVAL,
    "The predictions are per mother and birth year (data contract 1.2): every live birth of "
    "that mother in that year (twins, two births in one year) gets her label. RIVM keys them "
    "by child.",
)
_VULNERABILITY_BREAKDOWN = (
    "Vulnerability breakdown: the mother's predicted multidimensional vulnerability in the "
    "birth year (drawn as for 2023-11 and 2024-14, not RIVM's imputation-1 label); unknown "
    "without a prediction (no vulnerability_predictions delivered, no prediction for the "
    "mother-year, or no known mother).",
)
_VULNERABILITY_TABLES = ("persons", "parent_links", "vulnerability_predictions")
_PERINED = ("births",)
_DEBT_TABLES = ("births", "debt_restructuring", "premium_arrears")
_KZ_TABLES = ("persons", "parent_links", "maternity_trajectories", "maternity_claims")


#: The 2019-set figures RIVM's 2023 code breaks down by the child's predicted vulnerability
#: (DIAPER notes, section 3: 7, 8, 10, 12 and 15, with their sub-figures).
_BROKEN_DOWN_2023 = frozenset(
    {"2019-07", "2019-08", "2019-08a", "2019-08b", "2019-10"}
    | {"2019-12", "2019-12a", "2019-12b", "2019-15"}
)


def _with_vulnerability_breakdown(defs: list[Indicator], edition: int) -> list[Indicator]:
    """``defs`` with the definitions of `_BROKEN_DOWN_2023` split at ``edition``: the editions
    before keep their version, ``edition`` gets the next version with the vulnerability
    breakdown (the vulnerability model arrived in the 2023 edition)."""
    out: list[Indicator] = []
    for d in defs:
        if d.id not in _BROKEN_DOWN_2023 or edition not in d.editions:
            out.append(d)
            continue
        before = tuple(e for e in d.editions if e < edition)
        if before:
            out.append(replace(d, editions=before))
        out.append(
            replace(
                d,
                editions=tuple(e for e in d.editions if e >= edition),
                version=str(int(d.version) + 1),
                breakdowns=(*d.breakdowns, "vulnerability"),
                deviations=(*d.deviations, *_VULNERABILITY_BREAKDOWN),
            )
        )
    return out


def _set_2019() -> list[Indicator]:
    common = {"indicator_set": 2019, "editions": SET_2019_EDITIONS, "direction": _LOWER}
    defs: list[Indicator] = [
        Indicator(
            id="2019-07",
            number="7",
            version="1",
            family="pregnancy",
            outcome="care_after_week_10",
            title_nl="Zwangerschapsbegeleiding gestart na week 10",
            title_en="Prenatal care started after week 10",
            population="Pregnancies of 24+0 weeks or more ending in the data year, one per "
            "pregnancy (first-born child's record).",
            numerator="Pregnancies whose first antenatal visit was after gestational day 70.",
            denominator="All those pregnancies.",
            unit=Unit.PERCENT,
            time_reference="Year of birth.",
            region_rule=_MOTHER,
            phase=Phase.DURING,
            sources=_PERINED,
            pooling_years=5,
            parameters=(("min_gestational_days", DAY_24_WEEKS),),
            deviations=_ONE_PER_PREGNANCY
            + _PERINED_DEFECT_NA
            + ("Perined judged first-visit timing unreliable (it overestimates late starts).",),
            **common,  # type: ignore[arg-type]
        ),
    ]
    for suffix, outcome, what in (
        (
            "",
            "debts_mother",
            "debt restructuring (WSNP) and/or premium arrears of six months or more",
        ),
        ("a", "debts_mother_arrears", "premium arrears of six months or more"),
        ("b", "debts_mother_wsnp", "debt restructuring (WSNP)"),
    ):
        defs.append(
            Indicator(
                id=f"2019-08{suffix}",
                number="8",
                version="1",
                family="pregnancy",
                outcome=outcome,
                title_nl="Vrouwen met problematische schulden in het jaar van bevalling"
                + (
                    ""
                    if not suffix
                    else (" (betalingsachterstand)" if suffix == "a" else " (schuldsanering)")
                ),
                title_en="Women with problematic debts in the year of delivery"
                + ("" if not suffix else (" (premium arrears)" if suffix == "a" else " (WSNP)")),
                population="Women delivering after 24+0 weeks or more in the data year, one per "
                "pregnancy.",
                numerator=f"Those with {what} in the year of delivery.",
                denominator="All those women.",
                unit=Unit.PERCENT,
                time_reference="Year of delivery.",
                region_rule=_MOTHER,
                phase=Phase.DURING,
                sources=_DEBT_TABLES,
                pooling_years=5,
                parameters=(("min_gestational_days", DAY_24_WEEKS),),
                deviations=_DEBTS_UNIT + _ONE_PER_PREGNANCY,
                parent=None if not suffix else "2019-08",
                breakdowns=tuple(b for b in FAMILY_BREAKDOWNS if b != "debts"),
                **common,  # type: ignore[arg-type]
            )
        )
    defs.append(
        Indicator(
            id="2019-10",
            number="10",
            version="1",
            family="live_birth",
            outcome="no_kraamzorg",
            title_nl="Gezinnen die geen gebruik maken van kraamzorg",
            title_en="Families not using maternity care (kraamzorg)",
            population="Live births in the data year with a known mother (kraamzorg is the "
            "mother's care: live births without a known mother are left out).",
            numerator="Live births whose mother has no hourly kraamzorg claim in or after the "
            "delivery month.",
            denominator="Live births with a known mother.",
            unit=Unit.PERCENT,
            time_reference="Year of birth.",
            region_rule=_MOTHER,
            phase=Phase.AFTER,
            sources=_KZ_TABLES,
            pooling_years=5,
            deviations=_KRAAMZORG + _INCOME,
            **common,  # type: ignore[arg-type]
        )
    )
    for suffix, outcome, what in (
        ("", "risk_factors_3plus", "three or more"),
        ("-0", "risk_factors_0", "none"),
        ("-1", "risk_factors_1", "exactly one"),
        ("-2", "risk_factors_2", "exactly two"),
    ):
        defs.append(
            Indicator(
                id=f"2019-11{suffix}",
                number="11",
                version="2",
                family="live_birth",
                outcome=outcome,
                title_nl="Kinderen geboren in een gezin "
                + {
                    "": "met drie of meer risicofactoren",
                    "-0": "zonder risicofactoren",
                    "-1": "met één risicofactor",
                    "-2": "met twee risicofactoren",
                }[suffix],
                title_en="Children born into a family with "
                + {
                    "": "three or more risk factors",
                    "-0": "no risk factors",
                    "-1": "one risk factor",
                    "-2": "two risk factors",
                }[suffix],
                population="Live births in the data year (CBS persons with a legal parent "
                "link), whether or not the mother or the father is known. A birth without a "
                "known mother counts the father's factors; one with neither parent known has "
                "no factors (the run reports how many there are).",
                numerator=f"Those with {what} of the eight risk factors, each counted once "
                "when present at the mother, the father or both: household income below P10 "
                "(the mother's or the father's household; percentile 1-9); mental health care "
                "(GGZ) costs; psychotropic medication (ATC4 N05A-N05C, N06A-N06C); "
                "problematic debts (WSNP or premium arrears); detention (the data year or the "
                "year before); high health-care costs in the year before the pregnancy began "
                "(see the parameters); divorce of a parent; death of a partner (the other "
                "legal parent, so only when both are known). Income, GGZ, medication and "
                "debts: the data year.",
                denominator="All live births of the data year.",
                unit=Unit.PERCENT,
                time_reference="Year of birth. High costs: the year before the year the "
                "pregnancy began (birth date minus gestational age), which is one or two "
                "years before the birth year. Divorce and partner death: the birth year or "
                "the number of calendar years before given by the parameters.",
                region_rule=RegionRule.MOTHER_ELSE_FATHER_30_JUNE,
                phase=Phase.AFTER,
                sources=(
                    "persons",
                    "parent_links",
                    "births",
                    "household_income",
                    "healthcare_costs",
                    "medication",
                    "premium_arrears",
                    "debt_restructuring",
                    "detentions",
                    "divorces",
                    "deaths",
                ),
                pooling_years=5,
                parameters=_RISK_PARAMETERS,
                deviations=_RISK_FACTORS + _INCOME,
                parent=None if not suffix else "2019-11",
                **{**common, "editions": SET_2019_EDITIONS[:4]},  # type: ignore[arg-type]
            )
        )
    for editions, version, min_days in (
        (SET_2019_EDITIONS[:2], "1", DAY_22_WEEKS),
        (SET_2019_EDITIONS[2:], "2", DAY_24_WEEKS),
    ):
        weeks = min_days // 7
        for suffix, outcome, what, title_nl, title_en in (
            (
                "",
                "big2",
                "born before 37+0 weeks and/or with a birth weight below P10",
                "Kinderen met een vroeggeboorte en/of laag geboortegewicht (Big2)",
                "Children born preterm and/or small for gestational age (Big2)",
            ),
            (
                "a",
                "preterm",
                "born before 37+0 weeks",
                "Vroeggeboorte (< 37 weken)",
                "Preterm birth (< 37 weeks)",
            ),
            (
                "b",
                "sga",
                "with a birth weight below P10 for sex and gestational age",
                "Laag geboortegewicht voor de zwangerschapsduur (< P10)",
                "Small for gestational age (< P10)",
            ),
        ):
            defs.append(
                Indicator(
                    id=f"2019-12{suffix}",
                    number="12",
                    version=version,
                    family="child_birth",
                    outcome=outcome,
                    title_nl=title_nl,
                    title_en=title_en,
                    population=f"Children born (live or stillborn) at {weeks}+0 weeks or more in "
                    "the data year.",
                    numerator=f"Children {what} (Hoftiezer 2019 charts).",
                    denominator="All those children.",
                    unit=Unit.PERCENT,
                    time_reference="Year of birth.",
                    region_rule=_MOTHER,
                    phase=Phase.DURING,
                    sources=_PERINED,
                    pooling_years=5,
                    parameters=(("min_gestational_days", min_days),),
                    deviations=(
                        *_SGA,
                        "Editions 2019-2020 counted births from 22 weeks; from "
                        "2021 from 24 weeks, as Perined.",
                    ),
                    parent=None if not suffix else "2019-12",
                    indicator_set=2019,
                    editions=editions,
                    direction=_LOWER,
                )
            )
    defs += [
        Indicator(
            id="2019-13",
            number="13",
            version="1",
            family="jgz_contact",
            outcome="speech_language",
            title_nl="Kinderen die negatief scoren op spraak-taalontwikkeling rond 2 jaar",
            title_en="Children scoring negative on speech-language development at about 2",
            population="Children with a JGZ contact around age two in the data year with both "
            "Van Wiechen items scored.",
            numerator="Children negative on both 'says two-word sentences' and 'points to six "
            "body parts'.",
            denominator="Children with both items scored.",
            unit=Unit.PERCENT,
            time_reference="Year of the contact.",
            region_rule=_CHILD,
            phase=Phase.AFTER,
            sources=("jgz_contacts", "persons"),
            breakdowns=("jgz_organisation", *FAMILY_BREAKDOWNS),
            deviations=(
                "Only JGZ organisations that deliver data are covered (20 of 36 in "
                "2018-2020): national figures are not representative of the whole "
                "country.",
            ),
            **common,  # type: ignore[arg-type]
        ),
        Indicator(
            id="2019-14",
            number="14",
            version="1",
            family="jgz_contact",
            outcome="overweight",
            title_nl="Kinderen met overgewicht (inclusief obesitas) rond 2 jaar",
            title_en="Children with overweight (including obesity) at about 2",
            population="Children with a JGZ contact around age two in the data year with "
            "height and weight measured.",
            numerator="Children whose BMI is at or above the IOTF overweight cut-off (Cole "
            "2000) for sex and exact age.",
            denominator="Children with height and weight.",
            unit=Unit.PERCENT,
            time_reference="Year of the contact.",
            region_rule=_CHILD,
            phase=Phase.AFTER,
            sources=("jgz_contacts", "persons"),
            breakdowns=("jgz_organisation", *FAMILY_BREAKDOWNS),
            deviations=("Cut-offs are interpolated linearly between half-year ages.",),
            **common,  # type: ignore[arg-type]
        ),
        Indicator(
            id="2019-15",
            number="15",
            version="3",
            family="young_child",
            outcome="placement",
            title_nl="Uithuisplaatsingen van kinderen jonger dan 2 jaar",
            title_en="Out-of-home placement of children under 2",
            population="Live-born children under two in the data year (born that year or the "
            "year before, alive on 1 January of the data year) with at least one known legal "
            "parent.",
            numerator="Children with at least one day in the data year on which a child "
            "protection measure (supervision or guardianship: codes 11, 12, 21-23) and youth "
            "care with residence (codes 11-14) both ran.",
            denominator="All those children.",
            unit=Unit.PER_1000,
            time_reference="Data year.",
            region_rule=RegionRule.MOTHER_ELSE_FATHER_30_JUNE,
            phase=Phase.AFTER,
            sources=("persons", "parent_links", "youth_protection", "youth_care"),
            pooling_years=5,
            deviations=_PLACEMENT + _INCOME,
            **common,  # type: ignore[arg-type]
        ),
    ]
    return _with_vulnerability_breakdown(defs, 2023)


def _set_2024() -> list[Indicator]:
    common = {"indicator_set": 2024, "editions": SET_2024_EDITIONS, "direction": _LOWER}
    defs = [
        Indicator(
            id="2024-06",
            number="6",
            version="1",
            family="pregnancy",
            outcome="preconception_consult",
            title_nl="Preconceptieconsult",
            title_en="Preconception consultation",
            population="Pregnancies of 24+0 weeks or more ending in the data year with a known "
            "mother.",
            numerator="Those whose mother had a preconception consultation claim in the 15 "
            "months before the delivery month.",
            denominator="All those pregnancies.",
            unit=Unit.PERCENT,
            time_reference="Year of delivery.",
            region_rule=_MOTHER,
            phase=Phase.BEFORE,
            sources=("births", "maternity_claims"),
            parameters=(("min_gestational_days", DAY_24_WEEKS),),
            deviations=(
                "RIVM's code takes as denominator every mother in the Vektis "
                "birth-care details file; here the pregnancies of the data year, so "
                "the share refers to new mothers.",
            ),
            indicator_set=2024,
            editions=SET_2024_EDITIONS,
            direction=Direction.HIGHER_IS_BETTER,
        ),
        Indicator(
            id="2024-09",
            number="9",
            version="1",
            family="pregnancy",
            outcome="care_after_week_10",
            title_nl="Zwangerschapsbegeleiding gestart na week 10",
            title_en="Prenatal care started after week 10",
            population="Pregnancies of 24+0 weeks or more ending in the data year.",
            numerator="Pregnancies whose first antenatal visit was after gestational day 70.",
            denominator="All those pregnancies.",
            unit=Unit.PERCENT,
            time_reference="Year of birth.",
            region_rule=_MOTHER,
            phase=Phase.DURING,
            sources=_PERINED,
            pooling_years=5,
            parameters=(("min_gestational_days", DAY_24_WEEKS),),
            deviations=_ONE_PER_PREGNANCY + _PERINED_DEFECT_NA,
            **common,  # type: ignore[arg-type]
        ),
        Indicator(
            id="2024-10",
            number="10",
            version="1",
            family="mother_year",
            outcome="debts_parents",
            title_nl="Problematische schulden bij moeder of partner",
            title_en="Problematic debts of mother or partner",
            population="Mothers of live births in the data year (one per mother and year).",
            numerator="Mothers with debt restructuring (WSNP) or premium arrears, or whose "
            "partner has, in the data year.",
            denominator="All those mothers.",
            unit=Unit.PERCENT,
            time_reference="Year of birth.",
            region_rule=_CHILD,
            phase=Phase.AFTER,
            sources=(
                "persons",
                "parent_links",
                "debt_restructuring",
                "premium_arrears",
                "addresses",
            ),
            pooling_years=5,
            breakdowns=(*(b for b in FAMILY_BREAKDOWNS if b != "debts"), "vulnerability"),
            deviations=(
                "RIVM groups by mother id only, so all births without a mother id "
                "become one row; here they are left out (no mother to describe).",
                *_INCOME,
                *_VULNERABILITY_BREAKDOWN,
            ),
            **common,  # type: ignore[arg-type]
        ),
        Indicator(
            id="2024-11",
            number="11",
            version="1",
            family="mother_year",
            outcome="psych_parents",
            title_nl="Psychische problemen bij moeder of partner",
            title_en="Psychological problems of mother or partner",
            population="Mothers of live births in the data year (one per mother and year).",
            numerator="Mothers who, or whose partner, had mental health care costs (GGZ) or "
            "psychotropic medication (ATC4 N05A, N05B, N05C, N06A, N06B, N06C) in the data "
            "year.",
            denominator="All those mothers.",
            unit=Unit.PERCENT,
            time_reference="Year of birth.",
            region_rule=_CHILD,
            phase=Phase.AFTER,
            sources=("persons", "parent_links", "healthcare_costs", "medication", "addresses"),
            pooling_years=5,
            breakdowns=(*(b for b in FAMILY_BREAKDOWNS if b != "parental_ggz"), "vulnerability"),
            deviations=(
                "RIVM's 2024 code never computes the partner's value (psych_prob_Pa); "
                "the intended per-parent rule (confirmed by the 2025 code) is used.",
                "GGZ costs: basic + specialist before 2022, the zorgprestatiemodel "
                "column from 2022.",
                *_INCOME,
                *_VULNERABILITY_BREAKDOWN,
            ),
            **common,  # type: ignore[arg-type]
        ),
        Indicator(
            id="2024-13",
            number="13",
            version="1",
            family="live_birth",
            outcome="no_kraamzorg",
            title_nl="Gezinnen zonder kraamzorg (gecorrigeerd voor lang ziekenhuisverblijf)",
            title_en="Families without kraamzorg (corrected for long hospital stay)",
            population="Live births in the data year with a known mother, excluding those "
            "where mother or child had a long-stay hospital care product (28 DBCs) that year.",
            numerator="Those whose mother has no hourly kraamzorg claim in or after the "
            "delivery month.",
            denominator="All those live births.",
            unit=Unit.PERCENT,
            time_reference="Year of birth.",
            region_rule=_MOTHER,
            phase=Phase.AFTER,
            sources=(*_KZ_TABLES, "hospital_care_products"),
            pooling_years=5,
            breakdowns=(*FAMILY_BREAKDOWNS, "vulnerability"),
            parameters=(("exclude_long_stay", True),),
            deviations=_KRAAMZORG + _INCOME + _VULNERABILITY_BREAKDOWN,
            **common,  # type: ignore[arg-type]
        ),
    ]
    for suffix, outcome, what, unit, live_only in (
        ("", "big2", "born before 37+0 weeks and/or below P10", Unit.PERCENT, False),
        ("a", "preterm", "born before 37+0 weeks", Unit.PERCENT, False),
        ("b", "preterm_32", "born before 32+0 weeks", Unit.PERCENT, False),
        ("c", "sga", "with a birth weight below P10", Unit.PERCENT, False),
        (
            "-perinatal",
            "perinatal_death",
            "who died before, during or in the first 28 days after birth (perinatal mortality)",
            Unit.PER_1000,
            False,
        ),
        ("-fetal", "fetal_death", "stillborn (fetal mortality)", Unit.PER_1000, False),
        (
            "-neonatal",
            "neonatal_death",
            "who died in the first 28 days (neonatal mortality)",
            Unit.PER_1000,
            True,
        ),
        (
            "-infant",
            "infant_death",
            "who died in the first year (infant mortality)",
            Unit.PER_1000,
            True,
        ),
    ):
        born = "Live-born children" if live_only else "Children born (live or stillborn)"
        defs.append(
            Indicator(
                id=f"2024-15{suffix}",
                number="15",
                version="1",
                family="child_birth",
                outcome=outcome,
                title_nl={
                    "": "Vroeggeboorte en/of laag geboortegewicht (Big2)",
                    "a": "Vroeggeboorte (< 37 weken)",
                    "b": "Vroeggeboorte (< 32 weken)",
                    "c": "Laag geboortegewicht voor de zwangerschapsduur (< P10)",
                    "-perinatal": "Perinatale sterfte",
                    "-fetal": "Foetale sterfte",
                    "-neonatal": "Neonatale sterfte",
                    "-infant": "Zuigelingensterfte",
                }[suffix],
                title_en={
                    "": "Preterm and/or small for gestational age (Big2)",
                    "a": "Preterm birth (< 37 weeks)",
                    "b": "Preterm birth (< 32 weeks)",
                    "c": "Small for gestational age (< P10)",
                    "-perinatal": "Perinatal mortality",
                    "-fetal": "Fetal mortality",
                    "-neonatal": "Neonatal mortality",
                    "-infant": "Infant mortality",
                }[suffix],
                population=f"{born} at 24+0 weeks or more in the data year.",
                numerator=f"Children {what}.",
                denominator="All those children.",
                unit=unit,
                time_reference="Year of birth.",
                region_rule=_MOTHER,
                phase=Phase.DURING if unit == Unit.PERCENT else Phase.AFTER,
                sources=_PERINED,
                pooling_years=5,
                parameters=(("min_gestational_days", DAY_24_WEEKS), ("live_born_only", live_only)),
                deviations=(
                    *_SGA,
                    "RIVM's table per outcome shows the distribution of a "
                    "breakdown within the outcome; here outcome rates per breakdown "
                    "value are computed.",
                ),
                parent=None if not suffix else "2024-15",
                **common,  # type: ignore[arg-type]
            )
        )
    return defs


def _vulnerability(edition_set: int, number: str, editions: tuple[int, ...]) -> Indicator:
    """Children born in a multidimensionally vulnerable situation: 2023 indicator 11 (the
    model replaced the risk-factor count) and 2024 indicator 14."""
    rivm_population = (
        "RIVM's 2023 base is the model's population, every Perined record of a known mother "
        "(stillbirths included); its 2024 base the CBS births. Here: CBS live births, as the "
        "text says ('live births')."
        if edition_set == 2019
        else "RIVM's 2024 code keeps one row per mother and year (which child is file "
        "order) and keeps a missing prediction as its own group; here every live birth is a "
        "unit and live births without a prediction are outside the denominator."
    )
    return Indicator(
        id=f"{editions[0]}-{number}",
        indicator_set=edition_set,
        number=number,
        version="1",
        editions=editions,
        family="live_birth",
        outcome="multidim_vulnerable",
        title_nl="Kinderen geboren in een meervoudig kwetsbare situatie",
        title_en="Children born in a multidimensionally vulnerable situation",
        population="Live births in the data year with a known mother for whom "
        "vulnerability_predictions holds a prediction for the birth year.",
        numerator="Those whose mother is classified as multidimensionally vulnerable: the "
        "latent class 'multidimensional vulnerability' of Molenaar et al. (2023), predicted "
        "from 31 registry variables by the stage-2 classifier (kansrijk vulnerability "
        "predict), counted as in the deviations.",
        denominator="All those live births (with a known mother and a prediction).",
        unit=Unit.PERCENT,
        time_reference="Year of birth; the predictors describe the year before the birth "
        "(or the birth year; see the predictor windows).",
        region_rule=_MOTHER,
        phase=Phase.AFTER,
        direction=_LOWER,
        sources=_VULNERABILITY_TABLES,
        pooling_years=5,
        deviations=(*_VULNERABLE_LABEL, rivm_population, *_INCOME),
    )


CATALOGUE: tuple[Indicator, ...] = (
    *_set_2019(),
    _vulnerability(2019, "11", (2023,)),
    *_set_2024(),
    _vulnerability(2024, "14", SET_2024_EDITIONS),
)


def catalogue(edition: int | None = None) -> tuple[Indicator, ...]:
    """All definitions, or those in force for monitor ``edition``."""
    if edition is None:
        return CATALOGUE
    chosen = tuple(d for d in CATALOGUE if edition in d.editions)
    if not chosen:
        editions = sorted({e for d in CATALOGUE for e in d.editions})
        raise ValueError(f"no indicators for edition {edition}; editions: {editions}")
    return chosen


def indicator(indicator_id: str, edition: int) -> Indicator:
    """The definition of ``indicator_id`` in force for ``edition``."""
    for d in CATALOGUE:
        if d.id == indicator_id and edition in d.editions:
            return d
    raise KeyError(f"no indicator {indicator_id!r} in edition {edition}")

"""The registry data contract: every table the monitor reads, declared as data.

The contract says what an extract must look like, not how to check it: the
validator (``kansrijk.registry.validate``) compiles these declarations to
DuckDB queries, the synthetic generator writes files that satisfy them, and
``docs/data-contract.md`` is generated from them. Each column names its origin
in Perined, Vektis or CBS microdata so an analyst inside CBS's secure
environment can build the extract.

Identifiers are pseudonyms (see ``kansrijk.pseudonym``); a missing identifier
is NULL, never an empty string or a placeholder such as ``000000000``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kansrijk.vulnerability.predictors import PREDICTORS, Predictor

CONTRACT_VERSION = "1.3"
#: Every version of the contract, oldest first, with what an extract builder must change.
VERSIONS: tuple[tuple[str, str], ...] = (
    ("1.0", "First version."),
    (
        "1.1",
        "`divorces`: the monitor now finds a parent in `person_id` or in `partner_id` (1.0 "
        "read `person_id` only, so a divorce delivered once, under the other partner, was "
        "missed for the parent in `partner_id`); one row per divorce and one row per partner "
        "are both valid, no change to the extract is needed. New rule "
        "`partner_is_not_self`. `maternity_trajectories` and `maternity_claims`: rows "
        "without a linked mother are dropped from the extract and their number reported "
        "(`extract-manifest.json`); the columns are unchanged.",
    ),
    (
        "1.2",
        "Two new optional tables for the vulnerability model (issue 16): "
        "`vulnerability_predictors` (the 31 registry predictors of every mother of a birth, "
        "per mother and birth year, built inside the secure environment) and "
        "`vulnerability_predictions` (what `kansrijk vulnerability predict` writes from it: "
        "per mother and birth year the probability per imputation, the label and the model "
        "id). Both are optional: an extract of version 1.0 or 1.1 stays valid and the "
        "indicators 2023-11 and 2024-14 are skipped as 'missing input' without "
        "`vulnerability_predictions`. No change to the other tables.",
    ),
    (
        "1.3",
        "New optional table `municipality_classes` (issue 17): inhabitants and address "
        "density per municipality of the classification year, from CBS Kerncijfers wijken en "
        "buurten, for the local monitor's group of similar municipalities. An extract of an "
        "earlier version stays valid; without it the local monitor has no comparison group.",
    ),
)
#: The provenance file an extract builder writes beside the tables (what was left out, and
#: why); the validator accepts it as a sidecar.
EXTRACT_MANIFEST = "extract-manifest.json"
#: What the extract builder does with Vektis rows that have no linked mother.
UNLINKED_VEKTIS = (
    "Rows without a linked mother (Vektis RinPersoons/Rinpersoon missing) are dropped when "
    "the extract is built: `mother_id` is never NULL, and `registry validate` reports every "
    "NULL as 'missing value in a column that must not be empty', with the number of such "
    "rows. Report the number dropped, per table and delivery year, in the extract builder's "
    f"log and in `{EXTRACT_MANIFEST}` beside the tables: "
    '`{"dropped_rows": {"<table>": {"no_mother_id": {"<year>": <rows>}}}}`. Indicators '
    "2019-10 and 2024-13 count a live birth without a linked trajectory as 'no kraamzorg', "
    "so that number says how much of their share may be linkage rather than care."
)

#: Pseudonymised identifiers: letters, digits, '-' and '_' (HMAC output is hex).
ID_PATTERN = r"^[0-9A-Za-z_-]{6,64}$"
#: CBS municipality code as written in the contract: GM followed by four digits.
MUNICIPALITY_PATTERN = r"^GM[0-9]{4}$"


class ColumnType(StrEnum):
    """Logical column types; the validator maps them to DuckDB types."""

    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    DATE = "date"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Column:
    """One column of a contract table."""

    name: str
    type: ColumnType
    description: str
    origin: str
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    codes: tuple[str | int, ...] | None = None
    pattern: str | None = None
    references: str | None = None  # "table.column"; NULL values are not checked


@dataclass(frozen=True)
class RowRule:
    """A check across columns of one row, as a SQL boolean that must hold."""

    name: str
    sql: str
    message: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One table of the contract, with its key and cross-column rules."""

    name: str
    description: str
    source: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rules: tuple[RowRule, ...] = ()
    required: bool = True
    notes: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.name} has no column {name}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


S, INT, F, D, B = (
    ColumnType.STRING,
    ColumnType.INTEGER,
    ColumnType.FLOAT,
    ColumnType.DATE,
    ColumnType.BOOLEAN,
)


def _person(
    name: str = "person_id",
    *,
    origin: str,
    nullable: bool = False,
    references: str | None = "persons.person_id",
    description: str = "Pseudonymised person identifier.",
) -> Column:
    return Column(
        name, S, description, origin, nullable=nullable, pattern=ID_PATTERN, references=references
    )


def _year(origin: str, description: str = "Calendar year the row describes.") -> Column:
    return Column("year", INT, description, origin, minimum=1990, maximum=2035)


def _spell_rule(start: str, end: str) -> RowRule:
    return RowRule(
        name=f"{end}_not_before_{start}",
        sql=f"{end} IS NULL OR {end} >= {start}",
        message=f"spell ends ({end}) before it starts ({start})",
        columns=(start, end),
    )


SEX_CODES = ("M", "F")
MIGRATION_CODES = (
    "dutch",
    "western",
    "morocco",
    "turkey",
    "suriname",
    "antilles_aruba",
    "other_non_western",
    "unknown",
)
HOUSEHOLD_TYPES = (
    "single",
    "couple_without_children",
    "couple_with_children",
    "single_parent",
    "other",
    "institutional",
)
EDUCATION_LEVELS = ("low", "middle", "high")
#: Negative special codes of INHP100HGEST kept as they come from CBS (see docs).
INCOME_SPECIAL_CODES = (-3, -2, -1)
#: Perined `sterfte` coding used in the contract (see docs/data-contract.md).
MORTALITY_CODES = (0, 1, 2, 3, 4, 5, 9)
MATERNITY_CLAIM_TYPES = (
    "kraamzorg_per_uur",
    "kraamzorg_intake",
    "kraamzorg_partus",
    "verloskundige_zorg",
    "preconceptie_consult",
    "overig",
)
YOUTH_PROTECTION_CODES = (11, 12, 21, 22, 23, 31, 32, 99)
YOUTH_CARE_CODES = (11, 12, 13, 14, 21, 22, 23, 31, 32, 41, 99)
ATC4_PATTERN = r"^[A-Z][0-9]{2}[A-Z]$"  # first four characters: N06A, not N06AB
DBC_PATTERN = r"^[0-9]{9}$"
PC4_MIN, PC4_MAX = 1000, 9999


TABLES: tuple[Table, ...] = (
    Table(
        name="persons",
        description="Every person the monitor may meet: children, their parents and, with "
        "`--population full`, the rest of the population.",
        source="CBS GBAPERSOONTAB (+ LANDAKTUEELREFV for migration background)",
        primary_key=("person_id",),
        columns=(
            _person(origin="CBS RINPERSOONS+RINPERSOON, pseudonymised", references=None),
            Column("sex", S, "M or F.", "CBS GBAGESLACHT (1 -> M, 2 -> F)", codes=SEX_CODES),
            Column("birth_date", D, "Date of birth.", "CBS GBAGEBOORTEJAAR/-MAAND/-DAG"),
            Column(
                "death_date",
                D,
                "Date of death, if any.",
                "CBS GBAOVERLIJDENTAB GBADATUMOVERLIJDEN",
                nullable=True,
            ),
            Column(
                "migration_background",
                S,
                "Migration background group.",
                "CBS GBAHERKOMSTGROEPERING -> LANDAKTUEELREFV ETNGRP/LANDTIENDELING",
                codes=MIGRATION_CODES,
            ),
        ),
        rules=(
            RowRule(
                "death_not_before_birth",
                "death_date IS NULL OR death_date >= birth_date",
                "death date before birth date",
                ("birth_date", "death_date"),
            ),
        ),
    ),
    Table(
        name="parent_links",
        description="Legal parents of each child (mother and father or partner).",
        source="CBS KINDOUDERTAB (latest file)",
        primary_key=("child_id",),
        columns=(
            _person("child_id", origin="CBS RINPERSOONS/RINPERSOON"),
            _person(
                "mother_id",
                origin="CBS RINPERSOONSMa/RINPERSOONMa",
                nullable=True,
                description="Legal mother; NULL when unknown.",
            ),
            _person(
                "father_id",
                origin="CBS RINPERSOONSpa/RINPERSOONpa",
                nullable=True,
                description="Legal father or second parent; NULL when unknown.",
            ),
        ),
        rules=(
            RowRule(
                "parent_is_not_child",
                "(mother_id IS NULL OR mother_id <> child_id) AND "
                "(father_id IS NULL OR father_id <> child_id)",
                "a child is linked as its own parent",
                ("child_id", "mother_id", "father_id"),
            ),
        ),
    ),
    Table(
        name="births",
        description="One row per child born (live or stillborn), from the perinatal registry.",
        source="Perined (PRN, linked by CBS)",
        primary_key=("birth_id",),
        columns=(
            Column(
                "birth_id",
                S,
                "Identifier of the birth record (one per child).",
                "Perined record key, pseudonymised",
                pattern=ID_PATTERN,
            ),
            _person(
                "child_id",
                origin="Perined Rinpersoon_Kind",
                nullable=True,
                description="Child's person id; NULL for most stillbirths and failed links.",
            ),
            _person(
                "mother_id",
                origin="Perined Rinpersoon_Moeder",
                nullable=True,
                description="Mother's person id; NULL when the link failed. Rows with a "
                "NULL mother are distinct mothers, never one person.",
            ),
            Column(
                "birth_date", D, "Date of birth or delivery.", "Perined geboortedatum (jaar = year)"
            ),
            Column(
                "gestational_age_days",
                INT,
                "Gestational age at birth in days.",
                "Perined amddd (amww = completed weeks = days // 7)",
                minimum=112,
                maximum=315,
            ),
            Column(
                "birth_weight_g",
                INT,
                "Birth weight in grams.",
                "Perined geboortegew",
                nullable=True,
                minimum=200,
                maximum=6500,
            ),
            Column(
                "sex",
                S,
                "Sex of the child (NULL: unknown or undetermined).",
                "Perined geslacht",
                nullable=True,
                codes=SEX_CODES,
            ),
            Column(
                "multiplicity",
                INT,
                "Number of children of this pregnancy.",
                "Perined omv",
                minimum=1,
                maximum=6,
            ),
            Column(
                "birth_order",
                INT,
                "Order within a multiple birth (1 = first born).",
                "Perined rangnummer",
                minimum=1,
                maximum=6,
            ),
            Column(
                "parity",
                INT,
                "Number of earlier births of the mother.",
                "Perined par",
                nullable=True,
                minimum=0,
                maximum=25,
            ),
            Column(
                "live_born",
                B,
                "True for a live birth, false for a stillbirth.",
                "Perined sterfte in (1, 2) -> false; CBS GBALEVENDGEBORENENMASSATAB",
            ),
            Column(
                "first_visit_gestational_day",
                INT,
                "Gestational day of the first antenatal visit.",
                "Perined amddd1ond",
                nullable=True,
                minimum=0,
                maximum=315,
            ),
            Column(
                "birth_weight_percentile",
                F,
                "Birth-weight percentile as supplied by Perined (Hoftiezer 2019), if any.",
                "Perined hoftiezer",
                nullable=True,
                minimum=0,
                maximum=100,
            ),
            Column(
                "perinatal_mortality",
                INT,
                "0 alive at 1 year; 1 antepartum death; 2 intrapartum death; 3 death day 0-6; "
                "4 death day 7-27; 5 death day 28-364; 9 unknown.",
                "Perined sterfte",
                codes=MORTALITY_CODES,
            ),
        ),
        rules=(
            RowRule(
                "birth_order_within_multiplicity",
                "birth_order <= multiplicity",
                "birth order larger than multiplicity",
                ("birth_order", "multiplicity"),
            ),
            RowRule(
                "stillbirth_mortality_code",
                "live_born OR perinatal_mortality IN (1, 2, 9)",
                "stillbirth with a mortality code for a live-born child",
                ("live_born", "perinatal_mortality"),
            ),
            RowRule(
                "live_birth_mortality_code",
                "NOT live_born OR perinatal_mortality NOT IN (1, 2)",
                "live birth coded as fetal death",
                ("live_born", "perinatal_mortality"),
            ),
            RowRule(
                "first_visit_before_birth",
                "first_visit_gestational_day IS NULL OR "
                "first_visit_gestational_day <= gestational_age_days",
                "first antenatal visit after the birth",
                ("first_visit_gestational_day", "gestational_age_days"),
            ),
        ),
    ),
    Table(
        name="addresses",
        description="Residence spells: where a person lived from when to when.",
        source="CBS GBAADRESOBJECTBUS + VSLPOSTCODEBUS (PC4) + VSLGWBTAB (municipality of the "
        "time)",
        primary_key=("person_id", "valid_from"),
        columns=(
            _person(origin="CBS RINPERSOONS/RINPERSOON"),
            Column(
                "municipality_code",
                S,
                "Municipality of the address on the dates of the spell (codes of that time, "
                "GM####; mapped to a classification year by kansrijk.geo).",
                "CBS VSLGWBTAB gemYYYY of the spell's year",
                pattern=MUNICIPALITY_PATTERN,
            ),
            Column(
                "postcode4",
                INT,
                "Four-digit postcode of the address.",
                "CBS VSLPOSTCODEBUS POSTCODENUM (first 4 digits)",
                nullable=True,
                minimum=PC4_MIN,
                maximum=PC4_MAX,
            ),
            Column("valid_from", D, "First day of the spell.", "CBS GBADATUMAANVANGADRESHOUDING"),
            Column(
                "valid_to",
                D,
                "Last day of the spell; NULL while open.",
                "CBS GBADATUMEINDEADRESHOUDING",
                nullable=True,
            ),
        ),
        rules=(_spell_rule("valid_from", "valid_to"),),
        notes=("Spells of one person must not overlap.",),
    ),
    Table(
        name="household_income",
        description="Standardised disposable household income and household type per person-year.",
        source="CBS INHATAB (via KOPPELPERSOONHUISHOUDEN and the main earner)",
        primary_key=("person_id", "year"),
        columns=(
            _person(origin="CBS RINPERSOONS/RINPERSOON"),
            _year("CBS INHATAB file year"),
            Column(
                "income_percentile",
                INT,
                "Percentile (1-100) of standardised disposable household income; negative "
                "special codes -3..-1 kept as delivered (no or partial household income).",
                "CBS INHP100HGEST (2024: INHP100HGESTES)",
                nullable=True,
                minimum=-3,
                maximum=100,
            ),
            Column(
                "household_type",
                S,
                "Household composition.",
                "CBS INHSAMHH (grouped)",
                nullable=True,
                codes=HOUSEHOLD_TYPES,
            ),
            Column(
                "household_size",
                INT,
                "Number of persons in the household.",
                "CBS INHAHL",
                nullable=True,
                minimum=1,
                maximum=30,
            ),
        ),
        rules=(
            RowRule(
                "income_percentile_not_zero",
                "income_percentile IS NULL OR income_percentile <> 0",
                "income percentile 0 is not a valid code",
                ("income_percentile",),
            ),
        ),
    ),
    Table(
        name="education",
        description="Highest attained education level per person-year.",
        source="CBS HOOGSTEOPLTAB (OPLNIVSOI2016AGG4HB, first digit)",
        primary_key=("person_id", "year"),
        required=False,
        columns=(
            _person(origin="CBS RINPERSOONS/RINPERSOON"),
            _year("CBS HOOGSTEOPLTAB file year"),
            Column(
                "education_level",
                S,
                "low, middle or high.",
                "CBS OPLNIVSOI2016AGG4HB first digit 1/2/3",
                codes=EDUCATION_LEVELS,
            ),
        ),
    ),
    Table(
        name="debt_restructuring",
        description="Statutory debt restructuring (WSNP) spells.",
        source="CBS WSNPPERSBUS (latest file)",
        primary_key=("person_id", "start_date"),
        columns=(
            _person(origin="CBS RINPERSOONS/RINPERSOON"),
            Column("start_date", D, "Date of admission to the WSNP.", "CBS Wsnpdatumtoelaat"),
            Column(
                "end_date", D, "End date; NULL while running.", "CBS Wsnpdatumbeein", nullable=True
            ),
        ),
        rules=(_spell_rule("start_date", "end_date"),),
    ),
    Table(
        name="premium_arrears",
        description="Persons registered as health-insurance defaulters (>= 6 months premium "
        "arrears, CAK register) in a year.",
        source="CBS WANBZVWTAB (file year)",
        primary_key=("person_id", "year"),
        columns=(_person(origin="CBS RINPERSOONS/RINPERSOON"), _year("CBS WANBZVWTAB file year")),
    ),
    Table(
        name="healthcare_costs",
        description="Health-insurance (Zvw) costs per person-year, in euros.",
        source="CBS ZVWZORGKOSTENTAB",
        primary_key=("person_id", "year"),
        columns=(
            _person(origin="CBS RINPERSOONS/RINPERSOON"),
            _year("CBS ZVWZORGKOSTENTAB file year"),
            Column(
                "cost_total",
                F,
                "All Zvw costs (sum of cost columns).",
                "CBS row sum of ZVWK* except ZVWKOPHOOGFACTOR and ZVWKTOTAAL",
                minimum=0,
            ),
            Column(
                "cost_ggz_basic",
                F,
                "Basic mental health care (until 2021).",
                "CBS ZVWKGENBASGGZ",
                nullable=True,
                minimum=0,
            ),
            Column(
                "cost_ggz_specialist",
                F,
                "Specialist mental health care (until 2021).",
                "CBS ZVWKSPECGGZ",
                nullable=True,
                minimum=0,
            ),
            Column(
                "cost_ggz_zpm",
                F,
                "Mental health care under the zorgprestatiemodel (from 2022).",
                "CBS ZVWKGGZZPMTOTAAL",
                nullable=True,
                minimum=0,
            ),
            Column("cost_gp", F, "General practitioner.", "CBS ZVWKHUISARTS", minimum=0),
            Column(
                "cost_hospital",
                F,
                "Hospital (medical specialist) care.",
                "CBS ZVWKZIEKENHUIS",
                minimum=0,
            ),
            Column(
                "cost_maternity", F, "Birth and maternity care.", "CBS ZVWKGEBOORTEZORG", minimum=0
            ),
        ),
        rules=(
            RowRule(
                "ggz_columns_by_year",
                "(year < 2022 AND cost_ggz_zpm IS NULL) OR "
                "(year >= 2022 AND cost_ggz_basic IS NULL AND cost_ggz_specialist IS NULL)",
                "GGZ cost column does not match the year (basic/specialist until 2021, "
                "zorgprestatiemodel from 2022)",
                ("year", "cost_ggz_basic", "cost_ggz_specialist", "cost_ggz_zpm"),
            ),
        ),
    ),
    Table(
        name="medication",
        description="Dispensed medication per person-year and ATC4 code (one row per code).",
        source="CBS MEDICIJNTAB",
        primary_key=("person_id", "year", "atc4"),
        columns=(
            _person(origin="CBS RINPERSOONS/RINPERSOON"),
            _year("CBS MEDICIJNTAB file year"),
            Column(
                "atc4", S, "ATC code, 4 characters (e.g. N06A).", "CBS ATC4", pattern=ATC4_PATTERN
            ),
        ),
    ),
    Table(
        name="detentions",
        description="Detention spells.",
        source="CBS GEDETINEERDENTAB",
        primary_key=("person_id", "start_date"),
        columns=(
            _person(origin="CBS RINPERSOONS/RINPERSOON"),
            Column("start_date", D, "Start of detention.", "CBS GEDETDATUMBEGIN"),
            Column(
                "end_date",
                D,
                "End of detention; NULL while detained.",
                "CBS GEDETDATUMEINDE",
                nullable=True,
            ),
        ),
        rules=(_spell_rule("start_date", "end_date"),),
    ),
    Table(
        name="divorces",
        description="Divorces and dissolved registered partnerships.",
        source="CBS GBASCHEIDINGENMASSATAB",
        primary_key=("person_id", "divorce_date"),
        columns=(
            _person(
                origin="CBS RINPERSOONS/RINPERSOON of one partner field",
                description="A divorced person.",
            ),
            _person(
                "partner_id",
                origin="CBS the other partner field",
                nullable=True,
                description="The former partner; NULL when not linked.",
            ),
            Column(
                "divorce_date",
                D,
                "Date the marriage or partnership ended.",
                "CBS GBADATUMSCHEIDING",
            ),
        ),
        rules=(
            RowRule(
                "partner_is_not_self",
                "partner_id IS NULL OR partner_id <> person_id",
                "a person is their own former partner",
                ("person_id", "partner_id"),
            ),
        ),
        notes=(
            "One row per divorce (A in `person_id`, B in `partner_id`) or one row per partner "
            "((A, B) and (B, A), same date): both are valid and give the same figures. The "
            "monitor finds a parent's divorce in either column (risk factor 'divorce' of "
            "2019-11). Put a linked partner in `partner_id` whenever the source has one: a "
            "divorce whose second partner is NULL counts for the first partner only.",
        ),
    ),
    Table(
        name="deaths",
        description="Registered deaths (used for the death of a partner or parent).",
        source="CBS GBAOVERLIJDENTAB",
        primary_key=("person_id",),
        columns=(
            _person(origin="CBS RINPERSOONS/RINPERSOON"),
            Column("death_date", D, "Date of death.", "CBS GBADATUMOVERLIJDEN"),
        ),
    ),
    Table(
        name="maternity_trajectories",
        description="Birth-care trajectories of mothers as declared to health insurers (births "
        "and miscarriages).",
        source="Vektis 01 MoedersEnbevallingenenmiskramen + 07 indicatiesurenkraamzorg",
        primary_key=("trajectory_id",),
        notes=(UNLINKED_VEKTIS,),
        columns=(
            Column(
                "trajectory_id",
                S,
                "Trajectory identifier.",
                "Vektis trajectid, pseudonymised",
                pattern=ID_PATTERN,
            ),
            _person(
                "mother_id",
                origin="Vektis RinPersoons/Rinpersoon of the mother",
                description="The mother; rows without a linked mother are dropped (see note).",
            ),
            Column(
                "delivery_month",
                D,
                "First day of the delivery month.",
                "Vektis bevallingsmaand (YYYYMM)",
            ),
            Column(
                "indicated_hours",
                F,
                "Indicated kraamzorg hours.",
                "Vektis omvang_indicatie (minutes) / 60",
                nullable=True,
                minimum=0,
                maximum=200,
            ),
        ),
    ),
    Table(
        name="maternity_claims",
        description="Claim lines of birth care per trajectory and service month.",
        source="Vektis 03 Geboortezorgmoeders + 04 Geboortezorgmoedersdetails",
        primary_key=("claim_id",),
        notes=(
            UNLINKED_VEKTIS,
            "The claims of a dropped trajectory are dropped with it (their `trajectory_id` "
            "would refer to no trajectory).",
        ),
        columns=(
            Column(
                "claim_id",
                S,
                "Claim line identifier.",
                "row number in the Vektis file",
                pattern=ID_PATTERN,
            ),
            Column(
                "trajectory_id",
                S,
                "Trajectory the claim belongs to.",
                "Vektis trajectid",
                pattern=ID_PATTERN,
                references="maternity_trajectories.trajectory_id",
            ),
            _person(
                "mother_id",
                origin="Vektis RinPersoons/Rinpersoon",
                description="The mother; rows without a linked mother are dropped (see note).",
            ),
            Column(
                "service_month",
                D,
                "First day of the month the service was delivered.",
                "Vektis prestatiemaand / beginmaand_prestatie",
            ),
            Column(
                "claim_type",
                S,
                "Grouped claim type.",
                "Vektis ib_indeling (grouped)",
                codes=MATERNITY_CLAIM_TYPES,
            ),
            Column(
                "description",
                S,
                "Claim description as delivered.",
                "Vektis omschrijving",
                nullable=True,
            ),
            Column(
                "hours",
                F,
                "Hours delivered (kraamzorg per uur).",
                "Vektis aantal",
                nullable=True,
                minimum=0,
                maximum=300,
            ),
        ),
    ),
    Table(
        name="hospital_care_products",
        description="Hospital care products (DBC) per person-year, for the long-stay exclusion.",
        source="CBS MSZPRESTATIESVEKTTAB",
        primary_key=("person_id", "year", "care_product_code"),
        columns=(
            _person(origin="CBS RINPERSOONS/RINPERSOON"),
            _year("CBS MSZPRESTATIESVEKTTAB file year"),
            Column(
                "care_product_code",
                S,
                "DBC care product (9 digits).",
                "CBS VEKTMSZDBCZorgproduct",
                pattern=DBC_PATTERN,
            ),
        ),
    ),
    Table(
        name="youth_protection",
        description="Child protection measures (supervision, guardianship).",
        source="CBS JGDBESCHERMBUS",
        primary_key=("person_id", "measure_code", "start_date"),
        columns=(
            _person(origin="CBS RINPERSOONS/RINPERSOON"),
            Column(
                "measure_code",
                INT,
                "11/12 supervision order (OTS), 21-23 guardianship; others other measures.",
                "CBS JGDBMAATREGEL",
                codes=YOUTH_PROTECTION_CODES,
            ),
            Column("start_date", D, "Start of the measure.", "CBS JGDBGELDIGHEIDBEGINDATUM"),
            Column(
                "end_date",
                D,
                "End of the measure; NULL while running.",
                "CBS JGDBGELDIGHEIDEINDDATUM",
                nullable=True,
            ),
        ),
        rules=(_spell_rule("start_date", "end_date"),),
    ),
    Table(
        name="youth_care",
        description="Youth care spells.",
        source="CBS JGDHULPBUS",
        primary_key=("person_id", "care_form_code", "start_date"),
        columns=(
            _person(origin="CBS RINPERSOONS/RINPERSOON"),
            Column(
                "care_form_code",
                INT,
                "11-14 youth care with residence (foster care, family home, residential); "
                "others without residence.",
                "CBS JGDHHULPVORM",
                codes=YOUTH_CARE_CODES,
            ),
            Column("start_date", D, "Start of the care.", "CBS JGDHGELDIGHEIDBEGINDATUM"),
            Column(
                "end_date",
                D,
                "End of the care; NULL while running.",
                "CBS JGDHGELDIGHEIDEINDDATUM",
                nullable=True,
            ),
        ),
        rules=(_spell_rule("start_date", "end_date"),),
    ),
    Table(
        name="jgz_contacts",
        description="JGZ contact around age 2: speech-language items and growth.",
        source="JGZ organisations (digital child records, delivered per organisation)",
        primary_key=("child_id", "contact_date"),
        required=False,
        columns=(
            _person("child_id", origin="JGZ record, linked to BSN and pseudonymised"),
            Column(
                "organisation_code",
                S,
                "JGZ organisation.",
                "delivering JGZ organisation",
                pattern=r"^JGZ[0-9]{2,3}$",
            ),
            Column("contact_date", D, "Date of the contact.", "JGZ contact date"),
            Column(
                "age_days",
                INT,
                "Age of the child at the contact in days.",
                "derived: contact date - birth date",
                minimum=0,
                maximum=1460,
            ),
            Column(
                "says_two_word_sentences",
                B,
                "Van Wiechen item 'zegt zinnen van twee woorden' positive.",
                "JGZ Van Wiechen 2-year item",
                nullable=True,
            ),
            Column(
                "points_six_body_parts",
                B,
                "Van Wiechen item 'wijst zes lichaamsdelen aan bij pop' positive.",
                "JGZ Van Wiechen 2-year item",
                nullable=True,
            ),
            Column(
                "height_cm",
                F,
                "Length or height in cm.",
                "JGZ measurement",
                nullable=True,
                minimum=50,
                maximum=130,
            ),
            Column(
                "weight_kg",
                F,
                "Weight in kg.",
                "JGZ measurement",
                nullable=True,
                minimum=4,
                maximum=40,
            ),
        ),
    ),
    Table(
        name="impuls_applications",
        description="Municipalities that applied for the Kansrijke Start Impuls, per tranche.",
        source="Programme registry (VWS / Pharos)",
        primary_key=("municipality_code", "tranche"),
        required=False,
        columns=(
            Column(
                "municipality_code",
                S,
                "Municipality (code of the application year).",
                "programme registry",
                pattern=MUNICIPALITY_PATTERN,
            ),
            Column(
                "tranche",
                INT,
                "Tranche number (1 = 2019, ...).",
                "programme registry",
                minimum=1,
                maximum=10,
            ),
            Column(
                "application_date", D, "Date the application was granted.", "programme registry"
            ),
        ),
    ),
    Table(
        name="nu_niet_zwanger",
        description="Nu Niet Zwanger: centre municipalities and municipalities that joined.",
        source="GGD GHOR Nederland",
        primary_key=("municipality_code",),
        required=False,
        columns=(
            Column(
                "municipality_code",
                S,
                "Municipality.",
                "GGD GHOR Nederland",
                pattern=MUNICIPALITY_PATTERN,
            ),
            Column(
                "centre_code",
                S,
                "Centre municipality (shelter / protected housing) of the region.",
                "GGD GHOR Nederland",
                pattern=MUNICIPALITY_PATTERN,
            ),
            Column(
                "role", S, "centre or joined.", "GGD GHOR Nederland", codes=("centre", "joined")
            ),
            Column(
                "start_date",
                D,
                "Date NNZ started or the municipality joined; NULL: not started.",
                "GGD GHOR Nederland",
                nullable=True,
            ),
        ),
    ),
    Table(
        name="voorzorg_municipalities",
        description="Municipalities where VoorZorg is offered, per year.",
        source="NCJ",
        primary_key=("municipality_code", "year"),
        required=False,
        columns=(
            Column("municipality_code", S, "Municipality.", "NCJ", pattern=MUNICIPALITY_PATTERN),
            _year("NCJ reference year"),
        ),
    ),
    Table(
        name="midwifery_practices",
        description="Midwifery practices and whether one of their midwives is trained in "
        "CenteringZwangerschap, per reference date (1 October).",
        source="Stichting Centering Nederland + KNOV practice list",
        primary_key=("practice_id", "year"),
        required=False,
        columns=(
            Column("practice_id", S, "Practice (AGB code).", "AGB register", pattern=r"^[0-9]{8}$"),
            _year("reference date 1 October of the year"),
            Column(
                "centering_trained",
                B,
                "At least one midwife trained in CenteringZwangerschap.",
                "Stichting Centering Nederland",
            ),
        ),
    ),
    Table(
        name="jgz_organisations",
        description="JGZ organisations and whether they offer CenteringOuderschap, per year.",
        source="Stichting Centering Nederland + NCJ",
        primary_key=("organisation_code", "year"),
        required=False,
        columns=(
            Column("organisation_code", S, "JGZ organisation.", "NCJ", pattern=r"^JGZ[0-9]{2,3}$"),
            _year("reference year"),
            Column("name", S, "Name of the organisation.", "NCJ"),
            Column(
                "serves_first_1000_days",
                B,
                "Serves parents and children in the first 1000 days.",
                "NCJ",
            ),
            Column(
                "offers_centering_ouderschap",
                B,
                "Offers CenteringOuderschap.",
                "Stichting Centering Nederland",
            ),
        ),
    ),
)

#: Imputations a prediction row may carry (RIVM: m = 5); ``probability_1`` is required.
MAX_IMPUTATIONS = 5
#: The model id of a prediction: the SHA-256 of the model's training data (its manifest's
#: ``data_hash``), so a prediction names the model that made it.
MODEL_ID_PATTERN = r"^[0-9a-f]{64}$"
_PREDICTED_MOTHER = (
    "The mother (pseudonymised); one row per mother and birth year: a mother with births in "
    "two years has two rows, each with the predictors of its own year."
)


def _predictor_column(p: Predictor) -> Column:
    """A predictor as a contract column: its codes, window and CBS source."""
    codes = ", ".join(f"{k} {label}" for k, label in enumerate(p.categories))
    missing = (
        "NULL when unknown (imputed by the model)."
        if p.missing_allowed
        else "Never NULL: no record means code 0 (as in RIVM's code)."
    )
    return Column(
        p.name,
        INT,
        f"{p.description} ({codes}); window {p.window}. {missing}",
        f"CBS {p.cbs_source}",
        nullable=p.missing_allowed,
        codes=tuple(range(p.n_categories)),
    )


VULNERABILITY_TABLES: tuple[Table, ...] = (
    Table(
        name="vulnerability_predictors",
        description="The 31 registry predictors of the vulnerability classifier (stage 2) for "
        "every mother of a birth, per birth year y, in the stage-1 coding. Input of "
        "`kansrijk vulnerability predict`; built inside the secure environment.",
        source="CBS microdata, one source per predictor (see the columns; DIAPER notes 6.3)",
        primary_key=("person_id", "year"),
        required=False,
        columns=(
            _person(
                origin="CBS RINPERSOONS/RINPERSOON of the mother", description=_PREDICTED_MOTHER
            ),
            _year("birth year y of the child", "Birth year y the predictors are derived for."),
            *(_predictor_column(p) for p in PREDICTORS),
        ),
        notes=(
            "Codes and windows are those of `kansrijk.vulnerability.predictors` (the model "
            "card in docs/vulnerability-model.md lists them). A predictor the spec never leaves "
            "missing must be 0 when the source has no record (no debt record = no debts).",
        ),
    ),
    Table(
        name="vulnerability_predictions",
        description="Predicted membership of the multidimensionally vulnerable class per mother "
        "and birth year: what `kansrijk vulnerability predict` writes when run inside the "
        "secure environment on `vulnerability_predictors` (one row per row there). The "
        "engine's indicators 2023-11 and 2024-14 and the vulnerability breakdown read it.",
        source="`kansrijk vulnerability predict --model MODEL --data DIR --out DIR` "
        "(stage-2 random forest, MICE with m imputations)",
        primary_key=("person_id", "year"),
        required=False,
        columns=(
            _person(origin="vulnerability_predictors.person_id", description=_PREDICTED_MOTHER),
            _year("vulnerability_predictors.year", "Birth year y the prediction is for."),
            *(
                Column(
                    f"probability_{k}",
                    F,
                    f"Predicted probability of the multidimensional class, imputation {k}"
                    + (" (NULL when fewer imputations were run)." if k > 1 else "."),
                    "kansrijk vulnerability predict",
                    nullable=k > 1,
                    minimum=0,
                    maximum=1,
                )
                for k in range(1, MAX_IMPUTATIONS + 1)
            ),
            Column(
                "label",
                B,
                "RIVM's per-child label: probability_1 at or above the model's F1-optimal "
                "threshold (imputation 1 only). Not used for the indicators (see notes).",
                "kansrijk vulnerability predict",
            ),
            Column(
                "n_imputed",
                INT,
                "Number of the mother's predictors that were missing and imputed.",
                "kansrijk vulnerability predict",
                minimum=0,
                maximum=len(PREDICTORS),
            ),
            Column(
                "model_id",
                S,
                "The model that made the prediction: the SHA-256 of its training data "
                "(`data_hash` in the model's manifest.json).",
                "model manifest.json",
                pattern=MODEL_ID_PATTERN,
            ),
        ),
        notes=(
            "Wide format: one probability column per imputation (`probability_1` .. "
            f"`probability_{MAX_IMPUTATIONS}`), so the table keeps one row per mother and "
            "birth year and its key stays (person_id, year).",
            "The file is microdata (it carries the internal mark of "
            "`kansrijk.publication.internal`); it never leaves the secure environment.",
        ),
    ),
)

#: Public reference data beside the registry tables (issue 17).
REFERENCE_TABLES: tuple[Table, ...] = (
    Table(
        name="municipality_classes",
        description="Inhabitants and address density of every municipality of the "
        "classification year: the monitor derives CBS's urbanisation class and a size class "
        "from them (`kansrijk.geo.classes`) and compares each municipality in the local "
        "monitor with the municipalities of the same classes.",
        source="CBS Kerncijfers wijken en buurten of the classification year (public): "
        "AantalInwoners, Omgevingsadressendichtheid",
        primary_key=("statcode",),
        required=False,
        columns=(
            Column(
                "statcode",
                S,
                "Municipality code of the classification year.",
                "Kerncijfers wijken en buurten: Codering (gemeente rows)",
                pattern=MUNICIPALITY_PATTERN,
            ),
            Column(
                "inhabitants",
                INT,
                "Number of inhabitants on 1 January.",
                "Kerncijfers wijken en buurten: AantalInwoners",
                minimum=0,
            ),
            Column(
                "address_density",
                F,
                "Address density (omgevingsadressendichtheid): addresses per km2 within a "
                "radius of 1 km, averaged over the municipality's addresses.",
                "Kerncijfers wijken en buurten: Omgevingsadressendichtheid",
                minimum=0,
            ),
        ),
        notes=(
            "Public data, no persons: it is not pseudonymised. The monitor publishes only the "
            "classes derived from it (code, urbanisation class, size class), not the counts.",
            "`registry validate` reports a code that was never a municipality (with "
            "`kansrijk.geo`'s list of municipalities), a negative value and a duplicate code, "
            "each with file, row and column. Without the table the local monitor has no "
            "comparison group and says so.",
        ),
    ),
)

TABLES = TABLES + VULNERABILITY_TABLES + REFERENCE_TABLES
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The contract table called ``name``."""
    try:
        return TABLES_BY_NAME[name]
    except KeyError:
        raise KeyError(f"no table {name!r} in data contract {CONTRACT_VERSION}") from None

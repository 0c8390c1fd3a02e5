"""A synthetic GGD Gezondheidsmonitor sample: the 42 stage-1 variables of the vulnerability model.

Each woman gets a latent class drawn from the published class sizes (Molenaar et al. 2023) and
then her 42 answers independently given that class (the local independence the latent class
model assumes), from `PROFILES`: the published proportions where the paper reports them and
values chosen here, one comment per item, where it does not. Item non-response follows
`MISSING`. The table is one row per woman; the true class is kept in one column clearly marked
synthetic-only (`TRUTH_COLUMN`) so that tests can score the model against it; a model must never
read it.

Everything is drawn with vectorised numpy from named streams (`kansrijk.synth.rng`): the same
``n`` and ``seed`` give the same table.
"""

from __future__ import annotations

import json
from typing import Final

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from kansrijk.synth.ids import make_ids
from kansrijk.synth.rng import stream
from kansrijk.vulnerability.items import (
    CLASSES,
    ITEMS,
    ITEMS_BY_NAME,
    PUBLISHED,
    STUDY_N,
)
from kansrijk.vulnerability.items import TRUTH_COLUMN as _TRUTH_COLUMN

#: The column that holds the planted class (1-5, the paper's numbering). Synthetic data only.
TRUTH_COLUMN: Final = _TRUTH_COLUMN
ID_COLUMN: Final = "woman_id"
DEFAULT_SEED: Final = 20161001
#: Table metadata key; its JSON says what the table is.
METADATA_KEY: Final = b"kansrijk.survey"
#: Version of the generator: bump when the same seed gives different answers.
SURVEY_VERSION: Final = 1

Profile = tuple[float, float, float, float, float] | tuple[tuple[float, ...], ...]

# fmt: off
#: P(item == 1 | class) for binary items, or P(category | class) for categorical items, classes
#: 1-5: multidimensional, high care utilisation, socioeconomic, psychosocial, healthy and
#: stable. "pub" marks the published cells (checked against `kansrijk.vulnerability.items.
#: PUBLISHED` at import); every other cell is chosen here, with the reason in the comment.
#: Quantile items are chosen so that the population share matches the quantile (top quintile
#: about 20%, top decile about 10%), and shares of low education and migration background
#: about match the study population (8% and 18%).
PROFILES: Final[dict[str, Profile]] = {
    # Age <24 / 24-35 / >35: young mothers in the vulnerable classes, older in classes 2 and 5.
    "age_group": ((0.20, 0.72, 0.08), (0.03, 0.80, 0.17), (0.15, 0.75, 0.10),
                  (0.12, 0.80, 0.08), (0.04, 0.83, 0.13)),
    # Dutch / other Western / non-Western. Pub: class 3 non-Dutch 0.56. Others chosen so the
    # population share with a migration background is about 20% (study: 18%).
    "migration_background": ((0.70, 0.08, 0.22), (0.85, 0.07, 0.08), (0.44, 0.10, 0.46),
                             (0.82, 0.08, 0.10), (0.86, 0.07, 0.07)),
    # Pub: class 4 0.55, which the paper singles out; the others somewhat lower.
    "nulliparous": (0.38, 0.40, 0.35, 0.55, 0.42),
    # Rare; most in the socioeconomic class (with its non-Western share), some in class 1.
    "asylum_migrant": (0.03, 0.005, 0.12, 0.01, 0.003),
    # Low / middle / high. Pub: class 3 0.30 / 0.39 (so high 0.31); high in classes 2 (0.65)
    # and 5 (0.70). Classes 1 and 4 chosen in between; population low about 9% (study 8%).
    "education": ((0.25, 0.50, 0.25), (0.05, 0.30, 0.65), (0.30, 0.39, 0.31),
                  (0.08, 0.42, 0.50), (0.04, 0.26, 0.70)),
    # <P10 / P10-P90 / >P90: low income mostly in classes 1 and 3 (population about 6%,
    # study 5%); high income in the stable and high-care classes.
    "income_group": ((0.30, 0.67, 0.03), (0.03, 0.80, 0.17), (0.25, 0.73, 0.02),
                     (0.04, 0.86, 0.10), (0.01, 0.81, 0.18)),
    # Benefits or no income / pupil or student / paid work. Pub: benefits 0.62 (class 1) and
    # 0.87 (class 3); paid work 0.96 (class 2) and 0.98 (class 5). Students mostly in classes 1
    # and 4 (young).
    "socioeconomic_status": ((0.62, 0.08, 0.30), (0.02, 0.02, 0.96), (0.87, 0.03, 0.10),
                             (0.08, 0.10, 0.82), (0.01, 0.01, 0.98)),
    # Debts follow income and benefits: high in classes 1 and 3.
    "financial_problems": (0.25, 0.02, 0.20, 0.05, 0.01),
    # No permanent contract: most of the non-working classes 1 and 3, half of class 4.
    "no_permanent_contract": (0.85, 0.35, 0.85, 0.50, 0.30),
    # Pub: class 4 0.31 (full-time 0.69). Dutch women mostly work part-time: 0.55 in class 5.
    "not_full_time": (0.85, 0.55, 0.90, 0.31, 0.55),
    # Single-parent or one-person household: class 1 and the unmarried class 4.
    "single_parent_household": (0.30, 0.05, 0.15, 0.20, 0.05),
    # Pub: class 3 0.30 (married 0.70). Cohabitation is common before a first child: about
    # half the stable classes unmarried, most of classes 1 and 4.
    "not_married": (0.75, 0.45, 0.30, 0.70, 0.45),
    # Divorce in four years: rare, most in class 1.
    "divorce": (0.08, 0.02, 0.02, 0.04, 0.01),
    # Six or more persons: larger families in the socioeconomic (migrant) class.
    "large_household": (0.05, 0.02, 0.15, 0.02, 0.02),
    # Youth care for a child: class 1 mostly.
    "youth_care_children": (0.15, 0.03, 0.05, 0.04, 0.02),
    # Pub: class 2 1.00, class 3 0.17 (0.83 not), class 4 0.05. Classes 1 and 5 chosen so the
    # population share is 0.20: 0.06*0.60 + 0.116 + 0.095*0.17 + 0.24*0.05 + 0.489*0.04.
    "total_costs_top_quintile": (0.60, 1.00, 0.17, 0.05, 0.04),
    # Pub: class 1 0.67. Others chosen so the population share is about 0.20.
    "gp_costs_top_quintile": (0.67, 0.45, 0.15, 0.20, 0.10),
    # Pub: class 2 0.69. Others chosen so the population share is about 0.10.
    "hospital_costs_top_decile": (0.20, 0.69, 0.03, 0.02, 0.01),
    # All five published.
    "rented_home": (0.64, 0.10, 0.58, 0.36, 0.10),
    # Five or more medicines: the ill classes 1 and 2.
    "high_medication_use": (0.45, 0.30, 0.08, 0.10, 0.04),
    # Intellectual disability register: rare, most in class 1, some in class 3.
    "intellectual_disability": (0.06, 0.005, 0.04, 0.005, 0.002),
    # Addiction care: rare, most in class 1.
    "addiction_care": (0.05, 0.005, 0.01, 0.01, 0.002),
    # GGZ costs: class 1 and the psychosocial class 4.
    "mental_health_care": (0.45, 0.10, 0.05, 0.20, 0.04),
    # Crime suspect (seven years): rare, most in class 1.
    "crime_suspect": (0.08, 0.01, 0.04, 0.03, 0.01),
    # Crime victim (five years): class 1, then the psychosocial class.
    "crime_victim": (0.15, 0.05, 0.06, 0.08, 0.04),
    # Detention (twelve years): very rare.
    "detained": (0.01, 0.001, 0.005, 0.002, 0.001),
    # Five or more moves in five years: class 1, then the young class 4.
    "frequent_moves": (0.10, 0.02, 0.05, 0.06, 0.02),
    # All five published.
    "bereavement": (0.06, 0.05, 0.01, 0.03, 0.03),
    # All five published.
    "no_motor_vehicle": (0.32, 0.07, 0.29, 0.13, 0.06),
    # All five published.
    "gp_over_3km": (0.02, 0.08, 0.05, 0.04, 0.08),
    # All five published.
    "low_liveability": (0.18, 0.03, 0.22, 0.09, 0.03),
    # Pub: 0.70, 0.13 (positive 0.87), 0.10 (positive 0.90), -, 0.00 (positive 1.00).
    # Class 4 chosen low (0.08): psychosocial, not physical.
    "negative_perceived_health": (0.70, 0.13, 0.10, 0.08, 0.00),
    # Pub: class 1 0.76. High care class 0.20 (illness), the others low.
    "restricted_by_health": (0.76, 0.20, 0.05, 0.05, 0.01),
    # Pub: class 1 0.68. The high care class 0.40, the others low.
    "long_term_illness": (0.68, 0.40, 0.10, 0.15, 0.08),
    # Pub: class 1 0.87, class 4 0.71. Others chosen low; class 5 the lowest.
    "depression_anxiety_risk": (0.87, 0.25, 0.20, 0.71, 0.10),
    # Low / moderate / high. Pub: class 5 high 0.37, the highest; the others below it.
    "control_over_life": ((0.60, 0.35, 0.05), (0.20, 0.55, 0.25), (0.30, 0.52, 0.18),
                          (0.40, 0.48, 0.12), (0.10, 0.53, 0.37)),
    # Underweight / healthy / overweight / obese. Pub: class 2 healthy 0.68. Obesity higher in
    # classes 1 and 3 (low SES).
    "bmi_group": ((0.04, 0.40, 0.28, 0.28), (0.03, 0.68, 0.20, 0.09), (0.03, 0.45, 0.30, 0.22),
                  (0.04, 0.58, 0.24, 0.14), (0.03, 0.62, 0.24, 0.11)),
    # Pub: 0.87, 0.22 (not lonely 0.78), -, 0.57, 0.14 (not lonely 0.86). Class 3 chosen
    # between (0.40): migration and low income go with loneliness.
    "lonely": (0.87, 0.22, 0.40, 0.57, 0.14),
    # Difficulty making ends meet: follows income and benefits.
    "difficulty_making_ends_meet": (0.55, 0.05, 0.40, 0.15, 0.03),
    # Below the exercise guideline: common everywhere, more in classes 1 and 3.
    "below_exercise_guideline": (0.60, 0.45, 0.60, 0.45, 0.40),
    # Excessive drinking: uncommon; a little more in the young psychosocial class.
    "excessive_drinking": (0.05, 0.03, 0.01, 0.06, 0.04),
    # Smoking: class 1 most, then classes 3 and 4.
    "smoker": (0.35, 0.08, 0.15, 0.15, 0.06),
}

#: Item non-response (share missing) in classes 2, 4, 5; classes 1 and 3 miss `VULNERABLE_MISSING`
#: times as often (vulnerable respondents skip more questions and have fewer registry records).
#: Registry items the DIAPER notes list as never missing by construction get 0. Education is
#: missing more often for women with a non-Western background (`EDUCATION_MISSING_NON_WESTERN`):
#: CBS's education file covers mainly diplomas obtained in the Netherlands.
MISSING: Final[dict[str, float]] = {
    "age_group": 0.0,  # date of birth is always known
    "migration_background": 0.005,  # "unknown" origin
    "nulliparous": 0.01,  # parity from the birth record
    "education": 0.03,  # plus the non-Western excess below
    "income_group": 0.02,  # no income record
    "socioeconomic_status": 0.01,  # no SECM spell
    "total_costs_top_quintile": 0.03,  # no Zvw cost record
    "gp_costs_top_quintile": 0.03,  # idem
    "rented_home": 0.01,  # no household income record
    "mental_health_care": 0.02,  # no GGZ record
    "gp_over_3km": 0.005,  # no address
    "low_liveability": 0.01,  # no liveability score for the postcode
    "negative_perceived_health": 0.01,  # survey: short, simple question
    "restricted_by_health": 0.02,
    "long_term_illness": 0.02,
    "depression_anxiety_risk": 0.05,  # sensitive: a ten-item scale (K10), often incomplete
    "control_over_life": 0.04,  # multi-item mastery scale
    "bmi_group": 0.05,  # weight is sensitive and often not reported
    "lonely": 0.04,  # multi-item loneliness scale, sensitive
    "difficulty_making_ends_meet": 0.03,  # income questions are sensitive
    "below_exercise_guideline": 0.04,  # long activity questionnaire
    "excessive_drinking": 0.05,  # sensitive
    "smoker": 0.02,
}
VULNERABLE_MISSING: Final = 1.5
EDUCATION_MISSING_NON_WESTERN: Final = 0.10
# fmt: on


def _profile_array() -> NDArray[np.float64]:
    """(class, item, category) probabilities, categories padded to the widest item with 0."""
    width = max(item.n_categories for item in ITEMS)
    out = np.zeros((len(CLASSES), len(ITEMS), width))
    for j, item in enumerate(ITEMS):
        profile = PROFILES[item.name]
        for c in range(len(CLASSES)):
            value = profile[c]
            if item.is_binary:
                if not isinstance(value, float | int):
                    raise ValueError(f"PROFILES[{item.name!r}]: a binary item takes P(yes)")
                out[c, j, :2] = (1.0 - value, value)
            else:
                if isinstance(value, float | int) or len(value) != item.n_categories:
                    raise ValueError(
                        f"PROFILES[{item.name!r}]: class {c + 1} needs "
                        f"{item.n_categories} category probabilities"
                    )
                out[c, j, : item.n_categories] = value
    if not np.allclose(out.sum(axis=2), 1.0):
        bad = np.argwhere(~np.isclose(out.sum(axis=2), 1.0))
        raise ValueError(f"PROFILES: probabilities do not sum to 1 for (class, item) {bad}")
    return out


def check_profiles() -> NDArray[np.float64]:
    """The profile array, after checking it covers every item and agrees with every
    published cell (so the chosen values cannot drift from the paper's)."""
    if set(PROFILES) != set(ITEMS_BY_NAME):
        raise ValueError(f"PROFILES: items differ: {set(PROFILES) ^ set(ITEMS_BY_NAME)}")
    if not set(MISSING) <= set(ITEMS_BY_NAME):
        raise ValueError(f"MISSING: unknown items {set(MISSING) - set(ITEMS_BY_NAME)}")
    profiles = _profile_array()
    index = {item.name: j for j, item in enumerate(ITEMS)}
    for cell in PUBLISHED:
        value = profiles[cell.class_number - 1, index[cell.item], cell.category]
        if not np.isclose(value, cell.value):
            raise ValueError(
                f"PROFILES[{cell.item!r}] class {cell.class_number} category {cell.category}: "
                f"{value} differs from the published {cell.value}"
            )
    return profiles


_PROFILES = check_profiles()


def _cumulative(profiles: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cumulative category probabilities, exactly 1 from each item's last category on (so
    rounding can never draw a code beyond it)."""
    cumulative = np.cumsum(profiles, axis=2)
    last = np.array([item.n_categories - 1 for item in ITEMS])
    cumulative[:, np.arange(cumulative.shape[2])[None, :] >= last[:, None]] = 1.0
    return cumulative


_CUMULATIVE = _cumulative(_PROFILES)


def class_shares() -> NDArray[np.float64]:
    """The published class shares, normalised to sum to 1."""
    shares = np.array([c.share for c in CLASSES], dtype=np.float64)
    normalised: NDArray[np.float64] = shares / shares.sum()
    return normalised


def _draw_classes(n: int, seed: int) -> NDArray[np.int64]:
    """Class index 0-4 per woman, drawn independently from the published shares."""
    classes: NDArray[np.int64] = stream(seed, "survey.class").choice(
        len(CLASSES), size=n, p=class_shares()
    )
    return classes


def _draw_answers(classes: NDArray[np.int64], seed: int) -> NDArray[np.int8]:
    """(woman, item) category codes, drawn from each woman's class profile."""
    cumulative = _CUMULATIVE[classes]  # (n, items, categories)
    u = stream(seed, "survey.answers").random((classes.size, len(ITEMS)))
    # The code is the number of cumulative bounds at or below u (u < 1 = the last bound).
    codes: NDArray[np.int8] = (u[:, :, None] >= cumulative[:, :, :-1]).sum(axis=2).astype(np.int8)
    return codes


def _missing_mask(
    classes: NDArray[np.int64], answers: NDArray[np.int8], seed: int
) -> NDArray[np.bool_]:
    """Which answers are missing: item rate x class factor (+ the education excess)."""
    rate = np.array([MISSING.get(item.name, 0.0) for item in ITEMS])
    vulnerable = np.isin(classes, [c.number - 1 for c in CLASSES if c.number in (1, 3)])
    rates = rate[None, :] * np.where(vulnerable, VULNERABLE_MISSING, 1.0)[:, None]
    names = [item.name for item in ITEMS]
    edu, mig = names.index("education"), names.index("migration_background")
    non_western = answers[:, mig] == 2
    rates[:, edu] += np.where(non_western, EDUCATION_MISSING_NON_WESTERN, 0.0)
    return stream(seed, "survey.missing").random(answers.shape) < rates


def survey_schema() -> pa.Schema:
    """The survey table: pseudonym, the 42 items (int8, null = missing), the synthetic truth."""
    fields = [pa.field(ID_COLUMN, pa.string(), nullable=False)]
    for item in ITEMS:
        codes = ", ".join(f"{k}={label}" for k, label in enumerate(item.categories))
        meta = {"description": item.description, "source": item.source.value, "codes": codes}
        fields.append(pa.field(item.name, pa.int8(), metadata=meta))
    truth_meta = {
        "description": "planted latent class 1-5 (paper numbering); SYNTHETIC DATA ONLY: "
        "a model must never read it",
        "synthetic_only": "true",
    }
    fields.append(pa.field(TRUTH_COLUMN, pa.int8(), nullable=False, metadata=truth_meta))
    return pa.schema(fields)


def generate_survey(n: int = STUDY_N, seed: int = DEFAULT_SEED) -> pa.Table:
    """A synthetic Gezondheidsmonitor sample of ``n`` women (one row each), see module doc."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    classes = _draw_classes(n, seed)
    answers = _draw_answers(classes, seed)
    missing = _missing_mask(classes, answers, seed)
    schema = survey_schema()
    columns: list[pa.Array] = [make_ids("G", np.arange(n, dtype=np.int64), seed)]
    columns += [pa.array(answers[:, j], pa.int8(), mask=missing[:, j]) for j in range(len(ITEMS))]
    columns.append(pa.array((classes + 1).astype(np.int8), pa.int8()))
    about = {
        "what": "synthetic GGD Gezondheidsmonitor sample (kansrijk.synth.survey)",
        "version": SURVEY_VERSION,
        "n": n,
        "seed": seed,
        "truth_column": TRUTH_COLUMN,
    }
    metadata = {METADATA_KEY: json.dumps(about, sort_keys=True).encode("utf-8")}
    return pa.Table.from_arrays(columns, schema=schema.with_metadata(metadata))


# --- the registry predictors of stage 2 -------------------------------------------------------
#
# The classifier (stage 2) reads the 31 registry predictors of every mother, in the stage-1
# coding (`kansrijk.vulnerability.predictors`). Were they drawn from the class profiles above
# they would give the planted class away (an ideal classifier would reach AUC 0.99): the
# registry items of the profiles were chosen to make the five classes recognisable *with* the
# survey answers. The published classifier is good but not that good (AUC about 0.85-0.9), as
# the registry record of the year before a birth is not the survey-linked record the classes
# were found on. So each predictor repeats the class-driven value with probability
# `REGISTRY_AGREEMENT` and is otherwise drawn from the population distribution (whatever the
# class): P(x | class) = a * profile(x | class) + (1 - a) * population(x). With a = 0.5 an ideal
# classifier reaches AUC 0.88 on the 31 predictors.
#
# For a survey respondent the class-driven value is her survey item, so the survey and the
# predictor table agree on most registry values of the same woman; for any other mother it is
# drawn afresh from her planted class (`generate_predictors`).

#: Probability that a predictor repeats the class-driven value (else: population draw).
REGISTRY_AGREEMENT: Final = 0.5
#: Share missing per predictor (classes 2, 4, 5; classes 1 and 3: x `VULNERABLE_MISSING`),
#: only for predictors the spec allows to be missing; the others are defaulted to "no" by the
#: DIAPER code. Education is the survey-derived one: HOOGSTEOPLTAB combines diploma registers
#: with the Labour Force Survey (EBB), so it is missing for about a quarter of young women,
#: more for women with a non-Western background (`EDUCATION_MISSING_NON_WESTERN`).
PREDICTOR_MISSING: Final[dict[str, float]] = {
    "age_group": 0.01,  # date of birth of the mother not linked
    "migration_background": 0.02,  # origin "unknown"
    "nulliparous": 0.03,  # rank of the child not known (stillbirths, immigrants)
    "education": 0.25,  # survey-derived: no diploma record and not in the EBB
    "income_group": 0.04,  # no INHATAB household (institutions, recent immigrants)
    "socioeconomic_status": 0.03,  # no SECM spell in most months
    "large_household": 0.04,  # household size 99
    "total_costs_top_quintile": 0.06,  # no Zvw cost record
    "gp_costs_top_quintile": 0.06,  # idem
    "rented_home": 0.04,  # no INHATAB household
    "mental_health_care": 0.06,  # no Zvw cost record
    "gp_over_3km": 0.02,  # no address on 30 June
    "low_liveability": 0.08,  # no address, or no Leefbaarometer score for the PC4
}


def _population_profile() -> NDArray[np.float64]:
    """(item, category) distribution in the population: the profiles weighted by class share."""
    marginal: NDArray[np.float64] = np.einsum("c,cjk->jk", class_shares(), _PROFILES)
    return marginal


def _registry_columns() -> NDArray[np.int64]:
    from kansrijk.vulnerability.predictors import PREDICTOR_NAMES  # noqa: PLC0415

    index = {item.name: j for j, item in enumerate(ITEMS)}
    return np.array([index[name] for name in PREDICTOR_NAMES], dtype=np.int64)


def _draw_codes(cumulative: NDArray[np.float64], u: NDArray[np.float64]) -> NDArray[np.int8]:
    """Codes from (row, column, category) cumulative probabilities and (row, column) uniforms."""
    codes: NDArray[np.int8] = (u[:, :, None] >= cumulative[:, :, :-1]).sum(axis=2).astype(np.int8)
    return codes


def _predictor_missing(
    classes: NDArray[np.int64], codes: NDArray[np.int8], seed: int
) -> NDArray[np.bool_]:
    """Which predictors are missing: rate x class factor (+ the education excess)."""
    from kansrijk.vulnerability.predictors import PREDICTOR_NAMES  # noqa: PLC0415

    rate = np.array([PREDICTOR_MISSING.get(name, 0.0) for name in PREDICTOR_NAMES])
    vulnerable = np.isin(classes, [0, 2])  # classes 1 and 3
    rates = rate[None, :] * np.where(vulnerable, VULNERABLE_MISSING, 1.0)[:, None]
    edu = PREDICTOR_NAMES.index("education")
    mig = PREDICTOR_NAMES.index("migration_background")
    rates[:, edu] += np.where(codes[:, mig] == 2, EDUCATION_MISSING_NON_WESTERN, 0.0)
    return stream(seed, "predictors.missing").random(codes.shape) < rates


def _predictor_table(
    ids: pa.Array,
    classes: NDArray[np.int64],
    codes: NDArray[np.int8],
    missing: NDArray[np.bool_],
    about: dict[str, object],
    *,
    truth: bool,
) -> pa.Table:
    from kansrijk.vulnerability.predictors import PREDICTORS, predictor_schema  # noqa: PLC0415

    schema = predictor_schema(truth_column=TRUTH_COLUMN if truth else None)
    columns: list[pa.Array] = [ids]
    columns += [
        pa.array(codes[:, j], pa.int8(), mask=missing[:, j] if p.missing_allowed else None)
        for j, p in enumerate(PREDICTORS)
    ]
    if truth:
        columns.append(pa.array((classes + 1).astype(np.int8), pa.int8()))
    metadata = {METADATA_KEY: json.dumps(about, sort_keys=True).encode("utf-8")}
    return pa.Table.from_arrays(columns, schema=schema.with_metadata(metadata))


def generate_survey_predictors(n: int = STUDY_N, seed: int = DEFAULT_SEED) -> pa.Table:
    """The 31 registry predictors of the women of ``generate_survey(n, seed)``, keyed by the
    same ``woman_id``: each repeats her survey registry item with probability
    `REGISTRY_AGREEMENT` (before the survey's item non-response), else a population draw."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    classes = _draw_classes(n, seed)
    registry = _draw_answers(classes, seed)[:, _registry_columns()]
    cumulative = _cumulative(_population_profile()[None])[0][_registry_columns()]
    u = stream(seed, "predictors.values").random((2, n, registry.shape[1]))
    fresh = _draw_codes(np.broadcast_to(cumulative, (n, *cumulative.shape)), u[0])
    codes = np.where(u[1] < REGISTRY_AGREEMENT, registry, fresh).astype(np.int8)
    missing = _predictor_missing(classes, codes, seed)
    ids = make_ids("G", np.arange(n, dtype=np.int64), seed)
    about = {
        "what": "synthetic registry predictors of the survey sample (kansrijk.synth.survey)",
        "version": SURVEY_VERSION,
        "n": n,
        "seed": seed,
        "registry_agreement": REGISTRY_AGREEMENT,
    }
    return _predictor_table(ids, classes, codes, missing, about, truth=False)


def draw_population_classes(
    n: int, seed: int, shares: NDArray[np.float64] | None = None
) -> NDArray[np.int64]:
    """Planted class 1-5 (paper numbering) of ``n`` mothers, from ``shares`` (default: the
    published ones)."""
    p = class_shares() if shares is None else np.asarray(shares, dtype=np.float64)
    if p.shape != (len(CLASSES),) or np.any(p < 0) or not np.isclose(p.sum(), 1.0):
        raise ValueError(f"shares must be {len(CLASSES)} non-negative numbers summing to 1")
    drawn: NDArray[np.int64] = stream(seed, "population.class").choice(len(CLASSES), size=n, p=p)
    return drawn + 1


def generate_predictors(
    classes: NDArray[np.int64],
    seed: int,
    ids: pa.Array | None = None,
    *,
    truth: bool = True,
) -> pa.Table:
    """The 31 registry predictors of mothers with the given planted classes (1-5), one row
    each: drawn from a * profile(class) + (1 - a) * population, with predictor missingness.

    ``ids`` (default: ``M`` pseudonyms from the row number) key the rows; the engine passes
    the mothers of a birth cohort. With ``truth`` the planted class is kept in
    `TRUTH_COLUMN` (synthetic data only) so the prevalence estimate can be scored."""
    classes = np.asarray(classes, dtype=np.int64)
    if classes.ndim != 1 or classes.size == 0:
        raise ValueError("classes must be a non-empty 1-d array")
    if np.any((classes < 1) | (classes > len(CLASSES))):
        raise ValueError(f"classes must be 1..{len(CLASSES)} (the paper's numbering)")
    n = classes.size
    index = classes - 1
    profile = REGISTRY_AGREEMENT * _PROFILES + (1 - REGISTRY_AGREEMENT) * _population_profile()
    cumulative = _cumulative(profile)[:, _registry_columns()]  # (class, predictor, category)
    u = stream(seed, "population.values").random((n, cumulative.shape[1]))
    codes = _draw_codes(cumulative[index], u)
    missing = _predictor_missing(index, codes, seed)
    if ids is None:
        ids = make_ids("M", np.arange(n, dtype=np.int64), seed)
    elif len(ids) != n:
        raise ValueError(f"{len(ids)} ids for {n} mothers")
    about = {
        "what": "synthetic registry predictors of mothers (kansrijk.synth.survey)",
        "version": SURVEY_VERSION,
        "n": n,
        "seed": seed,
        "registry_agreement": REGISTRY_AGREEMENT,
    }
    return _predictor_table(ids, index, codes, missing, about, truth=truth)

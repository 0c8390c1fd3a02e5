"""Programme registries: Impuls applications, Nu Niet Zwanger, VoorZorg,
CenteringZwangerschap practices and CenteringOuderschap JGZ organisations.

These registries list organisations, not people, so the generator writes the
published counts of organisations (the published figures are counts of these
very registries); which municipalities or practices they are is drawn at
random, favouring larger municipalities where uptake was larger in reality.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from kansrijk import geo
from kansrijk.synth.geography import municipality_weights
from kansrijk.synth.rng import stream

#: Impuls tranches: (year, municipalities granted in that tranche).
IMPULS_TRANCHES = ((2019, 147), (2020, 60), (2021, 66), (2022, 31), (2023, 18))
NNZ_CENTRES = 50
NNZ_STARTED_BY_YEAR = {2018: 12, 2019: 22, 2020: 31, 2021: 38, 2022: 42, 2023: 45, 2024: 47}
NNZ_JOINED_BY_2021 = 138
VOORZORG_BY_YEAR = {
    2015: 92,
    2016: 98,
    2017: 104,
    2018: 110,
    2019: 117,
    2020: 130,
    2021: 150,
    2022: 158,
    2023: 164,
    2024: 170,
}
#: (practices on 1 October, practices with a Centering-trained midwife).
MIDWIFERY_BY_YEAR = {
    2015: (560, 120),
    2016: (563, 140),
    2017: (566, 158),
    2018: (570, 178),
    2019: (575, 194),
    2020: (580, 203),
    2021: (590, 229),
    2022: (592, 240),
    2023: (595, 248),
    2024: (597, 255),
}
CENTERING_OUDERSCHAP_BY_YEAR = {
    2015: 3,
    2016: 4,
    2017: 5,
    2018: 7,
    2019: 8,
    2020: 8,
    2021: 9,
    2022: 11,
    2023: 12,
    2024: 12,
}
N_JGZ_ORGANISATIONS = 36


def _codes_by_size(
    year: int, rng: np.random.Generator, k: int, exclude: set[str] | None = None
) -> list[str]:
    """``k`` municipalities of ``year``, drawn with probability rising with size."""
    weights = municipality_weights()
    codes = [m.code for m in geo.municipalities(year) if not exclude or m.code not in exclude]
    w = np.array([weights.get(c, np.median(list(weights.values()))) ** 0.5 for c in codes])
    keys = np.log(w) + rng.gumbel(size=w.size)
    picked = np.argsort(-keys)[:k]
    return sorted(codes[i] for i in picked)


def programme_tables(seed: int, years: range) -> dict[str, pa.Table]:
    """All programme registry tables for the years of the dataset."""
    rng = stream(seed, "programme")
    out: dict[str, pa.Table] = {}

    rows: list[tuple[str, int, date]] = []
    granted: set[str] = set()
    for tranche, (year, count) in enumerate(IMPULS_TRANCHES, start=1):
        if year > years.stop - 1:
            break
        current = {m.code for m in geo.municipalities(year)}
        granted = {c for c in granted if c in current}
        new = _codes_by_size(year, rng, count, exclude=granted)
        granted |= set(new)
        rows += [
            (
                c,
                tranche,
                date(year, 3, 1) + np.timedelta64(int(rng.integers(0, 200)), "D").astype(object),
            )
            for c in new
        ]
    out["impuls_applications"] = pa.table(
        {
            "municipality_code": [r[0] for r in rows],
            "tranche": pa.array([r[1] for r in rows], pa.int32()),
            "application_date": pa.array([r[2] for r in rows], pa.date32()),
        }
    )

    ref_year = min(max(years.stop - 1, 2021), 2025)
    weights = municipality_weights()
    codes = sorted(
        (m.code for m in geo.municipalities(ref_year)), key=lambda c: -weights.get(c, 0.0)
    )
    centres = codes[:NNZ_CENTRES]
    order = rng.permutation(NNZ_CENTRES)
    start: dict[str, date | None] = dict.fromkeys(centres)
    done = 0
    for year, started in sorted(NNZ_STARTED_BY_YEAR.items()):
        for i in order[done:started]:
            start[centres[i]] = date(year, 1, 1) + (date(year, 7, 1) - date(year, 1, 1)) * float(
                rng.random()
            )
        done = started
    others = list(codes[NNZ_CENTRES:])
    joined = [others[i] for i in rng.choice(len(others), NNZ_JOINED_BY_2021, replace=False)]
    started_by_2021 = {c: d for c, d in start.items() if d is not None and d.year <= 2021}
    started_centres = sorted(started_by_2021)
    nnz_rows = [(c, c, "centre", start[c]) for c in centres]
    for c in sorted(joined):
        centre = started_centres[int(rng.integers(0, len(started_centres)))]
        first = max(started_by_2021[centre], date(2019, 1, 1))
        nnz_rows.append(
            (c, centre, "joined", first + (date(2021, 12, 31) - first) * float(rng.random()))
        )
    out["nu_niet_zwanger"] = pa.table(
        {
            "municipality_code": [r[0] for r in nnz_rows],
            "centre_code": [r[1] for r in nnz_rows],
            "role": [r[2] for r in nnz_rows],
            "start_date": pa.array([r[3] for r in nnz_rows], pa.date32()),
        }
    )

    vz_rows: list[tuple[str, int]] = []
    offered: set[str] = set()
    for year in years:
        if year not in VOORZORG_BY_YEAR:
            continue
        current = {m.code for m in geo.municipalities(year)}
        offered = {c for c in offered if c in current}
        target = VOORZORG_BY_YEAR[year]
        if len(offered) < target:
            offered |= set(_codes_by_size(year, rng, target - len(offered), exclude=offered))
        vz_rows += [(c, year) for c in sorted(offered)]
    out["voorzorg_municipalities"] = pa.table(
        {
            "municipality_code": [r[0] for r in vz_rows],
            "year": pa.array([r[1] for r in vz_rows], pa.int32()),
        }
    )

    ids = [f"{30000000 + int(i):08d}" for i in rng.choice(9_000_000, 700, replace=False)]
    trained_order = rng.permutation(700)
    mw_rows: list[tuple[str, int, bool]] = []
    for year in years:
        if year not in MIDWIFERY_BY_YEAR:
            continue
        total, trained = MIDWIFERY_BY_YEAR[year]
        active = ids[:total]
        rank = {ids[i]: r for r, i in enumerate(trained_order)}
        ranked = sorted(active, key=lambda p: rank[p])[:trained]
        trained_set = set(ranked)
        mw_rows += [(p, year, p in trained_set) for p in active]
    out["midwifery_practices"] = pa.table(
        {
            "practice_id": [r[0] for r in mw_rows],
            "year": pa.array([r[1] for r in mw_rows], pa.int32()),
            "centering_trained": [r[2] for r in mw_rows],
        }
    )

    offer_order = rng.permutation(N_JGZ_ORGANISATIONS) + 1
    jgz_rows: list[tuple[str, int, str, bool, bool]] = []
    for year in years:
        k = CENTERING_OUDERSCHAP_BY_YEAR.get(year, 0)
        offering = set(offer_order[:k].tolist())
        jgz_rows += [
            (f"JGZ{o:02d}", year, f"JGZ-organisatie {o:02d}", True, o in offering)
            for o in range(1, N_JGZ_ORGANISATIONS + 1)
        ]
    out["jgz_organisations"] = pa.table(
        {
            "organisation_code": [r[0] for r in jgz_rows],
            "year": pa.array([r[1] for r in jgz_rows], pa.int32()),
            "name": [r[2] for r in jgz_rows],
            "serves_first_1000_days": [r[3] for r in jgz_rows],
            "offers_centering_ouderschap": [r[4] for r in jgz_rows],
        }
    )
    return out

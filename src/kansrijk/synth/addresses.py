"""Residence spells: households move, couples separate, children live with
their mother, and municipal reorganisations split a spell (as in the BRP,
where the municipality code of an unchanged address changes on a merger)."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from kansrijk.synth.geography import AtomFrame
from kansrijk.synth.people import NEVER
from kansrijk.synth.rng import stream

IntArray = NDArray[np.int64]
OPEN = NEVER


def _new_atoms(rng: np.random.Generator, home: IntArray, atoms: AtomFrame) -> IntArray:
    """A destination per move: 75% within the province of ``home``, else anywhere."""
    provinces = np.asarray(atoms.province)
    out = rng.choice(atoms.weights.size, size=home.size, p=atoms.weights)
    local = rng.random(home.size) < 0.75
    for prov in np.unique(provinces[home[local]]):
        members = np.flatnonzero(provinces == prov)
        w = atoms.weights[members] / atoms.weights[members].sum()
        sel = np.flatnonzero(local & (provinces[home] == prov))
        out[sel] = members[rng.choice(members.size, size=sel.size, p=w)]
    return out.astype(np.int64)


def move_spells(
    rng: np.random.Generator,
    person: IntArray,
    start: IntArray,
    stop: IntArray,
    atom0: IntArray,
    rate: NDArray[np.float64],
    atoms: AtomFrame,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Spells from ``start`` to ``stop`` (exclusive) with Poisson moves per person."""
    span = np.maximum(stop - start, 0) / 365.25
    moves = rng.poisson(rate * span)
    who = np.repeat(np.arange(person.size), moves)
    when = start[who] + (rng.random(who.size) * (stop[who] - start[who])).astype(np.int64)
    dest = _new_atoms(rng, atom0[who], atoms)
    p = np.concatenate([np.arange(person.size), who])
    s = np.concatenate([start, when])
    a = np.concatenate([atom0, dest])
    order = np.lexsort((s, p))
    p, s, a = p[order], s[order], a[order]
    nxt = np.empty_like(s)
    nxt[:-1] = s[1:]
    last = np.ones(p.size, dtype=bool)
    last[:-1] = p[1:] != p[:-1]
    end = np.where(last, stop[p], nxt)
    keep = end > s
    return person[p][keep], s[keep], end[keep], a[keep]


def residence_spells(
    seed: int,
    *,
    parents_v: NDArray[np.float64],
    n_mothers: int,
    partner: IntArray,
    separation_day: IntArray,
    cohabiting: NDArray[np.bool_],
    birth_day: IntArray,
    death_day: IntArray,
    atom: IntArray,
    child_mother: IntArray,
    child_birth: IntArray,
    child_death: IntArray,
    panel_start_day: int,
    data_end_day: int,
    atoms: AtomFrame,
) -> pa.Table:
    """Spells for parents (index < n_parents) and live-born children (n_parents + k).

    Returns columns person (int), valid_from, valid_to (exclusive, OPEN if open),
    atom, postcode4.
    """
    rng = stream(seed, "addresses")
    n = parents_v.size
    horizon = data_end_day + 1
    rate = 0.075 * np.exp(0.3 * parents_v)
    start = np.maximum(birth_day, panel_start_day - rng.integers(0, 3650, n))
    mothers = np.arange(n_mothers)
    m_stop = np.minimum(death_day[mothers], horizon)
    parts = [move_spells(rng, mothers, start[mothers], m_stop, atom[mothers], rate[mothers], atoms)]
    fathers = np.arange(n_mothers, n)
    f_mother = partner[fathers]
    together = cohabiting[fathers]
    # Cohabiting fathers share the mother's spells until the separation.
    mp, ms, me, ma = parts[0]
    if together.any():
        father_of_mother = np.full(n_mothers, -1, dtype=np.int64)
        father_of_mother[f_mother[together]] = fathers[together]
        f = father_of_mother[mp]
        share = f >= 0
        f = f[share]
        s = np.maximum(ms[share], start[f])
        e = np.minimum(np.minimum(me[share], separation_day[f]), np.minimum(death_day[f], horizon))
        ok = e > s
        parts.append((f[ok], s[ok], e[ok], ma[share][ok]))
        sep = fathers[
            together & (separation_day[fathers] < np.minimum(death_day[fathers], horizon))
        ]
        parts.append(
            move_spells(
                rng,
                sep,
                separation_day[sep],
                np.minimum(death_day[sep], horizon),
                _new_atoms(rng, atom[sep], atoms),
                rate[sep],
                atoms,
            )
        )
    alone = fathers[~together]
    parts.append(
        move_spells(
            rng,
            alone,
            start[alone],
            np.minimum(death_day[alone], horizon),
            _new_atoms(rng, atom[alone], atoms),
            rate[alone],
            atoms,
        )
    )
    person = np.concatenate([p[0] for p in parts])
    valid_from = np.concatenate([p[1] for p in parts])
    valid_to = np.concatenate([p[2] for p in parts])
    spell_atom = np.concatenate([p[3] for p in parts])
    offset = atoms.postcode_offsets[spell_atom]
    count = atoms.postcode_counts[spell_atom]
    postcode = atoms.postcode_pool[offset + (rng.random(person.size) * count).astype(np.int64)]

    parents_tbl = pa.table(
        {
            "person": person,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "atom": spell_atom,
            "postcode4": postcode.astype(np.int64),
        }
    )
    children_tbl = pa.table(
        {
            "child": np.arange(child_mother.size, dtype=np.int64),
            "mother": child_mother,
            "birth": child_birth,
            "stop": np.where(child_death >= 0, child_death, horizon),
        }
    )
    periods = pa.table(
        {
            "atom": atoms.period_atom,
            "p_from": atoms.period_start,
            "p_to": atoms.period_end,
            "code": list(atoms.period_code),
        }
    )
    con = duckdb.connect()
    con.register("parent_spells", parents_tbl)
    con.register("kids", children_tbl)
    con.register("periods", periods)
    result = con.sql(f"""
        WITH child_spells AS (
            SELECT {n} + k.child AS person, greatest(s.valid_from, k.birth) AS valid_from,
                   least(s.valid_to, k.stop) AS valid_to, s.atom, s.postcode4
            FROM kids k JOIN parent_spells s
              ON s.person = k.mother AND s.valid_to > k.birth AND s.valid_from < k.stop
        ), orphan AS (  -- a child whose mother has no spell at birth stays at her first address
            SELECT {n} + k.child AS person, k.birth AS valid_from, k.stop AS valid_to,
                   first(s.atom ORDER BY s.valid_from) AS atom,
                   first(s.postcode4 ORDER BY s.valid_from) AS postcode4
            FROM kids k JOIN parent_spells s ON s.person = k.mother
            WHERE NOT EXISTS (SELECT 1 FROM parent_spells t WHERE t.person = k.mother
                              AND t.valid_from <= k.birth AND t.valid_to > k.birth)
              AND k.stop > k.birth
            GROUP BY ALL
        ), spells AS (
            SELECT * FROM parent_spells UNION ALL SELECT * FROM child_spells
            UNION ALL SELECT * FROM orphan
        )
        SELECT s.person, greatest(s.valid_from, p.p_from) AS valid_from,
               least(s.valid_to, p.p_to) AS valid_to, p.code AS municipality_code,
               s.postcode4
        FROM spells s JOIN periods p
          ON p.atom = s.atom AND p.p_from < s.valid_to AND p.p_to > s.valid_from
        WHERE least(s.valid_to, p.p_to) > greatest(s.valid_from, p.p_from)
        ORDER BY s.person, valid_from
    """).to_arrow_table()
    con.close()
    return result

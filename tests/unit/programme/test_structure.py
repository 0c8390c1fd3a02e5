"""The declared structure of the programme table: every figure a measure, the relations that
hold by construction, and the gate's check of them on the true counts."""

from __future__ import annotations

import pyarrow.compute as pc
import pytest

from kansrijk.programme import PROGRAMME_INDICATORS, compute_programme, programme_structure
from kansrijk.programme.model import Figure, ProgrammeIndicator
from kansrijk.programme.structure import IMPULS
from kansrijk.publication import ORGANISATIONS, StructureError, protect
from kansrijk.publication.protect import structure_fingerprint

from .fixtures import year_facts


def test_every_figure_of_every_edition_is_a_measure() -> None:
    structure = programme_structure()
    declared = {(r["indicator_id"], r["edition"]) for r in structure.measures.to_pylist()}
    assert declared == {
        (f.id, e) for d in PROGRAMME_INDICATORS for f in d.figures for e in d.editions
    }
    assert structure.measure_keys == ("indicator_id", "edition")
    # One region, single years, and no figure with both a total and breakdown rows: nothing
    # adds up along a hierarchy.
    assert structure.hierarchies == ()


def test_shared_counts_have_one_name() -> None:
    by_id = {
        r["indicator_id"]: (r["numerator"], r["denominator"])
        for r in programme_structure().measures.to_pylist()
    }
    # The headline and its responding variant count the same positive answers; indicators
    # 1 and 2 count the same Impuls municipalities.
    assert by_id["2019-01"][0] == by_id["2019-01r"][0]
    assert by_id["2019-01"][1] == by_id["2019-02"][1] == by_id["2019-01u"][1] == IMPULS
    # The two distributions count the same municipalities per answer.
    assert by_id["2019-01s"][0] == by_id["2019-01rs"][0]
    # Indicator 5's municipalities are the VoorZorg registry's, not indicator 3's.
    assert by_id["2019-05"][1] != by_id["2019-03a"][1]


def test_the_relations_hold_on_computed_tables() -> None:
    for facts in (
        year_facts(),
        year_facts(answers={}),
        year_facts(impuls=set()),
        year_facts(nnz_centres=set(), municipalities=set()),
    ):
        results = compute_programme([facts])  # protect checks them: no StructureError
        assert not any(results.table["suppressed"].to_pylist())


def test_a_broken_relation_is_refused() -> None:
    table = compute_programme([year_facts()]).table
    # One unknown more than the Impuls municipalities leave: responding + unknown != Impuls.
    unknown = pc.equal(table["indicator_id"], "2019-01u")
    numerator = pc.if_else(unknown, pc.add(table["numerator"], 1), table["numerator"])
    broken = table.set_column(table.schema.get_field_index("numerator"), "numerator", numerator)
    with pytest.raises(StructureError, match="do not hold"):
        protect(broken, programme_structure(), ORGANISATIONS)


def test_a_figure_without_quantities_is_refused() -> None:
    d = PROGRAMME_INDICATORS[0]
    extra = Figure("2019-01x", "x", "x", "x", "x")
    odd = ProgrammeIndicator(**{**d.__dict__, "figures": (*d.figures, extra)})
    with pytest.raises(KeyError, match="2019-01x"):
        programme_structure([odd])


def test_the_audit_names_the_structure() -> None:
    results = compute_programme([year_facts()])
    assert results.protected.audit["structure"] == structure_fingerprint(programme_structure())
    assert results.protected.policy == ORGANISATIONS

"""The publication gate at full scale (issue 13): protection plus audit on the full-population
run (both editions, 2015-2024, about 240,000 cells), against a baseline measured in the same
run: the local rules alone (primary suppression plus the vectorised group rules, no linear
programming). Target: protection plus audit within 60 s. Also reported: the information loss
(hidden share of NL totals and of the NL key breakdowns single parent = yes and income < P10).
Figures go to bench/results/publication.json.

Uses the dataset of test_bench_monitor (bench/.data/full; generated there when missing).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kansrijk.engine.run import RunConfig, compute_unpublished
from kansrijk.engine.structure import results_structure
from kansrijk.publication import DisclosurePolicy, protect
from kansrijk.publication.audit import audit_tables
from kansrijk.publication.relations import compile_relations
from kansrijk.publication.secondary import apply_local_rules
from kansrijk.publication.suppress import primary
from measure import full_dataset

pytestmark = pytest.mark.bench

HERE = Path(__file__).parent
RESULTS = HERE / "results"


@pytest.fixture(scope="module")
def data() -> Path:
    return full_dataset()


def _share(public: pa.Table, mask: pa.ChunkedArray) -> float:
    hidden = pc.sum(pc.and_(mask, public["suppressed"])).as_py() or 0
    total = pc.sum(mask).as_py() or 0
    return round(hidden / total, 4) if total else 0.0


def test_protection_and_audit_at_full_scale(data: Path, tmp_path: Path) -> None:
    config = RunConfig(
        data=data,
        edition=2021,
        extra_editions=(2024,),
        years=range(2015, 2025),
        classification_year=2023,
        out=tmp_path / "out",
    )
    cells = compute_unpublished(config).results
    structure = results_structure(cells, classification_year=2023)
    policy = DisclosurePolicy()

    started = time.perf_counter()
    relations = compile_relations(cells, structure)
    reason, _ = primary(relations, policy)
    local = apply_local_rules(relations, reason > 0, policy.level)
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    protected = protect(cells, structure, policy, budget=config.audit_work)
    protect_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = audit_tables(protected.public, protected.internal, structure, policy, budget=2000)
    audit_seconds = time.perf_counter() - started

    public = protected.public
    nl = pc.equal(public["region_type"], "nl")
    total = pc.equal(public["breakdown"], "total")
    single = pc.and_(
        pc.equal(public["breakdown"], "single_parent"), pc.equal(public["breakdown_value"], "yes")
    )
    low_income = pc.and_(
        pc.equal(public["breakdown"], "income_p10"), pc.equal(public["breakdown_value"], "<P10")
    )
    figures = {
        "cells": cells.num_rows,
        "baseline_local_rules_seconds": round(baseline, 2),
        "baseline_hidden": int(np.count_nonzero(local)),
        "protect_seconds": round(protect_seconds, 2),
        "audit_seconds": round(audit_seconds, 2),
        "ratio_protect_plus_audit_to_baseline": round(
            (protect_seconds + audit_seconds) / max(baseline, 1e-9), 1
        ),
        "hidden": int(pc.sum(public["suppressed"]).as_py() or 0),
        "audit_in_protect": protected.audit,
        "audit_after": report.summary,
        "hidden_share": {
            "nl_total": _share(public, pc.and_(nl, total)),
            "nl_single_parent_yes": _share(public, pc.and_(nl, single)),
            "nl_income_below_p10": _share(public, pc.and_(nl, low_income)),
        },
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "publication.json").write_text(
        json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8"
    )
    print(json.dumps(figures, indent=2, default=str))
    assert figures["hidden_share"]["nl_total"] == 0.0
    assert protect_seconds + audit_seconds <= 60.0

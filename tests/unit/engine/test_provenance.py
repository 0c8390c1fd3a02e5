"""`engine.provenance.definition_hashes`: the hash of a definition and of what computes it.

The hash must follow the code that runs: a changed rule anywhere in a family (here the
first-born rule of the pregnancies, a helper that the family's ``build`` only calls), in the
shared context or in reference data changes the hashes of the indicators that use it, and only
theirs. It must not follow anything else: the same definition gives the same hash in every
process.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kansrijk.engine import context, provenance
from kansrijk.engine.families import child_birth, pregnancy
from kansrijk.engine.provenance import definition_hashes, query_text
from kansrijk.indicators import Indicator, catalogue, indicator

EDITION = 2021
PREGNANCY = indicator("2019-07", EDITION)  # family pregnancy
YOUNG_CHILD = indicator("2019-15", EDITION)  # family young_child
SGA = indicator("2019-12", EDITION)  # family child_birth, reads the P10 chart
PAIRS = [(EDITION, PREGNANCY), (EDITION, YOUNG_CHILD)]


@pytest.fixture(scope="module")
def baseline() -> dict[str, str]:
    """Hashes by indicator id of the three definitions above, with the code as it is."""
    return hashes(PREGNANCY, YOUNG_CHILD, SGA)


@pytest.fixture
def fresh() -> Iterator[None]:
    """No hash cached from before the test's changes to the code, none kept after them."""
    provenance.clear_cache()
    yield
    provenance.clear_cache()


def hashes(*definitions: Indicator) -> dict[str, str]:
    """Hashes by indicator id, computed now (nothing cached)."""
    provenance.clear_cache()
    pairs = [(EDITION, d) for d in definitions]
    return {key.split("/", 1)[1]: h for key, h in definition_hashes(pairs).items()}


def changed_source(module: object, function: str, old: str, new: str) -> object:
    """``module.function`` recompiled with ``old`` replaced by ``new`` in its source."""
    source = textwrap.dedent(inspect.getsource(getattr(module, function)))
    assert source.count(old) == 1, f"{old!r} not found once in {function}"
    namespace = dict(vars(module))
    exec(source.replace(old, new), namespace)
    return namespace[function]


def test_keys_values_and_stability_within_a_process(baseline: dict[str, str], fresh: None) -> None:
    again = definition_hashes(PAIRS)
    assert again == {f"{EDITION}/{d.id}": baseline[d.id] for _, d in PAIRS}
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in again.values())
    # A definition of several editions has one hash, whatever the edition (and it is cached).
    both = definition_hashes([(2021, PREGNANCY), (2024, PREGNANCY)])
    assert both == {"2021/2019-07": baseline["2019-07"], "2024/2019-07": baseline["2019-07"]}


def test_the_hashed_text_is_the_whole_query_and_nothing_else(baseline: dict[str, str]) -> None:
    text = query_text(PREGNANCY)
    assert PREGNANCY.definition_hash(text) == baseline[PREGNANCY.id]
    # One query from the contract tables to the cells, with every intermediate table.
    assert text.startswith('WITH "k_pregnancies" AS (')
    for table in ("k_attributes", "k_addresses", "k_pregnancy_base", "k_units_pregnancy"):
        assert f'"{table}" AS (' in text
    assert '"birth_order" = 1' in text  # the first-born rule
    assert '"src_births"' in text
    # Reference tables by content; nothing that differs between machines or processes.
    assert "-- c_classification sha256 " in text
    assert "-- ibis_pyarrow_memtable_0 sha256 " in text
    assert not provenance._GENERATED.search(text)
    assert "/" not in text.replace(" / ", "")
    assert " 0x" not in text


@pytest.mark.slow
def test_the_same_in_another_process(baseline: dict[str, str], tmp_path: Path) -> None:
    script = (
        "import json\n"
        "from kansrijk.engine.provenance import definition_hashes, query_text\n"
        "from kansrijk.indicators import indicator\n"
        f"pairs = [({EDITION}, indicator(i, {EDITION})) for i in ('2019-07', '2019-15')]\n"
        "print(json.dumps(definition_hashes(pairs)))\n"
    )
    # Another string hash seed: nothing may depend on the order of a set.
    # An empty program cache: the other process compiles, it does not read a kept hash.
    env = {**os.environ, "PYTHONHASHSEED": "12345", "KANSRIJK_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(done.stdout) == {f"{EDITION}/{d.id}": baseline[d.id] for _, d in PAIRS}
    # ... and keeps them for the next process (beside the SQL it compiled, `engine.compiled`)
    (kept,) = tmp_path.glob("definition-hashes-*")
    assert sorted(json.loads(kept.read_text()).values()) == sorted(baseline[d.id] for _, d in PAIRS)


def test_the_next_process_reads_the_kept_hashes(
    baseline: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The program cache holds the hashes by the definition's fields, under a name made of
    the code's digest: a new process reads them instead of compiling (shown by a planted
    value), and `clear_cache` (code changed in memory) stops it using the disk."""
    monkeypatch.setenv("KANSRIJK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(provenance, "_PROCESS", provenance._Process())  # a new process
    assert definition_hashes(PAIRS) == {f"{EDITION}/{d.id}": baseline[d.id] for _, d in PAIRS}
    (kept,) = tmp_path.glob("definition-hashes-*")
    stored = json.loads(kept.read_text())
    planted = dict.fromkeys(stored, "0" * 64)
    kept.write_text(json.dumps(planted))
    monkeypatch.setattr(provenance, "_PROCESS", provenance._Process())
    assert set(definition_hashes(PAIRS).values()) == {"0" * 64}
    provenance.clear_cache()
    assert definition_hashes(PAIRS) == {f"{EDITION}/{d.id}": baseline[d.id] for _, d in PAIRS}
    kept.write_text("{not json")  # a damaged file is a miss, not an error
    monkeypatch.setattr(provenance, "_PROCESS", provenance._Process())
    assert definition_hashes(PAIRS) == {f"{EDITION}/{d.id}": baseline[d.id] for _, d in PAIRS}
    provenance.clear_cache()


def test_definitions_differ(baseline: dict[str, str]) -> None:
    assert len(set(baseline.values())) == len(baseline)
    # Within one family (one unit table): the outcome, breakdowns and pooling differ.
    family = [d for d in catalogue(EDITION) if d.family == "pregnancy"]
    assert len(family) > 2
    by_id = hashes(*family)
    assert by_id[PREGNANCY.id] == baseline[PREGNANCY.id]
    assert len(set(by_id.values())) == len(by_id)


def test_a_changed_rule_in_a_family_changes_its_hashes_only(
    baseline: dict[str, str], fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first-born rule, in a helper of the family (not in its ``build``).
    second_born = changed_source(
        pregnancy, "_pregnancies", "b.birth_order == 1", "b.birth_order <= 2"
    )
    monkeypatch.setattr(pregnancy, "_pregnancies", second_born)
    after = hashes(PREGNANCY, YOUNG_CHILD)
    assert after["2019-07"] != baseline["2019-07"]
    assert after["2019-15"] == baseline["2019-15"]


def test_a_changed_shared_rule_changes_every_family(
    baseline: dict[str, str], fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context, "PSYCH_ATC4", context.PSYCH_ATC4[:-1])
    after = hashes(PREGNANCY, YOUNG_CHILD)
    assert after["2019-07"] != baseline["2019-07"]
    assert after["2019-15"] != baseline["2019-15"]


def test_a_changed_parameter_changes_the_hash(baseline: dict[str, str], fresh: None) -> None:
    assert SGA.parameters == (("min_gestational_days", 168),)
    other = replace(SGA, parameters=(("min_gestational_days", 154),))
    assert hashes(other)[SGA.id] != baseline[SGA.id]


def test_changed_reference_data_changes_the_hash_of_its_readers(
    baseline: dict[str, str], fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = child_birth.p10_table()
    weights = chart["p10_g"]
    changed = pc.if_else(
        pa.array([i == 100 for i in range(len(chart))]), pc.add(weights, 1.0), weights
    )

    def p10_table() -> pa.Table:
        return chart.set_column(chart.schema.get_field_index("p10_g"), "p10_g", changed)

    monkeypatch.setattr(child_birth, "p10_table", p10_table)
    after = hashes(SGA, PREGNANCY)
    assert after["2019-12"] != baseline["2019-12"]
    assert after["2019-07"] == baseline["2019-07"]


RISK = indicator("2019-11", EDITION)  # family live_birth, outcomes derived with parameters


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("high_cost_min_percent_rank", 0.8),
        ("assumed_gestational_days", 273),
        ("divorce_years_before", 3),
        ("partner_death_years_before", 2),
    ],
)
def test_a_parameter_a_family_derives_with_changes_the_query(
    name: str, value: float | int | str | bool
) -> None:
    """Not only the definition's fields: the query that computes the cells reads the value
    (``Family.derive``), so its text, and with it the hash, changes."""
    assert RISK.parameter(name) is not None and RISK.parameter(name) != value
    other = replace(
        RISK, parameters=tuple((k, value if k == name else v) for k, v in RISK.parameters)
    )
    assert query_text(other) != query_text(RISK)
    assert hashes(other)[RISK.id] != hashes(RISK)[RISK.id]

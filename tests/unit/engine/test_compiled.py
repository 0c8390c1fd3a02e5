"""Compiled SQL kept between processes (`kansrijk.engine.compiled`, issue 18's fixed costs):
the key is the same in every process, a kept statement is used with this process's names,
what the key cannot encode is compiled as before, and a materialised table is the one Ibis's
``create_table`` makes."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from kansrijk.engine import backends, compiled
from kansrijk.engine.dataset import Dataset
from kansrijk.registry.contract import TABLES_BY_NAME, ColumnType

from ...conftest import MonitorRun

_SCRIPT = """
import ibis, pyarrow as pa
from kansrijk.engine.compiled import expression_key
t = ibis.table({"a": "int64", "b": "string", "c": "date", "d": "float64"}, name="src_x")
m = ibis.memtable(pa.table({"b": ["x", "y"], "w": [1, 2]}))
e = t.join(m, "b").drop("c", "d", "w").filter(ibis._.a > 3).group_by("b").agg(n=ibis._.a.sum())
key, names = expression_key(e.op())
print(key, len(names), "_memtable_" in names[0])
"""


def _key_in_process(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def test_the_key_is_the_same_in_every_process() -> None:
    """Other string hash seeds (sets in another order) and another random in-memory table
    name: the same key."""
    first, second = _key_in_process("1"), _key_in_process("4242")
    assert first == second
    assert first.endswith(" 1 True")


def test_the_key_follows_every_argument() -> None:
    t = ibis.table({"a": "int64", "b": "string"}, name="src_x")
    keys = {
        compiled.expression_key(e.op())[0]
        for e in (
            t.filter(t.a > 3),
            t.filter(t.a > 4),
            t.filter(t.a >= 3),
            t.filter(t.a.cast("int32") > 3),
            ibis.table({"a": "int64", "b": "string"}, name="src_y").filter(ibis._.a > 3),
            ibis.table({"a": "int32", "b": "string"}, name="src_x").filter(ibis._.a > 3),
            t.filter(t.b == "3"),
            t.filter(t.a > 3).select("a"),
        )
    }
    assert len(keys) == 8
    assert compiled.expression_key(t.filter(t.a > 3).op())[0] in keys  # rebuilt: the same


def test_an_argument_the_key_cannot_encode_is_compiled_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANSRIJK_CACHE_DIR", str(tmp_path))
    op = ibis.table({"a": "int64"}, name="t").op()
    encoder = compiled._Encoder()
    with pytest.raises(compiled.UncacheableError):
        encoder.value(object())
    for value in (dt.date(2020, 1, 2), decimal.Decimal("1.5"), frozenset({"b", "a"}), None):
        assert encoder.value(value)
    cache = compiled.SQLCache("compiled-sql-test.json")
    monkeypatch.setattr(
        compiled, "expression_key", lambda op: (_ for _ in ()).throw(compiled.UncacheableError())
    )
    assert cache.compile(op, lambda: "SELECT 1") == "SELECT 1"
    cache.save()
    assert not list(tmp_path.iterdir())  # nothing kept


def _fresh_process(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    monkeypatch.setenv("KANSRIJK_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr(compiled, "_CACHES", {})


def test_the_next_process_reads_the_kept_statement_with_its_own_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run() -> tuple[pa.Table, pa.Table]:
        con = backends.DuckDB()
        shape = ibis.memtable(pa.table({"k": [1, 2, 3], "label": ["a", "b", "c"]}))
        base = con.constant("c_base", pa.table({"k": [1, 2, 2, 3, 9], "v": [1.0, 2, 3, 4, 5]}))
        made = con.materialise(
            "k_sums", base.join(shape, "k").group_by("label").agg(total=ibis._.v.sum())
        )
        read = made.order_by("label").to_pyarrow()
        counted = con.con.to_pyarrow(shape.join(made, "label").select("k", "total").order_by("k"))
        con.close()
        return read, counted

    _fresh_process(monkeypatch, tmp_path)
    first = run()
    (kept,) = tmp_path.iterdir()
    assert kept.name.startswith("compiled-sql-")
    stored = json.loads(kept.read_text())
    assert stored and all("_memtable_" not in sql for sql in stored.values())
    assert any("{{kansrijk-memtable-0}}" in sql for sql in stored.values())
    _fresh_process(monkeypatch, tmp_path)
    assert run() == first  # read from the cache, another memtable name: the same rows
    assert json.loads(kept.read_text()) == stored  # nothing new to keep
    # A kept statement is used as it is (a planted one shows it).
    planted = {
        k: v if v.startswith("CREATE") else v.replace("SUM(", "100 + SUM(")
        for k, v in stored.items()
    }
    kept.write_text(json.dumps(planted))
    _fresh_process(monkeypatch, tmp_path)
    read, _ = run()
    assert read["total"].to_pylist() == [t + 100 for t in first[0]["total"].to_pylist()]
    kept.write_text("{not json")  # a damaged file is a miss, not an error
    _fresh_process(monkeypatch, tmp_path)
    assert run() == first


def test_a_materialised_table_is_the_one_create_table_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same schema (also for a type DuckDB reports otherwise, a decimal without precision)
    and rows as Ibis's ``create_table(name, expr, temp=True, overwrite=True)``; made again
    under the same name, it replaces the first."""
    _fresh_process(monkeypatch, tmp_path)
    con = backends.DuckDB()
    source = con.constant(
        "c_src",
        pa.table(
            {
                "i": pa.array([1, None, 3], pa.int8()),
                "s": ["x", None, "z"],
                "d": [dt.date(2020, 1, 1), None, dt.date(2021, 6, 30)],
                "f": [0.5, None, 2.5],
            }
        ),
    )
    expr = source.mutate(
        n=ibis.literal(1, "!int64"),
        b=source.i.notnull(),
        dec=source.f.cast("decimal"),
        y=source.d.year().cast("int16"),
    )
    made = con.materialise("k_t", expr)
    ibis_made = con.con.create_table("k_ibis", expr, temp=True, overwrite=True)
    assert made.schema() == ibis_made.schema() == con.con.table("k_t").schema()
    assert made.to_pyarrow().equals(ibis_made.to_pyarrow())
    again = con.materialise("k_t", expr.filter(expr.i.notnull()))
    assert again.count().to_pyarrow().as_py() == 2
    con.close()


def test_the_kept_sql_of_a_run_holds_no_data(
    monitor_run: MonitorRun, program_cache_dir: Path
) -> None:
    """What a run keeps is the text of its queries: no identifier of the dataset's persons
    is among their literals (data enters a query as a table)."""
    kept = list(program_cache_dir.glob("compiled-sql-*.json"))
    assert kept
    text = "\n".join(sql for path in kept for sql in json.loads(path.read_text()).values())
    literals = set(re.findall(r"'((?:[^']|'')*)'", text)) | set(re.findall(r"\b\d+\b", text))
    ids = pq.read_table(monitor_run.data / "persons.parquet", columns=["person_id"])
    assert literals.isdisjoint(ids["person_id"].to_pylist())


_ARROW = {
    ColumnType.STRING: pa.string(),
    ColumnType.INTEGER: pa.int64(),
    ColumnType.FLOAT: pa.float64(),
    ColumnType.DATE: pa.date32(),
    ColumnType.BOOLEAN: pa.bool_(),
}


def test_a_contract_table_is_the_one_duckdb_describes(tmp_path: Path) -> None:
    """Every contract table (Parquet, and one as CSV): the table a run reads, made from the
    contract's types without asking DuckDB, equals the one Ibis reads from DuckDB."""
    for i, (name, spec) in enumerate(TABLES_BY_NAME.items()):
        table = pa.table({c.name: pa.array([], _ARROW[c.type]) for c in spec.columns})
        if i == 0:
            pacsv.write_csv(table, tmp_path / f"{name}.csv")
        else:
            pq.write_table(table, tmp_path / f"{name}.parquet")
    data = Dataset.open(tmp_path)
    try:
        assert set(data.sources) == set(TABLES_BY_NAME)
        for name in TABLES_BY_NAME:
            assert data.table(name).equals(data.con.table(f"src_{name}")), name
    finally:
        data.close()

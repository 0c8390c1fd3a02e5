"""The backend choice (issue 18) without starting Spark: settings, paths and the CLI's checks.
The Spark run itself is compared with DuckDB's in tests/integration/test_spark_parity.py."""

from __future__ import annotations

import sys
from pathlib import Path

import ibis
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app
from kansrijk.engine import backends
from kansrijk.engine.vulnerability import hex_value


def test_local_masters_get_one_shuffle_partition_per_thread_and_the_memory_limit() -> None:
    config = backends.spark_config("local[2]", "3GB")
    assert config["spark.sql.shuffle.partitions"] == "2"
    assert config["spark.driver.memory"] == "3g"
    assert config["spark.sql.session.timeZone"] == "UTC"
    assert config["spark.sql.ansi.enabled"] == "true"
    assert backends.spark_config("local")["spark.sql.shuffle.partitions"] == "1"


def test_a_cluster_master_keeps_spark_submits_partitions_and_memory() -> None:
    config = backends.spark_config("spark://head:7077", "3GB")
    assert "spark.sql.shuffle.partitions" not in config
    assert "spark.driver.memory" not in config
    assert config["spark.sql.ansi.enabled"] == "true"


@pytest.mark.parametrize(
    ("limit", "jvm"), [("3GB", "3g"), ("512MB", "512m"), ("2GiB", "2g"), ("lots", None)]
)
def test_memory_limits_become_jvm_sizes(limit: str, jvm: str | None) -> None:
    assert backends.spark_memory(limit) == jvm


def test_files_map_to_the_same_relative_path_under_the_data_uri() -> None:
    root = Path("/mnt/extract")
    part = root / "medication" / "part-2020.parquet"
    assert backends.spark_location(part, None) == part.as_posix()
    assert (
        backends.spark_location(part, (root, "s3a://bucket/extract/"))
        == "s3a://bucket/extract/medication/part-2020.parquet"
    )


def test_hex_value_is_the_integer_of_the_hex_digits_on_duckdb() -> None:
    digits = ["00000000", "ffffffff", "0a1b2c3d", "deadbeef"]
    t = ibis.memtable(pa.table({"h": digits}))
    got = t.select(v=hex_value(t.h)).to_pyarrow()["v"].to_pylist()
    assert got == [float(int(d, 16)) for d in digits]


def test_duckdb_runs_do_not_import_pyspark() -> None:
    if "pyspark" in sys.modules:
        pytest.skip("pyspark already imported by another test in this process")
    backends.connect("duckdb").close()
    assert "pyspark" not in sys.modules


def test_the_cli_rejects_an_unknown_engine_and_a_master_without_spark(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["monitor", "run", "--data", str(tmp_path), "--out", str(tmp_path / "out")]
    unknown = runner.invoke(app, [*base, "--engine", "polars"])
    assert unknown.exit_code == 2
    master = runner.invoke(app, [*base, "--spark-master", "local[2]"])
    assert master.exit_code == 2
    with pytest.raises(ValueError, match="unknown engine"):
        backends.connect("polars")

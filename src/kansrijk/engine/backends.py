"""The two Ibis backends a run can use: DuckDB (embedded, the default) and Apache Spark.

The definitions and the engine build Ibis expressions only. What differs per backend is
small and lives here: how a contract table becomes a named source (``src_<table>``), how an
intermediate table is materialised once (``k_<name>``) and dropped again, and how a small
reference table (``c_<name>``) is loaded. Spark is imported only when a run asks for it, so
the command line and DuckDB runs never start a JVM.

Spark runs on a local master (``local[2]``: two worker threads in this process's JVM) or on
a cluster (``spark://host:7077``, ``yarn``, ``k8s://...``); see docs/scale-out.md.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import ibis
import ibis.common.exceptions as ibis_exc
import ibis.expr.datatypes as dt
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa
import sqlglot.expressions as sge
from ibis.backends.duckdb import Backend as IbisDuckDB

from kansrijk.engine.compiled import sql_cache
from kansrijk.registry.contract import TABLES_BY_NAME, ColumnType
from kansrijk.registry.io import SourceFormat, TableSource

if TYPE_CHECKING:
    from ibis.backends import BaseBackend

#: The engines ``RunConfig.engine`` and ``kansrijk monitor run --engine`` accept.
ENGINES = ("duckdb", "spark")
#: Spark's master when none is given: two worker threads in the local JVM.
DEFAULT_SPARK_MASTER = "local[2]"

_DUCKDB_TYPES = {
    ColumnType.STRING: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.FLOAT: "DOUBLE",
    ColumnType.DATE: "DATE",
    ColumnType.BOOLEAN: "BOOLEAN",
}
#: The Ibis type of each contract type (what DuckDB and Spark report for the cast columns).
IBIS_TYPES = {
    ColumnType.STRING: "string",
    ColumnType.INTEGER: "int64",
    ColumnType.FLOAT: "float64",
    ColumnType.DATE: "date",
    ColumnType.BOOLEAN: "boolean",
}
_SPARK_TYPES = {
    ColumnType.STRING: "string",
    ColumnType.INTEGER: "bigint",
    ColumnType.FLOAT: "double",
    ColumnType.DATE: "date",
    ColumnType.BOOLEAN: "boolean",
}


class Backend(Protocol):
    """What the engine needs of a backend besides compiling and running Ibis expressions."""

    con: BaseBackend

    def register(self, name: str, source: TableSource) -> None:
        """Expose the contract table of ``source`` as ``name``, cast to the contract's types
        and read lazily (nothing is loaded until a query runs)."""

    def table(self, name: str) -> ir.Table:
        """The table ``register`` exposed as ``name``."""

    def materialise(self, name: str, expr: ir.Table) -> ir.Table:
        """Run ``expr`` once into a table called ``name`` that later queries read."""

    def constant(self, name: str, table: pa.Table) -> ir.Table:
        """Load a small Arrow table (reference data) as ``name``."""

    def drop(self, name: str) -> None:
        """Drop a table ``materialise`` made (its memory goes to the next step)."""

    def close(self) -> None:
        """Release everything this run made."""

    def describe(self) -> str:
        """The engine, its version and (Spark) master, for the manifest."""


def connect(
    engine: str = "duckdb",
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
    spark_master: str | None = None,
    spark_data: tuple[Path, str] | None = None,
) -> Backend:
    """A backend for ``engine`` ("duckdb" or "spark"). ``spark_data``: (the dataset's local
    directory, the URI Spark's executors read it at), when they differ."""
    if engine == "duckdb":
        return DuckDB(threads=threads, memory_limit=memory_limit)
    if engine == "spark":
        return Spark(master=spark_master, memory_limit=memory_limit, data=spark_data)
    raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")


# -- DuckDB ------------------------------------------------------------------------------------


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_source_sql(source: TableSource) -> str:
    """The SELECT that reads ``source`` in DuckDB, cast to the contract's types."""
    spec = TABLES_BY_NAME[source.table]
    if source.format is SourceFormat.CSV:
        types = ", ".join(
            f"{_literal(c.name)}: {_literal(_DUCKDB_TYPES[c.type])}" for c in spec.columns
        )
        raw = (
            f"read_csv({_literal(source.path.as_posix())}, header = true, "
            f"columns = {{{types}}}, dateformat = '%Y-%m-%d')"
        )
    else:
        files = ", ".join(_literal(f.as_posix()) for f in source.parquet_files())
        raw = f"read_parquet([{files}], union_by_name = true)"
    columns = ", ".join(
        f"CAST({c.name} AS {_DUCKDB_TYPES[c.type]}) AS {c.name}" for c in spec.columns
    )
    return f"SELECT {columns} FROM {raw}"


class _CachedDuckDB(IbisDuckDB):  # type: ignore[misc]
    """Ibis's DuckDB backend compiling through the program cache (`engine.compiled`): the
    SQL of an expression compiled by an earlier process is read, not compiled again."""

    def compile(
        self,
        expr: ir.Expr,
        /,
        *,
        limit: int | None = None,
        params: Any = None,
        pretty: bool = False,
    ) -> str:
        compile_sql = super().compile
        if limit is not None or params or pretty:
            return compile_sql(expr, limit=limit, params=params, pretty=pretty)  # type: ignore[no-any-return]
        return sql_cache(self.name).compile(expr.as_table().op(), lambda: compile_sql(expr))


#: Types a table column made from them reports back as the same type, so a materialised
#: table's schema is its expression's with every column nullable (checked against
#: ``create_table`` in tests/unit/engine/test_compiled.py).
_ROUND_TRIP = (dt.Integer, dt.Float32, dt.Float64, dt.String, dt.Boolean, dt.Date)


def _create_table_sql(con: IbisDuckDB, name: str, expr: ir.Table) -> str:
    """The statements Ibis's ``create_table(name, expr, temp=True, overwrite=True)`` runs,
    as three lines: the temporary table with ``expr``'s columns typed as Ibis types them
    (NOT NULL where the type is), the head of the INSERT of ``expr``'s rows (a NULL in a NOT
    NULL column fails it), and what makes every column nullable again (Ibis copies the table
    into its final name, which keeps no constraint)."""
    schema = expr.schema()
    if schema.null_fields:
        raise ibis_exc.IbisTypeError(
            f"DuckDB does not support creating tables with NULL typed columns: {schema.null_fields}"
        )
    dialect = con.dialect
    table = sge.table_(name, catalog="temp", db="main", quoted=True).sql(dialect)
    create = sge.Create(
        kind="TABLE",
        this=sge.Schema(
            this=sge.table_(name, catalog="temp", db="main", quoted=True),
            expressions=schema.to_sqlglot_column_defs(dialect),
        ),
        replace=True,
        properties=sge.Properties(expressions=[sge.TemporaryProperty()]),
    ).sql(dialect)
    quoted = {c: sge.to_identifier(c, quoted=True).sql(dialect) for c in schema.names}
    insert = f"INSERT INTO {table} ({', '.join(quoted.values())})"
    nullable = "; ".join(
        f"ALTER TABLE {table} ALTER COLUMN {quoted[c]} DROP NOT NULL"
        for c, t in schema.items()
        if not t.nullable
    )
    return "\n".join([create, insert, nullable])


class DuckDB:
    """DuckDB in memory, spilling to a temp dir beyond ``memory_limit``."""

    def __init__(self, *, threads: int | None = None, memory_limit: str | None = None) -> None:
        # Insertion order is not needed (every output is sorted) and keeping it costs memory.
        config: dict[str, object] = {"preserve_insertion_order": False}
        if threads:
            config["threads"] = threads
        if memory_limit:
            config["memory_limit"] = memory_limit
        self.con = _CachedDuckDB().connect(**config)
        self._views: dict[str, ibis.Schema] = {}

    def register(self, name: str, source: TableSource) -> None:
        self.con.raw_sql(f"CREATE VIEW {name} AS {duckdb_source_sql(source)}")
        # Every column is cast to the contract's type (all of them types DuckDB reports back
        # as they are, nullable): the view's schema, as ``con.table`` would read it.
        spec = TABLES_BY_NAME[source.table]
        self._views[name] = ibis.schema(
            {c.name: IBIS_TYPES[c.type] for c in spec.columns}  # nullable
        )

    def table(self, name: str) -> ir.Table:
        schema = self._views.get(name)
        if schema is None:
            return self.con.table(name)
        return ops.DatabaseTable(
            name, schema=schema, source=self.con, namespace=ops.Namespace()
        ).to_expr()

    def materialise(self, name: str, expr: ir.Table) -> ir.Table:
        """What Ibis's ``create_table(name, expr, temp=True, overwrite=True)`` does (the same
        table: columns typed from the expression's schema, its rows, no constraints), in
        fewer statements, with the query and the statements kept in the program cache
        (`engine.compiled`) and without asking DuckDB for the schema it was given."""
        con = self.con
        con._run_pre_execute_hooks(expr)  # registers the expression's in-memory tables
        query = con.compile(expr)
        statements = sql_cache(con.name).compile(
            expr.op(), lambda: _create_table_sql(con, name, expr), purpose=f"table {name}"
        )
        create, insert, nullable = statements.split("\n")
        con.con.execute(create)
        con.con.execute(f"{insert} {query}")
        if nullable:
            con.con.execute(nullable)
        types = expr.schema().items()
        if not all(isinstance(t, _ROUND_TRIP) for _, t in types):
            return con.table(name, database=("temp", "main"))  # asks DuckDB for the schema
        # The columns were made with these types, which DuckDB reports back unchanged (all
        # nullable): the table Ibis's ``table`` returns, without asking DuckDB.
        schema = ibis.schema({c: t.copy(nullable=True) for c, t in types})
        return ops.DatabaseTable(
            name, schema=schema, source=con, namespace=ops.Namespace("temp", "main")
        ).to_expr()

    def constant(self, name: str, table: pa.Table) -> ir.Table:
        return self.con.create_table(name, table, temp=True, overwrite=True)

    def drop(self, name: str) -> None:
        self.con.raw_sql(f"DROP TABLE IF EXISTS {name}")

    def close(self) -> None:
        self.con.disconnect()
        sql_cache(self.con.name).save()

    def describe(self) -> str:
        return f"duckdb {self.con.version}"


# -- Spark -------------------------------------------------------------------------------------


#: PySpark 4 warns at import (and at every pandas conversion) that it does not fully support
#: pandas 3. The engine converts nothing through pandas (`_arrow_backend`).
_PANDAS_WARNING = r"PySpark does not yet fully support pandas"


def _arrow_backend() -> type[BaseBackend]:
    """Ibis's PySpark backend moving data through Arrow instead of pandas.

    Ibis 12 fetches results with ``toPandas`` and loads in-memory tables from pandas frames
    (a workaround for PySpark 3); PySpark 4 has ``DataFrame.toArrow`` and accepts Arrow
    tables, which skips pandas (and its pandas 3 incompatibilities) and a copy each way.
    """
    warnings.filterwarnings("ignore", message=_PANDAS_WARNING, category=FutureWarning)
    # Lazy: only a Spark run starts a JVM and pays for PySpark's import.
    from ibis.backends.pyspark import Backend as PySparkBackend  # noqa: PLC0415
    from ibis.backends.pyspark.datatypes import PySparkSchema  # noqa: PLC0415
    from ibis.formats.pyarrow import PyArrowData  # noqa: PLC0415

    # What ``ibis.pyspark`` does on first use: the backend's options (NaN as NULL) exist.
    if getattr(ibis.options, "pyspark", None) is None:
        PySparkBackend.register_options()

    class ArrowPySpark(PySparkBackend):  # type: ignore[misc]
        def to_pyarrow(
            self,
            expr: ir.Expr,
            /,
            *,
            params: Any = None,
            limit: int | str | None = None,
            **kwargs: Any,
        ) -> pa.Table:
            table_expr = expr.as_table()
            self._run_pre_execute_hooks(table_expr)
            sql = self.compile(table_expr, params=params, limit=limit, **kwargs)
            arrow = self._session.sql(sql).toArrow()
            table = PyArrowData.convert_table(arrow, table_expr.schema())
            return expr.__pyarrow_result__(table)

        def _register_in_memory_table(self, op: Any) -> None:
            data = op.data.to_pyarrow(op.schema)
            frame = self._session.createDataFrame(data, schema=PySparkSchema.from_ibis(op.schema))
            frame.createOrReplaceTempView(op.name)

    return ArrowPySpark


def spark_memory(limit: str | None) -> str | None:
    """DuckDB's memory limit ("3GB", "512MB") as a JVM size ("3g", "512m")."""
    if not limit:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*([KMGT])i?B?\s*", limit, re.IGNORECASE)
    return f"{m.group(1)}{m.group(2).lower()}" if m else None


def spark_config(master: str, memory_limit: str | None = None) -> dict[str, str]:
    """The session settings of a run on ``master``.

    Results must equal DuckDB's: timestamps in UTC, ANSI SQL (an overflowing cast or
    arithmetic is an error, as in DuckDB, rather than a silent NULL or wrap-around). On a
    local master the shuffle has one partition per thread (Spark's 200 are made for
    clusters), the web UI is off and the JVM's heap is ``memory_limit``; on a cluster,
    partitions and memory come from spark-submit or spark-defaults.conf.
    """
    config = {
        "spark.app.name": "kansrijk monitor",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "true",
        "spark.sql.adaptive.enabled": "true",
        # Arrow for what still goes through pandas (results come back by ``toArrow``).
        "spark.sql.execution.arrow.pyspark.enabled": "true",
    }
    if master.startswith("local"):
        found = re.fullmatch(r"local\[(\d+)\]", master)
        cores = int(found.group(1)) if found else 1 if master == "local" else os.cpu_count() or 2
        # One shuffle partition per worker thread: a run is many small queries, and more
        # partitions only add tasks (scale 0.05 on local[2], shared 2-core machine: the
        # query part took 111 s with 2 partitions, 130 s with 4).
        config["spark.sql.shuffle.partitions"] = str(cores)
        config["spark.default.parallelism"] = str(cores)
        config["spark.ui.enabled"] = "false"
        config["spark.ui.showConsoleProgress"] = "false"
        memory = spark_memory(memory_limit)
        if memory:  # the driver is the executor in local mode
            config["spark.driver.memory"] = memory
    return config


def spark_location(file: Path, data: tuple[Path, str] | None) -> str:
    """Where Spark's executors read ``file``: its path, or with ``data`` = (the dataset's
    directory, a URI such as ``hdfs://``, ``s3a://``, ``abfss://``) the same relative path
    under the URI."""
    if data is None:
        return file.as_posix()
    root, uri = data
    return f"{uri.rstrip('/')}/{file.relative_to(root).as_posix()}"


class Spark:
    """A SparkSession (created, or the running one of this process) through Ibis.

    Materialised tables are local checkpoints (``DataFrame.localCheckpoint``: computed
    once, kept in the executors' memory and disk, lineage cut) registered as temporary
    views; the engine's rule that a derived table joined back to its source is
    materialised first (DEVELOPERS.md) holds the same way.
    """

    def __init__(
        self,
        *,
        master: str | None = None,
        memory_limit: str | None = None,
        data: tuple[Path, str] | None = None,
    ) -> None:
        backend = _arrow_backend()
        from pyspark.sql import SparkSession  # noqa: PLC0415

        builder = SparkSession.builder
        if master is None and not os.environ.get("PYSPARK_GATEWAY_PORT"):
            master = DEFAULT_SPARK_MASTER
        if master is not None:
            builder = builder.master(master)
        # Under spark-submit (its JVM sets PYSPARK_GATEWAY_PORT) the master, memory and
        # partitions are spark-submit's, unless --spark-master is given.
        for key, value in spark_config(master or "", memory_limit).items():
            builder = builder.config(key, value)
        self.session = builder.getOrCreate()
        self.session.sparkContext.setLogLevel("ERROR")
        self.con = backend().connect(self.session)
        self._frames: dict[str, Any] = {}
        self._data = data

    def location(self, file: Path) -> str:
        return spark_location(file, self._data)

    def _view(self, name: str, frame: Any) -> ir.Table:
        frame.createOrReplaceTempView(name)
        self._frames[name] = frame
        return self.con.table(name)

    def register(self, name: str, source: TableSource) -> None:
        from pyspark.sql.functions import col  # noqa: PLC0415

        spec = TABLES_BY_NAME[source.table]
        if source.format is SourceFormat.CSV:
            schema = ", ".join(f"`{c.name}` {_SPARK_TYPES[c.type]}" for c in spec.columns)
            raw = self.session.read.csv(
                self.location(source.path), header=True, schema=schema, dateFormat="yyyy-MM-dd"
            )
        else:
            reader = self.session.read.option("mergeSchema", "true")
            if source.format is SourceFormat.PARQUET_DIR:
                reader = reader.option("basePath", self.location(source.path))
            raw = reader.parquet(*(self.location(f) for f in source.parquet_files()))
        frame = raw.select(
            *(col(c.name).cast(_SPARK_TYPES[c.type]).alias(c.name) for c in spec.columns)
        )
        self._view(name, frame)

    def table(self, name: str) -> ir.Table:
        return self.con.table(name)

    def materialise(self, name: str, expr: ir.Table) -> ir.Table:
        self.con._run_pre_execute_hooks(expr)  # registers the expression's in-memory tables
        frame = self.session.sql(self.con.compile(expr)).localCheckpoint(eager=True)
        return self._view(name, frame)

    def constant(self, name: str, table: pa.Table) -> ir.Table:
        return self._view(name, self.session.createDataFrame(table))

    def drop(self, name: str) -> None:
        self.session.catalog.dropTempView(name)
        self._frames.pop(name, None)

    def close(self) -> None:
        """Drop this run's views; the session stays for the next run in the process."""
        for name in list(self._frames):
            self.drop(name)

    def describe(self) -> str:
        return f"spark {self.session.version} on {self.session.sparkContext.master}"

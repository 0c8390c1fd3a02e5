"""Write a dataset atomically: everything goes to a temporary directory beside
the target, which replaces the target only when every table is written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

from kansrijk.registry.contract import TABLES_BY_NAME, ColumnType

_ARROW_TYPES = {
    ColumnType.STRING: pa.string(),
    ColumnType.INTEGER: pa.int32(),
    ColumnType.FLOAT: pa.float64(),
    ColumnType.DATE: pa.date32(),
    ColumnType.BOOLEAN: pa.bool_(),
}


def contract_schema(table: str) -> pa.Schema:
    """The Arrow schema of a contract table, in contract column order."""
    spec = TABLES_BY_NAME[table]
    return pa.schema(
        [pa.field(c.name, _ARROW_TYPES[c.type], nullable=c.nullable) for c in spec.columns]
    )


class DatasetWriter:
    """Collects tables in ``<out>.tmp-<pid>`` and moves them to ``out`` on commit."""

    def __init__(self, out: Path, *, overwrite: bool = False) -> None:
        self.out = out
        self.overwrite = overwrite
        if out.exists() and not overwrite:
            raise FileExistsError(f"{out} exists; pass --overwrite to replace it")
        self.tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
        self.rows: dict[str, int] = {}

    def __enter__(self) -> DatasetWriter:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir()
        return self

    def write(self, name: str, table: pa.Table, *, part: str | None = None) -> None:
        """Write one contract table (or one part of it) as Parquet, cast to the contract."""
        schema = contract_schema(name)
        table = table.select(schema.names).cast(schema)
        if part is None:
            path = self.tmp / f"{name}.parquet"
        else:
            (self.tmp / name).mkdir(exist_ok=True)
            single = self.tmp / f"{name}.parquet"
            if single.exists():  # a table written whole gets more parts: make it a folder
                single.rename(self.tmp / name / "part-main.parquet")
            path = self.tmp / name / f"part-{part}.parquet"
        pq.write_table(table, path, compression="zstd", row_group_size=1_000_000)
        self.rows[name] = self.rows.get(name, 0) + table.num_rows

    def write_sidecar_table(self, name: str, table: pa.Table) -> None:
        """Write a Parquet file beside the tables that is no contract table (e.g. the
        synthetic truth); its name must be one `kansrijk.registry.io` treats as a sidecar."""
        pq.write_table(table, self.tmp / name, compression="zstd")

    def write_file(self, name: str, text: str) -> None:
        (self.tmp / name).write_text(text, encoding="utf-8")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        backup = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        if self.out.exists():
            self.out.rename(backup)
        self.tmp.rename(self.out)
        shutil.rmtree(backup, ignore_errors=True)

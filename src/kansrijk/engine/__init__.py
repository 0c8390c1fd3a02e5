"""The monitor engine: compiles indicator definitions to Ibis queries (DuckDB by default),
aggregates per region and breakdown, and publishes through disclosure control."""

from kansrijk.engine.dataset import Dataset, MissingTablesError
from kansrijk.engine.run import RunConfig, RunResult, compute, run_monitor

__all__ = ["Dataset", "MissingTablesError", "RunConfig", "RunResult", "compute", "run_monitor"]

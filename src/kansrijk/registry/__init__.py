"""Registry data contract, readers, validation and the pseudonymisation command's IO."""

from kansrijk.registry.contract import CONTRACT_VERSION, TABLES, TABLES_BY_NAME, table

__all__ = ["CONTRACT_VERSION", "TABLES", "TABLES_BY_NAME", "table"]

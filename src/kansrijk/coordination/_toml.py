"""Strict reading of the shipped TOML definitions: every key known, every type checked.

A mistake in a definition file is reported with the file and the path to the value
(``routes.toml: routes[2].steps[0].response_days: expected an integer``) when the file is
loaded, not later when the value is first used.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


class DefinitionError(ValueError):
    """A definition file that does not have the expected shape."""


@dataclass
class Table:
    """A TOML table read key by key; `done` fails on keys that were never read."""

    data: dict[str, Any]
    where: str
    _read: set[str] = field(default_factory=set)

    def fail(self, key: str, message: str) -> DefinitionError:
        return DefinitionError(
            f"{self.where}.{key}: {message}" if key else f"{self.where}: {message}"
        )

    def _get(self, key: str, kind: type[T], what: str, default: T | None = None) -> T:
        self._read.add(key)
        if key not in self.data:
            if default is not None:
                return default
            raise self.fail(key, "missing")
        value = self.data[key]
        # bool is an int in Python; a TOML boolean is never a valid integer here.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"expected {what}")
        return value

    def get_str(self, key: str, default: str | None = None) -> str:
        return self._get(key, str, "a string", default)

    def get_int(self, key: str, default: int | None = None) -> int:
        return self._get(key, int, "an integer", default)

    def get_bool(self, key: str, default: bool | None = None) -> bool:
        return self._get(key, bool, "true or false", default)

    def get_strings(self, key: str) -> tuple[str, ...]:
        values = self._get(key, list, "a list of strings", [])
        if not all(isinstance(v, str) for v in values):
            raise self.fail(key, "expected a list of strings")
        return tuple(values)

    def get_table(self, key: str) -> Table:
        return Table(self._get(key, dict, "a table", {}), f"{self.where}.{key}")

    def get_tables(self, key: str) -> Iterator[Table]:
        values = self._get(key, list, "a list of tables", [])
        for n, value in enumerate(values):
            if not isinstance(value, dict):
                raise self.fail(f"{key}[{n}]", "expected a table")
            yield Table(value, f"{self.where}.{key}[{n}]")

    def all_keys(self) -> list[str]:
        """Every key (for tables whose keys are data, such as flag -> route)."""
        self._read.update(self.data)
        return list(self.data)

    def done(self) -> None:
        unknown = sorted(set(self.data) - self._read)
        if unknown:
            raise self.fail("", f"unknown key(s) {', '.join(unknown)}")


def parse(text: str, name: str) -> Table:
    """The top-level table of a TOML document (DefinitionError naming ``name`` if invalid)."""
    try:
        return Table(tomllib.loads(text), name)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{name}: not valid TOML: {exc}") from None

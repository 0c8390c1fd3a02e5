"""Path converters shared by every URL map of the platform.

``<int:...>`` matches any run of digits, so ``/care/clients/99999999999999999999999/`` reaches
the view and the database lookup overflows (a 500 on PostgreSQL, an ``OverflowError`` on SQLite).
``<id:...>`` accepts at most 18 digits, which always fits a signed 64-bit primary key, so a
longer id does not match any route and answers 404 before a view runs.
"""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import get_converters

#: 18 digits stay below 2**63 - 1 (9.22e18), the largest BigAutoField value.
MAX_ID_DIGITS = 18


class IdConverter:
    """A database id in a path: 1 to 18 digits, passed to the view as ``int``."""

    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))


def register() -> None:
    """Register the ``id`` converter (by the root URL map, before any include); idempotent, as
    Django warns about registering a name twice."""
    if "id" not in get_converters():
        register_converter(IdConverter, "id")

"""Kansrijk: monitor and coalition platform for the Dutch Kansrijke Start programme."""

from __future__ import annotations

from functools import cache


@cache
def _version() -> str:
    # importlib.metadata costs about 0.1 s: read only when asked (the CLI's --help is not).
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("kansrijk")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'kansrijk' has no attribute {name!r}")


__all__ = ["__version__"]  # provided by __getattr__

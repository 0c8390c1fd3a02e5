"""Kansrijk: monitor and coalition platform for the Dutch Kansrijke Start programme."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kansrijk")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]

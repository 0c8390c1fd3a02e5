"""The published monitor run the pages read: loaded once, reloaded when it changes.

`current()` returns the `Run` for ``settings.KANSRIJK_MONITOR_DIR``. Opening a run reads
``results.parquet``, checks its files against the manifest and the table against the gate's
rules (`Publication.open`), so it happens once per run and process: afterwards a request
costs two ``stat`` calls to notice a new run (the modification times of ``results.parquet``
and ``manifest.json``). While a new run loads, other requests keep getting the previous one.
Each `Run` carries its own caches (page fragments, Vega-Lite specs, downloads), so a new run
starts with empty caches and nothing stale can be served.
"""

from __future__ import annotations

import gzip
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Generic, TypeVar

from django.conf import settings

from kansrijk.publication import DisclosureError, Publication, ResultsError

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: Files of a run whose change means a new run.
WATCHED: Final = ("results.parquet", "manifest.json")
#: Memory the caches of one run may take: rendered pages, chart specs, downloads.
PAGES_BYTES: Final = 96 * 2**20
SPECS_BYTES: Final = 64 * 2**20
DOWNLOADS_BYTES: Final = 96 * 2**20
#: How long to wait before trying again to load a run that was still being written.
RETRY_SECONDS: Final = 2.0

MISSING: Final = "missing"
INVALID: Final = "invalid"
UPDATING: Final = "updating"


def monitor_dir() -> Path:
    """Where the published monitor run lives (``KANSRIJK_MONITOR_DIR``)."""
    return Path(settings.KANSRIJK_MONITOR_DIR)


def weight(value: object) -> int:
    """Approximate bytes of a cached value (strings, bytes, blobs and dicts of them)."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, Blob):
        return len(value.raw) + len(value.gzipped or b"")
    if isinstance(value, dict):
        return sum(weight(v) for v in value.values())
    return 1


class LRU(Generic[K, V]):
    """A small thread-safe least-recently-used cache, bounded by entries and by bytes.

    Values are built outside the lock (two threads may build the same value once; both are
    equal, one is kept)."""

    def __init__(self, size: int, max_bytes: int | None = None) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self._data: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: K, build: Callable[[], V]) -> V:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key][0]
        value = build()
        size = weight(value)
        with self._lock:
            if key in self._data:
                self.bytes -= self._data[key][1]
            self._data[key] = (value, size)
            self._data.move_to_end(key)
            self.bytes += size
            while len(self._data) > 1 and (
                len(self._data) > self.size
                or (self.max_bytes is not None and self.bytes > self.max_bytes)
            ):
                _key, (_value, dropped) = self._data.popitem(last=False)
                self.bytes -= dropped
        return value

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.bytes = 0


Fingerprint = tuple[tuple[int, int], ...]
#: Below this size gzip does not pay.
GZIP_MIN: Final = 1024


@dataclass(frozen=True)
class Blob:
    """Bytes to serve (a spec, a download), with their gzipped form when worth it."""

    raw: bytes
    gzipped: bytes | None = None

    @classmethod
    def of(cls, raw: bytes, compress: bool = True) -> Blob:
        small = len(raw) < GZIP_MIN
        return cls(raw, None if small or not compress else gzip.compress(raw, 6, mtime=0))


@dataclass
class Run:
    """A loaded run with its caches (keys leave out the run: each run has its own)."""

    published: Publication
    directory: Path
    fingerprint: Fingerprint
    #: (page, municipality or "", language) -> rendered HTML fragments.
    pages: LRU[tuple[str, str, str], dict[str, str]] = field(
        default_factory=lambda: LRU(4096, PAGES_BYTES)
    )
    #: (chart, municipality or "", indicator or "", language) -> Vega-Lite spec as JSON bytes.
    specs: LRU[tuple[str, str, str, str], Blob] = field(
        default_factory=lambda: LRU(16384, SPECS_BYTES)
    )
    #: (format, municipality or "", language) -> file bytes.
    downloads: LRU[tuple[str, str, str], Blob] = field(
        default_factory=lambda: LRU(256, DOWNLOADS_BYTES)
    )

    @property
    def run_id(self) -> str:
        return self.published.run_id


class MonitorUnavailable(Exception):  # noqa: N818 (a state the page explains, not a fault)
    """No run can be shown: ``reason`` is MISSING, INVALID or UPDATING."""

    def __init__(self, directory: Path, reason: str, detail: str = "") -> None:
        super().__init__(f"{directory}: {reason} {detail}".strip())
        self.directory = directory
        self.reason = reason
        self.detail = detail


def _fingerprint(directory: Path) -> Fingerprint | None:
    """Modification time and size of the watched files; None when results.parquet is missing."""
    out = []
    for name in WATCHED:
        try:
            st = (directory / name).stat()
        except FileNotFoundError:
            if name == WATCHED[0]:
                return None
            out.append((0, 0))
            continue
        out.append((st.st_mtime_ns, st.st_size))
    return tuple(out)


def _consistent(published: Publication) -> bool:
    """The manifest belongs to the results (a run writes the manifest last)."""
    column = (
        published.results.column("run_id") if "run_id" in published.results.column_names else None
    )
    if column is None or len(column) == 0:
        return True
    return str(column[0].as_py()) == published.run_id


class Store:
    """Loaded runs by directory (a few, so tests can switch directories cheaply)."""

    def __init__(self, keep: int = 3) -> None:
        self.keep = keep
        self._runs: OrderedDict[Path, Run] = OrderedDict()
        self._failures: dict[Path, tuple[Fingerprint, MonitorUnavailable]] = {}
        self._retry_at: dict[Path, float] = {}
        self._lock = threading.Lock()

    def current(self, directory: Path | None = None) -> Run:
        """The run in ``directory`` (default: the configured one); raises MonitorUnavailable."""
        directory = (directory or monitor_dir()).resolve()
        fingerprint = _fingerprint(directory)
        if fingerprint is None:
            raise MonitorUnavailable(directory, MISSING)
        run = self._runs.get(directory)
        if run is not None and run.fingerprint == fingerprint:
            return run
        failed = self._failures.get(directory)
        if failed is not None and failed[0] == fingerprint:
            raise failed[1]
        if run is not None:
            # A new run appeared: one thread loads it, the others keep the previous one.
            if time.monotonic() < self._retry_at.get(directory, 0.0):
                return run
            if not self._lock.acquire(blocking=False):
                return run
        else:
            self._lock.acquire()
        try:
            return self._load(directory, fingerprint, run)
        finally:
            self._lock.release()

    def _load(self, directory: Path, fingerprint: Fingerprint, previous: Run | None) -> Run:
        loaded = self._runs.get(directory)
        if loaded is not None and loaded.fingerprint == fingerprint:
            return loaded  # another thread loaded it while this one waited
        started = time.perf_counter()
        try:
            published = Publication.open(directory)
        except (ResultsError, DisclosureError, OSError, ValueError, KeyError) as exc:
            if _fingerprint(directory) != fingerprint:  # changed while reading: being written
                return self._updating(directory, previous, str(exc))
            log.exception("the monitor results in %s cannot be shown", directory)
            error = MonitorUnavailable(directory, INVALID, str(exc))
            self._failures[directory] = (fingerprint, error)
            raise error from exc
        if not _consistent(published) or _fingerprint(directory) != fingerprint:
            return self._updating(directory, previous, "results and manifest of different runs")
        run = Run(published=published, directory=directory, fingerprint=fingerprint)
        self._runs[directory] = run
        self._runs.move_to_end(directory)
        while len(self._runs) > self.keep:
            self._runs.popitem(last=False)
        self._failures.pop(directory, None)
        log.info(
            "monitor run %s loaded from %s in %.1f s",
            run.run_id,
            directory,
            time.perf_counter() - started,
        )
        return run

    def _updating(self, directory: Path, previous: Run | None, detail: str) -> Run:
        self._retry_at[directory] = time.monotonic() + RETRY_SECONDS
        if previous is not None:
            return previous
        raise MonitorUnavailable(directory, UPDATING, detail)

    def clear(self) -> None:
        with self._lock:
            self._runs.clear()
            self._failures.clear()
            self._retry_at.clear()


STORE: Final = Store()


def current() -> Run:
    """The configured run (see `Store.current`)."""
    return STORE.current()

"""The program cache: results that depend only on the installed code, kept between processes.

What is cached here is never data and never an output: the vega-embed bundle
(`kansrijk.report.render`), the definition hashes (`kansrijk.engine.provenance`), both
functions of the installed code and library versions alone, and the SQL Ibis compiles for a
run's queries (`kansrijk.engine.compiled`), a function of the query's expression and the
library versions (data enters those queries as named tables, never as text). Files are keyed
by everything they are computed from, written atomically, and a cache that cannot be written
or read costs the recomputation, nothing else. Location: ``$KANSRIJK_CACHE_DIR``, else
``$XDG_CACHE_HOME/kansrijk``, else ``~/.cache/kansrijk``.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """Where the cache lives (see the module)."""
    configured = os.environ.get("KANSRIJK_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kansrijk"


def read_text(name: str) -> str | None:
    """The cached file ``name``, or None when there is none (or it cannot be read)."""
    try:
        return (cache_dir() / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_text(name: str, text: str) -> None:
    """Keep ``text`` as ``name``, atomically (a concurrent reader sees all of it or nothing);
    silently nothing when the cache cannot be written (a read-only home)."""
    target = cache_dir() / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    except OSError:
        pass


def library_versions(*distributions: str) -> str:
    """``name==version`` of each distribution (``none`` when not installed), one per line."""
    lines = []
    for name in distributions:
        try:
            lines.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            lines.append(f"{name}==none")
    return "\n".join(lines)


@cache
def code_digest(root: Path = PACKAGE) -> str:
    """SHA-256 over every file of the package under ``root`` (path and content; compiled
    bytecode left out): any change to the code or its shipped data changes it. About 6 MB,
    read once per process in tens of milliseconds."""
    digest = hashlib.sha256()
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()

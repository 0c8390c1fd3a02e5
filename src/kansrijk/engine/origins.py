"""Where a run comes from besides its data and definitions: reference data, software, code.

A published figure must be traceable to everything that produced it: the input files (hashed
by `Dataset`), the definitions (hashed by `provenance.definition_hashes`), and what this module
adds: the SHA-256 of every reference file the engine reads (municipalities, mergers and
postcode splits, the COROP table, boundaries, the Hoftiezer charts, the IOTF cut-offs), the
package version, and the git commit of the code when it runs from a checkout.
"""

from __future__ import annotations

import hashlib
import subprocess
from functools import cache
from importlib.resources import files
from pathlib import Path

from kansrijk import __version__

#: Packages whose ``data`` folders hold reference data the monitor reads.
REFERENCE_PACKAGES = ("kansrijk.geo", "kansrijk.reference")


@cache
def reference_hashes() -> dict[str, str]:
    """``{"<package>/<file>": sha256}`` of every reference data file (licence notes aside)."""
    out: dict[str, str] = {}
    for package in REFERENCE_PACKAGES:
        folder = files(package) / "data"
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".md") or not entry.is_file():
                continue
            digest = hashlib.sha256(entry.read_bytes()).hexdigest()
            out[f"{package.split('.')[-1]}/{entry.name}"] = digest
    return out


def _git(*args: str) -> str:
    here = Path(__file__).resolve().parent
    done = subprocess.run(
        ["git", *args], cwd=here, capture_output=True, text=True, check=True, timeout=10
    )
    return done.stdout.strip()


@cache
def git_commit() -> str | None:
    """The commit of the checkout the code runs from (with ``+dirty`` when it has changes),
    or None outside a git checkout."""
    try:
        commit = _git("rev-parse", "HEAD")
        status = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{commit}+dirty" if status else commit


def software() -> dict[str, object]:
    """The package version and the code's commit."""
    return {"kansrijk": __version__, "commit": git_commit()}

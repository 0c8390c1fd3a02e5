"""What the benchmarks share: the full-population dataset and a child process's cost."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

#: The synthetic Netherlands with the full population, 2015-2024 at scale 1.0 (about 3.5
#: minutes and 6 GB to generate), shared by the scale-1.0 benchmarks.
FULL_DATA = Path(__file__).parent / ".data" / "full"
CLI = [sys.executable, "-m", "kansrijk.cli"]

#: Runs argv[1:] and prints the peak RSS (KiB) of its children.
_PEAK = (
    "import resource, subprocess, sys, json;"
    "r = subprocess.run(sys.argv[1:]);"
    "print(json.dumps(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss));"
    "sys.exit(r.returncode)"
)


def full_dataset() -> Path:
    """`FULL_DATA`, generated when missing."""
    if not (FULL_DATA / "synth-manifest.json").exists():
        subprocess.run(
            [*CLI, "synth", "--years", "2015-2024", "--scale", "1.0", "--population", "full",
             "--out", str(FULL_DATA), "--overwrite"],
            check=True,
        )  # fmt: skip
    return FULL_DATA


def run_child(args: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of the process ``args``, run in a process of its own."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK, *args], check=True, capture_output=True, text=True, cwd=cwd
    )
    return time.perf_counter() - started, int(proc.stdout.strip().splitlines()[-1])

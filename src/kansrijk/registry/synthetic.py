"""Whether a dataset directory holds synthetic data: the marker `kansrijk synth` leaves.

The generator writes ``synth-manifest.json`` beside the tables with ``"synthetic": true``. A
dataset written by ``kansrijk registry pseudonymise``, or a real extract, has no such file, so
it is not synthetic. Outputs built from a synthetic dataset say so (the monitor's manifest
carries ``"synthetic": true``, and reports, exports and web pages show a banner).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

#: The generator's manifest, a provenance sidecar beside the tables.
SYNTH_MANIFEST: Final = "synth-manifest.json"


def is_synthetic(data_dir: Path) -> bool:
    """True only when ``data_dir`` holds a ``synth-manifest.json`` that says
    ``"synthetic": true``; False without it, or when it cannot be read as such."""
    try:
        manifest = json.loads((Path(data_dir) / SYNTH_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, unreadable, not UTF-8 or not JSON
        return False
    return isinstance(manifest, dict) and manifest.get("synthetic") is True

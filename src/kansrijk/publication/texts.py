"""Published texts: a table of text only (no counts), through the same gate.

Some of what the platform publishes holds no numbers at all: the approved quotes of the
experiences study (issue 19) are words attributed by role. They cannot come as a `Protected`
(there is nothing to count or suppress), so the gate has a writer and a reader for them:

* `publish_texts(table, out, manifest=..., basename=...)` refuses a table with any column that
  is not text (`check_texts`: a number could be a count, and a count belongs in a
  `Protected`) or one marked internal, and writes Parquet and CSV plus ``manifest.json`` with
  the SHA-256 of both, atomically, exactly as `publish` writes a table (``kind`` ``"texts"``
  in the manifest);
* `Texts.open(dir, basename)` is its reader: it refuses an internal directory, a manifest that
  is not a texts publication, and a file whose hash differs from the manifest, and checks the
  table again.

Whether a text identifies someone is not something the gate can know: the caller checks the
texts before publishing, and whoever renders them checks again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.parquet as pq

from kansrijk.publication.errors import DisclosureError
from kansrijk.publication.internal import (
    read_public_manifest,
    refuse_internal_dir,
    refuse_internal_file,
    refuse_internal_table,
)
from kansrijk.publication.protect import NUMBERS
from kansrijk.publication.publish import MANIFEST, sha256_file, write_atomically, write_json
from kansrijk.publication.writers import write_csv, write_parquet

#: The ``kind`` of a texts publication's manifest.
TEXTS_KIND: Final = "texts"


class TextsError(ValueError):
    """The directory cannot be read as a published table of texts."""


def check_texts(table: pa.Table, what: str = "texts") -> None:
    """Raise DisclosureError unless every column of ``table`` is text (no counts, no
    numbers, nothing marked internal)."""
    refuse_internal_table(table, what)
    numbers = sorted(set(NUMBERS) & set(table.column_names))
    if numbers:
        raise DisclosureError(f"{what}: a table of texts must not carry {numbers}")
    for field in table.schema:
        if not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            raise DisclosureError(f"{what}: column {field.name} is {field.type}, not text")


def publish_texts(
    table: pa.Table, out: Path, *, manifest: Mapping[str, object], basename: str
) -> dict[str, Path]:
    """Write ``<basename>.parquet``, ``<basename>.csv`` and ``manifest.json`` into ``out``;
    return the written paths by name. ``manifest`` is the caller's provenance; the gate adds
    ``kind``, the SHA-256 of every output and the time of publication."""
    out = Path(out)
    refuse_internal_dir(out, "publish into")
    check_texts(table, basename)
    paths = write_atomically(
        out,
        {
            f"{basename}.parquet": partial(write_parquet, table),
            f"{basename}.csv": partial(write_csv, table),
        },
    )
    full = dict(manifest)
    full["kind"] = TEXTS_KIND
    full["outputs"] = {name: sha256_file(path) for name, path in sorted(paths.items())}
    full["published"] = datetime.now(UTC).replace(microsecond=0).isoformat()
    write_json(out / MANIFEST, full)
    paths[MANIFEST] = out / MANIFEST
    return paths


@dataclass(frozen=True)
class Texts:
    """A checked published table of texts with its manifest."""

    table: pa.Table
    manifest: dict[str, object]
    source: Path

    @classmethod
    def open(cls, directory: Path, basename: str) -> Texts:
        """Read and check a texts publication (raises TextsError or DisclosureError)."""
        directory = Path(directory)
        refuse_internal_dir(directory, "read")
        path = directory / f"{basename}.parquet"
        refuse_internal_file(path, "read")
        manifest = read_public_manifest(directory / MANIFEST, TextsError, "not a publication")
        if manifest.get("kind") != TEXTS_KIND:
            raise TextsError(f"{directory}: not a publication of texts")
        outputs = manifest.get("outputs")
        recorded = outputs.get(path.name) if isinstance(outputs, dict) else None
        if recorded is None or not path.is_file():
            raise TextsError(f"{path}: not among the outputs the gate published")
        if sha256_file(path) != recorded:
            raise DisclosureError(f"{path}: changed since it was published")
        try:
            with pq.ParquetFile(path) as file:
                table = file.read()
        except (pa.ArrowInvalid, OSError) as exc:
            raise TextsError(f"{path}: not a Parquet file ({exc})") from None
        check_texts(table, path.name)
        return cls(table=table, manifest=manifest, source=directory)

    @property
    def rows(self) -> list[dict[str, str | None]]:
        rows: list[dict[str, str | None]] = self.table.to_pylist()
        return rows

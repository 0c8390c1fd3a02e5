"""The import contract: the tree states the layers, and this test keeps it so."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "kansrijk"

#: Which kansrijk packages each part may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "geo": set(),
    "reference": set(),
    "registry": {"pseudonym", "vulnerability"},
    "pseudonym": set(),
    "synth": {"registry", "geo", "reference", "vulnerability"},
    "indicators": set(),
    "publication": {"geo", "indicators"},
    "stats": set(),
    # program_cache: a leaf module (it imports nothing of kansrijk) for results that depend
    # on the installed code only (definition hashes, the vega-embed bundle).
    "engine": {
        "indicators",
        "registry",
        "geo",
        "reference",
        "publication",
        "stats",
        "program_cache",
    },
    "report": {"publication", "geo", "stats", "indicators", "program_cache"},
    "export": {"report", "publication", "geo", "indicators"},
    "programme": {"publication", "stats", "geo", "indicators"},
    "coordination": set(),
    "vulnerability": set(),
    "cli": {
        "engine",
        "synth",
        "registry",
        "report",
        "export",
        "publication",
        "web",
        "geo",
        "reference",
        "pseudonym",
        "indicators",
        "programme",
        "vulnerability",
    },
}
#: Third-party modules a part must never import.
FORBIDDEN_THIRD_PARTY: dict[str, set[str]] = {
    "indicators": {"duckdb", "ibis", "pyspark", "pandas"},
    **{
        core: {"django"}
        for core in (
            "geo",
            "reference",
            "registry",
            "pseudonym",
            "synth",
            "indicators",
            "publication",
            "stats",
            "engine",
            "report",
            "export",
            "programme",
            "coordination",
            "vulnerability",
        )
    },
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "kansrijk":  # from kansrijk import geo
                names.update(
                    f"kansrijk.{alias.name}"
                    for alias in node.names
                    if not alias.name.startswith("__")
                )
    return names


def _parts() -> list[str]:
    return sorted(p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def test_every_part_is_declared() -> None:
    assert set(_parts()) <= set(ALLOWED) | {"web"}, "declare new parts in ALLOWED"


@pytest.mark.parametrize("part", [p for p in _parts() if p != "web"])
def test_part_respects_the_layers(part: str) -> None:
    bad: list[str] = []
    for path in (SRC / part).rglob("*.py"):
        for name in _imports(path):
            top = name.split(".")
            if top[0] == "kansrijk" and len(top) > 1 and top[1] not in ALLOWED[part] | {part}:
                bad.append(f"{path.relative_to(SRC)} imports {name}")
            if top[0] in FORBIDDEN_THIRD_PARTY.get(part, set()):
                bad.append(f"{path.relative_to(SRC)} imports {name}")
    assert not bad, bad


#: Calls that write a table to a file. Outside `kansrijk.publication` (the gate: the only
#: writer of published files) only these modules may make them, none of them on a published
#: path: the synthetic registry writer, the definition hash (an in-memory buffer), and the
#: export builders (they make the bytes that `Publication.write` writes).
TABLE_WRITERS = frozenset(
    {
        "write_table",
        "write_csv",
        "write_parquet",
        "write_xlsx",
        "write_atomically",
        "to_csv",
        "to_parquet",
        "write_dataset",
    }
)
MAY_WRITE_TABLES = frozenset({"synth/writer.py", "engine/provenance.py", "export/__init__.py"})


def test_only_the_gate_writes_published_files() -> None:
    bad: list[str] = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("publication/") or rel in MAY_WRITE_TABLES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in TABLE_WRITERS:
                    bad.append(f"{rel}:{node.lineno} calls {name}")
    assert not bad, bad


def test_the_program_cache_is_a_leaf() -> None:
    """`kansrijk.program_cache` may be imported by the core because it imports none of it."""
    found = [n for n in _imports(SRC / "program_cache.py") if n.split(".")[0] == "kansrijk"]
    assert not found, found

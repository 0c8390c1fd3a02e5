"""`kansrijk.program_cache`: where kept results live, atomic writes, and the code digest that
keys them (any changed file of the package changes it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kansrijk import program_cache


def test_location_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KANSRIJK_CACHE_DIR", str(tmp_path / "k"))
    assert program_cache.cache_dir() == tmp_path / "k"
    monkeypatch.delenv("KANSRIJK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert program_cache.cache_dir() == tmp_path / "xdg" / "kansrijk"


def test_write_then_read_and_a_cache_that_cannot_be_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KANSRIJK_CACHE_DIR", str(tmp_path / "cache"))
    assert program_cache.read_text("a.txt") is None
    program_cache.write_text("a.txt", "kept")
    assert program_cache.read_text("a.txt") == "kept"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["a.txt"]  # no partial left
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("KANSRIJK_CACHE_DIR", str(blocker / "cache"))
    program_cache.write_text("a.txt", "lost")  # no error
    assert program_cache.read_text("a.txt") is None


def test_code_digest_follows_every_file_but_not_bytecode(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    (root / "sub" / "__pycache__").mkdir(parents=True)
    (root / "a.py").write_text("x = 1\n")
    (root / "sub" / "data.csv").write_text("a,b\n")
    first = program_cache.code_digest.__wrapped__(root)
    (root / "sub" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert program_cache.code_digest.__wrapped__(root) == first
    (root / "sub" / "data.csv").write_text("a,c\n")
    changed = program_cache.code_digest.__wrapped__(root)
    assert changed != first
    (root / "sub" / "data.csv").rename(root / "data.csv")  # same content, other place
    assert program_cache.code_digest.__wrapped__(root) not in (first, changed)
    assert len(program_cache.code_digest()) == 64  # the installed package


def test_library_versions_names_missing_ones() -> None:
    text = program_cache.library_versions("pyarrow", "no-such-distribution-xyz")
    assert text.startswith("pyarrow==") and text.endswith("no-such-distribution-xyz==none")

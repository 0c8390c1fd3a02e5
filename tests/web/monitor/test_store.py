"""The run loader: loaded once, reloaded when the files change, never half a run."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from kansrijk.publication import Publication
from kansrijk.web.monitor import store
from kansrijk.web.monitor.store import INVALID, MISSING, UPDATING, MonitorUnavailable, Store
from tests.conftest import MonitorRun


@pytest.fixture
def copy(monitor_run: MonitorRun, tmp_path: Path) -> Path:
    out = tmp_path / "run"
    shutil.copytree(monitor_run.out, out)
    return out


def _touch(path: Path, seconds: int = 10) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


def test_missing(tmp_path: Path) -> None:
    with pytest.raises(MonitorUnavailable) as error:
        Store().current(tmp_path / "nothing")
    assert error.value.reason == MISSING


def test_loaded_once_and_reloaded_when_results_change(copy: Path) -> None:
    s = Store()
    first = s.current(copy)
    assert s.current(copy) is first
    first.pages.get_or_build(("local", "GM0363", "nl"), lambda: {"body": "cached"})
    _touch(copy / "results.parquet")
    second = s.current(copy)
    assert second is not first
    assert second.run_id == first.run_id
    assert len(second.pages) == 0  # a new run starts with empty caches


def test_invalid_results_are_reported_once(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (copy / "results.parquet").write_bytes(b"garbage")
    calls = []
    real_open = Publication.open

    def counting(directory: Path) -> Publication:
        calls.append(directory)
        return real_open(directory)

    monkeypatch.setattr(Publication, "open", staticmethod(counting))
    s = Store()
    for _ in range(3):
        with pytest.raises(MonitorUnavailable) as error:
            s.current(copy)
        assert error.value.reason == INVALID
    assert len(calls) == 1


def test_results_and_manifest_of_different_runs(copy: Path) -> None:
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["run_id"] = "another"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(MonitorUnavailable) as error:
        Store().current(copy)
    assert error.value.reason == UPDATING


def test_previous_run_is_kept_while_the_next_is_written(copy: Path) -> None:
    s = Store()
    first = s.current(copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["run_id"] = "half-written"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    assert s.current(copy) is first  # inconsistent: keep showing the previous run


def test_concurrent_first_requests_load_once(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real_open = Publication.open

    def counting(directory: Path) -> Publication:
        calls.append(directory)
        return real_open(directory)

    monkeypatch.setattr(Publication, "open", staticmethod(counting))
    s = Store()
    runs: list[store.Run] = []
    threads = [threading.Thread(target=lambda: runs.append(s.current(copy))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len({id(r) for r in runs}) == 1


def test_lru_evicts_the_least_recently_used() -> None:
    cache: store.LRU[str, int] = store.LRU(2)
    cache.get_or_build("a", lambda: 1)
    cache.get_or_build("b", lambda: 2)
    cache.get_or_build("a", lambda: 0)  # a is now the most recent
    cache.get_or_build("c", lambda: 3)
    assert cache.get_or_build("a", lambda: -1) == 1
    assert cache.get_or_build("b", lambda: -2) == -2  # b was evicted

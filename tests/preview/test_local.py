"""The synthetic desk's block cache (dashgen.preview.local), without Prometheus: promtool's backfill is replaced by
a fake that writes a few files. The cache is the user's own (XDG_CACHE_HOME, mode 0700), an entry appears whole
or not at all also with two runs filling it at once, an entry that disappears while it is copied is a miss
(rebuilt, never an error), and pruning removes only old entries that are not in use."""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dashgen.catalogue import Catalogue
from dashgen.preview import local
from dashgen.preview.synthetic import Desk
from dashgen.project import compile_project, load_project

from ..factories import small_project

DESK = Desk(hours=1, step=300)


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    found = compile_project(load_project(small_project(tmp_path / "p"))).catalogue
    assert found is not None
    return found


@pytest.fixture
def backfills(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """promtool's backfill replaced: a block of three files, slowly enough that two runs overlap."""
    done: list[Path] = []

    def fake(data: Path, storage: Path, timeout_s: float = 300) -> None:
        assert data.is_file()
        block = storage / "01BLOCK"
        (block / "chunks").mkdir(parents=True)
        (block / "meta.json").write_text('{"ulid": "01BLOCK"}')
        (block / "index").write_bytes(b"i" * 1000)
        (block / "chunks/000001").write_bytes(b"c" * 5000)
        time.sleep(0.2)
        done.append(storage)

    monkeypatch.setattr(local, "backfill", fake)
    return done


def _fill(catalogue: Catalogue, work: Path, cache: Path) -> Path:
    work.mkdir(parents=True)
    return local.storage_for(catalogue, DESK, None, None, work, cache)


def _entries(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir())


def test_the_cache_is_the_users_own(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert local.default_cache_dir() == tmp_path / "xdg/dashgen/preview"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert local.default_cache_dir() == tmp_path / "home/.cache/dashgen/preview"


def test_a_fill_then_a_hit(catalogue: Catalogue, backfills: list[Path], tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache = local.default_cache_dir()
    storage = _fill(catalogue, tmp_path / "w1", cache)
    assert sorted(local._files(storage)) == ["01BLOCK/chunks/000001", "01BLOCK/index", "01BLOCK/meta.json"]
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    [key] = _entries(cache)
    assert json.loads((cache / key / local.MANIFEST).read_text()) == local._files(storage)
    again = _fill(catalogue, tmp_path / "w2", cache)
    assert len(backfills) == 1  # the second run copied the entry
    assert local._files(again) == local._files(storage) and not (again / local.MANIFEST).exists()


def test_two_runs_filling_the_cache_at_once(catalogue: Catalogue, backfills: list[Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    results: dict[int, Path | BaseException] = {}

    def one(n: int) -> None:
        try:
            results[n] = _fill(catalogue, tmp_path / f"w{n}", cache)
        except BaseException as exc:
            results[n] = exc

    threads = [threading.Thread(target=one, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(r, Path) and len(local._files(r)) == 3 for r in results.values()), results
    assert len(backfills) == 3
    [key] = _entries(cache)  # one entry, whole; no partial one left behind
    assert not key.startswith(".")
    assert len(local._files(cache / key)) == 4  # the blocks and the manifest


def _copy_that_removes_the_entry(entry: Path) -> Callable[..., Any]:
    real = shutil.copytree
    calls = {"n": 0}

    def copy_function(src: str, dst: str) -> object:
        calls["n"] += 1
        if calls["n"] == 1:
            shutil.rmtree(entry)  # another run pruned it while this one copies
        return shutil.copy2(src, dst)

    def copytree(src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(src) == entry:
            kwargs["copy_function"] = copy_function
        return real(src, dst, *args, **kwargs)

    return copytree


def test_an_entry_removed_while_copied_is_a_miss_and_rebuilt(catalogue: Catalogue, backfills: list[Path],
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    _fill(catalogue, tmp_path / "w1", cache)
    [key] = _entries(cache)
    monkeypatch.setattr(shutil, "copytree", _copy_that_removes_the_entry(cache / key))
    storage = _fill(catalogue, tmp_path / "w2", cache)
    assert len(backfills) == 2  # rebuilt
    assert len(local._files(storage)) == 3 and not (storage / local.MANIFEST).exists()


def test_an_entry_missing_a_file_is_a_miss(catalogue: Catalogue, backfills: list[Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _fill(catalogue, tmp_path / "w1", cache)
    [key] = _entries(cache)
    (cache / key / "01BLOCK/index").unlink()
    assert not local.restore(cache / key, tmp_path / "restored")
    assert not (tmp_path / "restored").exists()
    storage = _fill(catalogue, tmp_path / "w2", cache)
    assert len(backfills) == 2 and len(local._files(storage)) == 3


def test_pruning_removes_old_entries_only_and_never_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    for name in ("old", "in-use", "fresh", ".old-partial"):
        (cache / name).mkdir(parents=True)
        (cache / name / "f").write_text("x")
    day_ago = time.time() - 2 * local.CACHE_MAX_AGE_S
    for name in ("old", "in-use", ".old-partial"):
        os.utime(cache / name, (day_ago, day_ago))
    local.prune(cache, keep="in-use")
    assert _entries(cache) == ["fresh", "in-use"]
    local.prune(tmp_path / "no-such-cache", keep="x")  # nothing to prune: no error

    def refuse(*_: object, **__: object) -> None:
        raise PermissionError("not yours")

    monkeypatch.setattr(Path, "lstat", refuse)
    local.prune(cache, keep="x")  # cannot look: no error

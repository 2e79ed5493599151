"""grafanalib's attrs classes with their generated code from the cache: the same classes, the cache written
once and then read, and a broken or unwritable cache only costs the compile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json
from dashgen.board import attrs_code
from dashgen.board.compile import Dashboard
import attr._make
print(json.dumps({**attrs_code.stats, "file": str(attrs_code.cache_file()),
                  "shadow_left": hasattr(attr._make, "compile"),
                  "dashboard": Dashboard(title="t", uid="u").to_json_data()["title"]}))
"""


def probe(cache_home: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache_home)})
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.slow
def test_the_first_import_compiles_and_keeps_the_code_the_next_reads_it(tmp_path: Path) -> None:
    first = probe(tmp_path)
    assert first["compiled"] > 50 and first["hits"] == 0  # type: ignore[operator]
    written = Path(str(first["file"])).stat().st_mtime_ns
    assert Path(str(first["file"])).is_file() and str(first["file"]).startswith(str(tmp_path / "dashgen"))
    second = probe(tmp_path)
    assert second["hits"] > 50 and second["compiled"] < 10  # only the hashable types of dashgen's own, each time
    assert second["hits"] + second["compiled"] == first["compiled"]
    assert second["dashboard"] == first["dashboard"] == "t"
    assert second["shadow_left"] is False  # attrs compiles as usual after the import
    assert Path(str(first["file"])).stat().st_mtime_ns == written  # nothing new: not written again


@pytest.mark.slow
def test_a_broken_cache_is_compiled_again_and_replaced(tmp_path: Path) -> None:
    broken = tmp_path / "dashgen"
    broken.mkdir()
    cache = Path(str(probe(tmp_path)["file"]))
    cache.write_bytes(b"\x00not marshal")
    again = probe(tmp_path)
    assert again["compiled"] > 50 and again["dashboard"] == "t"
    assert probe(tmp_path)["hits"] > 50  # rewritten whole


@pytest.mark.slow
def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    result = probe(blocked)  # $XDG_CACHE_HOME/dashgen cannot be made under a file
    assert result["compiled"] > 50 and result["dashboard"] == "t"


def test_a_cache_file_that_cannot_be_replaced_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashgen.board import attrs_code

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = attrs_code.cache_file()
    path.mkdir(parents=True)  # a directory where the file goes: the rename over it fails
    attrs_code._write(path, {})
    assert path.is_dir() and list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_cached_code_is_what_attrs_compiles_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same class defined with the cache (cold, then warm) and without it: the same generated methods, down
    to their compiler flags (attrs' module's own `from __future__` imports, not attrs_code's)."""
    import attr

    from dashgen.board import attrs_code

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    def define() -> type:
        @attr.s(auto_attribs=True)
        class Probe:
            a: int
            b: str = "x"

        return Probe

    plain = define()
    with attrs_code.cached():
        cold = define()
    with attrs_code.cached():
        warm = define()
    assert attrs_code.cache_file().is_file()
    assert oct(attrs_code.cache_file().parent.stat().st_mode & 0o777) == "0o700"
    assert oct(attrs_code.cache_file().stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in attrs_code.cache_file().parent.iterdir()] == [attrs_code.cache_file().name]  # no temporary
    for method in ("__init__", "__eq__", "__repr__"):
        codes = [getattr(cls, method).__code__ for cls in (plain, cold, warm)]
        assert len({(c.co_code, c.co_flags, c.co_consts, c.co_names) for c in codes}) == 1, method
    assert warm(1) == warm(1, "x") and repr(warm(2)) == repr(plain(2))


@pytest.mark.slow
def test_a_build_is_byte_identical_with_a_cold_or_warm_cache_or_none(tmp_path: Path) -> None:
    from ..factories import small_project

    root = small_project(tmp_path / "p", full=True)
    outputs = []
    for name, cache in (("cold", tmp_path / "cache"), ("warm", tmp_path / "cache"), ("none", tmp_path / "file")):
        (tmp_path / "file").write_text("")  # a cache home that is a file: nothing can be cached there
        out = tmp_path / name
        subprocess.run([sys.executable, "-m", "dashgen", "--project", str(root), "build", "--out-dir", str(out)],
                       check=True, capture_output=True, env={**os.environ, "XDG_CACHE_HOME": str(cache)})
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1] == outputs[2] and len(outputs[0]) > 3

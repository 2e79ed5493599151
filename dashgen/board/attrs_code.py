"""grafanalib's classes without recompiling their methods at every run.

grafanalib.core defines ~90 attrs classes, and attrs writes each one's __init__, __eq__ and __repr__ as Python
source and compiles it when the class is defined: ~45 ms of every build (grafanalib's own generate-dashboard
pays it too). Python caches the bytecode of modules in __pycache__; nothing caches this generated code. While
`cached` is active, attrs' `compile` (a module global it looks up at each call, shadowed here) returns the code
object compiled before for the same source, file name and mode, kept in one marshal file per Python bytecode
version in the user's cache directory (`$XDG_CACHE_HOME/dashgen` or `~/.cache/dashgen`), as __pycache__ keeps
.pyc files; anything new is compiled, and the file rewritten with what this import used (an upgrade leaves
nothing stale behind). The code is exactly what compile returns for that source, so the classes are the same;
a missing, unreadable or stale file only means compiling, and a cache that cannot be written is no error.
A hashable class's generated __hash__ holds a number that changes with every process (a hash of a string,
under Python's hash randomisation): those few (dashgen's own frozen types) are compiled each time, not kept.
The code is compiled with the `from __future__` flags attrs' own module has (what its `compile` call would
inherit), not this module's. The cache is the user's own, as __pycache__ is: its directory is made private
(0700) and its file written 0600; it is named after Python's bytecode version and the attrs version."""

from __future__ import annotations
import __future__

import builtins
import importlib.util
import marshal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType
from typing import Any

import attr
import attr._make

from dashgen.cache import user_cache_dir
from dashgen.errors import DashgenError

Key = tuple[str, str, str]  # source, file name, mode

stats = {"hits": 0, "compiled": 0}  # for the tests


def cache_file() -> Path:
    attrs_version = getattr(attr, "__version__", "unknown")
    return user_cache_dir() / f"attrs-code-{importlib.util.MAGIC_NUMBER.hex()}-{attrs_version}.marshal"


def _attrs_flags() -> int:
    """The compiler flags of attrs' module's `from __future__` imports: what its own compile() inherits."""
    flags = 0
    for name in __future__.all_feature_names:
        feature: __future__._Feature = getattr(__future__, name)
        if vars(attr._make).get(name) is feature:
            flags |= int(feature.compiler_flag)
    return flags


def _read(path: Path) -> dict[Key, CodeType]:
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _write(path: Path, codes: dict[Key, CodeType]) -> None:
    from dashgen.outputs import write_bytes  # only when something new was compiled

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_bytes(path, marshal.dumps(codes), mode=0o600)  # whole or not at all, also with two builds at once
    except (OSError, DashgenError):
        pass


def _as_called_from_attrs(source: Any, filename: Any, mode: Any, inherited: int, flags: int = 0,
                          dont_inherit: bool = False, *args: Any, **kwargs: Any) -> Any:
    """builtins.compile as attrs' module calling it would get it (its future flags inherited, not ours)."""
    return builtins.compile(source, filename, mode, flags | (0 if dont_inherit else inherited), True, *args, **kwargs)


@contextmanager
def cached() -> Iterator[None]:
    if hasattr(attr._make, "compile"):  # already active (nested), or attrs changed: compile as usual
        yield
        return
    path = cache_file()
    flags = _attrs_flags()
    codes = _read(path)
    used: dict[Key, CodeType] = {}
    added = 0

    def compile_cached(source: Any, filename: Any, mode: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal added
        key = (source, filename, mode)
        if args or kwargs or not all(isinstance(part, str) for part in key):  # not how attrs calls it: as
            return _as_called_from_attrs(source, filename, mode, flags, *args, **kwargs)  # if not shadowed
        code = codes.get(key)
        if code is None:
            code = builtins.compile(source, filename, mode, flags, dont_inherit=True)
            stats["compiled"] += 1
            if "def __hash__" not in source:  # its salt differs in the next process: no use keeping it
                added += 1
                used[key] = code
        else:
            stats["hits"] += 1
            used[key] = code
        return code

    attr._make.compile = compile_cached  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del attr._make.compile  # type: ignore[attr-defined]
        if added:
            _write(path, used)

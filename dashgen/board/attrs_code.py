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
under Python's hash randomisation): those few (dashgen's own frozen types) are compiled each time, not kept."""

from __future__ import annotations

import builtins
import importlib.util
import marshal
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType
from typing import Any

import attr._make

Key = tuple[str, str, str]  # source, file name, mode

stats = {"hits": 0, "compiled": 0}  # for the tests


def cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dashgen" / f"attrs-code-{importlib.util.MAGIC_NUMBER.hex()}.marshal"


def _read(path: Path) -> dict[Key, CodeType]:
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _write(path: Path, codes: dict[Key, CodeType]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".attrs-code-")
        with os.fdopen(fd, "wb") as file:
            file.write(marshal.dumps(codes))
        os.replace(temporary, path)  # whole or not at all, also with two builds at once
    except OSError:
        pass


@contextmanager
def cached() -> Iterator[None]:
    if hasattr(attr._make, "compile"):  # already active (nested), or attrs changed: compile as usual
        yield
        return
    path = cache_file()
    codes = _read(path)
    used: dict[Key, CodeType] = {}
    added = 0

    def compile_cached(source: Any, filename: Any, mode: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal added
        key = (source, filename, mode)
        if args or kwargs or not all(isinstance(part, str) for part in key):
            return builtins.compile(source, filename, mode, *args, **kwargs)
        code = codes.get(key)
        if code is None:
            code = builtins.compile(source, filename, mode)
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

"""The one JSON serialisation dashgen writes: sorted keys, 2-space indent, trailing newline.

JSON has no NaN or Infinity (Python would write them, Grafana's Go would refuse the file): the inputs are
checked where the user writes them, and this refuses them as a last guard, naming the place in the object.

The text is exactly `json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)`, written
by a direct recursion over plain JSON values, which is twice as fast as the standard library's indenting
encoder (pure Python generators: the C encoder does not indent). Any other value (a non-string key, a
non-finite number, a type JSON has no form for) goes to json.dumps itself, for its text or its error.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from typing import Any

from dashgen.errors import DashgenError


def dumps(value: Any) -> str:
    try:
        return _indented(value) + "\n"
    except _NotPlain:
        pass
    try:
        return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except ValueError:
        path = _non_finite(value, "")
        if path is None:
            raise
        raise DashgenError(f"{_name(value)}: {path or 'the value'} is not a finite number, which JSON cannot "
                           "hold") from None


def _name(value: Any) -> str:
    """The object by its title, name or uid, as the user knows it."""
    key = next((k for k in ("title", "name", "uid") if isinstance(value, dict) and isinstance(value.get(k), str)), "")
    return f"{key} {value[key]!r}" if key else "a JSON document"


def _non_finite(value: Any, path: str) -> str | None:
    """The path (`rules[0].data`) of the first NaN or infinite number in `value`, or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return path
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list | tuple) else ()
    for key, child in children:
        found = _non_finite(child, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


class _NotPlain(Exception):
    """A value json.dumps must write (or refuse) itself."""


def _indented(value: Any) -> str:
    out: list[str] = []
    _write(value, out, "\n")
    return "".join(out)


def _write(value: Any, out: list[str], newline: str) -> None:
    """`value` as json.dumps writes it with indent=2 and sorted keys; `newline` ends a line at this depth."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _NotPlain
        out.append(float.__repr__(value))
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        try:
            keys = sorted(value)
        except TypeError:  # keys of several types
            raise _NotPlain from None
        inner = newline + "  "
        separator = "{" + inner
        for key in keys:
            if not isinstance(key, str):
                raise _NotPlain
            out.append(f"{separator}{encode_basestring(key)}: ")
            _write(value[key], out, inner)
            separator = "," + inner
        out.append(newline + "}")
    else:
        raise _NotPlain

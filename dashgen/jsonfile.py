"""The one JSON serialisation dashgen writes: sorted keys, 2-space indent, trailing newline.

JSON has no NaN or Infinity (Python would write them, Grafana's Go would refuse the file): the inputs are
checked where the user writes them, and this refuses them as a last guard, naming the place in the object.
"""

from __future__ import annotations

import json
import math
from typing import Any

from dashgen.errors import DashgenError


def dumps(value: Any) -> str:
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

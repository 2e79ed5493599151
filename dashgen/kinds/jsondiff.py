"""Comparing JSON values as Grafana does and as reviewers read them. Pure."""

from __future__ import annotations

from typing import Any

from dashgen.jsonfile import dumps


def unified(live: Any, desired: Any, label: str) -> str:
    import difflib  # for diff and apply, not build

    before = dumps(live).splitlines() if live is not None else []
    after = dumps(desired).splitlines() if desired is not None else []
    lines = difflib.unified_diff(before, after, fromfile=f"live/{label}", tofile=f"code/{label}", lineterm="", n=3)
    return "\n".join(lines)


def changed_fields(before: Any, after: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the leaves that differ (lists compared whole, named by their path)."""
    if isinstance(before, dict) and isinstance(after, dict):
        found: list[str] = []
        for key in sorted(set(before) | set(after), key=str):
            if before.get(key) != after.get(key):
                found += changed_fields(before.get(key), after.get(key), f"{prefix}{key}.")
        return found
    return [prefix.rstrip(".")] if before != after else []


def whole_numbers(value: Any) -> Any:
    """Whole floats as integers, recursively: JSON through Go's map[string]any or JavaScript loses `.0`."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole_numbers(v) for v in value]
    return value


def drop_nulls(value: Any) -> Any:
    """Without None values in objects, recursively (a UI save and Go's omitempty both drop them)."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def without_defaults(value: Any, defaults: Any) -> Any:
    """`value` without the entries equal to `defaults` (recursively into objects; lists compared whole).
    An object left empty by that is dropped by the caller."""
    if not isinstance(value, dict) or not isinstance(defaults, dict):
        return value
    out = {}
    for key, item in value.items():
        if key in defaults:
            if item == defaults[key]:
                continue
            if isinstance(item, dict) and isinstance(defaults[key], dict):
                item = without_defaults(item, defaults[key])
                if not item:
                    continue
        out[key] = item
    return out

"""Comparing JSON values as Grafana does and as reviewers read them. Pure."""

from __future__ import annotations

from typing import Any

from dashgen.jsonfile import dumps


def unified(live: Any, desired: Any, label: str) -> str:
    """The canonical JSON of a part, live -> code."""
    return unified_text(dumps(live) if live is not None else "", dumps(desired) if desired is not None else "",
                        f"live/{label}", f"code/{label}")


def unified_text(before: str, after: str, from_label: str, to_label: str) -> str:
    """A unified diff of two texts, 3 lines of context, no trailing newline."""
    import difflib  # for diff, apply and review, not build

    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), fromfile=from_label, tofile=to_label,
                                 lineterm="", n=3)
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


def as_go_answers(value: Any) -> Any:
    """JSON as it comes back through Go's map[string]any or JavaScript, recursively: whole floats as integers
    (`.0` is lost) and objects without null values (a UI save and Go's omitempty both drop them). One pass:
    rule groups hold thousands of rules."""
    if isinstance(value, dict):
        return {k: as_go_answers(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [as_go_answers(v) for v in value]
    if value.__class__ is float and value.is_integer():
        return int(value)
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

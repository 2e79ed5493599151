"""Durations: the one parser and the one formatter (Prometheus' `model.Duration`, which Grafana answers in)."""

from __future__ import annotations

import re

_UNITS = (("y", 365 * 86400_000), ("w", 7 * 86400_000), ("d", 86400_000), ("h", 3600_000), ("m", 60_000),
          ("s", 1000), ("ms", 1))
_MS = dict(_UNITS)
_PART = re.compile(r"(\d+)(ms|y|w|d|h|m|s)")


def parse_ms(text: str) -> int | None:
    """`1h30m`, `90s`, `0m`, `1m0s`, `1d` -> milliseconds; None when it is not a duration."""
    text = (text or "").strip()
    if not text:
        return None
    position, total = 0, 0
    for match in _PART.finditer(text):
        if match.start() != position:
            return None
        total += int(match.group(1)) * _MS[match.group(2)]
        position = match.end()
    return total if position == len(text) else None


def prometheus(ms: int) -> str:
    """Milliseconds as Prometheus writes them: `0s`, `1m`, `1h30m`, `1d`, `1w` (never `0m` or `60s`)."""
    if ms == 0:
        return "0s"
    parts = []
    for unit, size in _UNITS:
        if ms >= size:
            parts.append(f"{ms // size}{unit}")
            ms %= size
    return "".join(parts)


def canonical(text: str) -> str:
    """A duration string in Prometheus' form; anything that is not a duration comes back unchanged."""
    ms = parse_ms(text)
    return text if ms is None else prometheus(ms)

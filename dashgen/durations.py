"""Durations: the one parser and the one formatter, in Prometheus' `model.Duration` form (`1h30m`, `90s`, `0m`, `1d`),
which Prometheus rule files, Grafana's alerting (`for`, group and routing intervals) and its answers use.
Everyone who reads or checks a duration (config, the alerts and routing DSL, lint, the alerting kinds) calls
here. Grafana's dashboard time settings add calendar units (months, quarters, years of 365.25 days) and date
math: dashgen.grafana_time builds those on the fixed units below."""

from __future__ import annotations

import re

UNITS_MS = (("y", 365 * 86400_000), ("w", 7 * 86400_000), ("d", 86400_000), ("h", 3600_000), ("m", 60_000),
            ("s", 1000), ("ms", 1))
_MS = dict(UNITS_MS)
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


def seconds(text: str) -> int:
    """Whole seconds in a duration (`30s`, `1m`, `1h30m`); ValueError when it is not one."""
    ms = parse_ms(text)
    if ms is None:
        raise ValueError(f"not a duration: {text!r}")
    return ms // 1000


def prometheus(ms: int) -> str:
    """Milliseconds as Prometheus writes them: `0s`, `1m`, `1h30m`, `1d`, `1w` (never `0m` or `60s`)."""
    if ms == 0:
        return "0s"
    parts = []
    for unit, size in UNITS_MS:
        if ms >= size:
            parts.append(f"{ms // size}{unit}")
            ms %= size
    return "".join(parts)


def canonical(text: str) -> str:
    """A duration string in Prometheus' form; anything that is not a duration comes back unchanged."""
    ms = parse_ms(text)
    return text if ms is None else prometheus(ms)

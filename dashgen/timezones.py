"""The machine's IANA time-zone database, the one place it is read: for a board's time zone (grafana_time.py)
and a mute timing's location (timeinterval.py). zoneinfo is imported only when a zone is looked up."""

from __future__ import annotations

from functools import cache


def exists(name: str) -> bool:
    """Whether zoneinfo loads `name` (one file read, not the whole database)."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@cache
def names() -> frozenset[str]:
    """Every zone name the database holds; empty without a database. Reads every zone file (~50 ms)."""
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())

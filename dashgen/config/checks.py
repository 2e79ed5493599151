"""Small value checks used in the config schema (`metadata={"check": ...}`)."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

_UID = re.compile(r"^[a-zA-Z0-9_-]{1,40}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DURATION = re.compile(r"^[0-9]+(ms|s|m|h|d|w|y)$")


def uid(value: Any) -> str | None:
    if not _UID.match(value):
        return "a Grafana uid is 1-40 characters of letters, digits, '-' and '_'"
    return None


def non_empty(value: Any) -> str | None:
    return None if str(value).strip() else "must not be empty"


# what a secret pasted where the NAME of its variable belongs looks like, and what to call it (never its value)
_SECRET_SHAPES = (
    (re.compile(r"^glsa_"), "a Grafana service-account token"),
    (re.compile(r"^glc_"), "a Grafana Cloud token"),
    (re.compile(r"^eyJ[A-Za-z0-9+/=_.-]{8}"), "a JSON web token or a Grafana API key"),
    (re.compile(r"^xox[a-z]-"), "a Slack token"),
    (re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/]*@"), "a URL with credentials"),
    (re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://"), "a URL"),
    (re.compile(r"^[0-9a-f]{32}$"), "a PagerDuty integration key"),
)


def env_name(value: Any) -> str | None:
    """The NAME of an environment variable. A value that looks like the secret itself is refused without being
    repeated: the error would otherwise print it."""
    for shape, looks_like in _SECRET_SHAPES:
        if shape.match(value.strip()):
            return f"must name an environment variable, not hold the secret itself (it looks like {looks_like})"
    if not _ENV_NAME.match(value):
        return "expected the NAME of an environment variable (letters, digits, '_'), not its value"
    return None


def http_url(value: Any) -> str | None:
    if not re.match(r"^https?://[^/\s]+", value):
        return "expected an http:// or https:// URL"
    return None


def duration(value: Any) -> str | None:
    if not _DURATION.match(value):
        return "expected a duration such as 30s, 5m or 1h"
    return None


def positive(value: Any) -> str | None:
    return None if value > 0 else "must be greater than 0"


def is_plain_http_to_remote(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "http":
        return False
    host = parts.hostname or ""
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def duration_seconds(text: str) -> int:
    """Seconds in a duration such as 30s, 5m, 1h (no ms)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    match = re.fullmatch(r"([0-9]+)([smhdw])", text)
    if not match:
        raise ValueError(f"not a duration: {text!r}")
    return int(match.group(1)) * units[match.group(2)]


def group_interval(value: Any) -> str | None:
    try:
        seconds = duration_seconds(value)
    except ValueError:
        return "expected a duration such as 30s or 1m"
    if seconds <= 0 or seconds % 10:
        return "Grafana evaluates rule groups every multiple of 10 seconds (10s, 30s, 1m, ...)"
    return None


def time_ranges(value: Any) -> str | None:
    for item in value:
        if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)", item):
            return f"{item!r}: expected HH:MM-HH:MM, e.g. 00:00-06:00"
    return None

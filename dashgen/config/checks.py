"""Small value checks used in the config schema (`metadata={"check": ...}`)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from dashgen import durations, managed, timeinterval

_UID = re.compile(r"^[a-zA-Z0-9_-]{1,40}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
TAG_MAX = 50


def uid(value: Any) -> str | None:
    if not _UID.match(value):
        return "a Grafana uid is 1-40 characters of letters, digits, '-' and '_'"
    return None


def managed_names(value: Any) -> str | None:
    """Names of objects dashgen owns (mute timings): Grafana names them dashgen-<name>."""
    bad = next((name for name in value if not managed.is_managed_name(str(name))), None)
    return None if bad is None else f"{bad!r}: {managed.NAME_RULE}"


def uid_prefix(value: Any) -> str | None:
    return None if re.fullmatch(r"[a-zA-Z0-9_-]{1,20}", value) else "1-20 letters, digits, '-' and '_'"


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
    if not value.strip():
        return "must not be empty: write the NAME of an environment variable"
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


def positive(value: Any) -> str | None:
    return None if value > 0 else "must be greater than 0"


def positive_up_to(limit: float, unit: str) -> Callable[[Any], str | None]:
    """Greater than 0 and at most `limit`: a timeout of 1e300 s is a typo, and one the OS cannot hold."""
    def check(value: Any) -> str | None:
        return positive(value) or (f"must be at most {limit:g}{unit}" if value > limit else None)
    return check


def tags(value: Any) -> str | None:
    """Grafana stores each tag in a 50-character column, unique per dashboard."""
    for tag in value:
        if not tag.strip():
            return "a tag is empty"
        if len(tag) > TAG_MAX:
            return f"tag {tag[:20]!r}... is longer than {TAG_MAX} characters, which Grafana cannot store"
    twice = sorted({tag for tag in value if value.count(tag) > 1})
    return f"tag {twice[0]!r} is listed twice" if twice else None


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


def group_interval(value: Any) -> str | None:
    ms = durations.parse_ms(value)
    if ms is None:
        return "expected a duration such as 30s or 1m"
    if ms <= 0 or ms % 10_000:
        return "Grafana evaluates rule groups every multiple of 10 seconds (10s, 30s, 1m, ...)"
    return None


def _each(parse: Callable[[Any], object]) -> Callable[[Any], str | None]:
    """A check that every item of a list parses; the first that does not says why."""
    def check(value: Any) -> str | None:
        for item in value:
            try:
                parse(item)
            except timeinterval.IntervalError as exc:
                return str(exc)
        return None
    return check


time_ranges = _each(timeinterval.day_ranges)
weekdays = _each(timeinterval.weekday_ranges)
days_of_month = _each(timeinterval.day_of_month_range)
months = _each(timeinterval.month_ranges)
years = _each(timeinterval.year_range)


def time_zone(value: Any) -> str | None:
    try:
        timeinterval.check_location(value)
    except timeinterval.IntervalError as exc:
        return str(exc)
    return None

"""Alertmanager's time intervals (prometheus/alertmanager `timeinterval`), which Grafana's mute timings are made of:
each part checked as Grafana checks it and written in the form Grafana answers with, so that a build holds only
what Grafana accepts and a diff compares like with like. Pure (the time-zone database is only read).

Alertmanager knows ranges within one cycle only: a time of day from start to end (end at most 24:00), weekdays
Sunday to Saturday, months January to December. A range across the cycle's end is what people mean by a night
(`22:00-02:00`) or a weekend (`saturday:sunday`), so it is written as the two ranges Alertmanager reads:
22:00-24:00 and 00:00-02:00; saturday and sunday. Days of the month and years do not wrap: those are refused."""

from __future__ import annotations

import re
from collections.abc import Callable

from dashgen import timezones
from dashgen.suggest import did_you_mean

WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_CLOCK = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00")  # timeinterval's validTime


class IntervalError(ValueError):
    """A part Grafana would refuse; its text is the reason, for a config error message."""


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def day_ranges(text: str) -> list[tuple[str, str]]:
    """`HH:MM-HH:MM` -> (start_time, end_time) pairs as Alertmanager reads them; across midnight, two."""
    parts = [part.strip() for part in text.split("-")]
    if len(parts) != 2 or not all(_CLOCK.fullmatch(part) for part in parts):
        raise IntervalError(f"{text!r}: expected HH:MM-HH:MM with times from 00:00 to 24:00, e.g. 00:00-06:00")
    start, end = parts
    if _minutes(start) == _minutes(end):
        raise IntervalError(f"{text!r} starts where it ends: a whole day is 00:00-24:00")
    if start == "24:00":
        raise IntervalError(f"{text!r}: a range starts at 23:59 at the latest (write 00:00-{end})")
    if _minutes(start) < _minutes(end):
        return [(start, end)]
    return [(start, "24:00")] + ([("00:00", end)] if end != "00:00" else [])


def _bounds(value: int | str, member: Callable[[str], int]) -> tuple[int, int]:
    """timeinterval stringableRangeFromString: lower-cased, `a` or `a:b`."""
    parts = str(value).strip().lower().split(":")
    if len(parts) > 2:
        raise IntervalError(f"{value!r}: expected one value or a range a:b")
    return member(parts[0]), member(parts[-1])


def _number(text: str) -> int:
    if not re.fullmatch(r"-?[0-9]+", text):
        raise IntervalError(f"{text!r} is not a number")
    return int(text)


def _named(names: tuple[str, ...], what: str, numbers: bool) -> Callable[[str], int]:
    def member(text: str) -> int:
        if text in names:
            return names.index(text)
        if numbers and re.fullmatch(r"[0-9]+", text) and 1 <= int(text) <= len(names):
            return int(text) - 1
        raise IntervalError(f"{text!r} is not a {what}{did_you_mean(text, names)}")
    return member


def _cyclic(value: int | str, names: tuple[str, ...], what: str, *, numbers: bool) -> list[tuple[int, int]]:
    begin, end = _bounds(value, _named(names, what, numbers))
    return [(begin, end)] if begin <= end else [(begin, len(names) - 1), (0, end)]


def weekday_ranges(value: int | str) -> list[str]:
    """`monday:friday`, `saturday:sunday` (split), `Sunday` -> Grafana's form: lower-case names, `a` or `a:b`."""
    return [WEEKDAYS[b] if b == e else f"{WEEKDAYS[b]}:{WEEKDAYS[e]}"
            for b, e in _cyclic(value, WEEKDAYS, "weekday", numbers=False)]


def month_ranges(value: int | str) -> list[str]:
    """`january:march`, `november:february` (split), `12` -> Grafana's form: numbers, `a` or `a:b`."""
    return [str(b + 1) if b == e else f"{b + 1}:{e + 1}" for b, e in _cyclic(value, MONTHS, "month", numbers=True)]


def _numbers(begin: int, end: int) -> str:
    return str(begin) if begin == end else f"{begin}:{end}"


def day_of_month_range(value: int | str) -> str:
    """timeinterval DayOfMonthRange: -31..31 without 0 (-1 is the last day), and never always empty."""
    begin, end = _bounds(value, _number)
    for day in (begin, end):
        if day == 0 or not -31 <= day <= 31:
            raise IntervalError(f"{value!r}: {day} is not a day of the month (1 to 31, or -1 for the last day)")
    if begin < 0 < end:
        raise IntervalError(f"{value!r}: a range that starts counting from the month's end must end so too")
    if (28 + begin if begin < 0 else begin) > (28 + end if end < 0 else end):
        raise IntervalError(f"{value!r}: ends before it starts (write two ranges, e.g. '25:-1' and '1:5')")
    return _numbers(begin, end)


def year_range(value: int | str) -> str:
    begin, end = _bounds(value, _number)
    if begin < 1 or begin > end:
        raise IntervalError(f"{value!r}: expected a year or a range of years such as 2025:2026")
    return _numbers(begin, end)


def check_location(name: str) -> None:
    """A time zone Grafana can load (Go's time.LoadLocation over the IANA database)."""
    if name == "Local":
        raise IntervalError("'Local' is the Grafana server's own time zone, which the code cannot know: "
                            "name the zone, e.g. Europe/London or UTC")
    if name == "UTC":  # before listing the database: that reads every zone file (~50 ms)
        return
    zones = timezones.names()
    if name in zones:
        return
    if not zones:
        raise IntervalError(f"cannot check the time zone {name!r}: this machine has no time-zone database "
                            "(install the tzdata package)")
    raise IntervalError(f"unknown time zone {name!r}{did_you_mean(name, zones)}; "
                        "names are IANA's, e.g. Europe/London, America/New_York or UTC")

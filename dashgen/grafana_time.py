"""What Grafana accepts in a dashboard's time settings, checked before anything is built. Pure.

- refresh: Grafana's backend reads it with gtime.ParseDuration and refuses a save below min_refresh_interval
  ("Dashboard refresh interval is too low", 5s by default); its frontend reads one number and one unit
  (rangeutil.describeInterval). dashgen accepts what both read alike: `<n><unit>`, unit s m h d w M y, at least
  5s and at most a year; "" switches auto-refresh off and `auto` lets Grafana choose from the time range.
- relative times: Grafana's dateMath (@grafana/data 12.2, datemath.ts): `now`, then terms `-<n><unit>`,
  `+<n><unit>` or `/<unit>` (rounding; `/fy`, `/fQ` fiscal), units y M w d h m s Q, a missing number being 1,
  whitespace ignored, and no digit of a number past the 10th character after `now` (its parser gives up there);
  or an ISO 8601 time, optionally followed by `||` and terms.
- a panel's relative time override (`time_from="24h"`): rangeutil.describeTextRange, `now-` is put in front
  (`+1h` is from now to now+1h).
- evaluating one (`evaluate`): dateMath.parse in UTC, the one evaluator (the preview's time ranges use it).
- time zones: `browser`, `utc` or an IANA name.

Each check returns None or one sentence, with "did you mean ...?" where a near spelling exists.
"""

from __future__ import annotations

import datetime
import re

from dashgen import durations, timezones
from dashgen.suggest import LOOSE_CUTOFF, closest

MIN_REFRESH = "5s"  # Grafana's default min_refresh_interval
_REFRESH = re.compile(r"([0-9]+)([smhdwMy])")
_YEAR_S = 31_557_600  # gtime: 365.25 days
# the fixed units are durations' (dashgen.durations); months, quarters and years are gtime's calendar ones
_UNIT_S = {**{unit: ms // 1000 for unit, ms in durations.UNITS_MS if unit in ("s", "m", "h", "d", "w")},
           "M": _YEAR_S // 12, "y": _YEAR_S, "Q": _YEAR_S // 4}
REFRESH_CHOICES = ("5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d")  # Grafana's refresh picker
_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d)(?::(\d\d)(?::(\d\d)(?:[.,]\d+)?)?)?(Z|[+-]\d\d(?::?\d\d)?)?)?")
_MAX_OFFSET_S = 5000 * _YEAR_S  # moment's dates end long before; no dashboard looks this far
# Grafana's quick ranges (rangeutil BASE_RANGE_OPTIONS): their names and start times, for "did you mean"
QUICK_RANGES = (
    ("Today", "now/d"), ("Today so far", "now/d"), ("This week", "now/w"), ("This week so far", "now/w"),
    ("This month", "now/M"), ("This month so far", "now/M"), ("This year", "now/y"), ("This year so far", "now/y"),
    ("Yesterday", "now-1d/d"), ("Day before yesterday", "now-2d/d"), ("This day last week", "now-7d/d"),
    ("Previous week", "now-1w/w"), ("Previous month", "now-1M/M"), ("Previous year", "now-1y/y"),
    ("Last 5 minutes", "now-5m"), ("Last 15 minutes", "now-15m"), ("Last 30 minutes", "now-30m"),
    ("Last 1 hour", "now-1h"), ("Last 3 hours", "now-3h"), ("Last 6 hours", "now-6h"), ("Last 12 hours", "now-12h"),
    ("Last 24 hours", "now-24h"), ("Last 2 days", "now-2d"), ("Last 7 days", "now-7d"), ("Last 30 days", "now-30d"),
    ("Last 90 days", "now-90d"), ("Last 6 months", "now-6M"), ("Last 1 year", "now-1y"), ("Last 2 years", "now-2y"),
    ("Last 5 years", "now-5y"), ("This fiscal quarter so far", "now/fQ"), ("This fiscal year so far", "now/fy"),
)


def refresh_problem(text: str) -> str | None:
    if text in ("", "auto"):
        return None  # no auto-refresh; Grafana's own choice from the time range (11.x+)
    match = _REFRESH.fullmatch(text)
    if not match:
        return (f"{text!r} is not a refresh interval: write a number and one unit (s, m, h, d, w, M, y) such as "
                f"30s or 1m, or \"\" for none{_refresh_guess(text)}")
    seconds = int(match[1]) * _UNIT_S[match[2]]
    if seconds < _UNIT_S["s"] * 5:
        return (f"{text} is below Grafana's minimum refresh interval ({MIN_REFRESH} by default), which refuses "
                'the dashboard; write 5s or more, or "" for no auto-refresh')
    if seconds > _YEAR_S:
        return f"{text} is longer than a year; write a shorter interval, or \"\" for no auto-refresh"
    return None


def relative_time_problem(text: str) -> str | None:
    """None when Grafana reads `text` as a point in time (`now-6h`, `now/d`, `2024-01-31`, ...)."""
    problem = _time_problem(text)
    if problem is None:
        return None
    return f"{text!r} is not a Grafana time: {problem}{_did_you_mean_time(text)}"


def range_start_problem(text: str) -> str | None:
    """A dashboard's time range start (it ends at `now`): a Grafana time that is not after now."""
    problem = relative_time_problem(text)
    if problem is not None or not text.startswith("now"):
        return problem
    terms = _terms(text[3:])
    if any(op == "/" for op, _, _, _ in terms):
        return None  # rounding down: whether it ends before now depends on the hour; Grafana shows it either way
    if sum(_signed_s(op, count, unit) for op, count, _, unit in terms) >= 0:
        return f"{text!r} is not before now, where the board's time range ends: write a past time such as now-6h"
    return None


def override_problem(text: str) -> str | None:
    """A panel's relative time override: `24h`, `now/d`, `7d`, a `$variable` (rangeutil.describeTextRange)."""
    if text.startswith(("$", "+$")):
        return None
    expression = _override_expression(text)
    quick = {start for _, start in QUICK_RANGES}
    if expression not in quick and not re.match(r"now[-+]\d+\w", expression):
        return (f"{text!r} is not a relative time Grafana reads: write an amount and a unit such as 24h or 7d, "
                f"or a quick range such as now/d{_did_you_mean(text, ('5m', '15m', '1h', '6h', '24h', '7d'))}")
    problem = _time_problem(expression)
    return None if problem is None else f"{text!r} is not a relative time Grafana reads: {problem}"


def override_range(text: str) -> tuple[str, str]:
    """The (from, to) of a panel's relative time override as rangeutil.describeTextRange makes them: `24h` is
    now-24h to now, `+1h` now to now+1h, `now/d` (a quick range's start) now/d to now."""
    expression = _override_expression(text)
    return ("now", expression) if text.startswith("+") else (expression, "now")


def _override_expression(text: str) -> str:
    return text if "now" in text else ("now" if text.startswith("+") else "now-") + text


def evaluate(text: str, now: int, *, round_up: bool = False, fiscal_year_start_month: int = 0,
             week_start: int = 0) -> int:
    """The unix time (whole seconds, rounded down) of the Grafana time `text` at `now` (unix seconds), as
    @grafana/data's dateMath.parse evaluates it in UTC: `now`, or an ISO time (UTC unless it names an offset) and
    the terms after `||`; then each term left to right. `+`/`-` add calendar units as moment does (a month is a
    calendar month, its day clamped to the month's last: 31 Mar - 1M is 28 Feb; Q three months, y twelve; w seven
    days); `/unit` rounds down to the start of the unit (moment's startOf), or with `round_up` (a range's end,
    Grafana's `to`) to its last second (endOf); `/fy`, `/fQ` from `fiscal_year_start_month` (0 = January, the
    board's fiscalYearStartMonth). Weeks start on `week_start` (Python's weekday, 0 = Monday: Grafana's backend
    default; the frontend's follows the board's weekStart, else the browser's locale). ValueError, saying why,
    for what Grafana does not read as a time."""
    problem = _time_problem(text)
    if problem is not None:
        raise ValueError(problem)
    if text.startswith("now"):
        at, math = datetime.datetime.fromtimestamp(now, datetime.UTC), text[3:]
    else:
        absolute, _, math = text.partition("||")
        at = _iso(absolute)
    try:
        for op, count, fiscal, unit in _terms(math):
            if op == "/":
                at = _round(at, unit, fiscal, round_up, fiscal_year_start_month, week_start)
            else:
                at = _add(at, count if op == "+" else -count, unit)
    except (OverflowError, ValueError):
        raise ValueError("outside the years 1 to 9999") from None
    return int(at.timestamp() // 1)


def _iso(text: str) -> datetime.datetime:
    """An ISO time `_time_problem` accepted, in UTC unless it names an offset."""
    match = _ISO.fullmatch(text)
    assert match is not None
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups()[:6])
    fraction = re.search(r":\d\d[.,](\d+)", text)
    at = datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.UTC)
    offset = match[7]
    if offset and offset != "Z":
        digits = offset[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
        at -= datetime.timedelta(minutes=minutes if offset[0] == "+" else -minutes)
    if fraction:
        at += datetime.timedelta(seconds=float("0." + fraction[1]))
    return at


def _add(at: datetime.datetime, count: int, unit: str) -> datetime.datetime:
    """moment's add: fixed units as durations, months (and quarters, years) on the calendar, day clamped."""
    months = {"M": 1, "Q": 3, "y": 12}.get(unit)
    if months is None:
        return at + datetime.timedelta(seconds=count * _UNIT_S[unit])
    index = at.year * 12 + at.month - 1 + count * months
    year, month = divmod(index, 12)
    last = (datetime.date(year + month // 11, (month + 1) % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return at.replace(year=year, month=month + 1, day=min(at.day, last))


def _round(at: datetime.datetime, unit: str, fiscal: bool, round_up: bool, fiscal_start: int,
           week_start: int) -> datetime.datetime:
    """moment's startOf(unit), or with round_up endOf(unit) as its last whole second; fiscal: roundToFiscal."""
    if unit in ("s", "m", "h", "d"):
        start = at - datetime.timedelta(seconds=at.timestamp() % _UNIT_S[unit])
        return start + datetime.timedelta(seconds=_UNIT_S[unit] - 1) if round_up else start
    day = at.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "w":
        start = day - datetime.timedelta(days=(day.weekday() - week_start) % 7)
        return start + datetime.timedelta(days=7, seconds=-1) if round_up else start
    months = {"M": 1, "Q": 3, "y": 12}[unit]
    first = 0 if unit == "M" else (fiscal_start if fiscal else 0)
    back = (at.month - 1 - first) % months
    start = _add(day.replace(day=1), -back, "M")
    return _add(start, months, "M") - datetime.timedelta(seconds=1) if round_up else start


def timezone_problem(name: str) -> str | None:
    if name in ("browser", "utc") or timezones.exists(name):
        return None
    zones = timezones.names()
    if not zones:
        return None  # no time zone database on this machine to check against
    hint = _did_you_mean(name, ("browser", "utc", *sorted(zones)))  # `Utc`: Grafana's utc before the zone UTC
    return f"{name!r} is not a time zone: write browser, utc or an IANA name such as Europe/London{hint}"


def _time_problem(text: str) -> str | None:
    if text.startswith("now"):
        return _math_problem(text[3:])
    absolute, bar, math = text.partition("||")
    match = _ISO.fullmatch(absolute)
    if not match:
        return "write now, now-<n><unit> (units s m h d w M y), now/d or an ISO date such as 2024-01-31"
    try:
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups()[:6])
        datetime.datetime(year, month, day, hour, minute, second)
    except (TypeError, ValueError) as exc:
        return f"{absolute} is no date ({exc})"
    return _math_problem(math) if bar else None


def _math_problem(math: str) -> str | None:
    """Why Grafana's parseDateMath refuses the terms after `now` (or after `||`), or None."""
    text = re.sub(r"\s", "", math)
    position = 0
    while position < len(text):
        op = text[position]
        position += 1
        if op not in "+-/":
            return f"expected -, + or / before {text[position - 1:]!r}"
        digits_from = position
        while position < len(text) and text[position] in "0123456789":
            position += 1
            if position > 10:
                return "Grafana reads no number past the 10th character after now; shorten it"
        term = text[digits_from - 1:position]
        count = int(text[digits_from:position] or "1")
        fiscal = text[position:position + 1] == "f"
        position += fiscal
        unit = text[position:position + 1]
        position += 1
        if not unit:
            return f"{term} needs a unit: s m h d w M y or Q"
        if unit not in _UNIT_S:
            return f"{unit!r} after {term} is not a unit (s m h d w M y Q)"
        if op == "/" and count != 1:
            return f"rounding takes a unit without a number: /{unit}, not /{count}{unit}"
        if fiscal and (op != "/" or unit not in "yQ"):
            return "f (fiscal) applies to rounding by year or quarter only: /fy or /fQ"
    if abs(sum(_signed_s(op, count, unit) for op, count, _, unit in _terms(math))) > _MAX_OFFSET_S:
        return "more than 5000 years from now"
    return None


def _terms(math: str) -> list[tuple[str, int, bool, str]]:
    """The (op, count, fiscal, unit) terms of date math already known to be valid."""
    found = re.findall(r"([-+/])(\d*)(f?)([yMwdhmsQ])", re.sub(r"\s", "", math))
    return [(op, int(count or "1"), bool(fiscal), unit) for op, count, fiscal, unit in found]


def _signed_s(op: str, count: int, unit: str) -> int:
    return {"+": 1, "-": -1}.get(op, 0) * count * _UNIT_S[unit]


def _refresh_guess(text: str) -> str:
    """`1h30m` -> `90m` (Grafana's frontend would read 1h); else the nearest of the refresh picker's choices."""
    ms = durations.parse_ms(text)
    if ms is not None:
        if not ms or ms % 1000:
            return ""
        unit = next(u for u in "wdhms" if ms % (_UNIT_S[u] * 1000) == 0)
        return f"; did you mean '{ms // (_UNIT_S[unit] * 1000)}{unit}'?"
    return "" if "." in text else _did_you_mean(text, REFRESH_CHOICES)


def _did_you_mean_time(text: str) -> str:
    if not text.startswith("now") and _time_problem(f"now-{text}") is None:
        return f"; did you mean 'now-{text}'?"
    by_name = {name.lower(): start for name, start in QUICK_RANGES}  # a quick range's name in any case
    guess = closest(text.strip().lower(), [*by_name, *(start for _, start in QUICK_RANGES)], cutoff=LOOSE_CUTOFF)
    return _hint(by_name.get(guess, guess) if guess else None)


def _did_you_mean(text: str, choices: tuple[str, ...]) -> str:
    return _hint(closest(text, choices, cutoff=LOOSE_CUTOFF))


def _hint(guess: str | None) -> str:
    return f"; did you mean {guess!r}?" if guess else ""

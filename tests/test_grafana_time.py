"""dashgen reads refresh intervals, relative times and time zones as Grafana does (@grafana/data 12.2 dateMath
and rangeutil, the backend's gtime), so that what it accepts Grafana shows, and what Grafana refuses or misreads
it refuses with a reason."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from dashgen import grafana_time

GRAFANA_READS = [
    "now", "now-6h", "now-7d/d", "now/w", "now/d", "now-1M/M", "now-1y/fy", "now/fQ", "now-1Q", "now-h",
    "now - 6h", "now-6h ", "now-90d", "now-1d/d+10h", "now+1h", "2024-01-31", "2024-01-31 08:00",
    "2024-01-31T08:00:00Z", "2024-01-31T08:00:00.250+02:00", "2024-01-31||-1d/d", "now-999999999s",
]
GRAFANA_REFUSES = {
    "yesterday": "write now, now-<n><unit> (units s m h d w M y), now/d or an ISO date such as 2024-01-31",
    " now-6h": "write now, now-<n><unit> (units s m h d w M y), now/d or an ISO date such as 2024-01-31",
    "Now-6h": "write now, now-<n><unit> (units s m h d w M y), now/d or an ISO date such as 2024-01-31",
    "now-6": "-6 needs a unit: s m h d w M y or Q",
    "now-6x": "'x' after -6 is not a unit (s m h d w M y Q)",
    "now-6hours": "expected -, + or / before 'ours'",
    "now*2": "expected -, + or / before '*2'",
    "now/2d": "rounding takes a unit without a number: /d, not /2d",
    "now/fd": "f (fiscal) applies to rounding by year or quarter only: /fy or /fQ",
    # Grafana's parseDateMath gives up on a digit past index 10 of the text after `now`
    "now-1d/d+10h-30m": "Grafana reads no number past the 10th character after now; shorten it",
    "now-9999999999s": "Grafana reads no number past the 10th character after now; shorten it",
    "now-9999999y": "more than 5000 years from now",
    "2024-02-30": "2024-02-30 is no date (day is out of range for month)",
    "31/01/2024": "write now, now-<n><unit> (units s m h d w M y), now/d or an ISO date such as 2024-01-31",
    "2024-01-31||-1x": "'x' after -1 is not a unit (s m h d w M y Q)",
}


@pytest.mark.parametrize("text", GRAFANA_READS)
def test_times_grafana_reads_are_accepted(text: str) -> None:
    assert grafana_time.relative_time_problem(text) is None


@pytest.mark.parametrize(("text", "reason"), GRAFANA_REFUSES.items(), ids=list(GRAFANA_REFUSES))
def test_times_grafana_refuses_say_why(text: str, reason: str) -> None:
    problem = grafana_time.relative_time_problem(text)
    assert problem is not None
    assert problem.startswith(f"{text!r} is not a Grafana time: {reason}")


@pytest.mark.parametrize(("text", "guess"), [
    ("yesterday", "now-1d/d"), ("last 7 days", "now-7d"), ("Today so far", "now/d"), ("6h", "now-6h"),
    ("-6h", "now-6h"), ("now-6hours", "now-6h"), ("Now-6h", "now-6h"),
])
def test_a_refused_time_suggests_the_nearest_grafana_time(text: str, guess: str) -> None:
    assert str(grafana_time.relative_time_problem(text)).endswith(f"; did you mean {guess!r}?")


@pytest.mark.parametrize(("text", "fine"), [
    ("now-6h", True), ("now/d", True), ("now-1h/d+2h", True), ("2024-01-31", True), ("now-1d/d", True),
    ("now", False), ("now+1h", False), ("now-1h+2h", False), ("now+0s", False),
])
def test_a_board_range_starts_before_now(text: str, fine: bool) -> None:
    assert (grafana_time.range_start_problem(text) is None) is fine


@pytest.mark.parametrize(("text", "problem"), [
    ("5s", None), ("30s", None), ("1m", None), ("2h", None), ("1d", None), ("1w", None), ("1y", None),
    ("", None), ("auto", None),
    ("0s", "0s is below Grafana's minimum refresh interval (5s by default), which refuses the dashboard; "
           'write 5s or more, or "" for no auto-refresh'),
    ("4s", "4s is below Grafana's minimum refresh interval (5s by default), which refuses the dashboard; "
           'write 5s or more, or "" for no auto-refresh'),
    ("2y", '2y is longer than a year; write a shorter interval, or "" for no auto-refresh'),
])
def test_refresh_intervals(text: str, problem: str | None) -> None:
    assert grafana_time.refresh_problem(text) == problem


@pytest.mark.parametrize(("text", "guess"), [
    ("1h30m", "; did you mean '90m'?"),  # Grafana's backend reads 90 minutes, its frontend 1 hour
    ("5000ms", "; did you mean '5s'?"), ("30sec", "; did you mean '30s'?"), ("1min", "; did you mean '1m'?"),
    ("1.5m", ""), ("1500ms", ""), ("-5s", "; did you mean '5s'?"), ("5S", "; did you mean '5s'?"),
])
def test_a_refresh_that_is_not_one_number_and_unit_is_refused(text: str, guess: str) -> None:
    assert grafana_time.refresh_problem(text) == (
        f"{text!r} is not a refresh interval: write a number and one unit (s, m, h, d, w, M, y) such as 30s or 1m, "
        f'or "" for none{guess}')


@pytest.mark.parametrize("text", ["24h", "7d", "1h", "now/d", "now-1d/d", "+1h", "$range", "now-5m"])
def test_panel_time_overrides_grafana_reads(text: str) -> None:
    assert grafana_time.override_problem(text) is None


@pytest.mark.parametrize(("text", "problem"), [
    ("1h30m", "'1h30m' is not a relative time Grafana reads: expected -, + or / before '30m'"),
    ("24", "'24' is not a relative time Grafana reads: -24 needs a unit: s m h d w M y or Q"),
    ("a day", "'a day' is not a relative time Grafana reads: write an amount and a unit such as 24h or 7d, or a "
              "quick range such as now/d"),
])
def test_panel_time_overrides_grafana_refuses(text: str, problem: str) -> None:
    assert grafana_time.override_problem(text) == problem


@pytest.mark.parametrize(("name", "problem"), [
    ("utc", None), ("browser", None), ("UTC", None), ("Europe/London", None), ("America/New_York", None),
    ("Europe/Londn", "'Europe/Londn' is not a time zone: write browser, utc or an IANA name such as "
                     "Europe/London; did you mean 'Europe/London'?"),
    ("Utc", "'Utc' is not a time zone: write browser, utc or an IANA name such as Europe/London; "
            "did you mean 'utc'?"),
    ("America/New York", "'America/New York' is not a time zone: write browser, utc or an IANA name such as "
                         "Europe/London; did you mean 'America/New_York'?"),
    ("", "'' is not a time zone: write browser, utc or an IANA name such as Europe/London"),
])
def test_time_zones(name: str, problem: str | None) -> None:
    assert grafana_time.timezone_problem(name) == problem


def _at(text: str) -> int:
    return int(datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC).timestamp())


@pytest.mark.parametrize(("text", "now", "kwargs", "expected"), [
    ("now-1M", "2025-03-31T12:00", {}, "2025-02-28T12:00"),  # moment's add: the day clamped to the month's last
    ("now-1y", "2024-02-29T00:00", {}, "2023-02-28T00:00"),
    ("now+1Q", "2025-11-30T00:00", {}, "2026-02-28T00:00"),
    ("now-1d/d", "2025-01-01T06:00", {}, "2024-12-31T00:00"),
    ("now-1d/d", "2025-01-01T06:00", {"round_up": True}, "2024-12-31T23:59:59"),  # endOf, to the whole second
    ("now/w", "2025-01-01T06:00", {}, "2024-12-30T00:00"),  # a Wednesday; weeks from Monday by default
    ("now/w", "2025-01-01T06:00", {"week_start": 6}, "2024-12-29T00:00"),
    ("now/M", "2024-02-10T06:00", {"round_up": True}, "2024-02-29T23:59:59"),
    ("now/fy", "2025-03-31T12:00", {"fiscal_year_start_month": 3}, "2024-04-01T00:00"),
    ("now/fQ", "2025-03-31T12:00", {"fiscal_year_start_month": 1, "round_up": True}, "2025-04-30T23:59:59"),
    ("now/y", "2025-03-31T12:00", {"fiscal_year_start_month": 3}, "2025-01-01T00:00"),  # not fiscal
    ("now - 1h", "2025-01-01T06:00", {}, "2025-01-01T05:00"),
    ("2024-01-31||-1d/d", "2025-01-01T06:00", {}, "2024-01-30T00:00"),
    ("2024-01-31T08:00:00.250+02:00", "2025-01-01T06:00", {}, "2024-01-31T06:00"),
])
def test_evaluate_as_grafanas_date_math(text: str, now: str, kwargs: dict[str, Any], expected: str) -> None:
    assert grafana_time.evaluate(text, _at(now), **kwargs) == _at(expected)


@pytest.mark.parametrize(("text", "reason"), [
    ("now-6x", "'x' after -6 is not a unit (s m h d w M y Q)"), ("now-4000y", "outside the years 1 to 9999"),
])
def test_evaluate_refuses_what_grafana_does_not_read(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        grafana_time.evaluate(text, _at("2025-01-01T06:00"))


@pytest.mark.parametrize(("text", "expected"), [
    ("24h", ("now-24h", "now")), ("now/d", ("now/d", "now")), ("+1h", ("now", "now+1h")),
])
def test_a_panel_override_is_the_range_describe_text_range_makes(text: str, expected: tuple[str, str]) -> None:
    assert grafana_time.override_range(text) == expected

"""The preview's queries as Grafana would send them: time range, step, variables at their defaults, built-ins,
legends. Pure: a small factory project's board and hand-written dashboards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dashgen.errors import DashgenError
from dashgen.preview import queries as q
from dashgen.project import compile_project, load_project

from ..factories import small_project

NOW = 1735711200  # 2025-01-01T06:00:00Z


def _variable(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "type": "query", "multi": False, "includeAll": False, **fields}


def _board(variables: list[dict[str, Any]], *targets: dict[str, Any], **panel: Any) -> dict[str, Any]:
    return {"time": {"from": "now-6h", "to": "now"}, "templating": {"list": variables},
            "panels": [{"id": 1, "type": "timeseries", "title": "P", "targets": list(targets), **panel}]}


def _exprs(board: dict[str, Any], lookup: q.LabelValues | None = None) -> list[str]:
    start, end, _ = q.board_range(board, NOW)
    return [query.expr for query in q.queries(board, NOW, q.defaults(board, start, end, lookup))]


def test_the_small_full_projects_queries(tmp_path: Path) -> None:
    board = compile_project(load_project(small_project(tmp_path, "http://127.0.0.1:9", full=True))).board.dashboard
    start, end, step = q.board_range(board, NOW)
    assert (start, end, step) == (NOW - 6 * 3600, NOW, 20)
    found = {(query.location, query.ref_id): query for query in q.queries(board, NOW, q.defaults(board, start, end))}
    mid = found[("Prices / Mid", "A")]
    assert mid.expr == 'avg(mm_mid_price{client=~".*",exchange="binance"})'  # All's custom value; a single value
    assert (mid.instant, mid.start, mid.end, mid.step) == (False, NOW - 6 * 3600, NOW, 20)
    fills = found[("Prices / 24h fills", "A")]  # timeFrom 24h, instant: $__range is the panel's range
    assert fills.expr == 'sum(increase(mm_trades_total{client=~".*"}[86400s]))'
    assert (fills.instant, fills.start, fills.end) == (True, NOW, NOW)
    candle = found[("Prices / Price", "A")]  # the target's min interval $interval (5m) sets its step
    assert candle.expr == 'avg(last_over_time(mm_mid_price{client=~".*",exchange="binance"}[5m] offset 5m))'
    assert (candle.step, candle.legend) == (300, "open")
    assert found[("Prices / Spread", "A")].legend == "{{exchange}} spread"


def test_single_multi_and_all_values_as_the_prometheus_datasource_writes_them() -> None:
    """interpolateQueryExpr: prometheusRegularEscape for a single value, prometheusSpecialRegexEscape per value of a
    multi or include-All one (as Grafana with its default feature toggles writes them)."""
    board = _board(
        [_variable("one", current={"value": 'o"k\\x\'y.z'}),
         _variable("many", multi=True, current={"value": ["a.b", "c"]}),
         _variable("only", multi=True, current={"value": ["a.b"]}),
         _variable("every", multi=True, includeAll=True, current={"value": ["$__all"]}, query="label_values(every)"),
         _variable("custom", multi=True, includeAll=True, allValue=".+", current={"value": "$__all"})],
        {"refId": "A", "expr": 'm{one="$one",many=~"$many",only=~"${only}",every=~"[[every]]",custom=~"$custom"}'})
    assert _exprs(board, lambda label, match, start, end: ["y", "x.z"]) == [
        'm{one="o"k\\\\x\\\\\'y.z",many=~"(a\\\\.b|c)",only=~"a\\\\.b",every=~"(y|x\\\\.z)",custom=~".+"}']


@pytest.mark.parametrize(("value", "regular", "special"), [
    ("a.b", "a.b", "a\\\\.b"),
    ("back\\slash", "back\\\\slash", "back\\\\\\\\slash"),
    ("it's", "it\\\\'s", "it\\\\'s"),
    ("$^*{}[]+?.()|", "$^*{}[]+?.()|", "".join("\\\\" + c for c in "$^*{}[]+?.()|")),
    ('q"-x y', 'q"-x y', 'q"-x y'),  # neither escapes a double quote, a dash or a space
])
def test_grafanas_two_escapes(value: str, regular: str, special: str) -> None:
    assert q.regular_escape(value) == regular
    assert q.special_regex_escape(value) == special


def test_a_single_value_variable_of_any_type_is_regular_escaped() -> None:
    board = _board([{"name": "c", "type": "constant", "query": "a\\b"},
                    {"name": "t", "type": "textbox", "query": "x'y", "current": {}},
                    _variable("many", multi=True, current={"value": ["a\\b", "x'y"]})],
                   {"refId": "A", "expr": "$c $t $many"})
    assert _exprs(board) == ["a\\\\b x\\\\'y (a\\\\\\\\b|x\\\\'y)"]


def test_chained_defaults_ask_label_values_with_the_earlier_defaults() -> None:
    asked: list[tuple[str, str | None, int, int]] = []
    answers = {"region": ["west", "east"], "host": ["h2", "h1"]}

    def lookup(label: str, match: str | None, start: int, end: int) -> list[str]:
        asked.append((label, match, start, end))
        return answers[label]

    board = _board([_variable("region", query="label_values(up, region)", sort=1),
                    _variable("host", query={"query": 'label_values(up{region="$region"}, host)'}, sort=2,
                              regex="/h(.*)/")],
                   {"refId": "A", "expr": 'up{region="$region",host="$host"}'})
    assert _exprs(board, lookup) == ['up{region="east",host="2"}']  # sorted asc, then desc; the regex's group
    assert asked == [("region", "up", NOW - 21600, NOW), ("host", 'up{region="east"}', NOW - 21600, NOW)]


def test_no_lookup_and_all_without_a_custom_value_selects_everything() -> None:
    board = _board([_variable("v", multi=True, includeAll=True)], {"refId": "A", "expr": 'm{v=~"$v"}'})
    assert _exprs(board) == ['m{v=~".*"}']


def test_builtins_and_interval_variables() -> None:
    board = _board([{"name": "interval", "type": "interval", "query": "1m,10m", "current": {}}],
                   {"refId": "A", "expr": "rate(m[$__rate_interval]) $__interval $__interval_ms $__range_s $interval"},
                   {"refId": "B", "expr": "rate(m[$__rate_interval])", "interval": "5m"},
                   {"refId": "C", "expr": "x", "hide": True})
    assert _exprs(board) == ["rate(m[1m]) 20s 20000 21600 1m", "rate(m[5m15s])"]  # max(20s + 15s, 4 x 15s)


def test_unknown_names_stay_as_written() -> None:
    board = _board([], {"refId": "A", "expr": 'm{a="$nope"}'})
    assert _exprs(board) == ['m{a="$nope"}']


@pytest.mark.parametrize(("text", "expected"), [
    ("now", NOW), ("now-6h", NOW - 21600), ("now-1d/d", NOW - 86400 - 21600), ("now/d", NOW - 21600),
    ("now/w", NOW - 21600 - 2 * 86400),  # 2025-01-01 was a Wednesday; weeks start on Monday
    ("now/M", NOW - 21600), ("1735689600000", 1735689600), ("2025-01-01T00:00:00Z", 1735689600),
    ("now-1M", NOW - 31 * 86400), ("now-1y", NOW - 366 * 86400),  # calendar months and years (December, 2024)
    ("now-1Q/Q", 1727740800), ("2025-01-01T08:00:00+02:00", NOW),
])
def test_times(text: str, expected: int) -> None:
    assert q.parse_time(text, NOW) == expected


def test_a_boards_week_start_and_fiscal_year_round_its_times() -> None:
    assert q.parse_time("now/w", NOW, {"weekStart": "sunday"}) == NOW - 21600 - 3 * 86400
    assert q.parse_time("now/fy", NOW, {"fiscalYearStartMonth": 3}) == 1711929600  # 2024-04-01


def test_a_ranges_end_is_rounded_up_as_grafana_parses_it() -> None:
    """Today (now/d to now/d) is the whole day, not an empty range."""
    board = {"time": {"from": "now/d", "to": "now/d"}}
    assert q.board_times(board, NOW) == (NOW - 21600, NOW - 21600 + 86400 - 1)


@pytest.mark.parametrize(("panel", "expected"), [
    ({"timeFrom": "24h"}, (NOW - 86400, NOW)),
    ({"timeFrom": "now/d"}, (NOW - 21600, NOW)),  # Today so far
    ({"timeFrom": "+1h"}, (NOW, NOW + 3600)),  # describeTextRange: now to now+1h
    ({"timeShift": "1M"}, (NOW - 6 * 3600 - 31 * 86400, NOW - 31 * 86400)),  # each end a calendar month back
    ({"timeFrom": "1d", "timeShift": "1d/d"}, (NOW - 2 * 86400 - 21600, NOW - 86400 - 21600 + 86400 - 1)),
])
def test_a_panels_time_overrides_as_grafana_applies_them(panel: dict[str, Any], expected: tuple[int, int]) -> None:
    board = {"time": {"from": "now-6h", "to": "now"}}
    assert q.panel_range(board, panel, NOW) == expected


def test_a_time_that_is_not_one() -> None:
    with pytest.raises(DashgenError, match="'now-6x' is not a relative time"):
        q.parse_time("now-6x", NOW)


@pytest.mark.parametrize(("seconds", "step"), [(3600, 15), (6 * 3600, 20), (86400, 60), (7 * 86400, 600)])
def test_steps_like_grafana(seconds: int, step: int) -> None:
    assert q.step_seconds(NOW - seconds, NOW) == step


@pytest.mark.parametrize(("fmt", "labels", "name"), [
    ("{{side}} of {{ symbol }}", {"side": "bid", "symbol": "X"}, "bid of X"),
    ("{{missing}}!", {"side": "bid"}, "!"),
    ("__auto", {"__name__": "m", "a": "1", "b": "2"}, 'm{a="1", b="2"}'),
    ("", {"a": "1"}, '{a="1"}'),
    ("", {"__name__": "m"}, "m"),
    ("", {}, "sum(m)"),
])
def test_legends(fmt: str, labels: dict[str, str], name: str) -> None:
    assert q.legend(fmt, labels, "sum(m)") == name


def test_variables_in_a_legend_are_written_unescaped() -> None:
    board = _board([_variable("v", multi=True, current={"value": ["a.b", "c"]}),
                    _variable("s", current={"value": "x.y"})],
                   {"refId": "A", "expr": "m", "legendFormat": "{{side}} $s $v"})
    start, end, _ = q.board_range(board, NOW)
    [query] = q.queries(board, NOW, q.defaults(board, start, end))
    assert query.legend == "{{side}} x.y {a.b,c}"


def test_from_and_to_in_milliseconds_and_their_date_formats() -> None:
    board = _board([], {"refId": "A", "expr": "$__from $__to ${__from:date:seconds} ${__to:date:ms} ${__from:date} "
                                               "${__from:date:iso} ${__from:date:YYYY}"})
    start = NOW - 6 * 3600
    assert _exprs(board) == [f"{start}000 {NOW}000 {start} {NOW}000 2025-01-01T00:00:00.000Z "
                             "2025-01-01T00:00:00.000Z ${__from:date:YYYY}"]  # a moment format: left as written


@pytest.mark.parametrize(("regex", "values", "kept"), [
    ("/(?<value>[a-z])\\d/", ["a1", "b2", "cc"], ["a", "b"]),
    ("/(?<text>[a-z]+)-(?<value>\\d+)/", ["ab-1", "cd-2"], ["1", "2"]),
    ("/(?<text>[a-z]+)-\\d+/", ["ab-1"], ["ab"]),
    ("/^A/i", ["abc", "Abd", "bcd"], ["abc", "Abd"]),
    ("/^A/", ["abc", "Abd"], ["Abd"]),
    ("/(?<=x)y/", ["xy", "zy"], ["xy"]),  # a lookbehind stays one
    ("/h(.*)/", ["h1", "x"], ["1"]),
    ("/([/", ["a", "b"], ["a", "b"]),  # no regex Python can compile: unfiltered, never a crash
    ("/(?<value>a)(?<value>b)/", ["ab"], ["ab"]),
    ("plain", ["a plain", "plain", "b"], ["plain"]),  # a bare pattern is anchored: ^plain$
])
def test_a_variables_regex_is_grafanas_javascript_regex(regex: str, values: list[str], kept: list[str]) -> None:
    assert q._filtered(values, regex) == kept


def test_a_bare_variable_regex_is_anchored_as_grafana_anchors_it() -> None:
    """Grafana's stringToJsRegex: a pattern without slashes becomes ^pattern$."""
    from dashgen.preview.queries import _filtered

    assert _filtered(["abc", "xabcx", "ab"], "abc") == ["abc"]
    assert _filtered(["abc", "xabcx"], "/abc/") == ["abc", "xabcx"]

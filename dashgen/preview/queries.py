"""The preview's queries: every panel target of a compiled board as Grafana would send it to Prometheus. Pure.

The board's time range (`time.from`/`time.to`, a panel's `timeFrom`/`timeShift`) against a given "now", evaluated
by grafana_time.evaluate (Grafana's dateMath: calendar months and years, `to` rounded up); the step as Grafana's
interval calculation makes it (range / max data points, rounded to a nice interval, never below the target's or
panel's min interval nor the scrape interval); and legends (`legendFormat` with `{{label}}`, or the series' label
set).

Variables, at their defaults, in the syntaxes of Grafana's template service: `$var`, `${var}`, `${var:format}`,
`[[var]]`, `[[var:format]]`. Without a format a value is written as the Prometheus datasource's
`interpolateQueryExpr` writes it (Grafana's classic escaping, without the `prometheusSpecialCharsInLabelValues`
toggle): a variable neither multi-value nor include-All by `prometheusRegularEscape` (backslashes doubled, `'` as
`\\'`); a multi-value or include-All one by `prometheusSpecialRegexEscape` per value (backslashes quadrupled, each
of `$^*{}[]'+?.()|` preceded by two backslashes), several values as `(a|b)`; All with a custom all value as
written; All with values unknown (no Prometheus to ask) as `.*`. The formats `regex`, `pipe`, `csv`, `raw`,
`distributed`, `text`, `json`, `glob`, `doublequote`, `singlequote`, `sqlstring`, `lucene`, `percentencode`,
`queryparam` and `join` as Grafana's format registry writes them; another format: the values joined by commas.

Built-ins: `$__interval`, `$__interval_ms`, `$__rate_interval`, `$__rate_interval_ms`, `$__range`, `$__range_s`,
`$__range_ms`, and `$__from`/`$__to` (the panel's range in epoch milliseconds; `${__from:date:ms}`,
`${__from:date:seconds}`, `${__from:date}`/`${__from:date:iso}`; another date format is left as written).

A query variable whose default needs its values (no `current`, or All without an all value) asks a `LabelValues`
callable (label_values(selector, label) as Grafana runs it): the data step passes one that asks Prometheus, the
tests a dict. Its `regex` is Grafana's JavaScript regex (`/pattern/flags`, the `i` flag honoured, named groups
`(?<text>...)` and `(?<value>...)`: the value group is the value, else the first group); a regex Python cannot
compile leaves the values unfiltered. Chained variables see the defaults of the ones before them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from dashgen import durations, grafana_time
from dashgen.board import walk
from dashgen.errors import DashgenError

Json = dict[str, Any]
# label_values(selector, label) as Prometheus answers it: (label, selector or None, start, end) -> values
LabelValues = Callable[[str, str | None, int, int], Sequence[str]]

SCRAPE_INTERVAL_S = 15  # Grafana's default for a Prometheus datasource without `timeInterval`
MAX_DATA_POINTS = 1000  # a panel's resolution when it sets no maxDataPoints (Grafana: its width in pixels)
MAX_POINTS_PER_SERIES = 11000  # Prometheus refuses more; Grafana's "safe interval" keeps below it
# templateSrv's variable pattern: $var, [[var]], [[var:format]], ${var}, ${var:format}
_VARIABLE = re.compile(r"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.[^:}]+)?(?::([^}]+))?\}")
_LEGEND = re.compile(r"\{\{\s*(.+?)\s*\}\}")
_LABEL_VALUES = re.compile(r"^\s*label_values\s*\((.*)\)\s*$", re.DOTALL)


# ------------------------------------------------------------------------------------------------ time
_WEEK_STARTS = {"monday": 0, "saturday": 5, "sunday": 6}  # a board's weekStart; "" (the browser's): Monday


def parse_time(text: str, now: int, dashboard: Json | None = None, *, round_up: bool = False) -> int:
    """A board's time -> unix seconds: epoch milliseconds as Grafana's time service reads digits, else a Grafana
    time (`now-6h`, `now-1d/d`, an ISO time) evaluated by grafana_time.evaluate with the board's fiscal year
    start and week start; `round_up` for a range's end (`to`), as Grafana parses it."""
    text = str(text)
    if text.isdigit():
        return int(text) // 1000
    board = dashboard or {}
    try:
        return grafana_time.evaluate(
            text, now, round_up=round_up, fiscal_year_start_month=int(board.get("fiscalYearStartMonth") or 0),
            week_start=_WEEK_STARTS.get(str(board.get("weekStart") or "").lower(), 0))
    except ValueError as exc:
        raise DashgenError(f"the board's time {text!r} is not a relative time Grafana reads: {exc}") from None


def board_times(dashboard: Json, now: int) -> tuple[int, int]:
    """The board's `time.from` and `time.to` (rounded up, as Grafana parses a range's end)."""
    board = dashboard.get("time") or {}
    return (parse_time(board.get("from", "now-6h"), now, dashboard),
            parse_time(board.get("to", "now"), now, dashboard, round_up=True))


def panel_range(dashboard: Json, panel: Json, now: int) -> tuple[int, int]:
    """The time range a panel shows (Grafana's panel time overrides): the board's, or the panel's `timeFrom`
    (`24h`: now-24h to now, rangeutil.describeTextRange), each end then moved by `timeShift` (`1d`: -1d from each
    end, the end rounded up)."""
    start, end = board_times(dashboard, now)
    if panel.get("timeFrom"):
        start_text, end_text = grafana_time.override_range(str(panel["timeFrom"]))
        start, end = parse_time(start_text, now, dashboard), parse_time(end_text, now, dashboard)
    if panel.get("timeShift"):
        shift = f"now-{panel['timeShift']}"
        start, end = parse_time(shift, start, dashboard), parse_time(shift, end, dashboard, round_up=True)
    return start, end


# ------------------------------------------------------------------------------------------------ interval
def round_interval(ms: float) -> int:
    """Grafana's rangeutil.roundInterval: an interval rounded to a nice one, in ms."""
    for below, nice in _NICE:
        if ms < below:
            return nice
    return 31_536_000_000


_NICE = ((15, 10), (35, 20), (75, 50), (150, 100), (350, 200), (750, 500), (1500, 1000), (3500, 2000),
         (7500, 5000), (12500, 10000), (17500, 15000), (25000, 20000), (45000, 30000), (90000, 60000),
         (210000, 120000), (450000, 300000), (750000, 600000), (1050000, 900000), (1500000, 1200000),
         (2700000, 1800000), (5400000, 3600000), (9000000, 7200000), (16200000, 10800000),
         (32400000, 21600000), (86400000, 43200000), (604800000, 86400000), (1814400000, 604800000),
         (3628800000, 2592000000))


def step_seconds(start: int, end: int, min_interval_s: int = SCRAPE_INTERVAL_S,
                 max_data_points: int = MAX_DATA_POINTS) -> int:
    """Grafana's interval for a range (calculateInterval, then the Prometheus datasource's safe interval): the
    range over the max data points, rounded nicely, at least the min interval; whole seconds."""
    ms = max(round_interval((end - start) * 1000 / max(max_data_points, 1)), min_interval_s * 1000)
    safe = (end - start) * 1000 / MAX_POINTS_PER_SERIES
    return max(1, int(max(ms, safe) // 1000))


# ------------------------------------------------------------------------------------------------ variables
@dataclass(frozen=True)
class Value:
    """A variable's default: its values, or All."""

    variable: Json
    values: tuple[str, ...]
    is_all: bool = False

    @property
    def name(self) -> str:
        return str(self.variable.get("name", ""))

    @property
    def custom_all(self) -> str | None:
        value = self.variable.get("allValue")
        return str(value) if self.is_all and value not in (None, "") else None


def _current(variable: Json) -> tuple[str, ...] | None:
    current = variable.get("current") or {}
    value = current.get("value") if isinstance(current, dict) else None
    if value is None or value == "" or value == []:
        return None
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]))


def _options(variable: Json) -> list[str]:
    options = [str(o.get("value")) for o in variable.get("options") or [] if isinstance(o, dict)]
    options = [o for o in options if o != walk.ALL]
    if not options and variable.get("type") in ("custom", "interval"):
        options = [part.strip() for part in re.split(r"(?<!\\),", str(variable.get("query", ""))) if part.strip()]
    return options


def defaults(dashboard: Json, start: int, end: int, label_values: LabelValues | None = None) -> dict[str, Value]:
    """Every variable of the board at its default, in board order (a chained query sees the ones before it)."""
    found: dict[str, Value] = {}
    for variable in (dashboard.get("templating") or {}).get("list") or []:
        value = _default(variable, found, start, end, label_values)
        found[value.name] = value
    return found


def _default(variable: Json, before: Mapping[str, Value], start: int, end: int,
             label_values: LabelValues | None) -> Value:
    kind = variable.get("type")
    current = _current(variable)
    if kind in ("constant", "textbox"):
        return Value(variable, current or (str(variable.get("query", "")),))
    if kind == "datasource":
        return Value(variable, current or ("default",))
    if kind == "interval":
        chosen = current or tuple(_options(variable)[:1])
        if (chosen and chosen[0].startswith("$__auto_interval")) or (variable.get("auto") and not chosen):
            auto = step_seconds(start, end, durations.seconds(str(variable.get("auto_min") or "10s")),
                                int(variable.get("auto_count") or 30))
            chosen = (durations.prometheus(auto * 1000),)
        return Value(variable, chosen)
    wants_all = (current == (walk.ALL,)) or (current is None and bool(variable.get("includeAll")))
    if wants_all:
        if variable.get("allValue") not in (None, ""):
            return Value(variable, (), is_all=True)
        return Value(variable, tuple(_values(variable, before, start, end, label_values)), is_all=True)
    if current is not None:
        return Value(variable, tuple(v for v in current if v != walk.ALL))
    return Value(variable, tuple(_values(variable, before, start, end, label_values)[:1]))


def _values(variable: Json, before: Mapping[str, Value], start: int, end: int,
            label_values: LabelValues | None) -> list[str]:
    """A variable's options: a custom variable's own, a query variable's from label_values."""
    if variable.get("type") != "query":
        return _options(variable)
    query = variable.get("query")
    text = str(query.get("query", "") if isinstance(query, dict) else query or "")
    parsed = _LABEL_VALUES.match(text)
    if parsed is None or label_values is None:
        return _options(variable)
    arguments = parsed.group(1)
    selector, _, label = arguments.rpartition(",")
    found = list(label_values(label.strip(), interpolate(selector.strip(), before) or None, start, end))
    return _sorted(_filtered(found, str(variable.get("regex") or "")), int(variable.get("sort") or 0))


_JS_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")


def _filtered(values: list[str], regex: str) -> list[str]:
    """A variable's `regex` (Grafana's JavaScript `/pattern/flags`, or a bare pattern, which Grafana anchors as
    `^pattern$`): the values it matches;
    its `value` named group when it has one, else its first group, else the whole value. A pattern Python's `re`
    cannot compile filters nothing."""
    if not regex:
        return values
    source, flags = f"^{regex}$", 0  # Grafana's stringToJsRegex: a bare pattern is anchored
    if regex.startswith("/") and regex.rfind("/") > 0:
        end = regex.rindex("/")
        source = regex[1:end]
        flags = re.IGNORECASE if "i" in regex[end + 1:] else 0
        flags |= re.MULTILINE if "m" in regex[end + 1:] else 0
        flags |= re.DOTALL if "s" in regex[end + 1:] else 0
    try:
        pattern = re.compile(_JS_NAMED_GROUP.sub("(?P<", source), flags)
    except re.error:
        return values
    kept: list[str] = []
    for value in values:
        match = pattern.search(value)
        if not match:
            continue
        if "value" in pattern.groupindex or "text" in pattern.groupindex:
            named = match.group("value") if "value" in pattern.groupindex else None
            if named is None and "text" in pattern.groupindex:
                named = match.group("text")
            kept.append(named if named is not None else value)
        elif pattern.groups and match.group(1) is not None:
            kept.append(match.group(1))
        else:
            kept.append(value)
    return list(dict.fromkeys(kept))


def _sorted(values: list[str], sort: int) -> list[str]:
    """Grafana's variable sort: 1/2 alphabetical, 3/4 numerical, 5/6 alphabetical case-insensitive (asc/desc)."""
    if sort in (1, 2):
        return sorted(values, reverse=sort == 2)
    if sort in (3, 4):
        def number(value: str) -> float:
            match = re.search(r"-?\d+(\.\d+)?", value)
            return float(match.group(0)) if match else float("-inf")
        return sorted(values, key=number, reverse=sort == 4)
    if sort in (5, 6):
        return sorted(values, key=str.lower, reverse=sort == 6)
    return values


# ------------------------------------------------------------------------------------------------ substitution
def regular_escape(value: str) -> str:
    """Grafana's prometheusRegularEscape (classic): backslashes doubled, `'` as `\\'`."""
    return value.replace("\\", "\\\\").replace("'", "\\\\'")


_SPECIAL = re.compile(r"[$^*{}\[\]'+?.()|]")


def special_regex_escape(value: str) -> str:
    """Grafana's prometheusSpecialRegexEscape: backslashes quadrupled, then `$^*{}[]'+?.()|` each preceded by two
    backslashes (a regex escape written inside a PromQL string)."""
    return _SPECIAL.sub(lambda m: "\\\\" + m.group(0), value.replace("\\", "\\\\\\\\"))


def interpolate_query_expr(value: Value) -> str:
    """The Prometheus datasource's interpolateQueryExpr: how a variable without a format enters a query."""
    values = list(value.values)
    if not value.variable.get("multi") and not value.variable.get("includeAll"):
        return regular_escape(values[0]) if values else ""
    if value.is_all and not values:
        return ".*"  # All, its values unknown (no Prometheus to ask): everything
    escaped = [special_regex_escape(v) for v in values]
    return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"


_JS_REGEX_SPECIAL = re.compile(r"[\\^$*+?.()|\[\]{}/]")
_LUCENE_SPECIAL = re.compile(r"([!*+\-=<>\s&|()\[\]{}^~?:\\/\"])")


def _escape_regex(value: str) -> str:
    """@grafana/data's escapeRegex: each of `\\^$*+?.()|[]{}/` preceded by one backslash."""
    return _JS_REGEX_SPECIAL.sub(lambda m: "\\" + m.group(0), value)


def _lucene(value: str) -> str:
    try:
        float(value)
        return value
    except ValueError:
        return _LUCENE_SPECIAL.sub(r"\\\1", value)


def _percent(value: str) -> str:
    """encodeURIComponent, then `!'()*` too (Grafana's encodeURIComponentStrict)."""
    return quote(value, safe="-_.~")


def _format(value: Value, fmt: str | None) -> str:
    """A variable's value as text in a Prometheus query: Grafana's format registry, else the datasource's
    interpolateQueryExpr. A variable neither multi-value nor include-All is one string, the others a list."""
    if value.custom_all is not None and fmt not in ("text", "percentencode"):
        return value.custom_all  # a custom all value is written as is
    if fmt is None:
        return interpolate_query_expr(value)
    values = list(value.values)
    name, _, args = fmt.partition(":")
    if not value.variable.get("multi") and not value.variable.get("includeAll"):
        one = values[0] if values else ""
        single: dict[str, Callable[[str], str]] = {
            "regex": _escape_regex, "lucene": _lucene,
            "doublequote": lambda v: '"' + v.replace('"', '\\"') + '"',
            "singlequote": lambda v: "'" + v.replace("'", "\\'") + "'",
            "sqlstring": lambda v: "'" + v.replace("'", "''").replace('"', '\\"') + "'",
            "percentencode": _percent, "queryparam": lambda v: f"var-{value.name}={_percent(v)}",
        }
        written = single.get(name)
        return one if written is None else written(one)  # json, glob, pipe, csv, raw, text...: the string itself
    formats: dict[str, Callable[[list[str]], str]] = {
        "regex": lambda vs: _escape_regex(vs[0]) if len(vs) == 1 else "(" + "|".join(map(_escape_regex, vs)) + ")",
        "lucene": lambda vs: "(" + " OR ".join(f'"{_lucene(v)}"' for v in vs) + ")" if vs else "__empty__",
        "pipe": "|".join,
        "csv": ",".join,
        "raw": ",".join,
        "join": (args or ",").join,
        "distributed": lambda vs: ",".join([*vs[:1], *(f"{value.name}={v}" for v in vs[1:])]),
        "text": lambda vs: "All" if value.is_all else " + ".join(vs),
        "json": lambda vs: json.dumps(vs, separators=(",", ":"), ensure_ascii=False),
        "glob": lambda vs: "{" + ",".join(vs) + "}" if len(vs) > 1 else ",".join(vs),
        "doublequote": lambda vs: ",".join('"' + v.replace('"', '\\"') + '"' for v in vs),
        "singlequote": lambda vs: ",".join("'" + v.replace("'", "\\'") + "'" for v in vs),
        "sqlstring": lambda vs: ",".join("'" + v.replace("'", "''").replace('"', '\\"') + "'" for v in vs),
        "percentencode": lambda vs: _percent("{" + ",".join(vs) + "}"),
        "queryparam": lambda vs: "&".join(f"var-{value.name}={_percent(v)}" for v in vs),
    }
    return formats.get(name, ",".join)(values)


_DATE_FORMATS = ("date", "date:iso", "date:ms", "date:seconds")


def _builtin(name: str, text: str, fmt: str | None) -> str | None:
    """A built-in's text in `fmt`; None where dashgen does not write that format (the reference stays)."""
    if name not in ("__from", "__to") or fmt is None:
        return text if fmt in (None, "raw", "text", "csv", "pipe", "glob") else None
    if fmt not in _DATE_FORMATS:
        return None
    ms = int(text)
    if fmt == "date:ms":
        return text
    if fmt == "date:seconds":
        return str(round(ms / 1000))
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def interpolate(text: str, values: Mapping[str, Value], builtins: Mapping[str, str] | None = None,
                default_format: str | None = None) -> str:
    """`text` with the variables' defaults and the built-ins substituted; unknown names stay as written. Without
    `default_format`, a variable without a format is written as the Prometheus datasource writes it in a query."""
    builtins = builtins or {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2) or match.group(4)
        fmt = match.group(3) or match.group(5) or default_format
        if name in builtins:
            written = _builtin(name, builtins[name], match.group(3) or match.group(5))
            return match.group(0) if written is None else written
        if name in values:
            return _format(values[name], fmt)
        return match.group(0)

    return _VARIABLE.sub(replace, text)


def builtins(start: int, end: int, step: int, scrape_s: int = SCRAPE_INTERVAL_S) -> dict[str, str]:
    """Grafana's built-in variables for a Prometheus query over [start, end] at `step` (promlib's
    interpolateVariables): `$__rate_interval` is max(`$__interval` + scrape interval, 4 x scrape interval);
    `$__from` and `$__to` the range's ends in epoch milliseconds."""
    rate = max(step + scrape_s, 4 * scrape_s)
    range_s = end - start
    return {"__interval": durations.prometheus(step * 1000), "__interval_ms": str(step * 1000),
            "__rate_interval": durations.prometheus(rate * 1000), "__rate_interval_ms": str(rate * 1000),
            "__range": f"{range_s}s", "__range_s": str(range_s), "__range_ms": str(range_s * 1000),
            "__from": str(start * 1000), "__to": str(end * 1000)}


# ------------------------------------------------------------------------------------------------ queries
@dataclass(frozen=True)
class Query:
    """One panel target, ready to send: instant queries ask at `end`, range queries every `step` from `start`."""

    panel_id: int
    location: str  # "Row / Title", how messages name the panel
    ref_id: str
    expr: str
    legend: str  # the target's legendFormat, variables substituted; "" or "__auto" for the label set
    instant: bool
    start: int
    end: int
    step: int


def board_range(dashboard: Json, now: int) -> tuple[int, int, int]:
    """The board's own time range and step."""
    start, end = board_times(dashboard, now)
    return start, end, step_seconds(start, end)


def queries(dashboard: Json, now: int, values: Mapping[str, Value]) -> list[Query]:
    """Every visible target of every panel, in board order, with `values` (see `defaults`) substituted."""
    found: list[Query] = []
    for at in walk.panels(dashboard):
        panel = at.panel
        if "id" not in panel:
            continue
        start, end = panel_range(dashboard, panel, now)
        for target in panel.get("targets") or []:
            expr = str(target.get("expr") or "").strip()
            if not expr or target.get("hide"):
                continue
            min_interval = _min_interval(target, panel, values)
            step = step_seconds(start, end, min_interval, int(panel.get("maxDataPoints") or MAX_DATA_POINTS))
            aligned_start, aligned_end = start - start % step, end - end % step
            instant = bool(target.get("instant")) and not target.get("range")
            macros = builtins(start, end, step)
            found.append(Query(
                panel_id=int(panel["id"]), location=at.location, ref_id=str(target.get("refId", "A")),
                expr=interpolate(expr, values, macros),
                legend=interpolate(str(target.get("legendFormat") or ""), values, macros, "glob"),  # no escaping
                instant=instant, start=end if instant else aligned_start, end=end if instant else aligned_end,
                step=step))
    return found


def _min_interval(target: Json, panel: Json, values: Mapping[str, Value]) -> int:
    """The target's (else the panel's) min interval, variables substituted; never below the scrape interval."""
    text = interpolate(str(target.get("interval") or panel.get("interval") or ""), values).lstrip("<>")
    ms = durations.parse_ms(text)
    return max(SCRAPE_INTERVAL_S, ms // 1000 if ms else 0)


# ------------------------------------------------------------------------------------------------ legends
def label_set(labels: Mapping[str, str]) -> str:
    """How Grafana names a series without a legend format: `metric{a="x", b="y"}`."""
    name = labels.get("__name__", "")
    rest = ", ".join(f'{k}="{v}"' for k, v in labels.items() if k != "__name__")
    return f"{name}{{{rest}}}" if rest or not name else name


def legend(legend_format: str, labels: Mapping[str, str], expr: str) -> str:
    """A series' name: the legend format with `{{label}}` rendered (a missing label is ""), else its label set,
    else (no labels at all) the query."""
    if legend_format and legend_format != "__auto":
        return _LEGEND.sub(lambda m: labels.get(m.group(1), ""), legend_format)
    return label_set(labels) if labels else expr

"""Projects for behaviour tests, made from a few lines: they never depend on the desk's own panels, rules or
thresholds, so a routine desk change needs only `make snapshot-update` (tests/test_desk.py is the one test that
reads the desk besides the snapshots).

- `small_project`: two sections (the second collapsed), four panels, one alert, one Slack contact point.
- `small_project(full=True)`: the desk's features in miniature — every panel kind and panel option the desk
  uses, every variable kind in a chain, two rule groups with a two-level alert and a client override, Slack
  and PagerDuty, the low-liquidity mute, a lint suppression, and promtool scenarios for every alert.
- `files=`: replace (or, with None, delete) any file of either, for the one change a test is about.
- `edit`: replace text in a project's file, asserting the text is there (an edit that misses fails the test).
- `lint_board` / `lint_rule_groups`: the JSON a lint rule reads (a built board, rule groups and the board they
  link to), clean, with one edit applied."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

NOWHERE = "http://127.0.0.1:9"  # build, lint and test-alerts never contact Grafana
SLACK_URL = "https://hooks.slack.test/services/T1/B1/small-secret"
PAGER_KEY = "pd-small-integration-key-0123456789"
SECRETS = {"SMALL_SLACK_URL": SLACK_URL, "SMALL_PAGER_KEY": PAGER_KEY}  # the env the full project's apply needs

METRICS = """\
labels:
  client: client
  exchange: venue
  side: bid or ask
client_label: client
metrics:
  - {name: mm_mid_price, type: gauge, unit: quote, labels: [client, exchange], help: mid price}
  - {name: mm_open_orders, type: gauge, unit: count, labels: [client, exchange, side], help: open orders,
     values: {side: [bid, ask]}}
  - {name: mm_trades_total, type: counter, unit: count, labels: [client], help: fills}
"""
VARIABLES = """\
from dashgen.dsl import datasource_variable, query_variable, variables

VARIABLES = variables(datasource_variable(), query_variable("client", source="mm_mid_price"))
"""
PRICES = """\
from dashgen.dsl import query, section, stat, timeseries

SECTION = section("Prices", order=1, panels=[
    stat("Mid", description="mid price", unit="none", queries=[query("avg({{ mm_mid_price }})")], width=8),
    timeseries("Fills", description="fill rate", unit="short",
               queries=[query("sum(rate({{ mm_trades_total }}[$__rate_interval]))")], width=16),
])
"""
ORDERS = """\
from dashgen.dsl import bargauge, query, section, table

OPEN_ORDERS = (  # alerts/rules.py links this panel
    table("Open orders", description="open orders", unit="short", queries=[query("sum({{ mm_open_orders }})")]))
SECTION = section("Orders", order=2, collapsed=True, panels=[
    OPEN_ORDERS,
    bargauge("Bids", description="bid orders", unit="short",
             queries=[query('sum({{ mm_open_orders(side="bid") }})')]),
])
"""
RULES = """\
from dashgen.dsl.alerts import above, alert, key
from panels.orders import OPEN_ORDERS
ALERTS = [alert("NoOrders", group="orders", team="trading", expr="{{ mm_open_orders }}",
                levels=[above(key("orders_max"), severity="critical", for_="1m")], no_data="OK", exec_err="Error",
                panel=OPEN_ORDERS, summary="{{ client }} has {{ value }} orders",
                description="{{ client }} on {{ exchange }} has {{ value }} open orders (limit {{ threshold }}).")]
"""
ROUTING = """\
from dashgen.dsl.routing import contact_point, route, routing, template

ROUTING = routing(contact_points=[contact_point("slack", config="slack")], receiver="slack", group_by=["alert"],
                  routes=[route("slack", match={"severity": "critical"})],
                  templates=[template("note", '{{ define "dashgen.title" }}{{ .CommonLabels.alert }}{{ end }}'
                                              '{{ define "dashgen.message" }}{{ .CommonLabels.alert }}{{ end }}')])
"""
CONFIG = """\
board:
  uid: small
  title: Small Board
  folder: {{uid: small-folder, title: Small}}
environments:
  test:
    url: {url}
    token_env: GRAFANA_TOKEN
    datasource_uid: prom-test
    timeouts: {{connect_s: 1, read_s: 2}}
    retries: {{attempts: 2, backoff_s: 0.01, max_wait_s: 0.05}}
"""
ALERTING_HEAD = """\
alerting:
  evaluation_interval: 30s
  provenance: {provenance}
  runbook_base_url: https://runbooks.example.com/small/
"""  # what both projects' alerting sections start with
ALERTING = ALERTING_HEAD + """\
  contact_points:
    slack: {{type: slack, webhook_url_env: SMALL_SLACK_URL, recipient: "#small"}}
  thresholds:
    defaults: {{orders_max: 30.0}}
  mute_timings:
    low-liquidity: {{times: ["00:00-06:00"], location: UTC}}
  rule_uid_prefix: mm
"""

# ------------------------------------------------------------------------------------------- the full project
FULL_METRICS = METRICS.replace("  side: bid or ask\n", "  side: bid or ask\n  asset: currency of a balance\n") + """\
  - {name: mm_spread_bps, type: gauge, unit: bps, labels: [client, exchange], help: quoted spread}
  - {name: mm_quote_timestamp_seconds, type: gauge, unit: s, labels: [client, exchange], help: time of the last quote}
  - {name: mm_balance, type: gauge, unit: asset, labels: [client, asset], help: balance}
"""
FULL_VARIABLES = """\
from dashgen.dsl import datasource_variable, interval_variable, query_variable, variables

VARIABLES = variables(
    datasource_variable(),
    query_variable("client", source="mm_open_orders"),
    query_variable("exchange", source="mm_open_orders", label="Venue", multi=False, include_all=False,
                   default="binance"),
    query_variable("asset", source="mm_balance"),
    interval_variable("interval", ["1m", "5m", "1h"], default="5m"),
)
"""
FULL_PRICES = """\
from dashgen.dsl import StatOptions, TimeseriesOptions, candlestick, query, section, stat, threshold, timeseries

QUOTE_AGE = stat("Quote age", description="seconds since the last quote", unit="s",  # alerts link these
                 queries=[query("time() - max({{ mm_quote_timestamp_seconds }})")])
SPREAD = timeseries("Spread", description="quoted spread per venue", unit="suffix: bps",
                    queries=[query("avg by (exchange) ({{ mm_spread_bps }})", legend="{{exchange}} spread")],
                    options=TimeseriesOptions(dashed=("limit",), fill_opacity=0))
SECTION = section("Prices", order=1, panels=[
    stat("Mid", description="mid price", unit="none", queries=[query("avg({{ mm_mid_price }})")],
         options=StatOptions(graph_mode="none", decimals=2)),
    stat("24h fills", description="fills of the last 24 hours", unit="short", time_from="24h",
         queries=[query("sum(increase({{ mm_trades_total }}[$__range]))", instant=True)]),
    stat("Quoting venues", description="share of venues we quote on", unit="percentunit",
         queries=[query("avg({{ mm_open_orders }} > bool 0)")], thresholds=[threshold("red"), threshold("green", 0.5)]),
    QUOTE_AGE,
    SPREAD,
    timeseries("Fills", description="fills per interval", unit="short",
               queries=[query("sum(increase({{ mm_trades_total }}[$interval]))", legend="fills", interval="$interval")],
               options=TimeseriesOptions(draw_style="bars", fill_opacity=60, legend_calcs=("sum",))),
    candlestick("Price", description="mid candles per interval", unit="none", repeat="exchange", queries=[
        query("avg(last_over_time({{ mm_mid_price }}[$interval] offset $interval))", legend="open",
              interval="$interval"),
        query("avg(max_over_time({{ mm_mid_price }}[$interval]))", legend="high", interval="$interval"),
        query("avg(min_over_time({{ mm_mid_price }}[$interval]))", legend="low", interval="$interval"),
        query("avg(last_over_time({{ mm_mid_price }}[$interval]))", legend="close", interval="$interval"),
    ]),
])
"""
FULL_ORDERS = """\
from dashgen.dsl import BarGaugeOptions, TableOptions, TimeseriesOptions, bargauge, query, section, table, timeseries

OPEN_ORDERS = timeseries("Open orders", description="open orders per side", unit="short",  # alerts link it
                         queries=[query("sum by (side) ({{ mm_open_orders }})", legend="{{side}}")],
                         options=TimeseriesOptions(stacked=True, fill_opacity=40))
SECTION = section("Orders", order=2, collapsed=True, panels=[
    OPEN_ORDERS,
    bargauge("Bids", description="bid orders per venue", unit="short",
             queries=[query('sum by (exchange) ({{ mm_open_orders(side="bid") }})', legend="{{exchange}}")],
             options=BarGaugeOptions(orientation="vertical", display_mode="lcd")),
    table("Order book", description="open orders and mid per venue", unit="none", queries=[
        query("sum by (exchange) ({{ mm_open_orders }})", instant=True, format="table"),
        query("avg by (exchange) ({{ mm_mid_price }})", instant=True, format="table"),
    ], options=TableOptions(merge=True, hide_columns=("Time",), rename=(("Value #A", "orders"), ("Value #B", "mid")),
                            column_units=(("mid", "currencyUSD"),), sort_by="exchange")),
    bargauge("Balances", description="balance per asset", unit="short",
             queries=[query("sum by (asset) ({{ mm_balance }})", legend="{{asset}}")]),
])
"""
FULL_RULES = """\
from dashgen.dsl.alerts import above, alert, below, key
from panels.orders import OPEN_ORDERS
from panels.prices import QUOTE_AGE, SPREAD

ALERTS = [
    alert(
        "NoOrders",
        group="orders",
        team="trading",
        expr="{{ mm_open_orders }}",
        levels=[below(1, severity="critical", for_="2m")],
        no_data="OK",
        exec_err="Error",
        panel=OPEN_ORDERS,
        summary="{{ client }} is not quoting the {{ side }} side of {{ exchange }}",
        description="{{ client }} has had {{ value }} open {{ side }} orders on {{ exchange }} for 2 minutes.",
    ),
    alert(
        "QuoteStale",
        group="prices",
        team="platform",
        expr="time() - {{ mm_quote_timestamp_seconds }}",
        levels=[above(key("quote_age_s"), severity="critical", for_="1m")],
        no_data="Alerting",
        exec_err="Error",
        panel=QUOTE_AGE,
        summary="{{ client }} last quoted on {{ exchange }} {{ value }}s ago",
        description="No quote from {{ client }} on {{ exchange }} for {{ value }}s (limit {{ threshold }}s).",
    ),
    alert(
        "SpreadWide",
        group="prices",
        team="ops",
        expr="{{ mm_spread_bps }}",
        levels=[
            above(key("spread_bps"), severity="warning", for_="5m"),
            above(key("spread_bps", times=2), severity="critical", for_="10m"),
        ],
        no_data="OK",
        exec_err="Error",
        panel=SPREAD,
        summary="{{ client }} spread on {{ exchange }} is {{ value }} bps",
        description="{{ client }} quotes {{ value }} bps wide on {{ exchange }} (limit {{ threshold }} bps).",
    ),
]
"""
FULL_ROUTING = """\
from dashgen.dsl.routing import contact_point, route, routing, template

LOW_LIQUIDITY = "low-liquidity"  # under alerting.mute_timings in dashgen.yaml

ROUTING = routing(
    contact_points=[
        contact_point("slack", config="slack"),
        contact_point("oncall", config="oncall"),
    ],
    receiver="slack",
    group_by=["alert", "severity", "client"],
    routes=[
        route("oncall", match={"severity": "critical"}, continue_=True),
        route("slack", match={"severity": "critical"}),
        route("slack", match={"alert": "SpreadWide", "severity": "warning"}, mute=[LOW_LIQUIDITY]),
    ],
    templates=[template("note", '{{ define "dashgen.title" }}{{ .CommonLabels.alert }}{{ end }}'
                                '{{ define "dashgen.message" }}{{ .CommonLabels.alert }}{{ end }}')],
)
"""
FULL_ALERTING = ALERTING_HEAD + """\
  mute_timings:
    low-liquidity: {{times: ["00:00-06:00"], location: UTC}}
  rule_uid_prefix: mm
  contact_points:
    slack: {{type: slack, webhook_url_env: SMALL_SLACK_URL, recipient: "#small"}}
    oncall: {{type: pagerduty, integration_key_env: SMALL_PAGER_KEY}}
  thresholds:
    defaults: {{quote_age_s: 30, spread_bps: 20}}
    clients:
      acme: {{quote_age_s: 60}}
"""
FULL_LINT = """\
lint:
  suppress:
    - rule: counter-rate
      location: "Prices / 24h fills"
      reason: the fills of a fixed 24 h window ($__range under the panel's time override), not a rate
"""
FULL_SCENARIOS = {
    "alerts/tests/orders.yaml": """\
tests:
  - name: a side without orders for 2m pages; a quoting side stays silent
    interval: 30s
    input_series:
      - series: 'mm_open_orders{client="beta",exchange="binance",side="bid"}'
        values: '5 5 0x20'
      - series: 'mm_open_orders{client="beta",exchange="binance",side="ask"}'
        values: '5x21'
    alert_rule_test:
      - eval_time: 2m
        alertname: NoOrders
        exp_alerts: []
      - eval_time: 3m30s
        alertname: NoOrders
        exp_alerts:
          - exp_labels: {alert: NoOrders, alertname: NoOrders, severity: critical, team: trading,
                         managed_by: dashgen, client: beta, exchange: binance, side: bid}
""",
    "alerts/tests/prices.yaml": """\
tests:
  - name: a client with an override is judged by its own limit (acme 60s), not the default 30s
    interval: 15s
    input_series:
      # acme quotes 45s late: above the default, under acme's 60s
      - series: 'mm_quote_timestamp_seconds{client="acme",exchange="binance"}'
        values: '-45+15x40'
      # beta quotes 45s late: above the default
      - series: 'mm_quote_timestamp_seconds{client="beta",exchange="binance"}'
        values: '-45+15x40'
    alert_rule_test:
      - eval_time: 5m
        alertname: QuoteStale
        exp_alerts:
          - exp_labels: {alert: QuoteStale, alertname: QuoteStale, severity: critical, team: platform,
                         managed_by: dashgen, client: beta, exchange: binance}

  - name: a wide spread warns after 5m and pages at twice the limit after 10m
    interval: 1m
    input_series:
      - series: 'mm_spread_bps{client="beta",exchange="binance"}'
        values: '50x20'
    alert_rule_test:
      - eval_time: 6m
        alertname: SpreadWide
        exp_alerts:
          - exp_labels: {alert: SpreadWide, alertname: SpreadWide, severity: warning, team: ops,
                         managed_by: dashgen, client: beta, exchange: binance}
      - eval_time: 11m
        alertname: SpreadWide
        exp_alerts:
          - exp_labels: {alert: SpreadWide, alertname: SpreadWide, severity: warning, team: ops,
                         managed_by: dashgen, client: beta, exchange: binance}
          - exp_labels: {alert: SpreadWide, alertname: SpreadWide, severity: critical, team: ops,
                         managed_by: dashgen, client: beta, exchange: binance}
""",
}


def write_files(root: Path, files: Mapping[str, str | None]) -> Path:
    """Write each file under `root`; a None deletes it, and its directory once that is empty. Returns `root`."""
    for relative, text in files.items():
        path = root / relative
        if text is None:
            path.unlink(missing_ok=True)
            if path.parent != root and path.parent.is_dir() and not any(path.parent.iterdir()):
                path.parent.rmdir()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace the first `count` occurrences (-1: all) of `old` in the file at `path` by `new`; `old` must be
    there, so an edit whose anchor a factory change removed fails here rather than leaving the file as it was."""
    text = path.read_text()
    assert old in text, f"{path}: no {old!r} to replace"
    path.write_text(text.replace(old, new, count))


def small_project(root: Path, url: str = NOWHERE, *, alerting: bool = True, full: bool = False,
                  provenance: str = "locked", allow_ui_edits: bool = False, api: str | None = None,
                  files: Mapping[str, str | None] | None = None) -> Path:
    """The small project (see the module docstring), or with `full` the desk's features in miniature, its
    environment `test` pointing at `url`. `alerting`: alerts/ and the `alerting:` section; `allow_ui_edits`:
    the board's setting of that name; `api`: the environment's; `files`: replaced (None: deleted) files."""
    config = CONFIG.format(url=url)
    if allow_ui_edits:
        config = config.replace("  title: Small Board\n", "  title: Small Board\n  allow_ui_edits: true\n")
    if api is not None:
        config += f"    api: {api}\n"
    chosen: dict[str, str | None] = {"metrics.yaml": METRICS, "panels/variables.py": VARIABLES,
                                     "panels/prices.py": PRICES, "panels/orders.py": ORDERS}
    if full:
        chosen.update({"metrics.yaml": FULL_METRICS, "panels/variables.py": FULL_VARIABLES,
                       "panels/prices.py": FULL_PRICES, "panels/orders.py": FULL_ORDERS})
    if alerting:
        chosen.update({"alerts/rules.py": FULL_RULES if full else RULES,
                       "alerts/routing.py": FULL_ROUTING if full else ROUTING})
        config += (FULL_ALERTING if full else ALERTING).format(provenance=provenance)
        if full:
            chosen.update(FULL_SCENARIOS)
    chosen["dashgen.yaml"] = config + (FULL_LINT if full else "")
    return write_files(root, {**chosen, **(files or {})})


# ------------------------------------------------------------------------------------------------ lint JSON
def _target(expr: str) -> dict[str, Any]:
    return {"datasource": {"type": "prometheus", "uid": "${datasource}"}, "expr": expr, "refId": "A"}


def _lint_panel(panel_id: int, title: str, x: int, expr: str) -> dict[str, Any]:
    return {"datasource": {"type": "prometheus", "uid": "${datasource}"}, "description": f"{title} of the selection",
            "fieldConfig": {"defaults": {"unit": "short"}}, "gridPos": {"h": 8, "w": 12, "x": x, "y": 1},
            "id": panel_id, "targets": [_target(expr)], "title": title, "type": "timeseries"}


LINT_BOARD: dict[str, Any] = {
    "uid": "lint-base", "title": "Lint base", "schemaVersion": 41,
    "panels": [
        {"collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 0}, "id": 1, "panels": [], "title": "Main",
         "type": "row"},
        _lint_panel(2, "Mid", 0, 'avg(mm_mid_price{client=~"$client",exchange=~"$exchange"})'),
        _lint_panel(3, "Fills", 12, 'sum(rate(mm_trades_total{client=~"$client"}[$__rate_interval]))'),
    ],
    "templating": {"list": [
        {"name": "datasource", "query": "prometheus", "type": "datasource"},
        {"name": "client", "query": "label_values(mm_mid_price, client)", "type": "query"},
        {"name": "exchange", "query": 'label_values(mm_mid_price{client=~"$client"}, exchange)', "type": "query"},
    ]},
}
LINT_ALERTS: dict[str, Any] = {
    "board": {"uid": "small", "title": "Small Board", "panels": [
        {"collapsed": True, "id": 400, "title": "Orders", "type": "row", "panels": [
            {"id": 401, "title": "Open orders", "type": "timeseries"}]}]},
    "rule_groups": [{"title": "orders", "folderUid": "small-folder", "interval": 30, "rules": [{
        "uid": "mm-no-orders", "title": "NoOrders", "ruleGroup": "orders", "folderUID": "small-folder",
        "condition": "C", "for": "2m", "isPaused": False, "noDataState": "OK", "execErrState": "Error",
        "labels": {"alert": "NoOrders", "managed_by": "dashgen", "severity": "critical", "team": "trading"},
        "annotations": {
            "__dashboardUid__": "small", "__panelId__": "401",
            "runbook_url": "https://runbooks.example.com/small/no-orders",
            "summary": "{{ $labels.client }} is not quoting the {{ $labels.side }} side of {{ $labels.exchange }}",
            "description": "{{ $labels.client }} has had {{ humanize $values.A.Value }} open {{ $labels.side }} "
                           "orders on {{ $labels.exchange }} for 2 minutes."},
        "data": [
            {"refId": "A", "datasourceUid": "${datasource}", "relativeTimeRange": {"from": 600, "to": 0},
             "model": {"refId": "A", "expr": "mm_open_orders", "instant": True, "range": False}},
            {"refId": "C", "datasourceUid": "__expr__", "relativeTimeRange": {"from": 0, "to": 0},
             "model": {"refId": "C", "type": "threshold", "expression": "A",
                       "datasource": {"type": "__expr__", "uid": "__expr__"},
                       "conditions": [{"evaluator": {"params": [1.0], "type": "lt"}}]}},
        ]}]}],
}
Edit = Callable[[dict[str, Any]], object]


def _edited(base: dict[str, Any], edit: Edit | None) -> dict[str, Any]:
    made = copy.deepcopy(base)
    if edit is not None:
        edit(made)
    return json.loads(json.dumps(made))  # plain JSON, as read from a file


def lint_board(edit: Edit | None = None) -> dict[str, Any]:
    """A built board (a row "Main" with panels "Mid" and "Fills", variables client and exchange) that lints
    clean against the small project's catalogue, with `edit` applied to a copy."""
    return _edited(LINT_BOARD, edit)


def lint_rule_groups(edit: Edit | None = None) -> dict[str, Any]:
    """{"board": ..., "rule_groups": [...]}: one rule group (NoOrders, linked to the board's "Orders / Open
    orders") that lints clean against the small project's catalogue, with `edit` applied to a copy."""
    return _edited(LINT_ALERTS, edit)

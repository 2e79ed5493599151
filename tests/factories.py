"""Small projects for behaviour tests, made from a few lines: they never depend on the desk's own panels or
rules, so a routine desk change needs only `make snapshot-update`."""

from __future__ import annotations

from pathlib import Path

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
ALERTING = """\
alerting:
  evaluation_interval: 30s
  provenance: {provenance}
  runbook_base_url: https://runbooks.example.com/small/
  contact_points:
    slack: {{type: slack, webhook_url_env: SMALL_SLACK_URL, recipient: "#small"}}
  thresholds:
    defaults: {{orders_max: 30.0}}
  mute_timings:
    low-liquidity: {{times: ["00:00-06:00"], location: UTC}}
  rule_uid_prefix: mm
"""
SLACK_URL = "https://hooks.slack.test/services/T1/B1/small-secret"


def small_project(root: Path, url: str, *, alerting: bool = True, provenance: str = "locked",
                  allow_ui_edits: bool = False, api: str | None = None) -> Path:
    """A board of two sections (the second collapsed) with stat, time series, table and bar gauge panels;
    with `alerting`, one alert rule, a Slack contact point (secret in $SMALL_SLACK_URL), a route and a
    template. `allow_ui_edits`: the board's setting of that name; `api`: the environment's."""
    config = CONFIG.format(url=url)
    if allow_ui_edits:
        config = config.replace("  title: Small Board\n", "  title: Small Board\n  allow_ui_edits: true\n")
    if api is not None:
        config += f"    api: {api}\n"
    files = {"metrics.yaml": METRICS, "panels/variables.py": VARIABLES, "panels/prices.py": PRICES,
             "panels/orders.py": ORDERS, "dashgen.yaml": config}
    if alerting:
        files.update({"alerts/rules.py": RULES, "alerts/routing.py": ROUTING})
        files["dashgen.yaml"] += ALERTING.format(provenance=provenance)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root

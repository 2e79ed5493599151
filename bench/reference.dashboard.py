"""The reference for `make bench`: a board the size of the desk's (6 rows, 26 panels, 9 variables, 36 queries),
written with grafanalib alone, as a grafanalib user would, for grafanalib's own `generate-dashboard` script:

    generate-dashboard -o board.json bench/reference.dashboard.py

bench/speed.py times that whole process against `dashgen build` of the desk. Same panel kinds as the desk
(grafanalib has no candlestick: a time series with the same four queries stands in), same queries, each filtered
by the chained variables as dashgen's catalogue filters them."""

from grafanalib.core import (
    GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR,
    BarGauge,
    Dashboard,
    GridPos,
    RowPanel,
    Stat,
    Table,
    Target,
    Template,
    Templating,
    Time,
    TimeSeries,
)

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
FILTERS = {
    "client": 'client=~"$client"',
    "exchange": 'exchange=~"$exchange"',
    "symbol": 'symbol=~"$symbol"',
    "account": 'account=~"$account"',
    "tag": 'tag=~"$tag"',
}
MARKET = ("client", "exchange", "symbol")
ACCOUNT = ("client", "exchange", "symbol", "account")


def selector(metric: str, labels: tuple[str, ...], **fixed: str) -> str:
    matchers = [FILTERS[label] for label in labels] + [f'{k}="{v}"' for k, v in fixed.items()]
    return f"{metric}{{{','.join(matchers)}}}"


def targets(*exprs: str, legend: str = "{{client}} {{exchange}} {{symbol}}") -> list[Target]:
    return [Target(expr=expr, legendFormat=legend, refId="ABCDEFGH"[i], datasource=DATASOURCE)
            for i, expr in enumerate(exprs)]


def query_variable(name: str, metric: str, before: tuple[str, ...], **fixed: str) -> Template:
    source = selector(metric, before, **fixed) if before or fixed else metric
    return Template(name=name, query=f"label_values({source}, {name})", dataSource="${datasource}", label=name,
                    includeAll=True, multi=True, allValue=".*", refresh=2, sort=1)


VARIABLES = [
    Template(name="datasource", query="prometheus", type="datasource", label="Datasource"),
    query_variable("client", "mm_feed_last_update_timestamp_seconds", ()),
    query_variable("exchange", "mm_feed_last_update_timestamp_seconds", ("client",)),
    query_variable("symbol", "mm_feed_last_update_timestamp_seconds", ("client", "exchange")),
    query_variable("account", "mm_open_orders", MARKET),
    query_variable("tag", "mm_spread_bps", ACCOUNT),
    query_variable("ref", "mm_balance_value", ("client", "exchange", "account")),
    query_variable("asset", "mm_balance_value", ("client", "exchange", "account"), ref="$ref"),
    Template(name="interval", query="1m,5m,15m,1h,4h,1d", type="interval", default="5m", label="Interval"),
]


def stat(title: str, expr: str, unit: str) -> Stat:
    return Stat(title=title, dataSource=DATASOURCE, targets=targets(expr), format=unit, reduceCalc="lastNotNull",
                graphMode="area", colorMode="value")


def series(title: str, *exprs: str, unit: str = "short") -> TimeSeries:
    return TimeSeries(title=title, dataSource=DATASOURCE, targets=targets(*exprs), unit=unit, fillOpacity=10,
                      legendDisplayMode="table", legendPlacement="bottom", legendCalcs=["lastNotNull", "max"])


def gauge(title: str, expr: str) -> BarGauge:
    return BarGauge(title=title, dataSource=DATASOURCE, targets=targets(expr, legend="{{asset}}"), format="currencyUSD",
                    displayMode="gradient", orientation="horizontal", calc="lastNotNull")


def rows() -> list[tuple[str, bool, list[object]]]:
    return [
        ("General", False, [
            stat("Ticker", selector("mm_mid_price", MARKET), "short"),
            stat("24h filled volume", f"sum(increase({selector('mm_filled_volume_total', ACCOUNT)}[24h]))",
                 "currencyUSD"),
            stat("Realized PnL", f"sum({selector('mm_realized_pnl', ACCOUNT)})", "currencyUSD"),
            stat("Last spread", f"avg({selector('mm_spread_bps', ACCOUNT)})", "short"),
            series("Price", *(selector(f"mm_candle_{part}", MARKET) for part in ("open", "high", "low", "close")),
                   unit="currencyUSD"),
            series("Feed age", f"time() - {selector('mm_feed_last_update_timestamp_seconds', MARKET)}", unit="s"),
            series("Service heartbeat age",
                   f"time() - max_over_time({selector('mm_heartbeat_timestamp_seconds', ('client',))}[1h])",
                   unit="s"),
        ]),
        ("Inventory", False, [
            stat("Total balance", f"sum({selector('mm_balance_value', ('client', 'exchange', 'account'))})",
                 "currencyUSD"),
            gauge("Balances by asset", f"sum by (asset) ({selector('mm_balance_value', ('client', 'account'))})"),
            series("Free vs used per asset",
                   f"sum by (asset, state) ({selector('mm_balance', ('client', 'account'))})"),
            series("Balance usage over time",
                   f"avg_over_time({selector('mm_balance_usage_ratio', ACCOUNT)}[$interval])", unit="percentunit"),
            series("Inventory ratio vs target", selector("mm_inventory_ratio", ACCOUNT),
                   selector("mm_inventory_target_ratio", ACCOUNT), unit="percentunit"),
            series("Rebalance pending", selector("mm_rebalance_pending_seconds", ACCOUNT), unit="s"),
        ]),
        ("Depths", True, [
            gauge("Bid depth by distance", f"sum by (distance) ({selector('mm_depth', MARKET, side='bid')})"),
            gauge("Ask depth by distance", f"sum by (distance) ({selector('mm_depth', MARKET, side='ask')})"),
            gauge("Bid depth, average over $interval",
                  f"avg_over_time(sum by (distance) ({selector('mm_depth', MARKET, side='bid')})[$interval:])"),
            gauge("Ask depth, average over $interval",
                  f"avg_over_time(sum by (distance) ({selector('mm_depth', MARKET, side='ask')})[$interval:])"),
        ]),
        ("Orders", True, [
            series("Open orders per side", f"sum by (side) ({selector('mm_open_orders', ACCOUNT)})"),
            series("Order freshness", f"max by (side) ({selector('mm_order_age_seconds', ACCOUNT)})", unit="s"),
            series("Own buy/sell liquidity", f"sum by (side) ({selector('mm_own_liquidity', ACCOUNT)})",
                   unit="currencyUSD"),
            Table(title="Live order ladder", dataSource=DATASOURCE, targets=[
                Target(expr=selector("mm_order_price", ACCOUNT), format="table", instant=True, refId="A",
                       datasource=DATASOURCE),
                Target(expr=selector("mm_order_size", ACCOUNT), format="table", instant=True, refId="B",
                       datasource=DATASOURCE),
            ], unit="short", filterable=True),
        ]),
        ("Spread", False, [
            series("Spread vs target and band", selector("mm_spread_bps", ACCOUNT),
                   selector("mm_spread_target_bps", ACCOUNT), selector("mm_spread_target_min_bps", ACCOUNT),
                   selector("mm_spread_target_max_bps", ACCOUNT)),
            series("Best bid, best ask and mid", selector("mm_best_bid", MARKET), selector("mm_best_ask", MARKET),
                   selector("mm_mid_price", MARKET), unit="currencyUSD"),
        ]),
        ("Trades", True, [
            series("Buys vs sells", f"sum by (side) (rate({selector('mm_trades_total', ACCOUNT)}[$interval]))"),
            series("Filled volume", f"sum(rate({selector('mm_filled_volume_total', ACCOUNT)}[$interval]))",
                   unit="currencyUSD"),
            series("Realized PnL", f"sum({selector('mm_realized_pnl', ACCOUNT)})", unit="currencyUSD"),
        ]),
    ]


def panels() -> list[object]:
    """Rows of 24 columns: panels 8 wide and 8 high, three to a line; a collapsed row holds its panels."""
    found: list[object] = []
    y, next_id = 0, 1
    for title, collapsed, children in rows():
        row = RowPanel(title=title, id=next_id, gridPos=GridPos(h=1, w=24, x=0, y=y), collapsed=collapsed)
        next_id, y = next_id + 1, y + 1
        for index, panel in enumerate(children):
            panel.id, next_id = next_id, next_id + 1
            panel.gridPos = GridPos(h=8, w=8, x=8 * (index % 3), y=y + 8 * (index // 3))
        y += 8 * ((len(children) + 2) // 3)
        if collapsed:
            row.panels = children
            found.append(row)
        else:
            found += [row, *children]
    return found


dashboard = Dashboard(
    title="Market Making Desk (grafanalib reference)",
    uid="mm-desk-reference",
    tags=["market-making"],
    timezone="utc",
    refresh="30s",
    time=Time("now-6h", "now"),
    graphTooltip=GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR,
    panels=panels(),
    templating=Templating(list=VARIABLES),
)

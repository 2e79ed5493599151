"""General: is the desk quoting, at what price, and is it making money?"""

from dashgen.dsl import StatOptions, candlestick, query, section, stat, timeseries

# alerts/rules.py links this panel (DataFeedStale)
FEED_AGE = timeseries(
    "Feed age",
    description="Seconds since the last update of each market-data and account feed; DataFeedStale pages "
    "above its limit.",
    unit="s",
    queries=[
        query(
            "time() - max by (exchange, symbol, feed) ({{ mm_feed_last_update_timestamp_seconds }})",
            legend="{{exchange}} {{symbol}} {{feed}}",
        )
    ],
)


# alerts/rules.py links this panel (ServiceSilent)
HEARTBEAT_AGE = timeseries(
    "Service heartbeat age",
    description="Seconds since each desk service's last heartbeat, including services that stopped "
    "reporting in the last hour; ServiceSilent pages above its limit.",
    unit="s",
    queries=[
        query(
            "time() - max by (service, instance) (max_over_time({{ mm_heartbeat_timestamp_seconds }}[1h]))",
            legend="{{service}} {{instance}}",
        )
    ],
)


SECTION = section(
    "General",
    order=1,
    panels=[
        stat(
            "Ticker",
            description="Market mid price per venue and symbol, in quote currency (latest value).",
            unit="none",
            queries=[query("avg by (exchange, symbol) ({{ mm_mid_price }})", legend="{{exchange}} {{symbol}}")],
            options=StatOptions(graph_mode="none"),
        ),
        stat(
            "24h filled volume",
            description="Volume we filled over the last 24 hours across the selection, in quote currency.",
            unit="short",
            queries=[query("sum(increase({{ mm_filled_quote_total }}[$__range]))", instant=True, legend="volume")],
            time_from="24h",
            options=StatOptions(graph_mode="none"),
        ),
        stat(
            "Realized PnL",
            description="Cumulative realized PnL of the selection, valued in the chosen reference currency.",
            unit="short",
            queries=[query("sum by (ref) ({{ mm_realized_pnl }})", legend="{{ref}}")],
        ),
        stat(
            "Last spread",
            description="Our latest quoted spread per venue and symbol, in basis points.",
            unit="suffix: bps",
            queries=[query("avg by (exchange, symbol) ({{ mm_spread_bps }})", legend="{{exchange}} {{symbol}}")],
            options=StatOptions(graph_mode="none", decimals=1),
        ),
        candlestick(
            "Price",
            description="Mid price candles per $interval (open, high, low, close), one panel per selected symbol.",
            unit="none",
            repeat="symbol",
            queries=[
                query("avg(last_over_time({{ mm_mid_price }}[$interval] offset $interval))", legend="open",
                      interval="$interval"),
                query("avg(max_over_time({{ mm_mid_price }}[$interval]))", legend="high", interval="$interval"),
                query("avg(min_over_time({{ mm_mid_price }}[$interval]))", legend="low", interval="$interval"),
                query("avg(last_over_time({{ mm_mid_price }}[$interval]))", legend="close", interval="$interval"),
            ],
        ),
        FEED_AGE,
        HEARTBEAT_AGE,
    ],
)

"""The board's variables, in order. Each query variable is filtered by the ones before it."""

from dashgen.dsl import datasource_variable, interval_variable, query_variable, variables

VARIABLES = variables(
    datasource_variable(),
    query_variable("client", source="mm_feed_last_update_timestamp_seconds"),
    query_variable("exchange", source="mm_feed_last_update_timestamp_seconds"),
    query_variable("symbol", source="mm_feed_last_update_timestamp_seconds"),
    query_variable("account", source="mm_open_orders"),
    query_variable("tag", source="mm_spread_bps", label="Strategy tag"),
    query_variable(
        "ref", source="mm_balance_value", label="Reference currency", multi=False, include_all=False, default="USD"
    ),
    query_variable("asset", source="mm_balance_value"),
    interval_variable("interval", ["1m", "5m", "15m", "1h", "4h", "1d"], default="5m", label="Interval"),
)

"""The authoring API for `panels/`: plain, typed, immutable definitions with no Grafana JSON in sight.

    from dashgen.dsl import query, section, stat

    SECTION = section("General", order=1, panels=[
        stat("Ticker", description="Mid price per venue and symbol.", unit="none",
             queries=[query("avg by (exchange, symbol) ({{ mm_mid_price }})", legend="{{exchange}} {{symbol}}")]),
    ])

Queries are jinja2 templates in which every catalogue metric is a selector that already filters by
every board variable its labels call for; `{{ mm_open_orders(side="bid") }}` adds a fixed matcher.
"""

from dashgen.dsl.panels import (
    BarGaugeOptions,
    CandlestickOptions,
    Panel,
    Query,
    Section,
    StatOptions,
    TableOptions,
    Threshold,
    TimeseriesOptions,
    bargauge,
    candlestick,
    query,
    section,
    stat,
    table,
    threshold,
    timeseries,
)
from dashgen.dsl.variables import (
    DatasourceVariable,
    IntervalVariable,
    QueryVariable,
    Variables,
    datasource_variable,
    interval_variable,
    query_variable,
    variables,
)

__all__ = [
    "BarGaugeOptions",
    "CandlestickOptions",
    "DatasourceVariable",
    "IntervalVariable",
    "Panel",
    "Query",
    "QueryVariable",
    "Section",
    "StatOptions",
    "TableOptions",
    "Threshold",
    "TimeseriesOptions",
    "Variables",
    "bargauge",
    "candlestick",
    "datasource_variable",
    "interval_variable",
    "query",
    "query_variable",
    "section",
    "stat",
    "table",
    "threshold",
    "timeseries",
    "variables",
]

"""The authoring API for `panels/`: plain, typed, immutable definitions with no Grafana JSON in sight.

    from dashgen.dsl import query, section, stat

    REQUESTS = stat("Requests", description="Requests per second per service.", unit="reqps",
                    queries=[query("sum by (service) (rate({{ http_requests_total }}[$__rate_interval]))",
                                   legend="{{service}}")])
    SECTION = section("Traffic", order=1, panels=[REQUESTS])

Queries are templates in which every catalogue metric is a selector that already filters by every board variable
its labels call for; `{{ http_requests_total(code="500") }}` adds a fixed matcher, and `params=` fills in what
differs between similar queries (dashgen.dsl.queries). An alert links its panel by the panel itself
(`panel=REQUESTS`, imported from panels/).
"""

from dashgen.dsl.panels import (
    BarGaugeOptions,
    CandlestickOptions,
    Panel,
    Section,
    StatOptions,
    TableOptions,
    Threshold,
    TimeseriesOptions,
    bargauge,
    candlestick,
    section,
    stat,
    table,
    threshold,
    timeseries,
)
from dashgen.dsl.queries import MetricRef, Query, metric, query
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
    "MetricRef",
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
    "metric",
    "query",
    "query_variable",
    "section",
    "stat",
    "table",
    "threshold",
    "timeseries",
    "variables",
]

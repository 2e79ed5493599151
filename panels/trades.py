"""Trades: what are we filling, on which side, and what does it earn?"""

from dashgen.dsl import TimeseriesOptions, query, section, timeseries

BARS = TimeseriesOptions(draw_style="bars", fill_opacity=60, legend_calcs=("sum",))

SECTION = section(
    "Trades",
    order=6,
    collapsed=True,
    panels=[
        timeseries(
            "Buys vs sells",
            description="Number of our fills per $interval, buys against sells.",
            unit="short",
            queries=[
                query("sum by (side) (increase({{ mm_trades_total }}[$interval]))", legend="{{side}}",
                      interval="$interval")
            ],
            options=BARS,
        ),
        timeseries(
            "Filled volume",
            description="Volume we filled per $interval and side, in quote currency.",
            unit="short",
            queries=[
                query("sum by (side) (increase({{ mm_filled_quote_total }}[$interval]))", legend="{{side}}",
                      interval="$interval")
            ],
            options=BARS,
        ),
        timeseries(
            "Realized PnL",
            description="Cumulative realized PnL per market, valued in the chosen reference currency.",
            unit="short",
            queries=[query("sum by (exchange, symbol) ({{ mm_realized_pnl }})", legend="{{exchange}} {{symbol}}")],
            width=24,
        ),
    ],
)

"""Spread: are we quoting inside the strategy's band, and where is the market?"""

from dashgen.dsl import TimeseriesOptions, query, section, timeseries

BY_MARKET = "avg by (exchange, symbol) ({{ %s }})"

SECTION = section(
    "Spread",
    order=5,
    panels=[
        timeseries(
            "Spread vs target and band",
            description="Our quoted spread in basis points against the strategy's target and its allowed band "
            "(dashed); outside the band pages the desk (SpreadOutOfBand).",
            unit="suffix: bps",
            queries=[
                query(BY_MARKET % "mm_spread_bps", legend="{{exchange}} {{symbol}} spread"),
                query(BY_MARKET % "mm_spread_target_bps", legend="{{exchange}} {{symbol}} target"),
                query(BY_MARKET % "mm_spread_target_min_bps", legend="{{exchange}} {{symbol}} band min"),
                query(BY_MARKET % "mm_spread_target_max_bps", legend="{{exchange}} {{symbol}} band max"),
            ],
            options=TimeseriesOptions(dashed=("target", "band min", "band max"), fill_opacity=0),
        ),
        timeseries(
            "Best bid, best ask and mid",
            description="The market's best bid, best ask and mid per venue and symbol, in quote currency.",
            unit="none",
            queries=[
                query(BY_MARKET % "mm_best_bid_price", legend="{{exchange}} {{symbol}} bid"),
                query(BY_MARKET % "mm_best_ask_price", legend="{{exchange}} {{symbol}} ask"),
                query(BY_MARKET % "mm_mid_price", legend="{{exchange}} {{symbol}} mid"),
            ],
            options=TimeseriesOptions(fill_opacity=0),
        ),
    ],
)

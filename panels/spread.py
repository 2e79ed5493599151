"""Spread: are we quoting inside the strategy's band, and where is the market?"""

from dashgen.dsl import Query, TimeseriesOptions, metric, query, section, timeseries


def by_market(name: str, legend: str) -> Query:
    """The metric `name` per venue and symbol."""
    return query("avg by (exchange, symbol) ({{ series }})", params={"series": metric(name)}, legend=legend)


# alerts/rules.py links this panel (SpreadOutOfBand)
SPREAD_VS_BAND = timeseries(
    "Spread vs target and band",
    description="Our quoted spread in basis points against the strategy's target and its allowed band "
    "(dashed); outside the band pages the desk (SpreadOutOfBand).",
    unit="suffix: bps",
    queries=[
        by_market("mm_spread_bps", legend="{{exchange}} {{symbol}} spread"),
        by_market("mm_spread_target_bps", legend="{{exchange}} {{symbol}} target"),
        by_market("mm_spread_target_min_bps", legend="{{exchange}} {{symbol}} band min"),
        by_market("mm_spread_target_max_bps", legend="{{exchange}} {{symbol}} band max"),
    ],
    options=TimeseriesOptions(dashed=("target", "band min", "band max"), fill_opacity=0),
)


SECTION = section(
    "Spread",
    order=5,
    panels=[
        SPREAD_VS_BAND,
        timeseries(
            "Best bid, best ask and mid",
            description="The market's best bid, best ask and mid per venue and symbol, in quote currency.",
            unit="none",
            queries=[
                by_market("mm_best_bid_price", legend="{{exchange}} {{symbol}} bid"),
                by_market("mm_best_ask_price", legend="{{exchange}} {{symbol}} ask"),
                by_market("mm_mid_price", legend="{{exchange}} {{symbol}} mid"),
            ],
            options=TimeseriesOptions(fill_opacity=0),
        ),
    ],
)

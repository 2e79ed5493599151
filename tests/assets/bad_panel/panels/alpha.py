from dashgen.dsl import query, section, stat, timeseries

SECTION = section(
    "Alpha",
    order=1,
    panels=[
        stat("Mid", description="mid price", unit="none", queries=[query("avg({{ mm_mid_price }})")], width=8),
        stat("Bids", description="bid orders", unit="short",
             queries=[query('sum({{ mm_open_orders(side="bid") }})')], width=8),
        timeseries("Fills", description="fill rate", unit="short",
                   queries=[query("sum(rate({{ mm_trades_total }}[$__rate_interval]))")], width=16),
    ],
)

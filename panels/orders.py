"""Orders: are we quoting both sides, with fresh orders, and what ladder is live?"""

from dashgen.dsl import TableOptions, query, section, table, timeseries

# alerts/rules.py links this panel (NotQuoting)
OPEN_ORDERS = timeseries(
    "Open orders per side",
    description="Number of our open orders per side; a side at zero means we are not quoting it.",
    unit="short",
    queries=[query("sum by (side) ({{ mm_open_orders }})", legend="{{side}}")],
)


SECTION = section(
    "Orders",
    order=4,
    collapsed=True,
    panels=[
        OPEN_ORDERS,
        timeseries(
            "Order freshness",
            description="Age of our oldest open order per market and side; a rising line means stuck quotes.",
            unit="s",
            queries=[
                query(
                    "max by (exchange, symbol, side) ({{ mm_open_orders_oldest_age_seconds }})",
                    legend="{{exchange}} {{symbol}} {{side}}",
                )
            ],
        ),
        timeseries(
            "Own buy/sell liquidity",
            description="Total liquidity we rest per side, in quote currency.",
            unit="short",
            queries=[query("sum by (side) ({{ mm_own_liquidity_quote }})", legend="{{side}}")],
        ),
        table(
            "Live order ladder",
            description="The ladder we post now: price and base size of every level, per market and side.",
            unit="none",
            queries=[
                query("{{ mm_order_ladder_price }}", instant=True, format="table"),
                query("{{ mm_order_ladder_size_base }}", instant=True, format="table"),
            ],
            options=TableOptions(
                merge=True,
                hide_columns=("Time", "__name__", "client"),
                rename=(("Value #A", "price"), ("Value #B", "size (base)")),
                column_units=(("size (base)", "short"),),
                sort_by="level",
            ),
        ),
    ],
)

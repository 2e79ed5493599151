"""Inventory: what do we hold, where, and is it where the strategy wants it?"""

from dashgen.dsl import TimeseriesOptions, bargauge, query, section, stat, timeseries

# alerts/rules.py links this panel (InventoryDrift)
INVENTORY_RATIO = timeseries(
    "Inventory ratio vs target",
    description="Base share of inventory value per market against the strategy's target (dashed).",
    unit="percentunit",
    queries=[
        query("avg by (exchange, symbol) ({{ mm_inventory_ratio }})", legend="{{exchange}} {{symbol}}"),
        query(
            "avg by (exchange, symbol) ({{ mm_inventory_target_ratio }})",
            legend="{{exchange}} {{symbol}} target",
        ),
    ],
    options=TimeseriesOptions(dashed=("target",)),
)


# alerts/rules.py links this panel (RebalanceDelayed)
REBALANCE_PENDING = timeseries(
    "Rebalance pending",
    description="How long an inventory rebalance has been waiting per market (0 when none); "
    "RebalanceDelayed warns, then pages.",
    unit="s",
    queries=[
        query(
            "max by (exchange, symbol) ({{ mm_rebalance_pending_seconds }})",
            legend="{{exchange}} {{symbol}}",
        )
    ],
)


SECTION = section(
    "Inventory",
    order=2,
    panels=[
        stat(
            "Total balance",
            description="Value of all selected balances, in the chosen reference currency.",
            unit="short",
            queries=[query("sum by (ref) ({{ mm_balance_value }})", legend="{{ref}}")],
            width=6,
            height=8,
        ),
        bargauge(
            "Balances by asset",
            description="Value of each asset's balance across the selection, in the reference currency.",
            unit="short",
            queries=[query("sum by (asset) ({{ mm_balance_value }})", legend="{{asset}}")],
            width=18,
        ),
        timeseries(
            "Free vs used per asset",
            description="Balance per asset split into free and used (locked in orders), in units of the asset.",
            unit="short",
            queries=[query("sum by (asset, state) ({{ mm_balance }})", legend="{{asset}} {{state}}")],
            options=TimeseriesOptions(stacked=True, fill_opacity=40),
        ),
        timeseries(
            "Balance usage over time",
            description="Share of each asset's balance locked in open orders; near 100 % means no room to quote.",
            unit="percentunit",
            queries=[
                query(
                    'sum by (asset) ({{ mm_balance(state="used") }}) / sum by (asset) ({{ mm_balance }})',
                    legend="{{asset}}",
                )
            ],
        ),
        INVENTORY_RATIO,
        REBALANCE_PENDING,
    ],
)

"""The desk's alert rules (design §4). Thresholds live in dashgen.yaml under alerting.thresholds.

Each alert links the board panel that shows its problem (panel=..., imported from panels/). In summary and
description, {{ label }} is a label of the firing series, {{ value }} its value, {{ threshold }} its threshold.
noDataState / execErrState are chosen per alert; the comment above each says why."""

from dashgen.dsl.alerts import above, alert, below, key
from panels.general import FEED_AGE, HEARTBEAT_AGE
from panels.inventory import INVENTORY_RATIO, REBALANCE_PENDING
from panels.orders import OPEN_ORDERS
from panels.spread import SPREAD_VS_BAND

ALERTS = [
    # No data -> OK: a feed series that vanished is ServiceSilent's job (it keeps seeing stopped series for an
    # hour), and one outage should page once, with its cause. Error -> Error: Prometheus unreachable means the
    # desk is blind; Grafana's DatasourceError carries these labels and pages like the alert.
    alert(
        "DataFeedStale",
        group="freshness",
        team="platform",
        expr="time() - {{ mm_feed_last_update_timestamp_seconds }}",
        levels=[above(key("feed_max_age_s"), severity="critical", for_="1m")],
        no_data="OK",
        exec_err="Error",
        panel=FEED_AGE,
        summary="{{ feed }} feed of {{ client }} on {{ exchange }} {{ symbol }} is {{ value }}s old",
        description="No {{ feed }} update for {{ client }} on {{ exchange }} {{ symbol }} for {{ value }}s (limit "
        "{{ threshold }}s). Quotes may be priced off stale data: check the connector for {{ exchange }}, then pause "
        "quoting {{ symbol }} for {{ client }} if it does not recover.",
    ),
    # No data -> Alerting: no heartbeat at all within the last hour means every service (or the scrape) is
    # down; that is exactly what this alert exists for. Error -> Error, as above.
    alert(
        "ServiceSilent",
        group="freshness",
        team="platform",
        expr="time() - max_over_time({{ mm_heartbeat_timestamp_seconds }}[1h])",
        levels=[above(key("silence_s"), severity="critical", for_="1m")],
        no_data="Alerting",
        exec_err="Error",
        panel=HEARTBEAT_AGE,
        summary="{{ service }} ({{ instance }}) of {{ client }} silent for {{ value }}s",
        description="{{ service }} on {{ instance }} for {{ client }} sent no heartbeat for {{ value }}s (limit "
        "{{ threshold }}s), including services that stopped reporting altogether. Check the process and its host; "
        "restart it, or fail over to the standby.",
    ),
    # No data -> OK: spread series disappear when a strategy stops quoting, which NotQuoting reports.
    # Error -> Error: evaluation failures must be seen.
    alert(
        "SpreadOutOfBand",
        group="spread",
        team="trading",
        expr="clamp_min({{ mm_spread_bps }} - {{ mm_spread_target_max_bps }}, 0)"
        " + clamp_min({{ mm_spread_target_min_bps }} - {{ mm_spread_bps }}, 0)",
        levels=[
            above(0, severity="warning", for_="5m"),
            above(0, severity="critical", for_="15m"),
        ],
        no_data="OK",
        exec_err="Error",
        panel=SPREAD_VS_BAND,
        summary="{{ client }} spread on {{ exchange }} {{ symbol }} is {{ value }} bps outside its band",
        description="Our quoted spread for {{ client }} ({{ account }}, tag {{ tag }}) on {{ exchange }} {{ symbol }} "
        "has been {{ value }} bps outside the strategy's band. Check the strategy's parameters and the market's "
        "volatility; widen the band deliberately or fix the quoting engine.",
    ),
    # No data -> OK: inventory series vanish with the strategy; DataFeedStale/ServiceSilent cover outages.
    alert(
        "InventoryDrift",
        group="inventory",
        team="trading",
        expr="abs({{ mm_inventory_ratio }} - {{ mm_inventory_target_ratio }})",
        levels=[
            above(key("inventory_drift"), severity="warning", for_="10m"),
            above(key("inventory_drift", times=2), severity="critical", for_="10m"),
        ],
        no_data="OK",
        exec_err="Error",
        panel=INVENTORY_RATIO,
        summary="{{ client }} inventory on {{ exchange }} {{ symbol }} is {{ value }} off target",
        description="The base share of {{ client }}'s inventory ({{ account }}) on {{ exchange }} {{ symbol }} is "
        "{{ value }} away from target (limit {{ threshold }}). Check fills and the rebalancer; skew quotes or "
        "rebalance by hand.",
    ),
    # No data -> OK: the gauge is 0 when nothing is pending, so absence means the service is gone (ServiceSilent).
    alert(
        "RebalanceDelayed",
        group="inventory",
        team="ops",
        expr="{{ mm_rebalance_pending_seconds }}",
        levels=[
            above(key("rebalance_delay_s"), severity="warning", for_="0m"),
            above(key("rebalance_critical_s"), severity="critical", for_="0m"),
        ],
        no_data="OK",
        exec_err="Error",
        panel=REBALANCE_PENDING,
        summary="{{ client }} rebalance on {{ exchange }} {{ symbol }} pending for {{ value }}s",
        description="An inventory rebalance for {{ client }} ({{ account }}) on {{ exchange }} {{ symbol }} has "
        "waited {{ value }}s (limit {{ threshold }}s). Check the venue's withdrawal/transfer status and the "
        "rebalancer's queue.",
    ),
    # No data -> OK: order series vanish only with the service, which ServiceSilent reports.
    alert(
        "NotQuoting",
        group="orders",
        team="trading",
        expr="{{ mm_open_orders }}",
        levels=[below(1, severity="critical", for_="2m")],
        no_data="OK",
        exec_err="Error",
        panel=OPEN_ORDERS,
        summary="{{ client }} is not quoting the {{ side }} side of {{ exchange }} {{ symbol }}",
        description="{{ client }} ({{ account }}) has had {{ value }} open {{ side }} orders on {{ exchange }} "
        "{{ symbol }} for 2 minutes. Check the strategy's state, balances and the venue's order API; restart quoting.",
    ),
]

"""Depths: how much liquidity do we rest near mid, per side?"""

from dashgen.dsl import bargauge, query, section

DEPTH = "sum by (distance) ({{ mm_order_book_depth_quote(side=SIDE) }})"
AVG_DEPTH = "sum by (distance) (avg_over_time({{ mm_order_book_depth_quote(side=SIDE) }}[$interval]))"

SECTION = section(
    "Depths",
    order=3,
    collapsed=True,
    panels=[
        bargauge(
            "Bid depth by distance",
            description="Our resting bid liquidity within 0.5 % to 20 % of mid, now, in quote currency.",
            unit="short",
            queries=[query(DEPTH.replace("SIDE", '"bid"'), legend="{{distance}} %")],
        ),
        bargauge(
            "Ask depth by distance",
            description="Our resting ask liquidity within 0.5 % to 20 % of mid, now, in quote currency.",
            unit="short",
            queries=[query(DEPTH.replace("SIDE", '"ask"'), legend="{{distance}} %")],
        ),
        bargauge(
            "Bid depth, average over $interval",
            description="Our bid liquidity within each distance of mid, averaged over the chosen interval.",
            unit="short",
            queries=[query(AVG_DEPTH.replace("SIDE", '"bid"'), legend="{{distance}} %")],
        ),
        bargauge(
            "Ask depth, average over $interval",
            description="Our ask liquidity within each distance of mid, averaged over the chosen interval.",
            unit="short",
            queries=[query(AVG_DEPTH.replace("SIDE", '"ask"'), legend="{{distance}} %")],
        ),
    ],
)

"""Depths: how much liquidity do we rest near mid, per side?"""

from dashgen.dsl import bargauge, metric, query, section

DEPTH = "sum by (distance) ({{ depth }})"
AVG_DEPTH = "sum by (distance) (avg_over_time({{ depth }}[$interval]))"
BID = metric("mm_order_book_depth_quote", side="bid")
ASK = metric("mm_order_book_depth_quote", side="ask")

SECTION = section(
    "Depths",
    order=3,
    collapsed=True,
    panels=[
        bargauge(
            "Bid depth by distance",
            description="Our resting bid liquidity within 0.5 % to 20 % of mid, now, in quote currency.",
            unit="short",
            queries=[query(DEPTH, params={"depth": BID}, legend="{{distance}} %")],
        ),
        bargauge(
            "Ask depth by distance",
            description="Our resting ask liquidity within 0.5 % to 20 % of mid, now, in quote currency.",
            unit="short",
            queries=[query(DEPTH, params={"depth": ASK}, legend="{{distance}} %")],
        ),
        bargauge(
            "Bid depth, average over $interval",
            description="Our bid liquidity within each distance of mid, averaged over the chosen interval.",
            unit="short",
            queries=[query(AVG_DEPTH, params={"depth": BID}, legend="{{distance}} %")],
        ),
        bargauge(
            "Ask depth, average over $interval",
            description="Our ask liquidity within each distance of mid, averaged over the chosen interval.",
            unit="short",
            queries=[query(AVG_DEPTH, params={"depth": ASK}, legend="{{distance}} %")],
        ),
    ],
)

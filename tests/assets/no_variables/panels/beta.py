from dashgen.dsl import query, section, timeseries

SECTION = section(
    "Beta",
    order=2,
    collapsed=True,
    panels=[
        timeseries("Orders", description="open orders", unit="short", queries=[query("sum({{ mm_open_orders }})")]),
    ],
)

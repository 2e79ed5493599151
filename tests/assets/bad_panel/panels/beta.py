from dashgen.dsl import query, section, stat

SECTION = section(
    "Beta",
    order=2,
    panels=[
        stat("No description", description="", unit="none", queries=[query("avg({{ mm_mid_price }})")]),
    ],
)

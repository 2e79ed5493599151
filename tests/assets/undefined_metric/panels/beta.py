from dashgen.dsl import query, section, stat

SECTION = section(
    "Beta",
    order=2,
    panels=[
        stat("Typo", description="a typo in a metric name", unit="none",
             queries=[query("avg({{ mm_mid_prise }})")]),
    ],
)

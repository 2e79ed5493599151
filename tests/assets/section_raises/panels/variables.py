from dashgen.dsl import datasource_variable, query_variable, variables

VARIABLES = variables(
    datasource_variable(),
    query_variable("client", source="mm_mid_price"),
    query_variable("exchange", source="mm_mid_price"),
)

from dashgen.dsl import section

BETA = section("Beta", order=2, panels=[])

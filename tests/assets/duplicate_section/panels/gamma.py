from dashgen.dsl import section

SECTION = section("Alpha", order=3, panels=[])

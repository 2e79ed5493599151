from dashgen.dsl import section

SECTION = section("Beta", order=2, panels=[]

from dashgen.dsl import section

THRESHOLDS = {"warn": 1}
LIMIT = THRESHOLDS["critical"]
SECTION = section("Beta", order=2, panels=[])

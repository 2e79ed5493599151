"""`dashgen test-alerts`: `promtool check rules` on the compiled rules, then `promtool test rules` on every
scenario in alerts/tests/ (dashgen.alerting.promtool). Exit 0 all pass, 1 any fails (naming it), 2 when promtool
is missing."""

from __future__ import annotations

from pathlib import Path

from dashgen.alerting.promtool import INSTALL_HINT, SCENARIOS_DIR, find_promtool, run_scenarios, scenario_files
from dashgen.console import err, out
from dashgen.errors import EXIT_CANNOT_RUN, EXIT_FOUND, EXIT_OK, DashgenError
from dashgen.project import compile_project, load_project


def main(*, project: Path | None) -> int:
    loaded = load_project(project)
    compiled = compile_project(loaded)
    if compiled.alerting is None or loaded.config.alerting is None:
        raise DashgenError("the project defines no alerts (alerts/ and the `alerting:` section of dashgen.yaml)")
    promtool = find_promtool()
    if promtool is None:
        err(f"dashgen: error: promtool not found: {INSTALL_HINT}")
        return EXIT_CANNOT_RUN
    scenarios = scenario_files(loaded.root)
    failed = 0
    for result in run_scenarios(promtool, loaded.root, compiled.alerting, scenarios,
                                loaded.config.alerting.evaluation_interval):
        if result.step == "untested":
            out(f"FAILED  alert {result.subject} has no scenario in {SCENARIOS_DIR}/")
        else:
            out(f"{'ok    ' if result.passed else 'FAILED'}  {result.subject}")
        if result.output:
            indent = "    " if result.step == "scenarios" else ""
            out("\n".join(f"{indent}{line}" for line in result.output.splitlines()))
        if result.step == "check" and not result.passed:
            return EXIT_FOUND
        failed += not result.passed
    out(f"test-alerts: {len(scenarios)} scenario files, {failed} failed")
    return EXIT_FOUND if failed else EXIT_OK

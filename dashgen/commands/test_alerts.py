"""`dashgen test-alerts`: `promtool check rules` on the compiled rules, then `promtool test rules` on every
scenario in alerts/tests/. Exit 0 all pass, 1 any fails (naming it), 2 when promtool is missing."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import typer
import yaml

from dashgen.alerting.prometheus import dumps as rules_yaml
from dashgen.alerting.scenarios import alert_names, scenario_document, without_annotations
from dashgen.errors import EXIT_CANNOT_RUN, EXIT_FOUND, EXIT_OK, DashgenError
from dashgen.project import compile_project, load_project
from dashgen.textfile import read_user_text

SCENARIOS_DIR = Path("alerts") / "tests"
INSTALL_HINT = "install Prometheus's promtool: `apt-get install -y prometheus` (Debian/Ubuntu)"


def main(*, project: Path | None) -> int:
    loaded = load_project(project)
    compiled = compile_project(loaded)
    if compiled.alerting is None:
        raise DashgenError("the project defines no alerts (alerts/ and the `alerting:` section of dashgen.yaml)")
    promtool = shutil.which("promtool")
    if promtool is None:
        typer.echo(f"dashgen: error: promtool not found: {INSTALL_HINT}", err=True)
        return EXIT_CANNOT_RUN
    scenarios = sorted((loaded.root / SCENARIOS_DIR).glob("*.yaml"))
    if not scenarios:
        raise DashgenError(f"no scenarios in {SCENARIOS_DIR}/: add promtool unit tests there (see docs/alerting.md)")
    assert loaded.config.alerting is not None
    interval = loaded.config.alerting.evaluation_interval
    failed = 0
    with tempfile.TemporaryDirectory(prefix="dashgen-alerts-") as tmp:
        rules = Path(tmp) / "rules.yaml"
        rules.write_text(rules_yaml(compiled.alerting.prometheus_rules))
        check = subprocess.run([promtool, "check", "rules", str(rules)], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            typer.echo("FAILED  promtool check rules (the compiled prometheus/rules.yaml)")
            typer.echo((check.stdout + check.stderr).rstrip())
            return EXIT_FOUND
        typer.echo(f"ok      promtool check rules: {len(compiled.alerting.rules)} rules")
        test_rules = Path(tmp) / "rules-for-scenarios.yaml"
        test_rules.write_text(rules_yaml(without_annotations(compiled.alerting.prometheus_rules)))
        covered: set[str] = set()
        for path in scenarios:
            shown = str(path.relative_to(loaded.root))
            document = scenario_document(read_user_text(path, shown), shown, str(test_rules), interval)
            covered |= alert_names(document)
            prepared = Path(tmp) / path.name
            prepared.write_text(yaml.safe_dump(document, sort_keys=False))
            result = subprocess.run([promtool, "test", "rules", str(prepared)], capture_output=True, text=True,
                                    check=False)
            if result.returncode == 0:
                typer.echo(f"ok      {shown} ({len(document['tests'])} scenarios)")
            else:
                failed += 1
                typer.echo(f"FAILED  {shown}")
                typer.echo("\n".join(f"    {line}" for line in (result.stdout + result.stderr).rstrip().splitlines()))
    untested = sorted({r.alert.name for r in compiled.alerting.rules} - covered)
    for name in untested:
        failed += 1
        typer.echo(f"FAILED  alert {name} has no scenario in {SCENARIOS_DIR}/")
    typer.echo(f"test-alerts: {len(scenarios)} scenario files, {failed} failed")
    return EXIT_FOUND if failed else EXIT_OK

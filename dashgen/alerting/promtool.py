"""Running the alert scenarios with Prometheus's promtool: `promtool check rules` on the compiled rules, then
`promtool test rules` on every scenario file in alerts/tests/, then which alerts no scenario covers. Each step is
reported as it finishes (a Result), so `dashgen test-alerts` prints while promtool runs."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dashgen.alerting.compile import CompiledAlerting
from dashgen.alerting.prometheus import dumps as yaml_text
from dashgen.alerting.scenarios import alert_names, scenario_document, without_annotations
from dashgen.errors import DashgenError
from dashgen.processes import PROMETHEUS_HINT, find_binary
from dashgen.textfile import read_user_text

SCENARIOS_DIR = Path("alerts") / "tests"
INSTALL_HINT = PROMETHEUS_HINT


@dataclass(frozen=True)
class Result:
    step: Literal["check", "scenarios", "untested"]
    passed: bool
    subject: str  # "promtool check rules: 24 rules", "alerts/tests/orders.yaml (3 scenarios)", an alert's name
    output: str = ""  # promtool's output, when it failed


def find_promtool() -> str | None:
    return find_binary("promtool")


def scenario_files(root: Path) -> list[Path]:
    scenarios = sorted((root / SCENARIOS_DIR).glob("*.yaml"))
    if not scenarios:
        raise DashgenError(f"no scenarios in {SCENARIOS_DIR}/: add promtool unit tests there (see docs/alerting.md)")
    return scenarios


def run_scenarios(promtool: str, root: Path, alerting: CompiledAlerting, scenarios: list[Path],
                  evaluation_interval: str) -> Iterator[Result]:
    """Stops after a failed `check rules`: the scenarios would only repeat its complaint."""
    with tempfile.TemporaryDirectory(prefix="dashgen-alerts-") as tmp:
        rules = Path(tmp) / "rules.yaml"
        rules.write_text(yaml_text(alerting.prometheus_rules))
        check = subprocess.run([promtool, "check", "rules", str(rules)], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            yield Result("check", False, "promtool check rules (the compiled prometheus/rules.yaml)",
                         (check.stdout + check.stderr).rstrip())
            return
        yield Result("check", True, f"promtool check rules: {len(alerting.rules)} rules")
        test_rules = Path(tmp) / "rules-for-scenarios.yaml"
        test_rules.write_text(yaml_text(without_annotations(alerting.prometheus_rules)))
        covered: set[str] = set()
        for path in scenarios:
            shown = str(path.relative_to(root))
            document = scenario_document(read_user_text(path, shown), shown, str(test_rules), evaluation_interval)
            covered |= alert_names(document)
            prepared = Path(tmp) / path.name
            prepared.write_text(yaml_text(document, header=f"# {shown}, prepared by dashgen for promtool\n"))
            result = subprocess.run([promtool, "test", "rules", str(prepared)], capture_output=True, text=True,
                                    check=False)
            passed = result.returncode == 0
            yield Result("scenarios", passed, f"{shown} ({len(document['tests'])} scenarios)" if passed else shown,
                         "" if passed else (result.stdout + result.stderr).rstrip())
    for name in sorted({r.alert.name for r in alerting.rules} - covered):
        yield Result("untested", False, name)

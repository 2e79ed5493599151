"""Alert scenarios (`alerts/tests/*.yaml`, promtool's unit-test format) prepared for `promtool test rules`. Pure.

Scenario files name no rule file: dashgen supplies the compiled rules. promtool compares annotations as well as
labels, so scenarios run against the same rules with annotations left out: they assert what fires and with
which labels; annotation text is tested in dashgen's own test suite."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from dashgen.errors import DashgenError


def scenario_document(text: str, filename: str, rules_path: str, evaluation_interval: str) -> dict[str, Any]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{filename}:{mark.line + 1}" if mark is not None else filename
        raise DashgenError(f"invalid YAML: {getattr(exc, 'problem', exc)}", where=where) from None
    if not isinstance(document, dict) or not isinstance(document.get("tests"), list) or not document["tests"]:
        raise DashgenError("a scenario file needs `tests:`, a list in promtool's unit-test format", where=filename)
    if "rule_files" in document:
        raise DashgenError("remove `rule_files`: dashgen tests the rules it compiles", where=filename)
    document["rule_files"] = [rules_path]
    document.setdefault("evaluation_interval", evaluation_interval)
    return document


def alert_names(document: dict[str, Any]) -> set[str]:
    return {str(check.get("alertname")) for test in document.get("tests", [])
            for check in test.get("alert_rule_test", []) or []}


def without_annotations(rule_file: dict[str, Any]) -> dict[str, Any]:
    stripped = copy.deepcopy(rule_file)
    for group in stripped.get("groups", []):
        for rule in group.get("rules", []):
            rule.pop("annotations", None)
    return stripped

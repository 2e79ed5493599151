"""Running the rules, placing findings in the user's files, and applying suppressions. Pure."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dashgen.config.model import Suppression
from dashgen.dsl.location import Location
from dashgen.lint import alert_rules, board_rules  # noqa: F401  (registers the rules)
from dashgen.lint.model import RULES, Finding


def run(scope: str, context: Any, *, file: str, sources: Mapping[str, Location] | None = None) -> list[Finding]:
    findings = []
    for item in (r for r in RULES if r.scope == scope):
        for issue in item.check(context):
            source = (sources or {}).get(issue.location)
            findings.append(Finding(rule=item.id, name=item.name, severity=item.severity,
                                    file=source.file if source else file, line=source.line if source else None,
                                    location=issue.location, message=issue.message, ref_id=issue.ref_id))
    return findings


def _matches(suppression: Suppression, finding: Finding) -> bool:
    return suppression.rule in (finding.rule, finding.name) and fnmatch.fnmatchcase(finding.location,
                                                                                      suppression.location)


def suppress(findings: Iterable[Finding], suppressions: Sequence[Suppression], *,
             config_file: str = "dashgen.yaml") -> tuple[list[Finding], list[tuple[Finding, Suppression]]]:
    """(findings left, suppressed with their reason); a suppression that matches nothing is itself a warning."""
    kept: list[Finding] = []
    silenced: list[tuple[Finding, Suppression]] = []
    used: set[int] = set()
    for finding in findings:
        match = next((i for i, s in enumerate(suppressions) if _matches(s, finding)), None)
        if match is None:
            kept.append(finding)
        else:
            used.add(match)
            silenced.append((finding, suppressions[match]))
    for index, item in enumerate(suppressions):
        if index not in used:
            kept.append(Finding(rule="DG001", name="unused-suppression", severity="warning", file=config_file,
                                line=None, location=f"lint.suppress[{index}]",
                                message=f"suppresses nothing ({item.rule} at {item.location!r}): remove it"))
    return kept, silenced


"""Findings as text, JSON or GitHub Actions annotations. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dashgen.config.model import Suppression
from dashgen.lint.model import Finding


def _place(finding: Finding) -> str:
    line = f":{finding.line}" if finding.line else ""
    ref = f" [{finding.ref_id}]" if finding.ref_id else ""
    return f"{finding.file}{line}: {finding.location}{ref}"


def line(finding: Finding) -> str:
    """One finding as `lint` prints it: file:line: location [refId]: severity id name: message."""
    return f"{_place(finding)}: {finding.severity} {finding.rule} {finding.name}: {finding.message}"


def text(findings: Sequence[Finding], silenced: Sequence[tuple[Finding, Suppression]]) -> list[str]:
    lines = [line(f) for f in findings]
    lines.append(summary(findings, silenced))
    return lines


def summary(findings: Sequence[Finding], silenced: Sequence[tuple[Finding, Suppression]]) -> str:
    errors = sum(f.severity == "error" for f in findings)
    return (f"lint: {errors} error(s), {len(findings) - errors} warning(s), "
            f"{len(silenced)} suppressed with a reason")


def github(findings: Sequence[Finding], silenced: Sequence[tuple[Finding, Suppression]]) -> list[str]:
    lines = []
    for f in findings:
        line = f",line={f.line}" if f.line else ""
        ref = f" [{f.ref_id}]" if f.ref_id else ""
        message = f"{f.location}{ref}: {f.message}".replace("%", "%25").replace("\n", "%0A")
        lines.append(f"::{f.severity} file={f.file}{line},title={f.rule} {f.name}::{message}")
    lines.append(summary(findings, silenced))
    return lines


def document(findings: Sequence[Finding], silenced: Sequence[tuple[Finding, Suppression]]) -> dict[str, Any]:
    return {
        "findings": [f.to_json() for f in findings],
        "suppressed": [{**f.to_json(), "reason": s.reason} for f, s in silenced],
        "summary": {"errors": sum(f.severity == "error" for f in findings),
                    "warnings": sum(f.severity == "warning" for f in findings), "suppressed": len(silenced)},
    }

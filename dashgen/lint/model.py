"""Findings and the rule registry. A rule is a small function that yields issues for one context."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """What a rule reports: where inside the object (a panel "Row / Title", an alert) and what is wrong."""

    location: str
    message: str
    ref_id: str | None = None


@dataclass(frozen=True)
class Finding:
    rule: str  # e.g. DG104
    name: str  # e.g. missing-filter
    severity: Severity
    file: str
    line: int | None
    location: str
    message: str
    ref_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rule": self.rule, "name": self.name, "severity": self.severity, "file": self.file,
                                "location": self.location, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
        if self.ref_id is not None:
            data["refId"] = self.ref_id
        return data


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    scope: Literal["board", "alerts"]
    check: Callable[[Any], Iterable[Issue]] = field(compare=False)


RULES: list[Rule] = []


Check = Callable[[Any], Iterable[Issue]]


def rule(id: str, name: str, summary: str, *, scope: Literal["board", "alerts"],
         severity: Severity = "error") -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES.append(Rule(id=id, name=name, severity=severity, summary=summary, scope=scope, check=check))
        return check

    return register

"""Lint of a project as compiled: what `lint` prints and what `build`, `diff` and `apply` refuse on. Each finding
points at the line of panels/ or alerts/ that defines it. Pure: it lints what the caller compiled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dashgen.board import walk
from dashgen.discovery import CONFIG_FILE
from dashgen.dsl.location import Location, display_path
from dashgen.lint import render
from dashgen.lint.alert_rules import AlertContext, client_location
from dashgen.lint.board_rules import BoardContext
from dashgen.lint.model import Finding
from dashgen.lint.runner import run, suppress

if TYPE_CHECKING:
    from dashgen.project import CompiledProject, Project


def lint_compiled(project: Project, compiled: CompiledProject, *, known_clients: frozenset[str] | None = None,
                  datasource: str = "") -> list[Finding]:
    """`known_clients`: the client label's values an environment's datasource holds (`lint --env`), for DG301."""
    sources: dict[str, Location] = {walk.location(s.title, p.title): p.defined_at
                                    for s in project.board.sections for p in s.panels}
    board = compiled.board.dashboard
    findings = run("board", BoardContext(board, project.catalogue), file=f"dashboards/{compiled.board.uid}.json",
                   sources=sources)
    if compiled.alerting is not None:
        alert_sources = {f"alert {r.title}": r.alert.defined_at for r in compiled.alerting.rules}
        thresholds = project.config.alerting.thresholds if project.config.alerting is not None else None
        config_file = display_path(str(project.root / CONFIG_FILE))
        for client in thresholds.clients if thresholds is not None else ():
            alert_sources[client_location(client)] = Location(config_file,
                                                              project.config.lines.get(client_location(client), 0))
        context = AlertContext(compiled.alerting.rule_groups, {compiled.board.uid: board}, project.catalogue,
                               thresholds=thresholds, known_clients=known_clients, datasource=datasource)
        findings += run("alerts", context, file="alerts/", sources=alert_sources)
    return findings


@dataclass(frozen=True)
class Verdict:
    """The findings left after the project's suppressions, as lint prints them, in lint's order."""

    lines: tuple[str, ...]
    errors: int


def verdict(project: Project, compiled: CompiledProject) -> Verdict:
    kept, _ = suppress(lint_compiled(project, compiled), project.config.lint.suppress)
    return Verdict(lines=tuple(render.line(f) for f in kept), errors=sum(f.severity == "error" for f in kept))

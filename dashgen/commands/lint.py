"""`dashgen lint [PATH ...]`: the project as compiled (board and alerts), or dashboard JSON files.
Exit 0 clean, 1 findings at error severity, 2 could not run."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dashgen.alerting.compile import CompiledAlerting
from dashgen.alerting.thresholds import CLIENT_LABEL
from dashgen.catalogue import Catalogue, load_catalogue
from dashgen.config.model import Suppression
from dashgen.discovery import CONFIG_FILE, find_project
from dashgen.dsl.location import Location, display_path
from dashgen.errors import EXIT_FOUND, EXIT_OK, DashgenError
from dashgen.jsonfile import dumps
from dashgen.lint import render
from dashgen.lint.alert_rules import AlertContext, client_location
from dashgen.lint.board_rules import BoardContext
from dashgen.lint.model import Finding
from dashgen.lint.runner import run, suppress
from dashgen.project import Project, compile_project, load_project


def main(*, project: Path | None, paths: list[Path], output: str, env: str | None = None) -> int:
    """`env` (the global --env): also check what only that environment's datasource knows (DG301). Dashboard JSON
    files are checked on their own."""
    if paths:
        findings, suppressions = _lint_files(project, paths)
    else:
        loaded = load_project(project)
        findings = _lint_project(loaded, env)
        suppressions = list(loaded.config.lint.suppress)
    kept, silenced = suppress(findings, suppressions)
    if output == "json":
        typer.echo(dumps(render.document(kept, silenced)), nl=False)
    else:
        for line in (render.github if output == "github" else render.text)(kept, silenced):
            typer.echo(line)
    return EXIT_FOUND if any(f.severity == "error" for f in kept) else EXIT_OK


def _known_clients(project: Project, env: str | None) -> tuple[frozenset[str] | None, str]:
    """The `client` values the environment's datasource holds, when there is an environment and an override to
    check against them; (None, "") otherwise, without contacting anyone."""
    alerting = project.config.alerting
    if env is None or alerting is None or not alerting.thresholds.clients:
        return None, ""
    from dashgen.commands.remote import open_client  # the HTTP client only when it is needed
    from dashgen.grafana.datasource import label_values

    _, environment, client = open_client(project, env)
    return label_values(client, environment.datasource_uid, CLIENT_LABEL), environment.datasource_uid


def _lint_project(project: Project, env: str | None = None) -> list[Finding]:
    compiled = compile_project(project)
    sources: dict[str, Location] = {}
    for section in project.board.sections:
        for panel in section.panels:
            sources[f"{section.title} / {panel.title}"] = panel.defined_at
    board = compiled.board.dashboard
    findings = run("board", BoardContext(board, project.catalogue), file=f"dashboards/{compiled.board.uid}.json",
                   sources=sources)
    alerting: CompiledAlerting | None = compiled.alerting
    if alerting is not None:
        assert project.config.alerting is not None
        alert_sources = {f"alert {r.title}": r.alert.defined_at for r in alerting.rules}
        thresholds = project.config.alerting.thresholds
        config_file = display_path(str(project.root / CONFIG_FILE))
        for client in thresholds.clients:
            alert_sources[client_location(client)] = Location(config_file,
                                                              project.config.lines.get(client_location(client), 0))
        known, datasource = _known_clients(project, env)
        context = AlertContext(alerting.rule_groups, alerting.rules, {compiled.board.uid: board}, project.catalogue,
                               thresholds, known_clients=known, datasource=datasource)
        findings += run("alerts", context, file="alerts/", sources=alert_sources)
    return findings


def _lint_files(project: Path | None, paths: list[Path]) -> tuple[list[Finding], list[Suppression]]:
    catalogue: Catalogue | None = None
    suppressions: list[Suppression] = []
    try:
        root = project.resolve() if project is not None else find_project(Path.cwd())
        catalogue = load_catalogue(root)
        suppressions = list(load_project(root).config.lint.suppress) if project is not None else []
    except DashgenError:
        typer.echo("dashgen: no project metrics.yaml here: metric-contract rules are skipped", err=True)
    findings: list[Finding] = []
    for path in paths:
        shown = display_path(str(path))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise DashgenError(f"cannot read: {exc.strerror}", where=shown) from None
        except ValueError as exc:
            raise DashgenError(f"not JSON: {exc}", where=shown) from None
        dashboard = data.get("dashboard", data) if isinstance(data, dict) else None
        if not isinstance(dashboard, dict) or "panels" not in dashboard:
            raise DashgenError("not a dashboard JSON model (no `panels`)", where=shown)
        findings += run("board", BoardContext(dashboard, catalogue), file=shown)
    return findings, suppressions

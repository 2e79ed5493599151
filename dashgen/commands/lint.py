"""`dashgen lint [PATH ...]`: the project as compiled (board and alerts), or dashboard and rule-group JSON files.
Exit 0 clean, 1 findings at error severity, 2 could not run."""

from __future__ import annotations

import os
from pathlib import Path

from dashgen.catalogue import Catalogue, load_catalogue
from dashgen.config.model import Suppression
from dashgen.console import err, out
from dashgen.discovery import find_project
from dashgen.errors import EXIT_FOUND, EXIT_OK, DashgenError
from dashgen.jsonfile import dumps
from dashgen.lint import render
from dashgen.lint.files import lint_documents, read_documents
from dashgen.lint.model import Finding
from dashgen.lint.project import lint_compiled
from dashgen.lint.runner import suppress
from dashgen.project import Project, compile_project, load_project


def main(*, project: Path | None, paths: list[Path], output: str, env: str | None = None) -> int:
    """`env` (the global --env): also check what only that environment's datasource knows (DG301). Dashboard JSON
    files are checked on their own."""
    if paths:
        findings, suppressions = _lint_files(project, paths)
    else:
        loaded = load_project(project)
        known, datasource = _known_clients(loaded, env)
        findings = lint_compiled(loaded, compile_project(loaded), known_clients=known, datasource=datasource)
        suppressions = list(loaded.config.lint.suppress)
    kept, silenced = suppress(findings, suppressions)
    if output == "json":
        out(dumps(render.document(kept, silenced)), nl=False)
    else:
        for line in (render.github if output == "github" else render.text)(kept, silenced):
            out(line)
    return EXIT_FOUND if any(f.severity == "error" for f in kept) else EXIT_OK


def _known_clients(project: Project, env: str | None) -> tuple[frozenset[str] | None, str]:
    """The values of the client label (metrics.yaml's client_label) the environment's datasource holds, when there
    is an environment and an override to check against them; (None, "") otherwise, without contacting anyone."""
    alerting, label = project.config.alerting, project.catalogue.client_label
    if env is None or alerting is None or not alerting.thresholds.clients or label is None:
        return None, ""
    from dashgen.commands.remote import open_client  # the HTTP client only when it is needed
    from dashgen.config.environments import select_environment
    from dashgen.grafana.datasource import label_values

    env_name, environment, _ = select_environment(project.config, env, os.environ)
    client = open_client(project, env_name, environment)
    return label_values(client, environment.datasource_uid, label), environment.datasource_uid


def _lint_files(project: Path | None, paths: list[Path]) -> tuple[list[Finding], list[Suppression]]:
    catalogue: Catalogue | None = None
    suppressions: list[Suppression] = []
    try:
        root = project.resolve() if project is not None else find_project(Path.cwd())
        catalogue = load_catalogue(root)
        suppressions = list(load_project(root).config.lint.suppress) if project is not None else []
    except DashgenError:
        err("dashgen: no project metrics.yaml here: metric-contract rules are skipped")
    return lint_documents(read_documents(paths), catalogue), suppressions

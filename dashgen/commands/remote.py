"""What diff, apply and pull share: pick the environment, open the client, read the live state, plan."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dashgen.commands.gate import refuse_on_lint_errors
from dashgen.config import EnvironmentConfig
from dashgen.config.environments import select_environment
from dashgen.console import err
from dashgen.grafana.client import GrafanaClient
from dashgen.grafana.settings import client_settings
from dashgen.kinds.base import Kind
from dashgen.project import CompiledProject, Project, compile_project, load_project
from dashgen.sync.plan import LiveState, Plan, make_plan
from dashgen.sync.read import read_live


@dataclass(frozen=True)
class Remote:
    project: Project
    env_name: str
    client: GrafanaClient
    compiled: CompiledProject

    @property
    def kinds(self) -> list[Kind]:
        return self.compiled.kinds()

    def describe(self) -> str:
        """Which Grafana, and which API dashboards and folders go through (the first line of diff and apply)."""
        version = self.client.info().version_text
        return (f"{self.env_name}: {f'Grafana {version}, ' if version else ''}dashboards and folders through "
                f"{self.client.platform().describe()}")


def connect(project_dir: Path | None, env: str | None, *, parallel: int = 8, lint_as: str | None) -> Remote:
    """`parallel`: how many requests may be open at once. `lint_as`: the command (diff, apply) that a lint error
    in the compiled project stops before its first request; None for pull, which only reads."""
    project = load_project(project_dir)
    env_name, environment, note = select_environment(project.config, env, os.environ)
    if note:
        err(f"dashgen: note: {note}")
    compiled = compile_project(project, environment)
    if lint_as is not None:
        refuse_on_lint_errors(project, compiled, command=lint_as, consequence="Grafana was not contacted")
    client = open_client(project, env_name, environment, parallel=parallel)
    client.platform()  # fails early, with a clear message, when Grafana is unreachable, unhealthy or not Grafana
    return Remote(project, env_name, client, compiled)


def open_client(project: Project, env_name: str, environment: EnvironmentConfig, *,
                parallel: int = 8) -> GrafanaClient:
    """A client for the environment; contacts nobody yet."""
    settings = client_settings(env_name, environment, project.root, os.environ)
    for warning in settings.warnings:
        err(f"dashgen: warning: {warning}")
    return GrafanaClient(settings, on_retry=lambda text: err(f"dashgen: {text}"), max_in_flight=parallel)


def read_remote(remote: Remote, *, prune: bool = False) -> LiveState:
    return read_live(remote.client, remote.kinds, remote.compiled.desired(), prune=prune)


def plan_remote(remote: Remote, *, prune: bool = False, update_secrets: bool = False) -> Plan:
    state = read_remote(remote, prune=prune)
    refresh = frozenset({"contact-point"}) if update_secrets else frozenset()
    return make_plan(remote.kinds, remote.compiled.desired(), state, prune=prune, refresh=refresh)

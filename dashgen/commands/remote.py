"""What diff, apply and pull share: pick the environment, open the client, read the live state, plan."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import typer

from dashgen.grafana.client import GrafanaClient
from dashgen.grafana.settings import client_settings, select_environment
from dashgen.project import CompiledProject, Project, compile_project, load_project
from dashgen.resources.base import Handler
from dashgen.resources.contact_point import ContactPointHandler
from dashgen.resources.dashboard import DashboardHandler
from dashgen.resources.folder import FolderHandler
from dashgen.resources.mute_timing import MuteTimingHandler
from dashgen.resources.policy import PolicyHandler
from dashgen.resources.rule_group import RuleGroupHandler
from dashgen.resources.template import TemplateHandler
from dashgen.sync.plan import Plan, make_plan
from dashgen.sync.read import read_live


def handlers(*, alerting: bool = True) -> list[Handler]:
    """Every resource kind, in dependency order: what a kind names is written before it (and deleted after).
    Without alerting in the project, only folders and dashboards are read or written."""
    if not alerting:
        return [FolderHandler(), DashboardHandler()]
    return [FolderHandler(), ContactPointHandler(), MuteTimingHandler(), TemplateHandler(), PolicyHandler(),
            RuleGroupHandler(), DashboardHandler()]


@dataclass(frozen=True)
class Remote:
    project: Project
    env_name: str
    client: GrafanaClient
    compiled: CompiledProject


def connect(project_dir: Path | None, env: str | None) -> Remote:
    project = load_project(project_dir)
    env_name, environment = select_environment(project.config, env)
    settings = client_settings(env_name, environment, project.root, os.environ)
    for warning in settings.warnings:
        typer.echo(f"dashgen: warning: {warning}", err=True)
    client = GrafanaClient(settings, on_retry=lambda text: typer.echo(f"dashgen: {text}", err=True))
    client.info()  # fails early, with a clear message, when Grafana is unreachable or unhealthy
    return Remote(project, env_name, client, compile_project(project, environment))


def remote_handlers(remote: Remote) -> list[Handler]:
    return handlers(alerting=remote.compiled.alerting is not None)


def plan_remote(remote: Remote, *, parallel: int, prune: bool = False, update_secrets: bool = False) -> Plan:
    kinds = remote_handlers(remote)
    desired = remote.compiled.desired()
    state = read_live(remote.client, kinds, desired, parallel=parallel, prune=prune)
    refresh = frozenset({"contact-point"}) if update_secrets else frozenset()
    return make_plan(kinds, desired, state, prune=prune, refresh=refresh)

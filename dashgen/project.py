"""A project as loaded from disk, and everything compiled from it.

`load_project` does the reading (config, catalogue, the user's modules); `compile_project` is pure and
returns the files a build writes, keyed by their path below the output directory, and the desired objects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dashgen.board.compile import CompiledBoard, compile_board
from dashgen.catalogue import Catalogue, load_catalogue
from dashgen.config import Config, EnvironmentConfig, load_config
from dashgen.discovery import AlertDefinitions, BoardDefinitions, discover_alerts, discover_board, find_project
from dashgen.errors import DashgenError
from dashgen.layout import output_files
from dashgen.resources.base import Desired

if TYPE_CHECKING:
    from dashgen.alerting.compile import CompiledAlerting


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config
    catalogue: Catalogue
    board: BoardDefinitions
    alerts: AlertDefinitions | None


@dataclass(frozen=True)
class CompiledProject:
    board: CompiledBoard
    alerting: CompiledAlerting | None

    def files(self) -> dict[str, str]:
        alerting = self.alerting
        if alerting is None:
            return output_files(dashboards=[self.board.dashboard])
        from dashgen.alerting.prometheus import dumps as rules_yaml

        files = output_files(dashboards=[self.board.dashboard], rule_groups=alerting.rule_groups,
                             contact_points=alerting.contact_points, policy=alerting.policy,
                             mute_timings=alerting.mute_timings, templates=alerting.templates, alerting=True)
        files["prometheus/rules.yaml"] = rules_yaml(alerting.prometheus_rules)
        return files

    def desired(self) -> list[Desired]:
        """The objects to have in Grafana, in dependency order, as the handlers compare them."""
        board = self.board
        found = [
            Desired("folder", board.folder_uid, board.folder_title, {"uid": board.folder_uid,
                                                                     "title": board.folder_title}),
            Desired("dashboard", board.uid, str(board.dashboard["title"]), dashboard_body(board.dashboard),
                    parent=board.folder_uid),
        ]
        alerting = self.alerting
        if alerting is not None:
            found += [Desired("contact-point", c["uid"], c["name"], c) for c in alerting.contact_points]
            found += [Desired("mute-timing", m["name"], m["name"], m) for m in alerting.mute_timings]
            found += [Desired("template", t["name"], t["name"], t) for t in alerting.templates]
            found.append(Desired("policy", "dashgen", "dashgen's subtree", alerting.policy))
            found += [Desired("rule-group", f"{alerting.folder_uid}/{g['title']}", g["title"], g,
                              parent=alerting.folder_uid) for g in alerting.rule_groups]
        return found


def dashboard_body(dashboard: dict[str, Any]) -> dict[str, Any]:
    """A compiled dashboard as compared with a live one: without the `id` Grafana assigns."""
    return {k: v for k, v in dashboard.items() if k != "id"}


def load_project(project_dir: Path | None) -> Project:
    root = project_dir.resolve() if project_dir is not None else find_project(Path.cwd())
    if project_dir is not None and not (root / "dashgen.yaml").is_file():
        raise DashgenError(f"no dashgen.yaml in {project_dir}: --project must name a dashgen project directory")
    config = load_config(root)
    catalogue = load_catalogue(root)
    board = discover_board(root)
    alerts = discover_alerts(root)
    if alerts is not None and config.alerting is None:
        raise DashgenError("alerts/ defines alerts but dashgen.yaml has no `alerting:` section (see the README)")
    if alerts is None and config.alerting is not None:
        raise DashgenError("dashgen.yaml has an `alerting:` section but alerts/ defines no ALERTS and ROUTING")
    return Project(root=root, config=config, catalogue=catalogue, board=board, alerts=alerts)


def compile_project(project: Project, environment: EnvironmentConfig | None = None) -> CompiledProject:
    """Environment-neutral without `environment`; with it, datasources follow that environment."""
    datasource_uid = environment.datasource_uid if environment is not None else None
    board = compile_board(project.config, project.catalogue, project.board, datasource_uid=datasource_uid)
    alerting = None
    if project.alerts is not None:
        from dashgen.alerting.compile import compile_alerting  # the alerting SDK only when there are alerts

        alerting = compile_alerting(project.config, project.catalogue, project.alerts, board.dashboard,
                                    datasource_uid=datasource_uid)
    return CompiledProject(board=board, alerting=alerting)

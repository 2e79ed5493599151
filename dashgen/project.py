"""A project as loaded from disk, and everything compiled from it.

`load_project` does the reading (config, catalogue, the user's modules); `compile_project` is pure and
returns the files a build writes, keyed by their path below the output directory, and the desired objects."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from dashgen.board.compile import CompiledBoard, compile_board
from dashgen.catalogue import Catalogue, load_catalogue
from dashgen.config import Config, EnvironmentConfig, load_config
from dashgen.discovery import AlertDefinitions, BoardDefinitions, discover_alerts, discover_board, find_project
from dashgen.errors import DashgenError
from dashgen.kinds.base import Desired, Kind

if TYPE_CHECKING:
    from dashgen.alerting.compile import CompiledAlerting


OUTPUT_LAYOUT = ("dashboards", "alerting", "prometheus")  # the top-level directories build and pull write


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
    catalogue: Catalogue  # the metric contract it was compiled against (the preview's test data)
    alerting: CompiledAlerting | None

    def kinds(self) -> list[Kind]:
        from dashgen.kinds import kinds

        return kinds(alerting=self.alerting is not None)

    def desired(self) -> list[Desired]:
        """The objects to have in Grafana, in dependency order, in the form Grafana will store them."""
        return list(self._desired)

    @cached_property
    def _desired(self) -> tuple[Desired, ...]:
        """Computed once: files, diff and apply all ask, and each rule's stored form costs per rule."""
        return tuple(item for kind in self.kinds() for item in kind.desired(self))

    def files(self) -> dict[str, str]:
        """What build writes: every kind's objects in its files, as pull writes them, and the Prometheus
        rule file (not a Grafana object)."""
        desired = self.desired()
        files: dict[str, str] = {}
        for kind in self.kinds():
            files.update(kind.files([d.body for d in desired if d.kind == kind.kind]))
        if self.alerting is not None:
            from dashgen.alerting.prometheus import dumps as rules_yaml

            files["prometheus/rules.yaml"] = rules_yaml(self.alerting.prometheus_rules)
        return files


def find_root(project_dir: Path | None) -> Path:
    """--project DIR, or the nearest directory at or above the current one holding dashgen.yaml."""
    if project_dir is None:
        return find_project(Path.cwd())
    if not (project_dir / "dashgen.yaml").is_file():
        raise DashgenError(f"no dashgen.yaml in {project_dir}: --project must name a dashgen project directory")
    return project_dir.resolve()


def protected_dirs(root: Path) -> list[tuple[Path, str]]:
    """Directories an output directory must never be (or be above): replacing it would delete them."""
    return [(root, "the project directory"), (Path.cwd(), "the current directory")]


def load_project(project_dir: Path | None) -> Project:
    root = find_root(project_dir)
    config = load_config(root)
    catalogue = load_catalogue(root)
    board = discover_board(root)
    alerts = discover_alerts(root)
    if alerts is not None and config.alerting is None:
        raise DashgenError("alerts/ defines alerts but dashgen.yaml has no `alerting:` section "
                           "(see docs/configuration.md)")
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

        alerting = compile_alerting(project.config, project.catalogue, project.alerts, project.board.sections,
                                    board.dashboard, datasource_uid=datasource_uid)
    return CompiledProject(board=board, alerting=alerting, catalogue=project.catalogue)

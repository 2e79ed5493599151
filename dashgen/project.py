"""A project as loaded from disk, and everything compiled from it.

`load_project` does the reading (config, catalogue, the user's modules); `compile_project` is pure and
returns the files a build writes, keyed by their path below the output directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashgen.board.compile import CompiledBoard, compile_board
from dashgen.catalogue import Catalogue, load_catalogue
from dashgen.config import Config, EnvironmentConfig, load_config
from dashgen.discovery import BoardDefinitions, discover_board, find_project
from dashgen.errors import DashgenError
from dashgen.jsonfile import dumps
from dashgen.resources.base import Desired


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config
    catalogue: Catalogue
    board: BoardDefinitions


@dataclass(frozen=True)
class CompiledProject:
    board: CompiledBoard

    def files(self) -> dict[str, str]:
        return {f"dashboards/{self.board.uid}.json": dumps(self.board.dashboard)}

    def desired(self) -> list[Desired]:
        """The objects to have in Grafana, in dependency order, as the handlers compare them."""
        board = self.board
        return [
            Desired("folder", board.folder_uid, board.folder_title, {"uid": board.folder_uid,
                                                                     "title": board.folder_title}),
            Desired("dashboard", board.uid, str(board.dashboard["title"]), dashboard_body(board.dashboard),
                    parent=board.folder_uid),
        ]


def dashboard_body(dashboard: dict[str, Any]) -> dict[str, Any]:
    """A compiled dashboard as compared with a live one: without the `id` Grafana assigns."""
    return {k: v for k, v in dashboard.items() if k != "id"}


def load_project(project_dir: Path | None) -> Project:
    root = project_dir.resolve() if project_dir is not None else find_project(Path.cwd())
    if project_dir is not None and not (root / "dashgen.yaml").is_file():
        raise DashgenError(f"no dashgen.yaml in {project_dir}: --project must name a dashgen project directory")
    config = load_config(root)
    catalogue = load_catalogue(root)
    return Project(root=root, config=config, catalogue=catalogue, board=discover_board(root))


def compile_project(project: Project, environment: EnvironmentConfig | None = None) -> CompiledProject:
    """Environment-neutral without `environment`; with it, defaults follow that environment's datasource."""
    datasource_uid = environment.datasource_uid if environment is not None else None
    board = compile_board(project.config, project.catalogue, project.board, datasource_uid=datasource_uid)
    return CompiledProject(board=board)

"""A project as loaded from disk, and everything compiled from it.

`load_project` does the reading (config, catalogue, the user's modules); `compile_project` is pure and
returns the files a build writes, keyed by their path below the output directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashgen.board.compile import CompiledBoard, compile_board
from dashgen.catalogue import Catalogue, load_catalogue
from dashgen.config import Config, load_config
from dashgen.discovery import BoardDefinitions, discover_board, find_project
from dashgen.errors import DashgenError
from dashgen.jsonfile import dumps


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


def load_project(project_dir: Path | None) -> Project:
    root = project_dir.resolve() if project_dir is not None else find_project(Path.cwd())
    if project_dir is not None and not (root / "dashgen.yaml").is_file():
        raise DashgenError(f"no dashgen.yaml in {project_dir}: --project must name a dashgen project directory")
    config = load_config(root)
    catalogue = load_catalogue(root)
    return Project(root=root, config=config, catalogue=catalogue, board=discover_board(root))


def compile_project(project: Project) -> CompiledProject:
    return CompiledProject(board=compile_board(project.config, project.catalogue, project.board))

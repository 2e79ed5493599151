"""`dashgen build`: compile the project, lint it, and replace the output directory with exactly the files built;
print a summary. A lint error stops it before anything is written."""

from __future__ import annotations

from pathlib import Path

from dashgen import console
from dashgen.board.summary import summarise
from dashgen.commands.gate import refuse_on_lint_errors
from dashgen.config.environments import select_environment
from dashgen.dsl.location import display_path
from dashgen.errors import EXIT_OK
from dashgen.outputs import replace_tree
from dashgen.project import OUTPUT_LAYOUT, compile_project, load_project, protected_dirs

DEFAULT_OUT = "build"  # below the project directory, wherever dashgen runs from


def main(*, project: Path | None, env: str | None, out: Path | None) -> int:
    """`out`: as the user typed it (relative to the current directory); None: build/ in the project."""
    loaded = load_project(project)
    environment = None
    if env is not None:

        environment = select_environment(loaded.config, env)[1]
    compiled = compile_project(loaded, environment)
    refuse_on_lint_errors(loaded, compiled, command="build", consequence="nothing was written")
    directory = out if out is not None else loaded.root / DEFAULT_OUT
    for path in replace_tree(directory, compiled.files(), protected=protected_dirs(loaded.root),
                             layout=OUTPUT_LAYOUT):
        console.out(f"wrote {display_path(str(path))}")
    for line in summarise(compiled.board.dashboard).lines():
        console.out(line)
    return EXIT_OK

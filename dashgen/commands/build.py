"""`dashgen build`: compile the project and write the files; print a summary."""

from __future__ import annotations

from pathlib import Path

from dashgen import console
from dashgen.board.summary import summarise
from dashgen.errors import EXIT_OK
from dashgen.grafana.settings import select_environment
from dashgen.outputs import write_text
from dashgen.project import compile_project, load_project


def main(*, project: Path | None, env: str | None, out: Path) -> int:
    loaded = load_project(project)
    environment = select_environment(loaded.config, env)[1] if env is not None else None
    compiled = compile_project(loaded, environment)
    written = [write_text(out / relative, text) for relative, text in compiled.files().items()]
    for path in written:
        console.out(f"wrote {path}")
    for line in summarise(compiled.board.dashboard).lines():
        console.out(line)
    return EXIT_OK

"""build, diff and apply lint what they compiled first: warnings are printed, an error stops the command before
it writes a file or sends a request. Cheap: the compiled project is linted, nothing is imported again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashgen.console import err
from dashgen.errors import DashgenError

if TYPE_CHECKING:
    from dashgen.project import CompiledProject, Project


def refuse_on_lint_errors(project: Project, compiled: CompiledProject, *, command: str, consequence: str) -> None:
    """Each finding on stderr as `dashgen lint` prints it; with an error, one closing DashgenError (exit 2)."""
    from dashgen.lint.project import verdict

    found = verdict(project, compiled)
    for line in found.lines:
        err(line)
    if found.errors:
        raise DashgenError(f"{command} refused: {found.errors} lint error(s) above; {consequence} (fix them, or "
                           "suppress one with a reason under lint.suppress in dashgen.yaml)")

"""`dashgen apply`: plan, show, confirm, back up, then write only what changed, in dependency order."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer

from dashgen import __version__
from dashgen.backups import backup
from dashgen.commands.remote import connect, handlers, plan_remote
from dashgen.errors import EXIT_CANNOT_RUN, EXIT_FOUND, EXIT_OK, DashgenError
from dashgen.managed import SAVE_MESSAGE_PREFIX
from dashgen.resources.base import WriteContext
from dashgen.sync.execute import execute
from dashgen.sync.render import outcome_lines, plan_lines


def main(*, project: Path | None, env: str | None, dry_run: bool, prune: bool, force: bool, yes: bool,
         parallel: int) -> int:
    if parallel < 1:
        raise DashgenError("--parallel must be 1 or more")
    remote = connect(project, env)
    plan = plan_remote(remote, parallel=parallel)
    for line in plan_lines(plan, prune=prune):
        typer.echo(line)
    todo = [change for level in plan.levels(prune=prune) for change in level]
    if not todo:
        typer.echo("nothing to apply")
        return EXIT_OK
    conflicts = [c for c in todo if c.conflict is not None]
    if conflicts and not force:
        names = ", ".join(f"{c.kind} {c.uid}" for c in conflicts)
        typer.echo(f"dashgen: apply stopped: {names} was edited in Grafana since dashgen saved it; the diff above "
                   "is what applying would undo. Move the edit into the code, or re-run with --force to overwrite "
                   "it (the live version is backed up first).", err=True)
        return EXIT_FOUND
    if dry_run:
        typer.echo("dry run: nothing written")
        return EXIT_OK
    if not yes:
        if not sys.stdin.isatty():
            raise DashgenError("refusing to apply without --yes: standard input is not a terminal")
        if not typer.confirm(f"Apply {len(todo)} change(s) to {remote.env_name}?", default=False):
            typer.echo("nothing written")
            return EXIT_FOUND
    directory, saved = backup(remote.project.root, remote.env_name, todo, datetime.now(UTC))
    if saved:
        typer.echo(f"backed up {saved} live object(s) to {directory}")
    context = WriteContext(message=save_message(remote.project.root))
    outcomes = execute(plan, handlers(), remote.client, context, prune=prune, parallel=parallel)
    for line in outcome_lines(outcomes):
        typer.echo(line)
    if any(o.status != "written" for o in outcomes):
        typer.echo("dashgen: error: apply did not finish; the lines above say what was written. "
                   "Fix the cause and run apply again: it converges.", err=True)
        return EXIT_CANNOT_RUN
    return EXIT_OK


def save_message(project_root: Path) -> str:
    """`dashgen <version>` plus the git commit (and `-dirty`) when the project is a git checkout."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(project_root), *args], capture_output=True, text=True,
                                  timeout=5, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "--short=12", "HEAD")
    if commit is None:
        return f"{SAVE_MESSAGE_PREFIX}{__version__}"
    dirty = "-dirty" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"{SAVE_MESSAGE_PREFIX}{__version__} (commit {commit}{dirty})"

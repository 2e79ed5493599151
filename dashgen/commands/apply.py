"""`dashgen apply`: plan, show, confirm, back up, then write only what changed, in dependency order."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer

from dashgen.backups import backup
from dashgen.commands.remote import connect, plan_remote
from dashgen.console import err, out
from dashgen.errors import EXIT_CANNOT_RUN, EXIT_FOUND, EXIT_OK, DashgenError
from dashgen.sync.context import write_context
from dashgen.sync.execute import execute
from dashgen.sync.plan import foreign
from dashgen.sync.render import outcome_lines, plan_lines


def main(*, project: Path | None, env: str | None, dry_run: bool, prune: bool, force: bool, yes: bool,
         parallel: int, update_secrets: bool = False) -> int:
    remote = connect(project, env, parallel=parallel, lint_as="apply")
    plan = plan_remote(remote, prune=prune, update_secrets=update_secrets)
    out(f"# {remote.describe()}")
    for line in plan_lines(plan, prune=prune):
        out(line)
    todo = [change for level in plan.levels(prune=prune) for change in level]
    if not todo:
        out("nothing to apply")
        return EXIT_OK
    if plan.refused:
        names = "; ".join(f"{c.kind} {c.uid} is {foreign(c.live)}" for c in plan.refused)
        raise DashgenError(f"apply refused, nothing written: {names}")
    conflicts = [c for c in todo if c.conflict is not None]
    if conflicts and not force:
        names = ", ".join(f"{c.kind} {c.uid}" for c in conflicts)
        err(f"dashgen: apply stopped: {names} was edited in Grafana since dashgen wrote it; the diff above "
            "is what applying would undo. Move the edit into the code, or re-run with --force to overwrite "
            "it (the live version is backed up first).")
        return EXIT_FOUND
    context = write_context(remote.project.config, remote.project.root, todo, prune=prune, environ=os.environ)
    if dry_run:
        out("dry run: nothing written")
        return EXIT_OK
    if not yes:
        if not sys.stdin.isatty():
            raise DashgenError("refusing to apply without --yes: standard input is not a terminal")
        if not typer.confirm(f"Apply {len(todo)} change(s) to {remote.env_name}?", default=False):
            out("nothing written")
            return EXIT_FOUND
    directory, saved = backup(remote.project.root, remote.env_name, todo, datetime.now(UTC))
    if saved:
        out(f"backed up {saved} live object(s) to {directory}")
    outcomes = execute(plan, remote.kinds, remote.client, context, prune=prune, parallel=parallel)
    for line in outcome_lines(outcomes):
        out(line)
    if any(o.status != "written" for o in outcomes):
        err("dashgen: error: apply did not finish; the lines above say what was written (and confirmed by "
            "Grafana). Fix the cause and run apply again: it converges.")
        return EXIT_CANNOT_RUN
    return EXIT_OK

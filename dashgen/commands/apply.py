"""`dashgen apply`: plan, show, confirm, back up, then write only what changed, in dependency order."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer

from dashgen import __version__
from dashgen.backups import backup
from dashgen.commands.remote import Remote, connect, plan_remote
from dashgen.console import err, out
from dashgen.errors import EXIT_CANNOT_RUN, EXIT_FOUND, EXIT_OK, DashgenError
from dashgen.kinds.base import WriteContext
from dashgen.kinds.provisioning import check_provenance
from dashgen.managed import SAVE_MESSAGE_PREFIX, secret_variables
from dashgen.redact import redact
from dashgen.sync.execute import execute
from dashgen.sync.plan import Change, foreign
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
    context = write_context(remote, todo, prune=prune)  # secrets and provenance are checked before any write
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


def write_context(remote: Remote, todo: list[Change], *, prune: bool) -> WriteContext:
    """Everything writes need, checked up front: a missing secret or a provenance Grafana would refuse stops
    the apply before its first write."""
    alerting = remote.project.config.alerting
    headers = {"X-Disable-Provenance": "true"} if alerting is not None and alerting.provenance == "editable" else {}
    secrets: dict[str, str] = {}
    for change in todo:
        if change.kind == "contact-point" and change.desired is not None:
            for variable in secret_variables(change.desired.body).values():
                value = os.environ.get(variable, "").strip()
                if not value:
                    raise DashgenError(f"contact point {change.uid}: ${variable} is not set: export the secret in "
                                       "it (nothing was written)")
                secrets[variable] = value
                redact.add(value)
        if headers and change.live is not None and change.live.provenance == "api":
            check_provenance(f"{change.kind} {change.uid}", change.live.provenance, WriteContext("", headers=headers))
    return WriteContext(message=save_message(remote.project.root), prune=prune, secrets=secrets, headers=headers)


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

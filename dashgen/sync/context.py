"""What every write of an apply carries (dashgen.kinds.base.WriteContext), settled before the first write: the
save message, the contact points' secrets, and the provenance header. A missing secret, or a provenance Grafana
would refuse, stops the apply before anything is written."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from dashgen import __version__, processes
from dashgen.config import Config
from dashgen.errors import DashgenError
from dashgen.kinds.base import WriteContext
from dashgen.kinds.provisioning import check_provenance
from dashgen.managed import SAVE_MESSAGE_PREFIX, secret_variables
from dashgen.redact import redact
from dashgen.sync.plan import Change


def write_context(config: Config, project_root: Path, todo: Sequence[Change], *, prune: bool,
                  environ: Mapping[str, str]) -> WriteContext:
    """Secrets are read from `environ` (the variables dashgen.yaml names) and registered for redaction."""
    alerting = config.alerting
    headers = {"X-Disable-Provenance": "true"} if alerting is not None and alerting.provenance == "editable" else {}
    secrets: dict[str, str] = {}
    for change in todo:
        if change.kind == "contact-point" and change.desired is not None:
            for variable in secret_variables(change.desired.body).values():
                value = environ.get(variable, "").strip()
                if not value:
                    raise DashgenError(f"contact point {change.uid}: ${variable} is not set: export the secret in "
                                       "it (nothing was written)")
                secrets[variable] = value
                redact.add(value)
        if headers and change.live is not None and change.live.provenance == "api":
            check_provenance(f"{change.kind} {change.uid}", change.live.provenance, WriteContext("", headers=headers))
    return WriteContext(message=save_message(project_root), prune=prune, secrets=secrets, headers=headers)


def save_message(project_root: Path) -> str:
    """`dashgen <version>` plus the git commit (and `-dirty`) when the project is a git checkout."""
    def git(*args: str) -> str | None:
        try:
            done = processes.git(list(args), project_root, timeout_s=5)
        except (OSError, subprocess.SubprocessError):  # no git, or one that hangs: no commit in the message
            return None
        return done.stdout.decode(errors="replace").strip() if done.returncode == 0 else None

    commit = git("rev-parse", "--short=12", "HEAD")
    if commit is None:
        return f"{SAVE_MESSAGE_PREFIX}{__version__}"
    dirty = "-dirty" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"{SAVE_MESSAGE_PREFIX}{__version__} (commit {commit}{dirty})"

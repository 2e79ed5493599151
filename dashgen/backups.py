"""Backups of every live object before dashgen overwrites or deletes it:
`.dashgen/backups/<env>/<UTC time>/<kind>/<uid>.json`, the full API answer as Grafana gave it (redacted: a
secret a server echoed back never reaches the disk)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from dashgen.jsonfile import dumps
from dashgen.outputs import write_text
from dashgen.redact import redact
from dashgen.sync.plan import Change

BACKUP_DIR = Path(".dashgen") / "backups"


def backup(project_root: Path, env_name: str, changes: Sequence[Change], now: datetime) -> tuple[Path, int]:
    """Write the live side of every update and delete; returns the directory and how many were saved."""
    base = project_root / BACKUP_DIR / env_name
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    directory, n = base / stamp, 1
    while directory.exists():
        n += 1
        directory = base / f"{stamp}-{n}"
    saved = 0
    for change in changes:
        if change.live is not None and change.action in ("update", "delete"):
            write_text(directory / change.kind / f"{_file_name(change.uid)}.json", redact(dumps(change.live.raw)),
                       mode=0o600)  # live objects as Grafana gave them: for the operator, not for CI to publish
            saved += 1
    return directory, saved


def _file_name(uid: str) -> str:
    """Rule groups are `<folder>/<group>`: one file, not a directory per folder."""
    return uid.replace("/", "__")

"""Which panels changed since a git ref, for `dashgen preview --base REF`: panel id -> a short reason.

`changed_panels` (pure) compares the two boards' panels by id (ids are stable, derived from each panel's key,
board/ids.py) in the canonical form diff and apply use (kinds/dashboard_canonical.py), so what a UI save or
grafanalib's spelling would change is no change here either. A panel's position is compared within its row
(a collapsed row stores its children where they sit once expanded, so folding an earlier row moves nothing).

`base_dashboard` (I/O) builds the project as it was at REF: `git archive` of the project directory at REF
into a temporary directory, then `dashgen build` there in a subprocess, and reads the board it wrote."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from dashgen.board import walk
from dashgen.errors import DashgenError
from dashgen.kinds.dashboard_canonical import canonical_dashboard
from dashgen.kinds.jsondiff import changed_fields

Json = dict[str, Any]

# The first matching prefix of a changed field's path names the reason; in this order in the reason text.
REASONS = (
    ("type", "type changed"),
    ("title", "title changed"),
    ("targets", "query changed"),
    ("fieldConfig.defaults.unit", "unit changed"),
    ("fieldConfig.defaults.thresholds", "thresholds changed"),
    ("fieldConfig.defaults.min", "min/max changed"),
    ("fieldConfig.defaults.max", "min/max changed"),
    ("fieldConfig.defaults.decimals", "decimals changed"),
    ("fieldConfig.overrides", "overrides changed"),
    ("options.legend", "legend changed"),
    ("transformations", "transformations changed"),
    ("description", "description changed"),
    ("repeat", "repeat changed"),
    ("fieldConfig", "display changed"),
    ("options", "display changed"),
)


def changed_panels(base_dashboard: Json | None, head_dashboard: Json) -> dict[int, str]:
    """Panel id -> why it differs from the base board ("new panel", "query changed, unit changed", "moved",
    ...), for every panel of `head_dashboard` that differs; None as the base: every panel is new."""
    head = _by_id(head_dashboard)
    base = _by_id(base_dashboard) if base_dashboard is not None else {}
    found: dict[int, str] = {}
    for panel_id, (row, place, panel) in head.items():
        if panel_id not in base:
            found[panel_id] = "new panel"
            continue
        base_row, base_place, base_panel = base[panel_id]
        reasons = _reasons(base_panel, panel)
        if base_row != row:
            reasons.append(f"moved to row {row}" if row else "moved above the first row")
        elif base_place != place:
            reasons.append("resized" if base_place[:2] == place[:2] else "moved")
        if reasons:
            found[panel_id] = ", ".join(reasons)
    return found


def _by_id(dashboard: Json) -> dict[int, tuple[str, tuple[int, ...], Json]]:
    """Panel id -> (row title, (x, y within the row, w, h), the canonical panel without its place and id)."""
    found: dict[int, tuple[str, tuple[int, ...], Json]] = {}
    for row in walk.rows(canonical_dashboard(dashboard)):
        top = min((int(p.get("gridPos", {}).get("y", 0)) for p in row.panels), default=0)
        for panel in row.panels:
            if "id" not in panel:
                continue
            grid = panel.get("gridPos", {})
            place = (int(grid.get("x", 0)), int(grid.get("y", 0)) - top, int(grid.get("w", 0)), int(grid.get("h", 0)))
            rest = {k: v for k, v in panel.items() if k not in ("gridPos", "id")}
            found[int(panel["id"])] = (row.title, place, rest)
    return found


def _reasons(before: Json, after: Json) -> list[str]:
    reasons: list[str] = []
    for path in changed_fields(before, after):
        reason = next((text for prefix, text in REASONS if path == prefix or path.startswith(prefix + ".")),
                      f"{path} changed")
        if reason not in reasons:
            reasons.append(reason)
    order = {text: n for n, (_, text) in enumerate(REASONS)}
    return sorted(reasons, key=lambda r: order.get(r, len(order)))


def base_dashboard(project_root: Path, ref: str, uid: str | None = None) -> Json | None:
    """The board of the project at git REF, built by `dashgen build` in a subprocess (the one of `uid` if the
    base builds several); None when the project or board did not exist at REF. A ref git does not know, or a
    base that does not build, is a DashgenError."""
    top = _git(project_root, "rev-parse", "--show-toplevel", what="find the git repository of the project").strip()
    relative = project_root.resolve().relative_to(Path(top).resolve()).as_posix()
    try:
        _git(project_root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what="")
    except DashgenError:
        raise DashgenError(f"--base {ref}: git knows no commit of that name in {top}") from None
    with tempfile.TemporaryDirectory(prefix="dashgen-base-") as tmp:
        archive = subprocess.run(["git", "-C", top, "archive", "--format=tar", ref, "--", relative or "."],
                                 capture_output=True, check=False)
        if archive.returncode != 0:
            if b"did not match any files" in archive.stderr:
                return None
            raise DashgenError(f"--base {ref}: git archive failed: {_last_line(archive.stderr)}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        root = Path(tmp) / relative
        if not (root / "dashgen.yaml").is_file():
            return None
        out = Path(tmp) / ".dashgen-base-build"
        command = [sys.executable, "-m", "dashgen", "build", "--project", str(root), "--out-dir", str(out)]
        build = subprocess.run(command, capture_output=True, check=False, cwd=tmp)
        if build.returncode != 0:
            raise DashgenError(f"--base {ref}: the project at {ref} does not build: {_last_line(build.stderr)}")
        boards = sorted((out / "dashboards").glob("*.json"))
        chosen = next((b for b in boards if b.stem == uid), boards[0] if len(boards) == 1 else None)
        if chosen is None:
            return None
        board: Json = json.loads(chosen.read_text(encoding="utf-8"))
        return board


def _git(directory: Path, *args: str, what: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(directory), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise DashgenError("--base needs git, which is not on PATH") from None
    if done.returncode != 0:
        raise DashgenError(f"cannot {what}: {_last_line(done.stderr)}" if what else _last_line(done.stderr))
    return done.stdout


def _last_line(stderr: bytes | str) -> str:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"

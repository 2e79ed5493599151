"""One PNG per changed panel, taken by the installed Chromium in headless mode (I/O; no Python dependency).

The page draws one panel alone at its pixel size when its address ends in `#panel=<id>` (page.py, preview.js);
Chromium opens the page from a temporary file with a window of exactly that size and writes a screenshot
(`--screenshot`, after `--virtual-time-budget` lets the page's script finish). Each run has its own empty
profile directory and no network features; a few run at once (bounded). The temporary directory is made where
the caller says (preview: beside the output directory, else the user's cache directory), not in /tmp, which a
snap-packaged Chromium does not see.

Each Chromium runs in its own session (process group) with its output in a file, never a pipe its helper
processes could hold open: on a timeout the whole group is killed, and the group is always killed and the
browser reaped before the next step. `--no-sandbox` only as root (Chromium refuses to start as root without it).
Any failure is a DashgenError; the preview then writes the page without the PNGs and says why.

The browser: $DASHGEN_CHROMIUM, else the first of `chromium`, `chromium-browser`, `google-chrome` on PATH.
Without one the caller writes the page and says how to get the pictures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dashgen.errors import DashgenError
from dashgen.kinds.parallel import pmap
from dashgen.processes import find_binary, kill_group

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
ENV = "DASHGEN_CHROMIUM"
PARALLEL = 4
TIMEOUT_S = 60
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FLAGS = ("--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--force-device-scale-factor=1", "--virtual-time-budget=5000")


@dataclass(frozen=True)
class Shot:
    panel_id: int
    title: str
    width: int
    height: int

    @property
    def name(self) -> str:
        return f"panel-{self.panel_id}-{slug(self.title)}.png"


def slug(title: str) -> str:
    """A file-name part from a title: lower-case letters, digits and single dashes, at most 48 characters."""
    text = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48].rstrip("-")
    return text or "panel"


def find_browser() -> str | None:
    """$DASHGEN_CHROMIUM (which must name a program), else the first known Chromium on PATH; None: none."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen:
        found = find_binary(chosen)
        if found is None:
            raise DashgenError(f"${ENV} is {chosen!r}, which is not a program that can run")
        return found
    return next((path for name in BROWSERS if (path := find_binary(name)) is not None), None)


def flags() -> tuple[str, ...]:
    """Chromium's flags: `--no-sandbox` only when running as root."""
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    return (*FLAGS, "--no-sandbox") if root else FLAGS


def pictures(html: str, shots: Sequence[Shot], browser: str, *, parallel: int = PARALLEL,
             workdir: Path | None = None) -> dict[str, bytes]:
    """File name -> PNG bytes of each panel of `shots`, drawn from the page `html`; the temporary page and
    profiles in a directory made below `workdir` (the system's temporary directory by default)."""
    if not shots:
        return {}
    try:
        tmp = tempfile.mkdtemp(prefix="dashgen-preview-", dir=workdir)
    except OSError as exc:
        raise DashgenError(f"cannot make a temporary directory for the browser: {exc.strerror}") from None
    running = Running()
    try:
        page = Path(tmp) / "index.html"
        page.write_text(html, encoding="utf-8")
        taken = pmap(lambda shot: _take(browser, page, shot, Path(tmp), running), shots, parallel=parallel,
                     stop=running.stop)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {shot.name: picture for shot, picture in zip(shots, taken, strict=True)}


class Running:
    """The browsers drawing now. On Ctrl-C or SIGTERM (or one failed picture) `stop` kills them all at once: each
    is in a session of its own, which a terminal's Ctrl-C does not reach, and the other threads wait on theirs;
    a browser started after that is killed as it is added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: set[subprocess.Popen[bytes]] = set()
        self._stopped = False

    def add(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.add(process)
            stopped = self._stopped
        if stopped:
            kill_group(process)

    def discard(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.discard(process)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            processes = list(self._processes)
        for process in processes:
            kill_group(process)


def _take(browser: str, page: Path, shot: Shot, tmp: Path, running: Running) -> bytes:
    target = tmp / shot.name
    profile = tempfile.mkdtemp(prefix=f"profile-{shot.panel_id}-", dir=tmp)
    command = [browser, *flags(), f"--user-data-dir={profile}", f"--window-size={shot.width},{shot.height}",
               f"--screenshot={target}", f"{page.as_uri()}#panel={shot.panel_id}"]
    log = tmp / f"chromium-{shot.panel_id}.log"
    try:
        with log.open("wb") as output:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True)
    except OSError as exc:
        raise DashgenError(f"cannot run {browser}: {exc.strerror}") from None
    running.add(process)
    try:
        returncode = process.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise DashgenError(f"{browser} took more than {TIMEOUT_S} s to draw panel {shot.panel_id} "
                           f"({shot.title!r})") from None
    finally:
        kill_group(process)  # helpers left behind (or the browser itself on a timeout or an interrupt)
        running.discard(process)
    picture = target.read_bytes() if target.is_file() else b""
    if returncode != 0 or not picture.startswith(PNG_SIGNATURE):
        lines = [line for line in log.read_text("utf-8", "replace").splitlines() if line.strip() and "dbus" not in line]
        why = lines[-1].strip() if lines else f"exit status {returncode}, no picture"
        raise DashgenError(f"{browser} could not draw panel {shot.panel_id} ({shot.title!r}): {why[:300]}")
    return picture

"""One PNG per changed panel, taken by the installed Chromium in headless mode (I/O; no Python dependency).

The page draws one panel alone at its pixel size when its address ends in `#panel=<id>` (page.py, preview.js);
Chromium opens the page from a temporary file with a window of exactly that size and writes a screenshot
(`--screenshot`, after `--virtual-time-budget` lets the page's script finish). Each run has its own empty
profile directory and no network features; a few run at once (bounded).

The browser: $DASHGEN_CHROMIUM, else the first of `chromium`, `chromium-browser`, `google-chrome` on PATH.
Without one the caller writes the page and says how to get the pictures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dashgen.errors import DashgenError
from dashgen.kinds.parallel import pmap

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
ENV = "DASHGEN_CHROMIUM"
PARALLEL = 4
TIMEOUT_S = 60
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
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
        found = shutil.which(chosen)
        if found is None:
            raise DashgenError(f"${ENV} is {chosen!r}, which is not a program that can run")
        return found
    return next((path for name in BROWSERS if (path := shutil.which(name)) is not None), None)


def pictures(html: str, shots: Sequence[Shot], browser: str, *, parallel: int = PARALLEL) -> dict[str, bytes]:
    """File name -> PNG bytes of each panel of `shots`, drawn from the page `html`."""
    if not shots:
        return {}
    with tempfile.TemporaryDirectory(prefix="dashgen-preview-") as tmp:
        page = Path(tmp) / "index.html"
        page.write_text(html, encoding="utf-8")
        taken = pmap(lambda shot: _take(browser, page, shot, Path(tmp)), shots, parallel=parallel)
    return {shot.name: picture for shot, picture in zip(shots, taken, strict=True)}


def _take(browser: str, page: Path, shot: Shot, tmp: Path) -> bytes:
    target = tmp / shot.name
    profile = tempfile.mkdtemp(prefix=f"profile-{shot.panel_id}-", dir=tmp)
    command = [browser, *FLAGS, f"--user-data-dir={profile}", f"--window-size={shot.width},{shot.height}",
               f"--screenshot={target}", f"{page.as_uri()}#panel={shot.panel_id}"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise DashgenError(f"{browser} took more than {TIMEOUT_S} s to draw panel {shot.panel_id} "
                           f"({shot.title!r})") from None
    except OSError as exc:
        raise DashgenError(f"cannot run {browser}: {exc.strerror}") from None
    picture = target.read_bytes() if target.is_file() else b""
    if done.returncode != 0 or not picture.startswith(PNG_SIGNATURE):
        lines = [line for line in done.stderr.decode("utf-8", "replace").splitlines()
                 if line.strip() and "dbus" not in line]
        why = lines[-1].strip() if lines else f"exit status {done.returncode}, no picture"
        raise DashgenError(f"{browser} could not draw panel {shot.panel_id} ({shot.title!r}): {why}")
    return picture

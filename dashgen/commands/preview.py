"""`dashgen preview`: a static HTML page of the board (DIR/index.html) with its data drawn, and with --base REF
the panels changed since REF outlined and listed, one PNG each (DIR/panels/) for a pull-request comment.

The page is written whatever happens to the data: without data (no --prometheus, or the data step says why)
it is the layout alone with a "no data source" note. The PNGs need a Chromium (png.py); without one, or when it
fails or takes too long, the page is still written and stderr says the pictures were not written and why. A
--base ref is resolved first, so a bad one is told before any build. The directory is replaced as a whole, as
build's is, once everything is ready."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from dashgen import console
from dashgen.cache import user_cache_dir
from dashgen.config.environments import select_environment
from dashgen.dsl.location import display_path
from dashgen.errors import EXIT_OK, DashgenError
from dashgen.outputs import check_replaceable, replace_tree
from dashgen.project import compile_project, load_project, protected_dirs

DEFAULT_OUT = "build/preview"  # below the project directory, wherever dashgen runs from
LAYOUT = ("panels",)
TOP_FILES = ("index.html",)


def main(*, project: Path | None, env: str | None, out: Path | None, base: str | None,
         prometheus: str | None) -> int:
    """`out`: as the user typed it (relative to the current directory); None: build/preview/ in the project."""
    from dashgen.preview import png
    from dashgen.preview.changes import changed_panels
    from dashgen.preview.data import load_board_data
    from dashgen.preview.model import board_model, panel_index
    from dashgen.preview.page import render_page
    from dashgen.review import base as sides

    loaded = load_project(project)
    environment = select_environment(loaded.config, env)[1] if env is not None else None
    directory = out if out is not None else loaded.root / DEFAULT_OUT
    check_replaceable(directory, protected_dirs(loaded.root), LAYOUT, TOP_FILES)  # before any slow step
    if base is not None:
        sides.resolve(sides.repository(loaded.root), base)  # a bad ref is told at once, before any build
    with contextlib.ExitStack() as stack:
        at_base = None if base is None else stack.enter_context(sides.BaseBuild(base, project))  # runs meanwhile
        compiled = compile_project(loaded, environment)
        dashboard = compiled.board.dashboard
        changed = None
        if at_base is not None:
            before = [d.body for d in at_base.result() if d.kind == "dashboard" and d.uid == dashboard.get("uid")]
            changed = changed_panels(before[0] if before else None, dashboard)
    model = board_model(dashboard)
    data = load_board_data(compiled, prometheus)
    html = render_page(model, data, changed)
    files: dict[str, str | bytes] = {"index.html": html}
    if changed:
        panels = panel_index(model)
        shots = [png.Shot(panel_id, panels[panel_id]["title"], panels[panel_id]["pixels"]["width"],
                          panels[panel_id]["pixels"]["height"]) for panel_id in sorted(changed) if panel_id in panels]
        browser = png.find_browser()
        if browser is None:
            console.err(f"dashgen: note: no Chromium found, so the {len(shots)} PNG(s) of the changed panels were "
                        f"skipped: install one (apt-get install chromium) or set ${png.ENV} to its path, and run "
                        "preview again")
        else:
            try:
                pictures = png.pictures(html, shots, browser, workdir=_browser_workdir(directory))
            except DashgenError as exc:
                console.err(f"dashgen: note: the PNGs of the changed panels were not written: {exc}")
            else:
                files.update({f"panels/{name}": picture for name, picture in pictures.items()})
    for path in replace_tree(directory, files, protected=protected_dirs(loaded.root), layout=LAYOUT,
                             top_files=TOP_FILES):
        console.out(f"wrote {display_path(str(path))}")
    if data.note:
        console.err(f"dashgen: note: {data.note}: the page shows the layout alone")
    if changed is not None:
        console.out(f"{len(changed)} panel(s) changed since {base}")
    return EXIT_OK


def _browser_workdir(directory: Path) -> Path | None:
    """Where the browser's temporary page goes: beside the output directory when its parent exists and can be
    written (its name not hidden: a snap-packaged Chromium reads no hidden directory of $HOME), else the user's
    cache directory; not /tmp, which a snap-packaged Chromium does not see (None: the system's temporary
    directory, the last resort)."""
    parent = directory.absolute().parent
    if parent.is_dir() and os.access(parent, os.W_OK | os.X_OK):
        return parent
    cache = user_cache_dir()
    try:
        cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return cache

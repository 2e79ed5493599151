"""`dashgen preview`: a static HTML page of the board (DIR/index.html) with its data drawn, and with --base REF
the panels changed since REF outlined and listed, one PNG each (DIR/panels/) for a pull-request comment.

The page is written whatever happens to the data: without data (no --prometheus, or the data step says why)
it is the layout alone with a "no data source" note. The PNGs need a Chromium (png.py); without one the page
is still written and stderr says the pictures were skipped and how to get them. The directory is replaced as
a whole, as build's is, once everything is ready."""

from __future__ import annotations

import contextlib
from pathlib import Path

from dashgen import console
from dashgen.config.environments import select_environment
from dashgen.dsl.location import display_path
from dashgen.errors import EXIT_OK
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
    with contextlib.ExitStack() as stack:
        at_base = None if base is None else stack.enter_context(sides.BaseBuild(base, project))  # runs meanwhile
        compiled = compile_project(loaded, environment)
        dashboard = compiled.board.dashboard
        changed = None
        if at_base is not None:
            sides.resolve(sides.repository(loaded.root), str(base))  # a bad ref is told at once
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
            files.update({f"panels/{name}": picture for name, picture in png.pictures(html, shots, browser).items()})
    for path in replace_tree(directory, files, protected=protected_dirs(loaded.root), layout=LAYOUT,
                             top_files=TOP_FILES):
        console.out(f"wrote {display_path(str(path))}")
    if data.note:
        console.err(f"dashgen: note: {data.note}: the page shows the layout alone")
    if changed is not None:
        console.out(f"{len(changed)} panel(s) changed since {base}")
    return EXIT_OK

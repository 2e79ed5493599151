"""`dashgen pull`: the live managed objects in the files and form `build` writes, so that right after an apply
`diff -r build pulled` shows nothing for any Grafana object. The output directory is replaced as build's is."""

from __future__ import annotations

from pathlib import Path

from dashgen.commands.remote import connect, read_remote
from dashgen.console import err, out
from dashgen.dsl.location import display_path
from dashgen.errors import EXIT_OK
from dashgen.outputs import check_replaceable, replace_tree
from dashgen.project import OUTPUT_LAYOUT, find_root, protected_dirs
from dashgen.redact import redact

DEFAULT_OUT = "pulled"  # below the project directory, wherever dashgen runs from


def main(*, project: Path | None, env: str | None, out_dir: Path | None, parallel: int) -> int:
    """`out_dir`: as the user typed it (relative to the current directory); None: pulled/ in the project."""
    root = find_root(project)
    directory = out_dir if out_dir is not None else root / DEFAULT_OUT
    check_replaceable(directory, protected_dirs(root), OUTPUT_LAYOUT)  # before asking Grafana anything
    remote = connect(project, env, parallel=parallel, lint_as=None)
    desired = {(d.kind, d.uid): d for d in remote.compiled.desired()}
    state = read_remote(remote)
    files: dict[str, str] = {}
    for kind in remote.kinds:
        found = [(key, live) for key, live in sorted(state.objects.items()) if key[0] == kind.kind]
        files.update(kind.files([kind.pulled(live, desired.get(key)) for key, live in found]))
    for path in replace_tree(directory, {name: redact(text) for name, text in files.items()},
                             protected=protected_dirs(root), layout=OUTPUT_LAYOUT):
        out(f"wrote {display_path(str(path))}")
    for kind_name, uid in sorted(set(desired) - set(state.objects)):
        err(f"dashgen: {kind_name} {uid} is not in Grafana ({remote.env_name}) yet")
    out(f"pulled {sum(1 for (k, _) in state.objects if k != 'folder')} object(s) from {remote.env_name}")
    return EXIT_OK

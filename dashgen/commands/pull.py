"""`dashgen pull`: the live managed objects in the files and form `build` writes, so that right after an apply
`diff -r build pulled` shows nothing for any Grafana object."""

from __future__ import annotations

from pathlib import Path

from dashgen.commands.remote import connect, read_remote
from dashgen.console import err, out
from dashgen.errors import EXIT_OK
from dashgen.outputs import write_text
from dashgen.redact import redact


def main(*, project: Path | None, env: str | None, out_dir: Path, parallel: int) -> int:
    remote = connect(project, env, parallel=parallel)
    desired = {(d.kind, d.uid): d for d in remote.compiled.desired()}
    state = read_remote(remote)
    for kind in remote.kinds:
        found = [(key, live) for key, live in sorted(state.objects.items()) if key[0] == kind.kind]
        files = kind.files([kind.pulled(live, desired.get(key)) for key, live in found])
        for relative, text in files.items():
            out(f"wrote {write_text(out_dir / relative, redact(text))}")
    for kind_name, uid in sorted(set(desired) - set(state.objects)):
        err(f"dashgen: {kind_name} {uid} is not in Grafana ({remote.env_name}) yet")
    out(f"pulled {sum(1 for (k, _) in state.objects if k != 'folder')} object(s) from {remote.env_name}")
    return EXIT_OK

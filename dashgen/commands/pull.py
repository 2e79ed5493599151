"""`dashgen pull`: the live managed objects, normalised, in the layout `build` writes."""

from __future__ import annotations

from pathlib import Path

import typer

from dashgen.commands.remote import connect
from dashgen.errors import EXIT_OK
from dashgen.jsonfile import dumps
from dashgen.outputs import write_text
from dashgen.resources.dashboard import DashboardHandler
from dashgen.sync.read import pmap


def main(*, project: Path | None, env: str | None, out: Path, parallel: int) -> int:
    remote = connect(project, env)
    handler = DashboardHandler()
    wanted = {d.uid for d in remote.compiled.desired() if d.kind == handler.kind}
    uids = sorted(wanted | handler.discover(remote.client))
    found = pmap(lambda uid: handler.read(remote.client, {uid}), uids, parallel)
    count = 0
    for live in (live for batch in found for live in batch.values()):
        path = write_text(out / "dashboards" / f"{live.uid}.json", dumps({**live.body, "id": None}))
        typer.echo(f"wrote {path}")
        count += 1
    missing = sorted(wanted - {uid for batch in found for uid in batch})
    for uid in missing:
        typer.echo(f"dashgen: dashboard {uid} is not in Grafana ({remote.env_name}) yet", err=True)
    typer.echo(f"pulled {count} dashboard(s) from {remote.env_name}")
    return EXIT_OK

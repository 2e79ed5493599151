"""`dashgen pull`: the live managed objects, normalised, in the layout `build` writes (so `diff -r` works)."""

from __future__ import annotations

from pathlib import Path

import typer

from dashgen.commands.remote import connect, remote_handlers
from dashgen.errors import EXIT_OK
from dashgen.layout import output_files
from dashgen.outputs import write_text
from dashgen.resources.base import Live
from dashgen.sync.read import read_live


def main(*, project: Path | None, env: str | None, out: Path, parallel: int) -> int:
    remote = connect(project, env)
    desired = remote.compiled.desired()
    state = read_live(remote.client, remote_handlers(remote), desired, parallel=parallel)

    def bodies(kind: str) -> list[dict]:  # type: ignore[type-arg]
        found: list[Live] = [live for (k, _), live in sorted(state.objects.items()) if k == kind]
        return [live.body for live in found]

    policies = bodies("policy")
    files = output_files(dashboards=bodies("dashboard"), rule_groups=bodies("rule-group"),
                         contact_points=bodies("contact-point"), policy=policies[0] if policies else None,
                         mute_timings=bodies("mute-timing"), templates=bodies("template"),
                         alerting=remote.compiled.alerting is not None)
    for relative, text in files.items():
        typer.echo(f"wrote {write_text(out / relative, text)}")
    missing = sorted(f"{d.kind} {d.uid}" for d in desired if (d.kind, d.uid) not in state.objects)
    for name in missing:
        typer.echo(f"dashgen: {name} is not in Grafana ({remote.env_name}) yet", err=True)
    typer.echo(f"pulled {sum(1 for (k, _) in state.objects if k != 'folder')} object(s) from {remote.env_name}")
    return EXIT_OK

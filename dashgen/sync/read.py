"""Reading the live state of everything dashgen manages: every kind at once, each list once per run.

Waves: the health check; then every kind reads concurrently (its lists and the objects the code wants, side by
side); then the managed objects its lists named that the code no longer has; then, only with --prune, the
folders those lived in. The client bounds how many requests are open at once."""

from __future__ import annotations

from collections.abc import Sequence

from dashgen.grafana.client import GrafanaClient
from dashgen.kinds.base import Desired, Kind, Live
from dashgen.kinds.parallel import pmap
from dashgen.sync.plan import FOLDER, Key, LiveState


def read_live(client: GrafanaClient, kinds: Sequence[Kind], desired: Sequence[Desired], *,
              prune: bool = False) -> LiveState:
    def read(kind: Kind) -> dict[str, Live]:
        return kind.read(client, {d.uid for d in desired if d.kind == kind.kind}, prune=prune)

    objects: dict[Key, Live] = {}
    for kind, found in zip(kinds, pmap(read, kinds, parallel=len(kinds)), strict=True):
        objects.update({(kind.kind, uid): live for uid, live in found.items()})
    if prune:  # a folder that only held managed objects the code dropped is read too, so prune can remove it
        wanted = {(d.kind, d.uid) for d in desired}
        parents = {live.parent for key, live in objects.items() if key not in wanted and live.parent}
        folder = next((k for k in kinds if k.kind == FOLDER), None)
        known = {uid for kind, uid in objects if kind == FOLDER}
        if folder is not None and parents - known:
            objects.update({(FOLDER, uid): live for uid, live in folder.read(client, parents - known,
                                                                             prune=True).items()})
    return LiveState(objects=objects)

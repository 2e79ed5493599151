"""Reading the live state of everything dashgen manages, in parallel over a bounded pool."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from dashgen.grafana.client import GrafanaClient
from dashgen.resources.base import Desired, ForeignEdit, Handler, Live
from dashgen.sync.plan import FOLDER, Key, LiveState, differs

T = TypeVar("T")
R = TypeVar("R")


def pmap(function: Callable[[T], R], items: Iterable[T], parallel: int) -> list[R]:
    items = list(items)
    if parallel <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(function, items))


def read_live(client: GrafanaClient, handlers: Sequence[Handler], desired: Sequence[Desired], *,
              parallel: int, prune: bool = False) -> LiveState:
    """Children before parents: a folder that only holds managed objects the code dropped is read too,
    so that --prune can remove it once they are gone."""
    objects: dict[Key, Live] = {}
    extra_parents: set[str] = set()
    for handler in reversed(handlers):
        uids = {d.uid for d in desired if d.kind == handler.kind} | handler.discover(client)
        if handler.kind == FOLDER:
            uids |= extra_parents
        wanted = {d.uid for d in desired if d.kind == handler.kind}
        batches = [uids] if handler.batch_read else [{uid} for uid in sorted(uids)]
        for found in pmap(lambda batch, h=handler: h.read(client, batch), batches, parallel):  # type: ignore[misc]
            for uid, live in found.items():
                objects[(handler.kind, uid)] = live
                if uid not in wanted and live.parent:
                    extra_parents.add(live.parent)
    desired_by_key = {(d.kind, d.uid): d for d in desired}
    by_kind = {h.kind: h for h in handlers}
    suspects = [key for key, live in sorted(objects.items())
                if key not in desired_by_key or differs(by_kind[key[0]], desired_by_key[key], live, prune=prune)]
    edits = pmap(lambda key: by_kind[key[0]].foreign_edit(client, objects[key]), suspects, parallel)
    foreign: dict[Key, ForeignEdit] = {key: edit for key, edit in zip(suspects, edits, strict=True) if edit}
    return LiveState(objects=objects, foreign=foreign)

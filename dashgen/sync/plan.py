"""The plan: for every object, create / update / delete / unchanged, with its changed parts. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from dashgen.resources.base import Desired, Detail, ForeignEdit, Handler, Live

Action = Literal["create", "update", "delete", "unchanged"]
Key = tuple[str, str]  # (kind, uid)
FOLDER = "folder"


@dataclass(frozen=True)
class Change:
    kind: str
    uid: str
    title: str
    action: Action
    desired: Desired | None = None
    live: Live | None = None
    conflict: ForeignEdit | None = None  # edited in Grafana since dashgen last saved it
    details: tuple[Detail, ...] = field(default=())

    @property
    def key(self) -> Key:
        return (self.kind, self.uid)


@dataclass(frozen=True)
class LiveState:
    objects: Mapping[Key, Live]
    foreign: Mapping[Key, ForeignEdit]


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    kinds: tuple[str, ...]  # dependency order: a kind's objects may live in those before it

    def count(self, action: Action) -> int:
        return sum(c.action == action for c in self.changes)

    @property
    def has_differences(self) -> bool:
        return any(c.action != "unchanged" for c in self.changes)

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.conflict is not None]

    def levels(self, *, prune: bool) -> list[list[Change]]:
        """Write order: each kind's creates and updates in dependency order, then (with prune) each kind's
        deletes in reverse order, so a folder is written before its dashboards and deleted after them."""
        writes = [[c for c in self.changes if c.kind == kind and c.action in ("create", "update")]
                  for kind in self.kinds]
        deletes = [[c for c in self.changes if c.kind == kind and c.action == "delete"]
                   for kind in reversed(self.kinds)] if prune else []
        return [level for level in writes + deletes if level]


def differs(handler: Handler, desired: Desired, live: Live, *, prune: bool) -> bool:
    return (handler.to_write(desired, live, prune=prune) != live.body
            or (desired.parent or None) != (live.parent or None))


REFRESHED = Detail("settings", "secrets", "changed", "secrets re-sent from the environment (--update-secrets)")


def make_plan(handlers: Sequence[Handler], desired: Sequence[Desired], state: LiveState, *, prune: bool = False,
              refresh: frozenset[str] = frozenset()) -> Plan:
    """`refresh`: kinds written even when unchanged (contact points with --update-secrets)."""
    by_kind = {h.kind: h for h in handlers}
    wanted = {(d.kind, d.uid) for d in desired}
    changes: list[Change] = []
    for handler in handlers:
        for item in (d for d in desired if d.kind == handler.kind):
            live = state.objects.get((item.kind, item.uid))
            if live is None:
                changes.append(Change(item.kind, item.uid, item.title, "create", desired=item,
                                      details=tuple(handler.details(item.body, None))))
            elif differs(handler, item, live, prune=prune):
                details = handler.details(handler.to_write(item, live, prune=prune), live.body)
                if (item.parent or None) != (live.parent or None):
                    details.append(Detail("settings", "folder", "changed",
                                          f"moves from folder {live.parent or '(root)'} to {item.parent or '(root)'}"))
                changes.append(Change(item.kind, item.uid, item.title, "update", desired=item, live=live,
                                      conflict=state.foreign.get((item.kind, item.uid)),
                                      details=tuple(details)))
            elif handler.kind in refresh:
                changes.append(Change(item.kind, item.uid, item.title, "update", desired=item, live=live,
                                      details=(REFRESHED,)))
            else:
                changes.append(Change(item.kind, item.uid, item.title, "unchanged", desired=item, live=live))
    deleted: set[str] = set()
    for handler in reversed(handlers):
        for key, live in sorted(state.objects.items()):
            if key[0] != handler.kind or key in wanted:
                continue
            if handler.kind == FOLDER and not live.contents <= deleted:
                continue  # it holds objects dashgen does not manage (or keeps): never delete it
            deleted.add(f"{live.kind}:{live.uid}")
            changes.append(Change(live.kind, live.uid, live.title, "delete", live=live,
                                  conflict=state.foreign.get(key),
                                  details=tuple(by_kind[live.kind].details(None, live.body))))
    order = {kind: i for i, kind in enumerate(by_kind)}
    changes.sort(key=lambda c: (order[c.kind], c.action == "delete"))
    return Plan(changes=tuple(changes), kinds=tuple(by_kind))

"""The plan: for every object, create / update / delete / unchanged, with its changed parts. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from dashgen.kinds.base import Desired, Detail, Edit, Kind, Live

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
    conflict: Edit | None = None  # edited in Grafana since dashgen last wrote it
    details: tuple[Detail, ...] = field(default=())
    note: str | None = None  # why a managed-looking object the code dropped is kept

    @property
    def key(self) -> Key:
        return (self.kind, self.uid)


@dataclass(frozen=True)
class LiveState:
    objects: Mapping[Key, Live]


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

    @property
    def refused(self) -> list[Change]:
        """Changes no flag allows: the object belongs to another manager."""
        return [c for c in self.changes if c.action != "unchanged" and foreign(c.live) is not None]

    def levels(self, *, prune: bool) -> list[list[Change]]:
        """Write order: each kind's creates and updates in dependency order, then (with prune) each kind's
        deletes in reverse order, so a folder is written before its dashboards and deleted after them."""
        writes = [[c for c in self.changes if c.kind == kind and c.action in ("create", "update")]
                  for kind in self.kinds]
        deletes = [[c for c in self.changes if c.kind == kind and c.action == "delete"]
                   for kind in reversed(self.kinds)] if prune else []
        return [level for level in writes + deletes if level]


def differs(kind: Kind, desired: Desired, live: Live, *, prune: bool) -> bool:
    """Compared in the kind's canonical form, so what Grafana fills in or a UI save rewrites is no change."""
    code, there = kind.comparable(desired, live, prune=prune)
    return code != there or (desired.parent or None) != (live.parent or None)


def not_prunable(live: Live) -> str | None:
    """Why an object the code no longer has is kept even with --prune. On 12+ Grafana says who manages what: an
    object another tool manages is never deleted, nor one that lacks dashgen's manager annotations and was
    changed since dashgen wrote it (a copy someone saved, tags included) or is a folder dashgen did not create."""
    why = foreign(live)
    if why is not None:
        return why
    if live.annotations is not None and live.manager is None and (live.kind == FOLDER or live.edited is not None):
        return "not marked as dashgen's (no grafana.app/managerId)" + (
            "" if live.kind == FOLDER else " and changed since dashgen wrote it") + ": not pruned"
    return None


def foreign(live: Live | None) -> str | None:
    """Why dashgen must not write or delete a live object: another tool manages it (Grafana 12+)."""
    if live is None or live.manager is None or live.manager.is_dashgen:
        return None
    return (f"managed by {live.manager.describe()}: dashgen never takes over an object another manager owns "
            "(remove it from that manager first, or give dashgen another uid)")


REFRESHED = Detail("settings", "secrets", "changed", "secrets re-sent from the environment (--update-secrets)")


def make_plan(kinds: Sequence[Kind], desired: Sequence[Desired], state: LiveState, *, prune: bool = False,
              refresh: frozenset[str] = frozenset()) -> Plan:
    """`refresh`: kinds written even when unchanged (contact points with --update-secrets). An update or
    delete of an object changed outside dashgen since its last write carries that edit as its conflict."""
    by_kind = {k.kind: k for k in kinds}
    wanted = {(d.kind, d.uid) for d in desired}
    changes: list[Change] = []
    for kind in kinds:
        for item in (d for d in desired if d.kind == kind.kind):
            live = state.objects.get((item.kind, item.uid))
            if live is None:
                changes.append(Change(item.kind, item.uid, item.title, "create", desired=item,
                                      details=tuple(kind.details(kind.canonical(item.body), None))))
            elif differs(kind, item, live, prune=prune):
                details = kind.details(*kind.comparable(item, live, prune=prune))
                if (item.parent or None) != (live.parent or None):
                    details.append(Detail("settings", "folder", "changed",
                                          f"moves from folder {live.parent or '(root)'} to {item.parent or '(root)'}"))
                changes.append(Change(item.kind, item.uid, item.title, "update", desired=item, live=live,
                                      conflict=live.edited, details=tuple(details)))
            elif kind.kind in refresh:
                changes.append(Change(item.kind, item.uid, item.title, "update", desired=item, live=live,
                                      details=(REFRESHED,)))
            else:
                changes.append(Change(item.kind, item.uid, item.title, "unchanged", desired=item, live=live))
    deleted: set[str] = set()
    for kind in reversed(kinds):
        for key, live in sorted(state.objects.items()):
            if key[0] != kind.kind or key in wanted:
                continue
            if kind.kind == FOLDER and not live.contents <= deleted:
                continue  # it holds objects dashgen does not manage (or keeps): never delete it
            kept = not_prunable(live)
            if kept is not None:
                changes.append(Change(live.kind, live.uid, live.title, "unchanged", live=live, note=kept))
                continue
            deleted.add(f"{live.kind}:{live.uid}")
            changes.append(Change(live.kind, live.uid, live.title, "delete", live=live, conflict=live.edited,
                                  details=tuple(kind.details(None, kind.canonical(live.body)))))
    order = {kind: i for i, kind in enumerate(by_kind)}
    changes.sort(key=lambda c: (order[c.kind], c.action == "delete"))
    return Plan(changes=tuple(changes), kinds=tuple(by_kind))

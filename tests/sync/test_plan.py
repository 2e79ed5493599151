"""The pure plan: actions, conflicts, folder safety and write order."""

from __future__ import annotations

from dashgen.resources.base import Desired, ForeignEdit, Live
from dashgen.resources.dashboard import DashboardHandler
from dashgen.resources.folder import FolderHandler
from dashgen.sync.plan import LiveState, make_plan

HANDLERS = [FolderHandler(), DashboardHandler()]
FOLDER = Desired("folder", "f", "F", {"uid": "f", "title": "F"})


def board(uid: str, title: str = "B", parent: str = "f") -> Desired:
    return Desired("dashboard", uid, title, {"uid": uid, "title": title, "panels": []}, parent=parent)


def live(d: Desired, **changes: object) -> Live:
    body = {**d.body, **changes}
    return Live(d.kind, d.uid, d.title, body, raw={"dashboard": body}, version=3, parent=d.parent)


def test_create_update_unchanged() -> None:
    a, b = board("a"), board("b")
    state = LiveState({("folder", "f"): live(FOLDER), ("dashboard", "a"): live(a, title="old")}, {})
    plan = make_plan(HANDLERS, [FOLDER, a, b], state)
    assert [(c.kind, c.uid, c.action) for c in plan.changes] == [
        ("folder", "f", "unchanged"), ("dashboard", "a", "update"), ("dashboard", "b", "create")]
    assert plan.has_differences and not plan.conflicts
    assert [[c.uid for c in level] for level in plan.levels(prune=False)] == [["a", "b"]]


def test_a_folder_move_is_an_update() -> None:
    a = board("a")
    moved = Live("dashboard", "a", "B", dict(a.body), raw={}, version=1, parent="elsewhere")
    plan = make_plan(HANDLERS, [FOLDER, a], LiveState({("folder", "f"): live(FOLDER), ("dashboard", "a"): moved}, {}))
    (change,) = [c for c in plan.changes if c.uid == "a"]
    assert change.action == "update"
    assert change.details[-1].diff == "moves from folder elsewhere to f"


def test_foreign_edits_mark_conflicts_on_updates_and_deletes() -> None:
    a = board("a")
    gone = live(board("gone"))
    edit = ForeignEdit(version=4, by="alice", at="t", message="")
    state = LiveState({("dashboard", "a"): live(a, title="x"), ("dashboard", "gone"): gone},
                      {("dashboard", "a"): edit, ("dashboard", "gone"): edit})
    plan = make_plan(HANDLERS, [a], state)
    assert {c.uid for c in plan.conflicts} == {"a", "gone"}


def test_deletes_only_with_prune_children_before_their_folder() -> None:
    old_folder = Live("folder", "old", "Old", {"uid": "old", "title": "Old"}, raw={},
                      contents=frozenset({"dashboard:gone"}))
    gone = Live("dashboard", "gone", "Gone", {}, raw={}, parent="old")
    plan = make_plan(HANDLERS, [], LiveState({("folder", "old"): old_folder, ("dashboard", "gone"): gone}, {}))
    assert [(c.kind, c.action) for c in plan.changes] == [("folder", "delete"), ("dashboard", "delete")]
    assert plan.levels(prune=False) == []
    assert [[c.kind for c in level] for level in plan.levels(prune=True)] == [["dashboard"], ["folder"]]


def test_a_folder_holding_anything_unmanaged_is_never_deleted() -> None:
    shared = Live("folder", "s", "S", {}, raw={}, contents=frozenset({"dashboard:gone", "dashboard:theirs"}))
    gone = Live("dashboard", "gone", "Gone", {}, raw={}, parent="s")
    plan = make_plan(HANDLERS, [], LiveState({("folder", "s"): shared, ("dashboard", "gone"): gone}, {}))
    assert [(c.kind, c.uid) for c in plan.changes] == [("dashboard", "gone")]

"""The pure plan: actions, conflicts, folder safety and write order."""

from __future__ import annotations

from dashgen.kinds.base import Desired, Edit, Live
from dashgen.kinds.dashboard import DashboardKind
from dashgen.kinds.folder import FolderKind
from dashgen.sync.plan import LiveState, make_plan

KINDS = [FolderKind(), DashboardKind()]
FOLDER = Desired("folder", "f", "F", {"uid": "f", "title": "F"})


def board(uid: str, title: str = "B", parent: str = "f") -> Desired:
    return Desired("dashboard", uid, title, {"uid": uid, "title": title, "panels": []}, parent=parent)


def live(d: Desired, **changes: object) -> Live:
    body = {**d.body, **changes}
    return Live(d.kind, d.uid, d.title, body, raw={"dashboard": body}, version=3, parent=d.parent)


def test_create_update_unchanged() -> None:
    a, b = board("a"), board("b")
    state = LiveState({("folder", "f"): live(FOLDER), ("dashboard", "a"): live(a, title="old")})
    plan = make_plan(KINDS, [FOLDER, a, b], state)
    assert [(c.kind, c.uid, c.action) for c in plan.changes] == [
        ("folder", "f", "unchanged"), ("dashboard", "a", "update"), ("dashboard", "b", "create")]
    assert plan.has_differences and not plan.conflicts
    assert [[c.uid for c in level] for level in plan.levels(prune=False)] == [["a", "b"]]


def test_a_folder_move_is_an_update() -> None:
    a = board("a")
    moved = Live("dashboard", "a", "B", dict(a.body), raw={}, version=1, parent="elsewhere")
    plan = make_plan(KINDS, [FOLDER, a], LiveState({("folder", "f"): live(FOLDER), ("dashboard", "a"): moved}))
    (change,) = [c for c in plan.changes if c.uid == "a"]
    assert change.action == "update"
    assert change.details[-1].diff == "moves from folder elsewhere to f"


def test_edits_outside_dashgen_mark_conflicts_on_updates_and_deletes_only() -> None:
    a, same = board("a"), board("same")
    edit = Edit(by="alice", at="t", reason="its content differs from what dashgen wrote")
    gone = Live("dashboard", "gone", "B", board("gone").body, raw={}, parent="f", edited=edit)
    edited_a = Live("dashboard", "a", "B", {**a.body, "title": "x"}, raw={}, parent="f", edited=edit)
    edited_same = Live("dashboard", "same", "B", dict(same.body), raw={}, parent="f", edited=edit)
    state = LiveState({("dashboard", "a"): edited_a, ("dashboard", "gone"): gone, ("dashboard", "same"): edited_same})
    plan = make_plan(KINDS, [a, same], state)
    assert {c.uid for c in plan.conflicts} == {"a", "gone"}  # "same" already matches the code: nothing to undo


def test_deletes_only_with_prune_children_before_their_folder() -> None:
    old_folder = Live("folder", "old", "Old", {"uid": "old", "title": "Old"}, raw={},
                      contents=frozenset({"dashboard:gone"}))
    gone = Live("dashboard", "gone", "Gone", {}, raw={}, parent="old")
    plan = make_plan(KINDS, [], LiveState({("folder", "old"): old_folder, ("dashboard", "gone"): gone}))
    assert [(c.kind, c.action) for c in plan.changes] == [("folder", "delete"), ("dashboard", "delete")]
    assert plan.levels(prune=False) == []
    assert [[c.kind for c in level] for level in plan.levels(prune=True)] == [["dashboard"], ["folder"]]


def test_a_folder_holding_anything_unmanaged_is_never_deleted() -> None:
    shared = Live("folder", "s", "S", {}, raw={}, contents=frozenset({"dashboard:gone", "dashboard:theirs"}))
    gone = Live("dashboard", "gone", "Gone", {}, raw={}, parent="s")
    plan = make_plan(KINDS, [], LiveState({("folder", "s"): shared, ("dashboard", "gone"): gone}))
    assert [(c.kind, c.uid) for c in plan.changes] == [("dashboard", "gone")]

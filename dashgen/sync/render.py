"""The plan and the outcome of an apply as text lines and as a stable JSON document. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dashgen.sync.execute import Outcome
from dashgen.sync.plan import Change, Plan, foreign

SYMBOL = {"create": "+", "update": "~", "delete": "-", "unchanged": "="}
DETAIL_SYMBOL = {"added": "+", "removed": "-", "changed": "~"}
WORD = {"create": "create", "update": "change", "delete": "delete", "unchanged": "unchanged"}


def _title(change: Change) -> str:
    return f"{change.kind} {change.uid} ({change.title})"


def conflict_line(change: Change) -> str:
    edit = change.conflict
    assert edit is not None
    who = f" by {edit.by}" if edit.by else ""
    when = f" (last saved {edit.at})" if edit.at else ""
    return f"  ! changed outside dashgen{who}{when}: {edit.reason}"


def notes(change: Change) -> list[str]:
    """One line each for what a reader must know about the live object before the diff."""
    found = []
    live = change.live
    if live is not None and live.stored_as is not None:
        found.append(f"stored in Grafana's v2 dashboard schema ({live.stored_as}), not the classic JSON dashgen "
                     "writes: compared by rows, panels and variables")
    why = foreign(live) if change.action != "unchanged" else None
    if why is not None:
        found.append(f"{why}; apply will not write it")
    if change.note is not None:
        found.append(change.note)
    return found


def plan_lines(plan: Plan, *, prune: bool, diffs: bool = True) -> list[str]:
    lines: list[str] = []
    for change in plan.changes:
        suffix = ""
        if change.action == "delete" and not prune:
            suffix = "  (no longer in the code; apply --prune deletes it)"
        lines.append(f"{SYMBOL[change.action]} {_title(change)}: {WORD[change.action]}{suffix}")
        lines.extend(f"  ! {note}" for note in notes(change))
        if change.conflict is not None:
            lines.append(conflict_line(change))
        if change.action in ("update",):
            for detail in change.details:
                fields = f": {', '.join(detail.fields)}" if detail.fields else ""
                lines.append(f"  {DETAIL_SYMBOL[detail.action]} {detail.what} {detail.key}{fields}")
                if diffs and detail.diff:
                    lines.extend(f"    {line}" for line in detail.diff.splitlines())
    lines.append(summary_line(plan))
    return lines


def summary_line(plan: Plan) -> str:
    return (f"plan: {plan.count('create')} to create, {plan.count('update')} to change, "
            f"{plan.count('delete')} to delete, {plan.count('unchanged')} unchanged")


def plan_document(plan: Plan, *, environment: str) -> dict[str, Any]:
    objects = []
    for change in plan.changes:
        item: dict[str, Any] = {"kind": change.kind, "uid": change.uid, "title": change.title,
                                "action": change.action}
        if change.conflict is not None:
            edit = change.conflict
            item["conflict"] = {"by": edit.by, "at": edit.at, "reason": edit.reason}
        if change.live is not None and change.live.stored_as is not None:
            item["stored_as"] = change.live.stored_as
        if change.note is not None:
            item["note"] = change.note
        if change.action != "unchanged" and foreign(change.live) is not None:
            assert change.live is not None and change.live.manager is not None
            item["managed_by"] = {"kind": change.live.manager.kind, "id": change.live.manager.id}
        if change.action == "update":
            item["details"] = [{"what": d.what, "key": d.key, "action": d.action, "fields": list(d.fields),
                                "diff": d.diff} for d in change.details]
        objects.append(item)
    return {
        "environment": environment,
        "differences": plan.has_differences,
        "summary": {action: plan.count(action) for action in ("create", "update", "delete", "unchanged")},
        "objects": objects,
    }


def outcome_lines(outcomes: Sequence[Outcome]) -> list[str]:
    lines = []
    for outcome in outcomes:
        change = outcome.change
        mark = {"written": "done", "failed": "FAILED", "not attempted": "not attempted"}[outcome.status]
        line = f"{mark:>13}  {WORD[change.action]} {_title(change)}"
        if outcome.error:
            line += f": {outcome.error}"
        lines.append(line)
    written = sum(o.status == "written" for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    skipped = sum(o.status == "not attempted" for o in outcomes)
    lines.append(f"apply: {written} written, {failed} failed, {skipped} not attempted")
    return lines

"""Carrying out a plan through the handlers: level by level, each level over a bounded pool.

Every object ends written, failed (with the reason) or not attempted (an earlier level failed), so a
failed apply says exactly what reached Grafana; re-running converges because the plan is recomputed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from dashgen.errors import DashgenError
from dashgen.grafana.client import GrafanaClient
from dashgen.resources.base import Handler, WriteContext
from dashgen.sync.plan import Change, Plan
from dashgen.sync.read import pmap

Status = Literal["written", "failed", "not attempted"]


@dataclass(frozen=True)
class Outcome:
    change: Change
    status: Status
    error: str | None = None


def execute(plan: Plan, handlers: Sequence[Handler], client: GrafanaClient, context: WriteContext, *,
            prune: bool, parallel: int) -> list[Outcome]:
    by_kind = {h.kind: h for h in handlers}

    def apply_one(change: Change) -> Outcome:
        handler = by_kind[change.kind]
        try:
            if change.action == "delete":
                assert change.live is not None
                handler.delete(client, change.live, context)
            else:
                assert change.desired is not None
                handler.write(client, change.desired, change.live, context)
        except DashgenError as exc:
            return Outcome(change, "failed", str(exc))
        return Outcome(change, "written")

    outcomes: list[Outcome] = []
    failed = False
    for level in plan.levels(prune=prune):
        if failed:
            outcomes.extend(Outcome(change, "not attempted") for change in level)
            continue
        results = pmap(apply_one, level, parallel if level[0].kind != "folder" else 1)
        outcomes.extend(results)
        failed = any(o.status == "failed" for o in results)
    return outcomes

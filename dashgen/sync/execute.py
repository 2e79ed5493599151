"""Carrying out a plan through the kinds: level by level, each level over a bounded pool.

Every object ends written, failed (with the reason) or not attempted (an earlier level failed), so a
failed apply says exactly what reached Grafana; re-running converges because the plan is recomputed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from dashgen.errors import DashgenError
from dashgen.grafana.client import GrafanaClient
from dashgen.kinds.base import Kind, WriteContext
from dashgen.kinds.parallel import pmap
from dashgen.sync.plan import Change, Plan

Status = Literal["written", "failed", "not attempted"]


@dataclass(frozen=True)
class Outcome:
    change: Change
    status: Status
    error: str | None = None


def execute(plan: Plan, kinds: Sequence[Kind], client: GrafanaClient, context: WriteContext, *,
            prune: bool, parallel: int) -> list[Outcome]:
    by_kind = {k.kind: k for k in kinds}

    def apply_one(change: Change) -> Outcome:
        kind = by_kind[change.kind]
        try:
            if change.action == "delete":
                assert change.live is not None
                kind.delete(client, change.live, context)
            else:
                assert change.desired is not None
                kind.write(client, change.desired, change.live, context)
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

"""dashgen's subtree of the notification policy tree: the route matching `managed_by=dashgen`.

Grafana only reads and replaces the whole tree, so a write reads it afresh, replaces just that route (or puts
it first, so no catch-all of another team swallows the desk's alerts), and writes the tree back: every other
route, receiver and setting goes back exactly as it came."""

from __future__ import annotations

import copy
from typing import Any

from dashgen.board.normalise import drop_nulls
from dashgen.grafana.client import GrafanaClient
from dashgen.managed import MANAGED_LABEL
from dashgen.resources.base import Desired, Detail, ForeignEdit, Live, WriteContext, detail_action
from dashgen.resources.jsondiff import unified
from dashgen.resources.provisioning import API, check_provenance, send

UID = "dashgen"
MATCHER = [MANAGED_LABEL[0], "=", MANAGED_LABEL[1]]
SERVER_KEYS = ("provenance",)


def _is_ours(route: dict[str, Any]) -> bool:
    return MATCHER in (route.get("object_matchers") or [])


def _ours(tree: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
    for index, route in enumerate(tree.get("routes") or []):
        if _is_ours(route):
            return index, route
    return None


class PolicyHandler:
    kind = "policy"
    batch_read = True

    def normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        cleaned: dict[str, Any] = drop_nulls({k: v for k, v in raw.items() if k not in SERVER_KEYS})
        return cleaned

    def to_write(self, desired: Desired, live: Live | None, *, prune: bool) -> dict[str, Any]:
        return desired.body

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        return [Detail("object", "policy subtree", detail_action(live, desired), unified(live, desired, "policy"))]

    def discover(self, client: GrafanaClient) -> set[str]:
        return {UID} if _ours(client.get(f"{API}/policies") or {}) else set()

    def read(self, client: GrafanaClient, uids: set[str]) -> dict[str, Live]:
        tree = client.get(f"{API}/policies") or {}
        found = _ours(tree)
        if found is None or UID not in uids:
            return {}
        return {UID: Live(kind=self.kind, uid=UID, title="dashgen's subtree", body=self.normalise(found[1]),
                          raw=tree, provenance=tree.get("provenance") or None)}

    def foreign_edit(self, client: GrafanaClient, live: Live) -> ForeignEdit | None:
        return None

    def _write_tree(self, client: GrafanaClient, context: WriteContext, subtree: dict[str, Any] | None) -> None:
        tree = copy.deepcopy(client.get(f"{API}/policies") or {})
        check_provenance("the notification policy tree", tree.get("provenance") or None, context)
        routes = list(tree.get("routes") or [])
        found = _ours(tree)
        if found is not None:
            routes.pop(found[0])
        if subtree is not None:
            routes.insert(found[0] if found is not None else 0, subtree)
        tree["routes"] = routes
        for key in SERVER_KEYS:
            tree.pop(key, None)
        send(client, "PUT", "/policies", context, what="the notification policy tree", body=tree,
             expected=(202, 200))

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        self._write_tree(client, context, desired.body)

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        self._write_tree(client, context, None)

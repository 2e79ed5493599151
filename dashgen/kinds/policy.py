"""dashgen's subtree of the notification policy tree: the route matching `managed_by=dashgen`.

Grafana only reads and replaces the whole tree, so a write reads it afresh, replaces just that route (or puts
it first, so no catch-all of another team swallows dashgen's alerts), and writes the tree back: every other
route, receiver and setting goes back exactly as it came. Grafana re-encodes routes through its Route struct
(empty and default fields dropped, durations in Prometheus' form); the canonical form does the same."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dashgen import durations
from dashgen.jsonfile import dumps
from dashgen.kinds.base import Desired, Detail, KindDefaults, Live, WriteContext, detail_action
from dashgen.kinds.jsondiff import unified
from dashgen.kinds.provisioning import API, alerting_of, check_provenance, compact, send
from dashgen.managed import MANAGED_LABEL

if TYPE_CHECKING:
    from dashgen.grafana.client import GrafanaClient
    from dashgen.project import CompiledProject

UID = "dashgen"
TITLE = "dashgen's subtree"
MATCHER = [MANAGED_LABEL[0], "=", MANAGED_LABEL[1]]
DURATIONS = ("group_wait", "group_interval", "repeat_interval")
SERVER_KEYS = ("provenance",)


def _is_ours(route: dict[str, Any]) -> bool:
    return MATCHER in (route.get("object_matchers") or [])


def _ours(tree: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
    for index, route in enumerate(tree.get("routes") or []):
        if isinstance(route, dict) and _is_ours(route):
            return index, route
    return None


def canonical_route(route: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = compact({k: v for k, v in route.items() if k not in SERVER_KEYS and k != "routes"})
    for key in DURATIONS:
        if isinstance(out.get(key), str):
            out[key] = durations.canonical(out[key])
    if isinstance(out.get("object_matchers"), list):  # Grafana sorts them by name, value, operator
        out["object_matchers"] = sorted(out["object_matchers"], key=lambda m: (m[0], m[2], m[1]) if len(m) == 3
                                        else tuple(m))
    children = [canonical_route(r) for r in route.get("routes") or []]
    if children:
        out["routes"] = children
    return out


class PolicyKind(KindDefaults):
    kind = "policy"

    def desired(self, compiled: CompiledProject) -> list[Desired]:
        alerting = alerting_of(compiled)
        return [Desired(self.kind, UID, TITLE, canonical_route(alerting.policy))]

    def canonical(self, body: dict[str, Any]) -> dict[str, Any]:
        return canonical_route(body)

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        return [Detail("object", "policy subtree", detail_action(live, desired), unified(live, desired, "policy"))]

    def files(self, bodies: Sequence[dict[str, Any]]) -> dict[str, str]:
        return {"alerting/policy.json": dumps(bodies[0] if bodies else {})}

    def read(self, client: GrafanaClient, wanted: set[str], *, prune: bool) -> dict[str, Live]:
        tree = client.get(f"{API}/policies")
        found = _ours(tree)
        if found is None:
            return {}
        return {UID: Live(kind=self.kind, uid=UID, title=TITLE, body=canonical_route(found[1]), raw=tree,
                          provenance=tree.get("provenance") or None)}

    def _write_tree(self, client: GrafanaClient, context: WriteContext, subtree: dict[str, Any] | None) -> None:
        tree = copy.deepcopy(client.get(f"{API}/policies"))  # afresh: others may have changed their routes
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

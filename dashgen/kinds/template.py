"""Notification templates dashgen owns (name `dashgen-...`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dashgen.jsonfile import dumps
from dashgen.kinds.base import Desired, Detail, KindDefaults, Live, WriteContext, detail_action
from dashgen.kinds.jsondiff import unified
from dashgen.kinds.provisioning import alerting_of, check_provenance, is_ours, listed, send

if TYPE_CHECKING:
    from dashgen.grafana.client import GrafanaClient
    from dashgen.project import CompiledProject


class TemplateKind(KindDefaults):
    kind = "template"

    def desired(self, compiled: CompiledProject) -> list[Desired]:
        alerting = alerting_of(compiled)
        return [Desired(self.kind, t["name"], t["name"], self.canonical(t)) for t in alerting.templates]

    def canonical(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"name": body.get("name"), "template": body.get("template", "")}

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        return [Detail("object", "template", detail_action(live, desired), unified(live, desired, "template"))]

    def files(self, bodies: Sequence[dict[str, Any]]) -> dict[str, str]:
        return {"alerting/templates.json": dumps(sorted(bodies, key=lambda t: str(t.get("name"))))}

    def read(self, client: GrafanaClient, wanted: set[str], *, prune: bool) -> dict[str, Live]:
        return {raw["name"]: Live(kind=self.kind, uid=raw["name"], title=raw["name"], body=self.canonical(raw),
                                  raw=raw, version=raw.get("version"), provenance=raw.get("provenance") or None)
                for raw in listed(client, "/templates") if raw.get("name") in wanted or is_ours(raw.get("name"))}

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        what = f"template {desired.uid}"
        body: dict[str, Any] = {"template": desired.body["template"]}
        if live is not None:
            check_provenance(what, live.provenance, context)
            if live.version:
                body["version"] = live.version
        send(client, "PUT", f"/templates/{desired.uid}", context, what=what, body=body, expected=(202, 200))

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        send(client, "DELETE", f"/templates/{live.uid}", context, what=f"template {live.uid}",
             expected=(204, 200, 202))

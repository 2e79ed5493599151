"""Notification templates dashgen owns (name `dashgen-...`)."""

from __future__ import annotations

from typing import Any

from dashgen.grafana.client import GrafanaClient
from dashgen.resources.base import Desired, Detail, ForeignEdit, Live, WriteContext, detail_action
from dashgen.resources.jsondiff import unified
from dashgen.resources.provisioning import check_provenance, listed, managed, send


class TemplateHandler:
    kind = "template"
    batch_read = True

    def normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        return {"name": raw.get("name"), "template": raw.get("template", "")}

    def to_write(self, desired: Desired, live: Live | None, *, prune: bool) -> dict[str, Any]:
        return desired.body

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        return [Detail("object", "template", detail_action(live, desired), unified(live, desired, "template"))]

    def discover(self, client: GrafanaClient) -> set[str]:
        return managed(client, "/templates", "name")

    def read(self, client: GrafanaClient, uids: set[str]) -> dict[str, Live]:
        return {raw["name"]: Live(kind=self.kind, uid=raw["name"], title=raw["name"], body=self.normalise(raw),
                                  raw=raw, provenance=raw.get("provenance") or None)
                for raw in listed(client, "/templates") if raw.get("name") in uids}

    def foreign_edit(self, client: GrafanaClient, live: Live) -> ForeignEdit | None:
        return None

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        what = f"template {desired.uid}"
        if live is not None:
            check_provenance(what, live.provenance, context)
        send(client, "PUT", f"/templates/{desired.uid}", context, what=what,
             body={"template": desired.body["template"]}, expected=(202, 200))

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        send(client, "DELETE", f"/templates/{live.uid}", context, what=f"template {live.uid}",
             expected=(204, 200, 202))

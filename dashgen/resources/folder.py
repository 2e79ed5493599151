"""Folders. dashgen deletes a folder only when it no longer holds anything (checked again just before)."""

from __future__ import annotations

from typing import Any

from dashgen.errors import DashgenError
from dashgen.grafana.client import GrafanaClient
from dashgen.resources.base import Desired, Detail, ForeignEdit, Live, WriteContext, detail_action
from dashgen.resources.jsondiff import unified

COMPARED = ("uid", "title", "parentUid")


class FolderHandler:
    kind = "folder"
    batch_read = False

    def normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        return {k: raw[k] for k in COMPARED if raw.get(k)}

    def to_write(self, desired: Desired, live: Live | None, *, prune: bool) -> dict[str, Any]:
        return desired.body

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        return [Detail("object", "folder", detail_action(live, desired), unified(live, desired, "folder"))]

    def discover(self, client: GrafanaClient) -> set[str]:
        return set()  # folders are pruned only with the managed dashboards they held (see sync.read)

    def read(self, client: GrafanaClient, uids: set[str]) -> dict[str, Live]:
        found = {}
        for uid in sorted(uids):
            raw = client.get(f"/api/folders/{uid}", missing_ok=True)
            if raw is None:
                continue
            found[uid] = Live(kind=self.kind, uid=uid, title=str(raw.get("title", "")), body=self.normalise(raw),
                              raw=raw, version=raw.get("version"), contents=self._contents(client, uid))
        return found

    def _contents(self, client: GrafanaClient, uid: str) -> frozenset[str]:
        dashboards = client.get("/api/search", params={"type": "dash-db", "folderUIDs": uid, "limit": 5000})
        children = client.get("/api/folders", params={"parentUid": uid, "limit": 1000})
        return frozenset([f"dashboard:{d['uid']}" for d in dashboards or []] +
                         [f"folder:{f['uid']}" for f in children or []])

    def foreign_edit(self, client: GrafanaClient, live: Live) -> ForeignEdit | None:
        return None

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        if live is None:
            body: dict[str, Any] = {"uid": desired.uid, "title": desired.title}
            if desired.parent:
                body["parentUid"] = desired.parent
            client.request("POST", "/api/folders", body=body, expected=(200,))
        else:
            client.request("PUT", f"/api/folders/{desired.uid}",
                           body={"title": desired.title, "version": live.version, "overwrite": False})

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        remaining = self._contents(client, live.uid)
        if remaining:
            raise DashgenError(
                f"folder {live.uid} still holds {', '.join(sorted(remaining))}: not deleted (dashgen never deletes a "
                "folder with objects it does not manage)"
            )
        client.request("DELETE", f"/api/folders/{live.uid}")

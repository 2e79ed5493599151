"""Folders. dashgen deletes a folder only when it no longer holds anything (checked again just before)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dashgen.errors import DashgenError
from dashgen.kinds.base import Desired, Detail, KindDefaults, Live, WriteContext, detail_action
from dashgen.kinds.jsondiff import unified
from dashgen.kinds.parallel import pmap, together

if TYPE_CHECKING:
    from dashgen.grafana.client import GrafanaClient
    from dashgen.project import CompiledProject

COMPARED = ("uid", "title", "parentUid")


class FolderKind(KindDefaults):
    kind = "folder"

    def desired(self, compiled: CompiledProject) -> list[Desired]:
        board = compiled.board
        return [Desired(self.kind, board.folder_uid, board.folder_title,
                        {"uid": board.folder_uid, "title": board.folder_title})]

    def canonical(self, body: dict[str, Any]) -> dict[str, Any]:
        return {k: body[k] for k in COMPARED if body.get(k)}

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        return [Detail("object", "folder", detail_action(live, desired), unified(live, desired, "folder"))]

    def files(self, bodies: Sequence[dict[str, Any]]) -> dict[str, str]:
        return {}  # a folder is the board's `folder` setting in dashgen.yaml, not a file

    def read(self, client: GrafanaClient, wanted: set[str], *, prune: bool) -> dict[str, Live]:
        """Folders are never discovered: only the board's folder, and (with prune) the folders that held
        managed objects the code dropped, whose contents are read to tell whether they would be left empty."""
        def one(uid: str) -> Live | None:
            raw = client.get(f"/api/folders/{uid}", missing_ok=True)
            if raw is None:
                return None
            contents = self.contents(client, uid) if prune else frozenset()
            return Live(kind=self.kind, uid=uid, title=str(raw.get("title", "")), body=self.canonical(raw),
                        raw=raw, version=raw.get("version"), contents=contents)

        return {live.uid: live for live in pmap(one, sorted(wanted), parallel=8) if live is not None}

    def contents(self, client: GrafanaClient, uid: str) -> frozenset[str]:
        dashboards, children = together(
            lambda: client.paged("/api/search", {"type": "dash-db", "folderUIDs": uid}),
            lambda: client.paged("/api/folders", {"parentUid": uid}, limit=1000),
        )
        return frozenset([f"dashboard:{d['uid']}" for d in dashboards] + [f"folder:{f['uid']}" for f in children])

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        if live is None:
            body: dict[str, Any] = {"uid": desired.uid, "title": desired.title}
            if desired.parent:
                body["parentUid"] = desired.parent
            answer = client.request("POST", "/api/folders", body=body, expected=(200,)).body
        else:
            answer = client.request("PUT", f"/api/folders/{desired.uid}",
                                    body={"title": desired.title, "version": live.version, "overwrite": False}).body
        if not isinstance(answer, dict) or answer.get("uid") != desired.uid:
            raise DashgenError(f"folder {desired.uid}: Grafana did not confirm the write (no folder in its answer)")

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        remaining = self.contents(client, live.uid)
        if remaining:
            raise DashgenError(
                f"folder {live.uid} still holds {', '.join(sorted(remaining))}: not deleted (dashgen never deletes a "
                "folder with objects it does not manage)"
            )
        client.request("DELETE", f"/api/folders/{live.uid}")

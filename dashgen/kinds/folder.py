"""Folders. dashgen deletes a folder only when it no longer holds anything (checked again just before)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dashgen.errors import DashgenError
from dashgen.grafana import apis
from dashgen.grafana.platform import FOLDER_GROUP, Platform
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
        """The board's folder. Its manager annotations are written when dashgen creates it (a folder dashgen
        finds keeps its own), so they are not compared."""
        board = compiled.board
        notes = apis.manager_annotations(source_path="dashgen.yaml", checksum="", allow_edits=board.allow_ui_edits)
        return [Desired(self.kind, board.folder_uid, board.folder_title,
                        {"uid": board.folder_uid, "title": board.folder_title},
                        annotations={k: v for k, v in notes.items() if v})]

    def canonical(self, body: dict[str, Any]) -> dict[str, Any]:
        return {k: body[k] for k in COMPARED if body.get(k)}

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        return [Detail("object", "folder", detail_action(live, desired), unified(live, desired, "folder"))]

    def files(self, bodies: Sequence[dict[str, Any]]) -> dict[str, str]:
        return {}  # a folder is the board's `folder` setting in dashgen.yaml, not a file

    def read(self, client: GrafanaClient, wanted: set[str], *, prune: bool) -> dict[str, Live]:
        """Folders are never discovered: only the board's folder, and (with prune) the folders that held
        managed objects the code dropped, whose contents are read to tell whether they would be left empty."""
        platform = client.platform()

        def one(uid: str) -> Live | None:
            live = self.read_apis(client, platform, uid) if platform.apis else self.read_legacy(client, uid)
            if live is not None and prune:
                live = dataclasses.replace(live, contents=self.contents(client, uid))
            return live

        return {live.uid: live for live in pmap(one, sorted(wanted), parallel=8) if live is not None}

    def read_legacy(self, client: GrafanaClient, uid: str) -> Live | None:
        raw = client.get(f"/api/folders/{uid}", missing_ok=True)
        if raw is None:
            return None
        return Live(kind=self.kind, uid=uid, title=str(raw.get("title", "")), body=self.canonical(raw),
                    raw=raw, version=raw.get("version"))

    def read_apis(self, client: GrafanaClient, platform: Platform, uid: str) -> Live | None:
        obj = apis.read_object(client, platform.folders(uid), "Folder", uid)
        if obj is None:
            return None
        spec = apis.spec_of(obj)
        notes = apis.notes_of(obj)
        body = {"uid": uid, "title": spec.get("title", ""), "parentUid": notes.get(apis.FOLDER) or None}
        return Live(kind=self.kind, uid=uid, title=str(spec.get("title", "")), body=self.canonical(body), raw=obj,
                    version=apis.resource_version(obj), annotations=notes,
                    manager=apis.manager_of(obj))

    def contents(self, client: GrafanaClient, uid: str) -> frozenset[str]:
        dashboards, children = together(
            lambda: client.paged("/api/search", {"type": "dash-db", "folderUIDs": uid}),
            lambda: client.paged("/api/folders", {"parentUid": uid}, limit=1000),
        )
        return frozenset([f"dashboard:{d['uid']}" for d in dashboards] + [f"folder:{f['uid']}" for f in children])

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        platform = client.platform()
        if platform.apis:
            self.write_apis(client, platform, desired, live, context)
            return
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

    def write_apis(self, client: GrafanaClient, platform: Platform, desired: Desired, live: Live | None,
                   context: WriteContext) -> None:
        """A folder dashgen creates is marked as dashgen's; one it finds keeps its annotations (its manager,
        if any, included): dashgen only retitles it, with the resourceVersion it read."""
        if live is None:
            notes = apis.written_annotations({}, desired.annotations, desired.parent, context.message)
            body = self.object(platform, desired, {"name": desired.uid, "annotations": notes})
            answer = client.request("POST", platform.folders(), body=body, expected=(200, 201)).body
        else:
            notes = {k: v for k, v in (live.annotations or {}).items() if k not in apis.SERVER_NOTES}
            metadata: dict[str, Any] = {"name": desired.uid, "annotations": notes, "resourceVersion": live.version}
            labels = live.raw.get("metadata", {}).get("labels") if isinstance(live.raw, dict) else None
            if isinstance(labels, dict) and labels:
                metadata["labels"] = labels  # others' labels go back as read
            body = self.object(platform, desired, metadata)
            spec = live.raw.get("spec") if isinstance(live.raw, dict) else None
            body["spec"] = {**(spec if isinstance(spec, dict) else {}), "title": desired.title}  # others' fields kept
            answer = client.request("PUT", platform.folders(desired.uid), body=body).body
        apis.checked_object(answer, "Folder", desired.uid, f"saving folder {desired.uid}")

    @staticmethod
    def object(platform: Platform, desired: Desired, metadata: dict[str, Any]) -> dict[str, Any]:
        return {"apiVersion": f"{FOLDER_GROUP}/{platform.folder_version}", "kind": "Folder", "metadata": metadata,
                "spec": {"title": desired.title}}

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        remaining = self.contents(client, live.uid)
        if remaining:
            raise DashgenError(
                f"folder {live.uid} still holds {', '.join(sorted(remaining))}: not deleted (dashgen never deletes a "
                "folder with objects it does not manage)"
            )
        platform = client.platform()
        if platform.apis:
            client.request("DELETE", platform.folders(live.uid), body=apis.delete_options(str(live.version)))
        else:
            client.request("DELETE", f"/api/folders/{live.uid}")

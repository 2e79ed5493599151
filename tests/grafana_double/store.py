"""The double's in-memory Grafana state: folders and dashboards with their version history.

Each method implements one API call's rules (../shared/grafana-api.md) and returns (status, body);
`mode` holds the version-dependent behaviour."""

from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass, field
from typing import Any

Result = tuple[int, Any]
UID = re.compile(r"^[a-zA-Z0-9_-]*$")


@dataclass(frozen=True)
class Mode:
    version: tuple[int, ...] = (11, 6, 0)
    new_layouts: bool = False  # dashboardNewLayouts: on by default from 13.0 (gg#121836), the UI saves v2

    @property
    def apis(self) -> bool:  # serves dashboard.grafana.app and folder.grafana.app at a stable version
        return self.version >= (12,)

    @property
    def legacy_v2_get(self) -> str:
        """What the legacy GET does with a board stored as v2: 12.x answers 406 (pkg/api/dashboard.go),
        13.x down-converts it (the 406 branch is gone, PR #120842)."""
        return "convert" if self.version >= (13,) else "406"

    @property
    def version_triple(self) -> tuple[int, int, int]:
        major, minor, patch = (*self.version, 0, 0, 0)[:3]
        return major, minor, patch

    @property
    def viewer_reads_versions(self) -> bool:  # before 12 the versions list needs permission to save
        return self.version >= (12,)

    @property
    def name_exists_rule(self) -> bool:  # save rule 7, removed in 11.3
        return self.version <= (11, 2, 99)

    @property
    def folder_title_unique(self) -> bool:
        return self.version <= (11, 2, 99)

    @property
    def conflict_status(self) -> int:  # save rule 10
        return 409 if self.version >= (13,) else 412

    @property
    def versions_wrapped(self) -> bool:
        return self.version >= (11, 6)

    @property
    def delete_returns_uid(self) -> bool:
        return self.version >= (11,)


@dataclass
class Version:
    version: int
    created: str
    created_by: str
    message: str
    data: dict[str, Any]


@dataclass
class Dashboard:
    id: int
    uid: str
    folder_uid: str | None
    data: dict[str, Any]
    version: int
    history: list[Version] = field(default_factory=list)
    provisioned: bool = False
    plugin_id: str | None = None
    stored_version: str = "v1"  # the API version it was written at; "v2*": `data` is a v2 spec
    annotations: dict[str, str] = field(default_factory=dict)  # app-platform metadata (12+)
    labels: dict[str, str] = field(default_factory=dict)
    resource_version: int = 0
    created_at: str = ""

    @property
    def is_v2(self) -> bool:
        return self.stored_version.startswith("v2")

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))


@dataclass
class Folder:
    id: int
    uid: str
    title: str
    version: int = 1
    parent_uid: str | None = None
    annotations: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    resource_version: int = 0
    description: str = ""

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "uid": self.uid, "title": self.title,
                                "url": f"/dashboards/f/{self.uid}/", "version": self.version}
        if self.parent_uid:
            body["parentUid"] = self.parent_uid
        return body


def _not_found_dashboard() -> Result:
    return 404, {"message": "Dashboard not found"}


class Store:
    def __init__(self, mode: Mode, namespace: str = "default") -> None:
        self.mode = mode
        self.namespace = namespace
        self.lock = threading.RLock()
        self.folders: dict[str, Folder] = {}
        self.dashboards: dict[str, Dashboard] = {}
        self._next_id = 1
        self._clock = 0
        self._resource_version = 1000

    def next_resource_version(self) -> int:
        """Like etcd's revision: one counter for every write, so a resourceVersion never repeats."""
        self._resource_version += 1
        return self._resource_version

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def now(self) -> str:
        return self._now()

    def _now(self) -> str:
        self._clock += 1
        return f"2026-11-23T{self._clock // 3600 % 24:02d}:{self._clock // 60 % 60:02d}:{self._clock % 60:02d}Z"

    # ---------------------------------------------------------------- folders
    def list_folders(self, parent_uid: str | None, limit: int = 1000, page: int = 1) -> Result:
        children = [f for f in self.folders.values() if (f.parent_uid or None) == (parent_uid or None)]
        return 200, [{k: v for k, v in f.to_json().items() if k in ("id", "uid", "title", "parentUid")}
                     for f in sorted(children, key=lambda f: f.title)][(page - 1) * limit: page * limit]

    def get_folder(self, uid: str) -> Result:
        folder = self.folders.get(uid)
        if folder is None:
            return 404, {"status": "not-found", "message": "folder not found"}
        return 200, folder.to_json()

    def create_folder(self, body: dict[str, Any]) -> Result:
        uid, title = str(body.get("uid") or ""), str(body.get("title") or "")
        if not title.strip():
            return 400, {"message": "folder title cannot be empty"}
        if not UID.match(uid) or len(uid) > 40:
            return 400, {"message": "uid contains illegal characters"}
        if uid in self.folders:
            return 409, {"message": "a folder with the same uid already exists"}
        parent = body.get("parentUid") or None
        if self.mode.folder_title_unique and any(
            f.title == title and f.parent_uid == parent for f in self.folders.values()
        ):
            return 409, {"message": "a folder or dashboard in the general folder with the same name already exists"}
        folder = Folder(id=self._id(), uid=uid or f"auto{self._next_id}", title=title, parent_uid=parent,
                        resource_version=self.next_resource_version())
        self.folders[folder.uid] = folder
        return 200, folder.to_json()

    def update_folder(self, uid: str, body: dict[str, Any]) -> Result:
        folder = self.folders.get(uid)
        if folder is None:
            return 404, {"status": "not-found", "message": "folder not found"}
        if not body.get("overwrite") and body.get("version") != folder.version:
            return 412, {"status": "version-mismatch", "message": "the folder has been changed by someone else"}
        folder.title = str(body.get("title") or folder.title)
        folder.version += 1
        folder.resource_version = self.next_resource_version()
        return 200, folder.to_json()

    def folder_and_descendants(self, uid: str) -> set[str]:
        found, todo = set(), [uid]
        while todo:
            current = todo.pop()
            found.add(current)
            todo += [f.uid for f in self.folders.values() if f.parent_uid == current and f.uid not in found]
        return found

    def delete_folder(self, uid: str) -> Result:
        folder = self.folders.pop(uid, None)
        if folder is None:
            return 404, {"status": "not-found", "message": "folder not found"}
        for dash_uid in [d.uid for d in self.dashboards.values() if d.folder_uid == uid]:
            del self.dashboards[dash_uid]  # Grafana deletes everything inside
        for child in [f.uid for f in self.folders.values() if f.parent_uid == uid]:
            self.delete_folder(child)
        return 200, {"message": "Folder deleted", "title": folder.title, "id": folder.id, "uid": uid}

    # ------------------------------------------------------------- dashboards
    def get_dashboard(self, uid: str) -> Result:
        stored = self.dashboards.get(uid)
        if stored is None:
            return _not_found_dashboard()
        data = copy.deepcopy(stored.data)
        if stored.is_v2:
            if self.mode.legacy_v2_get == "406":
                return 406, {"message": "dashboard api version not supported, use /apis/dashboard.grafana.app/"
                                        f"{stored.stored_version}/namespaces/{self.namespace}/dashboards/{uid} instead"}
            from .v2 import to_v1  # 13.x: a lossy down-conversion, schemaVersion 42, row ids renumbered

            data = {**to_v1(data), "id": stored.id, "uid": uid, "version": stored.version}
        last = stored.history[-1]
        meta: dict[str, Any] = {
            "slug": _slug(stored.title),
            "url": f"/d/{uid}/", "created": stored.history[0].created, "updated": last.created,
            "createdBy": stored.history[0].created_by, "updatedBy": last.created_by, "version": stored.version,
            "provisioned": stored.provisioned, "canSave": True, "canEdit": True,
        }
        if stored.folder_uid:
            meta["folderUid"] = stored.folder_uid
            meta["folderTitle"] = self.folders[stored.folder_uid].title
        if self.mode.apis:
            meta["apiVersion"] = "v0alpha1"  # the legacy API reads through v0alpha1, whatever is stored
        return 200, {"dashboard": data, "meta": meta}

    def save_dashboard(self, body: dict[str, Any], user: str) -> Result:
        dashboard = copy.deepcopy(body.get("dashboard") or {})
        overwrite = bool(body.get("overwrite"))
        message = str(body.get("message") or "")
        folder_uid = body.get("folderUid") or None  # rule 8: no folderUid means the root
        title = str(dashboard.get("title") or "")
        uid = dashboard.get("uid")
        dash_id = dashboard.get("id")
        if not title.strip():
            return 400, {"status": "empty-name", "message": "Dashboard title cannot be empty"}
        if uid is not None and not UID.match(str(uid)):
            return 400, {"status": "bad-request", "message": "uid contains illegal characters"}
        if uid is not None and len(str(uid)) > 40:
            return 400, {"status": "bad-request", "message": "uid too long, max 40 characters"}
        if len(message) > 500:
            return 400, {"status": "bad-request", "message": "message too long, max 500 characters"}
        if folder_uid is not None and folder_uid not in self.folders:
            return 400, {"status": "bad-request", "message": "folder not found"}
        by_id = next((d for d in self.dashboards.values() if dash_id and d.id == dash_id), None)
        if dash_id and by_id is None:  # rule 2
            return 404, {"status": "not-found", "message": "Dashboard not found"}
        by_uid = self.dashboards.get(str(uid)) if uid else None
        if by_id is not None and by_uid is not None and by_id is not by_uid:  # rule 3
            return 400, {"status": "bad-request", "message": "Dashboard with the same uid already exists"}
        existing = by_uid or by_id
        if existing is not None:
            if existing.provisioned:
                return 400, {"status": "bad-request", "message": "Cannot save provisioned dashboard"}
            if (self.mode.version >= (13,) and existing.annotations.get("grafana.app/managerId")
                    and existing.annotations.get("grafana.app/managerAllowsEdits") != "true"):
                # 13.x postDashboard: a managed board that does not allow edits (pkg/api/dashboard.go)
                return 400, {"message": "Cannot save provisioned dashboard"}
            if existing.plugin_id and not overwrite:  # rule 6
                return 412, {"status": "plugin-dashboard", "message": "The dashboard belongs to plugin"}
            if dashboard.get("version") != existing.version and not overwrite:  # rules 1, 5, 10
                return self.mode.conflict_status, (
                    {"status": "version-mismatch", "message": "The dashboard has been changed by someone else"}
                    if self.mode.conflict_status == 412
                    else {"message": "Dashboard already exists. Use overwrite flag to update.",
                          "status": "version-mismatch"}
                )
        if self.mode.name_exists_rule:  # rule 7
            same_name = next((d for d in self.dashboards.values() if d is not existing and d.title == title
                              and d.folder_uid == folder_uid), None)
            if same_name is not None:
                if not overwrite:
                    return 412, {"status": "name-exists",
                                 "message": "A dashboard with the same name in the folder already exists"}
                existing = same_name  # silently replaces it: its id, uid and version are taken
                uid = same_name.uid
        if existing is None:
            new_uid = str(uid) if uid else f"auto{self._id()}"
            existing = Dashboard(id=self._id(), uid=new_uid, folder_uid=folder_uid, data={}, version=0)
            self.dashboards[new_uid] = existing
        if existing.uid != str(uid or existing.uid):
            self.dashboards.pop(existing.uid, None)
            existing.uid = str(uid)
            self.dashboards[existing.uid] = existing
        existing.version += 1
        existing.folder_uid = folder_uid
        dashboard.update({"id": existing.id, "uid": existing.uid, "version": existing.version})
        existing.data = dashboard
        existing.stored_version = "v1"  # a classic body: whatever was stored (v2 too) is replaced
        # the legacy save sends no manager annotations: for kubectl/terraform managers that removes them
        # (apistore/managed.go); the server's own notes stay
        existing.annotations = {k: v for k, v in existing.annotations.items() if k == "grafana.app/createdBy"}
        existing.annotations["grafana.app/updatedBy"] = f"user:{user}"
        existing.resource_version = self.next_resource_version()
        existing.created_at = existing.created_at or self._now()
        existing.history.append(Version(existing.version, self._now(), user, message, copy.deepcopy(dashboard)))
        slug = _slug(existing.title)  # as the GET's meta: the title, slugified (and in the url, as Grafana's)
        result = {"id": existing.id, "uid": existing.uid, "url": f"/d/{existing.uid}/{slug}", "status": "success",
                  "version": existing.version, "slug": slug}
        if folder_uid:
            result["folderUid"] = folder_uid
        return 200, result

    def delete_dashboard(self, uid: str) -> Result:
        stored = self.dashboards.pop(uid, None)
        if stored is None:
            return _not_found_dashboard()
        body: dict[str, Any] = {"title": stored.title, "message": f"Dashboard {stored.title} deleted"}
        if self.mode.delete_returns_uid:
            body["uid"] = stored.uid
        else:
            body["id"] = stored.id
        return 200, body

    def versions(self, uid: str, limit: int, role: str = "Editor") -> Result:
        stored = self.dashboards.get(uid)
        if stored is None:
            return _not_found_dashboard()
        if role == "Viewer" and not self.mode.viewer_reads_versions:
            return 403, {"message": "Permission denied"}
        items = [
            {"id": v.version, "dashboardId": stored.id, "uid": uid, "version": v.version, "created": v.created,
             "createdBy": v.created_by, "parentVersion": v.version - 1, "restoredFrom": 0,
             # pkg/api/dashboard.go GetDashboardVersions rewrites the message: the first version always reads
             # "Initial save", whatever was saved with it
             "message": "Initial save" if v.version == 1 else v.message}
            for v in reversed(stored.history)
        ][:limit]
        return 200, ({"continueToken": "", "versions": items} if self.mode.versions_wrapped else items)

    def search(self, query: dict[str, list[str]]) -> Result:
        kind = (query.get("type") or ["dash-db"])[0]
        tags = query.get("tag", [])
        folders = {uid for value in query.get("folderUIDs", []) for uid in value.split(",") if uid}
        limit = int((query.get("limit") or ["1000"])[0])
        page = int((query.get("page") or ["1"])[0])
        if limit > 5000:
            return 422, {"message": "Limit is above maximum allowed (5000), use page instead"}
        hits: list[dict[str, Any]] = []
        if kind == "dash-db":
            for stored in sorted(self.dashboards.values(), key=lambda d: d.title):
                if not set(tags) <= set(stored.data.get("tags", [])):
                    continue
                if folders and (stored.folder_uid or "general") not in folders:
                    continue
                hit: dict[str, Any] = {"id": stored.id, "uid": stored.uid, "title": stored.title,
                                       "url": f"/d/{stored.uid}/", "type": "dash-db",
                                       "tags": list(stored.data.get("tags", [])), "isStarred": False}
                if stored.folder_uid:
                    hit["folderUid"] = stored.folder_uid
                    hit["folderTitle"] = self.folders[stored.folder_uid].title
                hits.append(hit)
        return 200, hits[(page - 1) * limit: page * limit]


def _slug(title: str) -> str:
    """A dashboard's slug: its title in lower case, runs of other characters one dash."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


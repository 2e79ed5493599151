"""The app-platform API (`/apis`) of the double, for its 12.x and 13.x modes, written to Grafana's source as
researched for issue 10 (../shared/grafana-api.md "Grafana 12 and 13"; sources named on each rule):

- discovery: `GET /apis` (APIGroupList) and `GET /apis/<group>/` per mode: 11.6 serves only alpha dashboard
  versions; 12.x v1beta1 (+ v0alpha1, v2alpha1, v2beta1); 13.x v1 and v2 (+ the older ones); the preferred
  dashboard version is v2/v2beta1 when `dashboardNewLayouts` is on (pkg/registry/apis/dashboard/register.go).
- objects: `metadata.name` = uid, `resourceVersion` a string from one counter, `generation` moves on spec or
  folder changes only; spec id/uid/version stripped on write (mutate.go); server notes createdBy on create,
  updatedBy/updatedTimestamp when spec or folder changed (apistore/prepare.go); the folder is the annotation
  `grafana.app/folder`; label `grafana.app/deprecatedInternalID`.
- reads at another version than stored convert and say so in `status.conversion` (v2.py does the converting).
- create 201, 409 AlreadyExists; update 200, stale resourceVersion 409 Conflict, no resourceVersion
  unconditional, update of a missing name creates it; delete 200 with a Status; errors are Status objects.
- manager rules (apistore/managed.go): 13.x refuses a change of manager kind or identity with 403 naming both;
  12.x with the single "Cannot change resource manager" message; a write without the manager annotations removes
  them for kubectl/terraform (silently), refused for repo.
- folders: 400 "folder is not empty" on delete of a folder holding anything (folders/validate.go).
- a token works only in its own org's namespace (org 1 `default`, org N `org-N`)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .store import UID, Dashboard, Folder, Result, Store
from .v2 import conversion_status, to_v1, ui_save_v2

if TYPE_CHECKING:
    from .server import GrafanaDouble

DASHBOARDS = "dashboard.grafana.app"
FOLDERS = "folder.grafana.app"
MANAGER_KIND, MANAGER_ID, ALLOWS_EDITS = "grafana.app/managedBy", "grafana.app/managerId", \
    "grafana.app/managerAllowsEdits"
FOLDER_NOTE, MESSAGE_NOTE = "grafana.app/folder", "grafana.app/message"
SERVER_NOTES = ("grafana.app/createdBy", "grafana.app/updatedBy", "grafana.app/updatedTimestamp")
CLASSIC = ("v0alpha1", "v1alpha1", "v1beta1", "v1")


def status(code: int, reason: str, message: str, **details: Any) -> Result:
    body: dict[str, Any] = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                            "message": message, "reason": reason, "code": code}
    if details:
        body["details"] = details
    return code, body


def not_found(resource: str, group: str, name: str) -> Result:
    return status(404, "NotFound", f'{resource}.{group} "{name}" not found', name=name, group=group, kind=resource)


def modified(resource: str, group: str, name: str, why: str = "the object has been modified; please apply your "
             "changes to the latest version and try again") -> Result:
    return status(409, "Conflict", f'Operation cannot be fulfilled on {resource}.{group} "{name}": {why}',
                  name=name, group=group, kind=resource)


def served(version: tuple[int, ...], new_layouts: bool) -> dict[str, list[str]]:
    """group -> versions, preferred first (register.go GetGroupVersions per release)."""
    if version >= (13,):
        dashboards = (["v2", "v2beta1", "v2alpha1", "v0alpha1", "v1", "v1beta1"] if new_layouts
                      else ["v1", "v1beta1", "v0alpha1", "v2", "v2beta1", "v2alpha1"])
        folders = ["v1", "v1beta1"]
    elif version >= (12,):
        dashboards = (["v2beta1", "v2alpha1", "v0alpha1", "v1beta1"] if new_layouts
                      else ["v1beta1", "v0alpha1", "v2beta1", "v2alpha1"])
        folders = ["v1beta1"]
    else:  # 11.6: alpha versions only (mcp-grafana against 11.6.14; register.go of that era)
        dashboards, folders = ["v0alpha1", "v1alpha1", "v2alpha1"], ["v0alpha1"]
    return {DASHBOARDS: dashboards, FOLDERS: folders, "iam.grafana.app": ["v0alpha1"]}


def _uid_of(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:24]


class AppPlatform:
    def __init__(self, double: GrafanaDouble) -> None:
        self.double = double
        self.store: Store = double.store
        # what the contract leaves unconfirmed (a PUT without metadata.resourceVersion: Kubernetes' default is an
        # unconditional update) is answered that way, and recorded, so tests can hold dashgen to never sending one
        self.updates: list[str] = []  # every PUT, and those without a resourceVersion:
        self.unconditional_puts: list[str] = []

    @property
    def namespace(self) -> str:
        return self.store.namespace

    def groups(self) -> dict[str, list[str]]:
        return served(self.store.mode.version, self.store.mode.new_layouts)

    # ---------------------------------------------------------------- routes
    def add_routes(self, add: Callable[[str, str, str, Callable[..., Result]], None]) -> None:
        add("GET", "/apis/?", "", lambda q, b: self.discovery())
        add("GET", "/apis/(?P<group>[a-z.]+)/?", "", lambda q, b, group: self.group(group))
        base = "/apis/(?P<group>[a-z.]+)/(?P<version>[a-z0-9]+)/namespaces/(?P<ns>[^/]+)/(?P<resource>[a-z]+)"
        add("GET", base, "", lambda q, b, **p: self.dispatch("list", q, b, **p))
        add("POST", base, "", lambda q, b, **p: self.dispatch("create", q, b, **p))
        add("GET", base + "/(?P<name>[^/]+)", "", lambda q, b, **p: self.dispatch("get", q, b, **p))
        add("PUT", base + "/(?P<name>[^/]+)", "", lambda q, b, **p: self.dispatch("update", q, b, **p))
        add("DELETE", base + "/(?P<name>[^/]+)", "", lambda q, b, **p: self.dispatch("delete", q, b, **p))

    def discovery(self) -> Result:
        return 200, {"kind": "APIGroupList", "apiVersion": "v1",
                     "groups": [self._group(name, versions) for name, versions in sorted(self.groups().items())]}

    def group(self, name: str) -> Result:
        versions = self.groups().get(name)
        if versions is None:
            return 404, {"message": "Not found"}
        return 200, {"kind": "APIGroup", "apiVersion": "v1", **self._group(name, versions)}

    @staticmethod
    def _group(name: str, versions: list[str]) -> dict[str, Any]:
        return {"name": name, "versions": [{"groupVersion": f"{name}/{v}", "version": v} for v in versions],
                "preferredVersion": {"groupVersion": f"{name}/{versions[0]}", "version": versions[0]}}

    def dispatch(self, action: str, query: dict[str, list[str]], body: Any, *, group: str, version: str, ns: str,
                 resource: str, name: str = "") -> Result:
        if version not in self.groups().get(group, []) or (group, resource) not in (
                (DASHBOARDS, "dashboards"), (FOLDERS, "folders")):
            return 404, {"message": "Not found"}
        if ns != self.namespace:
            return status(403, "Forbidden", f"the token's organisation cannot access namespace {ns!r}")
        handler = getattr(self, f"{action}_{resource}")
        result: Result = handler(version, body, query) if action in ("list", "create") else \
            handler(version, name, body, query)
        return result

    # ---------------------------------------------------------- dashboards
    def dashboard_object(self, stored: Dashboard, version: str) -> dict[str, Any]:
        """The board as read at `version`, converting (and saying so) when it is stored at another family."""
        wants_v2 = version.startswith("v2")
        spec = copy.deepcopy(stored.data)
        state: dict[str, Any] = {}
        if wants_v2 and not stored.is_v2:
            spec, state = ui_save_v2(spec, version=version), conversion_status(stored.stored_version)
        elif not wants_v2 and stored.is_v2:
            spec, state = to_v1(spec), conversion_status(stored.stored_version)
        if not wants_v2:
            for key in ("id", "uid", "version"):
                spec.pop(key, None)
        notes = dict(stored.annotations)
        if stored.folder_uid:
            notes[FOLDER_NOTE] = stored.folder_uid
        return {"kind": "Dashboard", "apiVersion": f"{DASHBOARDS}/{version}",
                "metadata": {"name": stored.uid, "namespace": self.namespace, "uid": _uid_of(f"d/{stored.uid}"),
                             "resourceVersion": str(stored.resource_version), "generation": stored.version,
                             "creationTimestamp": stored.created_at or stored.history[0].created,
                             "labels": {**stored.labels, "grafana.app/deprecatedInternalID": str(stored.id)},
                             "annotations": notes},
                "spec": spec, "status": state}

    def list_dashboards(self, version: str, body: Any, query: dict[str, list[str]]) -> Result:
        everything = [self.dashboard_object(d, version) for d in sorted(self.store.dashboards.values(),
                                                                        key=lambda d: d.uid)]
        return 200, self._page("DashboardList", DASHBOARDS, version, everything, query)

    def get_dashboards(self, version: str, name: str, body: Any, query: dict[str, list[str]]) -> Result:
        stored = self.store.dashboards.get(name)
        if stored is None:
            return not_found("dashboards", DASHBOARDS, name)
        return 200, self.dashboard_object(stored, version)

    def create_dashboards(self, version: str, body: Any, query: dict[str, list[str]]) -> Result:
        metadata, spec = self._parts(body)
        name = str(metadata.get("name") or "")
        if metadata.get("resourceVersion"):
            return status(400, "BadRequest", "resourceVersion should not be set on objects to be created")
        if name in self.store.dashboards:
            return status(409, "AlreadyExists", f'dashboards.{DASHBOARDS} "{name}" already exists',
                          name=name, group=DASHBOARDS, kind="dashboards")
        problem = self._check_dashboard(name, spec, metadata)
        if problem is not None:
            return problem
        stored = Dashboard(id=self.store._id(), uid=name, folder_uid=None, data={}, version=0)
        self._write_dashboard(stored, version, metadata, spec, user=self.double.user())
        self.store.dashboards[name] = stored
        return 201, self.dashboard_object(stored, version)

    def update_dashboards(self, version: str, name: str, body: Any, query: dict[str, list[str]]) -> Result:
        metadata, spec = self._parts(body)
        if metadata.get("name") not in (None, name):
            return status(400, "BadRequest", "the name of the object does not match the name on the URL")
        stored = self.store.dashboards.get(name)
        wanted = str(metadata.get("resourceVersion") or "")
        self.updates.append(f"dashboards/{name}")
        if not wanted:
            self.unconditional_puts.append(f"dashboards/{name}")
        if stored is None:
            if wanted:  # apistore GuaranteedUpdate
                return modified("dashboards", DASHBOARDS, name, "the object was deleted")
            # create-on-update is stated nowhere: the strict answer, as for folders (dashgen creates with POST)
            return not_found("dashboards", DASHBOARDS, name)
        if wanted and wanted != str(stored.resource_version):
            return modified("dashboards", DASHBOARDS, name)
        problem = self._check_dashboard(name, spec, metadata) or self._check_manager(
            stored.annotations, self._notes(metadata), "dashboards", DASHBOARDS)
        if problem is not None:
            return problem
        self._write_dashboard(stored, version, metadata, spec, user=self.double.user())
        return 200, self.dashboard_object(stored, version)

    def delete_dashboards(self, version: str, name: str, body: Any, query: dict[str, list[str]]) -> Result:
        stored = self.store.dashboards.get(name)
        if stored is None:
            return not_found("dashboards", DASHBOARDS, name)
        if stored.annotations.get(MANAGER_KIND) == "repo":
            return status(403, "Forbidden", "this resource is managed by a repository")
        stale = self._precondition(body, "dashboards", DASHBOARDS, name, stored.resource_version)
        if stale is not None:
            return stale
        del self.store.dashboards[name]
        return 200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                     "details": {"name": name, "group": DASHBOARDS, "kind": "dashboards",
                                 "uid": _uid_of(f"d/{name}")}}

    def _check_dashboard(self, name: str, spec: dict[str, Any], metadata: dict[str, Any]) -> Result | None:
        """register.go validateCreate/Update: ValidateBasicDashboardProperties; the folder must exist."""
        if not UID.match(name):
            return status(400, "BadRequest", "uid contains illegal characters")
        if not name or len(name) > 40:
            return status(400, "BadRequest", "uid too long, max 40 characters" if name else "missing name")
        if not str(spec.get("title") or ""):
            return status(400, "BadRequest", "Dashboard title cannot be empty")
        if len(self._notes(metadata).get(MESSAGE_NOTE, "")) > 500:
            return status(400, "BadRequest", "message too long, max 500 characters")
        folder = self._notes(metadata).get(FOLDER_NOTE, "")
        if folder and folder not in self.store.folders:
            return not_found("folders", FOLDERS, folder)
        return None

    def _write_dashboard(self, stored: Dashboard, version: str, metadata: dict[str, Any], spec: dict[str, Any],
                         user: str) -> None:
        notes = self._notes(metadata)
        folder = notes.pop(FOLDER_NOTE, "") or None
        notes.pop(MESSAGE_NOTE, None)
        notes.pop("grafana.app/grant-permissions", None)  # honoured on create, never stored (prepare.go)
        data = copy.deepcopy(spec)
        if not version.startswith("v2"):
            for key in ("id", "uid", "version"):  # mutate.go: stripped on write
                data.pop(key, None)
        first = stored.version == 0
        changed = first or data != self._comparable(stored) or folder != stored.folder_uid or \
            version.startswith("v2") != stored.is_v2
        kept = {k: v for k, v in stored.annotations.items() if k in SERVER_NOTES}
        notes = {k: v for k, v in notes.items() if k not in SERVER_NOTES}
        if first:
            kept = {"grafana.app/createdBy": f"service-account:{user}" if user == "dashgen-sa" else f"user:{user}"}
        elif changed:
            kept["grafana.app/updatedBy"] = f"user:{user}"
            kept["grafana.app/updatedTimestamp"] = self.store.now()
        if changed:
            stored.version += 1
        stored.annotations = {**notes, **kept}
        stored.labels = self._labels(metadata)  # the internal id label is the server's (prepare.go)
        stored.folder_uid = folder
        stored.stored_version = version
        stored.resource_version = self.store.next_resource_version()
        stored.created_at = stored.created_at or self.store.now()
        legacy_view = data if version.startswith("v2") else {**data, "id": stored.id, "uid": stored.uid,
                                                            "version": stored.version}
        stored.data = legacy_view
        if changed:
            from .store import Version

            message = self._notes(metadata).get(MESSAGE_NOTE, "")
            stored.history.append(Version(stored.version, self.store.now(), user, message, copy.deepcopy(legacy_view)))

    @staticmethod
    def _comparable(stored: Dashboard) -> dict[str, Any]:
        data = copy.deepcopy(stored.data)
        if not stored.is_v2:
            for key in ("id", "uid", "version"):
                data.pop(key, None)
        return data

    def _check_manager(self, old: dict[str, str], new: dict[str, str], resource: str, group: str) -> Result | None:
        """apistore/managed.go: a manager is kept unless removed by one allowed to; never changed."""
        old_kind, old_id = old.get(MANAGER_KIND, ""), old.get(MANAGER_ID, "")
        new_kind, new_id = new.get(MANAGER_KIND, ""), new.get(MANAGER_ID, "")
        if not old_id or (old_kind, old_id) == (new_kind, new_id):
            return None
        if not new_id:  # a write without the manager annotations removes them
            if old_kind == "repo":
                return status(403, "Forbidden", "Can not remove resource manager from resource")
            return None
        if self.store.mode.version < (13,):
            return status(403, "Forbidden", "Cannot change resource manager; remove the existing manager first, "
                                            "then add the new one")
        if old_kind != new_kind:
            return status(403, "Forbidden", f'Cannot change resource manager kind from "{old_kind}" (identity '
                                            f'"{old_id}") to "{new_kind}" (identity "{new_id}"); remove the existing '
                                            "manager first, then add the new one")
        return status(403, "Forbidden", "Cannot change resource manager identity; remove the existing manager "
                                        "first, then add the new one")

    # ------------------------------------------------------------- folders
    def folder_object(self, folder: Folder, version: str) -> dict[str, Any]:
        notes = dict(folder.annotations)
        if folder.parent_uid:
            notes[FOLDER_NOTE] = folder.parent_uid
        spec: dict[str, Any] = {"title": folder.title}
        if folder.description:
            spec["description"] = folder.description
        return {"kind": "Folder", "apiVersion": f"{FOLDERS}/{version}",
                "metadata": {"name": folder.uid, "namespace": self.namespace, "uid": _uid_of(f"f/{folder.uid}"),
                             "resourceVersion": str(folder.resource_version), "generation": folder.version,
                             "creationTimestamp": "2026-11-23T00:00:00Z",
                             "labels": {**folder.labels, "grafana.app/deprecatedInternalID": str(folder.id)},
                             "annotations": notes},
                "spec": spec, "status": {}}

    def list_folders(self, version: str, body: Any, query: dict[str, list[str]]) -> Result:
        everything = [self.folder_object(f, version) for f in sorted(self.store.folders.values(),
                                                                    key=lambda f: f.uid)]
        return 200, self._page("FolderList", FOLDERS, version, everything, query)

    def get_folders(self, version: str, name: str, body: Any, query: dict[str, list[str]]) -> Result:
        folder = self.store.folders.get(name)
        if folder is None:
            return not_found("folders", FOLDERS, name)
        return 200, self.folder_object(folder, version)

    def create_folders(self, version: str, body: Any, query: dict[str, list[str]]) -> Result:
        metadata, spec = self._parts(body)
        name = str(metadata.get("name") or "")
        problem = self._check_folder(name, spec, metadata)
        if problem is not None:
            return problem
        if name in self.store.folders:
            return status(409, "AlreadyExists", f'folders.{FOLDERS} "{name}" already exists',
                          name=name, group=FOLDERS, kind="folders")
        notes = self._notes(metadata)
        folder = Folder(id=self.store._id(), uid=name, title=str(spec["title"]).strip(),
                        parent_uid=notes.pop(FOLDER_NOTE, "") or None,
                        description=str(spec.get("description") or ""),
                        resource_version=self.store.next_resource_version())
        notes.pop(MESSAGE_NOTE, None)
        folder.annotations = {**{k: v for k, v in notes.items() if k not in SERVER_NOTES},
                              "grafana.app/createdBy": f"user:{self.double.user()}"}
        folder.labels = self._labels(metadata)
        self.store.folders[name] = folder
        return 201, self.folder_object(folder, version)

    def update_folders(self, version: str, name: str, body: Any, query: dict[str, list[str]]) -> Result:
        metadata, spec = self._parts(body)
        folder = self.store.folders.get(name)
        if folder is None:
            return not_found("folders", FOLDERS, name)
        wanted = str(metadata.get("resourceVersion") or "")
        self.updates.append(f"folders/{name}")
        if not wanted:
            self.unconditional_puts.append(f"folders/{name}")
        if wanted and wanted != str(folder.resource_version):
            return modified("folders", FOLDERS, name)
        notes = self._notes(metadata)
        problem = self._check_folder(name, spec, metadata) or self._check_manager(
            folder.annotations, notes, "folders", FOLDERS)
        if problem is not None:
            return problem
        parent = notes.pop(FOLDER_NOTE, "") or None
        notes.pop(MESSAGE_NOTE, None)
        if (folder.title, folder.parent_uid, folder.description) != (str(spec["title"]).strip(), parent,
                                                                      str(spec.get("description") or "")):
            folder.version += 1
        folder.title, folder.parent_uid = str(spec["title"]).strip(), parent
        folder.description = str(spec.get("description") or "")
        kept = {k: v for k, v in folder.annotations.items() if k in SERVER_NOTES}
        folder.annotations = {**{k: v for k, v in notes.items() if k not in SERVER_NOTES}, **kept}
        folder.labels = self._labels(metadata)
        folder.resource_version = self.store.next_resource_version()
        return 200, self.folder_object(folder, version)

    def delete_folders(self, version: str, name: str, body: Any, query: dict[str, list[str]]) -> Result:
        folder = self.store.folders.get(name)
        if folder is None:
            return not_found("folders", FOLDERS, name)
        holds = (any(d.folder_uid == name for d in self.store.dashboards.values())
                 or any(f.parent_uid == name for f in self.store.folders.values())
                 or any(r.get("folderUID") == name for r in self.double.alerting.rules.values()))
        if holds:  # folders/validate.go validateOnDelete: never a cascade through /apis
            return status(400, "BadRequest", "Folder cannot be deleted: folder is not empty", uid="folder.not-empty")
        stale = self._precondition(body, "folders", FOLDERS, name, folder.resource_version)
        if stale is not None:
            return stale
        del self.store.folders[name]
        return 200, self.folder_object(folder, version)

    def _check_folder(self, name: str, spec: dict[str, Any], metadata: dict[str, Any]) -> Result | None:
        """folders/validate.go validateOnCreate/Update."""
        if name in ("general", "sharedwithme") or not UID.match(name) or not name:
            return status(400, "BadRequest", "uid contains illegal characters")
        if len(name) > 40:
            return status(400, "BadRequest", "uid too long, max 40 characters")
        title = str(spec.get("title") or "").strip()
        if not title:
            return status(400, "BadRequest", "folder title cannot be empty")
        if title.lower() == "general":
            return status(400, "BadRequest", "a folder with that name already exists")
        parent = self._notes(metadata).get(FOLDER_NOTE, "")
        if parent and parent not in self.store.folders:
            return not_found("folders", FOLDERS, parent)
        return None

    # ------------------------------------------------------------- shared
    @staticmethod
    def _parts(body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        body = body if isinstance(body, dict) else {}
        metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
        spec = body.get("spec") if isinstance(body.get("spec"), dict) else {}
        return metadata, spec

    @staticmethod
    def _labels(metadata: dict[str, Any]) -> dict[str, str]:
        labels = metadata.get("labels")
        return {str(k): str(v) for k, v in labels.items() if k != "grafana.app/deprecatedInternalID"} \
            if isinstance(labels, dict) else {}

    @staticmethod
    def _precondition(body: Any, resource: str, group: str, name: str, current: int) -> Result | None:
        """DeleteOptions.preconditions.resourceVersion: a delete of an object changed since is refused."""
        wanted = ((body or {}).get("preconditions") or {}).get("resourceVersion") if isinstance(body, dict) else None
        if wanted and str(wanted) != str(current):
            return modified(resource, group, name, f"Precondition failed: ResourceVersion in precondition: {wanted}, "
                                                   f"ResourceVersion in object meta: {current}")
        return None

    @staticmethod
    def _notes(metadata: dict[str, Any]) -> dict[str, str]:
        notes = metadata.get("annotations")
        return {str(k): str(v) for k, v in notes.items()} if isinstance(notes, dict) else {}

    def _page(self, kind: str, group: str, version: str, items: list[dict[str, Any]],
              query: dict[str, list[str]]) -> dict[str, Any]:
        limit = int((query.get("limit") or ["0"])[0]) or len(items) or 1
        start = int((query.get("continue") or ["0"])[0] or 0)
        page = items[start:start + limit]
        metadata: dict[str, Any] = {"resourceVersion": str(self.store._resource_version)}
        if start + limit < len(items):
            metadata["continue"] = str(start + limit)
        return {"kind": kind, "apiVersion": f"{group}/{version}", "metadata": metadata, "items": page}


def namespace_for(org_id: int, stack_id: str | None = None) -> str:
    """pkg/services/apiserver/endpoints/request/namespace.go: stacks-<id> on Cloud, else default / org-N."""
    if stack_id:
        return f"stacks-{stack_id}"
    return "default" if org_id == 1 else f"org-{org_id}"


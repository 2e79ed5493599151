"""Grafana's app-platform objects (`/apis`, Kubernetes style): their annotations, who manages them, and a paged
list. Facts from Grafana's source (pkg/apimachinery/utils/meta.go, manager.go; pkg/storage/unified/apistore/
managed.go, prepare.go):

- `metadata.name` is the dashboard/folder uid; `metadata.resourceVersion` is an opaque string that moves on every
  write; a PUT carrying a stale one is 409 Conflict ("the object has been modified").
- The folder an object lives in is the annotation `grafana.app/folder` ("" = the root).
- An object is managed when `grafana.app/managerId` is non-empty; `grafana.app/managedBy` names the manager's kind
  (repo, terraform, kubectl, plugin, grafana, classic-*); any other kind reads as unmanaged, so dashgen marks its
  objects `kubectl` (as Grafana's own CLI does, a client writing through the API) with id `dashgen`.
- The server refuses to change an object's manager (403); a write without the manager annotations removes them
  (silently for kubectl/terraform), so every write carries them.
- The server sets `grafana.app/createdBy`, `updatedBy`, `updatedTimestamp` itself; the UI sets
  `grafana.app/saved-from-ui` on every save."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dashgen.errors import DashgenError

if TYPE_CHECKING:
    from dashgen.grafana.client import GrafanaClient

FOLDER = "grafana.app/folder"
MESSAGE = "grafana.app/message"  # the history message of a write (at most 500 characters)
MANAGED_BY = "grafana.app/managedBy"
MANAGER_ID = "grafana.app/managerId"
ALLOWS_EDITS = "grafana.app/managerAllowsEdits"
SOURCE_PATH = "grafana.app/sourcePath"
SOURCE_CHECKSUM = "grafana.app/sourceChecksum"
UPDATED_BY = "grafana.app/updatedBy"
UPDATED_AT = "grafana.app/updatedTimestamp"
SAVED_FROM_UI = "grafana.app/saved-from-ui"
MANAGER_KEYS = (MANAGED_BY, MANAGER_ID, ALLOWS_EDITS, SOURCE_PATH, SOURCE_CHECKSUM)
SERVER_NOTES = ("grafana.app/createdBy", UPDATED_BY, UPDATED_AT)  # the server sets these itself

DASHGEN_KIND = "kubectl"
DASHGEN_ID = "dashgen"
LIST_LIMIT = 500


@dataclass(frozen=True)
class Manager:
    kind: str  # grafana.app/managedBy
    id: str  # grafana.app/managerId

    @property
    def is_dashgen(self) -> bool:
        return self.kind == DASHGEN_KIND and self.id == DASHGEN_ID

    def describe(self) -> str:
        names = {"repo": "Git Sync repository", "terraform": "Terraform", "plugin": "plugin",
                 "kubectl": "a kubectl-style client", "grafana": "Grafana"}
        return f"{names.get(self.kind, self.kind)} {self.id!r}" if self.kind else repr(self.id)


def notes_of(obj: Mapping[str, Any]) -> dict[str, str]:
    """The object's annotations."""
    metadata = obj.get("metadata")
    found = metadata.get("annotations") if isinstance(metadata, dict) else None
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def spec_of(obj: Mapping[str, Any]) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def manager_of(obj: Mapping[str, Any]) -> Manager | None:
    notes = notes_of(obj)
    return Manager(notes.get(MANAGED_BY, ""), notes[MANAGER_ID]) if notes.get(MANAGER_ID) else None


def manager_annotations(*, source_path: str, checksum: str, allow_edits: bool) -> dict[str, str]:
    """What dashgen writes on every object it owns."""
    notes = {MANAGED_BY: DASHGEN_KIND, MANAGER_ID: DASHGEN_ID, SOURCE_PATH: source_path, SOURCE_CHECKSUM: checksum}
    if allow_edits:
        notes[ALLOWS_EDITS] = "true"  # absent means false (meta.go SetManagerProperties deletes a false)
    return notes


def written_annotations(live: Mapping[str, str], ours: Mapping[str, str], folder: str | None,
                        message: str) -> dict[str, str]:
    """The annotations a write sends: the live ones kept (others' notes survive), dashgen's manager set replaced,
    the folder and the history message set; the server-owned ones and the UI's save marker dropped."""
    kept = {k: v for k, v in live.items() if k not in (*SERVER_NOTES, SAVED_FROM_UI, *MANAGER_KEYS)}
    return {**kept, **ours, FOLDER: folder or "", MESSAGE: message[:500]}


def name_of(obj: Any) -> str | None:
    metadata = obj.get("metadata") if isinstance(obj, dict) else None
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return name if isinstance(name, str) else None


def checked_object(obj: Any, kind: str, name: str, what: str) -> dict[str, Any]:
    """An answer that must be the `kind` object named `name`, with the resourceVersion a later write is
    conditioned on (without one a PUT would overwrite unconditionally); else it is not Grafana's answer."""
    version = obj.get("metadata", {}).get("resourceVersion") if isinstance(obj, dict) and isinstance(
        obj.get("metadata"), dict) else None
    if not isinstance(obj, dict) or obj.get("kind") != kind or name_of(obj) != name or not (
            isinstance(version, str) and version):
        raise DashgenError(f"{what}: the answer is not the {kind} {name!r} with a resourceVersion (is a proxy in "
                           "front of Grafana?): nothing was written after it")
    return obj


def read_object(client: GrafanaClient, path: str, kind: str, name: str) -> dict[str, Any] | None:
    """GET one object: None when Grafana has none by that name; a DashgenError when the answer is not it."""
    obj = client.get(path, missing_ok=True)
    return None if obj is None else checked_object(obj, kind, name, f"GET {path}")


def resource_version(obj: Mapping[str, Any]) -> str:
    """Of an object `checked_object` accepted."""
    return str(obj["metadata"]["resourceVersion"])


def delete_options(resource_version: str) -> dict[str, Any]:
    """A delete conditioned on the version read: an object changed since is not deleted (409)."""
    return {"kind": "DeleteOptions", "apiVersion": "v1", "preconditions": {"resourceVersion": resource_version}}


def list_all(client: GrafanaClient, path: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every item of a Kubernetes-style list: pages with `limit`/`continue` until `metadata.continue` is absent."""
    found: list[dict[str, Any]] = []
    token = ""
    while True:
        query = {**(params or {}), "limit": LIST_LIMIT, **({"continue": token} if token else {})}
        page = client.get(path, params=query)
        items = page.get("items")
        if not isinstance(items, list):
            raise DashgenError(f"GET {path}: the answer is not a Kubernetes list (no items): nothing was written")
        found.extend(item for item in items if isinstance(item, dict))
        metadata = page.get("metadata") if isinstance(page.get("metadata"), dict) else {}
        token = str(metadata.get("continue") or "")
        if not token:
            return found

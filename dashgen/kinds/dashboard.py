"""Dashboards: saved with the stored version and never with `overwrite`, so Grafana itself refuses to replace
an edit made since dashgen read it (and, up to 11.2, another dashboard with the same title).

Edits made outside dashgen are told by content, not history: every board dashgen writes carries the tag
`dashgen-checksum:<hex>`, the checksum of the canonical form it wrote. A live board whose canonical form still
has that checksum was not changed (a no-op save in the UI rewrites the JSON but not its canonical form); one
whose canonical form differs, or that lost the tag, was. Tags are kept verbatim by the UI's save model, unlike
unknown top-level keys, which it drops."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dashgen.board import walk
from dashgen.errors import DashgenError
from dashgen.grafana import apis
from dashgen.grafana.errors import GrafanaError
from dashgen.grafana.platform import DASHBOARD_GROUP, Platform
from dashgen.jsonfile import dumps
from dashgen.kinds import dashboard_outline as outline
from dashgen.kinds.base import Desired, Detail, Edit, KindDefaults, Live, WriteContext, detail_action
from dashgen.kinds.dashboard_canonical import CHECKSUM_TAG, canonical_dashboard
from dashgen.kinds.jsondiff import changed_fields, unified
from dashgen.kinds.parallel import pmap, together
from dashgen.managed import MANAGED_TAG

if TYPE_CHECKING:
    from dashgen.grafana.client import GrafanaClient
    from dashgen.project import CompiledProject

SERVER_KEYS = ("id", "version")  # Grafana sets these on every save
SOURCE_PATH = "panels/"  # grafana.app/sourcePath of the board: the project's panels/ files make it


def checksum(body: dict[str, Any]) -> str:
    """Of the canonical form: a UI save that changes nothing keeps it, a real edit does not."""
    return hashlib.sha256(dumps(canonical_dashboard(body)).encode()).hexdigest()[:16]


def with_checksum(body: dict[str, Any]) -> dict[str, Any]:
    """The board as dashgen writes it: its tags carry the checksum of its canonical form."""
    tags = [t for t in body.get("tags", []) if not str(t).startswith(CHECKSUM_TAG)]
    return {**body, "tags": [*tags, f"{CHECKSUM_TAG}{checksum(body)}"]}


def written_checksum(dashboard: dict[str, Any]) -> str | None:
    """The checksum dashgen wrote into the board's tags, if any."""
    tags = [str(t) for t in dashboard.get("tags", [])]
    return next((t[len(CHECKSUM_TAG):] for t in tags if t.startswith(CHECKSUM_TAG)), None)


def edit_of(dashboard: dict[str, Any], by: str, at: str, written: str | None = None) -> Edit | None:
    """Pure: whether a live board was changed since dashgen wrote it, and by whom Grafana says. `written`:
    the checksum dashgen recorded (its sourceChecksum annotation on 12+; else the tag in the board)."""
    written = written or written_checksum(dashboard)
    if written is not None and written == checksum(dashboard):
        return None
    reason = ("its content differs from what dashgen wrote" if written is not None
              else "it carries no dashgen checksum (not written by dashgen, or the tag was removed)")
    return Edit(by=by, at=at, reason=reason)


class DashboardKind(KindDefaults):
    kind = "dashboard"

    def __init__(self, managed_tag: str = MANAGED_TAG) -> None:
        self.managed_tag = managed_tag

    # ------------------------------------------------------------- pure
    def desired(self, compiled: CompiledProject) -> list[Desired]:
        board = compiled.board
        body = with_checksum({k: v for k, v in board.dashboard.items() if k not in SERVER_KEYS})
        notes = apis.manager_annotations(source_path=SOURCE_PATH, checksum=str(written_checksum(body)),
                                    allow_edits=board.allow_ui_edits)
        return [Desired(self.kind, board.uid, str(body["title"]), body, parent=board.folder_uid, annotations=notes)]

    def canonical(self, body: dict[str, Any]) -> dict[str, Any]:
        return canonical_dashboard(body)

    def normalise(self, dashboard: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in dashboard.items() if k not in SERVER_KEYS}

    def comparable(self, desired: Desired, live: Live, *, prune: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        """The board's canonical form, and on 12+ dashgen's manager annotations. A board stored in the v2
        schema is compared as a person sees it (dashboard_outline), plus the checksum dashgen last wrote:
        a code change since then is a change even where the outline does not show it."""
        if live.stored_as is not None:
            code_outline = outline.classic(desired.body)
            live_outline = outline.compared(code_outline, outline.v2(live.raw.get("spec", {})))
            code: dict[str, Any] = {"outline": code_outline, "written": written_checksum(desired.body)}
            there: dict[str, Any] = {"outline": live_outline,
                                     "written": (live.annotations or {}).get(apis.SOURCE_CHECKSUM)}
        else:
            code, there = {"board": self.canonical(desired.body)}, {"board": self.canonical(live.body)}
        if live.annotations is not None:
            code["manager"] = dict(desired.annotations)
            there["manager"] = {k: live.annotations[k] for k in apis.MANAGER_KEYS if k in live.annotations}
        return code, there

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        if desired is None or live is None:
            return [Detail("object", "dashboard", detail_action(live, desired), unified(live, desired, "dashboard"))]
        if "outline" in desired:
            found = outline_details(desired["outline"], live["outline"])
            if desired["written"] != live["written"] and not found:
                found.append(Detail("settings", "code", "changed", "the code changed since dashgen last wrote the "
                                    "board, in parts a v2 board does not show (field config, options)"))
        elif "board" in desired:
            found = board_details(desired["board"], live["board"])
        else:
            found = board_details(desired, live)
        if desired.get("manager") != live.get("manager"):
            before, after = live.get("manager"), desired.get("manager")
            found.append(Detail("settings", "manager annotations", "changed", unified(before, after, "annotations"),
                                tuple(changed_fields(before, after))))
        return found

    def files(self, bodies: Sequence[dict[str, Any]]) -> dict[str, str]:
        """Classic boards with `"id": null` (ready to import); a v2 board (pulled as stored) as it is."""
        return {f"dashboards/{d['uid']}.json": dumps(d if "elements" in d else {**d, "id": None}) for d in bodies}

    def pulled(self, live: Live, desired: Desired | None) -> dict[str, Any]:
        """As stored: a v2 board is pulled in the v2 schema (with its uid), not in a lossy conversion."""
        if live.stored_as is not None:
            return {**live.raw.get("spec", {}), "uid": live.uid}
        return live.body

    # -------------------------------------------------------------- I/O
    def read(self, client: GrafanaClient, wanted: set[str], *, prune: bool) -> dict[str, Live]:
        """The managed boards (search by tag, every page: the one search Grafana serves at a stable version on
        every release) and the wanted ones, read concurrently through the API the server offers."""
        platform = client.platform()

        def fetch(uid: str) -> Live | None:
            return self.read_apis(client, platform, uid) if platform.apis else self.read_legacy(client, uid)

        managed, *known = together(
            lambda: {hit["uid"] for hit in client.paged("/api/search", {"type": "dash-db", "tag": self.managed_tag})
                     if isinstance(hit, dict) and "uid" in hit},
            *[(lambda uid=uid: fetch(uid)) for uid in sorted(wanted)],
        )
        found = {live.uid: live for live in known if isinstance(live, Live)}
        extra = sorted(set(managed) - set(found) - wanted)
        found.update({live.uid: live for live in pmap(fetch, extra, parallel=8) if live is not None})
        return found

    def read_legacy(self, client: GrafanaClient, uid: str) -> Live | None:
        try:
            raw = client.get(f"/api/dashboards/uid/{uid}", missing_ok=True)
        except GrafanaError as exc:
            if exc.status == 406:  # 12.x: the board is stored in the v2 schema
                raise DashgenError(f"dashboard {uid} is stored in the v2 schema, which Grafana's legacy API does not "
                                   "serve: set `api: auto` (or apis) for this environment") from None
            raise
        if raw is None:
            return None
        dashboard, meta = raw.get("dashboard"), raw.get("meta")
        if not isinstance(dashboard, dict) or not isinstance(meta, dict) or dashboard.get("uid") != uid:
            raise DashgenError(f"GET /api/dashboards/uid/{uid}: the answer is not a Grafana dashboard "
                               "(no dashboard/meta objects for that uid): nothing was written")
        edited = edit_of(dashboard, str(meta.get("updatedBy") or ""), str(meta.get("updated") or ""))
        return Live(kind=self.kind, uid=uid, title=str(dashboard.get("title", "")), body=self.normalise(dashboard),
                    raw=raw, version=dashboard.get("version", meta.get("version")),
                    parent=meta.get("folderUid") or None, edited=edited)

    def read_apis(self, client: GrafanaClient, platform: Platform, uid: str) -> Live | None:
        obj = apis.read_object(client, platform.dashboards(uid), "Dashboard", uid)
        if obj is None:
            return None
        spec = apis.spec_of(obj)
        body = {**self.normalise(spec), "uid": uid}  # the uid is metadata.name; Grafana strips it from spec
        notes = apis.notes_of(obj)
        by, at = notes.get(apis.UPDATED_BY) or notes.get("grafana.app/createdBy", ""), notes.get(apis.UPDATED_AT, "")
        conversion = (obj.get("status") or {}).get("conversion") if isinstance(obj.get("status"), dict) else None
        conversion = conversion if isinstance(conversion, dict) else {}
        stored = str(conversion.get("storedVersion") or "")
        if conversion.get("failed"):  # Grafana answered a default spec in place of the board it could not convert
            raise DashgenError(f"dashboard {uid}: Grafana could not convert it from {stored or 'its stored version'} "
                               f"({str(conversion.get('error') or 'no reason given')[:200]}): dashgen cannot read it, "
                               "so it writes nothing; fix or delete the board in Grafana")
        live = Live(kind=self.kind, uid=uid, title=str(spec.get("title", "")), body=body, raw=obj,
                    version=apis.resource_version(obj), parent=notes.get(apis.FOLDER) or None,
                    annotations=notes, manager=apis.manager_of(obj),
                    edited=edit_of(body, by, at, notes.get(apis.SOURCE_CHECKSUM)))
        ui = f" from Grafana's UI ({notes[apis.SAVED_FROM_UI]})" if notes.get(apis.SAVED_FROM_UI) else ""
        if not stored.startswith("v2"):
            if live.edited is not None and ui:
                live = dataclasses.replace(live, edited=dataclasses.replace(
                    live.edited, reason=f"{live.edited.reason}; last saved{ui}"))
            return live
        if not platform.serves(DASHBOARD_GROUP, stored):
            raise DashgenError(f"dashboard {uid} is stored as {DASHBOARD_GROUP}/{stored}, which this Grafana does not "
                               "serve: dashgen cannot read it as stored, so it will not touch it")
        # v2alpha1 (12.0's dynamic dashboards) is read at v2beta1, the shape dashboard_outline reads
        read_at = "v2beta1" if stored == "v2alpha1" and platform.serves(DASHBOARD_GROUP, "v2beta1") else stored
        v2_path = platform.dashboards(uid, version=read_at)
        as_stored = apis.checked_object(client.get(v2_path), "Dashboard", uid, f"GET {v2_path}")
        edit = Edit(by=by, at=at, reason=f"it was saved in the v2 schema{ui}; writing dashgen's board replaces "
                                         "its v2 layout (rows, tabs, conditional rendering)")
        return dataclasses.replace(live, raw=as_stored, edited=edit, stored_as=stored)

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        platform = client.platform()
        if platform.apis:
            self.write_apis(client, platform, desired, live, context)
        else:
            self.write_legacy(client, desired, live, context)

    def write_legacy(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        dashboard = copy.deepcopy(desired.body)
        dashboard["id"] = None  # save rule 3: always null; the uid names it
        if live is not None:
            dashboard["version"] = live.version  # rule 5: the version we read; Grafana refuses if it moved on
        body = {"dashboard": dashboard, "folderUid": desired.parent or "", "message": context.message,
                "overwrite": False}
        try:
            answer = client.request("POST", "/api/dashboards/db", body=body).body
        except GrafanaError as exc:
            if exc.grafana_status == "name-exists":
                raise GrafanaError(exc.method, exc.path, exc.status, exc.grafana_message, body=exc.body,
                                   hint=f"another dashboard titled {desired.title!r} is in folder {desired.parent}; "
                                   "Grafana <= 11.2 allows one title per folder: rename or move it") from None
            raise
        if not isinstance(answer, dict) or answer.get("uid") != desired.uid or "version" not in answer:
            raise DashgenError(f"POST /api/dashboards/db: Grafana did not confirm saving {desired.uid} "
                               "(no uid and version in the answer)")

    def write_apis(self, client: GrafanaClient, platform: Platform, desired: Desired, live: Live | None,
                   context: WriteContext) -> None:
        """Created with POST (201); updated with PUT carrying the resourceVersion read, so Grafana refuses (409)
        a write over a change made since. Others' annotations and labels are sent back as read."""
        metadata: dict[str, Any] = {"name": desired.uid, "annotations": apis.written_annotations(
            live.annotations or {} if live else {}, desired.annotations, desired.parent, context.message)}
        if live is not None:
            metadata["resourceVersion"] = live.version
            labels = live.raw.get("metadata", {}).get("labels") if isinstance(live.raw, dict) else None
            if isinstance(labels, dict) and labels:
                metadata["labels"] = labels
        spec = {k: v for k, v in desired.body.items() if k not in ("uid", *SERVER_KEYS)}
        body = {"apiVersion": f"{DASHBOARD_GROUP}/{platform.dashboard_version}", "kind": "Dashboard",
                "metadata": metadata, "spec": spec}
        if live is None:
            answer = client.request("POST", platform.dashboards(), body=body, expected=(200, 201)).body
        else:
            answer = client.request("PUT", platform.dashboards(desired.uid), body=body).body
        apis.checked_object(answer, "Dashboard", desired.uid, f"saving dashboard {desired.uid}")

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        platform = client.platform()
        if platform.apis:  # conditioned on the version read: a board changed since is not deleted (409)
            client.request("DELETE", platform.dashboards(live.uid), body=apis.delete_options(str(live.version)))
        else:
            client.request("DELETE", f"/api/dashboards/uid/{live.uid}")


def board_details(desired: dict[str, Any], live: dict[str, Any]) -> list[Detail]:
    """Per panel, per variable and the board's own settings, between two canonical classic boards."""
    found: list[Detail] = []
    for what, code_parts, live_parts in (
        ("panel", panels_by_key(desired), panels_by_key(live)),
        ("variable", walk.variables_by_name(desired), walk.variables_by_name(live)),
    ):
        found.extend(_part_details(what, code_parts, live_parts))
    before, after = walk.settings(live), walk.settings(desired)
    if before != after:
        found.append(Detail("settings", "dashboard settings", "changed", unified(before, after, "settings"),
                            tuple(changed_fields(before, after))))
    return found


def outline_details(desired: dict[str, Any], live: dict[str, Any]) -> list[Detail]:
    """Per row, panel and variable, and the settings, between two outlines (dashboard_outline)."""
    found: list[Detail] = []
    for what, part in (("row", "rows"), ("panel", "panels"), ("variable", "variables")):
        found.extend(_part_details(what, desired[part], live[part]))
    if desired["settings"] != live["settings"]:
        before, after = live["settings"], desired["settings"]
        found.append(Detail("settings", "dashboard settings", "changed", unified(before, after, "settings"),
                            tuple(changed_fields(before, after))))
    return found


def _part_details(what: str, code_parts: dict[str, Any], live_parts: dict[str, Any]) -> list[Detail]:
    found = []
    for key in [*code_parts, *(k for k in live_parts if k not in code_parts)]:
        before, after = live_parts.get(key), code_parts.get(key)
        if before != after:
            fields = tuple(changed_fields(before, after)) if before and after else ()
            found.append(Detail(what, key or "(panels above the first row)", detail_action(before, after),
                                unified(before, after, f"{what}/{key}"), fields))
    return found


def panels_by_key(dashboard: dict[str, Any]) -> dict[str, Any]:
    """Every panel keyed by its location, "Row / Title" (rows themselves as "row Row"), expanded or collapsed."""
    found: dict[str, Any] = {}
    for row in walk.rows(dashboard):
        if row.panel is not None:
            found[f"row {row.title}"] = {k: v for k, v in row.panel.items() if k != "panels"}
        for panel in row.panels:
            found[walk.unique_location(row.title, panel.get("title", ""), found)] = panel
    return found

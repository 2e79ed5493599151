"""Dashboards: saved with the stored version and never with `overwrite`, so Grafana itself refuses to replace
an edit made since dashgen read it (and, up to 11.2, another dashboard with the same title).

Edits made outside dashgen are told by content, not history: every board dashgen writes carries the tag
`dashgen-checksum:<hex>`, the checksum of the canonical form it wrote. A live board whose canonical form still
has that checksum was not changed (a no-op save in the UI rewrites the JSON but not its canonical form); one
whose canonical form differs, or that lost the tag, was. Tags are kept verbatim by the UI's save model, unlike
unknown top-level keys, which it drops."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dashgen.errors import DashgenError
from dashgen.grafana.errors import GrafanaError
from dashgen.jsonfile import dumps
from dashgen.kinds.base import Desired, Detail, Edit, KindDefaults, Live, WriteContext, detail_action
from dashgen.kinds.dashboard_canonical import CHECKSUM_TAG, canonical_dashboard
from dashgen.kinds.jsondiff import changed_fields, unified
from dashgen.kinds.parallel import pmap, together
from dashgen.managed import MANAGED_TAG

if TYPE_CHECKING:
    from dashgen.grafana.client import GrafanaClient
    from dashgen.project import CompiledProject

SERVER_KEYS = ("id", "version")  # Grafana sets these on every save


def checksum(body: dict[str, Any]) -> str:
    """Of the canonical form: a UI save that changes nothing keeps it, a real edit does not."""
    return hashlib.sha256(dumps(canonical_dashboard(body)).encode()).hexdigest()[:16]


def with_checksum(body: dict[str, Any]) -> dict[str, Any]:
    """The board as dashgen writes it: its tags carry the checksum of its canonical form."""
    tags = [t for t in body.get("tags", []) if not str(t).startswith(CHECKSUM_TAG)]
    return {**body, "tags": [*tags, f"{CHECKSUM_TAG}{checksum(body)}"]}


def edit_of(dashboard: dict[str, Any], meta: dict[str, Any]) -> Edit | None:
    """Pure: whether a live board was changed since dashgen wrote it, and by whom Grafana says."""
    tags = [str(t) for t in dashboard.get("tags", [])]
    written = next((t[len(CHECKSUM_TAG):] for t in tags if t.startswith(CHECKSUM_TAG)), None)
    if written is not None and written == checksum(dashboard):
        return None
    reason = ("its content differs from what dashgen wrote" if written is not None
              else "it carries no dashgen checksum (not written by dashgen, or the tag was removed)")
    return Edit(by=str(meta.get("updatedBy") or ""), at=str(meta.get("updated") or ""), reason=reason)


class DashboardKind(KindDefaults):
    kind = "dashboard"

    def __init__(self, managed_tag: str = MANAGED_TAG) -> None:
        self.managed_tag = managed_tag

    # ------------------------------------------------------------- pure
    def desired(self, compiled: CompiledProject) -> list[Desired]:
        board = compiled.board
        body = {k: v for k, v in board.dashboard.items() if k not in SERVER_KEYS}
        return [Desired(self.kind, board.uid, str(body["title"]), with_checksum(body), parent=board.folder_uid)]

    def canonical(self, body: dict[str, Any]) -> dict[str, Any]:
        return canonical_dashboard(body)

    def normalise(self, dashboard: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in dashboard.items() if k not in SERVER_KEYS}

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        if desired is None or live is None:
            return [Detail("object", "dashboard", detail_action(live, desired), unified(live, desired, "dashboard"))]
        found: list[Detail] = []
        for what, code_parts, live_parts in (
            ("panel", panels_by_key(desired), panels_by_key(live)),
            ("variable", variables_by_name(desired), variables_by_name(live)),
        ):
            for key in [*code_parts, *(k for k in live_parts if k not in code_parts)]:
                before, after = live_parts.get(key), code_parts.get(key)
                if before != after:
                    fields = tuple(changed_fields(before, after)) if before and after else ()
                    found.append(Detail(what, key, detail_action(before, after),
                                        unified(before, after, f"{what}/{key}"), fields))
        before, after = settings(live), settings(desired)
        if before != after:
            found.append(Detail("settings", "dashboard settings", "changed", unified(before, after, "settings"),
                                tuple(changed_fields(before, after))))
        return found

    def files(self, bodies: Sequence[dict[str, Any]]) -> dict[str, str]:
        return {f"dashboards/{d['uid']}.json": dumps({**d, "id": None}) for d in bodies}

    # -------------------------------------------------------------- I/O
    def read(self, client: GrafanaClient, wanted: set[str], *, prune: bool) -> dict[str, Live]:
        """The managed boards (search by tag, every page) and the wanted ones, read concurrently."""
        def fetch(uid: str) -> Live | None:
            return self.read_one(client, uid)

        managed, *known = together(
            lambda: {hit["uid"] for hit in client.paged("/api/search", {"type": "dash-db", "tag": self.managed_tag})
                     if isinstance(hit, dict) and "uid" in hit},
            *[(lambda uid=uid: fetch(uid)) for uid in sorted(wanted)],
        )
        found = {live.uid: live for live in known if isinstance(live, Live)}
        extra = sorted(set(managed) - set(found) - wanted)
        found.update({live.uid: live for live in pmap(fetch, extra, parallel=8) if live is not None})
        return found

    def read_one(self, client: GrafanaClient, uid: str) -> Live | None:
        raw = client.get(f"/api/dashboards/uid/{uid}", missing_ok=True)
        if raw is None:
            return None
        dashboard, meta = raw.get("dashboard"), raw.get("meta")
        if not isinstance(dashboard, dict) or not isinstance(meta, dict) or dashboard.get("uid") != uid:
            raise DashgenError(f"GET /api/dashboards/uid/{uid}: the answer is not a Grafana dashboard "
                               "(no dashboard/meta objects for that uid): nothing was written")
        return Live(kind=self.kind, uid=uid, title=str(dashboard.get("title", "")), body=self.normalise(dashboard),
                    raw=raw, version=dashboard.get("version", meta.get("version")),
                    parent=meta.get("folderUid") or None, edited=edit_of(dashboard, meta))

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
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

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        client.request("DELETE", f"/api/dashboards/uid/{live.uid}")


def settings(dashboard: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in dashboard.items() if k not in ("panels", "templating")}


def variables_by_name(dashboard: dict[str, Any]) -> dict[str, Any]:
    return {v.get("name", "?"): v for v in dashboard.get("templating", {}).get("list", [])}


def panels_by_key(dashboard: dict[str, Any]) -> dict[str, Any]:
    """Every panel keyed "Row / Title" (rows themselves as "row Row"), expanded or collapsed."""
    found: dict[str, Any] = {}
    row = ""
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            row = str(panel.get("title", ""))
            found[f"row {row}"] = {k: v for k, v in panel.items() if k != "panels"}
            for child in panel.get("panels", []):
                found[f"{row} / {child.get('title', '')}"] = child
        else:
            found[f"{row} / {panel.get('title', '')}" if row else str(panel.get("title", ""))] = panel
    return found

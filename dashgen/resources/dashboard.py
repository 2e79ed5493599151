"""Dashboards: saved with the stored version and never with `overwrite`, so Grafana itself refuses to
replace an edit made since dashgen read it (and, up to 11.2, another dashboard with the same title)."""

from __future__ import annotations

import copy
from typing import Any

from dashgen.board.normalise import drop_nulls
from dashgen.grafana.client import GrafanaClient
from dashgen.grafana.errors import GrafanaError
from dashgen.managed import MANAGED_TAG, SAVE_MESSAGE_PREFIX
from dashgen.resources.base import Desired, Detail, ForeignEdit, Live, WriteContext, detail_action
from dashgen.resources.jsondiff import unified

SERVER_KEYS = ("id", "version")  # Grafana sets these on every save


class DashboardHandler:
    kind = "dashboard"
    batch_read = False

    def __init__(self, managed_tag: str = MANAGED_TAG) -> None:
        self.managed_tag = managed_tag

    # ------------------------------------------------------------- pure
    def normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        dashboard = raw.get("dashboard", raw)
        cleaned: dict[str, Any] = drop_nulls({k: v for k, v in dashboard.items() if k not in SERVER_KEYS})
        return cleaned

    def to_write(self, desired: Desired, live: Live | None, *, prune: bool) -> dict[str, Any]:
        return desired.body

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
                    diff = unified(before, after, f"{what}/{key}")
                    found.append(Detail(what, key, detail_action(before, after), diff))
        before, after = settings(live), settings(desired)
        if before != after:
            found.append(Detail("settings", "dashboard settings", "changed", unified(before, after, "settings")))
        return found

    # -------------------------------------------------------------- I/O
    def discover(self, client: GrafanaClient) -> set[str]:
        hits = client.get("/api/search", params={"type": "dash-db", "tag": self.managed_tag, "limit": 5000})
        return {hit["uid"] for hit in hits or []}

    def read(self, client: GrafanaClient, uids: set[str]) -> dict[str, Live]:
        found = {}
        for uid in sorted(uids):
            live = self.read_one(client, uid)
            if live is not None:
                found[uid] = live
        return found

    def read_one(self, client: GrafanaClient, uid: str) -> Live | None:
        raw = client.get(f"/api/dashboards/uid/{uid}", missing_ok=True)
        if raw is None:
            return None
        meta = raw.get("meta", {})
        dashboard = raw.get("dashboard", {})
        return Live(kind=self.kind, uid=uid, title=str(dashboard.get("title", "")), body=self.normalise(raw),
                    raw=raw, version=dashboard.get("version", meta.get("version")),
                    parent=meta.get("folderUid") or None)

    def foreign_edit(self, client: GrafanaClient, live: Live) -> ForeignEdit | None:
        answer = client.get(f"/api/dashboards/uid/{live.uid}/versions", params={"limit": 1}, missing_ok=True)
        # <= 11.4: a bare list; 11.6+: {"continueToken", "versions": [...]}
        items = answer.get("versions", []) if isinstance(answer, dict) else (answer or [])
        if not items:
            return None
        latest = max(items, key=lambda item: item.get("version", 0))
        message = str(latest.get("message") or "")
        if message.startswith(SAVE_MESSAGE_PREFIX):
            return None
        return ForeignEdit(version=int(latest.get("version", 0)), by=str(latest.get("createdBy", "?")),
                           at=str(latest.get("created", "?")), message=message)

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        dashboard = copy.deepcopy(desired.body)
        dashboard["id"] = None  # save rule 3: always null; the uid names it
        if live is not None:
            dashboard["version"] = live.version  # rule 5: the version we read; Grafana refuses if it moved on
        body = {"dashboard": dashboard, "folderUid": desired.parent or "", "message": context.message,
                "overwrite": False}
        try:
            client.request("POST", "/api/dashboards/db", body=body)
        except GrafanaError as exc:
            if exc.grafana_status == "name-exists":
                raise GrafanaError(exc.method, exc.path, exc.status, exc.grafana_message, body=exc.body,
                                   hint=f"another dashboard titled {desired.title!r} is in folder {desired.parent}; "
                                   "Grafana <= 11.2 allows one title per folder: rename or move it") from None
            raise

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        client.request("DELETE", f"/api/dashboards/uid/{live.uid}")


def settings(dashboard: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in dashboard.items() if k not in ("panels", "templating")}


def variables_by_name(dashboard: dict[str, Any]) -> dict[str, Any]:
    return {v.get("name", "?"): v for v in dashboard.get("templating", {}).get("list", [])}


def panels_by_key(dashboard: dict[str, Any]) -> dict[str, Any]:
    """Every panel keyed "Row / Title" (rows themselves as "Row"), expanded or collapsed."""
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

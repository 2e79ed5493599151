"""Mute timings dashgen owns (name `dashgen-...`), such as the desk's low-liquidity window."""

from __future__ import annotations

from typing import Any

from dashgen.grafana.client import GrafanaClient
from dashgen.resources.base import Desired, Detail, ForeignEdit, Live, WriteContext, detail_action
from dashgen.resources.jsondiff import unified
from dashgen.resources.provisioning import check_provenance, listed, managed, send


class MuteTimingHandler:
    kind = "mute-timing"
    batch_read = True

    def normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        return {"name": raw.get("name"), "time_intervals": raw.get("time_intervals") or []}

    def to_write(self, desired: Desired, live: Live | None, *, prune: bool) -> dict[str, Any]:
        return desired.body

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        return [Detail("object", "mute timing", detail_action(live, desired), unified(live, desired, "mute-timing"))]

    def discover(self, client: GrafanaClient) -> set[str]:
        return managed(client, "/mute-timings", "name")

    def read(self, client: GrafanaClient, uids: set[str]) -> dict[str, Live]:
        return {raw["name"]: Live(kind=self.kind, uid=raw["name"], title=raw["name"], body=self.normalise(raw),
                                  raw=raw, version=raw.get("version"), provenance=raw.get("provenance") or None)
                for raw in listed(client, "/mute-timings") if raw.get("name") in uids}

    def foreign_edit(self, client: GrafanaClient, live: Live) -> ForeignEdit | None:
        return None

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        what = f"mute timing {desired.uid}"
        if live is None:
            send(client, "POST", "/mute-timings", context, what=what, body=desired.body, expected=(201, 200, 202))
        else:
            check_provenance(what, live.provenance, context)
            body = {**desired.body, **({"version": live.version} if live.version else {})}
            send(client, "PUT", f"/mute-timings/{desired.uid}", context, what=what, body=body, expected=(202, 200))

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        send(client, "DELETE", f"/mute-timings/{live.uid}", context, what=f"mute timing {live.uid}",
             expected=(204, 200, 202))

"""Mute timings dashgen owns (name `dashgen-...`), one per entry of alerting.mute_timings in dashgen.yaml."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dashgen.jsonfile import dumps
from dashgen.kinds.base import Desired, Detail, KindDefaults, Live, WriteContext, detail_action
from dashgen.kinds.jsondiff import unified
from dashgen.kinds.provisioning import alerting_of, check_provenance, compact, is_ours, listed, send

if TYPE_CHECKING:
    from dashgen.grafana.client import GrafanaClient
    from dashgen.project import CompiledProject


class MuteTimingKind(KindDefaults):
    kind = "mute-timing"

    def desired(self, compiled: CompiledProject) -> list[Desired]:
        alerting = alerting_of(compiled)
        return [Desired(self.kind, m["name"], m["name"], self.canonical(m)) for m in alerting.mute_timings]

    def canonical(self, body: dict[str, Any]) -> dict[str, Any]:
        """Name and intervals; Alertmanager's TimeInterval encodes empty fields with omitempty."""
        return {"name": body.get("name"), "time_intervals": compact(body.get("time_intervals") or [])}

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        return [Detail("object", "mute timing", detail_action(live, desired), unified(live, desired, "mute-timing"))]

    def files(self, bodies: Sequence[dict[str, Any]]) -> dict[str, str]:
        return {"alerting/mute-timings.json": dumps(sorted(bodies, key=lambda m: str(m.get("name"))))}

    def read(self, client: GrafanaClient, wanted: set[str], *, prune: bool) -> dict[str, Live]:
        return {raw["name"]: Live(kind=self.kind, uid=raw["name"], title=raw["name"], body=self.canonical(raw),
                                  raw=raw, version=raw.get("version"), provenance=raw.get("provenance") or None)
                for raw in listed(client, "/mute-timings") if raw.get("name") in wanted or is_ours(raw.get("name"))}

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

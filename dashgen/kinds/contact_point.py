"""Contact points dashgen owns (uid `dashgen-...`). Grafana answers secrets as "[REDACTED]"; so does the
comparison, so a secret is never a difference, and secrets are sent only when the contact point is created, its
settings change, or with --update-secrets. Build and pull both show a secret as its `${VAR}` placeholder."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dashgen.jsonfile import dumps
from dashgen.kinds.base import Desired, Detail, KindDefaults, Live, WriteContext, detail_action
from dashgen.kinds.jsondiff import unified
from dashgen.kinds.provisioning import REDACTED, alerting_of, check_provenance, fill_secrets, is_ours, listed, send
from dashgen.managed import SECRET_FIELDS

if TYPE_CHECKING:
    from dashgen.grafana.client import GrafanaClient
    from dashgen.project import CompiledProject

COMPARED = ("uid", "name", "type", "settings", "disableResolveMessage")


def redacted(body: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(body)
    for name in SECRET_FIELDS.get(out.get("type", ""), ()):
        if name in out.get("settings", {}):
            out["settings"][name] = REDACTED
    return out


def with_placeholders(live: dict[str, Any], desired: dict[str, Any] | None) -> dict[str, Any]:
    """A live contact point with its redacted secrets shown as the code's `${VAR}` placeholders (for pull)."""
    out = copy.deepcopy(live)
    if desired is None or desired.get("type") != out.get("type"):
        return out
    for name in SECRET_FIELDS.get(out.get("type", ""), ()):
        if out.get("settings", {}).get(name) == REDACTED and name in desired.get("settings", {}):
            out["settings"][name] = desired["settings"][name]
    return out


class ContactPointKind(KindDefaults):
    kind = "contact-point"

    def desired(self, compiled: CompiledProject) -> list[Desired]:
        alerting = alerting_of(compiled)
        return [Desired(self.kind, c["uid"], c["name"], self._compared(c)) for c in alerting.contact_points]

    @staticmethod
    def _compared(body: dict[str, Any]) -> dict[str, Any]:
        out = {k: copy.deepcopy(body[k]) for k in COMPARED if k in body}
        out.setdefault("disableResolveMessage", False)
        return out

    def canonical(self, body: dict[str, Any]) -> dict[str, Any]:
        return redacted(self._compared(body))

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        return [Detail("object", "contact point", detail_action(live, desired), unified(live, desired, "settings"))]

    def pulled(self, live: Live, desired: Desired | None) -> dict[str, Any]:
        return with_placeholders(live.body, desired.body if desired is not None else None)

    def files(self, bodies: Sequence[dict[str, Any]]) -> dict[str, str]:
        return {"alerting/contact-points.json": dumps(sorted(bodies, key=lambda c: str(c.get("uid"))))}

    def read(self, client: GrafanaClient, wanted: set[str], *, prune: bool) -> dict[str, Live]:
        return {raw["uid"]: Live(kind=self.kind, uid=raw["uid"], title=str(raw.get("name", "")),
                                 body=self._compared(raw), raw=raw, provenance=raw.get("provenance") or None)
                for raw in listed(client, "/contact-points") if raw.get("uid") in wanted or is_ours(raw.get("uid"))}

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        what = f"contact point {desired.uid}"
        body = fill_secrets(desired.body, context.secrets, what)
        if live is None:
            send(client, "POST", "/contact-points", context, what=what, body=body, expected=(202, 200))
        else:
            check_provenance(what, live.provenance, context)
            send(client, "PUT", f"/contact-points/{desired.uid}", context, what=what, body=body, expected=(202, 200))

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        send(client, "DELETE", f"/contact-points/{live.uid}", context, what=f"contact point {live.uid}",
             expected=(202, 200, 204))

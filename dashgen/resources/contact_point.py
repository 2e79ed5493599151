"""Contact points dashgen owns (uid `dashgen-...`). Grafana answers secrets as "[REDACTED]"; so does the
comparison, so a secret is never a difference, and secrets are sent only when the contact point is created, its
settings change, or with --update-secrets."""

from __future__ import annotations

import copy
from typing import Any

from dashgen.grafana.client import GrafanaClient
from dashgen.managed import SECRET_FIELDS
from dashgen.resources.base import Desired, Detail, ForeignEdit, Live, WriteContext, detail_action
from dashgen.resources.jsondiff import unified
from dashgen.resources.provisioning import REDACTED, check_provenance, fill_secrets, listed, managed, send

COMPARED = ("uid", "name", "type", "settings", "disableResolveMessage")


def _redact(body: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(body)
    for name in SECRET_FIELDS.get(out.get("type", ""), ()):
        if name in out.get("settings", {}):
            out["settings"][name] = REDACTED
    return out


class ContactPointHandler:
    kind = "contact-point"
    batch_read = True

    def normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        body = {k: raw[k] for k in COMPARED if k in raw}
        body.setdefault("disableResolveMessage", False)
        return _redact(body)

    def to_write(self, desired: Desired, live: Live | None, *, prune: bool) -> dict[str, Any]:
        return _redact(desired.body)

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        return [Detail("object", "contact point", detail_action(live, desired), unified(live, desired, "settings"))]

    def discover(self, client: GrafanaClient) -> set[str]:
        return managed(client, "/contact-points", "uid")

    def read(self, client: GrafanaClient, uids: set[str]) -> dict[str, Live]:
        found = {}
        for raw in listed(client, "/contact-points"):
            if raw.get("uid") in uids:
                found[raw["uid"]] = Live(kind=self.kind, uid=raw["uid"], title=str(raw.get("name", "")),
                                         body=self.normalise(raw), raw=raw, provenance=raw.get("provenance") or None)
        return found

    def foreign_edit(self, client: GrafanaClient, live: Live) -> ForeignEdit | None:
        return None

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

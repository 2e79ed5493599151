"""Rule groups in the board's folder. Grafana replaces a whole group on PUT (rules missing from it are
deleted), so what dashgen writes is its own rules plus every rule it must keep: rules it does not manage,
always, and managed rules the code dropped, unless --prune. That body is also what is compared, so dropping
an alert without --prune plans nothing."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from dashgen.board.normalise import drop_nulls
from dashgen.grafana.client import GrafanaClient
from dashgen.managed import MANAGED_LABEL
from dashgen.resources.base import Desired, Detail, ForeignEdit, Live, WriteContext, detail_action
from dashgen.resources.jsondiff import unified
from dashgen.resources.provisioning import API, canonical_duration, check_provenance, send

# What Grafana adds to a rule (10.4-12.x): ids, timestamps, provenance, newer defaults.
SERVER_KEYS = ("id", "orgID", "updated", "provenance", "keep_firing_for", "missingSeriesEvalsToResolve",
               "notification_settings", "record", "guid")


def group_uid(folder_uid: str, title: str) -> str:
    return f"{folder_uid}/{title}"


def is_managed(rule: dict[str, Any]) -> bool:
    return (rule.get("labels") or {}).get(MANAGED_LABEL[0]) == MANAGED_LABEL[1]


def normalise_rule(rule: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = drop_nulls({k: v for k, v in rule.items() if k not in SERVER_KEYS})
    if "for" in out:
        out["for"] = canonical_duration(str(out["for"]))
    out.setdefault("isPaused", False)
    return out


def _path(folder_uid: str, title: str) -> str:
    return f"/folder/{quote(folder_uid, safe='')}/rule-groups/{quote(title, safe='')}"


class RuleGroupHandler:
    kind = "rule-group"
    batch_read = False

    def normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        return {"title": raw.get("title"), "folderUid": raw.get("folderUid"), "interval": raw.get("interval"),
                "rules": [normalise_rule(r) for r in raw.get("rules") or []]}

    def to_write(self, desired: Desired, live: Live | None, *, prune: bool) -> dict[str, Any]:
        body = copy.deepcopy(desired.body)
        body["rules"] = [normalise_rule(r) for r in body["rules"]]
        if live is not None:
            ours = {r["uid"] for r in body["rules"]}
            kept = [r for r in live.body["rules"] if r["uid"] not in ours and (not is_managed(r) or not prune)]
            body["rules"] += kept
        return body

    def details(self, desired: dict[str, Any] | None, live: dict[str, Any] | None) -> list[Detail]:
        if desired is None or live is None:
            return [Detail("object", "rule group", detail_action(live, desired), unified(live, desired, "group"))]
        found = []
        code = {r["uid"]: r for r in desired["rules"]}
        there = {r["uid"]: r for r in live["rules"]}
        for uid in [*code, *(u for u in there if u not in code)]:
            before, after = there.get(uid), code.get(uid)
            if before != after:
                title = (after or before or {}).get("title", uid)
                found.append(Detail("rule", f"{title} ({uid})", detail_action(before, after),
                                    unified(before, after, f"rule/{uid}")))
        settings = ("title", "folderUid", "interval")
        if any(desired.get(k) != live.get(k) for k in settings):
            found.append(Detail("settings", "group settings", "changed",
                                unified({k: live.get(k) for k in settings}, {k: desired.get(k) for k in settings},
                                        "group")))
        return found

    def discover(self, client: GrafanaClient) -> set[str]:
        rules = client.get(f"{API}/alert-rules") or []
        return {group_uid(r["folderUID"], r["ruleGroup"]) for r in rules if is_managed(r)}

    def read(self, client: GrafanaClient, uids: set[str]) -> dict[str, Live]:
        found = {}
        for uid in sorted(uids):
            folder_uid, _, title = uid.partition("/")
            raw = client.get(API + _path(folder_uid, title), missing_ok=True)
            if raw is None or not raw.get("rules"):
                continue
            provenances = {r.get("provenance") or None for r in raw["rules"] if is_managed(r)}
            found[uid] = Live(kind=self.kind, uid=uid, title=title, body=self.normalise(raw), raw=raw,
                              parent=folder_uid, provenance="api" if "api" in provenances else None)
        return found

    def foreign_edit(self, client: GrafanaClient, live: Live) -> ForeignEdit | None:
        return None

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        what = f"rule group {desired.uid}"
        if live is not None:
            check_provenance(what, live.provenance, context)
        body = self.to_write(desired, live, prune=context.prune)
        send(client, "PUT", _path(body["folderUid"], body["title"]), context, what=what, body=body)

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        """The code dropped the whole group: delete dashgen's rules in it one by one; others stay."""
        check_provenance(f"rule group {live.uid}", live.provenance, context)
        for rule in live.body["rules"]:
            if is_managed(rule):
                send(client, "DELETE", f"/alert-rules/{rule['uid']}", context, what=f"alert rule {rule['uid']}",
                     expected=(204, 200))

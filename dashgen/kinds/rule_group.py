"""Rule groups in the board's folder.

Grafana replaces a whole group on PUT (rules missing from it are deleted) and re-saves every rule in it, changed
or not, with the request's provenance (store/deltas.go UpdateCalculatedRuleFields; convert_reapply_test.go): a
rule of someone else's sent back through a group PUT loses its provenance. So:
- a group holding only dashgen's rules is written with one group PUT: the code's rules plus the managed rules
  the code dropped (kept as read unless --prune);
- a group that also holds others' rules is written rule by rule (POST /alert-rules, PUT /alert-rules/{uid},
  DELETE with --prune): others' rules are never sent, so they keep every field and their provenance. Its
  interval cannot change that way; dashgen says so instead of re-saving others' rules.
The group GET shows no provenance (each rule takes the group's, never set there), so provenance comes from the
one list of the org's rules, which every read makes anyway.

What Grafana does to a rule (pkg/services/ngalert/models/alert_query.go PreSave; api/compat.go): every query's
model gets `intervalMs: 1000` and `maxDataPoints: 43200` when missing or 0, every query a `queryType` (""), the
model comes back re-marshalled through a Go map (`30.0` -> `30`), durations in Prometheus' form (`0s`, `1m`),
plus server fields (id, orgID, updated, provenance, ...). `stored_rule` builds that form, so build writes what
Grafana will hold; `canonical` applies it to both sides."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from dashgen import durations
from dashgen.errors import DashgenError
from dashgen.jsonfile import dumps
from dashgen.kinds.base import Desired, Detail, KindDefaults, Live, WriteContext, detail_action
from dashgen.kinds.jsondiff import as_go_answers, changed_fields, unified
from dashgen.kinds.parallel import pmap, together
from dashgen.kinds.provisioning import API, alerting_of, check_provenance, send
from dashgen.managed import MANAGED_LABEL

if TYPE_CHECKING:
    from dashgen.grafana.client import GrafanaClient
    from dashgen.project import CompiledProject

# Fields Grafana sets on every rule it answers with, never part of what dashgen compares.
SERVER_FIELDS = ("id", "orgID", "updated", "updated_by", "provenance", "guid", "version")
# Fields Grafana fills with a default when the request leaves them out (api/compat.go), by value.
SERVER_DEFAULTS: dict[str, Any] = {"keep_firing_for": "0s", "missingSeriesEvalsToResolve": 0}
DEFAULT_INTERVAL_MS = 1000
DEFAULT_MAX_DATA_POINTS = 43200
DURATION_FIELDS = ("for", "keep_firing_for")


def group_uid(folder_uid: str, title: str) -> str:
    return f"{folder_uid}/{title}"


def is_managed(rule: dict[str, Any]) -> bool:
    return (rule.get("labels") or {}).get(MANAGED_LABEL[0]) == MANAGED_LABEL[1]


def stored_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule as Grafana stores and answers it, without server fields and server defaults (models with sorted
    keys: Grafana compares them as JSON text)."""
    out: dict[str, Any] = as_go_answers({k: v for k, v in rule.items() if k not in SERVER_FIELDS})
    for key in DURATION_FIELDS:
        if isinstance(out.get(key), str):
            out[key] = durations.canonical(out[key])
    for key, default in SERVER_DEFAULTS.items():
        if out.get(key) == default:
            del out[key]
    out.setdefault("isPaused", False)  # always in Grafana's answer
    out["data"] = [_stored_query(q) for q in out.get("data", [])]
    return out


def _stored_query(query: dict[str, Any]) -> dict[str, Any]:
    model = dict(query.get("model") or {})
    if not model.get("intervalMs"):
        model["intervalMs"] = DEFAULT_INTERVAL_MS
    if not model.get("maxDataPoints"):
        model["maxDataPoints"] = DEFAULT_MAX_DATA_POINTS
    return {**query, "model": _sorted(model), "queryType": str(model.get("queryType") or query.get("queryType") or "")}


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def _split(uid: str) -> tuple[str, str]:
    folder_uid, _, title = uid.partition("/")
    return folder_uid, title


def _provenance(rules: list[dict[str, Any]], provenances: dict[str, str | None]) -> str | None:
    """"api" when any of dashgen's rules in the group was written without X-Disable-Provenance."""
    return "api" if any(provenances.get(str(r.get("uid"))) == "api" for r in rules if is_managed(r)) else None


def _path(folder_uid: str, title: str) -> str:
    return f"/folder/{quote(folder_uid, safe='')}/rule-groups/{quote(title, safe='')}"


class RuleGroupKind(KindDefaults):
    kind = "rule-group"

    # ----------------------------------------------------------------- pure
    def desired(self, compiled: CompiledProject) -> list[Desired]:
        alerting = alerting_of(compiled)
        return [Desired(self.kind, group_uid(alerting.folder_uid, g["title"]), g["title"], self.stored(g),
                        parent=alerting.folder_uid) for g in alerting.rule_groups]

    def stored(self, group: dict[str, Any]) -> dict[str, Any]:
        """A group as Grafana stores it: dashgen's rules in stored form, anyone else's exactly as read."""
        return {"title": group.get("title"), "folderUid": group.get("folderUid"), "interval": group.get("interval"),
                "rules": [stored_rule(r) if is_managed(r) else r for r in group.get("rules") or []]}

    def canonical(self, body: dict[str, Any]) -> dict[str, Any]:
        """Rules by uid: their order in a group is no part of what they do, and rule-by-rule writes move it."""
        stored = self.stored(body)
        return {**stored, "rules": sorted(stored["rules"], key=lambda r: str(r.get("uid")))}

    def to_write(self, desired: Desired, live: Live | None, *, prune: bool) -> dict[str, Any]:
        body = copy.deepcopy(desired.body)
        if live is not None:
            ours = {r["uid"] for r in body["rules"]}
            body["rules"] += [copy.deepcopy(r) for r in live.body["rules"]
                              if r.get("uid") not in ours and (not is_managed(r) or not prune)]
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
                fields = tuple(changed_fields(before, after)) if before and after else ()
                found.append(Detail("rule", f"{title} ({uid})", detail_action(before, after),
                                    unified(before, after, f"rule/{uid}"), fields))
        settings = ("title", "folderUid", "interval")
        if any(desired.get(k) != live.get(k) for k in settings):
            before, after = {k: live.get(k) for k in settings}, {k: desired.get(k) for k in settings}
            found.append(Detail("settings", "group settings", "changed", unified(before, after, "group"),
                                tuple(changed_fields(before, after))))
        return found

    def files(self, bodies: Sequence[dict[str, Any]]) -> dict[str, str]:
        """dashgen's rules of each group (others' rules in a shared group are not dashgen's to show)."""
        return {f"alerting/rule-groups/{g['title']}.json": dumps({**g, "rules": [r for r in g["rules"]
                                                                                 if is_managed(r)]})
                for g in bodies}

    # ------------------------------------------------------------------ I/O
    def read(self, client: GrafanaClient, wanted: set[str], *, prune: bool) -> dict[str, Live]:
        """One list of the org's rules (discovery and provenance) beside the wanted groups, then the managed
        groups the code no longer has."""
        listed, *known = together(lambda: client.get(f"{API}/alert-rules", shape=list),
                                  *[(lambda uid=uid: client.get(API + _path(*_split(uid)), missing_ok=True))
                                    for uid in sorted(wanted)])
        rules = [r for r in listed if isinstance(r, dict) and "folderUID" in r and "ruleGroup" in r]
        groups = dict(zip(sorted(wanted), known, strict=True))
        managed = {group_uid(r["folderUID"], r["ruleGroup"]) for r in rules if is_managed(r)}
        extra = sorted(managed - set(groups))
        groups.update(zip(extra, pmap(lambda uid: client.get(API + _path(*_split(uid)), missing_ok=True), extra,
                                      parallel=8), strict=True))
        found = {}
        for uid, raw in groups.items():
            if not isinstance(raw, dict) or not raw.get("rules"):
                continue
            provenances = {str(r.get("uid")): r.get("provenance") or None for r in rules
                           if group_uid(r["folderUID"], r["ruleGroup"]) == uid}
            found[uid] = Live(kind=self.kind, uid=uid, title=_split(uid)[1], body=self.stored(raw), raw=raw,
                              parent=_split(uid)[0], provenance=_provenance(raw["rules"], provenances))
        return found

    def write(self, client: GrafanaClient, desired: Desired, live: Live | None, context: WriteContext) -> None:
        what = f"rule group {desired.uid}"
        if live is not None:
            check_provenance(what, live.provenance, context)
        body = self.to_write(desired, live, prune=context.prune)
        others = [r for r in (live.body["rules"] if live else []) if not is_managed(r)]
        if not others:
            send(client, "PUT", _path(body["folderUid"], body["title"]), context, what=what, body=body)
            return
        assert live is not None
        if body["interval"] != live.body["interval"]:
            names = ", ".join(sorted(str(r.get("title", r.get("uid"))) for r in others))
            raise DashgenError(f"{what}: its interval would change ({live.body['interval']}s -> {body['interval']}s), "
                               f"but it also holds rules dashgen does not manage ({names}); Grafana re-saves every "
                               "rule of a group whose interval is written, taking their provenance: change the "
                               "interval in Grafana, or move those rules to another group")
        there = {r["uid"]: r for r in live.body["rules"] if is_managed(r)}
        for rule in desired.body["rules"]:
            if rule["uid"] not in there:
                send(client, "POST", "/alert-rules", context, what=f"alert rule {rule['uid']}", body=rule,
                     expected=(201, 200))
            elif self.canonical({"rules": [rule]}) != self.canonical({"rules": [there[rule["uid"]]]}):
                send(client, "PUT", f"/alert-rules/{rule['uid']}", context, what=f"alert rule {rule['uid']}",
                     body=rule)
        if context.prune:
            ours = {r["uid"] for r in desired.body["rules"]}
            for uid in sorted(set(there) - ours):
                send(client, "DELETE", f"/alert-rules/{uid}", context, what=f"alert rule {uid}", expected=(204, 200))

    def delete(self, client: GrafanaClient, live: Live, context: WriteContext) -> None:
        """The code dropped the whole group: delete dashgen's rules in it one by one; others stay."""
        check_provenance(f"rule group {live.uid}", live.provenance, context)
        for rule in live.body["rules"]:
            if is_managed(rule):
                send(client, "DELETE", f"/alert-rules/{rule['uid']}", context, what=f"alert rule {rule['uid']}",
                     expected=(204, 200))

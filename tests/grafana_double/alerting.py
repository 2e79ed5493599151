"""The double's alerting provisioning API (/api/v1/provisioning), following ../shared/grafana-api.md:
201/202/204 where Grafana answers them, empty 404 bodies, whole-group PUT, whole-tree policies, "[REDACTED]"
secrets, and provenance: what is written without X-Disable-Provenance is "api" and can only be written as
"api" again (500 before 13.1, 409 from 13.1; 403 for policies, templates and mute timings)."""

from __future__ import annotations

import copy
import re
from typing import Any

from .store import Mode, Result, Store

SECURE = {"slack": ("url", "token"), "pagerduty": ("integrationKey",), "webhook": ("password",
                                                                              "authorization_credentials")}
REQUIRED = {"slack": ("url",), "pagerduty": ("integrationKey",), "webhook": ("url",)}
UID = re.compile(r"^[a-zA-Z0-9_-]{1,40}$")
DURATION = re.compile(r"^([0-9]+[smhd])+$")
EMPTY_404: Result = (404, None)


class AlertingStore:
    def __init__(self, store: Store) -> None:
        self.store = store  # folders live there
        self.mode: Mode = store.mode
        self.rules: dict[str, dict[str, Any]] = {}  # uid -> stored rule (with server fields)
        self.group_intervals: dict[tuple[str, str], int] = {}
        self.contact_points: dict[str, dict[str, Any]] = {
            "default-email": {"uid": "default-email", "name": "grafana-default-email", "type": "email",
                              "settings": {"addresses": "<example@email.com>"}, "disableResolveMessage": False,
                              "provenance": ""}}
        self.policy: dict[str, Any] = {"receiver": "grafana-default-email", "group_by": ["grafana_folder",
                                                                                        "alertname"]}
        self.policy_provenance = ""
        self.mute_timings: dict[str, dict[str, Any]] = {}
        self.templates: dict[str, dict[str, Any]] = {}
        self._next = 100

    # ------------------------------------------------------------ helpers
    def _provenance_conflict(self, stored: str, wanted: str) -> Result | None:
        if stored == "api" and wanted != "api":
            message = f"cannot change provenance from '{stored}' to '{wanted}'"
            return (409 if self.mode.version >= (13, 1) else 500), {"message": message}
        return None

    @staticmethod
    def _forbidden_provenance(stored: str, wanted: str) -> Result | None:
        if stored == "api" and wanted != "api":
            return 403, {"message": f"cannot change provenance from '{stored}' to '{wanted}'"}
        return None

    def _receivers(self) -> set[str]:
        return {c["name"] for c in self.contact_points.values()}

    # -------------------------------------------------------------- rules
    def _validate_rule(self, rule: dict[str, Any], folder_uid: str, group: str) -> str | None:
        if not UID.match(str(rule.get("uid", ""))):
            return "invalid alert rule: uid must be 1-40 characters of letters, digits, '-' and '_'"
        if not str(rule.get("title", "")).strip():
            return "invalid alert rule: title is empty"
        refs = {d.get("refId") for d in rule.get("data") or []}
        if rule.get("condition") not in refs:
            return f"invalid alert rule: condition {rule.get('condition')} does not exist, must be one of {refs}"
        if rule.get("noDataState") not in ("NoData", "Alerting", "OK", "KeepLast"):
            return f"invalid alert rule: unknown no data state {rule.get('noDataState')!r}"
        if rule.get("execErrState") not in ("Error", "Alerting", "OK", "KeepLast"):
            return f"invalid alert rule: unknown exec error state {rule.get('execErrState')!r}"
        if not DURATION.match(str(rule.get("for", "0s"))):
            return f"invalid alert rule: bad for {rule.get('for')!r}"
        if rule.get("folderUID", folder_uid) != folder_uid or rule.get("ruleGroup", group) != group:
            return "invalid alert rule: folderUID and ruleGroup must match the group"
        for query in rule.get("data") or []:
            model = query.get("model") or {}
            if model.get("type") == "threshold" and len(model.get("conditions") or []) != 1:
                return "invalid alert rule: threshold expression needs exactly one condition"
        return None

    def _stored(self, rule: dict[str, Any], folder_uid: str, group: str, provenance: str) -> dict[str, Any]:
        previous = self.rules.get(rule["uid"])
        self._next += 1
        return {**copy.deepcopy(rule), "folderUID": folder_uid, "ruleGroup": group, "orgID": 1,
                "id": previous["id"] if previous else self._next, "updated": self.store._now(),
                "provenance": provenance, "keep_firing_for": "0s", "notification_settings": None, "record": None}

    def list_rules(self) -> Result:
        return 200, [copy.deepcopy(r) for r in sorted(self.rules.values(), key=lambda r: r["uid"])]

    def get_rule(self, uid: str) -> Result:
        return (200, copy.deepcopy(self.rules[uid])) if uid in self.rules else EMPTY_404

    def delete_rule(self, uid: str, provenance: str) -> Result:
        rule = self.rules.get(uid)
        if rule is None:
            return 204, None  # deleting what is gone is fine
        conflict = self._provenance_conflict(rule["provenance"], provenance)
        if conflict:
            return conflict
        del self.rules[uid]
        return 204, None

    def get_group(self, folder_uid: str, group: str) -> Result:
        rules = [r for r in self.rules.values() if r["folderUID"] == folder_uid and r["ruleGroup"] == group]
        if not rules:
            return EMPTY_404
        return 200, {"title": group, "folderUid": folder_uid,
                     "interval": self.group_intervals.get((folder_uid, group), 60),
                     "rules": [copy.deepcopy(r) for r in rules]}

    def put_group(self, folder_uid: str, group: str, body: dict[str, Any], provenance: str) -> Result:
        if folder_uid not in self.store.folders:
            return 400, {"message": "invalid alert rule: folder does not exist"}
        interval = body.get("interval")
        if not isinstance(interval, int) or interval <= 0 or interval % 10:
            return 400, {"message": "invalid alert rule: interval (in seconds) must be a positive multiple of 10"}
        rules = body.get("rules") or []
        titles = [r.get("title") for r in rules]
        for rule in rules:
            problem = self._validate_rule(rule, folder_uid, group)
            if problem:
                return 400, {"message": problem}
            other = next((r for r in self.rules.values() if r["folderUID"] == folder_uid
                          and r["ruleGroup"] != group and r["title"] == rule["title"]), None)
            if other is not None or titles.count(rule.get("title")) > 1:
                return 400, {"message": "invalid alert rule: rule title under the same organisation and folder "
                                        "should be unique"}
        existing = [r for r in self.rules.values() if r["folderUID"] == folder_uid and r["ruleGroup"] == group]
        for rule in existing + [self.rules[r["uid"]] for r in rules if r["uid"] in self.rules]:
            conflict = self._provenance_conflict(rule["provenance"], provenance)
            if conflict:
                return conflict
        for rule in existing:  # whole-group semantics: what the body lacks is deleted
            del self.rules[rule["uid"]]
        for rule in rules:
            self.rules[rule["uid"]] = self._stored(rule, folder_uid, group, provenance)
        self.group_intervals[(folder_uid, group)] = interval
        return self.get_group(folder_uid, group)

    # ------------------------------------------------------ contact points
    def _redacted(self, point: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(point)
        for name in SECURE.get(out["type"], ()):
            if name in out["settings"]:
                out["settings"][name] = "[REDACTED]"
        return out

    def list_contact_points(self, name: str | None) -> Result:
        points = [p for p in self.contact_points.values() if name is None or p["name"] == name]
        return 200, [self._redacted(p) for p in sorted(points, key=lambda p: p["name"])]

    def _check_contact_point(self, body: dict[str, Any]) -> str | None:
        kind = body.get("type")
        if kind not in REQUIRED and kind != "email":
            return f"invalid contact point: unknown type {kind!r}"
        for name in REQUIRED.get(str(kind), ()):
            if not (body.get("settings") or {}).get(name):
                return f"invalid contact point: {kind} needs settings.{name}"
        return None

    def create_contact_point(self, body: dict[str, Any], provenance: str) -> Result:
        problem = self._check_contact_point(body)
        if problem:
            return 400, {"message": problem}
        uid = body.get("uid") or f"cp{self._next}"
        if uid in self.contact_points:
            return 409, {"message": "contact point with that uid already exists"}
        point = {**copy.deepcopy(body), "uid": uid, "provenance": provenance}
        self.contact_points[uid] = point
        return 202, self._redacted(point)

    def update_contact_point(self, uid: str, body: dict[str, Any], provenance: str) -> Result:
        point = self.contact_points.get(uid)
        if point is None:
            return 404, {"message": "contact point not found"}
        problem = self._check_contact_point(body)
        if problem:
            return 400, {"message": problem}
        conflict = self._provenance_conflict(point["provenance"], provenance)
        if conflict:
            return conflict
        settings = copy.deepcopy(body.get("settings") or {})
        for name, value in settings.items():
            if value == "[REDACTED]":  # Grafana keeps the stored secret for a redacted value
                settings[name] = point["settings"].get(name)
        self.contact_points[uid] = {**copy.deepcopy(body), "settings": settings, "uid": uid,
                                    "provenance": provenance}
        return 202, {"message": "contactpoint updated"}

    def delete_contact_point(self, uid: str, provenance: str) -> Result:
        point = self.contact_points.get(uid)
        if point is None:
            return 202, None
        if point["name"] in _receivers_in(self.policy):
            return 409, {"message": "contact point is referenced by a notification policy"}
        conflict = self._provenance_conflict(point["provenance"], provenance)
        if conflict:
            return conflict
        del self.contact_points[uid]
        return 202, None

    # ------------------------------------------------------------ policies
    def get_policy(self) -> Result:
        tree = copy.deepcopy(self.policy)
        if self.policy_provenance:
            tree["provenance"] = self.policy_provenance
        return 200, tree

    def put_policy(self, body: dict[str, Any], provenance: str) -> Result:
        forbidden = self._forbidden_provenance(self.policy_provenance, provenance)
        if forbidden:
            return forbidden
        unknown = sorted(_receivers_in(body) - self._receivers())
        if unknown:
            return 400, {"message": f"invalid object specification: receiver '{unknown[0]}' does not exist"}
        mutes = sorted(_mutes_in(body) - set(self.mute_timings))
        if mutes:
            return 400, {"message": f"invalid object specification: mute time interval '{mutes[0]}' does not exist"}
        self.policy = {k: v for k, v in copy.deepcopy(body).items() if k != "provenance"}
        self.policy_provenance = provenance
        return 202, {"message": "policies updated"}

    # -------------------------------------------------------- mute timings
    def list_mute_timings(self) -> Result:
        return 200, [copy.deepcopy(m) for _, m in sorted(self.mute_timings.items())]

    def create_mute_timing(self, body: dict[str, Any], provenance: str) -> Result:
        name = str(body.get("name") or "")
        if not name or not body.get("time_intervals"):
            return 400, {"message": "invalid object specification: mute timing needs a name and time_intervals"}
        if name in self.mute_timings:
            return 409, {"message": "a mute timing with this name already exists"}
        self.mute_timings[name] = {**copy.deepcopy(body), "version": "v1", "provenance": provenance}
        return 201, self.mute_timings[name]

    def update_mute_timing(self, name: str, body: dict[str, Any], provenance: str) -> Result:
        stored = self.mute_timings.get(name)
        if stored is None:
            return EMPTY_404
        forbidden = self._forbidden_provenance(stored["provenance"], provenance)
        if forbidden:
            return forbidden
        self.mute_timings[name] = {**{k: v for k, v in copy.deepcopy(body).items() if k != "version"},
                                   "name": name, "version": f"v{self._next}", "provenance": provenance}
        self._next += 1
        return 202, self.mute_timings[name]

    def delete_mute_timing(self, name: str, provenance: str) -> Result:
        stored = self.mute_timings.get(name)
        if stored is None:
            return 204, None
        if name in _mutes_in(self.policy):
            return 409, {"message": "mute timing is used by a notification policy"}
        forbidden = self._forbidden_provenance(stored["provenance"], provenance)
        if forbidden:
            return forbidden
        del self.mute_timings[name]
        return 204, None

    # ------------------------------------------------------------ templates
    def list_templates(self) -> Result:
        return 200, [copy.deepcopy(t) for _, t in sorted(self.templates.items())]

    def put_template(self, name: str, body: dict[str, Any], provenance: str) -> Result:
        stored = self.templates.get(name)
        if stored is not None:
            forbidden = self._forbidden_provenance(stored["provenance"], provenance)
            if forbidden:
                return forbidden
        text = str(body.get("template") or "")
        if text.count("{{") != text.count("}}"):
            return 400, {"message": "invalid template: unbalanced braces"}
        self.templates[name] = {"name": name, "template": text, "provenance": provenance}
        return 202, self.templates[name]

    def delete_template(self, name: str, provenance: str) -> Result:
        stored = self.templates.get(name)
        if stored is None:
            return 204, None
        forbidden = self._forbidden_provenance(stored["provenance"], provenance)
        if forbidden:
            return forbidden
        del self.templates[name]
        return 204, None


def _walk(route: dict[str, Any]) -> list[dict[str, Any]]:
    found = [route]
    for child in route.get("routes") or []:
        found += _walk(child)
    return found


def _receivers_in(tree: dict[str, Any]) -> set[str]:
    return {r["receiver"] for r in _walk(tree) if r.get("receiver")}


def _mutes_in(tree: dict[str, Any]) -> set[str]:
    return {m for r in _walk(tree) for m in r.get("mute_time_intervals") or []}

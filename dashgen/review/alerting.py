"""The alerting objects' changes in words, between canonical bodies (the kinds' own `canonical`).

Rules are matched by uid. A rule is named as a reader knows it: its alert, its severity when the alert has
several levels, and its audience: dashgen splits an alert per client override (alerting/thresholds.py), the
client's rule titled "Alert [client]" and the default rule excluding those clients, so a rule is "for client
acme" or, beside such splits, "for all other clients". A client's rule that is new (or gone) is compared with the
default rule it leaves (or returns to): "InventoryDrift warning for client acme: threshold 0.15 -> 0.2".

The threshold sits in the rule's `data`: the server-side expression of type `threshold` (`__expr__`), its
evaluator's type (gt, lt, within_range, ...) and params.

Contact points are compared redacted, as diff compares them: a secret's value never reaches a review; which
environment variable holds it (`${VAR}`, the placeholder build writes) is said when it changes. Pure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dashgen.alerting.grafana import EXPR_DATASOURCE
from dashgen.alerting.rules import TITLE_WITH_CLIENT
from dashgen.kinds.provisioning import REDACTED
from dashgen.managed import SECRET_FIELDS, secret_variables
from dashgen.review.model import Change, Json, Sides, leaf_changes, text_diff, value_change

OPERATORS = {"gt": ">", "lt": "<", "eq": "==", "ne": "!=", "gte": ">=", "lte": "<="}
RULE_SHOWN_ELSEWHERE = ("uid", "title", "data", "labels", "annotations", "ruleGroup", "folderUID", "condition")
RULE_NAMES = {"for": "for", "noDataState": "no-data state", "execErrState": "error state", "isPaused": "paused",
              "keep_firing_for": "keep firing for", "notification_settings.receiver": "contact point",
              "notification_settings.group_by": "group by", "notification_settings.mute_time_intervals":
              "mute timings"}
ANNOTATION_NAMES = {"summary": "summary", "description": "description", "runbook_url": "runbook link",
                    "__dashboardUid__": "board link", "__panelId__": "panel link"}
ROUTE_NAMES = {"receiver": "contact point", "group_by": "group by", "group_wait": "group wait",
               "group_interval": "group interval", "repeat_interval": "repeat interval",
               "mute_time_intervals": "mute timings", "active_time_intervals": "active timings",
               "object_matchers": "matchers", "continue": "continue"}


# ------------------------------------------------------------------------------------------------ rule groups
def rule_group(before: Json | None, after: Json | None, sides: Sides) -> list[Change]:
    old = {str(r.get("uid")): r for r in (before or {}).get("rules") or []}
    new = {str(r.get("uid")): r for r in (after or {}).get("rules") or []}
    split = _split_alerts([*old.values(), *new.values()])
    found: list[Change] = []
    if before is not None and after is not None and before.get("interval") != after.get("interval"):
        found.append(value_change("group", "", "evaluation interval", _seconds(before.get("interval")),
                                  _seconds(after.get("interval"))))
    for uid in [*new, *(u for u in old if u not in new)]:
        was, now = old.get(uid), new.get(uid)
        if was == now:
            continue
        if was is None or now is None:
            found.extend(_whole_rule(was, now, old if now is not None else new, split))
            continue
        found.extend(_rule(rule_name(now, split), was, now, sides))
    return found


def _seconds(value: Any) -> Any:
    return f"{value}s" if isinstance(value, int) else value


def _split_alerts(rules: list[Json]) -> set[str]:
    """The alerts that have a client's own rule on either side."""
    return {_alert(r) for r in rules if TITLE_WITH_CLIENT.match(str(r.get("title", "")))}


def _alert(rule: Json) -> str:
    title = str(rule.get("title", ""))
    match = TITLE_WITH_CLIENT.match(title)
    return str((rule.get("labels") or {}).get("alert") or (match.group("name").split(" ")[0] if match else title))


def _level(rule: Json) -> str:
    """The rule's title without its client: the alert and, when it has several levels, the severity."""
    title = str(rule.get("title", ""))
    match = TITLE_WITH_CLIENT.match(title)
    return match.group("name") if match else title


def client_of(rule: Json) -> str | None:
    match = TITLE_WITH_CLIENT.match(str(rule.get("title", "")))
    return match.group("client") if match else None


def rule_name(rule: Json, split: set[str]) -> str:
    client = client_of(rule)
    if client is not None:
        return f"{_level(rule)} for client {client}"
    return f"{_level(rule)} for all other clients" if _alert(rule) in split else _level(rule)


def _whole_rule(was: Json | None, now: Json | None, other_side: dict[str, Json], split: set[str]) -> list[Change]:
    """A rule added or removed. A client's rule that splits off the default rule (or merges back into it) is
    told as the client's threshold before -> after."""
    shown = now if now is not None else was
    assert shown is not None
    name = rule_name(shown, split)
    client = client_of(shown)
    default = next((r for r in other_side.values() if client_of(r) is None and _level(r) == _level(shown)), None)
    if client is not None and default is not None:
        if now is not None:
            note = "now a rule of its own, split from the default rule"
            return _threshold(name, default, now, note)
        note = "its own rule removed: judged by the default rule again"
        return _threshold(name, shown, default, note)
    summary = _condition(shown)
    note = f"fires when {summary}" if summary else ""
    if shown.get("for"):
        note += f"{', ' if note else ''}for {shown['for']}"
    return [Change("rule", name, "rule", "added" if now is not None else "removed", note=note)]


def _threshold(name: str, before: Json, after: Json, note: str = "") -> list[Change]:
    old, new = thresholds(before), thresholds(after)
    found = []
    for ref in [*new, *(r for r in old if r not in new)]:
        was, now = old.get(ref), new.get(ref)
        if was == now:
            if note:  # the same value, now in a rule of its own: still worth a line
                found.append(Change("rule", name, "threshold", "changed", _value(now), _value(now), note=note))
            continue
        label = "threshold" if len(new) <= 1 and len(old) <= 1 else f"threshold {ref}"
        if was is not None and now is not None and was[0] == now[0] and len(was[1]) == len(now[1]) == 1:
            found.append(Change("rule", name, label, "changed", was[1][0], now[1][0], note=note))
        else:
            found.append(value_change("rule", name, label, _words(was), _words(now), note=note))
    return found


def _value(threshold: tuple[str, list[Any]] | None) -> Any:
    if threshold is None:
        return None
    return threshold[1][0] if len(threshold[1]) == 1 else _words(threshold)


def thresholds(rule: Json) -> dict[str, tuple[str, list[Any]]]:
    """refId -> (evaluator type, params) of each threshold expression in the rule's data."""
    found = {}
    for query in rule.get("data") or []:
        model = query.get("model") or {}
        if query.get("datasourceUid") == EXPR_DATASOURCE and model.get("type") == "threshold":
            for condition in model.get("conditions") or []:
                evaluator = condition.get("evaluator") or {}
                found[str(query.get("refId"))] = (str(evaluator.get("type")), list(evaluator.get("params") or []))
    return found


def _words(threshold: tuple[str, list[Any]] | None) -> str | None:
    if threshold is None:
        return None
    kind, params = threshold
    if kind in OPERATORS and len(params) == 1:
        return f"{OPERATORS[kind]} {params[0]}"
    if kind in ("within_range", "outside_range") and len(params) == 2:
        return f"{kind.replace('_', ' ')} {params[0]}..{params[1]}"
    return f"{kind} {', '.join(str(p) for p in params)}"


def _condition(rule: Json) -> str:
    """"`expr` > 0.15" for a rule whose threshold judges one query."""
    queries = {str(q.get("refId")): (q.get("model") or {}).get("expr") for q in rule.get("data") or []
               if q.get("datasourceUid") != EXPR_DATASOURCE}
    parts = []
    for ref, threshold in thresholds(rule).items():
        model = next((q.get("model") or {} for q in rule.get("data") or [] if str(q.get("refId")) == ref), {})
        expr = queries.get(str(model.get("expression")))
        parts.append(f"{expr} {_words(threshold)}" if expr else f"{ref} {_words(threshold)}")
    return "; ".join(parts)


def _rule(name: str, before: Json, after: Json, sides: Sides) -> list[Change]:
    found = [*_threshold(name, before, after), *_queries(name, before, after)]
    for field in ("labels", "annotations"):
        old, new = before.get(field) or {}, after.get(field) or {}
        for key in [*new, *(k for k in old if k not in new)]:
            if old.get(key) == new.get(key):
                continue
            what = f"label {key}" if field == "labels" else ANNOTATION_NAMES.get(key, f"annotation {key}")
            was, now = old.get(key), new.get(key)
            if key == "__panelId__":
                was = sides.panel_name(str(was), after=False) if was is not None else None
                now = sides.panel_name(str(now), after=True) if now is not None else None
            found.append(value_change("rule", name, what, was, now))
    rest = ({k: v for k, v in before.items() if k not in RULE_SHOWN_ELSEWHERE},
            {k: v for k, v in after.items() if k not in RULE_SHOWN_ELSEWHERE})
    found.extend(leaf_changes("rule", name, *rest, lambda path: RULE_NAMES.get(path, path)))
    if before.get("condition") != after.get("condition"):
        found.append(value_change("rule", name, "condition", before.get("condition"), after.get("condition")))
    return found


def _queries(name: str, before: Json, after: Json) -> list[Change]:
    """The rule's queries (by refId) and its expressions other than the threshold's evaluator."""
    old = {str(q.get("refId")): q for q in before.get("data") or []}
    new = {str(q.get("refId")): q for q in after.get("data") or []}
    found: list[Change] = []
    for ref in [*new, *(r for r in old if r not in new)]:
        was, now = old.get(ref), new.get(ref)
        if was == now:
            continue
        expression = (now or was or {}).get("datasourceUid") == EXPR_DATASOURCE
        label = f"expression {ref}" if expression else f"query {ref}"
        if was is None or now is None:
            model = (now or was or {}).get("model") or {}
            value = model.get("expr") or model.get("expression") or model.get("type")
            found.append(value_change("rule", name, label, None if was is None else value,
                                      None if now is None else value))
            continue
        old_model, new_model = dict(was.get("model") or {}), dict(now.get("model") or {})
        if expression and old_model.get("type") == new_model.get("type") == "threshold":
            old_model.pop("conditions", None)  # told as the threshold
            new_model.pop("conditions", None)
        found.extend(leaf_changes("rule", name, {**old_model, "relativeTimeRange": was.get("relativeTimeRange")},
                                  {**new_model, "relativeTimeRange": now.get("relativeTimeRange")},
                                  _query_field_names(label)))
    return found


def _query_field_names(label: str) -> Callable[[str], str]:
    names = {"expr": label, "expression": f"{label} input", "relativeTimeRange.from": f"{label} range from",
             "relativeTimeRange.to": f"{label} range to"}
    return lambda path: names.get(path, f"{label} {path}")


# --------------------------------------------------------------------------------------------- contact points
def contact_point(before: Json | None, after: Json | None, sides: Sides) -> list[Change]:
    if before is None or after is None:
        shown = after if after is not None else before
        assert shown is not None
        return [Change("contact point", "", "contact point", "added" if after is not None else "removed",
                       note=str(shown.get("type", "")))]
    names = {"type": "type", "disableResolveMessage": "no resolved message"}
    return leaf_changes("contact point", "", before, after,
                        lambda path: None if _is_secret_path(path, before, after) else names.get(
                            path, f"setting {path.removeprefix('settings.')}"))


def _is_secret_path(path: str, before: Json, after: Json) -> bool:
    secret = {f"settings.{name}" for body in (before, after) for name in SECRET_FIELDS.get(body.get("type", ""), ())}
    return path in secret


def secret_sources(before: Json, after: Json) -> list[Change]:
    """A secret setting now read from another environment variable (build's `${VAR}` placeholders; never a
    value: anything not a whole placeholder is shown as redacted)."""
    old, new = _secret_sources(before), _secret_sources(after)
    return [value_change("contact point", "", f"secret {name} from", old.get(name), new.get(name))
            for name in sorted(old.keys() | new.keys()) if old.get(name) != new.get(name)]


def _secret_sources(point: Json) -> dict[str, str]:
    """Secret setting -> `$VAR` it is read from (managed.secret_variables), or redacted when it is not one."""
    settings = point.get("settings") or {}
    variables = secret_variables({"type": point.get("type"), "settings": settings})
    return {name: f"${variables[name]}" if name in variables else REDACTED
            for name in SECRET_FIELDS.get(str(point.get("type")), ()) if settings.get(name) is not None}


# ------------------------------------------------------------------------------------------------- the policy
def policy(before: Json | None, after: Json | None, sides: Sides) -> list[Change]:
    if before is None or after is None:
        return [Change("route", "", "policy subtree", "added" if after is not None else "removed")]
    top = leaf_changes("route", "the subtree's default", {k: v for k, v in before.items() if k != "routes"},
                       {k: v for k, v in after.items() if k != "routes"}, lambda path: ROUTE_NAMES.get(path, path))
    return [*top, *_routes(_flat(before.get("routes") or []), _flat(after.get("routes") or []))]


def _flat(routes: list[Json], prefix: str = "") -> list[tuple[str, str]]:
    """(position, the route in words) of every nested route, depth first."""
    found = []
    for index, route in enumerate(routes, 1):
        found.append((f"{prefix}{index}", route_words(route)))
        found.extend(_flat(route.get("routes") or [], f"{prefix}{index}."))
    return found


def route_words(route: Json) -> str:
    matchers = ", ".join(f"{m[0]}{m[1]}{m[2]}" for m in route.get("object_matchers") or [] if len(m) == 3)
    words = [f"{matchers or 'everything'} -> {route.get('receiver', '(inherited)')}"]
    for key in ("group_by", "mute_time_intervals", "active_time_intervals"):
        if route.get(key):
            words.append(f"{ROUTE_NAMES[key]} {', '.join(str(v) for v in route[key])}")
    for key in ("group_wait", "group_interval", "repeat_interval"):
        if route.get(key):
            words.append(f"{ROUTE_NAMES[key]} {route[key]}")
    if route.get("continue"):
        words.append("continue")
    return "; ".join(words)


def _routes(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[Change]:
    import difflib

    found: list[Change] = []
    matcher = difflib.SequenceMatcher(a=[w for _, w in old], b=[w for _, w in new], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and a2 - a1 == b2 - b1:
            for (_, was), (where, now) in zip(old[a1:a2], new[b1:b2], strict=True):
                found.append(value_change("route", f"route {where}", "route", was, now))
            continue
        for where, was in old[a1:a2]:
            found.append(Change("route", f"route {where}", "route", "removed", before=was))
        for where, now in new[b1:b2]:
            found.append(Change("route", f"route {where}", "route", "added", after=now))
    return found


# ----------------------------------------------------------------------------------- mute timings, templates
def mute_timing(before: Json | None, after: Json | None, sides: Sides) -> list[Change]:
    old = _intervals(before) if before is not None else None
    new = _intervals(after) if after is not None else None
    return [value_change("mute timing", "", "time intervals", old, new)]


def _intervals(body: Json) -> str:
    words = []
    for interval in body.get("time_intervals") or []:
        parts = [", ".join(f"{t.get('start_time')}-{t.get('end_time')}" for t in interval.get("times") or [])]
        for key in ("weekdays", "days_of_month", "months", "years"):
            if interval.get(key):
                parts.append(f"{key.replace('_', ' ')} {', '.join(str(v) for v in interval[key])}")
        if interval.get("location"):
            parts.append(str(interval["location"]))
        words.append(" ".join(p for p in parts if p) or "always")
    return "; ".join(words) or "(none)"


def template(before: Json | None, after: Json | None, sides: Sides) -> list[Change]:
    old = (before or {}).get("template")
    new = (after or {}).get("template")
    return [Change("template", "", "template", "added" if old is None else "removed" if new is None else "changed",
                   old, new, diff=text_diff(old, new, str((after or before or {}).get("name"))))]

"""A board's changes in words, between two canonical boards (kinds/dashboard_canonical.py, as diff compares).

Panels are matched by their stable id (a hash of section key + panel key, board/ids.py). A panel's key defaults
to its title, so a panel renamed without `key=` has a new id: a panel gone and one new in the same row, at the
same grid position and of the same type (each the only one there) are the same panel renamed ("title X → Y",
with its other changes); one renamed with its key kept is the same id, a new title. A panel moved to another
section (a new id) is matched by its title. A panel's place is its row and its grid position relative to the row
(y counted from the row's header), so a panel added above does not move every panel below it. Panels and rows
are read through the one walker, board/walk.py. Pure."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from dashgen.board import walk
from dashgen.review.model import Change, Json, Sides, leaf_changes, value_change

PANEL_SHOWN_ELSEWHERE = ("id", "gridPos", "targets", "title", "panels")
FIELD_NAMES = {"description": "description", "type": "type", "links": "links", "timeFrom": "relative time",
               "timeShift": "time shift", "repeat": "repeat by", "transformations": "transformations",
               "fieldConfig.overrides": "overrides", "datasource": "datasource", "interval": "min interval",
               "maxDataPoints": "max data points"}
DEFAULTS = "fieldConfig.defaults."
TARGET_NAMES = {"expr": "query", "legendFormat": "legend", "instant": "instant", "range": "range",
                "format": "format", "interval": "min step", "hide": "hidden"}
TARGET_QUIET = ("refId", "datasource", "editorMode")  # the datasource of every target is the board's variable
VARIABLE_NAMES = {"query": "query", "current": "default", "options": "options", "label": "label",
                  "multi": "multi-select", "includeAll": "include All", "allValue": "All value", "hide": "hidden",
                  "regex": "regex", "sort": "sort", "refresh": "refresh", "type": "type", "description": "description"}
VARIABLE_QUIET = ("definition",)  # the query again, as the editor shows it
SETTING_NAMES = {"time.from": "time from", "time.to": "time to", "refresh": "refresh", "title": "title",
                 "tags": "tags", "timezone": "time zone", "graphTooltip": "shared tooltip"}


@dataclass(frozen=True)
class Placed:
    row: str  # the row's title, "" above the first row
    position: tuple[int, int, int, int]  # x, y relative to the row, w, h
    panel: Json

    @property
    def location(self) -> str:
        return walk.location(self.row, self.panel.get("title", ""))

    def where(self) -> str:
        x, y, w, h = self.position
        return f"{self.row or '(top)'} (x={x}, y={y}, w={w}, h={h})"


def explain(before: Json | None, after: Json | None, sides: Sides) -> list[Change]:
    if before is None or after is None:  # a whole board added or removed: its panels are its content
        shown = after if after is not None else before
        assert shown is not None
        count = len(walk.panels(shown))
        return [Change("settings", "", "board", "added" if after is not None else "removed",
                       note=f"{count} panel{'s' if count != 1 else ''}")]
    return [*_settings(before, after), *_variables(before, after), *_rows(before, after), *_panels(before, after)]


def with_defaults(raw: Json, canonical: Json) -> Json:
    """The canonical board with each variable's default as the code sets it: the canonical form drops a query
    variable's `current` (Grafana resolves it on load, so live boards differ there), but between two builds the
    default the code writes is a change a reviewer reads."""
    written = {str(v.get("name")): v.get("current") for v in (raw.get("templating") or {}).get("list", [])}
    listed = [v if "current" in v or written.get(str(v.get("name"))) is None
              else {**v, "current": written[str(v.get("name"))]}
              for v in (canonical.get("templating") or {}).get("list", [])]
    return {**canonical, "templating": {**(canonical.get("templating") or {}), "list": listed}} if listed else canonical


# ------------------------------------------------------------------------------------------------- settings
def _settings(before: Json, after: Json) -> list[Change]:
    return leaf_changes("settings", "", walk.settings(before), walk.settings(after),
                        lambda path: SETTING_NAMES.get(path, path))


# ------------------------------------------------------------------------------------------------ variables
def _variables(before: Json, after: Json) -> list[Change]:
    old, new = walk.variables_by_name(before), walk.variables_by_name(after)
    common_old, common_new = [n for n in old if n in new], [n for n in new if n in old]
    found: list[Change] = []
    for name in [*new, *(n for n in old if n not in new)]:
        was, now = old.get(name), new.get(name)
        if was == now:
            continue
        if was is None or now is None:
            shown = now if now is not None else was
            assert shown is not None
            query = shown.get("query")
            note = str(shown.get("type", "")) + (f" {query}" if isinstance(query, str) and query else "")
            found.append(Change("variable", name, "variable", "added" if now is not None else "removed",
                                note=note))
            continue
        if common_old != common_new and common_old.index(name) != common_new.index(name):
            found.append(Change("variable", name, "order", "changed", common_old.index(name) + 1,
                                common_new.index(name) + 1))
        found.extend(leaf_changes("variable", name, _variable_view(was), _variable_view(now),
                                  lambda path: VARIABLE_NAMES.get(path, path)))
    return found


def _variable_view(variable: Json) -> Json:
    """What a reader compares: the default as its value(s), the options as their values, a query as text."""
    out = {k: v for k, v in variable.items() if k not in VARIABLE_QUIET and k != "name"}
    current = out.get("current")
    if isinstance(current, dict):
        out["current"] = current.get("value", current.get("text"))
    if isinstance(out.get("options"), list):
        out["options"] = [o.get("value", o.get("text")) if isinstance(o, dict) else o for o in out["options"]]
    query = out.get("query")
    if isinstance(query, dict):
        out["query"] = query.get("query", query)
    return out


# ----------------------------------------------------------------------------------------------------- rows
def _rows(before: Json, after: Json) -> list[Change]:
    old, new = _row_panels(before), _row_panels(after)
    found: list[Change] = []
    common_old = [k for k in old if k in new]
    common_new = [k for k in new if k in old]
    for key in [*new, *(k for k in old if k not in new)]:
        was, now = old.get(key), new.get(key)
        if was is None or now is None:
            shown = now if now is not None else was
            assert shown is not None
            found.append(Change("row", str(shown.get("title", "")), "row", "added" if now is not None else "removed"))
            continue
        subject = str(now.get("title", ""))
        if was.get("title") != now.get("title"):
            found.append(value_change("row", subject, "title", was.get("title"), now.get("title")))
        if bool(was.get("collapsed")) != bool(now.get("collapsed")):
            found.append(value_change("row", subject, "collapsed", bool(was.get("collapsed")),
                                      bool(now.get("collapsed"))))
        if was.get("repeat") != now.get("repeat"):
            found.append(value_change("row", subject, "repeat by", was.get("repeat"), now.get("repeat")))
        if common_old != common_new and common_old.index(key) != common_new.index(key):
            found.append(Change("row", subject, "order", "changed", common_old.index(key) + 1,
                                common_new.index(key) + 1))
    return found


def _row_panels(board: Json) -> dict[Any, Json]:
    return {row.panel.get("id", row.title): row.panel for row in walk.rows(board) if row.panel is not None}


# --------------------------------------------------------------------------------------------------- panels
def _placed(board: Json) -> dict[Any, Placed]:
    """Every panel by its id (its location when it has none), with its row and place in the row."""
    found: dict[Any, Placed] = {}
    for row in walk.rows(board):
        for panel in row.panels:
            placed = Placed(row.title, walk.relative_grid(row, panel), panel)
            found[panel.get("id", placed.location)] = placed
    return found


def paired_panels(before: Json, after: Json) -> tuple[dict[Any, Placed], dict[Any, Placed]]:
    """The panels of two canonical boards, each side keyed so that the same panel has the same key on both: its
    id, or for a panel moved to another section or renamed in place, its new id on both sides. The one pairing
    review and preview (its changed panels) use."""
    return _renamed_in_place(*_moved_across_sections(_placed(before), _placed(after)))


def _panels(before: Json, after: Json) -> list[Change]:
    old, new = paired_panels(before, after)
    found: list[Change] = []
    for key in [*new, *(k for k in old if k not in new)]:
        was, now = old.get(key), new.get(key)
        if was is None or now is None:
            found.extend(_whole_panel(was, now))
            continue
        if was == now:
            continue
        subject = now.location
        if was.row != now.row or was.position != now.position:
            found.append(Change("panel", subject, "place", "moved", was.where(), now.where()))
        if was.panel.get("title") != now.panel.get("title"):
            found.append(value_change("panel", subject, "title", was.panel.get("title"), now.panel.get("title")))
        found.extend(_targets(subject, was.panel, now.panel))
        found.extend(leaf_changes("panel", subject, _fields(was.panel), _fields(now.panel), _field_name))
    return found


def _moved_across_sections(old: dict[Any, Placed], new: dict[Any, Placed]) -> tuple[dict[Any, Placed],
                                                                                        dict[Any, Placed]]:
    """A panel's id hashes its section's key, so a panel moved to another section (or whose section was renamed)
    has a new id: a panel gone and one new with the same title, each the only one of that title, are the same
    panel moved (keyed by the new id on both sides)."""
    gone = {p.panel.get("title"): k for k, p in old.items() if k not in new}
    came = {p.panel.get("title"): k for k, p in new.items() if k not in old}
    titles = [p.panel.get("title") for p in [*old.values(), *new.values()]]
    pairs = {gone[t]: came[t] for t in gone if t in came and titles.count(t) == 2}
    return {pairs.get(k, k): p for k, p in old.items()}, new


def _renamed_in_place(old: dict[Any, Placed], new: dict[Any, Placed]) -> tuple[dict[Any, Placed],
                                                                                 dict[Any, Placed]]:
    """A panel's id hashes its key, which defaults to its title, so a panel renamed without `key=` has a new id:
    a panel gone and one new in the same row, at the same grid position and of the same type, each the only one
    gone or new there, are the same panel renamed (keyed by the new id on both sides)."""
    def place(placed: Placed) -> tuple[str, tuple[int, int, int, int], Any]:
        return placed.row, placed.position, placed.panel.get("type")

    gone: dict[Any, list[Any]] = {}
    came: dict[Any, list[Any]] = {}
    for key, placed in old.items():
        if key not in new:
            gone.setdefault(place(placed), []).append(key)
    for key, placed in new.items():
        if key not in old:
            came.setdefault(place(placed), []).append(key)
    pairs = {gone[at][0]: came[at][0] for at in gone if len(gone[at]) == 1 and len(came.get(at, ())) == 1}
    return {pairs.get(k, k): p for k, p in old.items()}, new


def _whole_panel(was: Placed | None, now: Placed | None) -> list[Change]:
    shown = now if now is not None else was
    assert shown is not None
    panel = shown.panel
    unit = (panel.get("fieldConfig") or {}).get("defaults", {}).get("unit")
    note = f"{panel.get('type', '?')}{f', unit {unit}' if unit else ''}, at {shown.where()}"
    found = [Change("panel", shown.location, "panel", "added" if now is not None else "removed", note=note)]
    if now is not None:  # what a new panel shows
        for target in panel.get("targets") or []:
            ref = str(target.get("refId", "?"))
            if target.get("expr"):
                found.append(value_change("panel", shown.location, f"query {ref}", None, target["expr"]))
            if target.get("legendFormat"):
                found.append(value_change("panel", shown.location, f"legend {ref}", None, target["legendFormat"]))
    return found


def _targets(subject: str, before: Json, after: Json) -> list[Change]:
    old = {str(t.get("refId", "?")): t for t in before.get("targets") or []}
    new = {str(t.get("refId", "?")): t for t in after.get("targets") or []}
    found: list[Change] = []
    for ref in [*new, *(r for r in old if r not in new)]:
        was, now = old.get(ref), new.get(ref)
        if was == now:
            continue
        if was is None or now is None:
            shown = now if now is not None else was
            assert shown is not None
            for key, what in (("expr", "query"), ("legendFormat", "legend")):
                if shown.get(key):
                    found.append(value_change("panel", subject, f"{what} {ref}", shown[key] if now is None else None,
                                              shown[key] if now is not None else None))
            continue
        for key in [*now, *(k for k in was if k not in now)]:
            if key in TARGET_QUIET or was.get(key) == now.get(key):
                continue
            found.append(value_change("panel", subject, f"{TARGET_NAMES.get(key, key)} {ref}", was.get(key),
                                      now.get(key)))
    return found


def _fields(panel: Json) -> Json:
    out = copy.deepcopy({k: v for k, v in panel.items() if k not in PANEL_SHOWN_ELSEWHERE})
    thresholds = ((out.get("fieldConfig") or {}).get("defaults") or {}).get("thresholds")
    if isinstance(thresholds, dict) and isinstance(thresholds.get("steps"), list):
        thresholds["steps"] = thresholds_text(thresholds["steps"])  # as a reader says them: "green, red from 80"
    return out


def thresholds_text(steps: list[Any]) -> str:
    words = []
    for step in steps:
        if isinstance(step, dict):
            value = step.get("value")
            words.append(str(step.get("color")) if value is None else f"{step.get('color')} from {value}")
    return ", ".join(words)


def _field_name(path: str) -> str:
    if path in FIELD_NAMES:
        return FIELD_NAMES[path]
    if path.startswith(DEFAULTS):
        rest = path[len(DEFAULTS):]
        return {"thresholds.steps": "thresholds", "thresholds.mode": "thresholds mode"}.get(rest, rest)
    if path.startswith("options."):
        return f"option {path[len('options.'):]}"
    return path

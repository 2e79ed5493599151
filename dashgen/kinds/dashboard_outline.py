"""A board as a person sees it — rows, panels, variables, settings — from either schema, so a board stored in
the v2 schema (saved in Grafana 13's UI) compares with the classic board dashgen writes without conversion noise.

Both `classic` (dashgen's board, the v1 schema) and `v2` (dashboard.grafana.app v2/v2beta1 spec) give the same
shape:
    {"settings": {...}, "variables": {name: {...}}, "rows": {title: {...}}, "panels": {"Row / Title": {...}}}
What goes in is what a person changes and reads: a panel's type, description, queries, unit, limits,
thresholds, options and field defaults the code sets, overrides and its place in its row (y relative to the row,
as v2 stores it); a row's title, collapse state, repeat and conditional rendering (shown "when $region = eu",
v2 only); a variable's type, label, query, multi/all and visibility. Defaults a UI save adds to options and field
config are not differences: the live side is read only at the keys the code sets (`projected`). Facts on the v2
schema: @grafana/schema 13.0.2 dashboard/v2beta1 types; the 13 frontend's transformSceneToSaveModelSchemaV2."""

from __future__ import annotations

from typing import Any

from dashgen.board import walk
from dashgen.kinds.dashboard_canonical import CHECKSUM_TAG

HIDE = {0: "shown", 1: "label hidden", 2: "hidden", "dontHide": "shown", "hideLabel": "label hidden",
        "hideVariable": "hidden", "inControlsMenu": "shown"}
QUERY_KEYS = ("expr", "legendFormat", "instant", "format", "interval")


# ----------------------------------------------------------------------------------------------- classic (v1)
def classic(dashboard: dict[str, Any]) -> dict[str, Any]:
    rows: dict[str, dict[str, Any]] = {}
    panels: dict[str, dict[str, Any]] = {}
    groups = walk.rows(dashboard)
    for group in groups:
        if group.panel is not None:
            rows[group.title] = {"collapsed": bool(group.panel.get("collapsed")),
                                 "repeat": group.panel.get("repeat") or None, "shown": "always", "order": len(rows)}
    if groups and groups[0].panel is None and rows:  # panels above the first row: v2 puts them in a headless row
        rows = {"": {"collapsed": False, "repeat": None, "shown": "always", "order": -1}, **rows}
    for group in groups:
        for panel in group.panels:
            panels[walk.unique_location(group.title, panel.get("title", ""), panels)] = _panel(
                panel.get("type"), panel.get("description"), [_classic_query(t) for t in panel.get("targets", [])],
                panel.get("options", {}), panel.get("fieldConfig", {}),
                walk.relative_grid(group, panel),
                [t.get("id") for t in panel.get("transformations", [])], panel.get("links", []))
    variables = {str(v.get("name")): _classic_variable(v) for v in dashboard.get("templating", {}).get("list", [])}
    time = dashboard.get("time", {})
    settings = _settings(dashboard.get("title"), dashboard.get("description"), dashboard.get("tags", []),
                         time.get("from"), time.get("to"), dashboard.get("refresh"), dashboard.get("timezone"))
    return {"settings": settings, "variables": variables, "rows": rows, "panels": panels}


def _classic_query(target: dict[str, Any]) -> dict[str, Any]:
    return _query(str(target.get("refId", "")), bool(target.get("hide")), target)


def _classic_variable(variable: dict[str, Any]) -> dict[str, Any]:
    query = variable.get("query")
    if isinstance(query, dict):
        query = query.get("query", query)
    kind = variable.get("type")
    return {"type": kind, "label": variable.get("label") or None, "query": query if kind != "datasource" else
            variable.get("query"), "multi": bool(variable.get("multi")), "all": bool(variable.get("includeAll")),
            "visibility": HIDE.get(variable.get("hide", 0), "shown")}


# ------------------------------------------------------------------------------------------------------- v2
def v2(spec: dict[str, Any]) -> dict[str, Any]:
    elements = spec.get("elements", {})
    rows: dict[str, dict[str, Any]] = {}
    panels: dict[str, dict[str, Any]] = {}

    def place(row: str, layout: dict[str, Any]) -> None:
        kind, body = layout.get("kind"), layout.get("spec", {})
        if kind in ("RowsLayout", "TabsLayout"):
            for item in body.get("rows" if kind == "RowsLayout" else "tabs", []):
                section = item.get("spec", {})
                title = str(section.get("title", ""))
                headless = bool(section.get("hideHeader")) and not title
                rows[title] = {"collapsed": bool(section.get("collapse")) and not headless,
                               "repeat": (section.get("repeat") or {}).get("value"),
                               "shown": condition(section.get("conditionalRendering")),
                               "order": -1 if headless else sum(r["order"] >= 0 for r in rows.values())}
                if kind == "TabsLayout":
                    rows[title]["tab"] = True
                place(title, section.get("layout", {}))
            return
        items = body.get("items", [])
        top = min((int(i.get("spec", {}).get("y", 0)) for i in items), default=0)
        for item in items:
            spec_ = item.get("spec", {})
            element = elements.get(spec_.get("element", {}).get("name"), {})
            where: Any = ((spec_.get("x", 0), int(spec_.get("y", 0)) - top, spec_.get("width"), spec_.get("height"))
                          if kind == "GridLayout" else "auto grid")
            key, panel = _v2_panel(row, element, where)
            panels[walk.unique_location(row, key, panels)] = panel

    place("", spec.get("layout", {}))
    variables = {str(v.get("spec", {}).get("name")): _v2_variable(v) for v in spec.get("variables", [])}
    time = spec.get("timeSettings", {})
    settings = _settings(spec.get("title"), spec.get("description"), spec.get("tags", []), time.get("from"),
                         time.get("to"), time.get("autoRefresh"), time.get("timezone"))
    return {"settings": settings, "variables": variables, "rows": rows, "panels": panels}


def _v2_panel(row: str, element: dict[str, Any], where: Any) -> tuple[str, dict[str, Any]]:
    spec = element.get("spec", {})
    data = spec.get("data", {}).get("spec", {})
    viz = spec.get("vizConfig", {})
    queries = [_query(str(q.get("spec", {}).get("refId", "")), bool(q.get("spec", {}).get("hidden")),
                      q.get("spec", {}).get("query", {}).get("spec", {})) for q in data.get("queries", [])]
    transformations = [t.get("group") if t.get("kind") == "Transformation" else t.get("kind")
                       for t in data.get("transformations", [])]
    plugin = viz.get("group") or (viz.get("kind") if viz.get("kind") != "VizConfig" else None)  # v2alpha1: kind
    panel = _panel(plugin, spec.get("description"), queries, viz.get("spec", {}).get("options", {}),
                   viz.get("spec", {}).get("fieldConfig", {}), where, transformations, spec.get("links", []))
    return str(spec.get("title", "")), panel


def _v2_variable(variable: dict[str, Any]) -> dict[str, Any]:
    kinds = {"QueryVariable": "query", "CustomVariable": "custom", "IntervalVariable": "interval",
             "DatasourceVariable": "datasource", "ConstantVariable": "constant", "TextVariable": "textbox",
             "AdhocVariable": "adhoc", "GroupByVariable": "groupby", "SwitchVariable": "switch"}
    spec = variable.get("spec", {})
    kind = kinds.get(str(variable.get("kind")), variable.get("kind"))
    query: Any = spec.get("query")
    if isinstance(query, dict):  # a DataQuery: its spec, or the legacy string it wraps
        inner = query.get("spec", {})
        query = inner.get("__legacyStringValue", inner.get("query", inner))
    if kind == "datasource":
        query = spec.get("pluginId")
    return {"type": kind, "label": spec.get("label") or None, "query": query, "multi": bool(spec.get("multi")),
            "all": bool(spec.get("includeAll")), "visibility": HIDE.get(spec.get("hide", "dontHide"), "shown")}


def condition(group: Any) -> str:
    """When a row is shown, from its conditional rendering, in words: "when $region = eu and ..."."""
    if not isinstance(group, dict) or not group.get("spec", {}).get("items"):
        return "always"
    spec = group["spec"]
    words = {"equals": "=", "notEquals": "!=", "matches": "=~", "notMatches": "!~"}
    parts = []
    for item in spec["items"]:
        body = item.get("spec", {})
        if item.get("kind") == "ConditionalRenderingVariable":
            parts.append(f"${body.get('variable')} {words.get(body.get('operator'), body.get('operator'))} "
                         f"{body.get('value')}")
        elif item.get("kind") == "ConditionalRenderingData":
            parts.append("its panels have data" if body.get("value") else "its panels have no data")
        elif item.get("kind") == "ConditionalRenderingTimeRangeSize":
            parts.append(f"the time range is at most {body.get('value')}")
    verb = "when" if spec.get("visibility", "show") == "show" else "unless"
    return f"{verb} " + f" {spec.get('condition', 'and')} ".join(parts)


# ------------------------------------------------------------------------------------------------- shared
def _query(ref_id: str, hidden: bool, fields: dict[str, Any]) -> dict[str, Any]:
    found = {k: fields[k] for k in QUERY_KEYS if fields.get(k) not in (None, "", False)}
    if found.get("format") == "time_series":
        del found["format"]
    return {"refId": ref_id, **({"hidden": True} if hidden else {}), **found}


def _panel(kind: Any, description: Any, queries: list[dict[str, Any]], options: Any, field_config: Any,
           where: Any, transformations: list[Any], links: Any) -> dict[str, Any]:
    defaults = dict(field_config.get("defaults", {})) if isinstance(field_config, dict) else {}
    thresholds = defaults.get("thresholds")
    if isinstance(thresholds, dict) and thresholds.get("steps"):
        steps = [dict(step) for step in thresholds["steps"]]
        steps[0]["value"] = None  # the base step: null, dropped, or 0 (-Infinity) after a UI save
        defaults["thresholds"] = {"mode": thresholds.get("mode", "absolute"), "steps": steps}
    overrides = field_config.get("overrides", []) if isinstance(field_config, dict) else []
    return {"type": kind, "description": description or "", "queries": queries,
            "options": pruned(options if isinstance(options, dict) else {}), "defaults": pruned(defaults),
            "overrides": overrides or [], "position": list(where) if isinstance(where, tuple) else where,
            "transformations": [t for t in transformations if t], "links": links or []}


def _settings(title: Any, description: Any, tags: Any, start: Any, end: Any, refresh: Any,
              timezone: Any) -> dict[str, Any]:
    return {"title": title, "description": description or "",
            "tags": sorted(str(t) for t in tags or [] if not str(t).startswith(CHECKSUM_TAG)),
            "time": f"{start or 'now-6h'} to {end or 'now'}", "refresh": refresh or "",
            "timezone": timezone or "browser"}


def pruned(value: Any) -> Any:
    """Without nulls and empty lists or objects: the v2 save drops them (sortedDeepCloneWithoutNulls, and
    handleFieldConfigDefaultsConversion for field defaults), so they are no difference."""
    if isinstance(value, dict):
        kept = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value


def projected(live: Any, like: Any) -> Any:
    """`live` read only at the keys `like` (the code's side) has: what a UI save added is no difference, a
    changed or removed value is."""
    if isinstance(like, dict) and isinstance(live, dict):
        return {k: projected(live[k], v) for k, v in like.items() if k in live}
    return live


def compared(code: dict[str, Any], live: dict[str, Any]) -> dict[str, Any]:
    """The live outline with every panel's options and field defaults projected onto the code's."""
    panels = {}
    for key, panel in live["panels"].items():
        mine = code["panels"].get(key)
        if mine is not None:
            panel = {**panel, "options": projected(panel["options"], mine["options"]),
                     "defaults": projected(panel["defaults"], mine["defaults"])}
        panels[key] = panel
    return {**live, "panels": panels}

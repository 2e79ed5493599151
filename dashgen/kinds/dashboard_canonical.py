"""The canonical form of a dashboard: what two boards must share to be "the same board", in two named steps.

`current_schema` is the board as Grafana's current schema holds it: without the keys of older schemas that
grafanalib still writes (pre-Grafana-5 `rows`, `span`, `style`, graph-era panel options, template tag queries),
`hideTimeOverride: false` and a non-repeating panel's repeat keys (the save model writes neither), a row's keys
beyond what a row holds, interval-only keys on other variables, and every `null` except the base threshold step's
`"value": null`, which Grafana requires; with `"id": null`, as the save API wants. It is the last step of
compiling a board (dashgen/board/compile.py), and the first of `canonical_dashboard`, so the knowledge of what
grafanalib adds lives here once. Key order is left to the serializer (`dashgen.jsonfile`), which sorts keys.

`canonical_dashboard`, applied to both sides of every comparison (and to the checksum dashgen writes), then
removes what Grafana's UI rewrites when a person saves a board without changing it (Scenes save model, 11.3+:
public/app/features/dashboard-scene/serialization/transformSceneToSaveModel.ts and
sceneVariablesSetToVariables.ts; the panel plugins' defaults from the npm package @grafana/schema,
panelcfg.gen.ts of each panel, 11.6 and 12.x):
- everything `null`, and whole floats written as integers (JavaScript's JSON has no `30.0`);
- `id`, `version`, `schemaVersion` (the UI raises it to the running version's), dashgen's checksum tag;
- dashboard keys at their default (`fiscalYearStartMonth: 0`, `preload: false`, `description: ""`, `links: []`,
  `graphTooltip: 0`, `liveNow: false`, `weekStart: ""`, `editable: true`), `timepicker` entries at their
  default, the built-in "Annotations & Alerts" annotation;
- per panel: `pluginVersion`, empty `links`/`transformations`, `transparent: false`, empty `mappings` and
  `overrides`, the threshold base step's value (`null`, dropped, or `0`, by version), options and field-config
  defaults equal to the plugin's defaults (added only to panels whose plugin loaded), field-config `custom` keys
  the plugin does not know (removed only from panels whose plugin loaded), a stat's or bar gauge's min/max
  that its migration adds for a percent unit; a row keeps only what the save model writes for rows;
- per variable: keys at their default (`hide: 0`, `multi: false`, `skipUrlSync: false`, `label: ""`, `sort: 0`,
  ...), keys the save model does not write for that type, `options` (derived), and `current` of query and
  datasource variables (resolved on load; a no-op save puts the stored one back, minus `selected`).
Rows keep their collapsed state and children: folding a row and saving is a real change."""

from __future__ import annotations

from typing import Any

from dashgen.kinds.jsondiff import as_go_answers, without_defaults

CHECKSUM_TAG = "dashgen-checksum:"

DASHBOARD_IGNORED = ("id", "version", "schemaVersion")
DASHBOARD_DEFAULTS: dict[str, Any] = {
    "fiscalYearStartMonth": 0, "preload": False, "description": "", "links": [], "graphTooltip": 0,
    "liveNow": False, "weekStart": "", "editable": True, "tags": [],
}
TIMEPICKER_DEFAULTS: dict[str, Any] = {
    "hidden": False, "nowDelay": "",
    "refresh_intervals": ["5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d"],
}
PANEL_DEFAULTS: dict[str, Any] = {"links": [], "transformations": [], "transparent": False, "description": "",
                                  "pluginVersion": None}
VARIABLE_DEFAULTS: dict[str, Any] = {
    "hide": 0, "multi": False, "skipUrlSync": False, "label": "", "sort": 0, "regex": "", "description": "",
    "includeAll": False, "allValue": "", "auto": False, "auto_count": 30, "auto_min": "10s", "error": None,
}
RUNTIME_CURRENT = ("query", "datasource")
# What the save model writes per variable type (sceneVariablesSetToVariables.ts): a key it does not write for
# that type (a custom variable's `sort` and `refresh`, a datasource variable's `refresh`, always 1) is no part
# of the board; an interval variable's `query` is re-joined with ",".
NOT_WRITTEN = {"custom": ("sort", "refresh", "datasource", "definition"), "datasource": ("refresh", "definition"),
               "interval": ("datasource", "definition", "multi", "includeAll", "allValue", "regex", "sort"),
               "constant": ("hide",)}
ROW_KEYS = frozenset({"type", "id", "title", "gridPos", "collapsed", "repeat", "panels"})  # a row draws nothing else

# what grafanalib writes that Grafana's current schema does not hold (current_schema)
DASHBOARD_LEGACY = frozenset({"rows", "style", "sharedCrosshair", "hideControls", "gnetId", "__inputs", "version"})
PANEL_LEGACY = frozenset({"span", "height", "minSpan", "error", "editable", "columns", "fontSize", "styles"})
PANEL_UNSET = {"hideTimeOverride": False}  # the save model writes it only when true
TABLE_PANEL_LEGACY = frozenset({"color", "mappings"})  # grafanalib's Table puts these at panel level
REPEAT_KEYS = ("repeat", "repeatDirection", "maxPerRow")
VARIABLE_LEGACY = frozenset({"useTags", "tagsQuery", "tagValuesQuery"})
INTERVAL_ONLY = frozenset({"auto", "auto_min", "auto_count"})
TIMEPICKER_LEGACY = frozenset({"time_options"})

# Plugin defaults per panel type, as @grafana/schema / @grafana/ui / @grafana/data 11.6.0 and 12.2.0 ship them
# (getPanelOptionsWithDefaults merges them into a panel whose plugin loads): options, standard field config,
# custom field config, and the custom keys the plugin registers in BOTH lines (a key only one line knows is
# removed by a save in the other, so it cannot be compared). Where a default differs by line, both are listed.
_LEGEND = {"showLegend": True, "displayMode": "list", "placement": "bottom", "calcs": []}
_TOOLTIP = {"mode": "single", "sort": "none", "hideZeros": False}
_REDUCE = {"values": False, "calcs": ["lastNotNull"], "fields": ""}
_THRESHOLDS = {"mode": "absolute", "steps": [{"color": "green"}, {"color": "red", "value": 80}]}
_STANDARD = {"mappings": [], "thresholds": _THRESHOLDS}
_GRAPH_CUSTOM = {
    "drawStyle": "line", "lineInterpolation": "linear", "barAlignment": 0, "barWidthFactor": 0.6, "lineWidth": 1,
    "fillOpacity": 0, "gradientMode": "none", "spanNulls": False, "insertNulls": False, "showPoints": "auto",
    "pointSize": 5, "stacking": {"mode": "none", "group": "A"}, "axisPlacement": "auto", "axisLabel": "",
    "axisColorMode": "text", "axisBorderShow": False, "axisCenteredZero": False,
    "scaleDistribution": {"type": "linear"}, "hideFrom": {"legend": False, "tooltip": False, "viz": False},
    "thresholdsStyle": {"mode": "off"},
}
_GRAPH_KEYS = frozenset(_GRAPH_CUSTOM) | {"lineStyle", "axisSoftMin", "axisSoftMax", "axisWidth", "axisGridShow",
                                         "transform", "pointSymbol"}
PLUGINS: dict[str, dict[str, Any]] = {
    "timeseries": {
        "options": {"legend": _LEGEND, "tooltip": _TOOLTIP},
        "standard": {**_STANDARD, "color": {"mode": "palette-classic"}},
        "custom": _GRAPH_CUSTOM, "keys": _GRAPH_KEYS,
    },
    "candlestick": {
        "options": {"mode": "candles+volume", "candleStyle": "candles", "colorStrategy": "open-close",
                    "colors": {"up": "green", "down": "red"}, "includeAllFields": False, "legend": _LEGEND,
                    "tooltip": _TOOLTIP},
        "standard": {**_STANDARD, "color": {"mode": "palette-classic"}},
        "custom": _GRAPH_CUSTOM, "keys": _GRAPH_KEYS,
    },
    "stat": {
        "options": {"reduceOptions": _REDUCE, "orientation": "auto", "textMode": "auto", "wideLayout": True,
                    "colorMode": "value", "graphMode": "area", "justifyMode": "auto", "showPercentChange": False,
                    "percentChangeColorMode": "standard"},
        "standard": _STANDARD, "custom": {}, "keys": frozenset(),
    },
    "bargauge": {
        "options": {"reduceOptions": _REDUCE, "orientation": "auto", "displayMode": "gradient",
                    "valueMode": "color", "namePlacement": "auto", "showUnfilled": True, "sizing": "auto",
                    "minVizWidth": 8, "minVizHeight": 16, "maxVizHeight": 300,
                    "legend": {**_LEGEND, "showLegend": False}},
        "standard": _STANDARD, "custom": {}, "keys": frozenset(),
    },
    "table": {  # 11.6 keeps options.footer (default below); 12.2 moves or removes it
        "options": {"showHeader": True, "cellHeight": "sm",
                    "footer": {"show": False, "reducer": ["sum"], "countRows": False, "fields": ""}},
        "standard": _STANDARD,
        "custom": {"align": "auto", "cellOptions": {"type": "auto"}, "inspect": False},
        "keys": frozenset({"align", "cellOptions", "filterable", "inspect", "minWidth", "width"}),
    },
}
# stat and bar gauge migrations (no stored pluginVersion): a percent unit gets its natural min and max
PERCENT_RANGES = {"percent": (0, 100), "percentunit": (0, 1)}


def current_schema(raw: dict[str, Any]) -> dict[str, Any]:
    """The board as Grafana's current schema holds it (see the module's docstring). Idempotent."""
    cleaned: dict[str, Any] = drop_nulls_but_base(_current_keys(raw))
    cleaned["id"] = None
    return cleaned


def _current_keys(raw: dict[str, Any]) -> dict[str, Any]:
    """`current_schema` but for its nulls (the canonical form drops every null anyway: one walk, not two)."""
    dashboard = {k: v for k, v in raw.items() if k not in DASHBOARD_LEGACY}
    dashboard["panels"] = [_schema_panel(p) for p in raw.get("panels", [])]
    dashboard["templating"] = {"list": [_schema_variable(v) for v in raw.get("templating", {}).get("list", [])]}
    if "timepicker" in raw:
        dashboard["timepicker"] = {k: v for k, v in raw["timepicker"].items() if k not in TIMEPICKER_LEGACY}
    return dashboard


def _schema_panel(panel: dict[str, Any]) -> dict[str, Any]:
    if panel.get("type") == "row":
        return {k: ([_schema_panel(p) for p in v] if k == "panels" else v) for k, v in panel.items() if k in ROW_KEYS}
    legacy = PANEL_LEGACY | (TABLE_PANEL_LEGACY if panel.get("type") == "table" else frozenset())
    out = {k: v for k, v in without_defaults(panel, PANEL_UNSET).items() if k not in legacy}
    if not out.get("repeat"):
        for key in REPEAT_KEYS:
            out.pop(key, None)
    return out


def _schema_variable(variable: dict[str, Any]) -> dict[str, Any]:
    legacy = VARIABLE_LEGACY | (INTERVAL_ONLY if variable.get("type") != "interval" else frozenset())
    out = {k: v for k, v in variable.items() if k not in legacy}
    if variable.get("type") != "interval" and not out.get("options"):
        out.pop("options", None)
    return out


def drop_nulls_but_base(value: Any, *, in_steps: bool = False) -> Any:
    """Without None values in objects, recursively; a threshold step keeps its `"value": null` (the base)."""
    if isinstance(value, dict):
        return {
            k: drop_nulls_but_base(v, in_steps=k == "steps")
            for k, v in value.items()
            if v is not None or (in_steps and k == "value")
        }
    if isinstance(value, list):
        return [drop_nulls_but_base(item, in_steps=in_steps) for item in value]
    return value


def canonical_dashboard(body: dict[str, Any]) -> dict[str, Any]:
    board: dict[str, Any] = as_go_answers(_current_keys(body))  # new objects: `body` is never changed
    for key in DASHBOARD_IGNORED:
        board.pop(key, None)
    board["tags"] = [t for t in board.get("tags", []) if not str(t).startswith(CHECKSUM_TAG)]
    board = without_defaults(board, DASHBOARD_DEFAULTS)
    if "timepicker" in board:
        board["timepicker"] = without_defaults(board["timepicker"], TIMEPICKER_DEFAULTS)
        if not board["timepicker"]:
            del board["timepicker"]
    annotations = [a for a in board.get("annotations", {}).get("list", []) if not a.get("builtIn")]
    board.pop("annotations", None)
    if annotations:
        board["annotations"] = {"list": annotations}
    board["panels"] = [_panel(p) for p in board.get("panels", [])]
    board["templating"] = {"list": [_variable(v) for v in board.get("templating", {}).get("list", [])]}
    return board


def _panel(panel: dict[str, Any]) -> dict[str, Any]:
    if panel.get("type") == "row":
        out = {k: v for k, v in panel.items() if k != "panels"}  # current_schema kept a row's keys only
        children = [_panel(p) for p in panel.get("panels", [])]
        return {**out, "panels": children} if children else out
    out = {k: v for k, v in without_defaults(panel, PANEL_DEFAULTS).items() if k != "pluginVersion"}
    plugin = PLUGINS.get(str(out.get("type")), {})
    options = without_defaults(out.pop("options", {}), plugin.get("options", {}))
    if options:
        out["options"] = options
    field_config = _field_config(out.pop("fieldConfig", {}), plugin, str(out.get("type")))
    if field_config:
        out["fieldConfig"] = field_config
    return out


def _field_config(field_config: dict[str, Any], plugin: dict[str, Any], panel_type: str) -> dict[str, Any]:
    defaults = dict(field_config.get("defaults", {}))
    custom = defaults.pop("custom", {})
    thresholds = defaults.get("thresholds")
    if isinstance(thresholds, dict) and thresholds.get("steps"):
        base = {k: v for k, v in thresholds["steps"][0].items() if k != "value"}  # the base is -Infinity
        defaults["thresholds"] = {**thresholds, "steps": [base, *thresholds["steps"][1:]]}
    if defaults.get("mappings") == []:
        del defaults["mappings"]
    if plugin:
        custom = without_defaults({k: v for k, v in custom.items() if k in plugin["keys"]}, plugin["custom"])
        defaults = without_defaults(defaults, plugin["standard"])
    if panel_type in ("stat", "bargauge") and str(defaults.get("unit")) in PERCENT_RANGES:
        low, high = PERCENT_RANGES[str(defaults["unit"])]
        if (defaults.get("min"), defaults.get("max")) == (low, high):
            del defaults["min"], defaults["max"]
    if custom:
        defaults["custom"] = custom
    out = {"defaults": defaults} if defaults else {}
    if field_config.get("overrides"):
        out["overrides"] = field_config["overrides"]
    return out


def _variable(variable: dict[str, Any]) -> dict[str, Any]:
    dropped = ("options", *NOT_WRITTEN.get(str(variable.get("type")), ()))
    out: dict[str, Any] = without_defaults({k: v for k, v in variable.items() if k not in dropped},
                                           VARIABLE_DEFAULTS)
    if out.get("type") == "interval" and isinstance(out.get("query"), str):
        out["query"] = ",".join(part.strip() for part in out["query"].split(","))
    current = out.pop("current", None)
    if out.get("type") not in RUNTIME_CURRENT and isinstance(current, dict) and "value" in current:
        out["current"] = {"value": current["value"]}
    return out

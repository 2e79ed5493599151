"""The canonical form of a dashboard: what two boards must share to be "the same board".

Applied to both sides of every comparison (and to the checksum dashgen writes), it removes what Grafana's UI
rewrites when a person saves a board without changing it (Scenes save model, 11.3+:
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
  the plugin does not know (removed only from panels whose plugin loaded);
- per variable: keys at their default (`hide: 0`, `multi: false`, `skipUrlSync: false`, `label: ""`, `sort: 0`,
  ...), `options` (derived), and `current` of query and datasource variables (resolved when the board loads).
Rows keep their collapsed state and children: folding a row and saving is a real change."""

from __future__ import annotations

import copy
from typing import Any

from dashgen.kinds.jsondiff import drop_nulls, whole_numbers, without_defaults

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
RUNTIME_CURRENT = ("query", "datasource")  # `current` is resolved on load: not part of the board's definition

# Plugin defaults per panel type: options, standard field config, custom field config, and the custom keys the
# plugin knows (others are removed from loaded panels). Values as @grafana/schema 11.6/12.x ships them; where
# the two lines differ, both values are listed in ALTERNATIVES and either counts as the default.
_LEGEND = {"showLegend": True, "displayMode": "list", "placement": "bottom", "calcs": []}
_TOOLTIP = {"mode": "single", "sort": "none", "hideZeros": False}
_REDUCE = {"values": False, "calcs": ["lastNotNull"], "fields": ""}
_GRAPH_CUSTOM = {
    "drawStyle": "line", "lineInterpolation": "linear", "barAlignment": 0, "barWidthFactor": 0.6, "lineWidth": 1,
    "fillOpacity": 0, "gradientMode": "none", "spanNulls": False, "insertNulls": False, "showPoints": "auto",
    "pointSize": 5, "stacking": {"mode": "none", "group": "A"}, "axisPlacement": "auto", "axisLabel": "",
    "axisColorMode": "text", "axisBorderShow": False, "axisCenteredZero": False,
    "scaleDistribution": {"type": "linear"}, "hideFrom": {"legend": False, "tooltip": False, "viz": False},
    "thresholdsStyle": {"mode": "off"}, "lineStyle": {"fill": "solid"}, "axisSoftMin": None, "axisSoftMax": None,
    "pointColor": None, "transform": None, "axisWidth": None, "axisGridShow": None, "showValues": False,
}
_TABLE_CUSTOM = {"align": "auto", "cellOptions": {"type": "auto"}, "inspect": False, "filterable": False,
                 "minWidth": None, "width": None, "hidden": False, "displayMode": None, "wrapText": False,
                 "hideFrom": {"legend": False, "tooltip": False, "viz": False}, "wrapHeaderText": False}
PLUGINS: dict[str, dict[str, Any]] = {
    "timeseries": {
        "options": {"legend": _LEGEND, "tooltip": _TOOLTIP},
        "standard": {"color": {"mode": "palette-classic"}},
        "custom": _GRAPH_CUSTOM,
    },
    "candlestick": {
        "options": {"mode": "candles+volume", "candleStyle": "candles", "colorStrategy": "open-close",
                    "colors": {"up": "green", "down": "red"}, "includeAllFields": False, "legend": _LEGEND,
                    "tooltip": _TOOLTIP},
        "standard": {"color": {"mode": "palette-classic"}},
        "custom": _GRAPH_CUSTOM,
    },
    "stat": {
        "options": {"reduceOptions": _REDUCE, "orientation": "auto", "textMode": "auto", "wideLayout": True,
                    "colorMode": "value", "graphMode": "area", "justifyMode": "auto", "showPercentChange": False,
                    "percentChangeColorMode": "standard"},
        "standard": {"color": {"mode": "thresholds"}},
        "custom": {},
    },
    "bargauge": {
        "options": {"reduceOptions": _REDUCE, "orientation": "auto", "displayMode": "gradient",
                    "valueMode": "color", "namePlacement": "auto", "showUnfilled": True, "sizing": "auto",
                    "minVizWidth": 8, "minVizHeight": 16, "maxVizHeight": 300,
                    "legend": {**_LEGEND, "showLegend": False}},
        "standard": {"color": {"mode": "thresholds"}},
        "custom": {},
    },
    "table": {
        "options": {"showHeader": True, "cellHeight": "sm", "frameIndex": 0,
                    "footer": {"show": False, "reducer": ["sum"], "countRows": False, "fields": ""}},
        "standard": {"color": {"mode": "thresholds"}},
        "custom": _TABLE_CUSTOM,
    },
}


def canonical_dashboard(body: dict[str, Any]) -> dict[str, Any]:
    board: dict[str, Any] = whole_numbers(drop_nulls(copy.deepcopy(body)))
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
        out = {k: v for k, v in panel.items() if k != "panels"}
        children = [_panel(p) for p in panel.get("panels", [])]
        return {**out, "panels": children} if children else out
    out = {k: v for k, v in without_defaults(panel, PANEL_DEFAULTS).items() if k != "pluginVersion"}
    plugin = PLUGINS.get(str(out.get("type")), {})
    options = without_defaults(out.pop("options", {}), plugin.get("options", {}))
    if options:
        out["options"] = options
    field_config = _field_config(out.pop("fieldConfig", {}), plugin)
    if field_config:
        out["fieldConfig"] = field_config
    return out


def _field_config(field_config: dict[str, Any], plugin: dict[str, Any]) -> dict[str, Any]:
    defaults = dict(field_config.get("defaults", {}))
    custom = defaults.pop("custom", {})
    if plugin:
        known = plugin["custom"]
        custom = without_defaults({k: v for k, v in custom.items() if k in known}, known)
        defaults = without_defaults(defaults, plugin["standard"])
    if custom:
        defaults["custom"] = custom
    if defaults.get("mappings") == []:
        del defaults["mappings"]
    thresholds = defaults.get("thresholds")
    if isinstance(thresholds, dict) and thresholds.get("steps"):
        base = {k: v for k, v in thresholds["steps"][0].items() if k != "value"}  # the base is -Infinity
        defaults["thresholds"] = {**thresholds, "steps": [base, *thresholds["steps"][1:]]}
    out = {"defaults": defaults} if defaults else {}
    if field_config.get("overrides"):
        out["overrides"] = field_config["overrides"]
    return out


def _variable(variable: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = without_defaults({k: v for k, v in variable.items() if k != "options"},
                                           VARIABLE_DEFAULTS)
    current = out.pop("current", None)
    if out.get("type") not in RUNTIME_CURRENT and isinstance(current, dict) and "value" in current:
        out["current"] = {"value": current["value"]}
    return out

"""The board as the preview page draws it: a plain view model (JSON values only) read from the compiled dashboard.

Only what a picture of the board needs, in the names preview.js reads: the board's title, time range and the
variables with their defaults; the rows in board order, every one drawn expanded (a collapsed row keeps its
flag, shown on its header); per panel its id, type, title, description, grid position (relative to its row:
board/walk.py's relative_grid), unit, decimals, min/max, thresholds, legend, queries, the overrides the page can
draw (dashed lines, fixed colours, units per field) and the table's columns. The panels are walked with board/walk.py.

Sizes in pixels follow Grafana's grid: 24 columns, rows of 30 px with 8 px between them. `pixels` is the size
of a panel drawn alone (its PNG): the board is drawn 1536 px wide, 64 px a column. Pure."""

from __future__ import annotations

from typing import Any

from dashgen.board import walk

Json = dict[str, Any]

CELL_HEIGHT = 30  # Grafana's GRID_CELL_HEIGHT
MARGIN = 8  # Grafana's GRID_CELL_VMARGIN, also between columns here
COLUMN = 64  # px per grid column when a panel is drawn alone (a 1536 px wide board)


def pixels(grid: Json) -> tuple[int, int]:
    """Width and height in pixels of a panel of `grid` (w, h in grid units) drawn alone."""
    w, h = int(grid.get("w", 12)), int(grid.get("h", 8))
    return w * COLUMN - MARGIN, h * CELL_HEIGHT + (h - 1) * MARGIN


def board_model(dashboard: Json) -> Json:
    """The view model of a compiled classic dashboard (see the module docstring)."""
    rows = []
    for row in walk.rows(dashboard):
        rows.append({
            "title": row.title,
            "collapsed": bool(row.panel.get("collapsed")) if row.panel is not None else False,
            "panels": [_panel(panel, row.title, walk.relative_grid(row, panel)) for panel in row.panels],
        })
    time = dashboard.get("time") or {}
    return {
        "uid": str(dashboard.get("uid", "")),
        "title": str(dashboard.get("title", "")),
        "time": {"from": str(time.get("from", "now-6h")), "to": str(time.get("to", "now"))},
        "timezone": str(dashboard.get("timezone", "")),
        "variables": [_variable(v) for v in dashboard.get("templating", {}).get("list", [])],
        "rows": rows,
    }


def panel_index(model: Json) -> dict[int, Json]:
    """Panel id -> its panel in the model."""
    return {panel["id"]: panel for row in model["rows"] for panel in row["panels"]}


def _variable(variable: Json) -> Json:
    current = variable.get("current") or {}
    text = current.get("text", current.get("value", ""))
    if isinstance(text, list):
        text = " + ".join(str(t) for t in text)
    if variable.get("type") == "datasource" and not text:
        text = str(variable.get("query", ""))
    return {"name": str(variable.get("name", "")), "label": str(variable.get("label") or variable.get("name", "")),
            "type": str(variable.get("type", "")), "default": str(text)}


def _panel(panel: Json, row: str, grid: tuple[int, int, int, int]) -> Json:
    position = dict(zip(("x", "y", "w", "h"), grid, strict=True))
    width, height = pixels(position)
    field_config = panel.get("fieldConfig") or {}
    defaults = field_config.get("defaults") or {}
    custom = defaults.get("custom") or {}
    options = panel.get("options") or {}
    thresholds = defaults.get("thresholds") or {}
    legend = options.get("legend") or {}
    model: Json = {
        "id": int(panel.get("id", 0)),
        "type": str(panel.get("type", "")),
        "title": str(panel.get("title", "")),
        "description": str(panel.get("description", "")),
        "location": walk.location(row, panel.get("title", "")),
        "grid": position,
        "pixels": {"width": width, "height": height},
        "unit": str(defaults.get("unit") or "short"),
        "decimals": defaults.get("decimals"),
        "min": defaults.get("min"),
        "max": defaults.get("max"),
        "thresholds": {
            "mode": str(thresholds.get("mode", "absolute")),
            "steps": [{"color": str(s.get("color", "green")), "value": s.get("value")}
                      for s in thresholds.get("steps", [])] or [{"color": "green", "value": None}],
        },
        "thresholdsStyle": str((custom.get("thresholdsStyle") or {}).get("mode", "off")),
        "colorMode": str((defaults.get("color") or {}).get("mode", "palette-classic")),
        "legend": {
            "show": bool(legend.get("showLegend", True)),
            "displayMode": str(legend.get("displayMode", "list")),
            "placement": str(legend.get("placement", "bottom")),
            "calcs": [str(c) for c in legend.get("calcs", [])],
        },
        "targets": [{"refId": str(t.get("refId", "")), "expr": str(t.get("expr", "")),
                     "legendFormat": str(t.get("legendFormat", "")), "instant": bool(t.get("instant", False)),
                     "format": str(t.get("format", "time_series"))}
                    for t in panel.get("targets") or []],
        "overrides": [_override(o) for o in field_config.get("overrides") or []],
        "draw": {"style": str(custom.get("drawStyle", "line")), "fillOpacity": custom.get("fillOpacity", 0),
                 "lineWidth": custom.get("lineWidth", 1),
                 "stacking": str((custom.get("stacking") or {}).get("mode", "none"))},
        "repeat": str(panel.get("repeat", "")),
    }
    kind = model["type"]
    if kind == "stat":
        model["stat"] = {"colorMode": str(options.get("colorMode", "value")),
                         "graphMode": str(options.get("graphMode", "area"))}
    elif kind == "bargauge":
        model["bargauge"] = {"orientation": str(options.get("orientation", "auto")),
                             "displayMode": str(options.get("displayMode", "gradient"))}
    elif kind == "candlestick":
        fields = options.get("fields") or {}
        colors = options.get("colors") or {}
        model["candlestick"] = {
            "fields": {part: str(fields.get(part, part)) for part in ("open", "high", "low", "close")},
            "colors": {"up": str(colors.get("up", "green")), "down": str(colors.get("down", "red"))},
        }
    elif kind == "table":
        model["table"] = _table(panel, options)
    return model


def _override(override: Json) -> Json:
    """An override as the page applies it: which fields (by name or regular expression) and what it sets."""
    matcher = override.get("matcher") or {}
    found: Json = {"matcher": str(matcher.get("id", "")), "pattern": str(matcher.get("options", ""))}
    for prop in override.get("properties") or []:
        key, value = prop.get("id"), prop.get("value")
        if key == "custom.lineStyle" and isinstance(value, dict):
            found["dashed"] = value.get("fill") == "dash"
        elif key == "color" and isinstance(value, dict) and value.get("fixedColor"):
            found["color"] = str(value["fixedColor"])
        elif key == "unit":
            found["unit"] = str(value)
        elif key == "decimals":
            found["decimals"] = value
        elif key == "displayName":
            found["displayName"] = str(value)
    return found


def _table(panel: Json, options: Json) -> Json:
    """The table's columns as Grafana's transformations make them: merged frames, hidden and renamed columns."""
    merge, exclude, rename = False, [], {}
    for transformation in panel.get("transformations") or []:
        settings = transformation.get("options") or {}
        if transformation.get("id") == "merge":
            merge = True
        elif transformation.get("id") == "organize":
            exclude = sorted(k for k, v in (settings.get("excludeByName") or {}).items() if v)
            rename = {str(k): str(v) for k, v in sorted((settings.get("renameByName") or {}).items())}
    sort = [{"column": str(s.get("displayName", "")), "desc": bool(s.get("desc", False))}
            for s in options.get("sortBy") or []]
    return {"merge": merge, "exclude": exclude, "rename": rename, "sortBy": sort,
            "showHeader": bool(options.get("showHeader", True))}

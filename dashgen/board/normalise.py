"""Normalisation of a dashboard JSON model: the named step that makes compiled JSON clean and stable.

It removes grafanalib's legacy keys (pre-Grafana-5 rows, spans, graph-era options) and every `null`
except the base threshold step's `"value": null`, which Grafana requires; and sets `"id": null`, as the
save API wants. Key order is left to the serializer (`dashgen.jsonfile`), which sorts keys.
"""

from __future__ import annotations

from typing import Any

DASHBOARD_LEGACY = frozenset({"rows", "style", "sharedCrosshair", "hideControls", "gnetId", "__inputs", "version"})
PANEL_LEGACY = frozenset(
    {"span", "height", "minSpan", "error", "cacheTimeout", "editable", "maxDataPoints", "columns", "fontSize",
     "styles", "hideTimeOverride"}
)
TABLE_PANEL_LEGACY = frozenset({"color", "mappings"})  # grafanalib's Table puts these at panel level
VARIABLE_LEGACY = frozenset({"useTags", "tagsQuery", "tagValuesQuery"})
INTERVAL_ONLY = frozenset({"auto", "auto_min", "auto_count"})
TIMEPICKER_LEGACY = frozenset({"time_options"})
ROW_KEYS = frozenset({"collapsed", "gridPos", "id", "panels", "title", "type"})  # a row draws nothing else


def normalise_dashboard(raw: dict[str, Any]) -> dict[str, Any]:
    dashboard = {k: v for k, v in raw.items() if k not in DASHBOARD_LEGACY}
    dashboard["panels"] = [_panel(p) for p in raw.get("panels", [])]
    templating = raw.get("templating", {})
    dashboard["templating"] = {"list": [_variable(v) for v in templating.get("list", [])]}
    if "timepicker" in raw:
        dashboard["timepicker"] = {k: v for k, v in raw["timepicker"].items() if k not in TIMEPICKER_LEGACY}
    cleaned: dict[str, Any] = drop_nulls(dashboard)
    cleaned["id"] = None
    return cleaned


def _panel(panel: dict[str, Any]) -> dict[str, Any]:
    if panel.get("type") == "row":
        return {k: ([_panel(p) for p in v] if k == "panels" else v) for k, v in panel.items() if k in ROW_KEYS}
    legacy = PANEL_LEGACY | (TABLE_PANEL_LEGACY if panel.get("type") == "table" else frozenset())
    out = {k: v for k, v in panel.items() if k not in legacy}
    if not out.get("repeat"):
        for key in ("repeat", "repeatDirection", "maxPerRow"):
            out.pop(key, None)
    return out


def _variable(variable: dict[str, Any]) -> dict[str, Any]:
    legacy = VARIABLE_LEGACY | (INTERVAL_ONLY if variable.get("type") != "interval" else frozenset())
    out = {k: v for k, v in variable.items() if k not in legacy}
    if variable.get("type") != "interval" and not out.get("options"):
        out.pop("options", None)
    return out


def drop_nulls(value: Any, *, in_steps: bool = False) -> Any:
    """Remove None values from dicts, recursively; a threshold step keeps its `"value": null` (the base)."""
    if isinstance(value, dict):
        return {
            k: drop_nulls(v, in_steps=k == "steps")
            for k, v in value.items()
            if v is not None or (in_steps and k == "value")
        }
    if isinstance(value, list):
        return [drop_nulls(item, in_steps=in_steps) for item in value]
    return value

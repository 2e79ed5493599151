"""Grafana 13's dashboard schema v2: the UI's v1 -> v2 save and the backend's v2 -> v1 down-conversion.

    spec = ui_save_v2(classic_dashboard)                  # what the 13 UI PUTs to /apis/dashboard.grafana.app/v2
    spec = ui_save_v2(classic_dashboard, version="v2beta1")
    classic = to_v1(spec)                                 # a v2-stored board read at v1 / v1beta1 / legacy /api
    status = conversion_status("v2")                      # `status` of that converted read

Pure functions over JSON-like dicts, standard library only; no argument is modified (except by
set_row_condition, which exists to modify a stored v2 spec in place).

Facts and their sources are in /tmp/research/v2_schema.md; "§N" below points at its sections. The sources it cites
(grafana/grafana paths):
* v1 -> v2 (frontend, §2): public/app/features/dashboard-scene/serialization/transformSaveModelToScene.ts
  (createRowsFromPanels, buildGridItemForPanel, createVariablesForDashboard), transformSceneToSaveModelSchemaV2.ts
  (vizPanelToSchemaV2, getVizPanelQueries, handleFieldConfigDefaultsConversion, getAnnotations),
  layoutSerializers/RowsLayoutSerializer.ts (serializeRow), layoutSerializers/DefaultGridLayoutSerializer.ts
  (gridItemToGridLayoutItemKind), sceneVariablesSetToSchemaV2Variables.ts, annotations.ts
  (transformV1ToV2AnnotationQuery), core/utils/object.ts (sortedDeepCloneWithoutNulls),
  transformationCompat.ts (convertSpecToWireFormat).
* v2 -> v1 (backend, §3): apps/dashboard/pkg/migration/conversion/v2alpha1_to_v1.go
  (convertDashboardSpec_V2alpha1_to_V1 and helpers), reached through v2 -> v2beta1 -> v2alpha1 (v2beta1_to_v2.go,
  v2beta1_to_v2alpha1.go) and wrapped by conversion.go (status.conversion).

Not modelled: library panel contents, repeated-panel clones, plugin migrations of rendered panels (the v2 example
in §4 assumes none ran: options, field config and pluginVersion pass through), v1 schema migrations older than 42,
groupby/switch variables on the v1 -> v2 side, the conversion's data-loss check (§3).
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

from .ui_save import _next_ref_id  # the frontend's one refId rule

JSON = dict[str, Any]

V2_VERSIONS = ("v2", "v2beta1")
# §3.1: schemaVersion = schemaversion.LATEST_VERSION; 42 in every golden file read. UNCONFIRMED whether 13.0 emits 43
# (a v43 migration exists in a newer snapshot); best guess 42.
LATEST_SCHEMA_VERSION = 42
# The default datasource's type, used where Grafana falls back to getDefaultDataSourceRef() (§2.2 "else default ds
# type"). The double's Grafana has one datasource, a Prometheus; this is the double's assumption, not a Grafana fact.
DEFAULT_DS_TYPE = "prometheus"
# §1.8 / §2.2: defaultTimeSettingsSpec().autoRefreshIntervals
DEFAULT_REFRESH_INTERVALS = ["5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d"]
# DashboardModel.addBuiltInAnnotationQuery (same object as ui_save.py's BUILT_IN_ANNOTATION): the frontend loads every
# classic board through DashboardModel (§2 pipeline), which puts this first when no builtIn annotation exists.
BUILT_IN_ANNOTATION: JSON = {
    "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True, "hide": True,
    "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard",
}
# Core panels whose plugin.json sets skipDataQuery: createPanelDataProvider gives them no query runner, so
# getVizPanelQueries writes no queries (same list as ui_save.py).
SKIP_DATA_QUERY = ("text", "news", "dashlist", "alertlist", "annolist", "welcome", "gettingstarted")

# §1.7 enums; v1 numbers are the list indexes (transformVariableHideToEnum / ...FromEnum and friends).
HIDE = ("dontHide", "hideLabel", "hideVariable", "inControlsMenu")
REFRESH = ("never", "onDashboardLoad", "onTimeRangeChanged")
SORT = (
    "disabled", "alphabeticalAsc", "alphabeticalDesc", "numericalAsc", "numericalDesc",
    "alphabeticalCaseInsensitiveAsc", "alphabeticalCaseInsensitiveDesc", "naturalAsc", "naturalDesc",
)
CURSOR_SYNC = ("Off", "Crosshair", "Tooltip")  # graphTooltip 0 / 1 / 2 (§2.2 cursorSync, §3.1 graphTooltip)
WEEK_STARTS = ("saturday", "sunday", "monday")  # @grafana/ui isWeekStart
LEGACY_STRING_VALUE_KEY = "__legacyStringValue"  # §1.7, transformToV2TypesUtils.ts
# app/features/variables/interval/reducer initialIntervalVariableModelState.query: the intervals of an interval
# variable whose query is missing or has no interval in it (getIntervalsFromQueryString).
DEFAULT_INTERVALS_QUERY = "1m,10m,30m,1h,6h,12h,1d,7d,14d,30d"
# annotations.ts transformV1ToV2AnnotationQuery: v1 keys it maps; every other key goes to legacyOptions.
ANNOTATION_KNOWN_KEYS = frozenset({
    "enable", "hide", "iconColor", "name", "builtIn", "filter", "mappings", "datasource", "target", "snapshotData",
    "type", "placement",
})
# v2alpha1_to_v1.go convertAnnotationsToV1: legacyOptions keys it does not copy back to the annotation root.
ANNOTATION_HANDLED_KEYS = frozenset({
    "name", "enable", "hide", "iconColor", "datasource", "target", "filter", "builtIn", "placement", "mappings",
})
# v2alpha1_to_v1.go convertFieldConfigDefaultsToV1: the FieldConfig keys it writes back (each only when set).
FIELD_CONFIG_DEFAULT_KEYS = (
    "custom", "decimals", "max", "min", "description", "displayName", "displayNameFromDS", "noValue", "path", "unit",
    "filterable", "writeable", "fieldMinMax", "nullValueMode", "links", "actions", "color", "mappings", "thresholds",
)


# --------------------------------------------------------------------------------------------------------------------
# v1 -> v2: what the Grafana 13 UI saves (§2)
# --------------------------------------------------------------------------------------------------------------------


def ui_save_v2(classic: JSON, *, version: str = "v2") -> JSON:
    """The v2 `spec` the Grafana 13 frontend PUTs when a person saves the classic (v1) board `classic` in the UI.

    v2_schema.md §2 (pipeline: DashboardModel -> createDashboardSceneFromDashboardModel ->
    transformSceneToSaveModelSchemaV2 -> sortedDeepCloneWithoutNulls -> convertSpecToWireFormat), §2.1 (layout:
    RowsLayout when the board has row panels, else GridLayout), §2.2 (serialization rules). `version` is the
    resolved API version ("v2" or "v2beta1", §0); it only changes the transformation wire shape (§1.4).
    """
    if version not in V2_VERSIONS:
        raise ValueError(f"version must be one of {V2_VERSIONS}, not {version!r}")
    dash = copy.deepcopy(classic)
    panels = _load_panels(dash)

    elements: JSON = {}
    for model in panels:
        if model.get("type") == "row":
            for child in model.get("panels") or []:
                elements[_element_name(child)] = _element(child, version)
        else:
            elements[_element_name(model)] = _element(model, version)

    # §2.1 / transformSaveModelToScene.ts: RowsLayoutManager only when the v1 panels contain a row.
    if any(model.get("type") == "row" for model in panels):
        layout = _rows_layout(panels)
    else:
        layout = {"kind": "GridLayout", "spec": {"items": [_grid_item(m) for m in panels]}}

    timepicker = _obj(dash.get("timepicker"))
    time = _obj(dash.get("time"))
    graph_tooltip = dash.get("graphTooltip")
    spec: JSON = {
        # §2.2 top level (transformSceneToSaveModelSchemaV2)
        "title": dash.get("title") or "",
        "description": dash.get("description"),
        "cursorSync": CURSOR_SYNC[graph_tooltip] if graph_tooltip in (0, 1, 2) else "Off",
        "liveNow": bool(dash.get("liveNow")),
        "preload": dash.get("preload") if dash.get("preload") is not None else False,
        "editable": dash.get("editable") if dash.get("editable") is not None else True,
        "links": [_dashboard_link_v2(link) for link in dash.get("links") or [] if isinstance(link, dict)],
        "tags": dash.get("tags") if dash.get("tags") is not None else [],
        # §2.2 timeSettings (SceneTimeRange / SceneRefreshPicker / DashboardControls state)
        "timeSettings": {
            "timezone": dash.get("timezone") or "browser",
            "from": time.get("from") or "now-6h",
            "to": time.get("to") or "now",
            "autoRefresh": dash.get("refresh") or "",
            "autoRefreshIntervals": timepicker.get("refresh_intervals") or list(DEFAULT_REFRESH_INTERVALS),
            "hideTimepicker": timepicker.get("hidden") or False,
            "weekStart": dash.get("weekStart") if dash.get("weekStart") in WEEK_STARTS else None,
            "fiscalYearStartMonth": dash.get("fiscalYearStartMonth") or 0,
            "nowDelay": timepicker.get("nowDelay"),
            "quickRanges": timepicker.get("quick_ranges"),
        },
        "variables": _variables_v2(dash),
        "elements": elements,
        "annotations": _annotations_v2(dash),
        "layout": layout,
    }
    spec = _sorted_without_nulls(spec)
    return spec


def _load_panels(dash: JSON) -> list[JSON]:
    """DashboardModel constructor, as far as the v2 save depends on it: every panel is a PanelModel (defaults:
    gridPos, targets [{refId: "A"}], options {}, fieldConfig, title ""; ensureQueryIds), ensurePanelsHaveUniqueIds
    (missing ids get max + 1, ...), sortPanelsByGridPos (top level by y, then x). See ui_save.py step 1."""
    top = [p for p in dash.get("panels") or [] if isinstance(p, dict)]
    every = [*top, *(c for p in top if p.get("type") == "row" for c in p.get("panels") or [] if isinstance(c, dict))]
    next_id = max([p["id"] for p in every if isinstance(p.get("id"), int)] or [0]) + 1
    for panel in every:
        if not isinstance(panel.get("id"), int):
            panel["id"] = next_id
            next_id += 1
    models = [_panel_model(p) for p in top]
    for model in models:
        if model.get("type") == "row":
            model["panels"] = [_panel_model(c) for c in model.get("panels") or [] if isinstance(c, dict)]
    models.sort(key=lambda m: (m["gridPos"].get("y") or 0, m["gridPos"].get("x") or 0))
    return models


def _panel_model(src: JSON) -> JSON:
    model = dict(src)
    pos = _obj(model.get("gridPos"))
    model["gridPos"] = {"x": 0, "y": 0, "h": 3, "w": 6, **pos}
    if model.get("type") == "row":
        return model
    if not isinstance(model.get("targets"), list):
        model["targets"] = [{"refId": "A"}]
    used = {t.get("refId") for t in model["targets"] if isinstance(t, dict)}
    for target in model["targets"]:
        if isinstance(target, dict) and not target.get("refId"):
            target["refId"] = _next_ref_id(used)
            used.add(target["refId"])
    model.setdefault("title", "")
    return model


def _element_name(model: JSON) -> str:
    # §1.3: getVizPanelKeyForPanelId -> "panel-<id>"
    return f"panel-{model['id']}"


def _rows_layout(panels: list[JSON]) -> JSON:
    """§2.1 createRowsFromPanels: each v1 row -> a row item whose grid holds the row's `panels` (collapsed rows)
    followed by the top-level panels after it (expanded rows); panels before the first row -> a row with title ""
    and hideHeader true. Serialized by §2.2 serializeRow."""
    rows: list[JSON] = []
    current_row: JSON | None = None
    current: list[JSON] = []
    for model in panels:
        if model.get("type") != "row":
            current.append(model)
            continue
        if current_row is None and current:
            # §2.1: this row item's collapse is the *first real row's* collapsed flag. UNCONFIRMED whether 13.0 still
            # does this (the backend v1 -> v2 forces false); best guess: follow the frontend source as read.
            rows.append(_row_v2("", model.get("collapsed"), current, hide_header=True))
        elif current_row is not None:
            rows.append(_legacy_row_v2(current_row, current))
        current_row, current = model, []
    if current_row is not None:
        rows.append(_legacy_row_v2(current_row, current))
    return {"kind": "RowsLayout", "spec": {"rows": rows}}


def _legacy_row_v2(row: JSON, following: list[JSON]) -> JSON:
    # createRowItemFromLegacyRow: children = row.panels (collapsed) concatenated with the panels that follow it
    children = [*(row.get("panels") or []), *following]
    return _row_v2(row.get("title"), row.get("collapsed"), children, repeat=row.get("repeat"))


def _row_v2(title: Any, collapse: Any, children: list[JSON], *, hide_header: bool | None = None,
            repeat: Any = None) -> JSON:
    items = [_grid_item(child) for child in children]
    # §2.2 serializeRow: y made relative to the row (the minimum y of the row's items is subtracted)
    if items:
        min_y = min(item["spec"]["y"] for item in items)
        for item in items:
            item["spec"]["y"] -= min_y
    spec: JSON = {
        "title": title,
        "collapse": collapse if collapse is not None else False,
        "layout": {"kind": "GridLayout", "spec": {"items": items}},
        "fillScreen": None,  # RowItem state undefined for a converted classic row: dropped by the null strip
        "hideHeader": hide_header,
    }
    if repeat:
        spec["repeat"] = {"mode": "variable", "value": repeat}
    # conditionalRendering is only written when the row's group has items (§1.6); a classic row has none.
    return {"kind": "RowsLayoutRow", "spec": spec}


def _grid_item(model: JSON) -> JSON:
    """§2.1 buildGridItemForPanel + §2.2 gridItemToGridLayoutItemKind: x/y/width/height from gridPos (absolute y;
    rows make it relative), width 24 for a horizontally repeated panel, repeat {mode, value, maxPerRow?, direction}."""
    pos = model["gridPos"]
    spec: JSON = {
        "x": pos.get("x") or 0, "y": pos.get("y") or 0, "width": pos.get("w") or 0, "height": pos.get("h") or 0,
        "element": {"kind": "ElementReference", "name": _element_name(model)},
    }
    if model.get("repeat"):
        direction = "v" if model.get("repeatDirection") == "v" else "h"
        if direction == "h":
            spec["width"] = 24
        repeat: JSON = {"mode": "variable", "value": model["repeat"]}
        if model.get("maxPerRow"):
            repeat["maxPerRow"] = model["maxPerRow"]
        repeat["direction"] = direction
        spec["repeat"] = repeat
    return {"kind": "GridLayoutItem", "spec": spec}


def _element(model: JSON, version: str) -> JSON:
    """§2.2 vizPanelToSchemaV2."""
    if isinstance(model.get("libraryPanel"), dict):
        lib = model["libraryPanel"]
        return {"kind": "LibraryPanel", "spec": {
            "id": model["id"], "title": model.get("title"),
            "libraryPanel": {"uid": lib.get("uid"), "name": lib.get("name")},
        }}
    has_runner = model.get("type") not in SKIP_DATA_QUERY
    field_config = _obj(model.get("fieldConfig"))
    spec: JSON = {
        "id": model["id"],
        "title": model.get("title"),
        "description": model.get("description") if model.get("description") is not None else "",
        "links": model.get("links") if model.get("links") is not None else [],
        "transparent": True if model.get("transparent") else None,
        "data": {"kind": "QueryGroup", "spec": {
            "queries": _queries_v2(model) if has_runner else [],
            "transformations": [_transformation_v2(t, version) for t in model.get("transformations") or []
                                if isinstance(t, dict)] if has_runner else [],
            "queryOptions": _query_options_v2(model, has_runner),
        }},
        "vizConfig": {
            "kind": "VizConfig",
            "group": model.get("type") or "timeseries",  # pluginId: panel.type ?? 'timeseries'
            # UNCONFIRMED (§4): pluginVersion as stored, not bumped (it would become the running version only if the
            # panel rendered and its plugin migration ran).
            "version": model.get("pluginVersion") if model.get("pluginVersion") is not None else "",
            "spec": {
                "options": model.get("options") if model.get("options") is not None else {},
                "fieldConfig": {
                    "defaults": _field_config_defaults_v2(field_config.get("defaults")),
                    "overrides": field_config.get("overrides") if field_config.get("overrides") is not None else [],
                },
            },
        },
    }
    return {"kind": "Panel", "spec": spec}


def _field_config_defaults_v2(defaults: Any) -> JSON:
    """§2.2 handleFieldConfigDefaultsConversion: empty arrays, empty objects and null/undefined values dropped (one
    level); null decimals/min/max removed. The null threshold base step loses its `value` in the final null strip:
    UNCONFIRMED for never-rendered panels (a rendered one would have -Infinity, written as 0); best guess per §4:
    key dropped."""
    if not isinstance(defaults, dict):
        return {}
    out: JSON = {}
    for key, value in defaults.items():
        if value is None or (isinstance(value, list | dict) and len(value) == 0):
            continue
        out[key] = value
    return out


def _obj(value: Any) -> JSON:
    return value if isinstance(value, dict) else {}


def _ref(value: Any) -> JSON | None:
    return value if isinstance(value, dict) and value else None


def _queries_v2(model: JSON) -> list[JSON]:
    """§2.2 getVizPanelQueries: spec = target minus datasource/refId/hide; group = ds type; version "v0";
    datasource {name: uid} from the target's ref, else the panel's (getPersistedDSFor); hidden = Boolean(hide).
    A lone default empty query (refId A, no ds, empty spec) gets no datasource and group ""."""
    panel_ds = _ref(model.get("datasource"))
    targets = [t for t in model["targets"] if isinstance(t, dict)]
    out: list[JSON] = []
    for target in targets:
        spec = {k: v for k, v in target.items() if k not in ("datasource", "refId", "hide")}
        target_ds = _ref(target.get("datasource"))
        query: JSON = {"kind": "DataQuery", "version": "v0", "spec": spec}
        if target.get("refId") == "A" and target_ds is None and len(targets) == 1 and not spec:
            query["group"] = ""  # defaultDataQueryKind().group
        else:
            persisted = target_ds or panel_ds
            query["group"] = _query_group(target_ds, panel_ds)
            if persisted and persisted.get("uid"):
                query["datasource"] = {"name": persisted["uid"]}
        out.append({"kind": "PanelQuery", "spec": {
            "query": query, "refId": target.get("refId"), "hidden": bool(target.get("hide")),
        }})
    return out


def _query_group(target_ds: JSON | None, panel_ds: JSON | None) -> str:
    # transformSceneToSaveModelSchemaV2.ts getDataQueryKind
    if target_ds and target_ds.get("type"):
        return str(target_ds["type"])
    if panel_ds and panel_ds.get("type"):
        if target_ds and target_ds.get("uid") and target_ds["uid"] != panel_ds.get("uid"):
            return DEFAULT_DS_TYPE
        return str(panel_ds["type"])
    return DEFAULT_DS_TYPE


def _transformation_v2(t: JSON, version: str) -> JSON:
    """§1.4: v2beta1 {kind: id, spec: {id, disabled?, filter?, topic?, options}};
    v2 {kind: "Transformation", group: id, spec: {disabled?, filter?, topic?, options}}."""
    spec: JSON = {"disabled": t.get("disabled"), "filter": t.get("filter"), "options": t.get("options")}
    if t.get("topic"):
        spec["topic"] = t["topic"]
    if version == "v2beta1":
        return {"kind": t.get("id"), "spec": {"id": t.get("id"), **spec}}
    return {"kind": "Transformation", "group": t.get("id"), "spec": spec}


def _query_options_v2(model: JSON, has_runner: bool) -> JSON:
    # §2.2 getVizPanelQueryOptions: unset ones dropped -> usually {}
    options: JSON = {}
    if has_runner:
        options["maxDataPoints"] = model.get("maxDataPoints")
        for key in ("cacheTimeout", "queryCachingTTL"):
            if model.get(key):
                options[key] = model[key]
        if model.get("interval"):
            options["interval"] = model["interval"]  # minInterval
    if model.get("timeFrom") or model.get("timeShift"):  # a PanelTimeRange exists only then
        options.update(timeFrom=model.get("timeFrom"), timeShift=model.get("timeShift"),
                       hideTimeOverride=model.get("hideTimeOverride"))
    return options


def _dashboard_link_v2(link: JSON) -> JSON:
    # §2.2 links: every DashboardLink key filled with defaultDashboardLink(); url/placement only when set
    out: JSON = {
        "title": link.get("title") if link.get("title") is not None else "",
        "url": link.get("url"),
        "type": link.get("type") or "link",
        "icon": link.get("icon") if link.get("icon") is not None else "",
        "tooltip": link.get("tooltip") if link.get("tooltip") is not None else "",
        "tags": link.get("tags") if link.get("tags") is not None else [],
        "asDropdown": link.get("asDropdown") if link.get("asDropdown") is not None else False,
        "keepTime": link.get("keepTime") if link.get("keepTime") is not None else False,
        "includeVars": link.get("includeVars") if link.get("includeVars") is not None else False,
        "targetBlank": link.get("targetBlank") if link.get("targetBlank") is not None else False,
    }
    if link.get("placement") is not None:
        out["placement"] = link["placement"]
    return out


def _enum(names: tuple[str, ...], value: Any, default: int) -> str:
    return names[value] if isinstance(value, int) and 0 <= value < len(names) else names[default]


def _variables_v2(dash: JSON) -> list[JSON]:
    """§2.2 variables: createSceneVariableFromVariableModel, then sceneVariablesSetToSchemaV2Variables
    (keepQueryOptions=false). Types the double does not model (groupby, switch, ...) are skipped."""
    out: list[JSON] = []
    for var in (dash.get("templating") or {}).get("list") or []:
        if not isinstance(var, dict):
            continue
        kind = var.get("type")
        current = _obj(var.get("current"))
        common: JSON = {
            "name": var.get("name"), "label": var.get("label"), "description": var.get("description"),
            "skipUrlSync": bool(var.get("skipUrlSync")), "hide": _enum(HIDE, var.get("hide"), 0),
        }
        value = {"text": current.get("text", ""), "value": current.get("value", "")}
        multi: JSON = {
            "multi": bool(var.get("multi")), "includeAll": bool(var.get("includeAll")),
            "allValue": var.get("allValue") or None,
            "allowCustomValue": var.get("allowCustomValue") if var.get("allowCustomValue") is not None else True,
        }
        if kind == "query":
            out.append({"kind": "QueryVariable", "spec": {
                **common, **multi, "current": value,
                "options": [],  # options are not persisted (keepQueryOptions=false)
                "query": _variable_query_v2(var),
                "definition": var.get("definition"),
                "sort": _enum(SORT, var.get("sort"), 0),
                "refresh": _enum(REFRESH, var.get("refresh"), 1),  # QueryVariable default onDashboardLoad
                "regex": var.get("regex") if var.get("regex") is not None else "",
                # `regexApplyTo ?? "value"`: UNCONFIRMED for 13.0 (§2.2); best guess: written.
                "regexApplyTo": var.get("regexApplyTo") or "value",
                "staticOptions": [
                    {"text": o.get("text"), "value": str(o.get("value")), "properties": o.get("properties")}
                    for o in var["staticOptions"] if isinstance(o, dict)
                ] if isinstance(var.get("staticOptions"), list) else None,
                "staticOptionsOrder": var.get("staticOptionsOrder"),
            }})
        elif kind == "custom":
            out.append({"kind": "CustomVariable", "spec": {
                **common, **multi, "current": value, "options": [], "query": var.get("query"),
                "valuesFormat": var.get("valuesFormat") or "csv",
            }})
        elif kind == "datasource":
            spec = {
                **common, **multi, "current": value, "options": [],
                "regex": var.get("regex") if var.get("regex") is not None else "",
                "refresh": "onDashboardLoad",  # always
                "pluginId": var.get("query") or DEFAULT_DS_TYPE,
            }
            if var.get("allValue") is None:
                spec.pop("allValue")
            out.append({"kind": "DatasourceVariable", "spec": spec})
        elif kind == "constant":
            text = str(var["query"]) if var.get("query") else ""
            # scenes ConstantVariable forces skipUrlSync: true
            out.append({"kind": "ConstantVariable", "spec": {
                **common, "skipUrlSync": True, "current": {"text": text, "value": text}, "query": text,
            }})
        elif kind == "interval":
            intervals = _intervals(var.get("query"))
            selected = _current_interval(current.get("value"), intervals)
            out.append({"kind": "IntervalVariable", "spec": {
                **common, "current": {"text": selected, "value": selected},
                "query": ",".join(intervals),
                "refresh": "onTimeRangeChanged",
                "options": [{"text": i, "value": i, "selected": i == selected} for i in intervals],
                "auto": var.get("auto") if var.get("auto") is not None else False,
                "auto_min": var.get("auto_min") if var.get("auto_min") is not None else "10s",
                "auto_count": var.get("auto_count") if var.get("auto_count") is not None else 30,
            }})
        elif kind == "textbox":
            cur = current.get("value")
            raw = (cur if isinstance(cur, str) else cur[0]) if cur else var.get("query")
            text = raw if raw is not None else ""
            out.append({"kind": "TextVariable", "spec": {
                **common, "current": {"text": text, "value": text}, "query": text,
            }})
        elif kind == "adhoc":
            ds = _ref(var.get("datasource")) or {}
            out.append({"kind": "AdhocVariable", "group": ds.get("type") or DEFAULT_DS_TYPE,
                        "datasource": {"name": ds.get("uid")}, "spec": {
                **common,
                "baseFilters": var.get("baseFilters") or [],
                "filters": var.get("filters") or [],
                "defaultKeys": var.get("defaultKeys") or [],
                "allowCustomValue": multi["allowCustomValue"],
                "enableGroupBy": False,
            }})
    return out


def _variable_query_v2(var: JSON) -> JSON:
    """§2.2 Query variable query: DataQuery {group: ds type, version "v0", datasource {name: uid}?, spec: the object
    query, or {__legacyStringValue: query} for a non-empty string ({} for an empty one)}."""
    ds = _ref(var.get("datasource"))
    query = var.get("query")
    if isinstance(query, dict):
        spec: JSON = query
    else:
        spec = {LEGACY_STRING_VALUE_KEY: query} if query else {}
    out: JSON = {"kind": "DataQuery", "version": "v0", "group": (ds or {}).get("type") or DEFAULT_DS_TYPE,
                 "spec": spec}
    if ds and ds.get("uid"):
        out["datasource"] = {"name": ds["uid"]}
    return out


def _intervals(query: Any) -> list[str]:
    # utils.ts getIntervalsFromQueryString: quoted or \w+ tokens, quotes removed, `$__auto_interval_*` skipped, unique
    if not isinstance(query, str) or not query:
        return DEFAULT_INTERVALS_QUERY.split(",")
    found = [m.group(0) for m in re.finditer(r"([\"'])(.*?)\1|\w+", query)]
    if not found:
        return DEFAULT_INTERVALS_QUERY.split(",")
    out: list[str] = []
    for token in found:
        value = token.replace('"', "").replace("'", "")
        if not value.startswith("$__auto_interval_") and value not in out:
            out.append(value)
    return out


def _current_interval(value: Any, intervals: list[str]) -> str:
    # getCurrentValueForOldIntervalModel
    selected = value[0] if isinstance(value, list) and value else value
    if not intervals:
        return ""
    if not isinstance(selected, str) or not selected:
        return intervals[0]
    if selected.startswith("$__auto_interval_") or selected == "$__auto":
        return "$__auto"
    return selected if selected in intervals else intervals[0]


def _annotations_v2(dash: JSON) -> list[JSON]:
    """§2.2 annotations: DashboardModel.addBuiltInAnnotationQuery, then transformV1ToV2AnnotationQuery per layer."""
    annotations = [copy.deepcopy(a) for a in (dash.get("annotations") or {}).get("list") or [] if isinstance(a, dict)]
    if not any(a.get("builtIn") == 1 for a in annotations):
        annotations.insert(0, copy.deepcopy(BUILT_IN_ANNOTATION))
    out: list[JSON] = []
    for annotation in annotations:
        persisted = _ref(annotation.get("datasource"))
        layer_ds = persisted if persisted and persisted.get("type") else {"type": DEFAULT_DS_TYPE}
        group = "grafana" if annotation.get("builtIn") else layer_ds.get("type")
        query: JSON = {"kind": "DataQuery", "version": "v0", "group": group, "spec": annotation.get("target") or {}}
        if persisted and layer_ds.get("uid"):
            query["datasource"] = {"name": layer_ds["uid"]}
        spec: JSON = {
            "name": annotation.get("name") if annotation.get("name") is not None else "",
            "enable": bool(annotation.get("enable")),
            "hide": bool(annotation.get("hide")),
            "iconColor": annotation.get("iconColor") if annotation.get("iconColor") is not None else "",
            "query": query,
        }
        if "builtIn" in annotation and annotation["builtIn"] is not None:
            spec["builtIn"] = bool(annotation["builtIn"])
        if annotation.get("placement"):
            spec["placement"] = annotation["placement"]
        legacy = {k: v for k, v in annotation.items() if k not in ANNOTATION_KNOWN_KEYS}
        if legacy:
            spec["legacyOptions"] = legacy
        flt = annotation.get("filter")
        if isinstance(flt, dict) and flt.get("ids"):
            spec["filter"] = flt
        out.append({"kind": "AnnotationQuery", "spec": spec})
    return out


def _sorted_without_nulls(value: Any) -> Any:
    """§2.2 final pass, sortedDeepCloneWithoutNulls(value, convertInfinity=true): object keys sorted, null/undefined
    properties removed, ±Infinity properties written as 0. Array elements are cloned, not filtered (as in the JS);
    an infinity left in an array serializes as null."""
    if isinstance(value, list):
        return [_sorted_without_nulls(v) for v in value]
    if isinstance(value, dict):
        out: JSON = {}
        for key in sorted(value):
            v = value[key]
            if isinstance(v, float) and math.isinf(v):
                out[key] = 0
            elif v is not None:
                out[key] = _sorted_without_nulls(v)
        return out
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


# --------------------------------------------------------------------------------------------------------------------
# v2 -> v1: the backend's down-conversion (§3)
# --------------------------------------------------------------------------------------------------------------------


def to_v1(spec: JSON) -> JSON:
    """The classic JSON Grafana returns for a v2 (or v2beta1) stored `spec` read at v1 / v1beta1 (and through the
    legacy /api, §3: v2 -> v1 -> v0, same JSON): v2_schema.md §3.1, convertDashboardSpec_V2alpha1_to_V1.

    No uid, id or version in the result (the caller adds what its endpoint adds). A layout item naming a missing
    element raises KeyError (Grafana reports a failed conversion)."""
    src = copy.deepcopy(spec)
    out: JSON = {"title": src.get("title") or ""}
    if src.get("description") is not None:
        out["description"] = src["description"]
    if src.get("tags"):
        out["tags"] = src["tags"]
    cursor = src.get("cursorSync")
    out["graphTooltip"] = CURSOR_SYNC.index(cursor) if cursor in CURSOR_SYNC else 0
    out["schemaVersion"] = LATEST_SCHEMA_VERSION
    out["preload"] = bool(src.get("preload"))
    out["editable"] = src["editable"] if src.get("editable") is not None else True
    for key in ("liveNow", "revision"):
        if src.get(key) is not None:
            out[key] = src[key]
    _time_settings_v1(src.get("timeSettings") or {}, out)
    if src.get("links"):
        out["links"] = [_dashboard_link_v1(link) for link in src["links"]]

    elements = src.get("elements") or {}
    panels = _layout_to_panels(elements, src.get("layout") or {})
    if panels:
        out["panels"] = panels
    variables = [v for v in (_variable_v1(var) for var in src.get("variables") or []) if v is not None]
    if variables:
        out["templating"] = {"list": variables}
    # "always include even if empty to prevent DashboardModel from adding built-in"
    out["annotations"] = {"list": [_annotation_v1(a) for a in src.get("annotations") or []]}
    return out


def conversion_status(stored_version: str) -> JSON:
    """§1.10 / §3: `status` of a converted read (set on every converted read, also on success)."""
    return {"conversion": {"failed": False, "storedVersion": stored_version}}


def _time_settings_v1(ts: JSON, out: JSON) -> None:
    # convertTimeSettingsToV1
    out["time"] = {"from": ts.get("from") or "now-6h", "to": ts.get("to") or "now"}
    if ts.get("timezone") is not None:
        out["timezone"] = ts["timezone"]
    out["refresh"] = ts.get("autoRefresh") or ""
    out["fiscalYearStartMonth"] = ts.get("fiscalYearStartMonth") or 0
    if ts.get("weekStart") is not None:
        out["weekStart"] = ts["weekStart"]
    timepicker: JSON = {}
    if ts.get("autoRefreshIntervals"):
        timepicker["refresh_intervals"] = ts["autoRefreshIntervals"]
    if ts.get("hideTimepicker"):
        timepicker["hidden"] = True
    if ts.get("nowDelay") is not None:
        timepicker["nowDelay"] = ts["nowDelay"]
    if ts.get("quickRanges"):
        timepicker["quick_ranges"] = [
            {"display": q.get("display"), "from": q.get("from"), "to": q.get("to")} for q in ts["quickRanges"]
        ]
    if timepicker:
        out["timepicker"] = timepicker


def _dashboard_link_v1(link: JSON) -> JSON:
    out: JSON = {k: link.get(k) for k in ("title", "type", "icon", "tooltip", "tags", "asDropdown", "targetBlank",
                                          "includeVars", "keepTime")}
    for key in ("url", "placement"):
        if link.get(key) is not None:
            out[key] = link[key]
    return out


class _RowIds:
    """§3.1: row panel ids are renumbered from max(element spec.id) + 1, in output order (getMaxPanelIDFromElements).
    UNCONFIRMED which of this and the older `id: -1` for every row 13.0 ships; best guess: renumbering."""

    def __init__(self, elements: JSON) -> None:
        ids = [e.get("spec", {}).get("id") for e in elements.values() if isinstance(e, dict)]
        self.next = max([i for i in ids if isinstance(i, int)] or [0]) + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1


def _layout_to_panels(elements: JSON, layout: JSON) -> list[JSON]:
    """convertPanelsFromElementsAndLayout (§3.1 Layouts)."""
    ids = _RowIds(elements)
    kind, spec = layout.get("kind"), layout.get("spec") or {}
    if kind == "GridLayout":
        return [_panel_v1(elements, item["spec"]) for item in spec.get("items") or []]
    if kind in ("RowsLayout", "TabsLayout"):
        return _nested_panels(elements, layout, 0, ids)
    if kind == "AutoGridLayout":
        return _auto_grid_panels(elements, spec, 0)
    return []


def _nested_panels(elements: JSON, layout: JSON, y_offset: int, ids: _RowIds) -> list[JSON]:
    # convertNestedLayoutToPanels: rows / tabs in order, each starting where the previous one ended
    panels: list[JSON] = []
    current_y = y_offset
    spec = layout.get("spec") or {}
    if layout.get("kind") == "RowsLayout":
        for row in spec.get("rows") or []:
            row_panels, current_y = _row_panels(elements, row.get("spec") or {}, current_y, ids)
            panels += row_panels
    else:
        for tab in spec.get("tabs") or []:
            tab_panels, current_y = _tab_panels(elements, tab.get("spec") or {}, current_y, ids)
            panels += tab_panels
    return panels


def _row_panel(ids: _RowIds, title: Any, y: int | None) -> JSON:
    panel: JSON = {"type": "row", "id": ids.take()}
    if title is not None:
        panel["title"] = title
    if y is not None:
        panel["gridPos"] = {"x": 0, "y": y, "w": 24, "h": 1}
    return panel


def _row_panels(elements: JSON, row: JSON, start_y: int, ids: _RowIds) -> tuple[list[JSON], int]:
    """processRowItem. conditionalRendering, fillScreen, row variables are dropped; hideHeader only flattens."""
    panels: list[JSON] = []
    current_y = start_y
    hidden = row.get("hideHeader") is True
    layout = row.get("layout") or {}
    kind, spec = layout.get("kind"), layout.get("spec") or {}

    if kind in ("RowsLayout", "TabsLayout"):
        # nested rows/tabs: the parent row is kept (expanded, empty), the nested content is flattened after it
        if not hidden:
            panels.append({**_row_panel(ids, row.get("title"), current_y), "collapsed": False, "panels": []})
            current_y += 1
        nested = _nested_panels(elements, layout, current_y, ids)
        return panels + nested, _max_y(nested, current_y)

    collapsed = row.get("collapse") is True
    if not hidden:
        has_content = (kind == "GridLayout" and bool(spec.get("items"))) or kind == "AutoGridLayout"
        row_panel = _row_panel(ids, row.get("title"), current_y if has_content or collapsed else None)
        if row.get("collapse") is not None:
            row_panel["collapsed"] = row["collapse"]
        repeat = row.get("repeat") or {}
        if repeat.get("value"):
            row_panel["repeat"] = repeat["value"]
        if collapsed:
            # collapsed rows hold their children with y = rowY + 1 + relY
            children = _collapsed_panels(elements, layout, current_y + 1)
            if children:
                row_panel["panels"] = children
        panels.append(row_panel)
        current_y += 1

    if not collapsed or hidden:
        expanded, current_y = _expanded_panels(elements, layout, current_y, hidden, start_y)
        panels += expanded
    return panels, current_y


def _expanded_panels(elements: JSON, layout: JSON, current_y: int, hidden: bool,
                     start_y: int) -> tuple[list[JSON], int]:
    """extractExpandedPanels. Explicit row: y = relY + rowY (currentY - 1: the children share the row's y, as in the
    golden files, §3.1); hidden header: relative y unchanged. Mirrors the Go as read: the next row starts at the
    children's max y + h, which is 0 for an empty GridLayout (not start_y)."""
    panels: list[JSON] = []
    max_y = start_y
    kind, spec = layout.get("kind"), layout.get("spec") or {}
    if kind == "GridLayout":
        local_max = 0
        for item in spec.get("items") or []:
            item_spec = dict(item["spec"])
            if not hidden:
                item_spec["y"] = item_spec.get("y", 0) + current_y - 1
            panels.append(_panel_v1(elements, item_spec))
            local_max = max(local_max, item_spec.get("y", 0) + item_spec.get("height", 0))
        max_y = local_max
    elif kind == "AutoGridLayout":
        y_offset = start_y if hidden else current_y - 1
        panels = _auto_grid_panels(elements, spec, y_offset)
        max_y = _max_y(panels, y_offset)
    return panels, max_y


def _collapsed_panels(elements: JSON, layout: JSON, base_y: int) -> list[JSON]:
    # extractCollapsedPanelsWithAbsoluteY / extractCollapsedPanelsFromTabLayoutWithAbsoluteY
    panels: list[JSON] = []
    kind, spec = layout.get("kind"), layout.get("spec") or {}
    if kind == "GridLayout":
        for item in spec.get("items") or []:
            panels.append(_panel_v1(elements, {**item["spec"], "y": item["spec"].get("y", 0) + base_y}))
    elif kind == "AutoGridLayout":
        panels += _auto_grid_panels(elements, spec, base_y)
    elif kind == "RowsLayout":
        current_y = base_y
        for row in spec.get("rows") or []:
            row_layout = (row.get("spec") or {}).get("layout") or {}
            panels += _collapsed_panels(elements, row_layout, current_y)
            current_y += _layout_height(row_layout, tab=False)
    elif kind == "TabsLayout":
        current_y = base_y
        for tab in spec.get("tabs") or []:
            tab_layout = (tab.get("spec") or {}).get("layout") or {}
            panels += _collapsed_panels(elements, tab_layout, current_y)
            current_y += _layout_height(tab_layout, tab=True)
    return panels


def _layout_height(layout: JSON, *, tab: bool) -> int:
    # getLayoutHeight (GridLayout only) / getLayoutHeightFromTab (also AutoGridLayout: rows of 9)
    kind, spec = layout.get("kind"), layout.get("spec") or {}
    height = 0
    if kind == "GridLayout":
        for item in spec.get("items") or []:
            height = max(height, item["spec"].get("y", 0) + item["spec"].get("height", 0))
    elif kind == "AutoGridLayout" and tab:
        cols = int(spec.get("maxColumnCount") or 3)
        height = (len(spec.get("items") or []) + cols - 1) // cols * 9
    return height


def _tab_panels(elements: JSON, tab: JSON, start_y: int, ids: _RowIds) -> tuple[list[JSON], int]:
    """processTabItem: a tab becomes an expanded row panel {collapsed: false, panels: []}, content after it."""
    row_panel: JSON = {**_row_panel(ids, tab.get("title"), start_y), "collapsed": False, "panels": []}
    repeat = tab.get("repeat") or {}
    if repeat.get("value"):
        row_panel["repeat"] = repeat["value"]
    panels = [row_panel]
    current_y = start_y + 1
    layout = tab.get("layout") or {}
    kind, spec = layout.get("kind"), layout.get("spec") or {}
    if kind in ("RowsLayout", "TabsLayout"):
        nested = _nested_panels(elements, layout, current_y, ids)
        panels += nested
        current_y = _max_y(nested, current_y)
    elif kind == "GridLayout":
        base_y = max_y = current_y
        for item in spec.get("items") or []:
            item_spec = {**item["spec"], "y": item["spec"].get("y", 0) + base_y}
            panels.append(_panel_v1(elements, item_spec))
            max_y = max(max_y, item_spec["y"] + item_spec.get("height", 0))
        current_y = max_y
    elif kind == "AutoGridLayout":
        auto = _auto_grid_panels(elements, spec, current_y)
        panels += auto
        current_y = _max_y(auto, current_y)
    return panels, current_y


def _max_y(panels: list[JSON], current_y: int) -> int:
    # getMaxYFromPanels: top-level gridPos y + h only
    for panel in panels:
        pos = panel.get("gridPos")
        if isinstance(pos, dict):
            current_y = max(current_y, (pos.get("y") or 0) + (pos.get("h") or 0))
    return current_y


def _auto_grid_panels(elements: JSON, spec: JSON, y_offset: int) -> list[JSON]:
    """§3.1 AutoGridLayout: width floor(24 / maxColumnCount) (default 3 -> 8), height short 5 / standard 9 / tall 14 /
    custom ceil(px / 38), left-to-right wrap; an item repeat -> repeat, repeatDirection "h", maxPerRow = columns."""
    cols = spec.get("maxColumnCount")
    cols = cols if isinstance(cols, int | float) and cols > 0 else 3
    width = int(24 / cols)
    mode = spec.get("rowHeightMode")
    height = {"short": 5, "standard": 9, "tall": 14}.get(mode, 9) if isinstance(mode, str) else 9
    if mode == "custom":
        px = spec.get("rowHeight")
        height = int((px + 37) / 38) if isinstance(px, int | float) and px > 0 else 9
    panels: list[JSON] = []
    x, y = 0, y_offset
    for item in spec.get("items") or []:
        item_spec: JSON = {"x": x, "y": y, "width": width, "height": height, "element": item["spec"]["element"]}
        repeat = item["spec"].get("repeat")
        if repeat:
            item_spec["repeat"] = {"mode": repeat.get("mode"), "value": repeat.get("value"), "direction": "h",
                                   "maxPerRow": int(cols)}
        panels.append(_panel_v1(elements, item_spec))
        x += width
        if x >= 24:
            x, y = 0, y + height
    return panels


def _panel_v1(elements: JSON, item: JSON) -> JSON:
    """convertPanelFromElement + convertPanelKindToV1 / convertLibraryPanelKindToV1 (§3.1 panels)."""
    name = item["element"]["name"]
    if name not in elements:
        raise KeyError(f"panel with uid {name} not found in the dashboard elements")
    element = elements[name]
    panel: JSON = {"gridPos": {"x": item.get("x", 0), "y": item.get("y", 0), "w": item.get("width", 0),
                               "h": item.get("height", 0)}}
    repeat = item.get("repeat")
    if repeat:
        panel["repeat"] = repeat.get("value")
        if repeat.get("direction") in ("h", "v"):
            panel["repeatDirection"] = repeat["direction"]
        if repeat.get("maxPerRow") is not None:
            panel["maxPerRow"] = repeat["maxPerRow"]
    spec = element.get("spec") or {}
    if element.get("kind") == "LibraryPanel":
        lib = spec.get("libraryPanel") or {}
        panel.update(id=spec.get("id"), title=spec.get("title"), type="library-panel-ref",
                     libraryPanel={"uid": lib.get("uid"), "name": lib.get("name")})
        return panel

    viz = spec.get("vizConfig") or {}
    viz_spec = viz.get("spec") or {}
    panel["id"] = spec.get("id")
    panel["title"] = spec.get("title")
    panel["pluginVersion"] = viz.get("version") if viz.get("version") is not None else ""  # even when ""
    if spec.get("description"):
        panel["description"] = spec["description"]
    panel["type"] = viz.get("group")
    if viz_spec.get("options") is not None:
        panel["options"] = viz_spec["options"]
    field_config = _field_config_v1(viz_spec.get("fieldConfig"))
    if field_config is not None:
        panel["fieldConfig"] = field_config
    if spec.get("links"):
        panel["links"] = [
            {"title": link.get("title"), "url": link.get("url"),
             **({"targetBlank": link["targetBlank"]} if link.get("targetBlank") is not None else {})}
            for link in spec["links"]
        ]
    data = (spec.get("data") or {}).get("spec") or {}
    queries = data.get("queries") or []
    panel["targets"] = [_target_v1(q.get("spec") or {}) for q in queries]
    panel_ds = _panel_datasource_v1(queries)
    if panel_ds is not None:
        panel["datasource"] = panel_ds
    if data.get("transformations"):
        panel["transformations"] = [_transformation_v1(t) for t in data["transformations"]]
    options = data.get("queryOptions") or {}
    for key in ("cacheTimeout", "maxDataPoints", "interval", "hideTimeOverride", "queryCachingTTL", "timeFrom",
                "timeShift"):
        if options.get(key) is not None:
            panel[key] = options[key]
    if spec.get("transparent") is not None:
        panel["transparent"] = spec["transparent"]
    return panel


def _query_ds(query: JSON) -> tuple[str, str]:
    """(uid, type) of a v2beta1 DataQuery: datasource.name and group (v2beta1 -> v2alpha1 maps them to the query's
    datasource {uid, type} and kind, §1.11)."""
    uid = (query.get("datasource") or {}).get("name") or ""
    return str(uid), str(query.get("group") or "")


def _ds_v1(uid: str, ds_type: str) -> JSON | None:
    # getDataSourceForQuery: {uid, type} when a uid is known, else {type}, else nothing
    if uid:
        return {"uid": uid, "type": ds_type} if ds_type else {"uid": uid}
    return {"type": ds_type} if ds_type else None


def _target_v1(query_spec: JSON) -> JSON:
    # convertPanelQueryToV1: query.spec + refId (+ hide: true) + datasource; __legacyStringValue -> query
    query = query_spec.get("query") or {}
    target: JSON = {}
    for key, value in (query.get("spec") or {}).items():
        if key == LEGACY_STRING_VALUE_KEY:
            if isinstance(value, str):
                target["query"] = value
            continue
        target[key] = value
    target["refId"] = query_spec.get("refId")
    if query_spec.get("hidden"):
        target["hide"] = True
    ds = _ds_v1(*_query_ds(query))
    if ds is not None:
        target["datasource"] = ds
    return target


def _panel_datasource_v1(queries: list[JSON]) -> JSON | None:
    """getPanelDatasource: the shared datasource of all queries; different ones (or > 1 `-- Dashboard --` query)
    -> {type: "mixed", uid: "-- Mixed --"}; one `-- Dashboard --` -> {type: "datasource", uid: "-- Dashboard --"};
    no queries -> none."""
    refs = [_query_ds((q.get("spec") or {}).get("query") or {}) for q in queries]
    if not refs:
        return None
    mixed = {"type": "mixed", "uid": "-- Mixed --"}
    if sum(1 for uid, _ in refs if uid == "-- Dashboard --") > 1 or len(set(refs)) > 1:
        return mixed
    uid, ds_type = refs[0]
    if uid == "-- Dashboard --":
        return {"type": "datasource", "uid": uid}
    out: JSON = {}
    if ds_type:
        out["type"] = ds_type
    if uid:
        out["uid"] = uid
    return out or None


def _transformation_v1(t: JSON) -> JSON:
    """§3.1 transformations -> {id, options, disabled?, filter?}; accepts the v2 shape (group) and the v2beta1 shape
    (kind / spec.id), §1.4."""
    spec = t.get("spec") or {}
    if t.get("kind") == "Transformation" and "group" in t:
        tid = t.get("group")
    else:
        tid = spec.get("id") if spec.get("id") is not None else t.get("kind")
    out: JSON = {"id": tid, "options": spec.get("options")}
    if spec.get("disabled") is not None:
        out["disabled"] = spec["disabled"]
    if spec.get("filter") is not None:
        flt = spec["filter"]
        out["filter"] = {"id": flt.get("id"), "options": flt.get("options"),
                         **({"scope": flt["scope"]} if flt.get("scope") is not None else {})}
    return out


def _field_config_v1(field_config: Any) -> JSON | None:
    """convertFieldConfigSourceToV1: defaults keep only the set keys (threshold value nil -> null); overrides key
    omitted when empty; the whole fieldConfig omitted when both are empty."""
    if not isinstance(field_config, dict):
        return None
    out: JSON = {}
    defaults_src = field_config.get("defaults") or {}
    defaults: JSON = {}
    for key in FIELD_CONFIG_DEFAULT_KEYS:
        value = defaults_src.get(key)
        if value is None or (key == "actions" and not value):
            continue
        if key == "thresholds" and isinstance(value, dict):
            value = {"mode": value.get("mode"), "steps": [
                {"color": s.get("color"), "value": s.get("value")} for s in value.get("steps") or []
            ]}
        elif key == "color" and isinstance(value, dict):
            value = {"mode": value.get("mode"), **{k: value[k] for k in ("fixedColor", "seriesBy")
                                                     if value.get(k) is not None}}
        defaults[key] = value
    if defaults:
        out["defaults"] = defaults
    overrides = field_config.get("overrides") or []
    if overrides:
        out["overrides"] = [_override_v1(o) for o in overrides]
    return out or None


def _override_v1(override: JSON) -> JSON:
    matcher = override.get("matcher") or {}
    out: JSON = {}
    if override.get("__systemRef") is not None:
        out["__systemRef"] = override["__systemRef"]
    out["matcher"] = {"id": matcher.get("id"), "options": matcher.get("options"),
                      **({"scope": matcher["scope"]} if matcher.get("scope") is not None else {})}
    out["properties"] = [{"id": p.get("id"), "value": p.get("value")} for p in override.get("properties") or []]
    return out


def _hide_v1(value: Any) -> int:
    # transformVariableHideFromEnum: dontHide 0, hideLabel 1, hideVariable 2, anything else (inControlsMenu) 0
    return {"hideLabel": 1, "hideVariable": 2}.get(value, 0) if isinstance(value, str) else 0


def _string_or_list(value: Any) -> Any:
    # convertStringOrArrayOfStringToV1: a string, a non-empty list, else ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        return value
    return ""


def _current_v1(current: Any) -> JSON:
    current = current if isinstance(current, dict) else {}
    return {"text": _string_or_list(current.get("text")), "value": _string_or_list(current.get("value"))}


def _options_v1(options: Any) -> list[JSON]:
    out: list[JSON] = []
    for option in options or []:
        item: JSON = {"text": _string_or_list(option.get("text")), "value": _string_or_list(option.get("value"))}
        if option.get("selected") is not None:
            item["selected"] = option["selected"]
        out.append(item)
    return out


def _variable_v1(var: JSON) -> JSON | None:
    """§3.1 variables (convert*VariableToV1): hide/refresh/sort back to numbers; interval has no refresh; constant
    always hide 2; TextVariable -> textbox."""
    kind, spec = var.get("kind"), var.get("spec") or {}
    out: JSON = {"name": spec.get("name")}
    if kind == "QueryVariable":
        query = spec.get("query") or {}
        out.update(type="query", hide=_hide_v1(spec.get("hide")), skipUrlSync=bool(spec.get("skipUrlSync")),
                   multi=bool(spec.get("multi")), includeAll=bool(spec.get("includeAll")),
                   refresh=REFRESH.index(spec["refresh"]) if spec.get("refresh") in REFRESH else 0,
                   sort=SORT.index(spec["sort"]) if spec.get("sort") in SORT else 0,
                   regex=spec.get("regex") or "", current=_current_v1(spec.get("current")),
                   options=_options_v1(spec.get("options")))
        for key in ("label", "description", "allValue", "definition", "regexApplyTo"):
            if spec.get(key) is not None:
                out[key] = spec[key]
        out["allowCustomValue"] = bool(spec.get("allowCustomValue"))
        if spec.get("staticOptions"):
            out["staticOptions"] = _options_v1(spec["staticOptions"])
        if spec.get("staticOptionsOrder") is not None:
            out["staticOptionsOrder"] = spec["staticOptionsOrder"]
        query_spec = query.get("spec") or {}
        legacy = query_spec.get(LEGACY_STRING_VALUE_KEY)
        out["query"] = legacy if isinstance(legacy, str) else dict(query_spec)
        ds = _ds_v1(*_query_ds(query))
        if ds is not None:
            out["datasource"] = ds
    elif kind == "DatasourceVariable":
        out.update(type="datasource", hide=_hide_v1(spec.get("hide")), skipUrlSync=bool(spec.get("skipUrlSync")),
                   multi=bool(spec.get("multi")), includeAll=bool(spec.get("includeAll")),
                   refresh=REFRESH.index(spec["refresh"]) if spec.get("refresh") in REFRESH else 0,
                   regex=spec.get("regex") or "", query=spec.get("pluginId") or "",
                   current=_current_v1(spec.get("current")), options=_options_v1(spec.get("options")))
        _label_description_v1(spec, out, "allValue")
        out["allowCustomValue"] = bool(spec.get("allowCustomValue"))
    elif kind == "CustomVariable":
        out.update(type="custom", hide=_hide_v1(spec.get("hide")), skipUrlSync=bool(spec.get("skipUrlSync")),
                   multi=bool(spec.get("multi")), includeAll=bool(spec.get("includeAll")),
                   query=spec.get("query") or "", allowCustomValue=bool(spec.get("allowCustomValue")),
                   current=_current_v1(spec.get("current")), options=_options_v1(spec.get("options")))
        _label_description_v1(spec, out, "allValue", "valuesFormat")
    elif kind == "ConstantVariable":
        # "Constant variables in v1 must always be hidden (hide: 2)"
        out.update(type="constant", hide=2, skipUrlSync=bool(spec.get("skipUrlSync")), query=spec.get("query") or "",
                   current=_current_v1(spec.get("current")))
        _label_description_v1(spec, out)
    elif kind == "IntervalVariable":
        # no `refresh` key in the output (§3.1)
        out.update(type="interval", hide=_hide_v1(spec.get("hide")), skipUrlSync=bool(spec.get("skipUrlSync")),
                   query=spec.get("query") or "", auto=bool(spec.get("auto")), auto_min=spec.get("auto_min") or "",
                   auto_count=spec.get("auto_count") or 0, current=_current_v1(spec.get("current")),
                   options=_options_v1(spec.get("options")))
        _label_description_v1(spec, out)
    elif kind == "TextVariable":
        out.update(type="textbox", hide=_hide_v1(spec.get("hide")), skipUrlSync=bool(spec.get("skipUrlSync")),
                   query=spec.get("query") or "", current=_current_v1(spec.get("current")))
        _label_description_v1(spec, out)
    elif kind == "GroupByVariable":
        out.update(type="groupby", hide=_hide_v1(spec.get("hide")), skipUrlSync=bool(spec.get("skipUrlSync")),
                   multi=bool(spec.get("multi")), current=_current_v1(spec.get("current")),
                   options=_options_v1(spec.get("options")))
        _label_description_v1(spec, out)
        _kind_datasource_v1(var, out)
        if spec.get("defaultValue") is not None:
            out["defaultValue"] = _current_v1(spec["defaultValue"])
    elif kind == "AdhocVariable":
        out.update(type="adhoc", hide=_hide_v1(spec.get("hide")), skipUrlSync=bool(spec.get("skipUrlSync")))
        _label_description_v1(spec, out)
        out["allowCustomValue"] = bool(spec.get("allowCustomValue"))
        _kind_datasource_v1(var, out)
        for key in ("filters", "baseFilters", "defaultKeys"):
            if spec.get(key):
                out[key] = spec[key]
    elif kind == "SwitchVariable":
        current = spec.get("current")
        enabled, disabled = spec.get("enabledValue"), spec.get("disabledValue")
        out.update(type="switch", hide=_hide_v1(spec.get("hide")), skipUrlSync=bool(spec.get("skipUrlSync")),
                   query="", current={"text": current, "value": current},
                   options=[{"text": enabled, "value": enabled, "selected": current == enabled},
                            {"text": disabled, "value": disabled, "selected": current == disabled}])
        _label_description_v1(spec, out)
    else:
        return None
    return out


def _label_description_v1(spec: JSON, out: JSON, *extra: str) -> None:
    for key in ("label", "description", *extra):
        if spec.get(key) is not None:
            out[key] = spec[key]


def _kind_datasource_v1(var: JSON, out: JSON) -> None:
    # GroupBy / Adhoc: top-level group + datasource {name} (§1.7); getDataSourceForQuery(ds, "") -> needs a uid
    uid = (var.get("datasource") or {}).get("name")
    if uid:
        out["datasource"] = {"uid": uid, "type": var["group"]} if var.get("group") else {"uid": uid}


def _annotation_v1(annotation: JSON) -> JSON:
    """convertAnnotationsToV1: builtIn -> builtIn 1 + type "dashboard"; datasource {uid, type} | {type}; target only
    when the query spec is non-empty; filter; mappings; legacyOptions back at the root (§3.1 Annotations)."""
    spec = annotation.get("spec") or {}
    out: JSON = {"name": spec.get("name"), "enable": bool(spec.get("enable")), "hide": bool(spec.get("hide")),
                 "iconColor": spec.get("iconColor")}
    if spec.get("builtIn"):
        out["builtIn"] = 1
        out["type"] = "dashboard"
    query = spec.get("query")
    if isinstance(query, dict):
        ds = _ds_v1(*_query_ds(query))
        if ds is not None:
            out["datasource"] = ds
        if query.get("spec"):
            out["target"] = dict(query["spec"])
    flt = spec.get("filter")
    if isinstance(flt, dict):
        filter_v1: JSON = {}
        if flt.get("exclude") is not None:
            filter_v1["exclude"] = flt["exclude"]
        if flt.get("ids"):
            filter_v1["ids"] = list(flt["ids"])
        if filter_v1:
            out["filter"] = filter_v1
    if spec.get("mappings"):
        mappings: JSON = {}
        for key, mapping in spec["mappings"].items():
            source = mapping.get("source") or "field"
            item: JSON = {"source": source}
            for field in ("value", "regex"):
                if mapping.get(field):
                    item[field] = mapping[field]
            if source == "skip" or mapping.get("value"):
                mappings[key] = item
        if mappings:
            out["mappings"] = mappings
    for key, value in (spec.get("legacyOptions") or {}).items():
        if key not in ANNOTATION_HANDLED_KEYS:
            out[key] = value
    return out


# --------------------------------------------------------------------------------------------------------------------
# helpers for the double
# --------------------------------------------------------------------------------------------------------------------


def is_v2(spec: JSON) -> bool:
    """A v2 / v2beta1 spec has `elements` and `layout` (§1.2); a classic board has neither."""
    return isinstance(spec, dict) and "elements" in spec and "layout" in spec


def panels_of_v2(spec: JSON) -> list[tuple[str, JSON]]:
    """(title of the enclosing row or tab, "" at top level or under a hidden-header/untitled row; the element's spec)
    for every layout item, in layout order. Library panels give their LibraryPanelKind spec."""
    elements = spec.get("elements") or {}
    out: list[tuple[str, JSON]] = []

    def walk(layout: JSON, title: str) -> None:
        kind, lspec = layout.get("kind"), layout.get("spec") or {}
        if kind in ("GridLayout", "AutoGridLayout"):
            for item in lspec.get("items") or []:
                element = elements.get(item["spec"]["element"]["name"])
                if isinstance(element, dict):
                    out.append((title, element.get("spec") or {}))
        elif kind == "RowsLayout":
            for row in lspec.get("rows") or []:
                rspec = row.get("spec") or {}
                walk(rspec.get("layout") or {}, rspec.get("title") or "")
        elif kind == "TabsLayout":
            for tab in lspec.get("tabs") or []:
                tspec = tab.get("spec") or {}
                walk(tspec.get("layout") or {}, tspec.get("title") or "")

    walk(spec.get("layout") or {}, "")
    return out


def set_row_condition(spec: JSON, row_title: str, variable: str, value: str, operator: str = "equals") -> None:
    """Give the RowsLayoutRow titled `row_title` (the first one, searching nested layouts too) a conditional
    rendering group showing it only when `variable` <operator> `value` (§1.6) -- "a row shown only for one client".
    Modifies `spec` in place; KeyError when no such row."""
    group: JSON = {"kind": "ConditionalRenderingGroup", "spec": {
        "visibility": "show", "condition": "and",
        "items": [{"kind": "ConditionalRenderingVariable",
                   "spec": {"variable": variable, "operator": operator, "value": value}}],
    }}

    def find(layout: JSON) -> JSON | None:
        kind, lspec = layout.get("kind"), layout.get("spec") or {}
        children = lspec.get("rows") if kind == "RowsLayout" else lspec.get("tabs") if kind == "TabsLayout" else None
        for child in children or []:
            cspec = child.get("spec") or {}
            if kind == "RowsLayout" and cspec.get("title") == row_title:
                return cspec
            found = find(cspec.get("layout") or {})
            if found is not None:
                return found
        return None

    row = find(spec.get("layout") or {})
    if row is None:
        raise KeyError(f"no row titled {row_title!r}")
    row["conditionalRendering"] = group

"""What Grafana's dashboard UI (Scenes, 11.6 and 12.x) POSTs when a person opens a board and presses Save.

    ui_save(stored_dashboard, grafana=(12, 2, 0))                        # every panel on screen
    ui_save(stored_dashboard, grafana=(11, 6, 0), rendered=lambda p: p["id"] == 3)

`dashboard` is the JSON as stored (`GET /api/dashboards/uid/...` → `dashboard`, with id, uid and version).
The result is the `dashboard` of the `POST /api/dashboards/db` body of a no-op save: nothing edited, the
"save current time range / variable values / refresh" boxes left unticked (their default). Pure: the
argument is not modified.

How the UI builds it (grafana/grafana, public/app/features/...; "gg#N" is a pull request):
1. Load: dashboard/state/DashboardModel.ts constructor (defaults, schema migrations via DashboardMigrator.ts
   updateSchema, addBuiltInAnnotationQuery, ensurePanelsHaveUniqueIds, sortPanelsByGridPos), then
   dashboard-scene/serialization/transformSaveModelToScene.ts createDashboardSceneFromDashboardModel,
   buildGridItemForPanel, createRowFromPanelModel and dashboard-scene/utils/variables.ts
   createSceneVariableFromVariableModel. Every panel is a dashboard/state/PanelModel.ts (its `defaults` are
   deep-filled: gridPos, targets [{refId: "A"}], options {}, fieldConfig {defaults: {}, overrides: []}, title "").
   The initial save model is the stored JSON itself (transformSaveModelToScene: setInitialSaveModel(rsp.dashboard)).
2. Plugins load only for panels that render (@grafana/scenes VizPanel._pluginLoaded): the plugin's migration
   handler runs when the stored pluginVersion differs from the running one, then
   @grafana/data panel/getPanelOptionsWithDefaults.ts merges the plugin's default options and field config,
   removes field-config keys the plugin does not register (cleanProperties), filters override properties the
   same way, sets thresholds.steps[0].value to -Infinity (fixThresholds); pluginVersion becomes the running
   version. The grid is lazy (SceneGridLayout isLazy unless `preload`), so off-screen panels and the children
   of collapsed rows keep their stored options, field config and pluginVersion.
3. Save model: dashboard-scene/serialization/transformSceneToSaveModel.ts transformSceneToSaveModel /
   vizPanelToPanel / gridRowToSaveModel, sceneVariablesSetToVariables.ts, dataLayersToAnnotations.ts, then
   core/utils/object.ts sortedDeepCloneWithoutNulls (nulls removed everywhere; -Infinity removed up to 12.0,
   written as 0 from 12.1 (gg#105037, `convertInfinity`)).
4. Save: dashboard-scene/saving/getDashboardChanges.ts getRawDashboardChanges / applyVariableChanges (called by
   serialization/DashboardSceneSerializer.ts V1DashboardSerializer.getDashboardChangesFromScene): with the
   boxes unticked, `time`, `refresh`, each variable's `current` and `options` (textbox: `query`; adhoc: `filters`)
   are put back as stored (`current.selected` deleted); a key the stored board lacks stays absent.

Panel plugin defaults per Grafana line come from fixtures/panel_defaults.json ("11.6": 11.6.x-12.1.x, "12": 12.2.x).
Not modelled: library panels, repeated-panel clones, groupby variables, old (< schema 39) migrations,
SceneGridLayout re-packing of overlapping panels, datasource resolution for panels/variables without one.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).with_name("fixtures") / "panel_defaults.json"
NEG_INF = float("-inf")

# public/app/features/dashboard/state/DashboardModel.ts addBuiltInAnnotationQuery
BUILT_IN_ANNOTATION: dict[str, Any] = {
    "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True, "hide": True,
    "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard",
}
# @grafana/schema dashboard_types.gen defaultTimePickerConfig (11.6.0 and 12.2.0 alike)
DEFAULT_TIMEPICKER: dict[str, Any] = {
    "hidden": False, "quick_ranges": [],
    "refresh_intervals": ["5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d"],
}
# public/app/features/dashboard/state/PanelModel.ts `defaults` (defaultsDeep'ed into every panel)
PANEL_MODEL_DEFAULTS: dict[str, Any] = {
    "gridPos": {"x": 0, "y": 0, "h": 3, "w": 6}, "targets": [{"refId": "A"}], "transparent": False, "options": {},
    "links": [], "transformations": [], "fieldConfig": {"defaults": {}, "overrides": []}, "title": "",
}
WEEK_STARTS = ("saturday", "sunday", "monday")  # @grafana/ui isWeekStart
VARIABLE_TYPES = ("query", "custom", "datasource", "interval", "constant", "textbox", "adhoc")
# core panels whose plugin.json sets skipDataQuery: createPanelDataProvider gives them no query runner
SKIP_DATA_QUERY = ("text", "news", "dashlist", "alertlist", "annolist", "welcome", "gettingstarted")


def ui_save(
    dashboard: dict[str, Any],
    *,
    grafana: tuple[int, int, int],
    rendered: Callable[[dict[str, Any]], bool] | None = None,
) -> dict[str, Any]:
    """The dashboard JSON Grafana `grafana` (major, minor, patch) POSTs for a no-op UI save of `dashboard`.

    `rendered(panel)` (called with the stored panel) says whether the panel's plugin loaded; by default every
    panel that is not inside a collapsed row did. Children of a collapsed row never load."""
    version = tuple(grafana)
    if not (11, 6) <= version[:2] < (13, 0):
        raise ValueError(f"ui_save models Grafana 11.6 to 12.x, not {grafana}")
    is_rendered = rendered or (lambda _panel: True)
    stored = copy.deepcopy(dashboard)  # the initial save model; never mutated below
    ctx = _Context(version, stored.get("schemaVersion") or 0)

    # DashboardModel: PanelModel defaults, unique ids, sort by gridPos; then the scene's panel list.
    top = [(src, _panel_model(src)) for src in (stored.get("panels") or []) if isinstance(src, dict)]
    rows_children: dict[int, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for index, (_src, model) in enumerate(top):
        if model.get("type") == "row" and model.get("collapsed"):
            rows_children[index] = [(c, _panel_model(c)) for c in (model.get("panels") or []) if isinstance(c, dict)]
    _ensure_unique_ids([m for _s, m in top] + [m for kids in rows_children.values() for _s, m in kids])
    for _src, model in [*top, *(pair for kids in rows_children.values() for pair in kids)]:
        ctx.migrate_panel(model)
    order = sorted(range(len(top)), key=lambda i: _position(top[i][1]))

    panels: list[dict[str, Any]] = []
    for index in order:
        src, model = top[index]
        if model.get("type") == "row":
            # createRowFromPanelModel / gridRowToSaveModel: children of an expanded row follow it at top level;
            # an expanded row's own `panels` are ignored, a collapsed row's are never rendered.
            kids = rows_children.get(index, [])
            panels.append(_row_to_save_model(model, [ctx.panel(m, loaded=False) for _s, m in kids]))
        else:
            panels.append(ctx.panel(model, loaded=bool(is_rendered(src))))

    saved = _dashboard_to_save_model(stored, panels, ctx)
    saved = _without_nulls(saved, convert_infinity=version[:2] >= (12, 1))
    return _restore_unsaved(saved, stored)


class _Context:
    """Version-dependent behaviour: which plugin defaults, schemaVersion, migrations."""

    def __init__(self, version: tuple[int, ...], stored_schema: int) -> None:
        self.version = version
        self.line = "12" if version[:2] >= (12, 2) else "11.6"
        # DashboardMigrator.ts DASHBOARD_SCHEMA_VERSION: 41 in 11.6-12.1, 42 from 12.2 (also @grafana/schema
        # defaultDashboard.schemaVersion)
        self.schema_version = 42 if version[:2] >= (12, 2) else 41
        self.stored_schema = stored_schema
        self.plugin_version = ".".join(str(part) for part in (*version, 0, 0)[:3])
        defaults = _plugin_defaults()
        self.plugins: dict[str, Any] = defaults[self.line]
        self.standard_keys: set[str] = set(defaults["_standardFieldConfigKeys"])

    def migrate_panel(self, model: dict[str, Any]) -> None:
        # DashboardMigrator.updateSchema, schema 42 (12.2+): migrateHideFromFunctionality - an override setting
        # custom.hideFrom with viz: true also gets tooltip: true. Panels inside rows are migrated too.
        if self.stored_schema < 42 <= self.schema_version:
            for override in (model.get("fieldConfig") or {}).get("overrides") or []:
                for prop in override.get("properties") or []:
                    value = prop.get("value")
                    if prop.get("id") == "custom.hideFrom" and isinstance(value, dict) and value.get("viz") is True:
                        value["tooltip"] = True

    def panel(self, model: dict[str, Any], *, loaded: bool) -> dict[str, Any]:
        """transformSceneToSaveModel.ts vizPanelToPanel for one PanelModel (after the plugin loaded, or not)."""
        plugin_id = model.get("type") or "timeseries"  # buildGridItemForPanel: pluginId = panel.type ?? 'timeseries'
        options = model.get("options")
        options = copy.deepcopy(options) if options is not None else {}
        field_config = copy.deepcopy(model.get("fieldConfig")) or {"defaults": {}, "overrides": []}
        plugin_version = model.get("pluginVersion")
        if loaded:
            options, field_config = self._load_plugin(plugin_id, model, options, field_config)
            plugin_version = self.plugin_version  # VizPanel._pluginLoaded: plugin.meta.info.version

        panel: dict[str, Any] = {
            "id": model.get("id"),
            "type": plugin_id,
            "title": model["title"][:5000] if isinstance(model.get("title"), str) else None,
            # 12.2-era source: `description ?? undefined` (an empty string survives); later: `|| undefined`
            "description": model.get("description"),
            "gridPos": _grid_pos(model),
            "fieldConfig": field_config,
            "pluginVersion": plugin_version,
        }
        if plugin_id not in SKIP_DATA_QUERY:
            panel.update(_data_to_panel(model))
        if isinstance(options, dict):
            options.pop("angularOptions", None)
        panel["options"] = options
        if model.get("timeFrom") or model.get("timeShift"):  # PanelTimeRange
            panel.update(timeFrom=model.get("timeFrom"), timeShift=model.get("timeShift"),
                         hideTimeOverride=model.get("hideTimeOverride"))
        if model.get("repeat"):  # DashboardGridItem: variableName, repeatDirection 'v' or 'h'
            panel["repeat"] = model["repeat"]
            panel["repeatDirection"] = "v" if model.get("repeatDirection") == "v" else "h"
        if model.get("maxPerRow"):
            panel["maxPerRow"] = model["maxPerRow"]
        if model.get("links"):  # VizPanelLinks rawLinks; `links: []` deleted
            panel["links"] = model["links"]
        if model.get("transformations"):  # SceneDataTransformer; `transformations: []` deleted
            panel["transformations"] = model["transformations"]
        if model.get("transparent"):  # displayMode 'transparent'; `transparent: false` deleted
            panel["transparent"] = True
        return panel

    def _load_plugin(
        self, plugin_id: str, model: dict[str, Any], options: Any, field_config: dict[str, Any]
    ) -> tuple[Any, dict[str, Any]]:
        plugin = self.plugins.get(plugin_id)
        if plugin is None:  # a plugin this double has no defaults for: only pluginVersion changes
            return options, field_config
        if model.get("pluginVersion") != self.plugin_version:  # VizPanel._pluginLoaded: onPanelMigration
            options = self._migrate(plugin_id, model, options, field_config)
        registry = self.standard_keys | {f"custom.{key}" for key in plugin["customKeys"]}
        # getPanelOptionsWithDefaults: mergeWith({}, plugin.defaults, current) with arrays replaced
        options = _merge(_merge({}, plugin["options"]), options if isinstance(options, dict) else {})
        # applyFieldConfigDefaults
        defaults = _merge(_merge({}, plugin["fieldConfig"]["defaults"]), field_config.get("defaults") or {})
        defaults.setdefault("custom", {})
        _clean_properties(defaults, "", registry)
        if isinstance(defaults.get("thresholds"), dict):
            _fix_thresholds(defaults["thresholds"])
        overrides = []
        for override in field_config.get("overrides") or []:
            kept = [p for p in override.get("properties") or [] if p.get("id") in registry]
            override = {**override, "properties": kept}
            for prop in override["properties"]:
                if prop.get("id") == "thresholds" and isinstance(prop.get("value"), dict):
                    _fix_thresholds(prop["value"])
            overrides.append(override)
        return options, {"defaults": defaults, "overrides": overrides}

    def _migrate(self, plugin_id: str, model: dict[str, Any], options: Any, field_config: dict[str, Any]) -> Any:
        if plugin_id in ("stat", "bargauge") and isinstance(options, dict):
            # @grafana/ui SingleStatShared/SingleStatBaseOptions.ts sharedSingleStatMigrationHandler (stat, and
            # bargauge/BarGaugeMigrations.ts): runs on any pluginVersion change, branches on the stored version.
            previous = _parse_float(model.get("pluginVersion") or "6.1")
            defaults = field_config.setdefault("defaults", {})
            if previous < 7:
                options.pop("fieldOptions", None)  # (a legacy fieldOptions block would be moved, not modelled)
            if previous < 7.1 and defaults.get("title") is not None:
                defaults["displayName"] = defaults.pop("title")
            if previous < 8:
                bounds = {"percent": 100, "percentunit": 1}.get(defaults.get("unit"))
                if bounds is not None:
                    if not _is_number(defaults.get("min")):
                        defaults["min"] = 0
                    if not _is_number(defaults.get("max")):
                        defaults["max"] = bounds
        if plugin_id == "table" and self.line == "12" and isinstance(options, dict):
            _migrate_table_12(options, field_config)
        return options


def _migrate_table_12(options: dict[str, Any], field_config: dict[str, Any]) -> None:
    """public/app/plugins/panel/table/migrations.ts tableMigrationHandler (12.2): migrateTextWrapToFieldLevel,
    migrateHiddenFields, migrateFooterV2."""
    defaults = field_config.setdefault("defaults", {})
    overrides = field_config.setdefault("overrides", [])
    custom = defaults.get("custom") or {}
    if custom.get("wrapText") is None:
        for override in overrides:
            props = []
            for prop in override.get("properties") or []:
                value = prop.get("value")
                if prop.get("id") == "custom.cellOptions" and isinstance(value, dict) and "wrapText" in value:
                    props.append({**prop, "value": {k: v for k, v in value.items() if k != "wrapText"}})
                    props.append({"id": "custom.wrapText", "value": value["wrapText"]})
                else:
                    props.append(prop)
            override["properties"] = props
        cell = custom.get("cellOptions")
        wrap = cell.pop("wrapText", None) if isinstance(cell, dict) else None
        custom = {k: v for k, v in custom.items() if k != "wrapText"}
        if wrap is not None:
            custom["wrapText"] = wrap
        defaults["custom"] = custom
    for override in overrides:
        override["properties"] = [
            {**p, "id": "custom.hideFrom.viz"} if p.get("id") == "custom.hidden" else p
            for p in override.get("properties") or []
        ]
    footer = options.get("footer")
    if isinstance(footer, dict) and "show" in footer:
        if footer.get("show"):
            reducers = footer.get("reducer") or []
            fields = footer.get("fields")
            if footer.get("countRows") and reducers[:1] == ["count"]:
                defaults["custom"] = {**defaults.get("custom", {}), "footer": {"reducers": ["countAll"]}}
            elif isinstance(fields, list) and len(fields) > 1:
                overrides.append({"matcher": {"id": "byNames", "options": {"mode": "include", "names": fields}},
                                  "properties": [{"id": "custom.footer.reducers", "value": reducers}]})
            elif isinstance(fields, list) and len(fields) == 1:
                overrides.append({"matcher": {"id": "byName", "options": fields[0]},
                                  "properties": [{"id": "custom.footer.reducers", "value": reducers}]})
            else:
                defaults["custom"] = {**defaults.get("custom", {}), "footer": {"reducers": reducers}}
        if footer.get("enablePagination") is not None:
            options["footer"] = {"enablePagination": footer["enablePagination"]}
        else:
            del options["footer"]


def _panel_model(src: dict[str, Any]) -> dict[str, Any]:
    """PanelModel constructor: copy, defaultsDeep(this, defaults), ensureQueryIds."""
    model = _defaults_deep(copy.deepcopy(src), PANEL_MODEL_DEFAULTS)
    targets = model.get("targets")
    if isinstance(targets, list):
        used = {t.get("refId") for t in targets if isinstance(t, dict)}
        for target in targets:
            if isinstance(target, dict) and not target.get("refId"):
                target["refId"] = _next_ref_id(used)
                used.add(target["refId"])
    return model


def _next_ref_id(used: set[Any]) -> str:
    # public/app/core/utils/query.ts getNextRefId: A..Z, then AA, AB, ...
    for n in range(1, 1000):
        letters, m = "", n
        while m:
            m, r = divmod(m - 1, 26)
            letters = chr(65 + r) + letters
        if letters not in used:
            return letters
    raise ValueError("too many queries")


def _ensure_unique_ids(models: list[dict[str, Any]]) -> None:
    # DashboardModel.ensurePanelsHaveUniqueIds: missing or repeated ids get max + 1, + 2, ...
    next_id = max([m["id"] for m in models if isinstance(m.get("id"), int)] or [0]) + 1
    seen: set[Any] = set()
    for model in models:
        if not model.get("id") or model["id"] in seen:
            model["id"] = next_id
            next_id += 1
        seen.add(model["id"])


def _position(model: dict[str, Any]) -> tuple[Any, Any]:
    return model["gridPos"].get("y") or 0, model["gridPos"].get("x") or 0


def _grid_pos(model: dict[str, Any]) -> dict[str, Any]:
    pos = model["gridPos"]
    width = pos.get("w")
    if model.get("repeat") and model.get("repeatDirection") != "v":
        width = 24  # buildGridItemForPanel: width 24 for a horizontally repeated panel
    return {"h": pos.get("h") or 0, "w": width or 0, "x": pos.get("x") or 0, "y": pos.get("y") or 0}


def _data_to_panel(model: dict[str, Any]) -> dict[str, Any]:
    """vizPanelDataToPanel: from the SceneQueryRunner built by utils/createPanelDataProvider.ts."""
    data: dict[str, Any] = {}
    if not model.get("targets"):
        return data
    data["targets"] = model["targets"]
    data["maxDataPoints"] = model.get("maxDataPoints")
    data["datasource"] = model.get("datasource")
    for key in ("cacheTimeout", "queryCachingTTL", "interval"):  # written only when truthy
        if model.get(key):
            data[key] = model[key]
    return data


def _row_to_save_model(model: dict[str, Any], children: list[dict[str, Any]]) -> dict[str, Any]:
    """gridRowToSaveModel: only these keys survive on a row."""
    row: dict[str, Any] = {
        "type": "row", "id": model.get("id"), "title": model.get("title"),
        "gridPos": {"h": 1, "w": 24, "x": 0, "y": model["gridPos"].get("y") or 0},
        "collapsed": bool(model.get("collapsed")),
        "panels": children if model.get("collapsed") else [],
    }
    if model.get("repeat"):
        row["repeat"] = model["repeat"]
    return row


def _dashboard_to_save_model(stored: dict[str, Any], panels: list[dict[str, Any]], ctx: _Context) -> dict[str, Any]:
    """transformSceneToSaveModel: the scene state comes from DashboardModel (defaults noted per key)."""
    timepicker = stored.get("timepicker") if isinstance(stored.get("timepicker"), dict) else {}
    picker = {
        "refresh_intervals": timepicker["refresh_intervals"]
        if timepicker.get("refresh_intervals") is not None
        else DEFAULT_TIMEPICKER["refresh_intervals"],  # SceneRefreshPicker's own default list
        "hidden": timepicker.get("hidden"),
        "nowDelay": timepicker.get("nowDelay"),
        "quick_ranges": timepicker.get("quick_ranges"),
    }
    picker = {k: v for k, v in picker.items() if not (k in DEFAULT_TIMEPICKER and v == DEFAULT_TIMEPICKER[k])}
    week_start = stored.get("weekStart")
    return {
        # ...defaultDashboard (@grafana/schema), then the scene's values
        "editable": stored.get("editable") is not False,
        "fiscalYearStartMonth": stored.get("fiscalYearStartMonth") or 0,
        "graphTooltip": stored.get("graphTooltip") or 0,  # behaviors.CursorSync sync
        "links": stored.get("links") or [],
        "panels": panels,
        "schemaVersion": ctx.schema_version,
        "tags": stored.get("tags") or [],
        "timezone": stored.get("timezone") if stored.get("timezone") is not None else "",
        "title": stored.get("title") if stored.get("title") is not None else "No Title",
        "description": stored.get("description") or None,  # `description || undefined`
        "uid": stored.get("uid"),
        "id": stored.get("id") or None,
        "preload": stored.get("preload") if stored.get("preload") is not None else False,  # dto.preload ?? false
        "time": None,  # restored from the stored board (not saving the time range)
        "timepicker": picker,
        "annotations": {"list": _annotations(stored)},
        "templating": {"list": _variables(stored, ctx)},
        "version": stored.get("version") or 0,
        "weekStart": week_start if week_start in WEEK_STARTS else None,
        "liveNow": True if stored.get("liveNow") else None,  # LiveNowTimer isEnabled || undefined
        "refresh": None,  # restored from the stored board (not saving the refresh)
    }


def _annotations(stored: dict[str, Any]) -> list[dict[str, Any]]:
    """DashboardModel.addBuiltInAnnotationQuery, then dataLayersToAnnotations: {...query, enable, hide} as booleans."""
    annotations = (stored.get("annotations") or {}).get("list") or []
    queries = [copy.deepcopy(a) for a in annotations if isinstance(a, dict)]
    if not any(a.get("builtIn") == 1 for a in queries):
        queries.insert(0, copy.deepcopy(BUILT_IN_ANNOTATION))
    return [{**a, "enable": bool(a.get("enable")), "hide": bool(a.get("hide"))} for a in queries]


def _variables(stored: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    """createSceneVariableFromVariableModel (a type it does not know throws and the variable is skipped),
    then sceneVariablesSetToVariables. current/options are restored later (_restore_unsaved)."""
    out: list[dict[str, Any]] = []
    for var in (stored.get("templating") or {}).get("list") or []:
        if not isinstance(var, dict) or var.get("type") not in VARIABLE_TYPES:
            continue
        kind = var["type"]
        common = {"name": var.get("name"), "label": var.get("label"), "description": var.get("description"),
                  "skipUrlSync": bool(var.get("skipUrlSync")), "hide": var.get("hide") or 0, "type": kind}
        multi = {"multi": var.get("multi"), "allValue": var.get("allValue") or None,
                 "includeAll": var.get("includeAll"), "allowCustomValue": var.get("allowCustomValue")}
        if kind == "query":
            item = {**common, **multi, "query": var.get("query"), "definition": var.get("definition"),
                    "datasource": var.get("datasource"), "sort": var.get("sort"), "refresh": var.get("refresh"),
                    "regex": var.get("regex")}
            if ctx.line == "12":
                item.update(staticOptions=var.get("staticOptions"), staticOptionsOrder=var.get("staticOptionsOrder"))
        elif kind == "custom":
            item = {**common, **multi, "query": var.get("query")}
        elif kind == "datasource":
            # refresh is always written as 1 (onDashboardLoad); query is the plugin id
            item = {**common, **multi, "regex": var.get("regex"), "refresh": 1, "query": var.get("query")}
        elif kind == "constant":
            item = {**common, "query": var.get("query"), "hide": 2}  # always hidden
        elif kind == "interval":
            if not isinstance(var.get("query"), str):
                continue  # getIntervalsFromQueryString(undefined) throws: the variable is skipped
            item = {**common, "query": _interval_query(var.get("query")), "refresh": var.get("refresh"),
                    "auto": var.get("auto"), "auto_min": var.get("auto_min"), "auto_count": var.get("auto_count")}
        elif kind == "textbox":
            item = {**common}
        else:  # adhoc
            item = {**common, "datasource": var.get("datasource"), "baseFilters": var.get("baseFilters") or [],
                    "defaultKeys": var.get("defaultKeys")}
            if ctx.line == "12":
                item["allowCustomValue"] = var.get("allowCustomValue")
        # "Remove some defaults"
        if item.get("hide") == 0:
            del item["hide"]
        if not item.get("skipUrlSync"):
            del item["skipUrlSync"]
        if item.get("label") == "":
            del item["label"]
        if not item.get("multi"):
            item.pop("multi", None)
        if item.get("sort") == 0:
            del item["sort"]
        out.append(item)
    return out


def _interval_query(query: str) -> str:
    # utils/utils.ts getIntervalsFromQueryString + getIntervalsQueryFromNewIntervalModel: re-joined with ","
    return ",".join(m.group(0).replace('"', "").replace("'", "") for m in re.finditer(r"([\"'])(.*?)\1|\w+", query))


def _restore_unsaved(saved: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """getRawDashboardChanges with saveTimeRange, saveVariables, saveRefresh all false."""
    for key in ("time", "refresh"):
        _assign(saved, key, copy.deepcopy(stored.get(key)))
    originals = (stored.get("templating") or {}).get("list") or []
    for var in saved["templating"]["list"]:
        original = next((o for o in originals if isinstance(o, dict)
                         and o.get("name") == var.get("name") and o.get("type") == var.get("type")), None)
        if original is None:
            continue
        current = copy.deepcopy(original.get("current"))
        if isinstance(current, dict):
            current.pop("selected", None)  # "Old schema property that never should be in persisted model"
        if var["type"] == "adhoc":
            _assign(var, "filters", copy.deepcopy(original.get("filters")))
            continue
        if var["type"] == "textbox":
            _assign(var, "query", copy.deepcopy(original.get("query")))
        _assign(var, "current", current)
        _assign(var, "options", copy.deepcopy(original.get("options")))
    return saved


def _assign(obj: dict[str, Any], key: str, value: Any) -> None:
    if value is None:  # `undefined` disappears when the body is JSON.stringify'd
        obj.pop(key, None)
    else:
        obj[key] = value


def _without_nulls(value: Any, *, convert_infinity: bool) -> Any:
    """sortedDeepCloneWithoutNulls: object keys sorted, null/undefined properties dropped; a -Infinity
    property dropped (11.6-12.0: `v != null && v !== -Infinity`, the code gg#102072 and gg#105037 started from)
    or written as 0 (12.1+). JSON.stringify turns any infinity left in arrays into null."""
    if isinstance(value, list):
        return [_without_nulls(v, convert_infinity=convert_infinity) for v in value]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key in sorted(value):
            v = value[key]
            if isinstance(v, float) and math.isinf(v):
                if convert_infinity:
                    out[key] = 0  # 12.1+: `convertInfinity` (gg#105037)
                elif v > 0:
                    out[key] = None  # 11.6-12.0 drop only -Infinity; JSON.stringify(Infinity) is null
                continue
            if v is not None:
                out[key] = _without_nulls(v, convert_infinity=convert_infinity)
        return out
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


def _merge(dst: dict[str, Any], src: dict[str, Any]) -> dict[str, Any]:
    """lodash mergeWith with getPanelOptionsWithDefaults' customizer: arrays replace, objects merge deeply."""
    for key, value in src.items():
        if isinstance(value, dict):
            dst[key] = _merge(dst[key] if isinstance(dst.get(key), dict) else {}, value)
        else:
            dst[key] = copy.deepcopy(value)
    return dst


def _defaults_deep(obj: Any, defaults: Any) -> Any:
    """lodash defaultsDeep: fill what is missing, recursing into objects and (index-wise) arrays."""
    if isinstance(obj, dict) and isinstance(defaults, dict):
        for key, value in defaults.items():
            if key not in obj:
                obj[key] = copy.deepcopy(value)
            else:
                _defaults_deep(obj[key], value)
    elif isinstance(obj, list) and isinstance(defaults, list):
        for index, value in enumerate(defaults):
            if index >= len(obj):
                obj.append(copy.deepcopy(value))
            else:
                _defaults_deep(obj[index], value)
    return obj


def _clean_properties(obj: dict[str, Any], parent: str, registry: set[str]) -> bool:
    """getPanelOptionsWithDefaults.ts cleanProperties: keep registered paths, drop the rest."""
    found = False
    for key in list(obj):
        path = f"{parent}{key}"
        if path in registry:
            found = True
            continue
        value = obj[key]
        if not isinstance(value, dict) or not _clean_properties(value, f"{path}.", registry):
            del obj[key]
    return found


def _fix_thresholds(thresholds: dict[str, Any]) -> None:
    # getPanelOptionsWithDefaults.ts fixThresholds
    if not thresholds.get("mode"):
        thresholds["mode"] = "absolute"
    if not thresholds.get("steps"):
        thresholds["steps"] = thresholds.get("steps") or []
    elif isinstance(thresholds["steps"][0], dict):
        thresholds["steps"][0]["value"] = NEG_INF


def _parse_float(text: Any) -> float:
    match = re.match(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)", str(text))
    return float(match.group(0)) if match else math.nan


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@cache
def _plugin_defaults_text() -> str:
    return FIXTURE.read_text()


def _plugin_defaults() -> dict[str, Any]:
    data = json.loads(_plugin_defaults_text())
    for line in ("11.6", "12"):
        for plugin in data[line].values():
            steps = plugin["fieldConfig"]["defaults"].get("thresholds", {}).get("steps") or []
            if steps:
                steps[0]["value"] = NEG_INF  # the registry default's base step (null in JSON)
    return data

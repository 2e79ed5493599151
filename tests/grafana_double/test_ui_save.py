"""ui_save: what Grafana's Scenes UI posts for a no-op save (see ui_save.py for the sources of each rule)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests.grafana_double.ui_save import FIXTURE, ui_save

G116 = (11, 6, 0)
G120 = (12, 0, 0)
G121 = (12, 1, 0)
G122 = (12, 2, 0)

PROM = {"type": "prometheus", "uid": "prom"}
THRESHOLDS = {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "red", "value": 80}]}


def stat(**extra: Any) -> dict[str, Any]:
    return {
        "id": 1, "type": "stat", "title": "Up", "gridPos": {"h": 4, "w": 6, "x": 0, "y": 0}, "datasource": PROM,
        "targets": [{"refId": "A", "expr": "up", "datasource": PROM}],
        "fieldConfig": {"defaults": {"unit": "short", "thresholds": copy.deepcopy(THRESHOLDS)}, "overrides": []},
        "options": {"colorMode": "background"}, **extra,
    }


def timeseries(**extra: Any) -> dict[str, Any]:
    return {
        "id": 2, "type": "timeseries", "title": "Rate", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 4},
        "datasource": PROM, "targets": [{"refId": "A", "expr": "rate(x[5m])"}],
        "fieldConfig": {"defaults": {"custom": {"lineWidth": 2, "dashgenOnly": True},
                                     "thresholds": copy.deepcopy(THRESHOLDS)}},
        **extra,
    }


def table(**extra: Any) -> dict[str, Any]:
    return {
        "id": 3, "type": "table", "title": "Rows", "gridPos": {"h": 8, "w": 12, "x": 12, "y": 4}, "datasource": PROM,
        "targets": [{"refId": "A", "expr": "up", "format": "table"}],
        "fieldConfig": {"defaults": {"custom": {"displayMode": "color-background", "align": "left"}}, "overrides": [
            {"matcher": {"id": "byName", "options": "x"},
             "properties": [{"id": "custom.displayMode", "value": "json-view"}, {"id": "unit", "value": "s"}]}]},
        "options": {"showHeader": True, "footer": {"show": False, "reducer": ["sum"], "fields": ""}},
        **extra,
    }


def board(*panels: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": 42, "uid": "mm-desk", "version": 5, "title": "Desk", "schemaVersion": 41, "description": "",
        "tags": ["dashgen"], "editable": True, "graphTooltip": 1, "dashgenChecksum": "abc", "gnetId": None,
        "time": {"from": "now-1h", "to": "now"},
        "timepicker": {"refresh_intervals": ["5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d"],
                       "hidden": False, "time_options": ["5m"]},
        "panels": list(panels), "templating": {"list": []}, **extra,
    }


def by_id(saved: dict[str, Any], panel_id: int) -> dict[str, Any]:
    for panel in saved["panels"]:
        if panel["id"] == panel_id:
            return panel
        for child in panel.get("panels", []):
            if child["id"] == panel_id:
                return child
    raise KeyError(panel_id)


def fixture() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


# --- dashboard level ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("grafana", "schema"), [(G116, 41), (G120, 41), (G121, 41), (G122, 42), ((12, 4, 1), 42)])
def test_schema_version_is_the_running_versions(grafana: tuple[int, int, int], schema: int) -> None:
    assert ui_save(board(stat()), grafana=grafana)["schemaVersion"] == schema


def test_dashboard_keys_added_dropped_and_kept() -> None:
    saved = ui_save(board(stat()), grafana=G116)
    assert "dashgenChecksum" not in saved and "gnetId" not in saved  # unknown top-level keys are dropped
    assert "description" not in saved  # description "" dropped
    assert saved["fiscalYearStartMonth"] == 0 and saved["preload"] is False and saved["links"] == []
    assert saved["timezone"] == ""  # DashboardModel: timezone ?? ''
    assert "weekStart" not in saved and "liveNow" not in saved and "refresh" not in saved
    assert saved["timepicker"] == {}  # defaults cut, unknown time_options gone
    assert (saved["id"], saved["uid"], saved["version"], saved["tags"], saved["graphTooltip"]) == (
        42, "mm-desk", 5, ["dashgen"], 1)
    assert saved["time"] == {"from": "now-1h", "to": "now"}
    assert saved["annotations"]["list"] == [{
        "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True, "hide": True,
        "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"}]


def test_kept_values_and_refresh_restored_as_stored() -> None:
    saved = ui_save(board(stat(), refresh="1m", liveNow=True, weekStart="monday", description="About",
                          timepicker={"refresh_intervals": ["1m", "5m"], "hidden": True}), grafana=G122)
    assert saved["refresh"] == "1m" and saved["liveNow"] is True and saved["weekStart"] == "monday"
    assert saved["description"] == "About"
    assert saved["timepicker"] == {"refresh_intervals": ["1m", "5m"], "hidden": True}


def test_own_annotations_get_boolean_enable_and_hide() -> None:
    mine = {"name": "Deploys", "datasource": PROM, "expr": "deploys", "iconColor": "red"}
    saved = ui_save(board(stat(), annotations={"list": [mine]}), grafana=G116)
    builtin, own = saved["annotations"]["list"]
    assert builtin["builtIn"] == 1
    assert own == {**mine, "enable": False, "hide": False}


def test_input_is_not_modified() -> None:
    dashboard = board(stat(), timeseries(), table())
    before = copy.deepcopy(dashboard)
    ui_save(dashboard, grafana=G122)
    assert dashboard == before


def test_versions_outside_the_model_are_refused() -> None:
    with pytest.raises(ValueError):
        ui_save(board(), grafana=(11, 5, 0))
    with pytest.raises(ValueError):
        ui_save(board(), grafana=(13, 0, 0))


# --- panels ------------------------------------------------------------------------------------------------------


def test_stat_gets_plugin_defaults_and_loses_empty_keys() -> None:
    panel = stat(links=[], transformations=[], transparent=False, description="Is it up", dashgenKey="k",
                 repeatDirection="h", pluginVersion="11.6.0")
    saved = by_id(ui_save(board(panel), grafana=G116), 1)
    assert saved["pluginVersion"] == "11.6.0"
    assert saved["options"] == {
        "colorMode": "background", "graphMode": "area", "justifyMode": "auto", "orientation": "auto",
        "percentChangeColorMode": "standard",
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}, "showPercentChange": False,
        "textMode": "auto", "wideLayout": True}
    assert saved["fieldConfig"] == {"defaults": {"mappings": [], "unit": "short", "thresholds": {
        "mode": "absolute", "steps": [{"color": "green"}, {"color": "red", "value": 80}]}}, "overrides": []}
    for gone in ("links", "transformations", "transparent", "dashgenKey", "repeatDirection"):
        assert gone not in saved
    assert saved["description"] == "Is it up"
    assert saved["datasource"] == PROM and saved["targets"] == panel["targets"]


def test_stat_without_plugin_version_runs_the_single_stat_migration() -> None:
    panel = stat()
    panel["fieldConfig"]["defaults"]["unit"] = "percent"
    assert by_id(ui_save(board(panel), grafana=G116), 1)["fieldConfig"]["defaults"]["max"] == 100
    panel["pluginVersion"] = "11.6.0"
    assert "max" not in by_id(ui_save(board(panel), grafana=G116), 1)["fieldConfig"]["defaults"]


def test_timeseries_defaults_per_line() -> None:
    dashboard = board(timeseries())
    old = by_id(ui_save(dashboard, grafana=G116), 2)
    new = by_id(ui_save(dashboard, grafana=G122), 2)
    for saved in (old, new):
        defaults = saved["fieldConfig"]["defaults"]
        assert defaults["color"] == {"mode": "palette-classic"}
        assert defaults["mappings"] == []
        assert saved["fieldConfig"]["overrides"] == []
        assert defaults["custom"]["lineWidth"] == 2  # the panel's own value wins
        assert defaults["custom"]["drawStyle"] == "line" and defaults["custom"]["stacking"] == {
            "group": "A", "mode": "none"}
        assert "dashgenOnly" not in defaults["custom"]  # a custom key the plugin does not register
        assert saved["options"] == {
            "legend": {"calcs": [], "displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"hideZeros": False, "mode": "single", "sort": "none"}}
    assert "showValues" not in old["fieldConfig"]["defaults"]["custom"]
    assert new["fieldConfig"]["defaults"]["custom"]["showValues"] is False
    assert (old["pluginVersion"], new["pluginVersion"]) == ("11.6.0", "12.2.0")


@pytest.mark.parametrize(("grafana", "base"), [(G116, {"color": "green"}), (G120, {"color": "green"}),
                                               (G121, {"color": "green", "value": 0}),
                                               (G122, {"color": "green", "value": 0})])
def test_threshold_base_step_of_a_rendered_panel(grafana: tuple[int, int, int], base: dict[str, Any]) -> None:
    saved = by_id(ui_save(board(timeseries()), grafana=grafana), 2)
    assert saved["fieldConfig"]["defaults"]["thresholds"]["steps"][0] == base


def test_table_loses_unknown_custom_keys_and_gets_its_defaults() -> None:
    dashboard = board(table())
    old = by_id(ui_save(dashboard, grafana=G116), 3)
    assert old["fieldConfig"]["defaults"]["custom"] == {"align": "left", "cellOptions": {"type": "auto"},
                                                        "inspect": False}
    assert old["fieldConfig"]["overrides"][0]["properties"] == [{"id": "unit", "value": "s"}]
    assert old["options"] == {"cellHeight": "sm", "showHeader": True,
                              "footer": {"countRows": False, "fields": "", "reducer": ["sum"], "show": False}}
    new = by_id(ui_save(dashboard, grafana=G122), 3)
    assert new["fieldConfig"]["defaults"]["custom"] == {"align": "left", "cellOptions": {"type": "auto"},
                                                        "footer": {"reducers": []}, "inspect": False}
    assert new["options"] == {"cellHeight": "sm", "showHeader": True}  # 12.2 migrateFooterV2 removed the footer


def test_bargauge_and_candlestick_defaults_come_from_the_fixture() -> None:
    bar = {"id": 5, "type": "bargauge", "title": "B", "gridPos": {"h": 4, "w": 6, "x": 0, "y": 0},
           "targets": [{"refId": "A"}], "pluginVersion": "12.2.0"}
    candles = {"id": 6, "type": "candlestick", "title": "C", "gridPos": {"h": 4, "w": 6, "x": 6, "y": 0},
               "targets": [{"refId": "A"}]}
    saved = ui_save(board(bar, candles), grafana=G122)
    defaults = fixture()["12"]
    assert by_id(saved, 5)["options"] == defaults["bargauge"]["options"]
    assert by_id(saved, 5)["options"]["legend"]["showLegend"] is False
    assert by_id(saved, 6)["options"] == defaults["candlestick"]["options"]
    assert by_id(saved, 6)["fieldConfig"]["defaults"]["custom"] == defaults["candlestick"]["fieldConfig"]["defaults"][
        "custom"]


def test_not_rendered_panels_get_no_plugin_defaults() -> None:
    saved = ui_save(board(stat(), timeseries(links=[])), grafana=G122, rendered=lambda p: False)
    ts = by_id(saved, 2)
    assert "pluginVersion" not in ts
    assert ts["options"] == {}  # PanelModel default, not the plugin's
    assert ts["fieldConfig"] == {"defaults": {"custom": {"lineWidth": 2, "dashgenOnly": True}, "thresholds": {
        "mode": "absolute", "steps": [{"color": "green"}, {"color": "red", "value": 80}]}}, "overrides": []}
    assert "links" not in ts
    assert by_id(saved, 1)["options"] == {"colorMode": "background"}


def test_rendered_is_asked_per_panel() -> None:
    saved = ui_save(board(stat(), timeseries()), grafana=G116, rendered=lambda p: p["id"] == 1)
    assert by_id(saved, 1)["pluginVersion"] == "11.6.0"
    assert "pluginVersion" not in by_id(saved, 2)


def test_collapsed_row_children_never_load() -> None:
    child = timeseries(gridPos={"h": 8, "w": 12, "x": 0, "y": 5}, pluginVersion="10.4.0")
    row = {"id": 10, "type": "row", "title": "More", "collapsed": True, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 4},
           "panels": [child], "datasource": PROM, "targets": []}
    saved = ui_save(board(stat(), row), grafana=G122)
    saved_row = by_id(saved, 10)
    assert saved_row == {"collapsed": True, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 4}, "id": 10,
                         "panels": saved_row["panels"], "title": "More", "type": "row"}
    saved_child = saved_row["panels"][0]
    assert saved_child["pluginVersion"] == "10.4.0"  # as stored
    assert saved_child["options"] == {}
    assert "color" not in saved_child["fieldConfig"]["defaults"]
    assert saved_child["fieldConfig"]["defaults"]["custom"] == {"lineWidth": 2, "dashgenOnly": True}
    assert saved_child["fieldConfig"]["overrides"] == []
    assert saved_child["fieldConfig"]["defaults"]["thresholds"]["steps"][0] == {"color": "green"}  # null dropped
    assert by_id(saved, 1)["pluginVersion"] == "12.2.0"


def test_expanded_row_children_follow_it_and_load() -> None:
    row = {"id": 10, "type": "row", "title": "Open", "collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 4},
           "panels": []}
    child = timeseries(gridPos={"h": 8, "w": 12, "x": 0, "y": 5})
    saved = ui_save(board(child, row, stat()), grafana=G116)
    assert [p["id"] for p in saved["panels"]] == [1, 10, 2]  # sorted by gridPos
    assert by_id(saved, 10)["panels"] == []
    assert by_id(saved, 2)["pluginVersion"] == "11.6.0"


def test_panel_model_defaults_fill_missing_keys() -> None:
    bare = {"type": "stat", "gridPos": {"x": 0, "y": 0}}
    saved = ui_save(board(stat(), bare), grafana=G116, rendered=lambda p: False)
    filled = saved["panels"][1]
    assert filled["id"] == 2  # ensurePanelsHaveUniqueIds
    assert filled["title"] == "" and filled["targets"] == [{"refId": "A"}]
    assert filled["gridPos"] == {"h": 3, "w": 6, "x": 0, "y": 0}
    assert filled["fieldConfig"] == {"defaults": {}, "overrides": []} and filled["options"] == {}


# --- variables ---------------------------------------------------------------------------------------------------


def test_query_variable_loses_default_keys_and_keeps_current_as_stored() -> None:
    query = {"name": "job", "type": "query", "label": "", "hide": 0, "multi": False, "skipUrlSync": False,
             "sort": 0, "regex": "", "includeAll": False, "allValue": "", "datasource": PROM,
             "definition": "label_values(job)", "query": {"query": "label_values(job)", "refId": "A"}, "refresh": 1,
             "current": {"selected": True, "text": "api", "value": "api"}, "options": [], "tagsQuery": "",
             "useTags": False}
    saved = ui_save(board(stat(), templating={"list": [query]}), grafana=G122)
    assert saved["templating"]["list"] == [{
        "name": "job", "type": "query", "regex": "", "includeAll": False, "datasource": PROM,
        "definition": "label_values(job)", "query": {"query": "label_values(job)", "refId": "A"}, "refresh": 1,
        "current": {"text": "api", "value": "api"}, "options": []}]


def test_variable_without_current_stays_without() -> None:
    custom = {"name": "env", "type": "custom", "query": "a,b", "multi": True, "includeAll": True, "sort": 1}
    saved = ui_save(board(stat(), templating={"list": [custom]}), grafana=G116)
    assert saved["templating"]["list"] == [
        {"name": "env", "type": "custom", "query": "a,b", "multi": True, "includeAll": True}]


def test_other_variable_types() -> None:
    variables = [
        {"name": "c", "type": "constant", "query": "v1", "hide": 2, "skipUrlSync": False, "label": "",
         "current": {"text": "v1", "value": "v1"}, "options": [{"text": "v1", "value": "v1", "selected": True}]},
        {"name": "ds", "type": "datasource", "query": "prometheus", "refresh": 2, "regex": "", "hide": 0,
         "current": {"text": "P", "value": "prom"}},
        {"name": "i", "type": "interval", "query": "1m, 5m,'1h'", "auto": False, "refresh": 2,
         "current": {"text": "1m", "value": "1m"}},
        {"name": "t", "type": "textbox", "query": "x", "current": {"text": "y", "value": "y"}},
        {"name": "weird", "type": "groupby-unknown"},
    ]
    saved = ui_save(board(stat(), templating={"list": variables}), grafana=G116)
    assert saved["templating"]["list"] == [
        {"name": "c", "type": "constant", "query": "v1", "hide": 2, "current": {"text": "v1", "value": "v1"},
         "options": [{"text": "v1", "value": "v1", "selected": True}]},
        {"name": "ds", "type": "datasource", "query": "prometheus", "refresh": 1, "regex": "",
         "current": {"text": "P", "value": "prom"}},
        {"name": "i", "type": "interval", "query": "1m,5m,1h", "auto": False, "refresh": 2,
         "current": {"text": "1m", "value": "1m"}},
        {"name": "t", "type": "textbox", "query": "x", "current": {"text": "y", "value": "y"}},
    ]


# --- fixture -----------------------------------------------------------------------------------------------------


def test_fixture_shape() -> None:
    data = fixture()
    assert set(data) == {"_source", "_standardFieldConfigKeys", "11.6", "12"}
    for line in ("11.6", "12"):
        assert set(data[line]) == {"timeseries", "stat", "table", "bargauge", "candlestick"}
        for plugin in data[line].values():
            assert set(plugin) == {"options", "fieldConfig", "customKeys", "pluginVersion"}
            assert set(plugin["fieldConfig"]["defaults"].get("custom", {})) <= {
                key.split(".")[0] for key in plugin["customKeys"]}


def test_schema_42_migration_marks_hidden_series_hidden_from_tooltip() -> None:
    hide = {"matcher": {"id": "byName", "options": "x"},
            "properties": [{"id": "custom.hideFrom", "value": {"legend": False, "tooltip": False, "viz": True}}]}
    panel = timeseries(fieldConfig={"defaults": {}, "overrides": [hide]})
    old = by_id(ui_save(board(panel), grafana=G121), 2)["fieldConfig"]["overrides"][0]["properties"][0]
    new = by_id(ui_save(board(panel), grafana=G122), 2)["fieldConfig"]["overrides"][0]["properties"][0]
    assert (old["value"]["tooltip"], new["value"]["tooltip"]) == (False, True)


def test_repeated_panel_spans_the_row() -> None:
    saved = by_id(ui_save(board(stat(repeat="job", maxPerRow=4)), grafana=G116), 1)
    assert (saved["gridPos"]["w"], saved["repeat"], saved["repeatDirection"], saved["maxPerRow"]) == (24, "job", "h", 4)

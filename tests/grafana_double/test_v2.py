"""v2.py: Grafana 13's v1 -> v2 UI save and v2 -> v1 backend down-conversion (facts: /tmp/research/v2_schema.md;
the worked example of its §4 is copied below as literals)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.grafana_double.v2 import (
    conversion_status,
    is_v2,
    panels_of_v2,
    set_row_condition,
    to_v1,
    ui_save_v2,
)

DS = {"type": "prometheus", "uid": "${datasource}"}
THRESHOLDS = {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "red", "value": 80}]}
STAT_OPTIONS = {
    "colorMode": "value", "graphMode": "area", "justifyMode": "auto", "orientation": "auto",
    "percentChangeColorMode": "standard", "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
    "showPercentChange": False, "textMode": "auto", "wideLayout": True,
}
TS_OPTIONS = {
    "legend": {"calcs": [], "displayMode": "list", "placement": "bottom", "showLegend": True},
    "tooltip": {"hideZeros": False, "mode": "single", "sort": "none"},
}
TS_CUSTOM = {"drawStyle": "line", "fillOpacity": 0, "hideFrom": {"legend": False, "tooltip": False, "viz": False},
             "lineWidth": 1, "stacking": {"group": "A", "mode": "none"}}


def stat(pid: int, title: str, expr: str, x: int, y: int) -> dict[str, Any]:
    return {
        "datasource": dict(DS), "id": pid, "type": "stat", "title": title, "pluginVersion": "12.1.0",
        "gridPos": {"h": 4, "w": 6, "x": x, "y": y},
        "fieldConfig": {"defaults": {"color": {"mode": "thresholds"}, "mappings": [],
                                     "thresholds": copy.deepcopy(THRESHOLDS), "unit": "short"}, "overrides": []},
        "options": copy.deepcopy(STAT_OPTIONS),
        "targets": [{"datasource": dict(DS), "editorMode": "code", "expr": expr, "legendFormat": "__auto",
                     "range": True, "refId": "A"}],
    }


def timeseries(pid: int, title: str, expr: str, x: int, y: int) -> dict[str, Any]:
    return {
        "datasource": dict(DS), "id": pid, "type": "timeseries", "title": title, "pluginVersion": "12.1.0",
        "gridPos": {"h": 8, "w": 18, "x": x, "y": y},
        "fieldConfig": {"defaults": {"color": {"mode": "palette-classic"}, "custom": copy.deepcopy(TS_CUSTOM),
                                     "mappings": [], "thresholds": copy.deepcopy(THRESHOLDS), "unit": "reqps"},
                        "overrides": []},
        "options": copy.deepcopy(TS_OPTIONS),
        "targets": [{"datasource": dict(DS), "editorMode": "code", "expr": expr, "legendFormat": "{{client}}",
                     "range": True, "refId": "A"}],
    }


BUILT_IN = {"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True, "hide": True,
            "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"}
INTERVAL_OPTIONS = [{"selected": i == "5m", "text": i, "value": i} for i in ("1m", "5m", "10m", "30m", "1h")]
VARIABLES = [
    {"current": {"text": "Prometheus", "value": "prom-main"}, "hide": 0, "includeAll": False, "label": "Data source",
     "multi": False, "name": "datasource", "options": [], "query": "prometheus", "refresh": 1, "regex": "",
     "type": "datasource"},
    {"current": {"text": ["All"], "value": ["$__all"]}, "datasource": dict(DS),
     "definition": "label_values(up, client)", "hide": 0, "includeAll": True, "label": "Client", "multi": True,
     "name": "client",
     "options": [{"selected": True, "text": "All", "value": "$__all"}],
     "query": {"qryType": 1, "query": "label_values(up, client)",
               "refId": "PrometheusVariableQueryEditor-VariableQuery"},
     "refresh": 2, "regex": "", "sort": 1, "type": "query"},
    {"auto": False, "auto_count": 30, "auto_min": "10s", "current": {"text": "5m", "value": "5m"}, "hide": 0,
     "label": "Interval", "name": "interval", "options": copy.deepcopy(INTERVAL_OPTIONS), "query": "1m,5m,10m,30m,1h",
     "refresh": 2, "type": "interval"},
]


def collapsed_board() -> dict[str, Any]:
    """v2_example_v1.json (§4): two collapsed rows, each with a stat and a timeseries."""
    return {
        "annotations": {"list": [copy.deepcopy(BUILT_IN)]},
        "editable": True, "fiscalYearStartMonth": 0, "graphTooltip": 0, "links": [],
        "panels": [
            {"collapsed": True, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 0}, "id": 1, "title": "General",
             "type": "row", "panels": [
                 stat(2, "Targets up", 'count(up{client=~"$client"} == 1)', 0, 1),
                 timeseries(3, "Request rate", 'sum by (client) (rate(http_requests_total{client=~"$client"}[5m]))',
                            6, 1)]},
            {"collapsed": True, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 1}, "id": 4, "title": "Trades",
             "type": "row", "panels": [
                 stat(5, "Open orders", 'sum(trading_open_orders{client=~"$client"})', 0, 2),
                 timeseries(6, "Fills per second", "sum(rate(trading_fills_total[5m]))", 6, 2)]},
        ],
        "preload": False, "refresh": "", "schemaVersion": 42, "tags": [],
        "templating": {"list": copy.deepcopy(VARIABLES)},
        "time": {"from": "now-6h", "to": "now"}, "timepicker": {}, "timezone": "browser",
        "title": "Trading Overview", "uid": "trading-overview", "version": 3,
    }


def expanded_board() -> dict[str, Any]:
    """A panel before the first row, then an expanded row with two panels, then a collapsed row."""
    return {
        "title": "Expanded", "uid": "expanded", "schemaVersion": 42,
        "panels": [
            stat(1, "Before rows", "up", 0, 0),
            {"collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 4}, "id": 2, "title": "Live",
             "type": "row", "panels": []},
            stat(3, "Live stat", "sum(up)", 0, 5),
            timeseries(4, "Live rate", "rate(x[5m])", 6, 5),
            {"collapsed": True, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 13}, "id": 5, "title": "Later",
             "type": "row", "panels": [stat(6, "Later stat", "1", 0, 14)]},
        ],
    }


def flat_board() -> dict[str, Any]:
    return {"title": "Flat", "panels": [stat(1, "A", "up", 0, 0), timeseries(2, "B", "rate(x[5m])", 6, 0),
                                        stat(3, "C", "up", 0, 8)]}


def all_nulls_and_order(value: Any, path: str = "$") -> list[str]:
    """Paths holding None, or objects whose keys are not sorted."""
    problems: list[str] = []
    if isinstance(value, dict):
        if list(value) != sorted(value):
            problems.append(f"{path}: keys not sorted")
        for key, item in value.items():
            problems += ([f"{path}.{key}: None"] if item is None else all_nulls_and_order(item, f"{path}.{key}"))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            problems += ([f"{path}[{i}]: None"] if item is None else all_nulls_and_order(item, f"{path}[{i}]"))
    return problems


# --- ui_save_v2 ------------------------------------------------------------------------------------------------------


def test_collapsed_rows_become_rows_layout_with_relative_y() -> None:
    spec = ui_save_v2(collapsed_board())
    assert sorted(spec["elements"]) == ["panel-2", "panel-3", "panel-5", "panel-6"]
    assert spec["layout"]["kind"] == "RowsLayout"
    rows = [r["spec"] for r in spec["layout"]["spec"]["rows"]]
    assert [(r["title"], r["collapse"]) for r in rows] == [("General", True), ("Trades", True)]
    assert all(set(r) == {"collapse", "layout", "title"} for r in rows)  # no hideHeader / fillScreen / condition
    items = [[i["spec"] for i in r["layout"]["spec"]["items"]] for r in rows]
    assert [[(i["element"]["name"], i["x"], i["y"], i["width"], i["height"]) for i in row] for row in items] == [
        [("panel-2", 0, 0, 6, 4), ("panel-3", 6, 0, 18, 8)],
        [("panel-5", 0, 0, 6, 4), ("panel-6", 6, 0, 18, 8)],
    ]


def test_panel_element_matches_the_research_example() -> None:
    # v2_example_v2.json elements["panel-2"]: mappings [] and the null threshold value dropped, overrides [] kept
    spec = ui_save_v2(collapsed_board())
    assert spec["elements"]["panel-2"] == {
        "kind": "Panel",
        "spec": {
            "data": {"kind": "QueryGroup", "spec": {
                "queries": [{"kind": "PanelQuery", "spec": {
                    "hidden": False,
                    "query": {"datasource": {"name": "${datasource}"}, "group": "prometheus", "kind": "DataQuery",
                              "spec": {"editorMode": "code", "expr": 'count(up{client=~"$client"} == 1)',
                                       "legendFormat": "__auto", "range": True},
                              "version": "v0"},
                    "refId": "A"}}],
                "queryOptions": {}, "transformations": []}},
            "description": "", "id": 2, "links": [], "title": "Targets up",
            "vizConfig": {"group": "stat", "kind": "VizConfig", "version": "12.1.0", "spec": {
                "fieldConfig": {"defaults": {
                    "color": {"mode": "thresholds"},
                    "thresholds": {"mode": "absolute", "steps": [{"color": "green"}, {"color": "red", "value": 80}]},
                    "unit": "short"}, "overrides": []},
                "options": STAT_OPTIONS}},
        },
    }


def test_top_level_fields_match_the_research_example() -> None:
    spec = ui_save_v2(collapsed_board())
    assert {k: v for k, v in spec.items() if k not in ("elements", "layout", "variables")} == {
        "annotations": [{"kind": "AnnotationQuery", "spec": {
            "builtIn": True, "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts",
            "query": {"datasource": {"name": "-- Grafana --"}, "group": "grafana", "kind": "DataQuery", "spec": {},
                      "version": "v0"}}}],
        "cursorSync": "Off", "editable": True, "links": [], "liveNow": False, "preload": False, "tags": [],
        "timeSettings": {"autoRefresh": "", "autoRefreshIntervals": ["5s", "10s", "30s", "1m", "5m", "15m", "30m",
                                                                      "1h", "2h", "1d"],
                         "fiscalYearStartMonth": 0, "from": "now-6h", "hideTimepicker": False, "timezone": "browser",
                         "to": "now"},
        "title": "Trading Overview",
    }
    assert not {"uid", "id", "version", "schemaVersion", "panels", "templating"} & set(spec)


def test_variables_match_the_research_example() -> None:
    spec = ui_save_v2(collapsed_board())
    assert spec["variables"] == [
        {"kind": "DatasourceVariable", "spec": {
            "allowCustomValue": True, "current": {"text": "Prometheus", "value": "prom-main"}, "hide": "dontHide",
            "includeAll": False, "label": "Data source", "multi": False, "name": "datasource", "options": [],
            "pluginId": "prometheus", "refresh": "onDashboardLoad", "regex": "", "skipUrlSync": False}},
        {"kind": "QueryVariable", "spec": {
            "allowCustomValue": True, "current": {"text": ["All"], "value": ["$__all"]},
            "definition": "label_values(up, client)", "hide": "dontHide", "includeAll": True, "label": "Client",
            "multi": True, "name": "client", "options": [],
            "query": {"datasource": {"name": "${datasource}"}, "group": "prometheus", "kind": "DataQuery",
                      "spec": {"qryType": 1, "query": "label_values(up, client)",
                               "refId": "PrometheusVariableQueryEditor-VariableQuery"},
                      "version": "v0"},
            "refresh": "onTimeRangeChanged", "regex": "", "regexApplyTo": "value", "skipUrlSync": False,
            "sort": "alphabeticalAsc"}},
        {"kind": "IntervalVariable", "spec": {
            "auto": False, "auto_count": 30, "auto_min": "10s", "current": {"text": "5m", "value": "5m"},
            "hide": "dontHide", "label": "Interval", "name": "interval", "options": INTERVAL_OPTIONS,
            "query": "1m,5m,10m,30m,1h", "refresh": "onTimeRangeChanged", "skipUrlSync": False}},
    ]


def test_other_variable_kinds() -> None:
    board = flat_board()
    board["templating"] = {"list": [
        {"name": "env", "type": "custom", "query": "prod,staging", "multi": True, "includeAll": False,
         "current": {"text": "prod", "value": "prod"}, "options": [{"text": "prod", "value": "prod", "selected": True}],
         "hide": 1},
        {"name": "desk", "type": "constant", "query": "mm", "hide": 2},
        {"name": "note", "type": "textbox", "query": "hello", "current": {"text": "hi", "value": "hi"}},
        {"name": "job", "type": "query", "query": "label_values(job)", "datasource": {"type": "prometheus"},
         "refresh": 1, "sort": 0},
    ]}
    by_name = {v["spec"]["name"]: v for v in ui_save_v2(board)["variables"]}
    assert by_name["env"] == {"kind": "CustomVariable", "spec": {
        "allowCustomValue": True, "current": {"text": "prod", "value": "prod"}, "hide": "hideLabel",
        "includeAll": False, "multi": True, "name": "env", "options": [], "query": "prod,staging",
        "skipUrlSync": False, "valuesFormat": "csv"}}
    assert by_name["desk"] == {"kind": "ConstantVariable", "spec": {
        "current": {"text": "mm", "value": "mm"}, "hide": "hideVariable", "name": "desk", "query": "mm",
        "skipUrlSync": True}}
    assert by_name["note"] == {"kind": "TextVariable", "spec": {
        "current": {"text": "hi", "value": "hi"}, "hide": "dontHide", "name": "note", "query": "hi",
        "skipUrlSync": False}}
    job = by_name["job"]["spec"]
    assert job["query"] == {"group": "prometheus", "kind": "DataQuery", "version": "v0",
                            "spec": {"__legacyStringValue": "label_values(job)"}}  # no uid -> no datasource
    assert (job["refresh"], job["sort"], job["options"]) == ("onDashboardLoad", "disabled", [])


def test_panel_before_first_row_and_expanded_row() -> None:
    spec = ui_save_v2(expanded_board())
    rows = [r["spec"] for r in spec["layout"]["spec"]["rows"]]
    assert [(r["title"], r["collapse"], r.get("hideHeader")) for r in rows] == [
        ("", False, True), ("Live", False, None), ("Later", True, None)]

    def layout(row: dict[str, Any]) -> list[tuple[str, int, int]]:
        return [(i["spec"]["element"]["name"], i["spec"]["x"], i["spec"]["y"]) for i in row["layout"]["spec"]["items"]]

    # y relative to the row: the minimum y of the row's items is subtracted
    assert [layout(r) for r in rows] == [[("panel-1", 0, 0)], [("panel-3", 0, 0), ("panel-4", 6, 0)],
                                          [("panel-6", 0, 0)]]
    assert sorted(spec["elements"]) == ["panel-1", "panel-3", "panel-4", "panel-6"]


def test_board_without_rows_is_a_grid_layout_with_absolute_y() -> None:
    spec = ui_save_v2(flat_board())
    assert spec["layout"]["kind"] == "GridLayout"
    assert [(i["spec"]["element"]["name"], i["spec"]["y"]) for i in spec["layout"]["spec"]["items"]] == [
        ("panel-1", 0), ("panel-2", 0), ("panel-3", 8)]


def test_keys_sorted_and_no_none_anywhere() -> None:
    for board in (collapsed_board(), expanded_board(), flat_board()):
        for version in ("v2", "v2beta1"):
            assert all_nulls_and_order(ui_save_v2(board, version=version)) == []


def test_transformation_shape_depends_on_the_api_version() -> None:
    board = flat_board()
    board["panels"][0]["transformations"] = [{"id": "reduce", "options": {"reducers": ["max"]}}]

    def transformations(version: str) -> Any:
        return ui_save_v2(board, version=version)["elements"]["panel-1"]["spec"]["data"]["spec"]["transformations"]

    assert transformations("v2") == [{"group": "reduce", "kind": "Transformation",
                                      "spec": {"options": {"reducers": ["max"]}}}]
    assert transformations("v2beta1") == [{"kind": "reduce",
                                           "spec": {"id": "reduce", "options": {"reducers": ["max"]}}}]
    with pytest.raises(ValueError):
        ui_save_v2(board, version="v1")


def test_query_shape_hidden_and_inherited_datasource() -> None:
    board = flat_board()
    board["panels"][1]["targets"] = [{"refId": "A", "expr": "a", "hide": True},
                                     {"expr": "b", "datasource": {"type": "loki", "uid": "logs"}}]
    queries = ui_save_v2(board)["elements"]["panel-2"]["spec"]["data"]["spec"]["queries"]
    assert queries == [
        {"kind": "PanelQuery", "spec": {"hidden": True, "refId": "A", "query": {
            "datasource": {"name": "${datasource}"}, "group": "prometheus", "kind": "DataQuery",
            "spec": {"expr": "a"}, "version": "v0"}}},
        {"kind": "PanelQuery", "spec": {"hidden": False, "refId": "B", "query": {
            "datasource": {"name": "logs"}, "group": "loki", "kind": "DataQuery", "spec": {"expr": "b"},
            "version": "v0"}}},
    ]


def test_ui_save_does_not_mutate_its_input() -> None:
    board = collapsed_board()
    before = copy.deepcopy(board)
    ui_save_v2(board)
    assert board == before


# --- to_v1 -----------------------------------------------------------------------------------------------------------


def expected_round_trip() -> dict[str, Any]:
    """v2_example_v2_to_v1.json spec (§4), derived from the v1 board by the listed round-trip losses."""
    board = collapsed_board()
    for key in ("uid", "version", "tags", "links"):
        del board[key]
    board["liveNow"] = False
    board["timepicker"] = {"refresh_intervals": ["5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d"]}
    for row, new_id in zip(board["panels"], (7, 8), strict=True):
        row["id"] = new_id
        for panel in row["panels"]:
            del panel["fieldConfig"]["overrides"]
            del panel["fieldConfig"]["defaults"]["mappings"]
    datasource, client, interval = board["templating"]["list"]
    datasource.update(allowCustomValue=True, skipUrlSync=False)
    client.update(allowCustomValue=True, skipUrlSync=False, regexApplyTo="value", options=[])
    interval.update(skipUrlSync=False)
    del interval["refresh"]
    return board


def test_round_trip_matches_the_research_example() -> None:
    assert to_v1(ui_save_v2(collapsed_board())) == expected_round_trip()


def test_round_trip_through_v2beta1_is_the_same() -> None:
    assert to_v1(ui_save_v2(collapsed_board(), version="v2beta1")) == expected_round_trip()


def test_to_v1_basics() -> None:
    out = to_v1(ui_save_v2(collapsed_board()))
    assert out["schemaVersion"] == 42
    assert not {"uid", "id", "version"} & set(out)
    general = out["panels"][0]["panels"]
    assert [(p["id"], p["type"], p["title"], p["gridPos"]["y"]) for p in general] == [
        (2, "stat", "Targets up", 1), (3, "timeseries", "Request rate", 1)]
    assert general[0]["targets"] == [{"datasource": DS, "editorMode": "code",
                                      "expr": 'count(up{client=~"$client"} == 1)', "legendFormat": "__auto",
                                      "range": True, "refId": "A"}]
    assert general[0]["datasource"] == DS


def test_to_v1_expanded_and_hidden_header_rows() -> None:
    out = to_v1(ui_save_v2(expanded_board()))
    assert [(p["id"], p["type"], p["gridPos"]) for p in out["panels"]] == [
        (1, "stat", {"h": 4, "w": 6, "x": 0, "y": 0}),  # hidden-header row flattened, no row panel
        (7, "row", {"h": 1, "w": 24, "x": 0, "y": 4}),  # row ids from max element id (6) + 1
        # expanded row children: y = relY + rowY (same y as the row header, §3.1, as in Grafana's golden files)
        (3, "stat", {"h": 4, "w": 6, "x": 0, "y": 4}),
        (4, "timeseries", {"h": 8, "w": 18, "x": 6, "y": 4}),
        (8, "row", {"h": 1, "w": 24, "x": 0, "y": 12}),
    ]
    live, later = out["panels"][1], out["panels"][4]
    assert live == {"type": "row", "id": 7, "title": "Live", "collapsed": False,
                    "gridPos": {"h": 1, "w": 24, "x": 0, "y": 4}}  # expanded: no `panels` key
    assert later["collapsed"] is True
    assert [(p["id"], p["gridPos"]["y"]) for p in later["panels"]] == [(6, 13)]  # rowY + 1 + relY


def test_to_v1_flat_board_keeps_positions() -> None:
    out = to_v1(ui_save_v2(flat_board()))
    assert [(p["id"], p["gridPos"]) for p in out["panels"]] == [
        (1, {"h": 4, "w": 6, "x": 0, "y": 0}), (2, {"h": 8, "w": 18, "x": 6, "y": 0}),
        (3, {"h": 4, "w": 6, "x": 0, "y": 8})]
    assert out["annotations"]["list"] == [BUILT_IN]  # the UI added the built-in annotation; it comes back


def test_conditional_rendering_is_set_and_lost_at_v1() -> None:
    spec = ui_save_v2(collapsed_board())
    plain_v1 = to_v1(spec)
    set_row_condition(spec, "Trades", "client", "acme")
    row = spec["layout"]["spec"]["rows"][1]["spec"]
    assert row["conditionalRendering"] == {"kind": "ConditionalRenderingGroup", "spec": {
        "visibility": "show", "condition": "and",
        "items": [{"kind": "ConditionalRenderingVariable",
                   "spec": {"variable": "client", "operator": "equals", "value": "acme"}}]}}
    assert "conditionalRendering" not in spec["layout"]["spec"]["rows"][0]["spec"]
    assert to_v1(spec) == plain_v1
    with pytest.raises(KeyError):
        set_row_condition(spec, "Nope", "client", "acme")


def test_to_v1_variables() -> None:
    board = flat_board()
    board["templating"] = {"list": [
        *copy.deepcopy(VARIABLES),
        {"name": "desk", "type": "constant", "query": "mm", "hide": 2},
        {"name": "note", "type": "textbox", "query": "hello", "hide": 1},
        {"name": "job", "type": "query", "query": "label_values(job)", "datasource": {"type": "prometheus"},
         "refresh": 1, "sort": 3},
    ]}
    by_name = {v["name"]: v for v in to_v1(ui_save_v2(board))["templating"]["list"]}
    assert (by_name["datasource"]["hide"], by_name["datasource"]["refresh"], by_name["datasource"]["query"]) == (
        0, 1, "prometheus")
    assert (by_name["client"]["refresh"], by_name["client"]["sort"], by_name["client"]["options"]) == (2, 1, [])
    assert by_name["client"]["datasource"] == DS
    assert "refresh" not in by_name["interval"]
    assert by_name["interval"]["options"] == INTERVAL_OPTIONS
    assert by_name["desk"] == {"name": "desk", "type": "constant", "hide": 2, "skipUrlSync": True, "query": "mm",
                               "current": {"text": "mm", "value": "mm"}}
    assert by_name["note"] == {"name": "note", "type": "textbox", "hide": 1, "skipUrlSync": False, "query": "hello",
                               "current": {"text": "hello", "value": "hello"}}
    assert (by_name["job"]["query"], by_name["job"]["sort"], by_name["job"]["datasource"]) == (
        "label_values(job)", 3, {"type": "prometheus"})


def test_to_v1_tabs_auto_grid_and_mixed_datasources() -> None:
    def element(pid: int, *queries: tuple[str, str]) -> dict[str, Any]:
        return {"kind": "Panel", "spec": {
            "id": pid, "title": f"p{pid}", "description": "", "links": [],
            "data": {"kind": "QueryGroup", "spec": {"queries": [
                {"kind": "PanelQuery", "spec": {"refId": chr(65 + i), "hidden": False, "query": {
                    "kind": "DataQuery", "group": group, "version": "v0", "datasource": {"name": uid},
                    "spec": {"expr": "up"}}}} for i, (group, uid) in enumerate(queries)],
                "transformations": [{"kind": "Transformation", "group": "merge", "spec": {"options": {}}}],
                "queryOptions": {}}},
            "vizConfig": {"kind": "VizConfig", "group": "stat", "version": "", "spec": {
                "options": {}, "fieldConfig": {"defaults": {}, "overrides": []}}}}}

    def ref(name: str) -> dict[str, Any]:
        return {"kind": "ElementReference", "name": name}

    spec = {
        "title": "Tabs", "elements": {"a": element(3, ("prometheus", "p1")),
                                      "b": element(9, ("prometheus", "p1"), ("loki", "l1")),
                                      "c": element(4, ("prometheus", "p1"))},
        "layout": {"kind": "TabsLayout", "spec": {"tabs": [
            {"kind": "TabsLayoutTab", "spec": {"title": "One", "layout": {"kind": "AutoGridLayout", "spec": {
                "maxColumnCount": 2, "columnWidthMode": "standard", "rowHeightMode": "short", "items": [
                    {"kind": "AutoGridLayoutItem", "spec": {"element": ref("a")}},
                    {"kind": "AutoGridLayoutItem", "spec": {"element": ref("b")}},
                    {"kind": "AutoGridLayoutItem", "spec": {"element": ref("c")}}]}}}},
            {"kind": "TabsLayoutTab", "spec": {"title": "Two", "layout": {"kind": "GridLayout", "spec": {
                "items": []}}}}]}},
        "timeSettings": {"from": "now-1h", "to": "now", "autoRefresh": "1m", "hideTimepicker": True},
        "annotations": [], "variables": [], "cursorSync": "Crosshair",
    }
    before = copy.deepcopy(spec)
    out = to_v1(spec)
    assert spec == before  # input not mutated
    assert [(p["id"], p["type"], p["gridPos"], p.get("collapsed"), p.get("panels")) for p in out["panels"]] == [
        (10, "row", {"x": 0, "y": 0, "w": 24, "h": 1}, False, []),
        (3, "stat", {"x": 0, "y": 1, "w": 12, "h": 5}, None, None),
        (9, "stat", {"x": 12, "y": 1, "w": 12, "h": 5}, None, None),
        (4, "stat", {"x": 0, "y": 6, "w": 12, "h": 5}, None, None),
        (11, "row", {"x": 0, "y": 11, "w": 24, "h": 1}, False, []),
    ]
    a, b = out["panels"][1], out["panels"][2]
    assert a["datasource"] == {"type": "prometheus", "uid": "p1"}
    assert b["datasource"] == {"type": "mixed", "uid": "-- Mixed --"}
    assert a["transformations"] == [{"id": "merge", "options": {}}]
    assert a["pluginVersion"] == "" and a["options"] == {} and "fieldConfig" not in a
    assert (out["graphTooltip"], out["refresh"], out["timepicker"]) == (1, "1m", {"hidden": True})
    assert out["annotations"] == {"list": []} and "templating" not in out


def test_to_v1_accepts_v2beta1_transformations() -> None:
    board = flat_board()
    board["panels"][0]["transformations"] = [{"id": "reduce", "options": {"reducers": ["max"]}, "disabled": True}]
    for version in ("v2", "v2beta1"):
        panel = to_v1(ui_save_v2(board, version=version))["panels"][0]
        assert panel["transformations"] == [{"id": "reduce", "options": {"reducers": ["max"]}, "disabled": True}]


# --- helpers ---------------------------------------------------------------------------------------------------------


def test_helpers() -> None:
    spec = ui_save_v2(expanded_board())
    assert is_v2(spec) and not is_v2(expanded_board())
    assert [(title, panel["id"], panel["title"]) for title, panel in panels_of_v2(spec)] == [
        ("", 1, "Before rows"), ("Live", 3, "Live stat"), ("Live", 4, "Live rate"), ("Later", 6, "Later stat")]
    assert [(t, p["id"]) for t, p in panels_of_v2(ui_save_v2(flat_board()))] == [("", 1), ("", 2), ("", 3)]
    assert conversion_status("v2") == {"conversion": {"failed": False, "storedVersion": "v2"}}

"""A board as a person sees it, from the classic schema and from v2 (pure)."""

from __future__ import annotations

import copy
from typing import Any

from dashgen.kinds import dashboard_outline as outline

from ..grafana_double.v2 import set_row_condition, ui_save_v2

TARGET = {"refId": "A", "expr": "sum(mm_open_orders)", "legendFormat": "{{side}}",
          "datasource": {"type": "prometheus", "uid": "${datasource}"}}
CLASSIC: dict[str, Any] = {
    "title": "Board", "tags": ["desk", "dashgen-checksum:0123456789abcdef"], "refresh": "30s",
    "time": {"from": "now-6h", "to": "now"}, "timezone": "utc",
    "templating": {"list": [
        {"type": "datasource", "name": "datasource", "query": "prometheus", "hide": 0},
        {"type": "query", "name": "client", "query": {"query": "label_values(client)", "refId": "q"},
         "definition": "label_values(client)", "multi": True, "includeAll": True, "hide": 0,
         "datasource": {"type": "prometheus", "uid": "${datasource}"}}]},
    "panels": [
        {"id": 1, "type": "row", "title": "Orders", "collapsed": True, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 0},
         "panels": [
             {"id": 2, "type": "stat", "title": "Open", "description": "open orders",
              "gridPos": {"h": 4, "w": 8, "x": 0, "y": 1}, "targets": [TARGET],
              "fieldConfig": {"defaults": {"unit": "short", "mappings": [], "thresholds": {
                  "mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "red", "value": 80}]}},
                  "overrides": []},
              "options": {"reduceOptions": {"calcs": ["lastNotNull"]}}}]},
        {"id": 3, "type": "row", "title": "Trades", "collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 1},
         "panels": []},
        {"id": 4, "type": "timeseries", "title": "Fills", "gridPos": {"h": 8, "w": 24, "x": 0, "y": 2},
         "targets": [TARGET], "fieldConfig": {"defaults": {"unit": "short"}, "overrides": []}, "options": {}}],
}


def as_saved_in_13(change: Any = None) -> dict[str, Any]:
    spec = ui_save_v2(copy.deepcopy(CLASSIC))
    if change is not None:
        change(spec)
    return spec


def compare(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    code = outline.classic(CLASSIC)
    return code, outline.compared(code, outline.v2(spec))


def test_a_v2_save_of_the_same_board_is_the_same_outline() -> None:
    code, live = compare(as_saved_in_13())
    assert code == live
    assert list(code["rows"]) == ["Orders", "Trades"] and code["rows"]["Orders"]["collapsed"] is True
    assert code["panels"]["Orders / Open"]["position"] == [0, 0, 8, 4]  # y relative to its row, as v2 stores it
    assert code["settings"]["tags"] == ["desk"]  # the checksum tag is dashgen's bookkeeping, not the board


def test_conditional_rendering_reads_as_words() -> None:
    _, live = compare(as_saved_in_13(lambda spec: set_row_condition(spec, "Trades", "client", "acme")))
    assert live["rows"]["Trades"]["shown"] == "when $client = acme"
    group = {"kind": "ConditionalRenderingGroup", "spec": {"visibility": "hide", "condition": "or", "items": [
        {"kind": "ConditionalRenderingVariable", "spec": {"variable": "exchange", "operator": "notEquals",
                                                          "value": "bit.x"}},
        {"kind": "ConditionalRenderingData", "spec": {"value": False}}]}}
    assert outline.condition(group) == "unless $exchange != bit.x or its panels have no data"
    assert outline.condition(None) == "always"


def test_what_a_person_changes_is_a_difference_and_what_the_ui_adds_is_not() -> None:
    def edit(spec: dict[str, Any]) -> None:
        panel = spec["elements"]["panel-2"]["spec"]
        panel["vizConfig"]["spec"]["fieldConfig"]["defaults"]["unit"] = "percent"
        panel["vizConfig"]["spec"]["options"]["textMode"] = "auto"  # a default a save adds
        panel["vizConfig"]["spec"]["fieldConfig"]["defaults"]["thresholds"]["steps"][0]["value"] = 0  # -Infinity
        spec["variables"][1]["spec"]["multi"] = False

    code, live = compare(as_saved_in_13(edit))
    assert live["panels"]["Orders / Open"]["defaults"]["unit"] == "percent"
    assert {k for k in code["panels"]["Orders / Open"] if code["panels"]["Orders / Open"][k] !=
            live["panels"]["Orders / Open"][k]} == {"defaults"}
    assert live["variables"]["client"]["multi"] is False and code["variables"]["client"]["multi"] is True


def test_tabs_and_moved_panels_show() -> None:
    def into_tabs(spec: dict[str, Any]) -> None:
        rows = spec["layout"]["spec"]["rows"]
        spec["layout"] = {"kind": "TabsLayout", "spec": {"tabs": [
            {"kind": "TabsLayoutTab", "spec": {"title": r["spec"]["title"], "layout": r["spec"]["layout"]}}
            for r in rows]}}
        spec["layout"]["spec"]["tabs"][1]["spec"]["layout"]["spec"]["items"][0]["spec"]["x"] = 4

    code, live = compare(as_saved_in_13(into_tabs))
    assert live["rows"]["Orders"].get("tab") is True and "tab" not in code["rows"]["Orders"]
    assert live["panels"]["Trades / Fills"]["position"][0] == 4


def test_a_board_without_rows_and_panels_of_the_same_title_compare_as_equals() -> None:
    flat = {"title": "Flat", "panels": [
        {"id": n, "type": "stat", "title": "Same", "gridPos": {"h": 4, "w": 8, "x": 8 * (n - 1), "y": 0},
         "targets": [{**TARGET, "expr": f"up{n}"}], "fieldConfig": {"defaults": {}, "overrides": []}, "options": {}}
        for n in (1, 2)]}
    code = outline.classic(flat)
    spec = ui_save_v2(copy.deepcopy(flat))
    assert spec["layout"]["kind"] == "GridLayout" and code["rows"] == {}
    assert outline.compared(code, outline.v2(spec)) == code
    assert [p["queries"][0]["expr"] for p in code["panels"].values()] == ["up1", "up2"]
    assert list(code["panels"]) == ["Same", "Same (2)"]
    spec["elements"]["panel-2"]["spec"]["data"]["spec"]["queries"][0]["spec"]["query"]["spec"]["expr"] = "down"
    assert outline.v2(spec)["panels"]["Same (2)"]["queries"][0]["expr"] == "down"


def test_a_v2alpha1_panel_names_its_plugin_in_kind() -> None:
    spec = ui_save_v2(copy.deepcopy(CLASSIC))
    viz = spec["elements"]["panel-2"]["spec"]["vizConfig"]
    spec["elements"]["panel-2"]["spec"]["vizConfig"] = {"kind": viz["group"], "spec": viz["spec"]}
    assert outline.v2(spec)["panels"]["Orders / Open"]["type"] == "stat"

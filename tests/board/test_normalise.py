"""Normalisation: legacy keys and nulls go, the base threshold step's null stays, id is null."""

from __future__ import annotations

from dashgen.kinds.dashboard_canonical import current_schema as normalise_dashboard
from dashgen.kinds.dashboard_canonical import drop_nulls_but_base as drop_nulls


def test_drop_nulls_keeps_only_threshold_base_values() -> None:
    value = {"a": None, "b": {"c": None, "d": 1}, "steps": [{"color": "green", "value": None}, {"value": 3}],
             "list": [{"value": None}]}
    assert drop_nulls(value) == {"b": {"d": 1}, "steps": [{"color": "green", "value": None}, {"value": 3}],
                                 "list": [{}]}


def test_normalise_removes_grafanalib_legacy_keys_and_sets_id_null() -> None:
    raw = {
        "id": 7, "version": 3, "rows": [], "style": "dark", "sharedCrosshair": False, "hideControls": False,
        "gnetId": None, "__inputs": [], "title": "t",
        "timepicker": {"refresh_intervals": ["5s"], "time_options": ["5m"], "nowDelay": None},
        "panels": [
            {"type": "row", "title": "R", "id": 1, "collapsed": True, "gridPos": {}, "targets": [], "links": [],
             "panels": [{"type": "table", "span": 6, "height": None, "minSpan": None, "error": False,
                         "editable": True, "hideTimeOverride": False, "columns": [], "fontSize": "100%", "color": {},
                         "mappings": [],
                         "repeat": None, "repeatDirection": None, "title": "T"}]},
            {"type": "stat", "mappings": [], "repeat": "symbol", "repeatDirection": "h", "title": "S"},
        ],
        "templating": {"list": [{"name": "v", "type": "query", "useTags": False, "auto": False, "options": []},
                                {"name": "i", "type": "interval", "auto": False, "options": [{"text": "1m"}]}]},
    }
    out = normalise_dashboard(raw)
    assert out["id"] is None
    assert set(out) == {"id", "title", "timepicker", "panels", "templating"}
    assert out["timepicker"] == {"refresh_intervals": ["5s"]}
    row = out["panels"][0]
    assert row == {"type": "row", "title": "R", "id": 1, "collapsed": True, "gridPos": {},
                   "panels": [{"type": "table", "title": "T"}]}
    assert out["panels"][1] == {"type": "stat", "mappings": [], "repeat": "symbol", "repeatDirection": "h",
                                "title": "S"}
    assert out["templating"]["list"] == [{"name": "v", "type": "query"},
                                         {"name": "i", "type": "interval", "auto": False, "options": [{"text": "1m"}]}]


def test_normalise_keeps_what_a_person_sets_in_grafana() -> None:
    panel = {"type": "timeseries", "title": "T", "maxDataPoints": 500, "hideTimeOverride": True,
             "cacheTimeout": "60", "repeat": "symbol", "maxPerRow": 4}
    assert normalise_dashboard({"panels": [panel]})["panels"] == [panel]

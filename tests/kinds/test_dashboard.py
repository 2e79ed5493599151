"""Dashboard normalisation and per-panel / per-variable details (pure parts of the handler)."""

from __future__ import annotations

from dashgen.kinds.dashboard import DashboardKind, panels_by_key

KIND = DashboardKind()
BOARD = {
    "uid": "b", "title": "B", "refresh": "30s",
    "templating": {"list": [{"name": "client", "query": "q1"}, {"name": "ref", "query": "q2"}]},
    "panels": [
        {"type": "row", "title": "General", "collapsed": False, "panels": [], "id": 100},
        {"type": "stat", "title": "Ticker", "id": 101},
        {"type": "row", "title": "Orders", "collapsed": True, "id": 400,
         "panels": [{"type": "table", "title": "Ladder", "id": 401}]},
    ],
}


def test_normalise_drops_what_grafana_sets_on_save() -> None:
    assert KIND.normalise({**BOARD, "id": 12, "version": 7}) == BOARD


def test_panels_are_keyed_by_row_and_title_whether_rows_are_expanded_or_collapsed() -> None:
    assert list(panels_by_key(BOARD)) == ["row General", "General / Ticker", "row Orders", "Orders / Ladder"]


def test_details_name_exactly_the_changed_panels_and_variables() -> None:
    code = {**BOARD, "refresh": "1m",
            "templating": {"list": [{"name": "client", "query": "q1b"}, {"name": "asset", "query": "q3"}]},
            "panels": [*BOARD["panels"][:2], {**BOARD["panels"][2], "panels": [{"type": "table", "title": "Ladder",
                                                                                  "id": 401, "unit": "short"}]}]}
    details = KIND.details(code, BOARD)
    assert [(d.what, d.key, d.action) for d in details] == [
        ("panel", "Orders / Ladder", "changed"),
        ("variable", "client", "changed"),
        ("variable", "asset", "added"),
        ("variable", "ref", "removed"),
        ("settings", "dashboard settings", "changed"),
    ]
    assert '+  "unit": "short"' in details[0].diff and details[0].diff.startswith("--- live/panel/Orders / Ladder")
    assert details[0].fields == ("unit",) and details[1].fields == ("query",)


def test_no_details_for_equal_boards() -> None:
    assert KIND.details(BOARD, BOARD) == []
